"""Canned responses: merge fields (a whitelist, unknown ones left visible and reported),
who may use which (everyone's, a team's, one's own), inserting one into a reply (counted),
the agents' page, the admin and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tickets import canned, services
from tickets.models import CannedResponse

pytestmark = pytest.mark.django_db
API = "/api/v1/tickets/canned-responses/"


@pytest.fixture
def other_team(agent2):
    team = factories.TeamFactory(name="Key accounts")
    team.members.add(agent2)
    return team


@pytest.fixture
def responses(support_agent, agent2, team, other_team):
    """One of each kind: everyone's, agent1's team's, another team's, agent1's own,
    agent2's own, and an inactive shared one."""

    def make(title, **kwargs):
        return CannedResponse.objects.create(title=title, body=f"{title} body", **kwargs)

    return {
        "shared": make("Shared"),
        "team": make("Team", team=team),
        "other_team": make("Other team", team=other_team),
        "mine": make("Mine", owner=support_agent),
        "theirs": make("Theirs", owner=agent2),
        "inactive": make("Inactive", is_active=False),
    }


def render(body, ticket, agent):
    return canned.merge(body, ticket=ticket, agent=agent)


# Merge fields -----------------------------------------------------------------------------------


def test_merge_fills_contact_account_ticket_and_agent_fields(ticket, support_agent, account):
    support_agent.first_name, support_agent.last_name = "Alex", "Agent"
    body = (
        "Hi {{ contact.first_name }} ({{ contact.name }}, {{ contact.email }}) of "
        "{{ account.name }}: {{ ticket.number }} “{{ ticket.subject }}”. "
        "{{ agent.first_name }} / {{ agent.name }} / {{ agent.email }}"
    )
    assert render(body, ticket, support_agent).text == (
        f"Hi Greta (Greta Holm, greta@holm.example) of {account.name}: {ticket.number} "
        "“Spindle gets very hot”. Alex / Alex Agent / agent1@staff.example"
    )


def test_unknown_field_is_left_visible_and_reported(ticket, support_agent):
    merged = render(
        "Hi {{ contact.firstname }}, {{ agent.name }} {{ contact.firstname }}",
        ticket,
        support_agent,
    )
    assert merged.text.startswith("Hi {{ contact.firstname }}, ")
    assert merged.unknown_fields == ["contact.firstname"]


def test_fields_without_spaces_are_filled_too(ticket, support_agent):
    assert render("{{contact.first_name}}!", ticket, support_agent).text == "Greta!"


def test_merge_does_not_reach_attributes_beyond_the_whitelist(ticket, support_agent):
    merged = render("{{ agent.password }} {{ ticket.account.owner.email }}", ticket, support_agent)
    assert merged.text == "{{ agent.password }} {{ ticket.account.owner.email }}"
    assert merged.unknown_fields == ["agent.password", "ticket.account.owner.email"]


def test_filled_in_values_are_not_merged_again(support_agent, account, contact):
    ticket = services.ticket_create(
        actor=support_agent,
        data={"subject": "About {{ agent.email }}", "account": account, "contact": contact},
    )
    assert render("{{ ticket.subject }}", ticket, support_agent).text == "About {{ agent.email }}"


def test_greeting_falls_back_to_there_without_a_contact(support_agent, account):
    ticket = services.ticket_create(
        actor=support_agent, data={"subject": "Noise", "account": account}
    )
    merged = render("Hi {{ contact.first_name }}, dear {{ contact.name }}.", ticket, support_agent)
    assert merged.text == "Hi there, dear customer."


def test_empty_fields_become_empty_text(support_agent):
    ticket = services.ticket_create(actor=support_agent, data={"subject": "No customer"})
    assert render("[{{ account.name }}][{{ contact.last_name }}]", ticket, support_agent).text == (
        "[][]"
    )


def test_render_canned_returns_the_filled_in_text(ticket, support_agent, responses):
    response = responses["mine"]
    response.body = "Ticket {{ ticket.number }}"
    assert canned.render_canned(response, ticket, support_agent) == f"Ticket {ticket.number}"


# Who may use which ------------------------------------------------------------------------------


def test_agent_uses_shared_own_team_and_own_responses(support_agent, responses):
    titles = set(canned.responses_for(support_agent).values_list("title", flat=True))
    assert titles == {"Shared", "Team", "Mine"}


def test_another_teams_and_another_agents_responses_are_invisible(support_agent, responses):
    usable = canned.responses_for(support_agent)
    assert not usable.filter(pk__in=[responses["other_team"].pk, responses["theirs"].pk]).exists()


def test_inactive_responses_are_not_offered(support_agent, responses):
    assert not canned.responses_for(support_agent).filter(pk=responses["inactive"].pk).exists()


