"""Forecast figures against a hand computation on fixed data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.selectors import lead_visible_to
from leads.services import lead_create, lead_qualify
from opportunities import reports
from opportunities.models import LostReason, Opportunity, Quota
from opportunities.quotas import quota_save, quota_visible_to
from opportunities.selectors import opportunity_visible_to
from opportunities.services import (
    lead_convert,
    opportunity_create,
    opportunity_lose,
    opportunity_move,
    opportunity_win,
)
from sfa.core.access import Role
from tests import factories

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


# Quota attainment --------------------------------------------------------------------------

Q1_START, Q1_END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


def won_on(owner, account, amount, day):
    won = opportunity_win(opportunity=deal(owner, account, amount, day), actor=owner)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Opportunity.objects.filter(pk=won.pk).update(closed_at=moment)


def set_quota(owner, start, end, amount):
    return quota_save(
        quota=Quota(owner=owner, period_start=start, period_end=end, amount=Decimal(amount)),
        actor=None,
    )


@pytest.fixture
def quarter(rep1, colleague, rep2, account):
    """Q1 2026. rep1: monthly quotas 3000 (Jan–Mar, and April outside), won 4000 in Feb and
    1500 in April (outside), open 2000 at 50 % in March and 1000 at 10 % in May (outside).
    colleague: quarterly quota 2000, won 500 in January, open 3000 at 75 % in January.
    rep2: no quota, won 800 in March."""
    north = type(account).objects.create(
        code="X2", name="North two", owner=colleague, branch=colleague.branch
    )
    south = type(account).objects.create(code="X3", name="South", owner=rep2, branch=rep2.branch)
    for month in (1, 2, 3, 4):
        start = datetime.date(2026, month, 1)
        set_quota(rep1, start, reports.month_of(start)[1], "3000.00")
    set_quota(colleague, Q1_START, Q1_END, "2000.00")
    won_on(rep1, account, "4000.00", datetime.date(2026, 2, 15))
    won_on(rep1, account, "1500.00", datetime.date(2026, 4, 2))
    deal(rep1, account, "2000.00", datetime.date(2026, 3, 10), "proposal")
    deal(rep1, account, "1000.00", datetime.date(2026, 5, 1))
    won_on(colleague, north, "500.00", datetime.date(2026, 1, 5))
    deal(colleague, north, "3000.00", datetime.date(2026, 1, 20), "negotiation")
    won_on(rep2, south, "800.00", datetime.date(2026, 3, 31))


def q1_attainment(user):
    return reports.attainment(
        opportunity_visible_to(user), quota_visible_to(user), start=Q1_START, end=Q1_END
    )


@pytest.mark.django_db
def test_attainment_of_a_rep_matches_a_hand_computation(quarter, sales_manager, rep1):
    row = next(r for r in q1_attainment(sales_manager)["rows"] if r.rep == str(rep1))
    # 3 × 3000 quota, 4000 won: 44.44… % → 44.4; open: 2000 × 50 %
    assert (row.quota, row.won, row.percent, row.pipeline) == (
        Decimal("9000.00"),
        Decimal("4000.00"),
        Decimal("44.4"),
        Decimal("1000.00"),
    )


@pytest.mark.django_db
def test_attainment_of_a_quarterly_quota(quarter, sales_manager, colleague):
    row = next(r for r in q1_attainment(sales_manager)["rows"] if r.rep == str(colleague))
    assert (row.quota, row.won, row.percent, row.pipeline) == (
        Decimal("2000.00"),
        Decimal("500.00"),
        Decimal("25.0"),
        Decimal("2250.00"),
    )


@pytest.mark.django_db
def test_attainment_without_a_quota_is_none(quarter, sales_manager, rep2):
    row = next(r for r in q1_attainment(sales_manager)["rows"] if r.rep == str(rep2))
    assert (row.quota, row.won, row.percent) == (None, Decimal("800.00"), None)


@pytest.mark.django_db
def test_attainment_total_adds_up_the_reps(quarter, sales_manager):
    total = q1_attainment(sales_manager)["total"]
    # quota 9000 + 2000, won 4000 + 500 + 800: 48.18… % → 48.2; open 1000 + 2250
    assert (total.quota, total.won, total.percent, total.pipeline) == (
        Decimal("11000.00"),
        Decimal("5300.00"),
        Decimal("48.2"),
        Decimal("3250.00"),
    )


@pytest.mark.django_db
def test_a_quota_counts_whole_when_its_period_starts_in_the_range(quarter, sales_manager, rep1):
    result = reports.attainment(
        opportunity_visible_to(sales_manager),
        quota_visible_to(sales_manager),
        start=Q1_START,
        end=datetime.date(2026, 2, 15),
    )
    colleague_row = next(r for r in result["rows"] if r.rep != str(rep1) and r.quota)
    assert colleague_row.quota == Decimal("2000.00")  # the quarter's, not prorated


@pytest.mark.django_db
def test_a_zero_quota_gives_no_attainment_percent(rep1, account):
    set_quota(rep1, Q1_START, Q1_END, "0.00")
    won_on(rep1, account, "100.00", datetime.date(2026, 2, 1))
    row = q1_attainment(rep1)["rows"][0]
    assert (row.quota, row.percent) == (Decimal("0.00"), None)


@pytest.mark.django_db
def test_a_rep_attainment_shows_only_the_own_quota(quarter, rep1, colleague):
    quotas = {row.rep: row.quota for row in q1_attainment(rep1)["rows"]}
    assert quotas == {str(rep1): Decimal("9000.00")}


@pytest.mark.django_db
def test_quarter_and_month_bounds():
    assert reports.quarter_of(datetime.date(2026, 11, 23)) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert reports.month_of(datetime.date(2028, 2, 10)) == (
        datetime.date(2028, 2, 1),
        datetime.date(2028, 2, 29),
    )


# The forecast page -------------------------------------------------------------------------

Q1_QUERY = "start=2026-01-01&end=2026-03-31"


@pytest.mark.django_db
def test_forecast_page_shows_the_attainment_table(client_for, quarter, sales_manager):
    page = client_for(sales_manager).get(f"/opportunities/forecast/?{Q1_QUERY}")
    html = page.content.decode()
    assert "Quota attainment" in html
    assert '<td class="num">44.4 %</td>' in html
    assert '<th class="num">48.2 %</th>' in html


@pytest.mark.django_db
def test_forecast_page_draws_the_three_charts(client_for, quarter, sales_manager):
    html = client_for(sales_manager).get(f"/opportunities/forecast/?{Q1_QUERY}").content.decode()
    assert html.count("<svg") == 3
    for key in ("chart-pipeline", "chart-attainment", "chart-funnel"):
        assert f'aria-labelledby="{key}-title {key}-desc"' in html


@pytest.mark.django_db
def test_forecast_page_hides_attainment_from_who_may_not_see_quotas(client_for, quarter, marketing):
    html = client_for(marketing).get(f"/opportunities/forecast/?{Q1_QUERY}").content.decode()
    assert "Quota attainment" not in html
    assert html.count("<svg") == 2


@pytest.mark.django_db
def test_forecast_page_queries_do_not_grow_with_the_data(
    client_for, quarter, sales_manager, rep1, account
):
    client = client_for(sales_manager)
    client.get(f"/opportunities/forecast/?{Q1_QUERY}")
    with CaptureQueriesContext(connection) as before:
        client.get(f"/opportunities/forecast/?{Q1_QUERY}")
    extra = factories.UserFactory(username="rep9", role=Role.SALES_REP, branch=rep1.branch)
    set_quota(extra, Q1_START, Q1_END, "1000.00")
    won_on(extra, factories.AccountFactory(owner=extra), "10.00", datetime.date(2026, 2, 2))
    for day in (5, 6, 7):
        deal(rep1, account, "10.00", datetime.date(2026, 3, day), "proposal")
    with CaptureQueriesContext(connection) as after:
        client.get(f"/opportunities/forecast/?{Q1_QUERY}")
    assert len(after.captured_queries) == len(before.captured_queries) <= 20


@pytest.mark.django_db
def test_forecast_csv_has_the_attainment_rows(client_for, quarter, sales_manager, rep1, rep2):
    text = client_for(sales_manager).get(f"/opportunities/forecast/?{Q1_QUERY}&format=csv")
    lines = text.content.decode().splitlines()
    assert lines[0] == "group,key,deals,amount,weighted,quota,won,attainment_percent"
    assert f"attainment,{rep1},,,1000.00,9000.00,4000.00,44.4" in lines
    assert f"attainment,{rep2},,,0.00,,800.00," in lines
    assert "attainment,Total,,,3250.00,11000.00,5300.00,48.2" in lines


@pytest.mark.django_db
def test_forecast_page_ignores_a_day_that_does_not_exist(client_for, sales_manager):
    page = client_for(sales_manager).get("/opportunities/forecast/?start=2026-02-30")
    assert page.status_code == 200
