"""The SLA job: warn before a breach, escalate a breach once."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sfa.core.mail import email_queue
from tickets.models import Priority, Ticket
from tickets.notes import ticket_system_note
from tickets.services.sla import sla_status

PRIORITY_STEPS = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]


def _recipients_for_warning(ticket: Ticket) -> list[str]:
    if ticket.assignee_id and ticket.assignee.email:
        return [ticket.assignee.email]
    if ticket.team_id:
        return [m.email for m in ticket.team.members.filter(is_active=True) if m.email]
    return []


def _recipients_for_breach(ticket: Ticket) -> list[str]:
    people = set(_recipients_for_warning(ticket))
    if ticket.team_id and ticket.team.manager_id and ticket.team.manager.email:
        people.add(ticket.team.manager.email)
    return sorted(people)


def _notify(ticket: Ticket, target: str, kind: str, to: list[str], due) -> None:
    if not to:
        return
    email_queue(
        kind=f"tickets.sla_{kind}",
        to=to,
        template=f"tickets/emails/sla_{kind}",
        context={
            "ticket": ticket,
            "target": "first response" if target == "first_response" else "resolution",
            "due": due,
            "url": f"{settings.SFA_BASE_URL}/tickets/{ticket.pk}/",
        },
        related=ticket,
    )


def _escalate(ticket: Ticket, target: str, now) -> None:
    """Once per breach: tell the team's manager, and apply the policy's escalation."""
    policy = ticket.sla_policy
    changes = {}
    notes = [f"SLA breached: {target.replace('_', ' ')} was due {ticket_due(ticket, target)}."]
    if policy.raise_priority_on_breach and ticket.priority != Priority.URGENT:
        higher = PRIORITY_STEPS[PRIORITY_STEPS.index(ticket.priority) + 1]
        changes["priority"] = higher
        notes.append(f"Priority raised to {higher}.")
    if policy.reassign_on_breach_to_id and ticket.assignee_id != policy.reassign_on_breach_to_id:
        changes["assignee_id"] = policy.reassign_on_breach_to_id
        notes.append(f"Reassigned to {policy.reassign_on_breach_to}.")
    if changes:
        Ticket.objects.filter(pk=ticket.pk).update(**changes)
    ticket_system_note(ticket, " ".join(notes), now)
    _notify(ticket, target, "breach", _recipients_for_breach(ticket), ticket_due(ticket, target))


def ticket_due(ticket: Ticket, target: str):
    return ticket.first_response_due if target == "first_response" else ticket.resolution_due


def check_slas(now: datetime.datetime | None = None) -> dict[str, int]:
    """Warn when a target is at risk and escalate when it is breached — each once per ticket
    and target (a conditional update claims the mark, so parallel runs cannot both act)."""
    now = now or timezone.now()
    counts = {"warned": 0, "escalated": 0}
    open_tickets = (
        Ticket.objects.filter(state__in=[Ticket.State.NEW, Ticket.State.OPEN, Ticket.State.PENDING])
        .filter(sla_policy__isnull=False)
        .select_related("sla_policy__calendar", "team__manager", "assignee")
    )
    schedules: dict = {}
    for ticket in open_tickets:
        status = sla_status(ticket, now=now, schedules=schedules)
        for target in ("first_response", "resolution"):
            state = status[target]
            if state == "breached":
                mark = f"{target}_breached_at"
                claimed = Ticket.objects.filter(pk=ticket.pk, **{f"{mark}__isnull": True}).update(
                    **{mark: now}
                )
                if claimed:
                    with transaction.atomic():
                        _escalate(ticket, target, now)
                    counts["escalated"] += 1
            elif state == "at_risk":
                mark = f"{target}_warned_at"
                claimed = Ticket.objects.filter(pk=ticket.pk, **{f"{mark}__isnull": True}).update(
                    **{mark: now}
                )
                if claimed:
                    _notify(
                        ticket, target, "warning", _recipients_for_warning(ticket),
                        ticket_due(ticket, target),
                    )  # fmt: skip
                    counts["warned"] += 1
    return counts


# The customer's rating -------------------------------------------------------------------------
