"""Who may use the portal. Modules' portal pages use :func:`portal_login_required` (one of
the two modules of ``sfa.portal`` a module may import, with ``sfa.portal.sections``)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from sfa.core.access import is_portal_user
from sfa.customers.models import Contact
from sfa.customers.selectors import portal_contact_of


def portal_contact_for(user) -> Contact | None:
    """The active contact with portal access that ``user`` logs in as, if any."""
    if not is_portal_user(user):
        return None
    return portal_contact_of(user)


def request_portal_contact(request) -> Contact | None:
    """The request's portal contact, looked up once per request (the section guard and the
    page's own check share it)."""
    if not hasattr(request, "_portal_contact"):
        request._portal_contact = portal_contact_for(request.user)
    return request._portal_contact


def portal_login_required(view):
    """Only customers with portal access; ``request.portal_contact`` is theirs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        contact = request_portal_contact(request)
        if contact is None:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        request.portal_contact = contact
        return view(request, *args, **kwargs)

    return wrapper
