"""A customer opens a ticket in the portal; the agent answers it from "My queue".

From the issue: customer1 opens a ticket in the portal; agent1 sees it at the top of "My
queue", replies publicly and adds an internal note; customer1 sees the reply but not the note.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from knowledgebase import services as kb_services
from tests import factories
from tests.e2e.conftest import PASSWORD
from tickets import services
from tickets.models import BusinessCalendar, SlaPolicy, Ticket, TicketComment, WorkingHours

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPLY = "Please restart the machine holding the reset key for five seconds."
NOTE = "Known firmware issue of batch 2025/11: do not promise a date."


@pytest.fixture
def support_desk(support_agent, account):
    """Round-the-clock SLA targets, a support team with agent1, and a later-due ticket already
    in agent1's queue."""
    calendar = BusinessCalendar.objects.create(name="Always", time_zone="UTC")
    for weekday in range(7):
        WorkingHours.objects.create(
            calendar=calendar, weekday=weekday, start=datetime.time(0), end=datetime.time(23, 59)
        )
    for priority, first in (("low", 480), ("normal", 240), ("high", 60)):
        SlaPolicy.objects.create(
            name=priority,
            priority=priority,
            calendar=calendar,
            first_response_minutes=first,
            resolution_minutes=first * 5,
        )
    team = factories.TeamFactory(name="Support")
    team.members.add(support_agent)
    services.ticket_create(
        actor=support_agent,
        data={"subject": "Catalogue request", "priority": "low", "assignee": support_agent},
    )
    return team


@pytest.fixture
def customer1(account):
    contact = factories.ContactFactory(account=account, first_name="Cora", last_name="Customer")
    user = factories.portal_user_for(contact)
    contact.is_portal_manager = True
    contact.save()
    return user


def portal_log_in(page, live_server, user):
    page.goto(f"{live_server.url}/portal/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_portal_ticket_answered_from_my_queue(
    new_page, log_in, live_server, support_desk, support_agent, customer1
):
    # customer1 searches the public knowledge base first (no login needed)
    manager = factories.UserFactory(username="kbboss", role="support manager")
    article = kb_services.article_create(
        actor=support_agent,
        data={
            "title": "Error codes of the lathe display",
            "summary": "What E-codes mean",
            "body": "E42 means the spindle sensor needs a reset.",
            "visibility": "public",
        },
    )
    kb_services.article_submit(article=article, actor=support_agent)
    kb_services.article_publish(article=article, actor=manager)
    portal = new_page()
    portal.goto(f"{live_server.url}/kb/?q=spindle+sensor")
    expect(portal.get_by_role("link", name="Error codes of the lathe display")).to_be_visible()

    # customer1 opens a ticket in the portal
    portal_log_in(portal, live_server, customer1)
    portal.get_by_role("navigation", name="Portal").get_by_role("link", name="Tickets").click()
    portal.get_by_role("link", name="Open a ticket").click()
    form = portal.get_by_role("form", name="Open a ticket")
    form.get_by_label("Subject").fill("Lathe shows error E42")
    form.get_by_label("What happened?").fill("The display shows E42 after two minutes.")
    form.get_by_label("Priority").select_option("high")
    form.get_by_role("button", name="Send").click()
    ticket = Ticket.objects.get(subject="Lathe shows error E42")
    expect(portal.get_by_role("heading", name=f"Ticket {ticket.number}")).to_be_visible()

    # agent1 sees it first in "My queue" (not routed to a team yet: every agent's)
    staff = log_in(support_agent)
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Tickets").click()
    staff.get_by_role("link", name="My queue").first.click()
    first_row = staff.locator("#queue tbody tr").first
    expect(first_row).to_contain_text(ticket.number)
    expect(first_row).to_contain_text("On track")
    first_row.get_by_role("link", name=ticket.number).click()

    # a public reply, then an internal note
    reply = staff.get_by_role("form", name="Reply")
    reply.get_by_label("Message").fill(REPLY)
    reply.get_by_label("Public reply (sent to the customer)").check()
    reply.get_by_role("button", name="Add").click()
    expect(staff.get_by_text("Reply sent.")).to_be_visible()
    reply = staff.get_by_role("form", name="Reply")
    reply.get_by_label("Message").fill(NOTE)
    reply.get_by_label("Internal note (never shown to the customer)").check()
    reply.get_by_role("button", name="Add").click()
    expect(staff.get_by_text("Internal note added.")).to_be_visible()
    expect(staff.locator("#conversation li.internal")).to_contain_text(NOTE)
    assert TicketComment.objects.filter(ticket=ticket).count() == 2

    # customer1 sees the reply, never the note
    portal.reload()
    conversation = portal.locator("#conversation")
    expect(conversation).to_contain_text(REPLY)
    expect(conversation).not_to_contain_text(NOTE)
    expect(portal.locator("body")).not_to_contain_text("firmware")
    expect(portal.locator("#ticket-status")).to_contain_text("In progress")

    # agent1 resolves it; customer1 rates the help
    staff.get_by_role("button", name="Resolve").click()
    expect(staff.locator("#transitions")).not_to_contain_text("Resolve")
    portal.reload()
    rate = portal.get_by_role("form", name="Rate our help")
    rate.get_by_label("5 stars").check()
    rate.get_by_role("button", name="Send rating").click()
    expect(portal.locator("#rating")).to_contain_text("5 of 5")
    assert Ticket.objects.get(pk=ticket.pk).rating.score == 5
