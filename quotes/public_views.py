"""The customer's page of a sent quote, opened from the signed link in the e-mail (no login).

The token in the URL is the authorisation: only someone who received the e-mail has it. So
the answer forms need no CSRF cookie (``csrf_exempt``, like the web lead forms): a forged
cross-site POST would have to know the token, and whoever knows it may answer anyway. Answers
are POST only; the page and the PDF are GET. A refused answer (twice, expired, superseded) is a
409 page that says why and changes nothing.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from quotes import acceptance
from quotes.acceptance import Answer, link_closed_reason
from quotes.models import Quote
from quotes.pdf import quote_pdf_bytes
from sfa.core.exceptions import RecordNotFound
from sfa.core.http import client_ip


def _quote(token: str) -> Quote:
    try:
        return acceptance.quote_for_token(token)
    except RecordNotFound:
        raise Http404("This link is not valid.") from None


def _no_index(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _message(request, quote: Quote, message: str, status: int) -> HttpResponse:
    context = {"quote": quote, "message": message}
    return _no_index(render(request, "quotes/public/message.html", context, status=status))


def _page(request, quote: Quote, token: str, *, answer: Answer | None = None) -> HttpResponse:
    context = {
        "quote": quote,
        "token": token,
        "lines": quote.lines.select_related("product").order_by("position", "pk"),
        "can_answer": quote.state == Quote.State.SENT,
        **acceptance.answer_forms(answer=answer),
    }
    status = answer.status if answer else 200
    return _no_index(render(request, "quotes/public/page.html", context, status=status))


@never_cache
@require_GET
def quote_page(request: HttpRequest, token: str) -> HttpResponse:
    quote = _quote(token)
    closed = link_closed_reason(quote)
    if closed:
        return _message(request, quote, closed, status=410)
    return _page(request, quote, token)


@never_cache
@require_GET
def quote_pdf(request: HttpRequest, token: str) -> HttpResponse:
    quote = _quote(token)
    closed = link_closed_reason(quote)
    if closed:
        return _message(request, quote, closed, status=410)
    response = HttpResponse(quote_pdf_bytes(quote), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{quote.pdf_filename}"'
    return _no_index(response)


def _answer(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    quote = _quote(token)
    answer = acceptance.quote_answer(
        quote=quote, kind=kind, data=request.POST, ip=client_ip(request), channel="link"
    )
    if answer.refusal:
        return _message(request, quote, answer.refusal, status=answer.status)
    if not answer.recorded:
        return _page(request, quote, token, answer=answer)
    return redirect("quote_public:page", token=token)


@csrf_exempt
@never_cache
@require_POST
def quote_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _answer(request, token, "accept")


@csrf_exempt
@never_cache
@require_POST
def quote_reject(request: HttpRequest, token: str) -> HttpResponse:
    return _answer(request, token, "reject")
