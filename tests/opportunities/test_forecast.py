"""Forecast figures against a hand computation on fixed data."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from leads.selectors import lead_visible_to
from leads.services import lead_create, lead_qualify
from opportunities import reports
from opportunities.models import LostReason, Opportunity
from opportunities.selectors import opportunity_visible_to
from opportunities.services import (
    lead_convert,
    opportunity_create,
    opportunity_lose,
    opportunity_move,
    opportunity_win,
)

JAN, FEB = datetime.date(2026, 1, 20), datetime.date(2026, 2, 10)


def deal(owner, account, amount, close, stage=None):
    created = opportunity_create(
        actor=owner,
        data={
            "title": f"{amount}",
            "account": account,
            "amount": Decimal(amount),
            "expected_close_date": close,
        },
    )
    if stage:
        created = opportunity_move(opportunity=created, actor=owner, stage=stage)
    return created


@pytest.fixture
def book(rep1, colleague, account):
    """rep1: 1000 prospecting (10 %) in Jan, 2000 proposal (50 %) in Jan, 3000 negotiation
    (75 %) in Feb; colleague: 500 qualification (25 %) in Feb; plus closed deals."""
    other = type(account).objects.create(
        code="X2", name="Other", owner=colleague, branch=colleague.branch
    )
    deal(rep1, account, "1000.00", JAN)
    deal(rep1, account, "2000.00", JAN, "proposal")
    deal(rep1, account, "3000.00", FEB, "negotiation")
    deal(colleague, other, "500.00", FEB, "qualification")
    won = deal(rep1, account, "4000.00", JAN)
    opportunity_win(opportunity=won, actor=rep1)
    lost = deal(rep1, account, "999.00", JAN)
    opportunity_lose(
        opportunity=lost, actor=rep1, reason=LostReason.objects.get(name="Price too high")
    )
    Opportunity.objects.filter(pk=won.pk).update(
        created_at=F("closed_at") - datetime.timedelta(days=30)
    )


@pytest.mark.django_db
def test_weighted_pipeline_by_month_matches_a_hand_computation(book, sales_manager):
    pipeline = reports.weighted_pipeline(opportunity_visible_to(sales_manager))
    jan, feb = pipeline["by_month"]["2026-01"], pipeline["by_month"]["2026-02"]
    assert (jan.count, jan.amount, jan.weighted) == (2, Decimal("3000.00"), Decimal("1100.00"))
    assert (feb.count, feb.amount, feb.weighted) == (2, Decimal("3500.00"), Decimal("2375.00"))
    assert pipeline["total"].weighted == Decimal("3475.00")


@pytest.mark.django_db
def test_weighted_pipeline_by_rep(book, sales_manager, rep1, colleague):
    by_rep = reports.weighted_pipeline(opportunity_visible_to(sales_manager))["by_rep"]
    assert by_rep[str(rep1)].weighted == Decimal("3350.00")  # 100 + 1000 + 2250
    assert by_rep[str(colleague)].weighted == Decimal("125.00")


@pytest.mark.django_db
def test_a_rep_forecast_counts_only_what_the_rep_sees(book, rep1):
    pipeline = reports.weighted_pipeline(opportunity_visible_to(rep1))
    assert pipeline["total"].amount == Decimal("6000.00")


@pytest.mark.django_db
def test_win_rate_cycle_and_lost_reasons(book, sales_manager):
    today = timezone.localdate()
    result = reports.outcomes(opportunity_visible_to(sales_manager), start=today, end=today)
    assert (result.won, result.lost, result.won_amount) == (1, 1, Decimal("4000.00"))
    assert result.win_rate == Decimal("50.0")
    assert result.average_cycle_days == Decimal("30.0")
    assert result.lost_reasons == {"Price too high": 1}


@pytest.mark.django_db
def test_funnel_by_channel_follows_enquiries_to_won(rep1):
    def enquiry(channel, qualify=False, convert=False, win=False):
        lead = lead_create(actor=rep1, data={"channel": channel, "company": "P"})
        if qualify:
            lead = lead_qualify(lead=lead, actor=rep1)
        if convert:
            opportunity = lead_convert(lead=lead, actor=rep1)
            if win:
                opportunity_win(opportunity=opportunity, actor=rep1)

    enquiry("telephone")
    enquiry("telephone", qualify=True)
    enquiry("telephone", qualify=True, convert=True)
    enquiry("telephone", qualify=True, convert=True, win=True)
    enquiry("fax")
    rows = reports.funnel(lead_visible_to(rep1), by="channel")
    assert rows["Telephone"] == {"enquiries": 4, "qualified": 3, "converted": 2, "won": 1}
    assert rows["Fax"] == {"enquiries": 1, "qualified": 0, "converted": 0, "won": 0}


@pytest.mark.django_db
def test_forecast_page_and_csv_export(client_for, book, sales_manager):
    client = client_for(sales_manager)
    page = client.get("/opportunities/forecast/")
    csv_export = client.get("/opportunities/forecast/?format=csv")
    assert page.status_code == 200
    assert "3475.00" in page.content.decode()
    assert csv_export["Content-Type"].startswith("text/csv")
    assert "month,2026-02,2,3500.00,2375.00" in csv_export.content.decode()
