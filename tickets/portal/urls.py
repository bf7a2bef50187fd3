"""Mounted by the portal at ``/portal/tickets/`` in its ``portal`` namespace."""

from django.urls import path

from tickets.portal import views

urlpatterns = [
    path("", views.ticket_list, name="tickets"),
    path("new/", views.ticket_create, name="ticket-new"),
    path("suggest/", views.ticket_suggest, name="ticket-suggest"),
    path("<int:pk>/", views.ticket_detail, name="ticket"),
    path("<int:pk>/reply/", views.ticket_reply, name="ticket-reply"),
    path("<int:pk>/files/<int:attachment_pk>/", views.ticket_file, name="ticket-file"),
    path("<int:pk>/close/", views.ticket_close, name="ticket-close"),
    path("<int:pk>/reopen/", views.ticket_reopen, name="ticket-reopen"),
    path("<int:pk>/rate/", views.ticket_rate, name="ticket-rate"),
]
