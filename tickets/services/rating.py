"""The customer's rating of a resolved ticket (signed link, portal)."""

from django.conf import settings
from django.core import signing
from django.db import transaction

from sfa.core.exceptions import Conflict, InvalidInput
from sfa.core.mail import email_queue
from tickets.models import Ticket, TicketRating

RATING_SALT = "tickets.rating"


def rating_token(ticket: Ticket) -> str:
    return signing.dumps({"t": ticket.pk}, salt=RATING_SALT)


def ticket_from_rating_token(token: str) -> Ticket | None:
    try:
        payload = signing.loads(token, salt=RATING_SALT, max_age=RATING_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(pk=payload.get("t")).first()


RATING_LINK_DAYS = 30


def _ask_for_rating(ticket: Ticket) -> None:
    """On resolve: the customer gets a signed link to rate the help (1–5 and a comment)."""
    to = (ticket.contact.email if ticket.contact_id else "") or ticket.requester_email
    if not to or hasattr(ticket, "rating"):
        return
    email_queue(
        kind="tickets.rating_request",
        to=[to],
        template="tickets/emails/rating_request",
        context={
            "ticket": ticket,
            "url": f"{settings.SFA_BASE_URL}/rate/{rating_token(ticket)}/",
            "days": RATING_LINK_DAYS,
        },
        related=ticket,
    )


@transaction.atomic
def ticket_rate(*, ticket: Ticket, score, comment: str = "", channel: str = "link") -> TicketRating:
    """Single use: a second rating is a 409; only resolved or closed tickets are rated."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.state not in (Ticket.State.RESOLVED, Ticket.State.CLOSED):
        raise Conflict("Only a resolved ticket can be rated.", code="ticket_not_resolved")
    if TicketRating.objects.filter(ticket=ticket).exists():
        raise Conflict("This ticket has been rated already.", code="already_rated")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise InvalidInput(fields={"score": ["Choose 1 to 5 stars."]})
    return TicketRating.objects.create(
        ticket=ticket, score=score, comment=comment.strip()[:5000], channel=channel
    )
