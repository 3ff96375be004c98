from django.urls import path

from anjian.catalog import views

app_name = "catalog"
urlpatterns = [
    # Public (N2.1)
    path("portal/catalog/", views.item_list, name="item_list"),
    path("portal/catalog/<str:code>/", views.item_detail, name="item_detail"),
    path("portal/benchmarks/", views.benchmark_list, name="benchmark_list"),
    path("portal/benchmarks/<str:code>/", views.benchmark_detail, name="benchmark_detail"),
    path("portal/standards/", views.standard_list, name="standard_list"),
    path("portal/exemptions/", views.exemption_list, name="exemption_list"),
    # Maintenance, by the provincial department
    path("catalog/items/new/", views.item_new, name="item_new"),
    path("catalog/exemptions/new/", views.exemption_new, name="exemption_new"),
    path(
        "catalog/exemptions/<int:pk>/withdraw/",
        views.exemption_withdraw,
        name="exemption_withdraw",
    ),
    path("catalog/<str:code>/versions/new/", views.item_version_new, name="item_version_new"),
    # Each bureau names its own people for an item (N1.1)
    path(
        "catalog/<str:code>/responsibility/",
        views.item_responsibility,
        name="item_responsibility",
    ),
    path("catalog/benchmarks/new/", views.benchmark_new, name="benchmark_new"),
    path(
        "catalog/benchmarks/<str:code>/versions/new/",
        views.benchmark_version_new,
        name="benchmark_version_new",
    ),
    path("catalog/standards/new/", views.standard_new, name="standard_new"),
    path(
        "catalog/standards/<int:pk>/check-points/",
        views.standard_check_points,
        name="standard_check_points",
    ),
    # Declarations of standards by entities, by the bureaus that supervise them (N2.2)
    path("catalog/declarations/new/", views.declaration_find, name="declaration_find"),
    path("catalog/declarations/<str:uscc>/new/", views.declaration_new, name="declaration_new"),
]
