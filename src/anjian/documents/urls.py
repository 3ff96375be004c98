from django.urls import path

from anjian.documents import views

app_name = "documents"
urlpatterns = [
    path("documents/<int:pk>.docx", views.document_docx, name="document_docx"),
    path("documents/<int:pk>.pdf", views.document_pdf, name="document_pdf"),
    path("documents/<int:pk>/revoke/", views.document_revoke, name="document_revoke"),
    path("documents/seal/", views.seal_page, name="seal"),
    path("portal/documents/", views.portal_lookup, name="portal_lookup"),
    path("portal/documents/<str:code>/", views.portal_detail, name="portal_detail"),
]
