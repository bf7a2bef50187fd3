from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect

from sfa.core.access import is_portal_user

# /q/: a customer's signed quote link works whether or not they are logged in to the portal.
# /kb/: the public knowledge base (published public articles only).
PORTAL_ALLOWED_PREFIXES = (
    "/portal/",
    "/static/",
    "/logout/",
    "/health/",
    "/forms/",
    "/rate/",
    "/q/",
    "/kb/",
)
# The public knowledge base's API: portal users read it as visitors do (public articles only;
# the view's queryset decides). Writes stay refused.
PORTAL_API_READS = ("/api/v1/kb/",)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PortalSeparationMiddleware:
    """Customers (portal users) stay in ``/portal/``; staff pages and the API are not theirs.

    Also refuses NUL bytes in the query string with 400 before they reach the database
    (PostgreSQL rejects them in text and would fail the request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": "Query parameters must not contain NUL characters.",
                        "code": "invalid",
                    },
                    status=400,
                )
            return HttpResponseBadRequest("Query parameters must not contain NUL characters.")
        if is_portal_user(request.user) and not _portal_may_open(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": "The staff API is not available to portal users.",
                        "code": "permission_denied",
                    },
                    status=403,
                )
            return redirect("portal:home")
        return self.get_response(request)


def _portal_may_open(request) -> bool:
    if request.path.startswith(PORTAL_ALLOWED_PREFIXES):
        return True
    return request.method in READ_METHODS and request.path.startswith(PORTAL_API_READS)
