from django.urls import path

from knowledgebase import public_views

app_name = "kb"

urlpatterns = [
    path("", public_views.kb_home, name="home"),
    path("<slug:slug>/", public_views.kb_article, name="article"),
    path("<slug:slug>/helpful/", public_views.kb_vote, name="vote"),
    path(
        "<slug:slug>/attachments/<int:attachment_pk>/",
        public_views.kb_attachment,
        name="attachment",
    ),
]
