"""The quota page: a sales manager sets a period's quotas for all reps at once."""

import datetime
from decimal import Decimal

import pytest

from opportunities.models import Quota
from opportunities.quota_views import parse_period

TODAY = datetime.date(2026, 11, 23)


def test_a_quarter_label_gives_its_first_and_last_day():
    assert parse_period("2026-Q1", TODAY) == (
        "2026-Q1",
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )


def test_a_month_label_gives_its_first_and_last_day():
    assert parse_period("2026-02", TODAY)[1:] == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )


def test_a_bad_label_falls_back_to_this_quarter():
    assert parse_period("2026-Q9", TODAY)[0] == "2026-Q4"


@pytest.mark.django_db
def test_a_sales_manager_saves_quotas_for_two_reps_at_once(client_for, sales_manager, rep1, rep2):
    response = client_for(sales_manager).post(
        "/opportunities/quotas/?period=2026-Q4",
        {f"amount-{rep1.pk}": "50000", f"amount-{rep2.pk}": "42 500,50"},
    )
    assert response.status_code == 302
    saved = {q.owner: q for q in Quota.objects.all()}
    assert saved[rep1].amount == Decimal("50000.00")
    assert saved[rep2].amount == Decimal("42500.50")
    assert (saved[rep1].period_start, saved[rep1].period_end) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )


@pytest.mark.django_db
def test_changing_an_amount_updates_the_quota_instead_of_adding_one(
    client_for, sales_manager, rep1
):
    client = client_for(sales_manager)
    client.post("/opportunities/quotas/?period=2026-Q4", {f"amount-{rep1.pk}": "50000"})
    client.post("/opportunities/quotas/?period=2026-Q4", {f"amount-{rep1.pk}": "60000"})
    assert list(Quota.objects.values_list("amount", flat=True)) == [Decimal("60000.00")]


@pytest.mark.django_db
def test_a_bad_amount_is_named_in_its_row_and_nothing_is_saved_for_it(
    client_for, sales_manager, rep1
):
    response = client_for(sales_manager).post(
        "/opportunities/quotas/?period=2026-Q4", {f"amount-{rep1.pk}": "lots"}
    )
    assert response.status_code == 400
    assert "Enter an amount such as 50000." in response.content.decode()
    assert not Quota.objects.exists()


@pytest.mark.django_db
def test_a_month_inside_a_quarter_with_a_quota_is_refused(client_for, sales_manager, rep1):
    client = client_for(sales_manager)
    client.post("/opportunities/quotas/?period=2026-Q4", {f"amount-{rep1.pk}": "50000"})
    response = client.post("/opportunities/quotas/?period=2026-11", {f"amount-{rep1.pk}": "1"})
    assert response.status_code == 400
    assert "overlaps this period" in response.content.decode()
    assert list(Quota.objects.values_list("amount", flat=True)) == [Decimal("50000.00")]


@pytest.mark.django_db
def test_a_rep_sees_only_their_own_quota_and_cannot_save(client_for, sales_manager, rep1, rep2):
    client_for(sales_manager).post(
        "/opportunities/quotas/?period=2026-Q4",
        {f"amount-{rep1.pk}": "50000", f"amount-{rep2.pk}": "40000"},
    )
    client = client_for(rep1)
    response = client.get("/opportunities/quotas/?period=2026-Q4")
    assert [row["rep"] for row in response.context["rows"]] == [rep1]
    assert not response.context["may_edit"]
    client.post("/opportunities/quotas/?period=2026-Q4", {f"amount-{rep1.pk}": "1"})
    assert Quota.objects.get(owner=rep1).amount == Decimal("50000.00")
