"""``/api/v1/``: each app brings its own routes (``<app>/api/urls.py``); the base only
includes them. The order is the resolving order, and the order of the root's links."""

from django.urls import include, path

urlpatterns = [
    path("", include("sfa.core.api.urls")),
    path("", include("sfa.customers.api.urls")),
    path("", include("leads.api.urls")),
    path("", include("opportunities.api.urls")),
    path("", include("quotes.api.urls")),
    path("", include("tickets.api.urls")),
    path("", include("sfa.catalog.api.urls")),
    path("", include("knowledgebase.api.urls")),
]
