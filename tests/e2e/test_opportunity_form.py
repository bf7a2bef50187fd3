"""Creating an opportunity in the browser: the customer picker, a product line picked and
priced in place, the amount computed from the line, shown after saving."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opportunities.models import Opportunity
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rep_creates_an_opportunity_with_a_product_line(log_in, live_server, rep1, products):
    customer = factories.AccountFactory(owner=rep1, code="NT-0042", name="Nordic Tools GmbH")
    anna = factories.ContactFactory(account=customer, first_name="Anna", last_name="Lindqvist")
    page = log_in(rep1)
    page.goto(f"{live_server.url}/opportunities/")
    page.get_by_role("link", name="New opportunity").click()
    expect(page.get_by_role("heading", name="New opportunity")).to_be_visible()
    page.evaluate("window.__sfaSamePage = true")

    page.get_by_label("Title").fill("Lathes for the new hall")
    page.get_by_label("Search customers").press_sequentially("nordic", delay=30)
    page.get_by_role("button", name="NT-0042 · Nordic Tools GmbH").click()
    page.get_by_label("Contact", exact=True).select_option(str(anna.pk))

    row = page.locator("#lines-0-row")
    row.get_by_label("Find a product").press_sequentially("LAT", delay=30)
    row.get_by_role("button", name="LAT-1 · Lathe").click()
    expect(row.locator(".chosen")).to_have_text("LAT-1 · Lathe")
    page.locator('[name="lines-0-quantity"]').fill("2")
    page.locator('[name="lines-0-discount_percent"]').fill("10")
    page.get_by_role("button", name="Recalculate").click()
    expect(page.locator('#totals [data-total="subtotal"]')).to_have_text("2000.00")
    expect(page.locator("#lines-0-amount")).to_contain_text("1800.00")
    assert page.evaluate("window.__sfaSamePage === true")  # all of it without a reload

    page.get_by_role("button", name="Save opportunity").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lathes for the new hall")
    expect(page.get_by_text("Opportunity “Lathes for the new hall” saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1800.00 EUR")
    deal = Opportunity.objects.get()
    assert (deal.account, deal.contact, deal.owner) == (customer, anna, rep1)
    assert (deal.amount, deal.lines.count()) == (Decimal("1800.00"), 1)
