from django.urls import path

from tickets import canned_views, collab_views, statistics_views, views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("queue/", views.my_queue, name="queue"),
    path("new/", views.ticket_create, name="create"),
    path("statistics/", statistics_views.support_statistics, name="statistics"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/reply/", views.ticket_reply, name="reply"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.ticket_attachment,
        name="attachment",
    ),
    path("<int:pk>/triage/", views.ticket_triage, name="triage"),
    path("canned/", canned_views.canned_list, name="canned-list"),
    path("canned/new/", canned_views.canned_create, name="canned-create"),
    path("canned/<int:pk>/edit/", canned_views.canned_edit, name="canned-edit"),
    path("canned/<int:pk>/delete/", canned_views.canned_delete, name="canned-delete"),
    path("<int:pk>/canned/<int:response_pk>/", views.ticket_canned, name="canned"),
    path("<int:pk>/suggestions/", views.ticket_suggestions, name="suggestions"),
    path("<int:pk>/articles/", views.ticket_article_link, name="article-link"),
    path(
        "<int:pk>/articles/<int:article_id>/unlink/",
        views.ticket_article_unlink,
        name="article-unlink",
    ),
    path("<int:pk>/merge/", collab_views.ticket_merge, name="merge"),
    path("<int:pk>/watch/", collab_views.ticket_watch, name="watch"),
    path("<int:pk>/unwatch/", collab_views.ticket_unwatch, name="unwatch"),
    path("availability/", collab_views.availability, name="availability"),
    path("teams/", collab_views.teams, name="teams"),
    path("teams/<int:pk>/routing/", collab_views.team_routing, name="team-routing"),
    path("<int:pk>/<str:name>/", views.ticket_transition, name="transition"),
]
