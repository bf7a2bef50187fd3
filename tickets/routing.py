"""Who works a ticket: a team's queue, and routing to one of its agents.

A ticket with a team and no assignee goes to an agent when the team's :class:`TeamRouting`
says so (else it waits in the team's queue, "My queue" of every member):

- round-robin: the next agent after the last one served, in a stable order (user id), under a
  lock of the routing row, so parallel tickets take turns;
- least-open: the agent with the fewest tickets in an open state (new, open, pending); ties go
  to the one whose tickets changed least recently (the tickets' history), then the lowest id.

Candidates are the team's active members in a support role (agent or manager) who are
available (no :class:`AgentStatus` row means available) and below the team's
``max_open_per_agent``. Nobody left: the ticket stays unassigned in the team's queue.
Every automatic assignment and every manual reassignment is written as a system note.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from sfa.core.access import Role
from sfa.core.exceptions import ActionForbidden, InvalidInput
from sfa.core.models import Team
from sfa.core.rotation import next_in_turn
from tickets.models import AgentStatus, TeamRouting, Ticket, TicketComment
from tickets.notes import ticket_system_note

SUPPORT_ROLES = (Role.SUPPORT_AGENT.value, Role.SUPPORT_MANAGER.value)
HOW = {
    TeamRouting.Mode.ROUND_ROBIN: "round-robin",
    TeamRouting.Mode.LEAST_OPEN: "fewest open tickets",
}


def display_name(user) -> str:
    return user.get_full_name() or user.username


def _open_tickets():
    counted = (
        Ticket.objects.filter(assignee=OuterRef("pk"), state__in=Ticket.OPEN_STATES)
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def support_members(team_id: int) -> QuerySet:
    """The team's active members in a support role, each with ``open_tickets`` and
    ``is_available``."""
    users = get_user_model().objects
    support = users.filter(groups__name__in=SUPPORT_ROLES).values("pk")
    return (
        users.filter(teams__id=team_id, is_active=True, contact__isnull=True, pk__in=support)
        .annotate(
            open_tickets=_open_tickets(),
            is_available=Coalesce(
                F("support_status__is_available"), Value(True), output_field=BooleanField()
            ),
        )
        .order_by("pk")
    )


def candidates(routing: TeamRouting) -> QuerySet:
    """Who may get the team's next ticket: available and below the limit."""
    agents = support_members(routing.team_id).filter(
        Q(support_status__isnull=True) | Q(support_status__is_available=True)
    )
    if routing.max_open_per_agent is not None:
        agents = agents.filter(open_tickets__lt=routing.max_open_per_agent)
    return agents


def _round_robin(routing: TeamRouting):
    return next_in_turn(candidates(routing), last_id=routing.last_assigned_id)


def _least_open(routing: TeamRouting):
    changed = (
        Ticket.history.model.objects.filter(assignee=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return (
        candidates(routing)
        .annotate(last_changed=Subquery(changed))
        .order_by("open_tickets", F("last_changed").asc(nulls_first=True), "pk")
        .first()
    )


PICKERS = {TeamRouting.Mode.ROUND_ROBIN: _round_robin, TeamRouting.Mode.LEAST_OPEN: _least_open}


def route(ticket: Ticket, *, actor=None, now=None):
    """Give an unassigned ticket of a routed team to an agent (saved, with a system note);
    returns the agent, or None when it stays in the team's queue. Call it with the saved
    ticket, inside the transaction that created or changed it."""
    if not ticket.team_id or ticket.assignee_id:
        return None
    with transaction.atomic():
        routing = (
            TeamRouting.objects.select_for_update(of=("self",))
            .select_related("team")
            .filter(team_id=ticket.team_id)
            .first()
        )
        if routing is None or routing.mode not in PICKERS:
            return None
        agent = PICKERS[routing.mode](routing)
        if agent is None:
            return None
        routing.last_assigned = agent
        routing.save(update_fields=["last_assigned"])
        ticket.assignee = agent
        ticket._history_user = actor
        ticket.save(update_fields=["assignee", "updated_at"])
        ticket_system_note(
            ticket,
            f"Assigned to {display_name(agent)} ({HOW[routing.mode]} in team {routing.team}).",
            at=now,
        )
    return agent


def log_reassignment(ticket: Ticket, *, before_id: int | None, actor) -> TicketComment | None:
    """A system note when a person changes the assignee (the history has the field change;
    the note puts it into the conversation)."""
    if actor is None or ticket.assignee_id == before_id:
        return None
    people = get_user_model().objects.in_bulk([pk for pk in (before_id, ticket.assignee_id) if pk])
    before, after = people.get(before_id), people.get(ticket.assignee_id)
    by = display_name(actor)
    if before is not None and after is not None:
        text = f"Reassigned from {display_name(before)} to {display_name(after)} by {by}."
    elif after is not None:
        text = (
            f"Taken by {by}."
            if after.pk == actor.pk
            else f"Assigned to {display_name(after)} by {by}."
        )
    else:
        text = f"Unassigned from {display_name(before)} by {by}."
    return ticket_system_note(ticket, text)


# Availability and the teams' settings --------------------------------------------------------


def agent_is_available(user) -> bool:
    status = AgentStatus.objects.filter(user_id=user.pk).values_list("is_available", flat=True)
    return next(iter(status), True)


@transaction.atomic
def agent_availability_set(*, agent, is_available: bool, actor) -> AgentStatus:
    """An agent is available for routing or away; others' status is the manager's."""
    if actor.pk != agent.pk and not actor.has_perm("tickets.assign_ticket"):
        raise ActionForbidden("Only a support manager sets another agent's availability.")
    status, _created = AgentStatus.objects.update_or_create(
        user=agent, defaults={"is_available": bool(is_available)}
    )
    return status


@transaction.atomic
def team_routing_set(
    *, team: Team, mode: str, max_open_per_agent: int | None, actor
) -> TeamRouting:
    if not actor.has_perm("tickets.change_teamrouting"):
        raise ActionForbidden("Only a support manager changes how a team's tickets are routed.")
    if mode not in TeamRouting.Mode.values:
        raise InvalidInput(fields={"mode": ["Choose manual, round-robin or least-open."]})
    if max_open_per_agent is not None and max_open_per_agent < 1:
        raise InvalidInput(fields={"max_open_per_agent": ["At least 1, or empty for no limit."]})
    routing, _created = TeamRouting.objects.select_for_update().get_or_create(team=team)
    routing.mode, routing.max_open_per_agent = mode, max_open_per_agent
    routing.save(update_fields=["mode", "max_open_per_agent"])
    return routing


def support_teams():
    """Teams with at least one member in a support role."""
    support = get_user_model().objects.filter(groups__name__in=SUPPORT_ROLES).values("pk")
    return Team.objects.filter(members__in=support).distinct().order_by("name")
