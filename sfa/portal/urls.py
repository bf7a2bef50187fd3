from django.contrib.auth import views as auth_views
from django.urls import path

from sfa.portal import quote_views, ticket_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("quotes/", quote_views.quote_list, name="quotes"),
    path("quotes/<int:pk>/", quote_views.quote_detail, name="quote"),
    path("quotes/<int:pk>/pdf/", quote_views.quote_pdf, name="quote-pdf"),
    path("quotes/<int:pk>/accept/", quote_views.quote_accept, name="quote-accept"),
    path("quotes/<int:pk>/reject/", quote_views.quote_reject, name="quote-reject"),
    path("tickets/", ticket_views.ticket_list, name="tickets"),
    path("tickets/new/", ticket_views.ticket_create, name="ticket-new"),
    path("tickets/suggest/", ticket_views.ticket_suggest, name="ticket-suggest"),
    path("tickets/<int:pk>/", ticket_views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", ticket_views.ticket_reply, name="ticket-reply"),
    path(
        "tickets/<int:pk>/files/<int:attachment_pk>/",
        ticket_views.ticket_file,
        name="ticket-file",
    ),
    path("tickets/<int:pk>/close/", ticket_views.ticket_close, name="ticket-close"),
    path("tickets/<int:pk>/reopen/", ticket_views.ticket_reopen, name="ticket-reopen"),
    path("tickets/<int:pk>/rate/", ticket_views.ticket_rate, name="ticket-rate"),
    path("password-reset/", views.PortalPasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PortalPasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]
