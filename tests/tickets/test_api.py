"""The tickets API: SLA in every ticket, conversation, transitions with 409, access."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tickets.models import BusinessCalendar, SlaPolicy, Ticket, WorkingHours


@pytest.fixture
def policy(db):
    calendar = BusinessCalendar.objects.create(name="All week", time_zone="UTC")
    for weekday in range(7):
        WorkingHours.objects.create(
            calendar=calendar, weekday=weekday, start=datetime.time(0), end=datetime.time(23, 59)
        )
    return SlaPolicy.objects.create(
        name="Normal", priority="normal", calendar=calendar,
        first_response_minutes=240, resolution_minutes=2400,
    )  # fmt: skip


def create(client, account, **extra):
    return client.post(
        "/api/v1/tickets/",
        {"account": account.pk, "subject": "Lathe stops", "priority": "normal", **extra},
        format="json",
    )


@pytest.mark.django_db
def test_an_agent_opens_a_ticket_with_number_and_sla(api_for, support_agent, account, policy):
    response = create(api_for(support_agent), account)
    body = response.json()
    assert response.status_code == 201, body
    assert body["number"].startswith("T-")
    assert (body["state"], body["channel"]) == ("new", "api")
    assert body["first_response_due"] is not None
    assert body["sla"] == {"first_response": "on_track", "resolution": "on_track"}


@pytest.mark.django_db
def test_a_public_reply_and_an_internal_note(api_for, support_agent, account, policy):
    client = api_for(support_agent)
    ticket_id = create(client, account).json()["id"]
    reply = client.post(
        f"/api/v1/tickets/{ticket_id}/comments/", {"body": "We are on it."}, format="json"
    )
    note = client.post(
        f"/api/v1/tickets/{ticket_id}/comments/",
        {"body": "Check the spindle.", "public": False},
        format="json",
    )
    assert (reply.status_code, note.status_code) == (201, 201)
    ticket = client.get(f"/api/v1/tickets/{ticket_id}/").json()
    assert ticket["state"] == "open"
    assert ticket["sla"]["first_response"] == "met"
    comments = client.get(f"/api/v1/tickets/{ticket_id}/comments/").json()
    assert [(c["body"], c["is_public"]) for c in comments] == [
        ("We are on it.", True),
        ("Check the spindle.", False),
    ]


@pytest.mark.django_db
def test_closing_a_new_ticket_is_409_and_changes_nothing(api_for, support_agent, account, policy):
    client = api_for(support_agent)
    ticket_id = create(client, account).json()["id"]
    response = client.post(f"/api/v1/tickets/{ticket_id}/close/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert Ticket.objects.get(pk=ticket_id).state == "new"


@pytest.mark.django_db
def test_resolve_then_close_then_reopen(api_for, support_agent, account, policy):
    client = api_for(support_agent)
    ticket_id = create(client, account).json()["id"]
    for name, state in [("resolve", "resolved"), ("close", "closed"), ("reopen", "open")]:
        response = client.post(f"/api/v1/tickets/{ticket_id}/{name}/", {}, format="json")
        assert response.json()["state"] == state


@pytest.mark.django_db
def test_a_rep_does_not_see_tickets_of_customers_they_may_not_see(
    api_for, support_agent, rep2, account, policy
):
    ticket_id = create(api_for(support_agent), account).json()["id"]
    assert api_for(rep2).get(f"/api/v1/tickets/{ticket_id}/").status_code == 404


@pytest.mark.django_db
def test_the_owner_rep_sees_the_tickets_of_their_customer(
    api_for, support_agent, rep1, account, policy
):
    ticket_id = create(api_for(support_agent), account).json()["id"]
    assert api_for(rep1).get(f"/api/v1/tickets/{ticket_id}/").status_code == 200


@pytest.mark.django_db
def test_portal_users_get_no_staff_api(api_for, portal_customer):
    assert api_for(portal_customer).get("/api/v1/tickets/").status_code == 403


@pytest.mark.django_db
def test_the_list_needs_the_same_queries_for_two_and_ten_tickets(
    api_for, support_agent, account, policy
):
    client = api_for(support_agent)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/tickets/").status_code == 200
        return len(queries)

    for _ in range(2):
        create(client, account)
    few = count()
    for _ in range(8):
        create(client, factories.AccountFactory())
    assert count() == few
