from django.urls import path

from anjian.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_detail"),
    path("regions/", views.region_list, name="region_list"),
]
