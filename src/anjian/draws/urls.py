from django.urls import path

from anjian.draws import views

app_name = "draws"
urlpatterns = [
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/items/", views.item_list, name="item_list"),
    path("draws/conflicts/", views.conflict_list, name="conflict_list"),
    path("draws/joint/", views.joint, name="joint"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/step/", views.draw_step, name="draw_step"),
    path("draws/<int:pk>/preview/", views.draw_preview, name="draw_preview"),
    path("draws/<int:pk>/redo/", views.draw_redo, name="draw_redo"),
    path("draws/<int:pk>/files/<str:kind>/", views.draw_file, name="draw_file"),
    path("draws/<int:pk>/result.xlsx", views.draw_export, name="draw_export"),
    path("portal/draws/", views.portal_list, name="portal_list"),
    path("portal/draws/<int:pk>/", views.portal_detail, name="portal_detail"),
    path("portal/draws/<int:pk>/files/<str:kind>/", views.portal_file, name="portal_file"),
    path("portal/draws/<int:pk>/record.json", views.portal_record, name="portal_record"),
]
