"""Watchers of a ticket: colleagues who follow it (and may read it, see
``selectors.ticket_visible_to``) and are e-mailed when the customer writes.

Anyone who may read a ticket watches or stops watching it themselves; adding or removing
someone else takes ``tickets.assign_ticket`` or being the ticket's assignee.
"""

from django.conf import settings
from django.db import transaction

from sfa.core.exceptions import ActionForbidden, InvalidInput
from sfa.core.forms import staff_users
from sfa.core.mail import email_queue
from tickets.models import Ticket, TicketComment


def may_manage_watchers(ticket: Ticket, user) -> bool:
    """Whether ``user`` adds and removes other people as watchers of ``ticket``."""
    return user.has_perm("tickets.assign_ticket") or (
        ticket.assignee_id is not None and ticket.assignee_id == user.pk
    )


def _check(ticket: Ticket, actor, user) -> None:
    if user.pk != actor.pk and not may_manage_watchers(ticket, actor):
        raise ActionForbidden(
            "Only a support manager or the ticket's assignee adds or removes other watchers."
        )


@transaction.atomic
def ticket_watch(*, ticket: Ticket, actor, user=None) -> Ticket:
    """``user`` (default: the actor) watches the ticket; watching twice changes nothing."""
    user = user or actor
    _check(ticket, actor, user)
    if not staff_users().filter(pk=user.pk).exists():
        raise InvalidInput(fields={"user": ["Only active staff users watch tickets."]})
    ticket.watchers.add(user)
    return ticket


@transaction.atomic
def ticket_unwatch(*, ticket: Ticket, actor, user=None) -> Ticket:
    """``user`` (default: the actor) stops watching; not watching is no error."""
    user = user or actor
    _check(ticket, actor, user)
    ticket.watchers.remove(user)
    return ticket


def _sender(ticket: Ticket, comment: TicketComment) -> str:
    if comment.from_customer and ticket.contact_id:
        return ticket.contact.full_name or ticket.contact.email or "The customer"
    return comment.author_email or ticket.requester_email or "The customer"


def notify_watchers(ticket: Ticket, comment: TicketComment) -> list:
    """E-mail the watchers and the assignee (each once, never the comment's author) about a
    new comment; call it in the comment's transaction (mail goes after commit).
    Returns the users e-mailed."""
    ticket = Ticket.objects.select_related("assignee", "account", "contact").get(pk=ticket.pk)
    people = {user.pk: user for user in ticket.watchers.filter(is_active=True)}
    if ticket.assignee_id and ticket.assignee.is_active:
        people[ticket.assignee_id] = ticket.assignee
    people.pop(comment.author_id, None)
    sender = _sender(ticket, comment)
    url = f"{settings.SFA_BASE_URL}/tickets/{ticket.pk}/#comment-{comment.pk}"
    notified = []
    for user in sorted(people.values(), key=lambda u: u.pk):
        if not user.email:
            continue
        email_queue(
            kind="tickets.watcher_update",
            to=[user.email],
            template="tickets/emails/watcher_update",
            context={
                "ticket": ticket,
                "comment": comment,
                "sender": sender,
                "recipient": user,
                "is_assignee": user.pk == ticket.assignee_id,
                "url": url,
            },
            related=ticket,
            metadata={"comment": comment.pk, "user": user.pk},
        )
        notified.append(user)
    return notified
