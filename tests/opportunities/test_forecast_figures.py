"""The forecast's figures as SQL aggregates: each against a small hand-made set of deals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.selectors import lead_visible_to
from leads.services import lead_create
from opportunities import reports
from opportunities.models import (
    LostReason,
    Opportunity,
    Quota,
    weighted_amount,
    weighted_amount_sql,
)
from opportunities.quotas import quota_visible_to
from opportunities.selectors import opportunity_visible_to
from sfa.core.access import Role
from tests import factories

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def make_deal(owner, account, amount, probability=10, **fields):
    """A deal as the data has it, without the services' rules: any stage, probability and
    close time (``created_at`` is set after the row exists)."""
    created_at = fields.pop("created_at", None)
    deal = Opportunity.objects.create(
        title=f"{amount} at {probability} %",
        account=account,
        owner=owner,
        branch=owner.branch,
        amount=Decimal(amount),
        probability=probability,
        **fields,
    )
    if created_at is not None:
        Opportunity.objects.filter(pk=deal.pk).update(created_at=created_at)
    return deal


def at(*args, tz=datetime.UTC) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=tz)


def won(owner, account, amount, closed_at, **fields):
    return make_deal(owner, account, amount, 100, state="won", closed_at=closed_at, **fields)


def march_outcomes(user):
    return reports.outcomes(opportunity_visible_to(user), start=MARCH[0], end=MARCH[1])


# The weighting rule ---------------------------------------------------------------------


def test_weighted_amount_rounds_half_a_cent_up():
    assert weighted_amount(Decimal("1.25"), 10) == Decimal("0.13")  # 0.125
    assert weighted_amount(Decimal("0.05"), 10) == Decimal("0.01")  # 0.005


AWKWARD = [
    ("0.05", 10),  # 0.005: half a cent
    ("1.25", 10),  # 0.125
    ("0.01", 50),  # 0.005
    ("2.35", 50),  # 1.175
    ("12.50", 1),  # 0.125
    ("0.07", 7),  # 0.0049: under half a cent
    ("33.33", 33),  # 10.9989
    ("0.15", 30),  # 0.045
    ("999999999999.99", 99),  # the largest amount
    ("-1.25", 10),  # -0.125: half away from zero, both ways
    ("123.45", 0),
    ("123.45", 100),
]


@pytest.mark.django_db
def test_sql_weighting_agrees_with_weighted_amount_on_awkward_amounts(rep1, account):
    for amount, probability in AWKWARD:
        make_deal(rep1, account, amount, probability)
    rows = Opportunity.objects.annotate(sql=weighted_amount_sql()).values_list(
        "amount", "probability", "sql"
    )
    assert len(rows) == len(AWKWARD)
    for amount, probability, sql in rows:
        assert sql == weighted_amount(amount, probability), (amount, probability)


@pytest.mark.django_db
def test_pipeline_rounds_each_deal_before_adding(rep1, sales_manager, account):
    make_deal(rep1, account, "0.05", 10, expected_close_date=datetime.date(2026, 3, 5))
    make_deal(rep1, account, "0.05", 10, expected_close_date=datetime.date(2026, 3, 6))
    pipeline = reports.weighted_pipeline(opportunity_visible_to(sales_manager))
    assert pipeline["total"].weighted == Decimal("0.02")  # 0.01 + 0.01, not 0.10 × 10 %


# The weighted pipeline ------------------------------------------------------------------


@pytest.mark.django_db
def test_pipeline_leaves_out_won_and_lost_deals(rep1, sales_manager, account):
    make_deal(rep1, account, "100.00", 50, state="proposal")
    won(rep1, account, "1000.00", timezone.now())
    make_deal(rep1, account, "2000.00", 0, state="lost", closed_at=timezone.now())
    total = reports.weighted_pipeline(opportunity_visible_to(sales_manager))["total"]
    assert (total.count, total.amount, total.weighted) == (1, Decimal("100.00"), Decimal("50.00"))


@pytest.mark.django_db
def test_pipeline_files_deals_without_a_close_date_under_no_date(rep1, sales_manager, account):
    make_deal(rep1, account, "100.00", 10)
    make_deal(rep1, account, "200.00", 10, expected_close_date=datetime.date(2026, 3, 31))
    by_month = reports.weighted_pipeline(opportunity_visible_to(sales_manager))["by_month"]
    assert list(by_month) == ["2026-03", "no date"]
    assert by_month["no date"].amount == Decimal("100.00")


@pytest.mark.django_db
def test_pipeline_by_month_adds_up_the_stages_and_reps_of_a_month(
    rep1, colleague, sales_manager, account
):
    make_deal(rep1, account, "100.00", 10, expected_close_date=datetime.date(2026, 3, 1))
    make_deal(rep1, account, "200.00", 50, state="proposal", expected_close_date=MARCH[1])
    make_deal(colleague, account, "300.00", 75, state="negotiation", expected_close_date=MARCH[1])
    make_deal(rep1, account, "999.00", 10, expected_close_date=datetime.date(2026, 4, 1))
    march = reports.weighted_pipeline(opportunity_visible_to(sales_manager))["by_month"]["2026-03"]
    assert (march.count, march.amount, march.weighted) == (
        3,
        Decimal("600.00"),
        Decimal("335.00"),  # 10 + 100 + 225
    )


@pytest.mark.django_db
def test_pipeline_by_rep_adds_up_a_reps_deals_of_every_month_and_stage(
    rep1, colleague, sales_manager, account
):
    make_deal(rep1, account, "100.00", 10, expected_close_date=datetime.date(2026, 3, 1))
    make_deal(rep1, account, "200.00", 50, state="proposal", expected_close_date=None)
    make_deal(colleague, account, "300.00", 75, state="negotiation")
    by_rep = reports.weighted_pipeline(opportunity_visible_to(sales_manager))["by_rep"]
    mine = by_rep[str(rep1)]
    assert (mine.count, mine.amount, mine.weighted) == (2, Decimal("300.00"), Decimal("110.00"))


# Outcomes -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_outcomes_count_a_deal_closed_in_the_last_moment_of_the_period(
    rep1, sales_manager, account
):
    won(rep1, account, "100.00", at(2026, 3, 31, 23, 59, 59, 999999))
    assert march_outcomes(sales_manager).won == 1


@pytest.mark.django_db
def test_outcomes_leave_out_a_deal_closed_at_midnight_after_the_period(
    rep1, sales_manager, account
):
    won(rep1, account, "100.00", at(2026, 4, 1))
    won(rep1, account, "200.00", at(2026, 3, 1))
    result = march_outcomes(sales_manager)
    assert (result.won, result.won_amount) == (1, Decimal("200.00"))


@pytest.mark.django_db
def test_the_period_ends_at_midnight_of_the_current_time_zone(rep1, sales_manager, account):
    berlin = datetime.timezone(datetime.timedelta(hours=2))
    won(rep1, account, "100.00", at(2026, 3, 31, 23, 30, tz=berlin))  # 21:30 UTC
    won(rep1, account, "200.00", at(2026, 3, 31, 23, 30))  # 1 April, 01:30 in Berlin
    with timezone.override("Europe/Berlin"):
        result = march_outcomes(sales_manager)
    assert (result.won, result.won_amount) == (1, Decimal("100.00"))


@pytest.mark.django_db
def test_the_sales_cycle_counts_whole_days_rounded_down(rep1, sales_manager, account):
    closed = at(2026, 3, 10, 12)
    won(rep1, account, "1.00", closed, created_at=closed - datetime.timedelta(days=30, seconds=-1))
    won(rep1, account, "1.00", closed, created_at=closed - datetime.timedelta(days=30))
    assert march_outcomes(sales_manager).average_cycle_days == Decimal("29.5")  # (29 + 30) / 2


@pytest.mark.django_db
def test_the_sales_cycle_counts_won_deals_only(rep1, sales_manager, account):
    closed = at(2026, 3, 10, 12)
    won(rep1, account, "1.00", closed, created_at=closed - datetime.timedelta(days=10))
    make_deal(
        rep1,
        account,
        "1.00",
        0,
        state="lost",
        closed_at=closed,
        created_at=closed - datetime.timedelta(days=90),
    )
    assert march_outcomes(sales_manager).average_cycle_days == Decimal("10.0")


@pytest.mark.django_db
def test_lost_deals_count_by_reason_most_frequent_first(rep1, sales_manager, account):
    price = LostReason.objects.get(name="Price too high")
    for reason in (None, price, price):
        make_deal(
            rep1, account, "1.00", 0, state="lost", closed_at=at(2026, 3, 2), lost_reason=reason
        )
    result = march_outcomes(sales_manager)
    assert list(result.lost_reasons.items()) == [("Price too high", 2), ("no reason", 1)]
    assert (result.lost, result.win_rate) == (3, Decimal("0.0"))


@pytest.mark.django_db
def test_outcomes_of_a_period_without_closed_deals_have_no_rates(rep1, sales_manager, account):
    make_deal(rep1, account, "100.00", 10, expected_close_date=MARCH[1])
    result = march_outcomes(sales_manager)
    assert (result.won, result.lost, result.win_rate, result.average_cycle_days) == (
        0,
        0,
        None,
        None,
    )


# Attainment -----------------------------------------------------------------------------


def march_attainment(user):
    return reports.attainment(
        opportunity_visible_to(user), quota_visible_to(user), start=MARCH[0], end=MARCH[1]
    )


@pytest.mark.django_db
def test_attainment_pipeline_weights_only_open_deals_due_in_the_period(
    rep1, sales_manager, account
):
    make_deal(rep1, account, "1000.00", 50, state="proposal", expected_close_date=MARCH[1])
    make_deal(rep1, account, "2000.00", 50, expected_close_date=datetime.date(2026, 4, 1))
    won(rep1, account, "4000.00", at(2026, 3, 3), expected_close_date=MARCH[0])
    (row,) = march_attainment(sales_manager)["rows"]
    assert (row.won, row.pipeline) == (Decimal("4000.00"), Decimal("500.00"))


@pytest.mark.django_db
def test_a_rep_whose_only_due_deal_weighs_nothing_has_an_attainment_row(
    rep1, sales_manager, account
):
    make_deal(rep1, account, "1000.00", 0, expected_close_date=MARCH[0])
    rows = march_attainment(sales_manager)["rows"]
    assert [(row.rep, row.won, row.pipeline) for row in rows] == [
        (str(rep1), Decimal("0.00"), Decimal("0.00"))
    ]


@pytest.mark.django_db
def test_a_rep_without_deals_in_the_period_has_no_attainment_row(rep1, sales_manager, account):
    make_deal(rep1, account, "1000.00", 50, expected_close_date=datetime.date(2026, 5, 1))
    assert march_attainment(sales_manager)["rows"] == []


# The funnel -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_funnel_by_source_counts_the_enquiries_of_each_source(rep1):
    for source in ("trade_fair", "trade_fair", "referral"):
        lead_create(actor=rep1, data={"channel": "telephone", "source": source, "company": "P"})
    rows = reports.funnel(lead_visible_to(rep1), by="source")
    assert rows["Trade fair"]["enquiries"] == 2
    assert rows["Referral"]["enquiries"] == 1


@pytest.mark.django_db
def test_funnels_by_channel_and_by_source_take_one_query(rep1, django_assert_num_queries):
    lead_create(actor=rep1, data={"channel": "telephone", "source": "referral", "company": "P"})
    leads = lead_visible_to(rep1)
    with django_assert_num_queries(1):
        tables = reports.funnels(leads)
    assert tables["channel"]["Telephone"]["enquiries"] == tables["source"]["Referral"]["enquiries"]


# Queries --------------------------------------------------------------------------------


def many_deals(reps, accounts):
    """Deals of every stage, several months, lost reasons and quotas for each rep."""
    reasons = list(LostReason.objects.all())
    for index, (rep, account) in enumerate(zip(reps, accounts, strict=True)):
        Quota.objects.create(owner=rep, period_start=MARCH[0], period_end=MARCH[1], amount=100)
        for month in (2, 3, 4):
            close = datetime.date(2026, month, 10)
            for stage in ("prospecting", "qualification", "proposal", "negotiation"):
                make_deal(rep, account, "10.00", 25, state=stage, expected_close_date=close)
        won(rep, account, "20.00", at(2026, 3, 5 + index))
        for reason in reasons:
            make_deal(
                rep, account, "5.00", 0, state="lost", closed_at=at(2026, 3, 9), lost_reason=reason
            )


@pytest.mark.django_db
def test_the_forecast_figures_take_three_queries_whatever_the_deals(
    rep1, colleague, sales_manager, account, django_assert_num_queries
):
    many_deals([rep1, colleague], [account, account])
    deals, quotas = opportunity_visible_to(sales_manager), quota_visible_to(sales_manager)
    with django_assert_num_queries(3):  # the deals' aggregate, the reps' names, the quotas
        figures = reports.forecast(deals, quotas=quotas, start=MARCH[0], end=MARCH[1])
    assert figures.pipeline["total"].count == 24
    assert (figures.outcomes.won, figures.attainment["total"].quota) == (2, Decimal("200.00"))


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["sales_manager", "rep1"])
def test_the_forecast_page_takes_as_many_queries_for_one_deal_as_for_many(
    request, client_for, rep1, account, viewer
):
    user = request.getfixturevalue(viewer)
    make_deal(rep1, account, "10.00", 10, expected_close_date=MARCH[0])
    client = client_for(user)
    url = "/opportunities/forecast/?start=2026-03-01&end=2026-03-31"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    reps = [rep1] + [
        factories.UserFactory(username=f"rep{n}", role=Role.SALES_REP, branch=rep1.branch)
        for n in (7, 8, 9)
    ]
    many_deals(reps, [account] * len(reps))
    for rep in reps:
        lead_create(actor=rep, data={"channel": "telephone", "company": "P"})
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)
