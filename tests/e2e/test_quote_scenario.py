"""Issue 5, done when: rep1 builds a quote from an opportunity with a 30 % discount line, it is
held for approval, the sales manager approves, rep1 sends it; the e-mail carries the PDF; the
customer opens the signed link and accepts; the opportunity is won."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opportunities.models import Opportunity
from opportunities.services import opportunity_create
from quotes.models import ApprovalRule, Quote
from sfa.core.models import OutgoingEmail
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_quote_from_opportunity_to_acceptance(
    log_in, new_page, live_server, settings, rep1, sales_manager, products
):
    settings.SFA_BASE_URL = live_server.url
    ApprovalRule.objects.create(name="Contract review", max_line_discount_percent=Decimal("20"))
    customer = factories.AccountFactory(owner=rep1, branch=rep1.branch, name="Nordic Tools GmbH")
    anna = factories.ContactFactory(
        account=customer, first_name="Anna", last_name="Berg", email="anna@nt.example"
    )
    deal = opportunity_create(
        actor=rep1,
        data={"title": "Lathes for the new hall", "account": customer, "contact": anna},
        lines=[{"product": products[0], "quantity": Decimal(2)}],
    )

    # rep1 builds the quote from the opportunity and adds a line at 30 %
    page = log_in(rep1)
    page.goto(f"{live_server.url}/opportunities/{deal.pk}/")
    page.get_by_role("button", name="New quote").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit quote Q-")
    page.get_by_role("button", name="Add item").click()
    row = page.locator("#lines-1-row")
    row.get_by_label("Find a product").press_sequentially("oil", delay=30)
    row.get_by_role("button", name="OIL-5 · Oil").click()
    page.locator('[name="lines-1-quantity"]').fill("4")
    page.locator('[name="lines-1-discount_percent"]').fill("30")
    page.get_by_role("button", name="Save quote").click()
    expect(page.get_by_text("saved.")).to_be_visible()
    page.locator("#send-button").click()
    if page.get_by_role("button", name="Send", exact=True).count():
        page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pending approval")
    quote = Quote.objects.get()
    assert OutgoingEmail.objects.filter(kind="quotes.quote_sent").count() == 0

    # the sales manager approves with a note
    boss = log_in(sales_manager)
    boss.goto(f"{live_server.url}/quotes/{quote.pk}/")
    approve = boss.locator("#approve")
    approve.get_by_label("Note").fill("Strategic customer, fine.")
    approve.get_by_role("button", name="Approve").click()
    expect(boss.get_by_role("heading", level=1)).to_contain_text("Approved")

    # rep1 sends it to Anna
    page.goto(f"{live_server.url}/quotes/{quote.pk}/")
    page.locator("#send-button").click()
    expect(
        page.get_by_role("group", name="To").get_by_label(re.compile("Anna Berg"))
    ).to_be_checked()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sent")
    mail = OutgoingEmail.objects.get(kind="quotes.quote_sent")
    assert mail.to == ["anna@nt.example"]
    attachment = mail.attachments.get()
    assert bytes(attachment.content).startswith(b"%PDF")
    link = re.search(r"https?://\S+/q/\S+/", mail.body_text).group(0)

    # Anna opens the link (no login) and accepts
    customer_page = new_page()
    customer_page.goto(link)
    accept = customer_page.get_by_role("form", name="Accept the quote")
    accept.get_by_label("Your name").fill("Anna Berg")
    accept.get_by_role("button", name="Accept quote").click()
    expect(customer_page.get_by_role("status")).to_contain_text("you accepted this quote")
    quote.refresh_from_db()
    assert (quote.state, quote.answered_by_name) == ("accepted", "Anna Berg")
    assert Opportunity.objects.get(pk=deal.pk).state == "won"
