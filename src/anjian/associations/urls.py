from django.urls import path

from anjian.associations import views

app_name = "associations"
urlpatterns = [
    path("associations/", views.association_list, name="association_list"),
    path("associations/<int:pk>/", views.association_detail, name="association_detail"),
    path("associations/<int:pk>/members/", views.member_add, name="member_add"),
    path("associations/<int:pk>/accounts/", views.account_bind, name="account_bind"),
    path("association/", views.my_page, name="my_page"),
    path("portal/conventions/", views.portal_conventions, name="portal_conventions"),
]
