from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from anjian.accounts import views as account_views
from anjian.api import api

admin.site.site_header = _("anjian administration")
admin.site.site_title = _("anjian administration")
admin.site.index_title = _("Reference data")

urlpatterns = [
    path("", account_views.root, name="root"),
    path("", include("anjian.accounts.urls")),
    path("", include("anjian.core.urls")),
    path("", include("anjian.auditlog.urls")),
    path("", include("anjian.entities.urls")),
    path("", include("anjian.catalog.urls")),
    path("", include("anjian.plans.urls")),
    path("", include("anjian.inspections.urls")),
    path("", include("anjian.draws.urls")),
    path("", include("anjian.cases.urls")),
    path("", include("anjian.evidence.urls")),
    path("", include("anjian.documents.urls")),
    path("", include("anjian.publications.urls")),
    path("", include("anjian.complaints.urls")),
    path("", include("anjian.credit.urls")),
    path("", include("anjian.accidents.urls")),
    path("", include("anjian.notifications.urls")),
    path("", include("anjian.annualreports.urls")),
    path("", include("anjian.associations.urls")),
    path("", include("anjian.enterprise.urls")),
    path("", include("anjian.jobs.urls")),
    path("portal/", include("anjian.portal.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
