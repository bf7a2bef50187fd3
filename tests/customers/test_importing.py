"""CSV / XLSX import of customers, contacts and products."""

import datetime
import io
from decimal import Decimal

import pytest
import tablib
from openpyxl import Workbook

from sfa.catalog.models import Product, ProductCategory
from sfa.core.access import Role
from sfa.core.importing import ImportFileError, read_dataset, run_import
from sfa.customers.exports import accounts_response
from sfa.customers.models import Account, Contact, CustomFieldDefinition, PaymentTerm
from tests import factories

# Reading files ---------------------------------------------------------------------------------


def read_table(name: str, data: bytes) -> list[dict]:
    return [dict(row) for row in read_dataset(name, data).dict]


def dataset(rows: list[dict]) -> tablib.Dataset:
    """The rows as the file read would give them: every column in every row (blank if absent)."""
    headers = list(dict.fromkeys(name for row in rows for name in row))
    return tablib.Dataset(*[[row.get(h, "") for h in headers] for row in rows], headers=headers)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_with_commas_is_read():
    data = b"code,name,city\nC1,Acme,Hamburg\nC2,Beta,Bremen\n"
    assert read_table("customers.csv", data) == [
        {"code": "C1", "name": "Acme", "city": "Hamburg"},
        {"code": "C2", "name": "Beta", "city": "Bremen"},
    ]


def test_csv_with_semicolons_is_read():
    data = "code;name;city\nC1;Müller, Hans;Köln\n".encode()
    assert read_table("customers.csv", data) == [
        {"code": "C1", "name": "Müller, Hans", "city": "Köln"}
    ]


def test_csv_with_utf8_byte_order_mark_is_read():
    data = "name;city\nÖlwerk;Düren\n".encode("utf-8-sig")
    assert read_table("customers.csv", data) == [{"name": "Ölwerk", "city": "Düren"}]


def test_csv_in_latin1_is_read():
    data = "name;city\nÖlwerk;Düren\n".encode("latin-1")
    assert read_table("customers.csv", data) == [{"name": "Ölwerk", "city": "Düren"}]


def test_csv_cells_are_trimmed_and_blank_lines_skipped():
    data = b"name , city\n  Acme , Hamburg \n\n,\n"
    assert read_table("customers.csv", data) == [{"name": "Acme", "city": "Hamburg"}]


def test_csv_short_row_fills_missing_cells_blank():
    assert read_table("c.csv", b"name,city,phone\nAcme,Hamburg\n") == [
        {"name": "Acme", "city": "Hamburg", "phone": ""}
    ]


def test_header_aliases_map_to_field_names():
    data = b"Customer No;Company;E-Mail;ZIP;Telephone\nC1;Acme;a@acme.example;20095;040 1\n"
    assert read_table("customers.csv", data) == [
        {
            "code": "C1",
            "name": "Acme",
            "email": "a@acme.example",
            "postal_code": "20095",
            "phone": "040 1",
        }
    ]


def test_xlsx_is_read_with_header_aliases():
    data = xlsx([["Customer No", "Company", "ZIP", None], ["C1", "Acme", 20095, None]])
    assert read_table("customers.xlsx", data) == [
        {"code": "C1", "name": "Acme", "postal_code": "20095"}
    ]


def test_xlsx_numbers_are_read_as_text():
    data = xlsx([["name", "credit_limit"], ["Acme", 1500.5]])
    assert read_table("customers.xlsx", data) == [{"name": "Acme", "credit_limit": "1500.5"}]


def test_xlsx_date_cells_are_read_as_iso_dates():
    founded = datetime.datetime(2001, 2, 3)  # noqa: DTZ001 - Excel cells carry no time zone
    data = xlsx([["name", "cf_founded"], ["Acme", founded]])
    assert read_table("customers.xlsx", data) == [{"name": "Acme", "cf_founded": "2001-02-03"}]


def test_unreadable_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="XLSX"):
        read_table("customers.xlsx", b"not a workbook")


def test_other_file_types_are_refused():
    with pytest.raises(ImportFileError, match=".csv or .xlsx"):
        read_table("customers.pdf", b"%PDF-1.4")


