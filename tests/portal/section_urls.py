"""The URL module of a section a test registers (``tests/portal/test_sections.py``)."""

from django.http import HttpResponse
from django.urls import path


def page(request, pk: int | None = None):
    return HttpResponse(f"Warranty {pk or ''} of {request.portal_contact.full_name}")


urlpatterns = [
    path("", page, name="warranty"),
    path("<int:pk>/", page, name="warranty-item"),
]
