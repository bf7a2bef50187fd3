"""New customers in bulk (sfa.customers.bulk): the import's create path keeps what
account_create gives one customer, in a number of queries that does not grow with the rows."""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sfa.core.exceptions import InvalidInput
from sfa.core.importing import run_import
from sfa.core.models import NumberCounter, User
from sfa.customers import services
from sfa.customers.bulk import AccountBulkCreate
from sfa.customers.models import Account, CustomFieldDefinition, PaymentTerm
from sfa.customers.resources import AccountResource
from sfa.customers.search import account_search
from tests import factories


def dataset(rows: list[dict]) -> tablib.Dataset:
    headers = list(dict.fromkeys(name for row in rows for name in row))
    return tablib.Dataset(*[[row.get(h, "") for h in headers] for row in rows], headers=headers)


def import_accounts(actor, rows, *, commit=True):
    return run_import(kind="accounts", dataset=dataset(rows), actor=actor, commit=commit)


def history_of(account: Account) -> list[tuple]:
    """Each history row of a customer: type, user, and the customer type names it holds."""
    records = account.history.order_by("history_id")
    return [
        (r.history_type, r.history_user, sorted(t.customertype.name for t in r.types.all()))
        for r in records
    ]


@pytest.fixture
def lookups(db):
    """Groups, customer types and payment terms (one of each per row of ``varied_rows``, so
    every row looks up other values) and a special field to import against."""
    factories.CustomerGroupFactory(code="DEALER")
    factories.CustomerTypeFactory(name="Dealer")
    factories.CustomerTypeFactory(name="OEM")
    for i in range(ROWS):
        factories.CustomerGroupFactory(code=f"G{i}")
        factories.CustomerTypeFactory(name=f"Type {i}")
        PaymentTerm.objects.create(name=f"{i} days", days=i)
    factories.CustomFieldFactory(key="staff", field_type=CustomFieldDefinition.FieldType.NUMBER)


ROWS = 40  # at most, of varied_rows


def varied_rows(n: int, owner) -> list[dict]:
    """New customers that use every kind of column, each row with other lookup values."""
    return [
        {
            "code": f"B{i:04d}" if i % 2 else "",
            "name": f"Bulk {i}",
            "email": f"info@bulk{i}.example",
            "city": "Kiel",
            "owner": owner.username,
            "branch": owner.branch.code,
            "group": f"g{i}",
            "types": f"Dealer | type {i}" if i % 3 else "",
            "payment_terms": f"{i} days",
            "credit_limit": "1500,50",
            "cf_staff": str(i),
        }
        for i in range(n)
    ]


# Checking codes in batches ---------------------------------------------------------------------


def test_code_taken_in_the_database_is_refused(rep1, account):
    batch = AccountBulkCreate(actor=rep1, codes=[account.code])
    with pytest.raises(ValidationError) as raised:
        batch.check(data={"name": "Twin", "code": account.code})
    assert raised.value.message_dict == {"code": ["Account with this Code already exists."]}


def test_code_given_twice_in_one_batch_is_refused_the_second_time(rep1):
    batch = AccountBulkCreate(actor=rep1, codes=["X1", "X1"])
    batch.check(data={"name": "First", "code": "X1"})
    with pytest.raises(ValidationError) as raised:
        batch.check(data={"name": "Second", "code": "X1"})
    assert raised.value.message_dict == {"code": ["Account with this Code already exists."]}


def test_taken_codes_are_read_in_one_query_per_batch(rep1, django_assert_num_queries):
    codes = [f"Q{i:05d}" for i in range(2500)]
    with django_assert_num_queries(3):
        AccountBulkCreate(actor=rep1, codes=codes, batch_size=1000)


def test_a_code_not_announced_is_still_checked(rep1, account):
    batch = AccountBulkCreate(actor=rep1)
    with pytest.raises(ValidationError) as raised:
        batch.check(data={"name": "Twin", "code": account.code})
    assert list(raised.value.message_dict) == ["code"]


