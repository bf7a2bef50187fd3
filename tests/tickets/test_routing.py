"""Routing a team's tickets: round-robin or least-open among available agents, the team queue
otherwise; notes for automatic and manual assignment; availability and the teams page."""

import re
import threading

import pytest
from django.db import connection

from sfa.core.access import Role
from sfa.core.exceptions import ActionForbidden
from tests import factories
from tickets import routing, services
from tickets.models import AgentStatus, TeamRouting, Ticket, TicketComment

pytestmark = pytest.mark.django_db


def agent(username, role=Role.SUPPORT_AGENT, **extra):
    return factories.UserFactory(username=username, role=role, **extra)


@pytest.fixture
def agents(db):
    """Three support agents, in id order."""
    return [agent("ann"), agent("ben"), agent("cid")]


@pytest.fixture
def team_of_three(agents):
    """The Support team of ann, ben and cid (agent1 is not in it)."""
    team = factories.TeamFactory(name="Support")
    team.members.add(*agents)
    return team


def routed(team, mode, **extra):
    return TeamRouting.objects.create(team=team, mode=mode, **extra)


def new_ticket(team, actor=None, **data):
    return services.ticket_create(actor=actor, data={"subject": "Help", "team": team, **data})


def assignees(tickets):
    return [t.assignee.username if t.assignee_id else None for t in tickets]


def away(user):
    AgentStatus.objects.create(user=user, is_available=False)


# Round-robin -------------------------------------------------------------------------------------


def test_round_robin_takes_turns_and_wraps(team_of_three):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    tickets = [new_ticket(team_of_three) for _ in range(4)]
    assert assignees(tickets) == ["ann", "ben", "cid", "ann"]


