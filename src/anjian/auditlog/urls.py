from django.urls import path

from anjian.auditlog import views

app_name = "auditlog"
urlpatterns = [
    path("portal/log/", views.portal_checkpoints, name="portal_checkpoints"),
    path("log/alerts/", views.alerts, name="alerts"),
    path("log/alerts/<int:pk>/close/", views.alert_close, name="alert_close"),
]
