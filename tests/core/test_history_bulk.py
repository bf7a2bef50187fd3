"""History rows for records written in bulk (sfa.core.history_bulk): the rows simple-history
writes for a save, copied on the database server."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from sfa.core import history_bulk
from sfa.core.history_bulk import history_rows_create
from sfa.customers.models import Account
from tests import factories

WHEN = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def without_history_id(record) -> dict:
    values = model_to_dict(record, exclude=["history_id"])
    values["history_date"] = record.history_date
    return values


@pytest.fixture
def customer(rep1):
    group = factories.CustomerGroupFactory(code="DEALER")
    return factories.AccountFactory(
        owner=rep1, group=group, custom_fields={"staff": 12}, street="Hafenstraße 1"
    )


@pytest.mark.parametrize("history_type", ["+", "~"])
def test_copied_rows_are_the_rows_simple_history_writes(customer, rep1, history_type):
    copied = history_rows_create([customer], history_type=history_type, user=rep1, date=WHEN)
    (written,) = Account.history.bulk_history_create(
        [customer], update=history_type == "~", default_user=rep1,
        default_change_reason=None, default_date=WHEN,
    )  # fmt: skip
    copy = Account.history.get(history_id=copied[customer.pk])
    assert without_history_id(copy) == without_history_id(written)


def test_rows_are_returned_by_record(rep1):
    accounts = [factories.AccountFactory(owner=rep1) for _ in range(3)]
    copied = history_rows_create(accounts, history_type="+", user=rep1, date=timezone.now())
    records = Account.history.filter(history_id__in=copied.values())
    assert {r.history_id: r.id for r in records} == {h: pk for pk, h in copied.items()}


def test_a_history_model_with_own_fields_is_written_by_simple_history(customer, rep1, monkeypatch):
    monkeypatch.setattr(history_bulk, "copies_on_server", lambda model: False)
    copied = history_rows_create([customer], history_type="+", user=rep1, date=WHEN)
    record = Account.history.get(history_id=copied[customer.pk])
    assert (record.history_type, record.history_user, record.name) == ("+", rep1, customer.name)


def test_account_history_is_copied_on_the_server():
    assert history_bulk.copies_on_server(Account)


def test_no_rows_when_history_is_off(customer, rep1, settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    assert history_rows_create([customer], history_type="+", user=rep1, date=WHEN) == {}
    assert not Account.history.filter(history_type="+", history_user=rep1).exists()
