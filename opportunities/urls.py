from django.urls import path

from opportunities import (
    board_views,
    conversion_views,
    forecast_views,
    form_views,
    quota_views,
    views,
)

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", form_views.opportunity_create, name="create"),
    path("board/", board_views.pipeline_board, name="board"),
    path("forecast/", forecast_views.forecast, name="forecast"),
    path("quotas/", quota_views.quota_grid, name="quotas"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", form_views.opportunity_edit, name="edit"),
    path("<int:pk>/move/", board_views.board_move, name="board-move"),
    path("convert/<int:lead_pk>/", conversion_views.convert_lead, name="convert-lead"),
]
