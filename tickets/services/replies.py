"""The conversation: agents' replies, customers' replies (reopen or follow-up), bounced mail."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from sfa.core.exceptions import InvalidInput
from tickets import emails, mentions
from tickets.models import Ticket, TicketComment
from tickets.notes import ticket_system_note
from tickets.services.lifecycle import _transition, ticket_create
from tickets.watching import notify_watchers


def _notify_mentions(comment: TicketComment) -> None:
    """``@username`` in a reply or note: the colleague watches the ticket and is e-mailed once."""
    mentions.notify_mentions(comment)


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    actor,
    body: str,
    public: bool = True,
    now=None,
    via: str = TicketComment.Via.WEB,
    uploads=(),
    notify_customer: bool = True,
) -> TicketComment:
    """A staff reply (public, e-mailed to the customer with its files) or internal note. The
    first public reply meets the first-response target; a new ticket becomes open."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    comment = TicketComment.objects.create(
        ticket=ticket, author=actor, body=body, is_public=public, created_at=now, via=via
    )
    _notify_mentions(comment)
    for upload in uploads:
        emails.attachment_add(ticket=ticket, upload=upload, comment=comment, actor=actor)
    if public and notify_customer:
        emails.send_public_reply(comment, actor=actor)
    if public and ticket.first_responded_at is None:
        Ticket.objects.filter(pk=ticket.pk).update(first_responded_at=now)
    if public and ticket.state == Ticket.State.NEW:
        _transition(ticket, "open", actor=actor, note="first reply", now=now)
    return comment


@transaction.atomic
def customer_reply(
    *,
    ticket: Ticket,
    body: str,
    contact=None,
    now=None,
    via: str = TicketComment.Via.PORTAL,
    author_email: str = "",
    uploads=(),
) -> TicketComment:
    """The customer writes (portal or e-mail, with files): a pending ticket reopens (its SLA
    clock runs again), a resolved or closed one opens again."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.merged_into_id:  # a merged duplicate: the conversation goes on in its target
        ticket = Ticket.objects.select_for_update().get(pk=ticket.merged_into_id)
    comment = TicketComment.objects.create(
        ticket=ticket,
        body=body,
        from_customer=True,
        is_public=True,
        created_at=now,
        via=via,
        author_email=author_email[:254],
    )
    for upload in uploads:
        emails.attachment_add(
            ticket=ticket, upload=upload, comment=comment, actor=None, from_customer=True
        )
    if ticket.state == Ticket.State.PENDING:
        _transition(ticket, "open", actor=None, note="customer replied", now=now)
    elif ticket.state in (Ticket.State.RESOLVED, Ticket.State.CLOSED):
        _transition(ticket, "reopen", actor=None, note="customer replied", now=now)
    notify_watchers(ticket, comment)
    return comment


# Follow-ups of closed tickets -------------------------------------------------------------------


def closed_for_replies(ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    """Closed longer than ``SFA_TICKET_REOPEN_DAYS`` ago: the customer's next message opens a
    follow-up ticket linked to this one instead of reopening it."""
    now = now or timezone.now()
    window = datetime.timedelta(days=settings.SFA_TICKET_REOPEN_DAYS)
    return (
        ticket.state == Ticket.State.CLOSED
        and ticket.closed_at is not None
        and ticket.closed_at < now - window
    )


def link_follow_up(ticket: Ticket, previous: Ticket, now: datetime.datetime | None = None) -> None:
    """Mark ``ticket`` as the follow-up of the closed ``previous`` (with a note for agents)."""
    now = now or timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_of=previous)
    ticket.follow_up_of = previous
    closed = f" (closed on {timezone.localtime(previous.closed_at):%Y-%m-%d})"
    ticket_system_note(
        ticket,
        f"Follow-up of {previous.number}{closed if previous.closed_at else ''}: "
        "the customer wrote about it again.",
        now,
    )


@transaction.atomic
def ticket_follow_up(
    *, previous: Ticket, actor, body: str, contact=None, uploads=(), now=None
) -> Ticket:
    """The customer writes about a ticket closed long ago (portal): a new ticket with the
    message, linked to the old one, acknowledged."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    contact = contact or previous.contact
    data = {
        "subject": previous.subject,
        "description": body,
        "channel": Ticket.Channel.PORTAL,
        "account": previous.account,
        "contact": contact,
        "requester_email": previous.requester_email,
        "category": previous.category,
        "product": previous.product,
        "kind": previous.kind,
    }
    ticket = ticket_create(actor=actor, data=data, now=now, uploads=uploads)
    link_follow_up(ticket, previous, now)
    return ticket


# The SLA job ---------------------------------------------------------------------------------


def ticket_email_bounced(*, email) -> None:
    """An outbox e-mail about a ticket bounced: the agents see it on the ticket."""
    if email.content_type_id != ContentType.objects.get_for_model(Ticket).pk:
        return
    ticket = Ticket.objects.filter(pk=email.object_id).first()
    if ticket is None:
        return
    ticket_system_note(
        ticket,
        f'The e-mail "{email.subject}" to {", ".join(email.to)} bounced: '
        f"{email.last_error}. Check the customer's address.",
    )