def test_bulk_check_applies_the_owner_rule(rep1, colleague):
    batch = AccountBulkCreate(actor=rep1)
    with pytest.raises(InvalidInput) as raised:
        batch.check(data={"name": "Acme", "owner": colleague})
    assert list(raised.value.fields) == ["owner"]


def test_field_errors_and_a_taken_code_are_reported_together(rep1, account):
    batch = AccountBulkCreate(actor=rep1, codes=[account.code])
    with pytest.raises(ValidationError) as raised:
        batch.check(data={"name": "Twin", "code": account.code, "email": "no-address"})
    assert sorted(raised.value.message_dict) == ["code", "email"]


# Lookups ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("owner", "Unknown owner “nobody”."),
        ("branch", "Unknown branch “nobody”."),
        ("group", "Unknown group “nobody”."),
        ("types", "Unknown customer type “nobody”."),
        ("payment_terms", "Unknown payment terms “nobody”."),
    ],
)
def test_an_unknown_lookup_value_is_an_error_on_its_column(sales_manager, column, message):
    result = import_accounts(sales_manager, [{"name": "Acme", column: "nobody"}], commit=False)
    assert result.rows[0].errors == {column: [message]}


def test_lookup_values_are_matched_ignoring_case(sales_manager, rep1, lookups):
    row = {"name": "Acme", "owner": "REP1", "group": "Dealer", "types": "dealer"}
    import_accounts(sales_manager, [row])
    acme = Account.objects.get(name="Acme")
    assert (acme.owner, acme.group.code, [t.name for t in acme.types.all()]) == (
        rep1,
        "DEALER",
        ["Dealer"],
    )


# What a bulk-created customer has --------------------------------------------------------------


def test_imported_customer_has_a_created_history_row_by_the_importer(rep1):
    import_accounts(rep1, [{"name": "Acme"}])
    record = Account.objects.get(name="Acme").history.get()
    assert (record.history_type, record.history_user, record.name) == ("+", rep1, "Acme")


def test_imported_customer_history_is_the_same_as_account_create_writes(rep1, lookups):
    dealer = factories.CustomerTypeFactory(name="Dealer")
    oem = factories.CustomerTypeFactory(name="OEM")
    one = services.account_create(actor=rep1, data={"name": "One"}, types=[dealer, oem])
    import_accounts(rep1, [{"name": "Two", "types": "Dealer | OEM"}])
    two = Account.objects.get(name="Two")
    expected = [("+", rep1, []), ("~", rep1, ["Dealer", "OEM"])]
    assert (history_of(one), history_of(two)) == (expected, expected)


def test_imported_customer_types_are_set_once_each(rep1, lookups):
    rows = [{"name": "Acme", "types": "Dealer | dealer | OEM"}, {"name": "Beta", "types": "OEM"}]
    import_accounts(rep1, rows)
    types = {a.name: sorted(t.name for t in a.types.all()) for a in Account.objects.all()}
    assert types == {"Acme": ["Dealer", "OEM"], "Beta": ["OEM"]}


