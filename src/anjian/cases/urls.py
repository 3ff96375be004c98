from django.urls import path

from anjian.cases import casefile_views, execution_views, party_views, views

app_name = "cases"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/execution/", execution_views.execution_list, name="execution_list"),
    path("cases/reviews/", views.review_queue, name="review_queue"),
    path("cases/transfers/", views.transfer_list, name="transfer_list"),
    path("cases/transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("cases/transfers/<int:pk>/step/", views.transfer_step, name="transfer_step"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/proposal/", views.case_proposal, name="case_proposal"),
    path("cases/<int:pk>/review/", views.review_detail, name="review_detail"),
    path("cases/<int:pk>/parties/new/", party_views.case_party_new, name="case_party_new"),
    path("cases/<int:pk>/step/<str:action>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/casefile.pdf", casefile_views.casefile_download, name="casefile_pdf"),
    path(
        "cases/<int:pk>/casefile/<str:kind>/", casefile_views.casefile_issue, name="casefile_issue"
    ),
    path(
        "cases/<int:pk>/supply-stop/<str:action>/",
        casefile_views.supply_stop_step,
        name="supply_stop_step",
    ),
    path(
        "cases/<int:pk>/execution/<str:action>/",
        execution_views.execution_step,
        name="execution_step",
    ),
]
