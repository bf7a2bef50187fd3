"""Quotas: validation, who sets and who reads them (API), demo data."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from opportunities.demo import load_demo_quotas
from opportunities.models import Quota
from opportunities.quotas import next_period, quota_save
from opportunities.services import opportunity_create, opportunity_win
from sfa.core.demo import DemoContext

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
Q2 = (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))


def quota(owner, period=Q1, amount="10000.00", actor=None):
    start, end = period
    return quota_save(
        quota=Quota(owner=owner, period_start=start, period_end=end, amount=Decimal(amount)),
        actor=actor,
    )


def body(owner, period=Q1, amount="10000.00"):
    start, end = period
    return {
        "owner": owner.pk,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "amount": amount,
    }


# Validation --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_period_ending_before_it_starts_is_refused_on_period_end(rep1):
    with pytest.raises(ValidationError) as refused:
        quota(rep1, period=(datetime.date(2026, 3, 31), datetime.date(2026, 1, 1)))
    assert list(refused.value.message_dict) == ["period_end"]


@pytest.mark.django_db
def test_a_second_quota_for_the_same_period_is_refused_on_period_start(rep1):
    quota(rep1)
    with pytest.raises(ValidationError) as refused:
        quota(rep1, amount="500.00")
    assert list(refused.value.message_dict) == ["period_start"]
    assert Quota.objects.count() == 1


@pytest.mark.django_db
def test_a_quota_overlapping_another_of_the_rep_is_refused(rep1):
    quota(rep1)
    with pytest.raises(ValidationError) as refused:
        quota(rep1, period=(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)))
    assert "overlaps" in refused.value.message_dict["period_start"][0]


@pytest.mark.django_db
def test_two_reps_may_have_quotas_for_the_same_period(rep1, colleague):
    quota(rep1)
    quota(colleague)
    assert Quota.objects.count() == 2


@pytest.mark.django_db
def test_a_quota_may_change_its_own_amount(rep1):
    existing = quota(rep1)
    existing.amount = Decimal("12000.00")
    quota_save(quota=existing, actor=None)
    assert Quota.objects.get().amount == Decimal("12000.00")


@pytest.mark.django_db
def test_the_database_refuses_a_period_ending_before_it_starts(rep1):
    with pytest.raises(IntegrityError):
        Quota.objects.create(
            owner=rep1, period_start=Q1[1], period_end=Q1[0], amount=Decimal("1.00")
        )


# Roles -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sales_manager_role_may_view_add_and_change_quotas(sales_manager):
    assert sales_manager.has_perms(
        ["opportunities.view_quota", "opportunities.add_quota", "opportunities.change_quota"]
    )


@pytest.mark.django_db
def test_the_sales_rep_role_may_only_view_quotas(rep1):
    assert rep1.has_perm("opportunities.view_quota")
    assert not rep1.has_perm("opportunities.add_quota")
    assert not rep1.has_perm("opportunities.change_quota")


# API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sales_manager_creates_a_quota(api_for, sales_manager, rep1):
    response = api_for(sales_manager).post("/api/v1/quotas/", body(rep1), format="json")
    assert response.status_code == 201
    assert response.json()["amount"] == "10000.00"
    assert Quota.objects.get().owner == rep1


@pytest.mark.django_db
def test_api_refuses_a_duplicate_period_with_a_field_error(api_for, sales_manager, rep1):
    quota(rep1)
    response = api_for(sales_manager).post("/api/v1/quotas/", body(rep1), format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["period_start"]


@pytest.mark.django_db
def test_api_refuses_a_period_ending_before_it_starts(api_for, sales_manager, rep1):
    response = api_for(sales_manager).post(
        "/api/v1/quotas/", body(rep1, period=(Q1[1], Q1[0])), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["period_end"]


@pytest.mark.django_db
def test_api_refuses_a_negative_amount(api_for, sales_manager, rep1):
    response = api_for(sales_manager).post(
        "/api/v1/quotas/", body(rep1, amount="-1.00"), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["amount"]


@pytest.mark.django_db
def test_sales_manager_changes_a_quota_amount(api_for, sales_manager, rep1):
    existing = quota(rep1)
    response = api_for(sales_manager).patch(
        f"/api/v1/quotas/{existing.pk}/", {"amount": "7500.00"}, format="json"
    )
    assert response.status_code == 200
    assert Quota.objects.get().amount == Decimal("7500.00")


@pytest.mark.django_db
def test_moving_a_quota_onto_another_period_of_the_rep_is_refused(api_for, sales_manager, rep1):
    quota(rep1)
    second = quota(rep1, period=Q2)
    response = api_for(sales_manager).patch(
        f"/api/v1/quotas/{second.pk}/", {"period_start": "2026-03-01"}, format="json"
    )
    assert response.status_code == 400
    assert Quota.objects.get(pk=second.pk).period_start == Q2[0]


@pytest.mark.django_db
def test_rep_lists_only_own_quotas(api_for, rep1, colleague):
    own = quota(rep1)
    quota(colleague)
    response = api_for(rep1).get("/api/v1/quotas/")
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


@pytest.mark.django_db
def test_rep_gets_404_for_another_reps_quota(api_for, rep1, colleague):
    other = quota(colleague)
    assert api_for(rep1).get(f"/api/v1/quotas/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_rep_may_not_create_a_quota(api_for, rep1):
    response = api_for(rep1).post("/api/v1/quotas/", body(rep1), format="json")
    assert response.status_code == 403
    assert not Quota.objects.exists()


@pytest.mark.django_db
def test_rep_may_not_change_own_quota(api_for, rep1):
    own = quota(rep1)
    response = api_for(rep1).patch(f"/api/v1/quotas/{own.pk}/", {"amount": "1.00"}, format="json")
    assert response.status_code == 403
    assert Quota.objects.get().amount == Decimal("10000.00")


@pytest.mark.django_db
def test_branch_manager_lists_the_quotas_of_the_branch(api_for, branch_manager, rep1, rep2):
    north = quota(rep1)
    quota(rep2)
    response = api_for(branch_manager).get("/api/v1/quotas/")
    assert [row["id"] for row in response.json()["results"]] == [north.pk]


@pytest.mark.django_db
def test_quotas_cannot_be_deleted_through_the_api(api_for, sales_manager, rep1):
    existing = quota(rep1)
    assert api_for(sales_manager).delete(f"/api/v1/quotas/{existing.pk}/").status_code == 405
    assert Quota.objects.exists()


@pytest.mark.django_db
def test_quota_list_filters_by_overlapping_period(api_for, sales_manager, rep1):
    quota(rep1)
    second = quota(rep1, period=Q2)
    response = api_for(sales_manager).get("/api/v1/quotas/?period_from=2026-05-01")
    assert [row["id"] for row in response.json()["results"]] == [second.pk]


@pytest.mark.django_db
def test_quota_list_takes_the_same_queries_for_more_quotas(
    api_for, sales_manager, rep1, colleague, django_assert_num_queries
):
    quota(rep1)
    client = api_for(sales_manager)
    with django_assert_num_queries(6):  # token, roles, 2 × permissions, count, page
        client.get("/api/v1/quotas/")
    quota(rep1, period=Q2)
    quota(colleague)
    with django_assert_num_queries(6):
        client.get("/api/v1/quotas/")


# Next period (admin action) ----------------------------------------------------------------


def test_the_period_after_a_quarter_is_the_next_quarter():
    assert next_period(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 3, 31),
    )


def test_the_period_after_january_ends_on_the_last_day_of_february():
    assert next_period(datetime.date(2028, 1, 1), datetime.date(2028, 1, 31)) == (
        datetime.date(2028, 2, 1),
        datetime.date(2028, 2, 29),
    )


def test_a_period_of_odd_days_moves_by_its_length():
    assert next_period(datetime.date(2026, 1, 5), datetime.date(2026, 1, 18)) == (
        datetime.date(2026, 1, 19),
        datetime.date(2026, 2, 1),
    )


@pytest.mark.django_db
def test_admin_copies_quotas_to_the_next_quarter_and_skips_those_already_set(
    client_for, administrator, rep1, colleague
):
    first, other = quota(rep1), quota(colleague)
    quota(colleague, period=Q2)
    response = client_for(administrator).post(
        "/admin/opportunities/quota/",
        {"action": "copy_to_next_period", "_selected_action": [first.pk, other.pk]},
        follow=True,
    )
    assert "1 quota(s) copied" in response.content.decode()
    copied = Quota.objects.get(owner=rep1, period_start=Q2[0])
    assert (copied.period_end, copied.amount) == (Q2[1], first.amount)


# Demo --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_quotas_cover_the_current_and_previous_quarter_once(rep1, sales_manager, account):
    won = opportunity_create(
        actor=rep1, data={"title": "Won", "account": account, "amount": Decimal("4000.00")}
    )
    opportunity_win(opportunity=won, actor=rep1)
    ctx = DemoContext(
        rng=random.Random(1),
        today=datetime.date(2026, 11, 23),
        users={"salesmanager": sales_manager, "rep1": rep1},
        log=lambda _: None,
    )
    load_demo_quotas(ctx)
    load_demo_quotas(ctx)
    starts = list(Quota.objects.filter(owner=rep1).values_list("period_start", flat=True))
    assert starts == [datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)]


@pytest.mark.django_db
def test_demo_quota_is_within_a_stretch_of_what_the_rep_won(rep1, sales_manager, account):
    won = opportunity_create(
        actor=rep1, data={"title": "Won", "account": account, "amount": Decimal("40000.00")}
    )
    won = opportunity_win(opportunity=won, actor=rep1)
    ctx = DemoContext(
        rng=random.Random(1),
        today=timezone.localtime(won.closed_at).date(),
        users={"salesmanager": sales_manager},
        log=lambda _: None,
    )
    load_demo_quotas(ctx)
    current = Quota.objects.order_by("period_start").last().amount
    assert Decimal("34000") <= current <= Decimal("52000")  # 85 % to 130 % of 40000
    assert current % 1000 == 0
