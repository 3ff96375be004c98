from django.urls import path

from anjian.complaints import portal_views, views

app_name = "complaints"
urlpatterns = [
    path("complaints/", views.report_list, name="report_list"),
    path("complaints/new/", views.report_new, name="report_new"),
    path("complaints/<int:pk>/", views.report_detail, name="report_detail"),
    path("complaints/<int:pk>/<slug:action>/", views.report_step, name="report_step"),
    path(
        "complaints/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("complaints/rewards/", views.reward_list, name="reward_list"),
    path("complaints/rewards/<int:pk>/", views.reward_detail, name="reward_detail"),
    path("complaints/rewards/<int:pk>/<slug:action>/", views.reward_step, name="reward_step"),
    path("complaints/exposure/", views.exposure_list, name="exposure_list"),
    path(
        "complaints/exposure/<int:pk>/withdraw/",
        views.exposure_withdraw,
        name="exposure_withdraw",
    ),
    path("portal/report/", portal_views.report_new, name="portal_report"),
    path("portal/report/entities/", portal_views.entity_search, name="portal_entity_search"),
    path("portal/report/follow-up/", portal_views.follow_up, name="portal_follow_up"),
    path("portal/exposure/", portal_views.exposure, name="portal_exposure"),
    path("portal/report-statistics/", portal_views.statistics, name="portal_statistics"),
]