def test_file_without_data_rows_is_refused():
    with pytest.raises(ImportFileError, match="header row"):
        read_table("customers.csv", b"code,name\n")


# Customers -------------------------------------------------------------------------------------


def import_accounts(actor, rows, *, commit=True):
    return run_import(kind="accounts", dataset=dataset(rows), actor=actor, commit=commit)


def test_dry_run_reports_creates_and_keeps_nothing(rep1):
    result = import_accounts(rep1, [{"name": "Acme"}, {"name": "Beta"}], commit=False)
    assert ([r.action for r in result.rows], result.committed) == (["create", "create"], False)
    assert not Account.objects.exists()


def test_commit_creates_customers_owned_by_the_importer(rep1):
    result = import_accounts(rep1, [{"name": "Acme", "code": "ACME"}, {"name": "Beta"}])
    assert (result.committed, result.counts["create"]) == (True, 2)
    acme = Account.objects.get(code="ACME")
    assert (acme.owner, acme.branch) == (rep1, rep1.branch)
    assert Account.objects.filter(name="Beta", code__startswith="C").exists()


def test_commit_reads_lookups_and_numbers(rep1):
    group = factories.CustomerGroupFactory(code="DEALER")
    dealer = factories.CustomerTypeFactory(name="dealer")
    oem = factories.CustomerTypeFactory(name="OEM")
    row = {
        "name": "Acme",
        "group": "dealer",
        "types": "Dealer | oem",
        "credit_limit": "1500,50",
    }
    import_accounts(rep1, [row])
    acme = Account.objects.get(name="Acme")
    assert (acme.group, acme.credit_limit) == (group, Decimal("1500.50"))
    assert set(acme.types.all()) == {dealer, oem}


def test_import_checks_custom_fields(rep1):
    factories.CustomFieldFactory(key="staff", field_type=CustomFieldDefinition.FieldType.NUMBER)
    result = import_accounts(rep1, [{"name": "Acme", "cf_staff": "many"}])
    assert result.rows[0].errors == {"custom_fields": ["staff: Enter a number."]}


def test_row_with_an_invalid_email_is_reported(rep1):
    result = import_accounts(rep1, [{"name": "Acme", "email": "not-an-address"}])
    assert list(result.rows[0].errors) == ["email"]


def test_row_without_a_name_is_reported(rep1):
    result = import_accounts(rep1, [{"city": "Hamburg"}])
    assert result.rows[0].errors == {"name": ["This field is required."]}


def test_unknown_lookup_value_is_reported(rep1):
    result = import_accounts(rep1, [{"name": "Acme", "payment_terms": "Never"}])
    assert list(result.rows[0].errors) == ["payment_terms"]


def test_rows_are_numbered_by_their_line_in_the_file(rep1):
    result = import_accounts(rep1, [{"name": "Acme"}, {"city": "x"}], commit=False)
    assert [(r.line, r.action) for r in result.rows] == [(2, "create"), (3, "error")]


def test_existing_code_updates_the_customer(rep1, account):
    result = import_accounts(rep1, [{"code": account.code.lower(), "name": "Renamed"}])
    assert [r.action for r in result.rows] == ["update"]
    account.refresh_from_db()
    assert account.name == "Renamed"


def test_update_keeps_fields_the_file_leaves_blank(rep1, account):
    phone = account.phone = "040 1234"
    account.save()
    import_accounts(rep1, [{"code": account.code, "name": "Renamed", "phone": ""}])
    account.refresh_from_db()
    assert account.phone == phone


def test_code_of_a_customer_the_importer_cannot_see_is_refused(rep2, account):
    result = import_accounts(rep2, [{"code": account.code, "name": "Hijacked"}])
    assert list(result.rows[0].errors) == ["code"]
    account.refresh_from_db()
    assert account.name != "Hijacked"


def test_update_needs_change_permission(account, branch_north):
    marketing = factories.UserFactory(role=Role.MARKETING_MANAGER, branch=branch_north)
    result = import_accounts(marketing, [{"code": account.code, "name": "Renamed"}])
    assert list(result.rows[0].errors) == ["code"]


