"""Logging an enquiry in the browser: one form, product pickers, lines added in place,
totals computed on the server, the number shown after saving."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leads.models import Lead

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pick_product(page, index: int, typed: str, label: str) -> None:
    row = page.locator(f"#lines-{index}-row")
    row.get_by_label("Find a product").press_sequentially(typed, delay=30)
    row.get_by_role("button", name=label).click()
    expect(row.locator(".chosen")).to_have_text(label)


def test_marketing_logs_a_telephone_enquiry_for_a_prospect_with_two_lines(
    log_in, live_server, marketing, products
):
    page = log_in(marketing)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Enquiries").click()
    page.get_by_role("link", name="New enquiry").click()
    expect(page.get_by_role("heading", name="New enquiry")).to_be_visible()
    page.evaluate("window.__sfaSamePage = true")

    page.get_by_label("Channel").select_option("telephone")
    page.get_by_label("Company (prospect)").fill("Prospect Works")
    page.get_by_label("Last name").fill("Prospect")
    page.get_by_label("Phone").fill("+49 30 1234567")

    pick_product(page, 0, "LAT", "LAT-1 · Lathe")
    page.locator('[name="lines-0-quantity"]').fill("2")
    page.locator('[name="lines-0-discount_percent"]').fill("10")
    page.get_by_role("button", name="Add line").click()
    pick_product(page, 1, "oil", "OIL-5 · Oil")
    page.locator('[name="lines-1-quantity"]').fill("4")
    page.get_by_role("button", name="Recalculate").click()

    totals = page.locator("#totals")
    expect(totals.locator('[data-total="total"]')).to_have_text("2201.50")
    expect(totals.locator('[data-total="subtotal"]')).to_have_text("2050.00")
    expect(page.locator("#lines-0-amount")).to_contain_text("1800.00")
    expect(page.locator("#lines-1-amount")).to_contain_text("50.00")
    assert page.evaluate("window.__sfaSamePage === true")  # all of it without a reload

    page.get_by_role("button", name="Save enquiry").click()
    number = f"ENQ-{timezone.localdate().year}-00001"
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prospect Works")
    expect(page.get_by_text(f"Enquiry {number} saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2201.50")
    lead = Lead.objects.get()
    assert (lead.channel, lead.owner, lead.total) == ("telephone", marketing, Decimal("2201.50"))
    assert re.fullmatch(r"ENQ-\d{4}-00001", lead.number)
