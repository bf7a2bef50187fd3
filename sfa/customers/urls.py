from django.urls import path

from sfa.customers import import_views, tab_views, views

app_name = "customers"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("pick/", views.pick_customer, name="pick"),
    path("export.<str:fmt>", views.account_export, name="export"),
    path("import/", import_views.import_upload, name="import"),
    path("filters/save/", views.saved_filter_save, name="filter-save"),
    path("filters/<int:pk>/delete/", views.saved_filter_delete, name="filter-delete"),
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/<int:reminder_pk>/toggle/", tab_views.reminder_toggle, name="reminder-toggle"),
    path("deletion-requests/", views.deletion_requests, name="deletion-requests"),
    path(
        "deletion-requests/<int:pk>/<str:decision>/",
        views.deletion_request_decide,
        name="deletion-decide",
    ),
    path(
        "documents/<int:document_pk>/download/",
        tab_views.document_download,
        name="document-download",
    ),
    path(
        "contracts/<int:contract_pk>/download/",
        tab_views.contract_download,
        name="contract-download",
    ),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/request-deletion/", views.account_request_deletion, name="request-deletion"),
    path("<int:pk>/transition/<str:name>/", views.account_transition, name="transition"),
    path("<int:pk>/special/", tab_views.custom_fields_save, name="special-save"),
    path("<int:pk>/shares/", tab_views.share_add, name="share-add"),
    path("<int:pk>/shares/<int:share_pk>/remove/", tab_views.share_remove, name="share-remove"),
    path("<int:pk>/ship-to/", tab_views.ship_to_add, name="ship-to-add"),
    path("<int:pk>/ship-to/<int:address_pk>/edit/", tab_views.ship_to_edit, name="ship-to-edit"),
    path(
        "<int:pk>/ship-to/<int:address_pk>/default/",
        tab_views.ship_to_make_default,
        name="ship-to-default",
    ),
    path("<int:pk>/contacts/", tab_views.contact_add, name="contact-add"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", tab_views.contact_edit, name="contact-edit"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/archive/",
        tab_views.contact_archive,
        name="contact-archive",
    ),
    path("<int:pk>/reminders/", tab_views.reminder_add, name="reminder-add"),
    path("<int:pk>/activities/", tab_views.activity_add, name="activity-add"),
    path("<int:pk>/documents/", tab_views.document_upload, name="document-upload"),
    path("<int:pk>/contracts/", tab_views.contract_add, name="contract-add"),
]
