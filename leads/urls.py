from django.urls import path

from leads import record_views, views, webform_views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("web-forms/", webform_views.web_form_list, name="web-forms"),
    path("new/", views.lead_create, name="create"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/edit/", views.lead_edit, name="edit"),
    path("<int:pk>/reassign/", views.lead_reassign, name="reassign"),
    path("<int:pk>/activities/", record_views.activity_add, name="activity-add"),
    path("<int:pk>/reminders/", record_views.reminder_add, name="reminder-add"),
    path(
        "<int:pk>/reminders/<int:reminder_pk>/toggle/",
        record_views.reminder_toggle,
        name="reminder-toggle",
    ),
    path("<int:pk>/documents/", record_views.document_upload, name="document-upload"),
    path("<int:pk>/<str:name>/", views.lead_transition, name="transition"),
]
