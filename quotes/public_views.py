"""The customer's page of a sent quote, opened from the signed link in the e-mail (no login).

The token in the URL is the authorisation: only someone who received the e-mail has it. So
the answer forms need no CSRF cookie (``csrf_exempt``, like the web lead forms): a forged
cross-site POST would have to know the token, and whoever knows it may answer anyway. Answers
are POST only; the page and the PDF are GET. A refused answer (twice, expired, superseded) is a
409 page that says why and changes nothing.
"""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from quotes import services
from quotes.acceptance import link_closed_reason, quote_for_token
from quotes.models import Quote
from quotes.pdf import quote_pdf_bytes
from sfa.core.exceptions import Conflict, InvalidInput, RecordNotFound
from sfa.core.forms import apply_domain_error
from sfa.core.http import client_ip


class AcceptForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    reason = forms.CharField(
        label="Why do you decline?", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


def _quote(token: str) -> Quote:
    try:
        return quote_for_token(token)
    except RecordNotFound:
        raise Http404("This link is not valid.") from None


def _no_index(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _message(request, quote: Quote, message: str, status: int) -> HttpResponse:
    context = {"quote": quote, "message": message}
    return _no_index(render(request, "quotes/public/message.html", context, status=status))


def _page(request, quote: Quote, token: str, *, accept=None, reject=None, status=200):
    context = {
        "quote": quote,
        "token": token,
        "lines": quote.lines.select_related("product").order_by("position", "pk"),
        "can_answer": quote.state == Quote.State.SENT,
        "accept_form": accept or AcceptForm(prefix="accept"),
        "reject_form": reject or RejectForm(prefix="reject"),
    }
    return _no_index(render(request, "quotes/public/page.html", context, status=status))


def refusal_text(quote: Quote, error: Conflict) -> str:
    """Why an answer was refused, in the customer's words (the quote as it is now)."""
    quote.refresh_from_db()
    when = f"{quote.answered_at:%d %B %Y}" if quote.answered_at else ""
    if quote.state == Quote.State.ACCEPTED:
        return f"This quote was already accepted by {quote.answered_by_name} on {when}."
    if quote.state == Quote.State.REJECTED:
        return f"This quote was already declined by {quote.answered_by_name} on {when}."
    return link_closed_reason(quote) or error.detail


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


def _answer(request: HttpRequest, token: str, form_class, service, field: str):
    quote = _quote(token)
    form = form_class(request.POST, prefix=field)
    if form.is_valid():
        try:
            service(quote=quote, ip=client_ip(request), channel="link", **form.cleaned_data)
        except Conflict as error:
            return _message(request, quote, refusal_text(quote, error), status=409)
        except InvalidInput as error:
            apply_domain_error(form, error)
        else:
            return redirect("quote_public:page", token=token)
    elif link_closed_reason(quote) or quote.state != Quote.State.SENT:
        # Whatever was typed, this version cannot be answered any more: say so.
        return _message(request, quote, refusal_text(quote, Conflict()), status=409)
    return _page(request, quote, token, status=400, **{field: form})


@csrf_exempt
@never_cache
@require_POST
def quote_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _answer(request, token, AcceptForm, services.quote_customer_accept, "accept")


@csrf_exempt
@never_cache
@require_POST
def quote_reject(request: HttpRequest, token: str) -> HttpResponse:
    return _answer(request, token, RejectForm, services.quote_customer_reject, "reject")
