from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("queue/", views.my_queue, name="queue"),
    path("new/", views.ticket_create, name="create"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/reply/", views.ticket_reply, name="reply"),
    path("<int:pk>/triage/", views.ticket_triage, name="triage"),
    path("<int:pk>/<str:name>/", views.ticket_transition, name="transition"),
]
