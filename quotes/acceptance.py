"""The customer's side of a sent quote: the signed link, and the owner's notice of the answer.

A link carries the quote's id and version, signed with ``django.core.signing`` (salt
``quotes.accept``). It authorises that one version, and only while the quote is valid: there
is no fixed age; ``valid_until`` decides, checked on every request. A superseded version's
link says so and leads nowhere else (the next version is sent with a link of its own).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from quotes.models import Quote
from sfa.core.exceptions import RecordNotFound
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
