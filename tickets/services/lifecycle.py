"""A ticket's life: create, update (triage, assignment) and its state moves."""

import datetime

from django.db import transaction
from django.utils import timezone

from sfa.core.access import is_portal_user
from sfa.core.exceptions import ActionForbidden, InvalidInput
from sfa.core.fsm import full_clean, transition_record
from sfa.core.numbering import next_number
from tickets import emails, routing
from tickets.models import Ticket
from tickets.services.rating import _ask_for_rating
from tickets.services.sla import _end_pause, apply_sla

TICKET_FIELDS = {
    "account", "contact", "requester_email", "subject", "description", "channel", "category",
    "product", "priority", "kind", "team", "assignee", "tags",
}  # fmt: skip


def _apply(ticket: Ticket, data: dict) -> None:
    unknown = set(data) - TICKET_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(ticket, name, value)
    if ticket.contact_id and ticket.account_id and ticket.contact.account_id != ticket.account_id:
        raise InvalidInput(fields={"contact": ["This contact belongs to another customer."]})
    if ticket.contact_id and not ticket.account_id:
        ticket.account = ticket.contact.account


def _check_assignment(ticket: Ticket, actor, data: dict) -> None:
    """Only agents holding ``tickets.assign_ticket`` give tickets to others or move teams."""
    if actor is None or actor.has_perm("tickets.assign_ticket"):
        return
    assignee = data.get("assignee", ticket.assignee)
    if "assignee" in data and assignee is not None and assignee != actor:
        raise ActionForbidden("You may take a ticket yourself, not give it to someone else.")
    if "team" in data and data["team"] != ticket.team:
        raise ActionForbidden("Moving a ticket to another team needs a support manager.")


@transaction.atomic
def ticket_create(
    *,
    actor,
    data: dict,
    now: datetime.datetime | None = None,
    acknowledge: bool = True,
    uploads=(),
) -> Ticket:
    """A new ticket with its number and SLA due times, its files (``uploads``), and an
    acknowledgement e-mailed to the customer (unless ``acknowledge`` is false)."""
    now = now or timezone.now()
    ticket = Ticket()
    _apply(ticket, data)
    if not (ticket.subject or "").strip():
        raise InvalidInput(fields={"subject": ["Give the ticket a subject."]})
    ticket.number = next_number(kind="ticket", year=timezone.localdate(now).year)
    apply_sla(ticket, start=now)
    ticket._history_user = actor
    full_clean(ticket)
    ticket.save()
    if now != ticket.created_at:  # a ticket recorded for an earlier moment (e-mail, import)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=now)
        ticket.created_at = now
    routing.route(ticket, actor=actor, now=now)  # a routed team's agent, else its queue
    for upload in uploads:
        emails.attachment_add(
            ticket=ticket,
            upload=upload,
            actor=actor,
            from_customer=actor is None or is_portal_user(actor),
        )
    if acknowledge:
        emails.send_acknowledgement(ticket)
    return ticket


@transaction.atomic
def ticket_update(*, ticket: Ticket, actor, data: dict) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.priority
    before_assignee, before_team = ticket.assignee_id, ticket.team_id
    _check_assignment(ticket, actor, data)
    _apply(ticket, data)
    if ticket.priority != before:  # a new priority: new targets from the creation time
        apply_sla(ticket, start=ticket.created_at)
    ticket._history_user = actor
    full_clean(ticket)
    ticket.save()
    routing.log_reassignment(ticket, before_id=before_assignee, actor=actor)
    if ticket.team_id != before_team:  # moved to a routed team without an assignee
        routing.route(ticket, actor=actor)
    return ticket


# Staff move tickets with ``tickets.change_ticket``; a customer closes and reopens their own
# ticket in the portal (which checked it is theirs): customers hold no staff permission.
CUSTOMER_MOVES = ("close", "reopen")


def _transition(ticket: Ticket, name: str, *, actor, note: str = "", now=None) -> Ticket:
    """The move at ``now`` (default now: an e-mail's date, tests): leaving ``pending`` adds
    the business time spent waiting to the resolution due time; resolving asks for a rating."""
    now = now or timezone.now()

    def end_pause(locked: Ticket) -> None:
        if locked.state == Ticket.State.PENDING:
            _end_pause(locked, now)

    customer = name in CUSTOMER_MOVES and actor is not None and is_portal_user(actor)
    with transaction.atomic():
        locked = transition_record(
            ticket,
            name,
            actor=actor,
            note=note,
            at=now,
            check_permission=not customer,
            related=("sla_policy__calendar",),
            prepare=end_pause,
        )
        if name == "resolve":
            _ask_for_rating(locked)
    return locked


def ticket_open(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "open", actor=actor, note=note, now=now)


def ticket_wait_on_customer(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "wait_on_customer", actor=actor, note=note, now=now)


def ticket_resolve(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "resolve", actor=actor, note=note, now=now)


def ticket_close(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "close", actor=actor, note=note, now=now)


def ticket_reopen(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "reopen", actor=actor, note=note, now=now)
