from django.urls import path

from anjian.inspections import views

app_name = "inspections"
urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/publications/", views.publication_list, name="publication_list"),
    path("tasks/<int:pk>/publish/", views.task_publish, name="task_publish"),
]
