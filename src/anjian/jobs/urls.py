from django.urls import path

from anjian.jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/start/<str:name>/", views.job_start, name="job_start"),
    path("jobs/failures/<int:pk>/", views.failure_detail, name="failure_detail"),
    path("jobs/failures/<int:pk>/requeue/", views.failure_requeue, name="failure_requeue"),
    path("jobs/failures/<int:pk>/resolve/", views.failure_resolve, name="failure_resolve"),
]
