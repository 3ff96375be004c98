from django.urls import path

from anjian.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("audit-head/", views.audit_head, name="audit_head"),
]
