from django.contrib.auth.views import LogoutView
from django.urls import path

from anjian.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.AnjianLoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", views.password_change, name="password_change"),
    path("accounts/otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("accounts/otp/verify/", views.otp_verify, name="otp_verify"),
    path("users/<int:pk>/otp/reset/", views.user_otp_reset, name="user_otp_reset"),
    path("home/", views.home, name="home"),
    path("bureaus/", views.bureau_list, name="bureau_list"),
    path("bureaus/<int:pk>/", views.bureau_detail, name="bureau_detail"),
    path(
        "bureaus/<int:pk>/document-details/",
        views.bureau_document_details,
        name="bureau_document_details",
    ),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/", views.user_roles, name="user_roles"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("users/<int:pk>/certificates/new/", views.certificate_issue, name="certificate_issue"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
