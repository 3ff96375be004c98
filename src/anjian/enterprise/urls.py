from django.urls import path, re_path

from anjian.enterprise import views, views_files

app_name = "enterprise"
USCC = r"(?P<uscc>[0-9A-Za-z]{18})"
urlpatterns = [
    re_path(
        rf"^entities/{USCC}/enterprise-accounts/$",
        views.entity_accounts,
        name="entity_accounts",
    ),
    path(
        "enterprise-invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("portal/enterprise/activate/", views.activate, name="activate"),
    path("enterprise/", views.home, name="home"),
    path("enterprise/users/", views.member_list, name="member_list"),
    path("enterprise/users/<int:pk>/active/", views.member_active, name="member_active"),
    path("enterprise/inspections/", views.inspection_list, name="inspection_list"),
    path("enterprise/inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("enterprise/cases/", views.case_list, name="case_list"),
    path("enterprise/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("enterprise/documents/", views.document_list, name="document_list"),
    path("enterprise/documents/<int:pk>.pdf", views.document_pdf, name="document_pdf"),
    path("enterprise/credit/", views.credit, name="credit"),
    path("enterprise/service/", views.service, name="service"),
    path("enterprise/standards/", views.standards, name="standards"),
    path("enterprise/self-inspections/", views.self_inspection_list, name="self_inspection_list"),
    path("enterprise/self-inspections/new/", views.self_inspection_new, name="self_inspection_new"),
    path(
        "enterprise/self-inspections/<int:pk>/",
        views.self_inspection_detail,
        name="self_inspection_detail",
    ),
    path("enterprise/self-hazards/<int:pk>/done/", views.self_hazard_done, name="self_hazard_done"),
    re_path(
        rf"^entities/{USCC}/self-inspections/(?P<pk>[0-9]+)/$",
        views.bureau_self_inspection,
        name="bureau_self_inspection",
    ),
    path("enterprise/documents/<int:pk>/confirm/", views.document_confirm, name="document_confirm"),
    path("enterprise/orders/<int:pk>/report/", views.order_report, name="order_report"),
    path(
        "enterprise/orders/<int:order_pk>/files/<int:pk>/",
        views_files.order_file,
        name="order_file",
    ),
    path("enterprise/cases/<int:pk>/<slug:action>/", views.case_answer, name="case_answer"),
    path("enterprise/credit/<int:pk>/request/", views.credit_request, name="credit_request"),
]
