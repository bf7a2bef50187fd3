"""The pipeline board in a real browser: dragging a card is a transition."""

import pytest
from playwright.sync_api import expect

from opportunities.models import Opportunity
from opportunities.services import opportunity_create, opportunity_move

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deal(rep1, account):
    created = opportunity_create(
        actor=rep1, data={"title": "Press line for hall 3", "account": account, "amount": "42000"}
    )
    return opportunity_move(opportunity=created, actor=rep1, stage="qualification")


def test_dragging_a_card_to_proposal_moves_the_opportunity(log_in, live_server, rep1, deal):
    page = log_in(rep1)
    page.goto(f"{live_server.url}/opportunities/board/")
    card = page.locator(".deal-card", has_text="Press line for hall 3")
    proposal = page.locator('.board-column[data-stage="proposal"]')

    card.drag_to(proposal)

    expect(proposal.locator(".deal-card", has_text="Press line for hall 3")).to_be_visible()
    expect(page.locator("#board-messages")).to_contain_text("moved to proposal")
    assert Opportunity.objects.get(pk=deal.pk).state == "proposal"


def test_a_refused_drag_snaps_back_with_the_reason(log_in, live_server, rep1, deal):
    page = log_in(rep1)
    page.goto(f"{live_server.url}/opportunities/board/")
    card = page.locator(".deal-card", has_text="Press line for hall 3")
    qualification = page.locator('.board-column[data-stage="qualification"]')

    card.drag_to(qualification)  # already there: refused

    expect(page.locator("#board-messages")).to_contain_text("stays where it is")
    expect(qualification.locator(".deal-card", has_text="Press line")).to_be_visible()
    assert Opportunity.objects.get(pk=deal.pk).state == "qualification"
