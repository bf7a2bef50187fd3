"""The customer's side of a sent quote: the signed link, the answer (one flow for the signed
link and the portal), and the owner's notice of the answer.

A link carries the quote's id and version, signed with ``django.core.signing`` (salt
``quotes.accept``). It authorises that one version, and only while the quote is valid: there
is no fixed age; ``valid_until`` decides, checked on every request. A superseded version's
link says so and leads nowhere else (the next version is sent with a link of its own).
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse

from quotes import services
from quotes.models import Quote
from sfa.core.exceptions import Conflict, InvalidInput, RecordNotFound
from sfa.core.forms import apply_domain_error
from sfa.core.mail import email_queue

SALT = "quotes.accept"
# The states a link was ever made for (a quote gets its link when it is sent).
LINK_STATES = (
    Quote.State.SENT,
    Quote.State.ACCEPTED,
    Quote.State.REJECTED,
    Quote.State.EXPIRED,
    Quote.State.SUPERSEDED,
)


def acceptance_token(quote: Quote) -> str:
    """The same token for the same version every time (a resent link is the same link)."""
    return signing.dumps([quote.pk, quote.version], salt=SALT)


def acceptance_url(quote: Quote) -> str:
    return settings.SFA_BASE_URL + reverse("quote_public:page", args=[acceptance_token(quote)])


def quote_for_token(token: str) -> Quote:
    """The version the token was made for; a forged, altered or unknown token is not found."""
    try:
        pk, version = signing.loads(token, salt=SALT)
        pk, version = int(pk), int(version)
    except (signing.BadSignature, TypeError, ValueError):
        raise RecordNotFound("This link is not valid.") from None
    quote = (
        Quote.objects.select_related("account", "contact", "owner", "payment_terms")
        .filter(pk=pk, version=version, state__in=LINK_STATES)
        .first()
    )
    if quote is None:
        raise RecordNotFound("This link is not valid.")
    return quote


def link_closed_reason(quote: Quote) -> str:
    """Why the link of this version no longer opens the quote ("" while it does)."""
    if quote.state == Quote.State.SUPERSEDED:
        return (
            f"Quote {quote.display_number} was replaced by a newer version, which is sent "
            "separately. This link is no longer valid."
        )
    if quote.state == Quote.State.EXPIRED or quote.is_past_validity():
        return (
            f"Quote {quote.display_number} was valid until {quote.valid_until:%d %B %Y}. "
            "This link has expired with it; please ask us for a new offer."
        )
    return ""


def notify_owner_of_answer(quote: Quote) -> None:
    """Tell the owner the customer accepted or rejected (queued with the answer, sent after
    it commits)."""
    owner = quote.owner
    if not owner.email:
        return
    email_queue(
        kind=f"quotes.quote_{quote.state}",
        to=[owner.email],
        template="quotes/emails/answered",
        context={
            "quote": quote,
            "accepted": quote.state == Quote.State.ACCEPTED,
            "url": f"{settings.SFA_BASE_URL}/quotes/{quote.pk}/",
            "channel": {"link": "the link in the e-mail", "portal": "the customer portal"}.get(
                quote.answer_channel, quote.answer_channel
            ),
        },
        related=quote,
        metadata={"quote_id": str(quote.pk)},
    )


# The customer's answer: one flow for the signed link and the portal ------------------------------


class CustomerAcceptForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CustomerRejectForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    reason = forms.CharField(
        label="Why do you decline?", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


# answer (the form prefix and URL segment) -> (form, service)
ANSWERS = {
    "accept": (CustomerAcceptForm, services.quote_customer_accept),
    "reject": (CustomerRejectForm, services.quote_customer_reject),
}


@dataclass(frozen=True)
class Answer:
    """How a customer's answer went: ``refusal`` says why it was refused (409), else errors
    on ``form`` mean it was invalid (400), else it is recorded."""

    kind: str
    form: forms.Form
    refusal: str = ""

    @property
    def recorded(self) -> bool:
        return not self.refusal and not self.form.errors

    @property
    def status(self) -> int:
        if self.refusal:
            return 409
        return 400 if self.form.errors else 200


def can_answer(quote: Quote) -> bool:
    return quote.state == Quote.State.SENT and not quote.is_past_validity()


def quote_answer(*, quote: Quote, kind: str, data, ip=None, channel: str, actor=None) -> Answer:
    """The customer accepts (name, comment) or declines (name, reason) through ``channel``
    ("link" or "portal"). A version that cannot be answered (any more) is refused whatever
    was typed; then the form is checked; then the service, which locks the quote, records
    the answer and tells the owner, refuses a second or late answer just the same."""
    form_class, service = ANSWERS[kind]
    form = form_class(data, prefix=kind)
    if not can_answer(quote):
        return Answer(kind, form, refusal=refusal_text(quote, channel=channel))
    if not form.is_valid():
        return Answer(kind, form)
    try:
        service(quote=quote, actor=actor, ip=ip, channel=channel, **form.cleaned_data)
    except Conflict as error:
        return Answer(kind, form, refusal=refusal_text(quote, channel=channel, error=error))
    except InvalidInput as error:
        apply_domain_error(form, error)
    return Answer(kind, form)


def answer_forms(*, name: str = "", answer: Answer | None = None) -> dict:
    """The context of ``quotes/public/_answer_forms.html``: fresh forms (the customer's name
    filled in when known), the one just posted keeping its input and errors."""
    initial = {"name": name} if name else None
    context = {
        f"{kind}_form": form_class(prefix=kind, initial=initial)
        for kind, (form_class, _service) in ANSWERS.items()
    }
    if answer is not None:
        context[f"{answer.kind}_form"] = answer.form
    return context


def refusal_text(quote: Quote, *, channel: str, error: Conflict | None = None) -> str:
    """Why an answer was refused, in the customer's words (the quote as it is now)."""
    quote.refresh_from_db()
    when = f" on {quote.answered_at:%d %B %Y}" if quote.answered_at else ""
    if quote.state == Quote.State.ACCEPTED:
        return f"This quote was already accepted by {quote.answered_by_name}{when}."
    if quote.state == Quote.State.REJECTED:
        return f"This quote was already declined by {quote.answered_by_name}{when}."
    if channel == "link":
        reason = link_closed_reason(quote)
    elif quote.state == Quote.State.EXPIRED or quote.is_past_validity():
        reason = f"This quote was valid until {quote.valid_until:%d %B %Y}; it cannot be accepted."
    else:
        reason = ""
    return reason or (error or Conflict()).detail
