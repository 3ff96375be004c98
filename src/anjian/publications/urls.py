from django.urls import path

from anjian.publications import views

app_name = "publications"
urlpatterns = [
    path("publications/", views.publication_list, name="publication_list"),
    path("publications/<int:pk>/", views.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/publish/", views.publication_publish, name="publication_publish"),
    path(
        "publications/<int:pk>/withdraw/", views.publication_withdraw, name="publication_withdraw"
    ),
    path("portal/penalties/", views.portal_list, name="portal_list"),
    path("portal/penalties/<int:pk>/", views.portal_detail, name="portal_detail"),
]
