"""``GET /api/v1/``: a link to every resource list, found among the routes the apps include,
so the base needs to know none of them."""

import re

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.routers import APIRootView

# A router's list route: ``^accounts/$``, ``^kb/articles/$``.
LIST_ROUTE = re.compile(r"^\^(?P<prefix>[\w/-]+)/\$$")


def _named_routes(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _named_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), entry.name


def resource_lists(root_route: str) -> dict[str, str]:
    """``{prefix: url name}`` of the router list routes under ``root_route``, in URL order."""
    found: dict[str, str] = {}
    for route, name in _named_routes(get_resolver().url_patterns):
        match = LIST_ROUTE.match(route.removeprefix(root_route))
        if route.startswith(root_route) and match and name.endswith("-list"):
            found.setdefault(match["prefix"], name)
    return found


class ApiRootView(APIRootView):
    def get(self, request, *args, **kwargs):
        route = request.resolver_match.route
        root = route.removesuffix("<drf_format_suffix:format>")
        self.api_root_dict = resource_lists(root)
        return super().get(request, *args, **kwargs)