def test_email_of_an_existing_customer_is_reported_as_duplicate(rep1, account):
    result = import_accounts(rep1, [{"name": "Twin", "email": account.email.upper()}])
    assert result.rows[0].errors == {
        "email": [f"Duplicate: customer {account.code} has this e-mail."]
    }


def test_code_twice_in_the_file_is_reported(rep1):
    rows = [{"code": "X1", "name": "Acme"}, {"code": "x1", "name": "Acme again"}]
    result = import_accounts(rep1, rows, commit=False)
    assert result.rows[1].errors == {"code": ["Appears twice in this file."]}


def test_email_twice_in_the_file_is_reported(rep1):
    rows = [{"name": "Acme", "email": "a@acme.example"}, {"name": "B", "email": "A@acme.example"}]
    result = import_accounts(rep1, rows, commit=False)
    assert [r.action for r in result.rows] == ["create", "error"]
    assert result.rows[1].errors == {"email": ["Appears twice in this file."]}


def test_commit_with_an_error_row_keeps_nothing(rep1):
    result = import_accounts(rep1, [{"name": "Acme"}, {"city": "no name"}, {"name": "Beta"}])
    assert (result.committed, result.has_errors) == (False, True)
    assert result.counts == {"create": 2, "update": 0, "error": 1}
    assert not Account.objects.exists()


def test_commit_with_an_error_row_leaves_updates_undone(rep1, account):
    name = account.name
    import_accounts(rep1, [{"code": account.code, "name": "Renamed"}, {"city": "no name"}])
    account.refresh_from_db()
    assert account.name == name


# Contacts --------------------------------------------------------------------------------------


def import_contacts(actor, rows, *, commit=True):
    return run_import(kind="contacts", dataset=dataset(rows), actor=actor, commit=commit)


def test_contacts_are_attached_by_account_code(rep1, account):
    row = {"account_code": account.code.lower(), "last_name": "Lovelace", "email": "ada@x.example"}
    result = import_contacts(rep1, [row])
    assert [r.action for r in result.rows] == ["create"]
    assert account.contacts.get().last_name == "Lovelace"


def test_contact_import_aliases_the_account_column():
    rows = read_table("c.csv", b"Account;Surname;Firstname\nC1;Lovelace;Ada\n")
    assert rows == [{"account_code": "C1", "last_name": "Lovelace", "first_name": "Ada"}]


def test_contact_of_an_account_the_importer_cannot_see_is_refused(rep2, account):
    result = import_contacts(rep2, [{"account_code": account.code, "last_name": "Spy"}])
    assert list(result.rows[0].errors) == ["account_code"]
    assert not Contact.objects.exists()


def test_contact_with_a_known_email_is_updated(rep1, account):
    contact = factories.ContactFactory(account=account, email="ada@x.example", phone="")
    row = {"account_code": account.code, "email": "ADA@x.example", "phone": "040 99"}
    result = import_contacts(rep1, [row])
    assert [r.action for r in result.rows] == ["update"]
    contact.refresh_from_db()
    assert contact.phone == "040 99"


def test_contact_flags_read_yes_words(rep1, account):
    row = {"account_code": account.code, "last_name": "Lovelace", "email_consent": "Ja"}
    import_contacts(rep1, [row])
    contact = account.contacts.get()
    assert contact.email_consent
    assert contact.email_consent_at is not None


def test_contact_email_twice_for_the_same_account_is_reported(rep1, account):
    rows = [
        {"account_code": account.code, "last_name": "A", "email": "ada@x.example"},
        {"account_code": account.code, "last_name": "B", "email": "ada@x.example"},
    ]
    result = import_contacts(rep1, rows, commit=False)
    assert list(result.rows[1].errors) == ["email"]


# Products --------------------------------------------------------------------------------------


@pytest.fixture
def tax_rates(db):
    return {
        "standard": factories.TaxRateFactory(),
        "reduced": factories.TaxRateFactory(name="Reduced", rate=Decimal("7.00"), is_default=False),
    }


def import_products(actor, rows, *, commit=True):
    return run_import(kind="products", dataset=dataset(rows), actor=actor, commit=commit)


