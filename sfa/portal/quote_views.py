"""The customer's quotes in the portal: their account's sent quotes, with accept and decline.

Every read starts from ``quotes.selectors.quotes_for_portal(contact)``: another account's
quote, a draft or a superseded version is 404. Answers go through the same services as the
signed link (channel "portal"), so they are just as atomic and just as refused when late.
"""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from quotes import selectors, services
from quotes.models import Quote
from sfa.core.exceptions import Conflict, InvalidInput
from sfa.core.forms import apply_domain_error
from sfa.core.http import client_ip
from sfa.portal.access import portal_login_required


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


def _quote(request, pk: int) -> Quote:
    return get_object_or_404(selectors.quotes_for_portal(request.portal_contact), pk=pk)


def _can_answer(quote: Quote) -> bool:
    return quote.state == Quote.State.SENT and not quote.is_past_validity()


def _detail(request, quote: Quote, *, accept=None, reject=None, status: int = 200):
    initial = {"name": request.portal_contact.full_name}
    context = {
        "quote": quote,
        "lines": quote.lines.select_related("product").order_by("position", "pk"),
        "can_answer": _can_answer(quote),
        "accept_form": accept or AcceptForm(prefix="accept", initial=initial),
        "reject_form": reject or RejectForm(prefix="reject", initial=initial),
    }
    return render(request, "portal/quotes/detail.html", context, status=status)


def _refusal(quote: Quote, error: Conflict) -> str:
    quote.refresh_from_db()
    if quote.state in (Quote.State.ACCEPTED, Quote.State.REJECTED):
        verb = "accepted" if quote.state == Quote.State.ACCEPTED else "declined"
        return f"This quote was already {verb} by {quote.answered_by_name}."
    if quote.state == Quote.State.EXPIRED or quote.is_past_validity():
        return f"This quote was valid until {quote.valid_until:%d %B %Y}; it cannot be accepted."
    return error.detail


@portal_login_required
@require_GET
def quote_list(request):
    quotes = selectors.quotes_for_portal(request.portal_contact)
    return render(request, "portal/quotes/list.html", {"quotes": quotes})


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
    name = f"Quote {quote.number}" + (f" v{quote.version}" if quote.version > 1 else "")
    return FileResponse(
        quote.pdf.open("rb"),
        as_attachment=True,
        filename=f"{name}.pdf",
        content_type="application/pdf",
    )


def _answer(request, pk: int, form_class, service, field: str, done: str):
    quote = _quote(request, pk)
    form = form_class(request.POST, prefix=field)
    if form.is_valid():
        try:
            service(
                quote=quote,
                actor=request.user,
                ip=client_ip(request),
                channel="portal",
                **form.cleaned_data,
            )
        except Conflict as error:
            messages.error(request, _refusal(quote, error))
            return _detail(request, quote, status=409)
        except InvalidInput as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("portal:quote", pk=quote.pk)
    return _detail(request, quote, status=400, **{field: form})


@portal_login_required
@require_POST
def quote_accept(request, pk: int):
    return _answer(
        request,
        pk,
        AcceptForm,
        services.quote_customer_accept,
        "accept",
        "Thank you: you accepted the quote. We will be in touch.",
    )


@portal_login_required
@require_POST
def quote_reject(request, pk: int):
    return _answer(
        request,
        pk,
        RejectForm,
        services.quote_customer_reject,
        "reject",
        "You declined the quote. Thank you for letting us know.",
    )
