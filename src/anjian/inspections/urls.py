from django.urls import path

from anjian.inspections import views

app_name = "inspections"
urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/assign/", views.task_assign_bulk, name="task_assign_bulk"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/publications/", views.publication_list, name="publication_list"),
    path("tasks/<int:pk>/publish/", views.task_publish, name="task_publish"),
    path("tasks/<int:pk>/inspect/", views.record_start, name="record_start"),
    path("inspections/", views.record_list, name="record_list"),
    path("inspections/<int:pk>/", views.record_detail, name="record_detail"),
    path("inspections/<int:pk>/answer/", views.record_answer, name="record_answer"),
    path("inspections/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path(
        "inspections/<int:pk>/findings/<int:finding_pk>/remove/",
        views.finding_remove,
        name="finding_remove",
    ),
    path("inspections/<int:pk>/submit/", views.record_submit, name="record_submit"),
    path("inspections/<int:pk>/order/", views.order_issue, name="order_issue"),
    path("rectifications/<int:pk>/", views.order_detail, name="order_detail"),
    path("rectifications/<int:pk>/report/", views.order_report, name="order_report"),
    path("rectifications/<int:pk>/reinspect/", views.order_reinspect, name="order_reinspect"),
    path("rectifications/<int:pk>/escalate/", views.order_escalate, name="order_escalate"),
    path("rectifications/overdue/", views.rectification_overdue, name="rectification_overdue"),
]
