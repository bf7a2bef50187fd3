from django.urls import path

from opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.pipeline_board, name="board"),
    path("forecast/", views.forecast, name="forecast"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/move/", views.board_move, name="board-move"),
    path("convert/<int:lead_pk>/", views.convert_lead, name="convert-lead"),
]
