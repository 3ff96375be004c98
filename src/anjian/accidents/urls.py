from django.urls import path

from anjian.accidents import views

app_name = "accidents"
urlpatterns = [
    path("accidents/", views.report_list, name="report_list"),
    path("accidents/overdue/", views.overdue_list, name="overdue_list"),
    path("accidents/new/", views.report_new, name="report_new"),
    path("accidents/<int:pk>/", views.report_detail, name="report_detail"),
    path("accidents/<int:pk>/forward/", views.report_forward, name="report_forward"),
    path("accidents/<int:pk>/ministry/", views.report_ministry, name="report_ministry"),
    path("accidents/<int:pk>/supplement/", views.report_supplement, name="report_supplement"),
    path("accidents/<int:pk>/concealment/", views.report_concealment, name="report_concealment"),
    path("enterprise/accidents/", views.my_list, name="my_list"),
    path("enterprise/accidents/new/", views.my_new, name="my_new"),
    path("enterprise/accidents/<int:pk>/", views.my_detail, name="my_detail"),
    path("enterprise/accidents/<int:pk>/supplement/", views.my_supplement, name="my_supplement"),
]
