"""Building a quote in the browser: made from an opportunity (its lines copied), a line added
in place at a discount the approval rule catches, a heading moved up with the keyboard-reachable
buttons, live totals from the server; "Send" then holds the quote for approval."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opportunities.services import opportunity_create
from quotes.models import ApprovalRule, Quote
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rep_builds_a_quote_from_an_opportunity_and_send_holds_it_for_approval(
    log_in, live_server, rep1, products
):
    ApprovalRule.objects.create(name="Contract review", max_line_discount_percent=Decimal("20"))
    customer = factories.AccountFactory(owner=rep1, branch=rep1.branch, name="Nordic Tools GmbH")
    anna = factories.ContactFactory(account=customer, first_name="Anna", email="anna@nt.example")
    deal = opportunity_create(
        actor=rep1,
        data={"title": "Lathes for the new hall", "account": customer, "contact": anna},
        lines=[{"product": products[0], "quantity": Decimal(2)}],
    )
    page = log_in(rep1)
    page.goto(f"{live_server.url}/opportunities/{deal.pk}/")
    page.get_by_role("button", name="New quote").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit quote Q-")
    expect(page.locator("#lines-0-row .chosen")).to_have_text("LAT-1 · Lathe")
    page.evaluate("window.__sfaSamePage = true")

    page.get_by_role("button", name="Add item").click()
    row = page.locator("#lines-1-row")
    row.get_by_label("Find a product").press_sequentially("oil", delay=30)
    row.get_by_role("button", name="OIL-5 · Oil").click()
    expect(row.locator(".chosen")).to_have_text("OIL-5 · Oil")
    page.locator('[name="lines-1-quantity"]').fill("4")
    page.locator('[name="lines-1-discount_percent"]').fill("30")
    page.get_by_role("button", name="Add heading").click()
    heading = page.locator("#lines-2-row")
    heading.get_by_label("Heading").fill("Machines")
    heading.get_by_role("button", name="Move line up").click()
    heading.get_by_role("button", name="Move line up").click()  # now the first row
    page.get_by_role("button", name="Recalculate").click()

    totals = page.locator("#totals")
    # 2 × 1000.00 + 4 × 12.50 = 2050.00; oil less 30 % = 15.00
    expect(totals.locator('[data-total="subtotal"]')).to_have_text("2050.00")
    expect(totals.locator('[data-total="discount_total"]')).to_have_text("15.00")
    expect(page.locator("#lines-1-amount")).to_contain_text("35.00")
    expect(totals).to_contain_text("Contract review: discount 30.00 % is above 20.00 %")
    assert page.evaluate("window.__sfaSamePage === true")  # all of it without a reload

    page.get_by_role("button", name="Save quote").click()
    expect(page.get_by_text("saved.")).to_be_visible()
    quote = Quote.objects.get()
    assert list(quote.lines.order_by("position").values_list("kind", "description")) == [
        ("section", "Machines"),
        ("item", "Lathe"),
        ("item", "Oil"),
    ]

    page.locator("#send-button").click()
    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text(re.compile("by e-mail|Pending approval"))
    if "by e-mail" in title.inner_text():  # the e-mail dialog: sending holds it, sends nothing
        page.get_by_role("button", name="Send", exact=True).click()
    expect(title).to_contain_text("Pending approval")
    quote.refresh_from_db()
    assert (quote.state, quote.opportunity) == ("pending_approval", deal)
