"""Tickets in the customer portal: scoping (the account's portal manager sees all of the
account's tickets, other contacts their own), opening a ticket, the public conversation only,
reply, close and reopen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sfa.core.models import TransitionLog
from tests import factories
from tickets import services
from tickets.models import Ticket, TicketComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(account):
    """A portal contact who is not the account's portal manager."""
    contact = factories.ContactFactory(account=account, first_name="Greta", last_name="Holm")
    factories.portal_user_for(contact)
    return contact


@pytest.fixture
def manager(account):
    contact = factories.ContactFactory(account=account, first_name="Max", last_name="Boss")
    factories.portal_user_for(contact)
    contact.is_portal_manager = True
    contact.save()
    return contact


@pytest.fixture
def colleague(account):
    """Another contact of the same customer, without portal access."""
    return factories.ContactFactory(account=account, first_name="Carl", last_name="Other")


def ticket_for(contact, actor=None, **data):
    data = {"subject": "Lathe stops", "account": contact.account, "contact": contact, **data}
    return services.ticket_create(actor=actor, data=data)


def test_contact_lists_only_their_own_tickets(client_for, customer, colleague):
    mine = ticket_for(customer, subject="Mine")
    theirs = ticket_for(colleague, subject="Colleague's")
    html = client_for(customer.user).get("/portal/tickets/").content.decode()
    assert mine.number in html
    assert theirs.number not in html


def test_portal_manager_lists_all_of_the_accounts_tickets(client_for, manager, colleague):
    mine = ticket_for(manager)
    theirs = ticket_for(colleague)
    html = client_for(manager.user).get("/portal/tickets/").content.decode()
    assert mine.number in html
    assert theirs.number in html


def test_a_colleagues_ticket_is_404_for_a_contact(client_for, customer, colleague):
    theirs = ticket_for(colleague)
    assert client_for(customer.user).get(f"/portal/tickets/{theirs.pk}/").status_code == 404


def test_another_accounts_ticket_is_404(client_for, manager):
    stranger = factories.ContactFactory(account=factories.AccountFactory())
    foreign = ticket_for(stranger)
    client = client_for(manager.user)
    assert client.get(f"/portal/tickets/{foreign.pk}/").status_code == 404
    reply = client.post(f"/portal/tickets/{foreign.pk}/reply/", {"body": "Hello?"})
    assert reply.status_code == 404
    assert not TicketComment.objects.exists()


def test_open_a_ticket(client_for, customer):
    response = client_for(customer.user).post(
        "/portal/tickets/new/",
        {"subject": "Display dark", "description": "Since this morning.", "priority": "high"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == f"/portal/tickets/{ticket.pk}/"
    assert (ticket.account, ticket.contact, ticket.channel, ticket.priority) == (
        customer.account,
        customer,
        "portal",
        "high",
    )
    assert ticket.history.get().history_user == customer.user


def test_a_customer_cannot_open_an_urgent_ticket(client_for, customer):
    response = client_for(customer.user).post(
        "/portal/tickets/new/", {"subject": "Now!", "description": "x", "priority": "urgent"}
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_internal_notes_never_show(client_for, customer, support_agent):
    ticket = ticket_for(customer)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="We sent a technician.")
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="Customer owes us money.", public=False
    )
    html = client_for(customer.user).get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "We sent a technician." in html
    assert "Customer owes us money." not in html


def test_reply_reopens_a_pending_ticket(client_for, customer, support_agent):
    ticket = ticket_for(customer)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="Serial number, please?")
    services.ticket_wait_on_customer(ticket=ticket, actor=support_agent)
    response = client_for(customer.user).post(
        f"/portal/tickets/{ticket.pk}/reply/", {"body": "It is SN-4411."}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "open"
    comment = TicketComment.objects.get(from_customer=True)
    assert (comment.body, comment.is_public) == ("It is SN-4411.", True)


def test_empty_reply_is_400(client_for, customer):
    ticket = ticket_for(customer)
    response = client_for(customer.user).post(f"/portal/tickets/{ticket.pk}/reply/", {"body": ""})
    assert response.status_code == 400
    assert not TicketComment.objects.exists()


def test_close_a_resolved_ticket(client_for, customer, support_agent):
    ticket = ticket_for(customer)
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    response = client_for(customer.user).post(f"/portal/tickets/{ticket.pk}/close/")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "closed"


def test_closing_an_unresolved_ticket_is_409_and_changes_nothing(client_for, customer):
    ticket = ticket_for(customer)
    response = client_for(customer.user).post(f"/portal/tickets/{ticket.pk}/close/")
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.state == "new"
    assert not TransitionLog.objects.exists()


def test_reopen_a_closed_ticket(client_for, customer, support_agent):
    ticket = ticket_for(customer)
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    services.ticket_close(ticket=ticket, actor=support_agent)
    client = client_for(customer.user)
    assert "Reopen" in client.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    client.post(f"/portal/tickets/{ticket.pk}/reopen/")
    ticket.refresh_from_db()
    assert ticket.state == "open"


def test_staff_are_sent_to_the_portal_login(client_for, support_agent, customer):
    ticket = ticket_for(customer)
    response = client_for(support_agent).get(f"/portal/tickets/{ticket.pk}/")
    assert response.status_code == 302
    assert "/portal/login/" in response.url


def test_portal_menu_links_the_tickets(client_for, customer):
    assert 'href="/portal/tickets/"' in client_for(customer.user).get("/portal/").content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_queries_do_not_grow_with_the_tickets(client_for, manager, colleague):
    client = client_for(manager.user)
    ticket_for(manager)
    few = _queries(client, "/portal/tickets/")
    for _ in range(6):
        ticket_for(colleague)
    assert _queries(client, "/portal/tickets/") == few


def test_detail_queries_do_not_grow_with_the_comments(client_for, customer, support_agent):
    ticket = ticket_for(customer)
    client = client_for(customer.user)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="One")
    few = _queries(client, f"/portal/tickets/{ticket.pk}/")
    for index in range(5):
        services.ticket_reply(ticket=ticket, actor=support_agent, body=f"More {index}")
        services.customer_reply(ticket=ticket, body=f"Answer {index}")
    assert _queries(client, f"/portal/tickets/{ticket.pk}/") == few
