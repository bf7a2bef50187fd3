"""Watchers: watch and stop watching oneself, others managed by support managers and the
assignee; the API shows them; watchers and the assignee hear when the customer writes."""

import pytest

from sfa.core.exceptions import ActionForbidden, InvalidInput
from sfa.core.models import OutgoingEmail
from tickets import services

pytestmark = pytest.mark.django_db


def updates():
    return OutgoingEmail.objects.filter(kind="tickets.watcher_update").order_by("pk")


def test_watching_twice_keeps_one_watcher(support_agent, ticket):
    services.ticket_watch(ticket=ticket, actor=support_agent)
    services.ticket_watch(ticket=ticket, actor=support_agent)
    assert list(ticket.watchers.all()) == [support_agent]


def test_an_agent_cannot_add_someone_else(support_agent, agent2, ticket):
    with pytest.raises(ActionForbidden):
        services.ticket_watch(ticket=ticket, actor=support_agent, user=agent2)
    assert not ticket.watchers.exists()


def test_the_assignee_adds_a_colleague(support_agent, agent2, account):
    ticket = services.ticket_create(
        actor=support_agent, data={"subject": "x", "account": account, "assignee": support_agent}
    )
    services.ticket_watch(ticket=ticket, actor=support_agent, user=agent2)
    assert list(ticket.watchers.all()) == [agent2]


def test_a_support_manager_removes_a_watcher(support_manager, agent2, ticket):
    services.ticket_watch(ticket=ticket, actor=agent2)
    services.ticket_unwatch(ticket=ticket, actor=support_manager, user=agent2)
    assert not ticket.watchers.exists()


def test_portal_users_cannot_watch(support_manager, portal_customer, ticket):
    with pytest.raises(InvalidInput):
        services.ticket_watch(ticket=ticket, actor=support_manager, user=portal_customer)
    assert not ticket.watchers.exists()


# Notifications -----------------------------------------------------------------------------------


def test_watchers_and_the_assignee_hear_when_the_customer_replies(
    support_agent, agent2, rep1, account
):
    ticket = services.ticket_create(
        actor=support_agent, data={"subject": "x", "account": account, "assignee": support_agent}
    )
    services.ticket_watch(ticket=ticket, actor=agent2)
    services.ticket_watch(ticket=ticket, actor=rep1)
    services.ticket_watch(ticket=ticket, actor=support_agent)  # the assignee watching too
    services.customer_reply(ticket=ticket, body="The lathe runs again.")
    assert sorted(m.to[0] for m in updates()) == [
        "agent1@staff.example",
        "agent2@staff.example",
        "rep1@staff.example",
    ]


def test_the_update_names_the_message_and_links_the_ticket(support_agent, agent2, ticket):
    services.ticket_watch(ticket=ticket, actor=agent2)
    comment = services.customer_reply(ticket=ticket, body="Error E42 again.")
    mail = updates().get()
    assert ticket.number in mail.subject
    assert "Error E42 again." in mail.body_text
    assert f"/tickets/{ticket.pk}/#comment-{comment.pk}" in mail.body_text


def test_inactive_watchers_hear_nothing(support_agent, agent2, ticket):
    services.ticket_watch(ticket=ticket, actor=agent2)
    agent2.is_active = False
    agent2.save()
    services.customer_reply(ticket=ticket, body="Hello?")
    assert not updates().exists()


def test_staff_replies_do_not_notify_watchers(support_agent, agent2, ticket):
    services.ticket_watch(ticket=ticket, actor=agent2)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="We are on it.")
    assert not updates().exists()


# Staff UI ---------------------------------------------------------------------------------------


def test_watch_button_watches_and_then_stops(client_for, support_agent, ticket):
    client = client_for(support_agent)
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert ">Watch</button>" in html
    assert client.post(f"/tickets/{ticket.pk}/watch/").status_code == 302
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert ">Stop watching</button>" in html
    client.post(f"/tickets/{ticket.pk}/unwatch/")
    assert not ticket.watchers.exists()


def test_agent_adding_someone_else_is_403_and_changes_nothing(
    client_for, support_agent, agent2, ticket
):
    response = client_for(support_agent).post(f"/tickets/{ticket.pk}/watch/", {"user": agent2.pk})
    assert response.status_code == 403
    assert not ticket.watchers.exists()


def test_manager_sees_the_add_watcher_form_and_adds_one(
    client_for, support_manager, agent2, ticket
):
    client = client_for(support_manager)
    assert 'id="add-watcher"' in client.get(f"/tickets/{ticket.pk}/").content.decode()
    client.post(f"/tickets/{ticket.pk}/watch/", {"user": agent2.pk})
    assert list(ticket.watchers.all()) == [agent2]


def test_watching_a_ticket_one_cannot_see_is_404(client_for, rep2, ticket):
    assert client_for(rep2).post(f"/tickets/{ticket.pk}/watch/").status_code == 404


# API --------------------------------------------------------------------------------------------


def test_api_watch_and_unwatch_oneself(api_for, support_agent, ticket):
    client = api_for(support_agent)
    watched = client.post(f"/api/v1/tickets/{ticket.pk}/watch/", {}, format="json")
    assert (watched.status_code, watched.json()["watchers"]) == (200, [support_agent.pk])
    unwatched = client.post(f"/api/v1/tickets/{ticket.pk}/unwatch/", {}, format="json")
    assert (unwatched.status_code, unwatched.json()["watchers"]) == (200, [])


def test_api_lists_the_watchers_when_asked(api_for, support_agent, agent2, ticket):
    services.ticket_watch(ticket=ticket, actor=agent2)
    client = api_for(support_agent)
    body = client.get("/api/v1/tickets/", {"expand": "watchers"}).json()
    assert body["results"][0]["watchers"] == [agent2.pk]
    assert "watchers" not in client.get("/api/v1/tickets/").json()["results"][0]


def test_api_agent_adding_someone_else_is_403(api_for, support_agent, agent2, ticket):
    response = api_for(support_agent).post(
        f"/api/v1/tickets/{ticket.pk}/watch/", {"user": agent2.pk}, format="json"
    )
    assert response.status_code == 403
    assert not ticket.watchers.exists()


def test_api_unwatch_that_hides_the_ticket_answers_204(api_for, support_agent, rep2, ticket):
    services.ticket_reply(ticket=ticket, actor=support_agent, body="@rep2 yours?", public=False)
    response = api_for(rep2).post(f"/api/v1/tickets/{ticket.pk}/unwatch/", {}, format="json")
    assert response.status_code == 204
    assert not ticket.watchers.exists()


def test_api_watch_of_a_ticket_one_cannot_see_is_404(api_for, rep2, ticket):
    response = api_for(rep2).post(f"/api/v1/tickets/{ticket.pk}/watch/", {}, format="json")
    assert response.status_code == 404
    assert not ticket.watchers.exists()