def test_product_is_created_with_the_default_tax_rate(sales_manager, tax_rates):
    row = {"code": "P-1", "name": "Pump", "unit_price": "99,90"}
    result = import_products(sales_manager, [row])
    assert [r.action for r in result.rows] == ["create"]
    product = Product.objects.get(code="P-1")
    assert (product.unit_price, product.tax_rate) == (Decimal("99.90"), tax_rates["standard"])


def test_product_tax_rate_is_found_by_name(sales_manager, tax_rates):
    import_products(
        sales_manager, [{"code": "P-1", "name": "Book", "unit_price": "9", "tax_rate": "reduced"}]
    )
    assert Product.objects.get(code="P-1").tax_rate == tax_rates["reduced"]


@pytest.mark.parametrize("given", ["7", "7.0", "7,00", "7%", "7 %"])
def test_product_tax_rate_is_found_by_percentage(sales_manager, tax_rates, given):
    row = {"code": "P-1", "name": "Book", "unit_price": "9", "tax_rate": given}
    result = import_products(sales_manager, [row])
    assert result.rows[0].errors == {}
    assert Product.objects.get(code="P-1").tax_rate == tax_rates["reduced"]


@pytest.mark.parametrize("given", ["42", "Luxury"])
def test_unknown_product_tax_rate_is_reported(sales_manager, tax_rates, given):
    row = {"code": "P-1", "name": "Book", "unit_price": "9", "tax_rate": given}
    result = import_products(sales_manager, [row])
    assert result.rows[0].errors == {"tax_rate": [f"Unknown tax rate “{given}”."]}


def test_product_category_is_created_when_missing(sales_manager, tax_rates):
    row = {"code": "P-1", "name": "Pump", "unit_price": "10", "category": "Pumps"}
    import_products(sales_manager, [row])
    category = ProductCategory.objects.get(name="Pumps")
    assert Product.objects.get(code="P-1").category == category


def test_product_category_is_reused_when_present(sales_manager, tax_rates):
    pumps = factories.ProductCategoryFactory(name="Pumps")
    rows = [
        {"code": "P-1", "name": "Pump", "unit_price": "10", "category": "Pumps"},
        {"code": "P-2", "name": "Pump 2", "unit_price": "10", "category": "Pumps"},
    ]
    import_products(sales_manager, rows)
    assert ProductCategory.objects.count() == 1
    assert set(pumps.products.values_list("code", flat=True)) == {"P-1", "P-2"}


def test_existing_product_code_updates_the_product(sales_manager, tax_rates):
    product = factories.ProductFactory(code="P-1", unit_price=Decimal("10.00"))
    result = import_products(sales_manager, [{"code": "p-1", "unit_price": "12.50"}])
    assert [r.action for r in result.rows] == ["update"]
    product.refresh_from_db()
    assert product.unit_price == Decimal("12.50")


def test_new_product_without_a_price_is_reported(sales_manager, tax_rates):
    result = import_products(sales_manager, [{"code": "P-1", "name": "Pump"}])
    assert list(result.rows[0].errors) == ["unit_price"]


def test_product_code_twice_in_the_file_is_reported(sales_manager, tax_rates):
    rows = [
        {"code": "P-1", "name": "Pump", "unit_price": "10"},
        {"code": "p-1", "name": "Pump", "unit_price": "11"},
    ]
    result = import_products(sales_manager, rows, commit=False)
    assert result.rows[1].errors == {"code": ["Appears twice in this file."]}


def test_product_commit_with_an_error_row_keeps_nothing(sales_manager, tax_rates):
    rows = [
        {"code": "P-1", "name": "Pump", "unit_price": "10", "category": "Pumps"},
        {"code": "P-2", "name": "Pump", "unit_price": "ten"},
    ]
    result = import_products(sales_manager, rows)
    assert not result.committed
    assert not Product.objects.exists()
    assert not ProductCategory.objects.exists()


# Export and import use the same columns ------------------------------------------------------


def export(fmt: str) -> bytes:
    return accounts_response(Account.objects.all(), fmt).content


def exported_rows(fmt: str, content: bytes) -> list[dict]:
    return read_table(f"customers.{fmt}", content)


