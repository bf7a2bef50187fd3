"""The reply box's helpers in a real browser: a canned response goes in at the cursor with its
merge fields filled in, suggested articles load for the ticket, a public article's link goes
into a public reply (an internal one's is refused there), an article is linked with htmx; in
the portal, public articles show up while the customer types a new ticket's subject."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD
from tickets import services
from tickets.models import CannedResponse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_answers_with_a_canned_response_and_an_article(
    log_in, live_server, support_agent, account, publish
):
    contact = factories.ContactFactory(account=account, first_name="Greta", last_name="Holm")
    ticket = services.ticket_create(
        actor=support_agent,
        data={"subject": "Spindle gets very hot", "account": account, "contact": contact},
    )
    CannedResponse.objects.create(
        title="Acknowledge", body="Hi {{ contact.first_name }}, about {{ ticket.number }}."
    )
    publish("Lathe spindle runs hot", "Check the spindle oil.")
    publish("Spindle bearing replacement", "Service only.", visibility="internal")

    page = log_in(support_agent)
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    box = page.locator("#reply-body")
    box.fill("Hello. ")
    page.locator("#canned-picker").select_option(label="Acknowledge")
    expect(box).to_have_value(f"Hello. Hi Greta, about {ticket.number}.")

    suggestions = page.locator("#kb-suggestions")
    public = suggestions.locator("li", has_text="Lathe spindle runs hot")
    internal = suggestions.locator("li", has_text="Spindle bearing replacement")
    expect(public).to_be_visible()
    internal.get_by_role("button", name="Insert link (note)").click()
    expect(page.locator("#kb-warning")).to_contain_text("Customers cannot open")
    public.get_by_role("button", name="Insert link", exact=True).click()
    expect(box).to_have_value(
        re.compile(r"about T-\S+\. Lathe spindle runs hot: http\S+/kb/lathe-spindle-runs-hot/$")
    )

    public.get_by_role("button", name="Link to ticket").click()
    expect(page.locator("#kb-linked")).to_contain_text("Linked articles (1)")
    expect(page.locator("#kb-suggestions li", has_text="Lathe spindle runs hot")).to_contain_text(
        "Linked"
    )
    assert CannedResponse.objects.get().times_used == 1


def test_customer_sees_public_articles_while_typing_a_subject(
    new_page, live_server, account, publish
):
    contact = factories.ContactFactory(account=account, first_name="Cora")
    customer = factories.portal_user_for(contact)
    publish("Resetting your portal password", "Use the reset link on the login page.")
    publish("Password reset by hand", "Support only: reset it in the admin.", visibility="internal")

    page = new_page()
    page.goto(f"{live_server.url}/portal/login/")
    page.get_by_label("Username").fill(customer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/portal/tickets/new/")
    page.get_by_label("Subject").press_sequentially("forgot my password")

    suggestions = page.locator("#kb-suggest")
    link = suggestions.get_by_role("link", name="Resetting your portal password")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("target", "_blank")
    expect(suggestions).not_to_contain_text("by hand")