def test_imported_customer_types_are_set_when_history_is_off(rep1, lookups, settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    import_accounts(rep1, [{"name": "Acme", "types": "Dealer"}])
    acme = Account.objects.get(name="Acme")
    assert ([t.name for t in acme.types.all()], acme.history.count()) == (["Dealer"], 0)


def test_imported_customer_is_found_by_the_customer_search(rep1):
    import_accounts(rep1, [{"code": "ACME1", "name": "Acme Tools", "phone": "040-555 12"}])
    found = account_search(Account.objects.all(), "tools 04055512")
    assert [a.code for a in found] == ["ACME1"]


def test_imported_customer_has_the_search_document_of_account_create(rep1):
    data = {"name": "Acme Tools", "phone": "040-555 12", "city": "Kiel", "area": "Nord"}
    one = services.account_create(actor=rep1, data={**data, "code": "ONE"})
    import_accounts(rep1, [{**data, "code": "TWO"}])
    two = Account.objects.get(code="TWO")
    assert two.search_document == one.search_document.replace("one", "two")


def test_imported_customer_owner_and_branch_default_to_the_importer(rep1):
    import_accounts(rep1, [{"name": "Acme"}])
    acme = Account.objects.get(name="Acme")
    assert (acme.owner, acme.branch) == (rep1, rep1.branch)


def test_rep_cannot_import_a_customer_for_someone_else(rep1, colleague):
    result = import_accounts(rep1, [{"name": "Acme", "owner": colleague.username}])
    assert result.rows[0].errors == {"owner": ["You can only assign customers to yourself."]}


# Numbering -------------------------------------------------------------------------------------


def test_blank_codes_are_numbered_in_file_order_skipping_taken_codes(rep1):
    factories.AccountFactory(code="C000002", owner=rep1)
    import_accounts(rep1, [{"name": "A"}, {"name": "B"}, {"name": "C"}])
    codes = dict(Account.objects.filter(name__in="ABC").values_list("name", "code"))
    assert codes == {"A": "C000001", "B": "C000003", "C": "C000004"}


def test_a_blank_code_is_not_given_a_code_of_a_later_row(rep1):
    import_accounts(rep1, [{"name": "A"}, {"name": "B", "code": "C000001"}])
    codes = dict(Account.objects.values_list("name", "code"))
    assert codes == {"A": "C000002", "B": "C000001"}


def test_numbering_goes_on_from_the_import_in_account_create(rep1):
    import_accounts(rep1, [{"name": "A"}, {"name": "B"}])
    assert services.account_create(actor=rep1, data={"name": "C"}).code == "C000003"


# Preview and commit ----------------------------------------------------------------------------


def test_preview_writes_nothing(rep1, lookups, monkeypatch):
    monkeypatch.setattr(AccountResource._meta, "batch_size", 2)
    with CaptureQueriesContext(connection) as queries:
        result = import_accounts(rep1, varied_rows(5, rep1), commit=False)
    assert (result.counts["create"], result.committed) == (5, False)
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert not Account.objects.exists()
    assert not NumberCounter.objects.exists()


def test_commit_with_an_error_after_a_written_batch_keeps_nothing(rep1, monkeypatch):
    monkeypatch.setattr(AccountResource._meta, "batch_size", 2)
    rows = [{"name": "A"}, {"name": "B"}, {"name": "C"}, {"city": "no name"}]
    result = import_accounts(rep1, rows)
    assert (result.committed, result.counts["error"]) == (False, 1)
    assert not Account.objects.exists()
    assert not Account.history.exists()


def test_commit_writes_every_batch(rep1, lookups, monkeypatch):
    monkeypatch.setattr(AccountResource._meta, "batch_size", 2)
    result = import_accounts(rep1, varied_rows(5, rep1))
    assert result.committed
    assert Account.objects.count() == Account.history.filter(history_type="+").count() == 5


def test_bulk_create_writes_inside_the_callers_transaction(rep1):
    with transaction.atomic():
        batch = AccountBulkCreate(actor=rep1)
        batch.add(data={"name": "Acme"})
        batch.flush()
        transaction.set_rollback(True)
    assert not Account.objects.exists()


# Queries ---------------------------------------------------------------------------------------


def queries_of_import(actor, rows, *, commit: bool) -> int:
    actor = User.objects.get(pk=actor.pk)  # nothing cached from an earlier import
    with CaptureQueriesContext(connection) as queries:
        result = import_accounts(actor, rows, commit=commit)
    assert result.counts["create"] == len(rows)
    return len(queries)


@pytest.mark.parametrize("commit", [False, True], ids=["preview", "commit"])
def test_import_queries_do_not_grow_with_the_rows(sales_manager, rep1, lookups, commit):
    few = queries_of_import(sales_manager, varied_rows(4, rep1), commit=commit)
    Account.objects.all().delete()
    many = queries_of_import(sales_manager, varied_rows(40, rep1), commit=commit)
    assert few == many
