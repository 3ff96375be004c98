from django.urls import path

from anjian.plans import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/coordination/", views.coordination_view, name="coordination"),
    path(
        "plans/coordination/duplicates/<int:a>/<int:b>/",
        views.duplicate_entities,
        name="duplicate_entities",
    ),
    path(
        "plans/coordination/gaps/<str:region>/<str:category>/",
        views.gap_entities,
        name="gap_entities",
    ),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/lines/new/", views.line_new, name="line_new"),
    path("plans/<int:pk>/lines/<int:line_id>/delete/", views.line_delete, name="line_delete"),
    path("plans/<int:pk>/step/", views.plan_step, name="plan_step"),
]
