from django.urls import path

from opportunities import quota_views, views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_create, name="create"),
    path("board/", views.pipeline_board, name="board"),
    path("forecast/", views.forecast, name="forecast"),
    path("quotas/", quota_views.quota_grid, name="quotas"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/move/", views.board_move, name="board-move"),
    path("convert/<int:lead_pk>/", views.convert_lead, name="convert-lead"),
]
