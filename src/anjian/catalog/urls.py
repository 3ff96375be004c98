from django.urls import path

from anjian.catalog import views

app_name = "catalog"
urlpatterns = [
    path("portal/catalog/", views.item_list, name="item_list"),
    path("portal/catalog/<str:code>/", views.item_detail, name="item_detail"),
    path("portal/benchmarks/", views.benchmark_list, name="benchmark_list"),
    path("catalog/<str:code>/versions/new/", views.item_version_new, name="item_version_new"),
    path("portal/standards/", views.standard_list, name="standard_list"),
]
