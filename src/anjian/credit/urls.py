from django.urls import path, re_path

from anjian.credit import dishonesty_views, portal, views

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
    re_path(
        rf"^credit/entities/{USCC}/commitments/$",
        views.commitment_record,
        name="commitment_record",
    ),
    path("portal/credit/", portal.portal_credit_search, name="portal_search"),
    path(
        "portal/credit/dishonesty/",
        dishonesty_views.portal_listing_list,
        name="portal_dishonesty",
    ),
    path("credit/dishonesty/", dishonesty_views.listing_list, name="listing_list"),
    path("credit/dishonesty/export.xlsx", dishonesty_views.listing_export, name="listing_export"),
    path("credit/dishonesty/<int:pk>/", dishonesty_views.listing_detail, name="listing_detail"),
    path(
        "credit/dishonesty/<int:pk>/review/",
        dishonesty_views.listing_review,
        name="listing_review",
    ),
    path(
        "credit/dishonesty/<int:pk>/decide/",
        dishonesty_views.listing_decide,
        name="listing_decide",
    ),
    path(
        "credit/dishonesty/<int:pk>/remove/",
        dishonesty_views.listing_remove,
        name="listing_remove",
    ),
    re_path(rf"^portal/credit/{USCC}/$", portal.portal_credit_detail, name="portal_detail"),
    path("credit/records/<int:pk>/decide/", views.record_decide, name="record_decide"),
    path("credit/overrides/<int:pk>/decide/", views.override_decide, name="override_decide"),
    path("credit/overrides/<int:pk>/end/", views.override_end, name="override_end"),
    path("credit/records/<int:pk>/requests/", views.request_submit, name="request_submit"),
    path("credit/requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("credit/requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
]
