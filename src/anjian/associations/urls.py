from django.urls import path

from anjian.associations import views

app_name = "associations"
urlpatterns = [
    path("associations/", views.association_list, name="association_list"),
    path("associations/<int:pk>/", views.association_detail, name="association_detail"),
    path("associations/<int:pk>/members/", views.member_add, name="member_add"),
    path(
        "associations/<int:pk>/members/<int:entity_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "associations/<int:pk>/requests/<int:request_pk>/decide/",
        views.request_decide,
        name="request_decide",
    ),
    path("associations/<int:pk>/accounts/", views.account_bind, name="account_bind"),
    path("association/", views.my_page, name="my_page"),
    path("association/requests/", views.my_request, name="my_request"),
    path(
        "association/conventions/<int:pk>/withdraw/",
        views.my_convention_withdraw,
        name="my_convention_withdraw",
    ),
    path("portal/conventions/", views.portal_conventions, name="portal_conventions"),
]