@pytest.fixture
def varied_customers(rep1, colleague):
    """Two customers using every kind of column: lookups, types, numbers, special fields."""
    factories.CustomFieldFactory(key="staff", field_type=CustomFieldDefinition.FieldType.NUMBER)
    factories.CustomFieldFactory(key="founded", field_type=CustomFieldDefinition.FieldType.DATE)
    group = factories.CustomerGroupFactory(code="DEALER")
    terms = PaymentTerm.objects.create(name="30 days net", days=30)
    dealer, oem = factories.CustomerTypeFactory(name="Dealer"), factories.CustomerTypeFactory()
    acme = factories.AccountFactory(
        owner=rep1,
        name="Acme, Hamburg",
        group=group,
        payment_terms=terms,
        credit_limit=Decimal("1500.50"),
        discount_privilege=Decimal("2.50"),
        street="Hafenstraße 1",
        notes="Call before noon.\nClosed on Fridays.",
        custom_fields={"staff": 120, "founded": "2001-02-03"},
    )
    acme.types.set([dealer, oem])
    factories.AccountFactory(owner=colleague, name="Beta", email="", phone="040 1")
    return Account.objects.order_by("pk")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_imports_back_over_later_changes(sales_manager, varied_customers, fmt):
    content = export(fmt)
    acme = varied_customers.first()
    acme.name, acme.custom_fields, acme.group = "Renamed", {"staff": 1}, None
    acme.save()
    acme.types.clear()
    result = run_import(
        kind="accounts", dataset=read_dataset(f"c.{fmt}", content), actor=sales_manager, commit=True
    )
    assert (result.committed, result.counts["update"]) == (True, 2)
    assert exported_rows(fmt, export(fmt)) == exported_rows(fmt, content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_creates_the_same_customers_again(sales_manager, varied_customers, fmt):
    content = export(fmt)
    varied_customers.delete()
    result = run_import(
        kind="accounts", dataset=read_dataset(f"c.{fmt}", content), actor=sales_manager, commit=True
    )
    assert (result.committed, result.counts["create"]) == (True, 2)
    assert exported_rows(fmt, export(fmt)) == exported_rows(fmt, content)


def test_the_export_has_the_import_columns_and_one_per_special_field(varied_customers):
    header = exported_rows("csv", export("csv"))[0]
    assert list(header)[:3] == ["code", "name", "status"]
    assert {"types", "owner", "alert_message", "notes", "cf_staff", "cf_founded"} <= set(header)


def test_an_error_names_the_line_and_the_column(rep1):
    data = b"name;group;credit_limit\nAcme;;10\nBeta;NOPE;lots\nGamma;;5\n"
    result = run_import(
        kind="accounts", dataset=read_dataset("c.csv", data), actor=rep1, commit=False
    )
    assert [(row.line, row.action) for row in result.rows] == [
        (2, "create"),
        (3, "error"),
        (4, "create"),
    ]
    assert result.rows[1].errors == {
        "group": ["Unknown group “NOPE”."],
        "credit_limit": ["Enter a number."],
    }


def test_a_dry_run_of_updates_writes_nothing(rep1, account):
    name, changes = account.name, account.history.count()
    result = import_accounts(rep1, [{"code": account.code, "name": "Renamed"}], commit=False)
    assert ([r.action for r in result.rows], result.committed) == (["update"], False)
    account.refresh_from_db()
    assert (account.name, account.history.count()) == (name, changes)


def test_a_dry_run_of_products_creates_no_category(sales_manager, tax_rates):
    row = {"code": "P-1", "name": "Pump", "unit_price": "10", "category": "Pumps"}
    result = import_products(sales_manager, [row], commit=False)
    assert [r.action for r in result.rows] == ["create"]
    assert not ProductCategory.objects.exists()
    assert not Product.objects.exists()


def test_an_update_changes_only_the_special_fields_given(rep1, account):
    factories.CustomFieldFactory(key="staff", field_type=CustomFieldDefinition.FieldType.NUMBER)
    factories.CustomFieldFactory(key="motto")
    account.custom_fields = {"staff": 12, "motto": "Always on time"}
    account.save()
    import_accounts(rep1, [{"code": account.code, "cf_staff": "13"}])
    account.refresh_from_db()
    assert account.custom_fields == {"staff": 13, "motto": "Always on time"}
