from django.urls import path

from anjian.annualreports import views

app_name = "annualreports"
urlpatterns = [
    path("annual-reports/", views.report_list, name="report_list"),
    path("annual-reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("enterprise/annual-reports/", views.my_list, name="my_list"),
    path("enterprise/annual-reports/new/", views.my_new, name="my_new"),
    path("enterprise/annual-reports/<int:pk>/", views.my_detail, name="my_detail"),
    path("portal/annual-reports/", views.portal_list, name="portal_list"),
    path("portal/annual-reports/<int:pk>/", views.portal_detail, name="portal_detail"),
]
