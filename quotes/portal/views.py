"""The customer's quotes in the portal: their account's sent quotes, with accept and decline.

Every read starts from ``quotes.selectors.quote_visible_to_contact(contact)``: another
account's quote, a draft or a superseded version is 404. Answers go through the same flow as
the signed link (``quotes.acceptance.quote_answer``, channel "portal"), so they are just as
atomic and just as refused when late.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from quotes import selectors
from quotes.acceptance import Answer, answer_forms, can_answer, quote_answer
from quotes.models import Quote
from sfa.core.http import client_ip
from sfa.portal.access import portal_login_required

DONE = {
    "accept": "Thank you: you accepted the quote. We will be in touch.",
    "reject": "You declined the quote. Thank you for letting us know.",
}


def _quote(request, pk: int) -> Quote:
    return get_object_or_404(selectors.quote_visible_to_contact(request.portal_contact), pk=pk)


def _detail(request, quote: Quote, *, answer: Answer | None = None):
    context = {
        "quote": quote,
        "lines": quote.lines.select_related("product").order_by("position", "pk"),
        "can_answer": can_answer(quote),
        **answer_forms(name=request.portal_contact.full_name, answer=answer),
    }
    status = answer.status if answer else 200
    return render(request, "quotes/portal/detail.html", context, status=status)


@portal_login_required
@require_GET
def quote_list(request):
    quotes = selectors.quote_visible_to_contact(request.portal_contact)
    return render(request, "quotes/portal/list.html", {"quotes": quotes})


@portal_login_required
@require_GET
def quote_detail(request, pk: int):
    return _detail(request, _quote(request, pk))


@portal_login_required
@require_GET
def quote_pdf(request, pk: int):
    quote = _quote(request, pk)
    if not quote.pdf:  # every sent version keeps the PDF it was sent with
        raise Http404("No PDF.")
    return FileResponse(
        quote.pdf.open("rb"),
        as_attachment=True,
        filename=quote.pdf_filename,
        content_type="application/pdf",
    )


def _answer(request, pk: int, kind: str):
    quote = _quote(request, pk)
    answer = quote_answer(
        quote=quote,
        kind=kind,
        data=request.POST,
        ip=client_ip(request),
        channel="portal",
        actor=request.user,
    )
    if answer.refusal:
        messages.error(request, answer.refusal)
        return _detail(request, quote, answer=answer)
    if not answer.recorded:
        return _detail(request, quote, answer=answer)
    messages.success(request, DONE[kind])
    return redirect("portal:quote", pk=quote.pk)


@portal_login_required
@require_POST
def quote_accept(request, pk: int):
    return _answer(request, pk, "accept")


@portal_login_required
@require_POST
def quote_reject(request, pk: int):
    return _answer(request, pk, "reject")