def test_portal_customer_and_sales_rep_have_no_canned_responses(portal_customer, rep1, responses):
    assert not canned.responses_for(portal_customer).exists()
    assert not canned.responses_for(rep1).exists()


# The reply box ----------------------------------------------------------------------------------


def test_ticket_page_offers_the_usable_responses_grouped(
    client_for, support_agent, ticket, responses
):
    html = client_for(support_agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="canned-picker"' in html
    assert (
        '<optgroup label="My responses"><option value="{}">Mine</option>'.format(
            responses["mine"].pk
        )
        in html
    )
    assert ">Shared</option>" in html
    assert ">Team</option>" in html
    assert ">Theirs</option>" not in html
    assert ">Other team</option>" not in html


def test_inserting_a_response_returns_it_filled_in_and_counts_the_use(
    client_for, support_agent, ticket, responses
):
    response = responses["mine"]
    response.body = "Hi {{ contact.first_name }}, {{ contact.nickname }}"
    response.save()
    answer = client_for(support_agent).post(f"/tickets/{ticket.pk}/canned/{response.pk}/")
    assert answer.status_code == 200
    assert answer.json() == {
        "title": "Mine",
        "body": "Hi Greta, {{ contact.nickname }}",
        "unknown_fields": ["contact.nickname"],
    }
    response.refresh_from_db()
    assert response.times_used == 1


def test_previewing_a_response_does_not_count(client_for, support_agent, ticket, responses):
    response = responses["shared"]
    answer = client_for(support_agent).get(f"/tickets/{ticket.pk}/canned/{response.pk}/")
    assert answer.json()["body"] == "Shared body"
    response.refresh_from_db()
    assert response.times_used == 0


@pytest.mark.parametrize("kind", ["theirs", "other_team", "inactive"])
def test_a_response_the_agent_may_not_use_is_404(
    client_for, support_agent, ticket, responses, kind
):
    url = f"/tickets/{ticket.pk}/canned/{responses[kind].pk}/"
    assert client_for(support_agent).post(url).status_code == 404
    responses[kind].refresh_from_db()
    assert responses[kind].times_used == 0


def test_inserting_into_a_ticket_out_of_scope_is_404(client_for, rep2, ticket, responses):
    url = f"/tickets/{ticket.pk}/canned/{responses['shared'].pk}/"
    assert client_for(rep2).get(url).status_code == 404


# The agents' page -------------------------------------------------------------------------------


def test_agent_lists_usable_responses_and_edits_only_their_own(
    client_for, support_agent, responses
):
    html = client_for(support_agent).get("/tickets/canned/").content.decode()
    assert "Shared" in html
    assert "Mine" in html
    assert "Theirs" not in html
    assert "Other team" not in html
    assert f"/tickets/canned/{responses['mine'].pk}/edit/" in html
    assert f"/tickets/canned/{responses['shared'].pk}/edit/" not in html


def test_agent_creates_a_personal_response(client_for, support_agent):
    response = client_for(support_agent).post(
        "/tickets/canned/new/",
        {"title": "My sign-off", "body": "Cheers, {{ agent.first_name }}", "is_active": "on"},
    )
    assert response.status_code == 302
    created = CannedResponse.objects.get(title="My sign-off")
    assert (created.owner, created.team) == (support_agent, None)


def test_agent_cannot_share_a_response(client_for, support_agent):
    client_for(support_agent).post(
        "/tickets/canned/new/",
        {"title": "For all", "body": "Hello", "sharing": "everyone", "is_active": "on"},
    )
    assert CannedResponse.objects.get(title="For all").owner == support_agent


def test_saving_a_response_with_an_unknown_field_is_refused(client_for, support_agent):
    response = client_for(support_agent).post(
        "/tickets/canned/new/", {"title": "Typo", "body": "Hi {{ contact.frist_name }}"}
    )
    assert response.status_code == 400
    assert "contact.frist_name" in response.content.decode()
    assert not CannedResponse.objects.filter(title="Typo").exists()


@pytest.mark.parametrize("kind", ["theirs", "shared", "other_team"])
def test_agent_may_not_edit_or_delete_others_responses(client_for, support_agent, responses, kind):
    client = client_for(support_agent)
    pk = responses[kind].pk
    assert client.get(f"/tickets/canned/{pk}/edit/").status_code == 404
    assert client.post(f"/tickets/canned/{pk}/delete/").status_code == 404
    assert CannedResponse.objects.filter(pk=pk).exists()


def test_agent_deletes_their_own_response(client_for, support_agent, responses):
    pk = responses["mine"].pk
    assert client_for(support_agent).post(f"/tickets/canned/{pk}/delete/").status_code == 302
    assert not CannedResponse.objects.filter(pk=pk).exists()


def test_support_manager_shares_a_response_with_a_team(client_for, support_manager, team):
    client_for(support_manager).post(
        "/tickets/canned/new/",
        {"title": "Team hello", "body": "Hello", "sharing": f"team:{team.pk}", "is_active": "on"},
    )
    created = CannedResponse.objects.get(title="Team hello")
    assert (created.owner, created.team) == (None, team)


def test_support_manager_edits_a_shared_response(client_for, support_manager, responses):
    pk = responses["shared"].pk
    response = client_for(support_manager).post(
        f"/tickets/canned/{pk}/edit/",
        {"title": "Shared v2", "body": "New text", "sharing": "everyone", "is_active": "on"},
    )
    assert response.status_code == 302
    responses["shared"].refresh_from_db()
    assert (responses["shared"].title, responses["shared"].owner) == ("Shared v2", None)


def test_support_manager_may_not_edit_an_agents_personal_response(
    client_for, support_manager, responses
):
    url = f"/tickets/canned/{responses['mine'].pk}/edit/"
    assert client_for(support_manager).get(url).status_code == 404


def test_sales_rep_has_no_canned_responses_page(client_for, rep1):
    assert client_for(rep1).get("/tickets/canned/").status_code == 403


# Admin ------------------------------------------------------------------------------------------


def test_admin_lists_and_filters_canned_responses(client_for, administrator, responses, team):
    response = client_for(administrator).get(
        "/admin/tickets/cannedresponse/", {"team__id__exact": team.pk, "q": "Team"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_admin_refuses_an_unknown_merge_field(client_for, administrator):
    response = client_for(administrator).post(
        "/admin/tickets/cannedresponse/add/",
        {"title": "Bad", "body": "{{ ticket.secret }}", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "ticket.secret" in response.content.decode()
    assert not CannedResponse.objects.filter(title="Bad").exists()


# API --------------------------------------------------------------------------------------------


def test_api_lists_the_callers_usable_responses(api_for, support_agent, responses):
    body = api_for(support_agent).get(API).json()
    assert sorted(row["title"] for row in body["results"]) == ["Mine", "Shared", "Team"]
    mine = next(row for row in body["results"] if row["title"] == "Mine")
    assert mine["shared_with"] == "personal"


def test_api_another_agents_response_is_404(api_for, support_agent, responses):
    assert api_for(support_agent).get(f"{API}{responses['theirs'].pk}/").status_code == 404


def test_api_sales_rep_may_not_list_canned_responses(api_for, rep1):
    assert api_for(rep1).get(API).status_code == 403


def test_api_renders_a_response_for_a_ticket_and_counts_it(
    api_for, support_agent, ticket, responses
):
    response = responses["team"]
    response.body = "{{ ticket.number }} {{ ticket.nope }}"
    response.save()
    answer = api_for(support_agent).post(
        f"/api/v1/tickets/{ticket.pk}/canned/{response.pk}/render/"
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "title": "Team",
        "body": f"{ticket.number} {{{{ ticket.nope }}}}",
        "unknown_fields": ["ticket.nope"],
    }
    response.refresh_from_db()
    assert response.times_used == 1


def test_api_preview_does_not_count(api_for, support_agent, ticket, responses):
    url = f"/api/v1/tickets/{ticket.pk}/canned/{responses['shared'].pk}/"
    assert api_for(support_agent).get(url).json()["body"] == "Shared body"
    responses["shared"].refresh_from_db()
    assert responses["shared"].times_used == 0


@pytest.mark.parametrize("kind", ["theirs", "other_team"])
def test_api_rendering_a_response_the_agent_may_not_use_is_404(
    api_for, support_agent, ticket, responses, kind
):
    url = f"/api/v1/tickets/{ticket.pk}/canned/{responses[kind].pk}/render/"
    assert api_for(support_agent).post(url).status_code == 404


def test_api_rendering_for_a_ticket_out_of_scope_is_404(api_for, rep2, ticket, responses):
    url = f"/api/v1/tickets/{ticket.pk}/canned/{responses['shared'].pk}/"
    assert api_for(rep2).get(url).status_code == 404


def test_api_rendering_a_huge_id_is_404(api_for, support_agent, ticket):
    url = f"/api/v1/tickets/{ticket.pk}/canned/{10**30}/"
    assert api_for(support_agent).get(url).status_code == 404


def test_api_list_query_count_does_not_grow_with_the_responses(
    api_for, support_agent, team, agent2
):
    client = api_for(support_agent)
    CannedResponse.objects.create(title="One", body="x", team=team)
    with CaptureQueriesContext(connection) as few:
        assert client.get(API).status_code == 200
    for n in range(6):
        CannedResponse.objects.create(title=f"More {n}", body="x", team=team, owner=None)
        CannedResponse.objects.create(title=f"Own {n}", body="x", owner=support_agent)
    with CaptureQueriesContext(connection) as many:
        assert client.get(API).json()["count"] == 13
    assert len(many) == len(few)
