from django.urls import path, re_path

from anjian.entities import views

app_name = "entities"
USCC = r"(?P<uscc>[0-9A-Za-z]{18})"
urlpatterns = [
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_create, name="entity_create"),
    path("entities/import/", views.import_upload, name="import_upload"),
    path("entities/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("entities/import/<int:pk>/report.xlsx", views.import_report, name="import_report"),
    path("entities/import/template/<str:kind>.xlsx", views.import_template, name="import_template"),
    re_path(rf"^entities/{USCC}/$", views.entity_detail, name="entity_detail"),
    re_path(rf"^entities/{USCC}/edit/$", views.entity_edit, name="entity_edit"),
    re_path(rf"^entities/{USCC}/licences/new/$", views.licence_create, name="licence_create"),
    re_path(rf"^entities/{USCC}/filings/new/$", views.filing_create, name="filing_create"),
    path("licences/expiring/", views.licence_expiring, name="licence_expiring"),
    path("filings/missing/", views.filing_missing, name="filing_missing"),
]
