"""Writes of tickets: open, reply, move through the states, keep the SLA clock.

The SLA clock counts business time on the policy's calendar. Waiting on the customer
(``pending``) pauses it: when the ticket leaves ``pending`` the business minutes spent there
are added to the resolution due time. The first public reply by staff meets the
first-response target.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from sfa.core.exceptions import InvalidInput
from sfa.core.fsm import ensure_transition, full_clean, log_transition, transition_record
from sfa.core.numbering import next_number
from tickets.business_hours import add_business_minutes, business_minutes_between
from tickets.models import SlaPolicy, Ticket, TicketComment

TICKET_FIELDS = {
    "account", "contact", "requester_email", "subject", "description", "channel", "category",
    "product", "priority", "kind", "team", "assignee", "tags",
}  # fmt: skip
AT_RISK_SHARE = 0.25  # less than a quarter of the target left: at risk


def policy_for(ticket: Ticket) -> SlaPolicy | None:
    """The customer group's policy for the priority, else the general one."""
    policies = SlaPolicy.objects.filter(is_active=True, priority=ticket.priority).select_related(
        "calendar"
    )
    group_id = ticket.account.group_id if ticket.account_id else None
    if group_id:
        found = policies.filter(customer_group_id=group_id).first()
        if found is not None:
            return found
    return policies.filter(customer_group__isnull=True).first()


def apply_sla(ticket: Ticket, *, start: datetime.datetime | None = None) -> None:
    """Set the policy and due times from ``start`` (the ticket's creation)."""
    policy = policy_for(ticket)
    ticket.sla_policy = policy
    if policy is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    schedule = policy.calendar.schedule()
    start = start or ticket.created_at or timezone.now()
    ticket.first_response_due = add_business_minutes(schedule, start, policy.first_response_minutes)
    due = add_business_minutes(schedule, start, policy.resolution_minutes)
    if ticket.paused_minutes:
        due = add_business_minutes(schedule, due, ticket.paused_minutes)
    ticket.resolution_due = due


def _end_pause(ticket: Ticket, now: datetime.datetime) -> None:
    """Leaving ``pending``: the business time spent waiting moves the resolution due time."""
    if ticket.paused_since is None:
        return
    if ticket.sla_policy_id and ticket.resolution_due:
        schedule = ticket.sla_policy.calendar.schedule()
        paused = business_minutes_between(schedule, ticket.paused_since, now)
        ticket.paused_minutes += paused
        ticket.resolution_due = add_business_minutes(schedule, ticket.resolution_due, paused)
    ticket.paused_since = None


def sla_status(ticket: Ticket, now: datetime.datetime | None = None) -> dict[str, str]:
    """``{"first_response": …, "resolution": …}``, each "met", "on_track", "at_risk",
    "breached", "paused" or "none"."""
    now = now or timezone.now()
    policy = ticket.sla_policy

    def judge(due, done_at, target_minutes, paused=False):
        if due is None or policy is None:
            return "none"
        if done_at is not None:
            return "met" if done_at <= due else "breached"
        if paused:
            return "paused"
        if now > due:
            return "breached"
        left = business_minutes_between(policy.calendar.schedule(), now, due)
        return "at_risk" if left < target_minutes * AT_RISK_SHARE else "on_track"

    if policy is None:
        return {"first_response": "none", "resolution": "none"}
    return {
        "first_response": judge(
            ticket.first_response_due, ticket.first_responded_at, policy.first_response_minutes
        ),
        "resolution": judge(
            ticket.resolution_due,
            ticket.resolved_at,
            policy.resolution_minutes,
            paused=ticket.state == Ticket.State.PENDING,
        ),
    }


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


@transaction.atomic
def ticket_create(*, actor, data: dict, now: datetime.datetime | None = None) -> Ticket:
    """A new ticket with its number and SLA due times."""
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
    return ticket


@transaction.atomic
def ticket_update(*, ticket: Ticket, actor, data: dict) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.priority
    _apply(ticket, data)
    if ticket.priority != before:  # a new priority: new targets from the creation time
        apply_sla(ticket, start=ticket.created_at)
    ticket._history_user = actor
    full_clean(ticket)
    ticket.save()
    return ticket


def _transition(ticket: Ticket, name: str, *, actor, note: str = "", now=None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update(of=("self",)).select_related(
            "sla_policy__calendar"
        )
        locked = locked.get(pk=ticket.pk)
        source = locked.state
        method = getattr(locked, name)
        ensure_transition(method, actor)
        if source == Ticket.State.PENDING:
            _end_pause(locked, now)
        method()
        if name == "wait_on_customer":
            locked.paused_since = now
        locked._history_user = actor
        locked.save()
        log_transition(locked, actor=actor, source=source, transition=name, note=note)
    return locked


def ticket_open(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "open", actor=actor, note=note, now=now)


def ticket_wait_on_customer(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "wait_on_customer", actor=actor, note=note, now=now)


def ticket_resolve(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "resolve", actor=actor, note=note, now=now)


def ticket_close(*, ticket, actor, note: str = "") -> Ticket:
    return transition_record(ticket, "close", actor=actor, note=note)


def ticket_reopen(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "reopen", actor=actor, note=note, now=now)


@transaction.atomic
def ticket_reply(
    *, ticket: Ticket, actor, body: str, public: bool = True, now=None
) -> TicketComment:
    """A staff reply (public) or internal note. The first public reply meets the first-response
    target; a new ticket becomes open."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    comment = TicketComment.objects.create(
        ticket=ticket, author=actor, body=body, is_public=public, created_at=now
    )
    if public and ticket.first_responded_at is None:
        Ticket.objects.filter(pk=ticket.pk).update(first_responded_at=now)
    if public and ticket.state == Ticket.State.NEW:
        _transition(ticket, "open", actor=actor, note="first reply", now=now)
    return comment


@transaction.atomic
def customer_reply(*, ticket: Ticket, body: str, contact=None, now=None) -> TicketComment:
    """The customer writes: a pending ticket reopens (its SLA clock runs again)."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    comment = TicketComment.objects.create(
        ticket=ticket, body=body, from_customer=True, is_public=True, created_at=now
    )
    if ticket.state == Ticket.State.PENDING:
        _transition(ticket, "open", actor=None, note="customer replied", now=now)
    return comment