def test_round_robin_skips_away_agents(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    away(agents[1])
    assert assignees([new_ticket(team_of_three) for _ in range(3)]) == ["ann", "cid", "ann"]


def test_round_robin_skips_agents_at_their_limit(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN, max_open_per_agent=1)
    new_ticket(factories.TeamFactory(), assignee=agents[0])  # ann has one open already
    assert assignees([new_ticket(team_of_three), new_ticket(team_of_three)]) == ["ben", "cid"]


def test_round_robin_remembers_the_last_agent(team_of_three, agents):
    routing_row = routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    new_ticket(team_of_three)
    routing_row.refresh_from_db()
    assert routing_row.last_assigned == agents[0]


def test_inactive_and_non_support_members_get_nothing(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    agents[0].is_active = False
    agents[0].save()
    team_of_three.members.add(agent("aaron-rep", role=Role.SALES_REP))
    assert assignees([new_ticket(team_of_three), new_ticket(team_of_three)]) == ["ben", "cid"]


def test_support_managers_in_the_team_take_turns_too(team_of_three):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    team_of_three.members.add(agent("dora", role=Role.SUPPORT_MANAGER))
    assert assignees([new_ticket(team_of_three) for _ in range(4)]) == ["ann", "ben", "cid", "dora"]


# Least open -------------------------------------------------------------------------------------


def test_least_open_picks_the_agent_with_the_fewest_open_tickets(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.LEAST_OPEN)
    other = factories.TeamFactory()
    for user, count in zip(agents, (2, 0, 1), strict=True):
        for _ in range(count):
            new_ticket(other, assignee=user)
    assert new_ticket(team_of_three).assignee == agents[1]


def test_least_open_counts_only_open_tickets(team_of_three, agents, support_agent):
    routed(team_of_three, TeamRouting.Mode.LEAST_OPEN)
    other = factories.TeamFactory()
    for user in (agents[1], agents[2]):
        new_ticket(other, assignee=user)
    for _ in range(2):
        done = new_ticket(other, assignee=agents[0])
        services.ticket_resolve(ticket=done, actor=support_agent)
    assert new_ticket(team_of_three).assignee == agents[0]


def test_least_open_ties_go_to_the_agent_assigned_least_recently(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.LEAST_OPEN)
    other = factories.TeamFactory()
    for user in reversed(agents):  # one open ticket each; cid's is the oldest assignment
        new_ticket(other, assignee=user)
    assert new_ticket(team_of_three).assignee == agents[2]


def test_least_open_ties_without_history_go_to_the_lowest_id(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.LEAST_OPEN)
    assert new_ticket(team_of_three).assignee == agents[0]


def test_least_open_skips_away_agents(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.LEAST_OPEN)
    away(agents[0])
    assert new_ticket(team_of_three).assignee == agents[1]


# The queue, notes ---------------------------------------------------------------------------------


def test_a_manual_team_keeps_the_ticket_in_its_queue(team_of_three):
    routed(team_of_three, TeamRouting.Mode.MANUAL)
    assert new_ticket(team_of_three).assignee is None


def test_a_team_without_routing_keeps_the_ticket_in_its_queue(team_of_three):
    assert new_ticket(team_of_three).assignee is None


def test_nobody_available_leaves_the_ticket_unassigned(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    for user in agents:
        away(user)
    ticket = new_ticket(team_of_three)
    assert ticket.assignee is None
    assert not ticket.comments.exists()


def test_an_explicit_assignee_is_kept(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    assert new_ticket(team_of_three, assignee=agents[2]).assignee == agents[2]


def test_routing_writes_a_system_note(team_of_three, agents):
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    ticket = new_ticket(team_of_three)
    note = ticket.comments.get()
    expected = f"Assigned to {agents[0].get_full_name()} (round-robin in team Support)."
    assert (note.body, note.via, note.is_public, note.author) == (expected, "system", False, None)


def test_moving_a_ticket_to_a_routed_team_assigns_it(team_of_three, agents, support_agent):
    manager = agent("boss", role=Role.SUPPORT_MANAGER)
    routed(team_of_three, TeamRouting.Mode.LEAST_OPEN)
    ticket = services.ticket_create(actor=support_agent, data={"subject": "Help"})
    services.ticket_update(ticket=ticket, actor=manager, data={"team": team_of_three})
    assert Ticket.objects.get(pk=ticket.pk).assignee == agents[0]
    assert "fewest open tickets in team Support" in ticket.comments.get().body


def test_manual_reassignment_writes_a_note(agents, support_agent):
    manager = agent("boss", role=Role.SUPPORT_MANAGER)
    ticket = services.ticket_create(
        actor=support_agent, data={"subject": "Help", "assignee": agents[0]}
    )
    services.ticket_update(ticket=ticket, actor=manager, data={"assignee": agents[1]})
    note = ticket.comments.get()
    assert note.body == (
        f"Reassigned from {agents[0].get_full_name()} to {agents[1].get_full_name()} "
        f"by {manager.get_full_name()}."
    )
    assert (note.via, note.is_public) == ("system", False)


def test_taking_a_ticket_is_noted(support_agent):
    ticket = services.ticket_create(actor=support_agent, data={"subject": "Help"})
    services.ticket_update(ticket=ticket, actor=support_agent, data={"assignee": support_agent})
    assert ticket.comments.get().body == f"Taken by {support_agent.get_full_name()}."


def test_saving_without_changing_the_assignee_writes_no_note(support_agent):
    ticket = services.ticket_create(
        actor=support_agent, data={"subject": "Help", "assignee": support_agent}
    )
    services.ticket_update(ticket=ticket, actor=support_agent, data={"priority": "high"})
    assert not TicketComment.objects.filter(ticket=ticket).exists()


# Availability -------------------------------------------------------------------------------------


def test_an_agent_sets_themselves_away_on_my_queue(client_for, agents):
    client = client_for(agents[0])
    assert "Set away" in client.get("/tickets/queue/").content.decode()
    response = client.post("/tickets/availability/", {"is_available": "0"})
    assert response.status_code == 302
    assert routing.agent_is_available(agents[0]) is False
    assert "Set available" in client.get("/tickets/queue/").content.decode()


def test_an_agent_cannot_set_someone_else_away(agents):
    with pytest.raises(ActionForbidden):
        routing.agent_availability_set(agent=agents[1], is_available=False, actor=agents[0])
    assert routing.agent_is_available(agents[1]) is True


def test_an_agent_posting_someone_elses_availability_is_403(client_for, agents):
    response = client_for(agents[0]).post(
        "/tickets/availability/", {"is_available": "0", "user": agents[1].pk}
    )
    assert response.status_code == 403
    assert not AgentStatus.objects.exists()


def test_api_availability(api_for, agents):
    client = api_for(agents[0])
    assert client.get("/api/v1/tickets/availability/").json() == {"is_available": True}
    response = client.post("/api/v1/tickets/availability/", {"is_available": False}, format="json")
    assert response.json() == {"is_available": False}


# The teams page ---------------------------------------------------------------------------------


def test_support_manager_sees_the_teams_agents_open_counts_and_availability(
    client_for, team_of_three, agents
):
    manager = agent("boss", role=Role.SUPPORT_MANAGER)
    new_ticket(team_of_three, assignee=agents[0])
    away(agents[2])
    html = client_for(manager).get("/tickets/teams/").content.decode()
    assert re.search(r"@ann</small></td>\s*<td>1</td>", html)
    assert html.count("badge-archived") == 1  # cid is away


def test_support_manager_sets_an_agent_away(client_for, agents):
    manager = agent("boss", role=Role.SUPPORT_MANAGER)
    client_for(manager).post(
        "/tickets/availability/", {"is_available": "0", "user": agents[1].pk, "next": "teams"}
    )
    assert routing.agent_is_available(agents[1]) is False


def test_support_manager_changes_the_routing_mode(client_for, team_of_three):
    manager = agent("boss", role=Role.SUPPORT_MANAGER)
    response = client_for(manager).post(
        f"/tickets/teams/{team_of_three.pk}/routing/",
        {"mode": "least_open", "max_open_per_agent": "5"},
    )
    assert response.status_code == 302
    saved = TeamRouting.objects.get(team=team_of_three)
    assert (saved.mode, saved.max_open_per_agent) == ("least_open", 5)


def test_agents_cannot_open_the_teams_page(client_for, agents):
    assert client_for(agents[0]).get("/tickets/teams/").status_code == 403


# Concurrency ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_tickets_take_turns(team_of_three):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    routed(team_of_three, TeamRouting.Mode.ROUND_ROBIN)
    barrier, errors = threading.Barrier(2), []

    def create():
        try:
            barrier.wait(timeout=10)
            new_ticket(team_of_three)
        except Exception as error:  # any failure fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(assignees(Ticket.objects.all())) == ["ann", "ben"]
