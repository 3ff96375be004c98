from django.urls import path

from anjian.evidence import views

app_name = "evidence"
urlpatterns = [
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/withdraw/", views.evidence_withdraw, name="evidence_withdraw"),
    path(
        "evidence/upload/<str:subject_type>/<str:subject_id>/",
        views.evidence_upload,
        name="evidence_upload",
    ),
]
