"""Issue 4's scenario end to end in the browser: marketing logs a telephone enquiry for a
prospect with two lines; rep1 qualifies and converts it, the conversion screen offering the
contact that already exists; rep1 drags the opportunity to proposal on the board."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from opportunities.models import Opportunity
from tests import factories
from tests.e2e.test_enquiry import pick_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def known_contact(rep1):
    """rep1 already knows Pia, at the customer her company turned out to be."""
    account = factories.AccountFactory(owner=rep1, name="Prospect Works GmbH")
    return factories.ContactFactory(
        account=account, first_name="Pia", last_name="Prospect", email="pia@prospect.example"
    )


def test_enquiry_to_opportunity_on_the_board(
    log_in, live_server, marketing, rep1, products, known_contact
):
    # marketing logs the enquiry and gives it to rep1
    page = log_in(marketing)
    page.goto(f"{live_server.url}/enquiries/new/")
    page.get_by_label("Channel").select_option("telephone")
    page.get_by_label("Owner").select_option(str(rep1.pk))
    page.get_by_label("Company (prospect)").fill("Prospect Works")
    page.get_by_label("First name").fill("Pia")
    page.get_by_label("Last name").fill("Prospect")
    page.get_by_label("Email").fill("pia@prospect.example")
    pick_product(page, 0, "LAT", "LAT-1 · Lathe")
    page.get_by_role("button", name="Add line").click()
    pick_product(page, 1, "oil", "OIL-5 · Oil")
    page.locator('[name="lines-1-quantity"]').fill("4")
    page.get_by_role("button", name="Save enquiry").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prospect Works")
    lead = Lead.objects.get()

    # rep1 qualifies it and converts it onto the existing contact
    page = log_in(rep1)
    page.goto(f"{live_server.url}/enquiries/{lead.pk}/")
    page.get_by_role("button", name="Qualify", exact=True).click()
    page.get_by_role("link", name="Convert…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(lead.number)
    offered_customer = page.get_by_role("radio", name=re.compile(known_contact.account.code))
    offered_contact = page.get_by_role("radio", name=re.compile("pia@prospect.example"))
    expect(offered_customer).to_be_checked()  # the matches are offered first
    expect(offered_contact).to_be_checked()
    page.get_by_role("button", name="Convert", exact=True).click()
    expect(page.get_by_text("converted: opportunity")).to_be_visible()
    opportunity = Opportunity.objects.get()
    assert (opportunity.account, opportunity.contact) == (known_contact.account, known_contact)
    assert opportunity.amount == Decimal("1050.00")

    # and drags it to proposal on the board
    page.goto(f"{live_server.url}/opportunities/board/")
    proposal = page.locator('.board-column[data-stage="proposal"]')
    page.locator(".deal-card", has_text=lead.number).drag_to(proposal)
    expect(proposal.locator(".deal-card", has_text=lead.number)).to_be_visible()
    opportunity.refresh_from_db()
    assert opportunity.state == "proposal"
