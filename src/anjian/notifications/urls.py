from django.urls import path

from anjian.notifications import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.notification_open, name="open"),
    path("inbox/read-all/", views.read_all, name="read_all"),
]
