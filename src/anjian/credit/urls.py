from django.urls import path, re_path

from anjian.credit import portal, views

USCC = r"(?P<uscc>[0-9A-Za-z]{18})"

app_name = "credit"
urlpatterns = [
    path("credit/", views.overview, name="overview"),
    path("credit/caps/", views.caps, name="caps"),
    path("credit/under-inspected/", views.under_inspected, name="under_inspected"),
    re_path(rf"^credit/entities/{USCC}/$", views.entity_credit, name="entity_credit"),
    re_path(rf"^credit/entities/{USCC}/records/$", views.record_propose, name="record_propose"),
    re_path(
        rf"^credit/entities/{USCC}/overrides/$", views.override_propose, name="override_propose"
    ),
    path("portal/credit/", portal.portal_credit_search, name="portal_search"),
    re_path(rf"^portal/credit/{USCC}/$", portal.portal_credit_detail, name="portal_detail"),
    path("credit/records/<int:pk>/decide/", views.record_decide, name="record_decide"),
    path("credit/overrides/<int:pk>/decide/", views.override_decide, name="override_decide"),
    path("credit/overrides/<int:pk>/end/", views.override_end, name="override_end"),
    path("credit/records/<int:pk>/requests/", views.request_submit, name="request_submit"),
    path("credit/requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("credit/requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
]
