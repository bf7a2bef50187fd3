"""Quote PDF downloads for staff: the UI view, and the response the API's ``pdf`` action shares.

Whoever may see the quote (``quote_visible_to``) may download it; anyone else gets 404. A sent
version answers with its stored file, byte for byte; a draft renders now, with the DRAFT mark.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation

from quotes.models import Quote
from quotes.pdf import quote_pdf_bytes
from quotes.selectors import quote_visible_to


def pdf_response(quote: Quote) -> HttpResponse:
    """``application/pdf``, shown in the browser, saved as ``Quote.pdf_filename``."""
    response = HttpResponse(quote_pdf_bytes(quote), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.pdf_filename}"'
    return response


class PdfNegotiation(DefaultContentNegotiation):
    """For API endpoints that answer a PDF: any ``Accept`` header is fine (``application/pdf``
    included, which no JSON renderer offers); errors still come back as JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


@never_cache
@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_GET
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_object_or_404(quote_visible_to(request.user), pk=pk)
    return pdf_response(quote)
