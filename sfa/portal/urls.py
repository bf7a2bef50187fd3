"""The portal's URLs: the shell's pages, then each registered section's pages under
``/portal/<key>/`` in the ``portal`` namespace (no namespace of their own: ``portal:ticket``).

Built when the URLconf is first loaded, after every app's ``ready()`` has registered its
section. Each page of a section is guarded: the portal login first, then the section's
``visible(contact)`` (false: 404).
"""

from functools import wraps
from importlib import import_module

from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import URLPattern, include, path

from sfa.portal import views
from sfa.portal.access import portal_login_required
from sfa.portal.sections import PortalSection, all_sections

app_name = "portal"


def _guarded(section: PortalSection, view):
    @portal_login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not section.visible(request.portal_contact):
            raise Http404("This part of the portal is not open to you.")
        return view(request, *args, **kwargs)

    return guarded


def section_urlpatterns(section: PortalSection) -> list[URLPattern]:
    """The section's pages, each behind its guard (a flat list: no nested includes)."""
    patterns = []
    for pattern in import_module(section.urls).urlpatterns:
        if not isinstance(pattern, URLPattern):
            raise ImproperlyConfigured(
                f"{section.urls}: a portal section lists its pages flat, without include()."
            )
        callback = _guarded(section, pattern.callback)
        patterns.append(URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name))
    return patterns


def build_urlpatterns(sections: list[PortalSection]) -> list:
    shell = [
        path("", views.home, name="home"),
        path("login/", views.PortalLoginView.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
        path("profile/", views.profile, name="profile"),
        path("password-reset/", views.PortalPasswordResetView.as_view(), name="password-reset"),
        path(
            "password-reset/sent/",
            auth_views.PasswordResetDoneView.as_view(
                template_name="portal/password_reset_done.html"
            ),
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
    return shell + [
        path(f"{section.key}/", include(section_urlpatterns(section))) for section in sections
    ]


urlpatterns = build_urlpatterns(all_sections())
