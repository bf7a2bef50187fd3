"""The staff UI of the customer base, through Django's test client."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from sfa.customers.models import (
    Account,
    Activity,
    Contact,
    Contract,
    DeletionRequest,
    Document,
    Reminder,
    SavedFilter,
    ShipToAddress,
)
from sfa.customers.tabs import tabs_for
from tests import factories

pytestmark = pytest.mark.django_db

HTMX_TAB = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "tab-panel"}
HTMX_RESULTS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "account-results"}


@pytest.fixture
def rep1_client(client_for, rep1):
    return client_for(rep1)


@pytest.fixture
def other_account(rep2):
    """A customer of rep2 (South branch), invisible to rep1."""
    return factories.AccountFactory(owner=rep2, name="Southern Secret GmbH")


def page_text(response) -> str:
    return response.content.decode()


def detail_url(account, tab=None) -> str:
    return f"/customers/{account.pk}/" + (f"?tab={tab}" if tab else "")


def upload(name: str, content: bytes, content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def csv_file(rows: list[list[str]], name: str = "customers.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return upload(name, buffer.getvalue().encode(), "text/csv")


def downloaded(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


# The list ------------------------------------------------------------------------------------


def test_list_shows_own_customers_and_not_another_reps(rep1_client, account, other_account):
    response = rep1_client.get("/customers/")
    assert response.status_code == 200
    assert account.name in page_text(response)
    assert other_account.name not in page_text(response)


def test_list_search_finds_a_customer_by_its_contacts_email(rep1_client, account, rep1):
    factories.ContactFactory(account=account, email="jane.roe@findme.example")
    unrelated = factories.AccountFactory(owner=rep1, name="Unrelated Corp")
    response = rep1_client.get("/customers/", {"search": "findme"})
    assert account.name in page_text(response)
    assert unrelated.name not in page_text(response)


def test_list_htmx_request_returns_only_the_results_partial(rep1_client, account):
    response = rep1_client.get("/customers/", {"search": account.name}, **HTMX_RESULTS)
    assert response.status_code == 200
    html = page_text(response)
    assert account.name in html
    assert "<html" not in html
    assert 'id="account-filters"' not in html


def test_list_htmx_results_resend_export_links_and_filter_query_for_the_search(
    rep1_client, account
):
    html = page_text(rep1_client.get("/customers/", {"search": "Ham burg"}, **HTMX_RESULTS))
    assert '<span id="export-links" class="actions" hx-swap-oob="true">' in html
    assert 'href="/customers/export.csv?search=Ham+burg"' in html
    assert 'id="saved-filter-query" value="search=Ham+burg" hx-swap-oob="true"' in html


def test_list_reads_a_saved_filter_of_the_old_names_as_the_api_names(rep1_client, rep1):
    """Saved filters and bookmarks from before the list took the API's names still work,
    and what the list offers to save next uses the new names."""
    older = factories.AccountFactory(owner=rep1, name="Hamburg Older", city="Hamburg")
    newer = factories.AccountFactory(owner=rep1, name="Hamburg Newer", city="Hamburg")
    factories.AccountFactory(owner=rep1, name="Munich", city="Munich")
    response = rep1_client.get("/customers/?q=hamburg&sort=-updated", **HTMX_RESULTS)
    html = page_text(response)
    assert [a.name for a in response.context["page"]] == [newer.name, older.name]
    assert 'value="search=hamburg&amp;ordering=-updated_at"' in html


def test_list_sorts_by_the_api_ordering_names(rep1_client, rep1):
    factories.AccountFactory(owner=rep1, name="Alpha", code="C-2")
    factories.AccountFactory(owner=rep1, name="Beta", code="C-1")
    response = rep1_client.get("/customers/", {"ordering": "code"}, **HTMX_RESULTS)
    assert [a.name for a in response.context["page"]] == ["Beta", "Alpha"]


def test_the_staff_list_and_the_api_take_the_same_parameters(rep1_client, api_for, rep1, colleague):
    hamburg = factories.AccountFactory(owner=rep1, name="Hamburg Tools", city="Hamburg")
    hamburg.types.set([factories.CustomerTypeFactory(name="dealer")])
    factories.AccountFactory(owner=rep1, name="Kiel Oils", city="Kiel", region="North")
    factories.AccountFactory(owner=rep1, name="Gone", status=Account.Status.ARCHIVED)
    api = api_for(rep1)
    for params in (
        {"search": "tools", "status": "active"},
        {"types": [hamburg.types.get().pk], "status": "active"},
        {"region": "north", "status": "active"},
        {"status": "archived"},
        {"ordering": "-city", "status": "active"},
    ):
        page = rep1_client.get("/customers/", params).context["page"]
        rows = api.get("/api/v1/accounts/", params).json()["results"]
        assert [a.pk for a in page] == [row["id"] for row in rows], params
        assert rows


def test_the_staff_list_queries_do_not_grow_with_the_rows(rep1_client, rep1):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert rep1_client.get("/customers/").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            account = factories.AccountFactory(owner=rep1, group=factories.CustomerGroupFactory())
            account.types.set([factories.CustomerTypeFactory()])

    add(5)
    count()  # the session and the pickers are cached from the first request on
    few = count()
    add(20)
    count()  # new customer types and groups: their pickers are read again, then cached
    assert count() == few


def test_the_export_queries_do_not_grow_with_the_rows(rep1_client, rep1):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert rep1_client.get("/customers/export.csv").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            account = factories.AccountFactory(owner=rep1, group=factories.CustomerGroupFactory())
            account.types.set([factories.CustomerTypeFactory()])

    add(5)
    few = count()
    add(45)
    assert count() == few


@pytest.fixture
def typed_accounts(rep1):
    dealer = factories.CustomerTypeFactory(name="dealer")
    oem = factories.CustomerTypeFactory(name="oem")
    only_dealer = factories.AccountFactory(owner=rep1, name="Only Dealer")
    only_dealer.types.set([dealer])
    both = factories.AccountFactory(owner=rep1, name="Dealer And Oem")
    both.types.set([dealer, oem])
    neither = factories.AccountFactory(owner=rep1, name="No Types")
    return dealer, oem, only_dealer, both, neither


def test_list_types_filter_any_matches_customers_with_one_of_the_types(rep1_client, typed_accounts):
    dealer, oem, only_dealer, both, neither = typed_accounts
    response = rep1_client.get(
        "/customers/", {"types": [dealer.pk, oem.pk], "types_match": "any"}, **HTMX_RESULTS
    )
    html = page_text(response)
    assert only_dealer.name in html
    assert both.name in html
    assert neither.name not in html


def test_list_types_filter_all_needs_every_type(rep1_client, typed_accounts):
    dealer, oem, only_dealer, both, neither = typed_accounts
    response = rep1_client.get(
        "/customers/", {"types": [dealer.pk, oem.pk], "types_match": "all"}, **HTMX_RESULTS
    )
    html = page_text(response)
    assert both.name in html
    assert only_dealer.name not in html
    assert neither.name not in html


def test_list_hides_archived_customers_by_default(rep1_client, rep1, account):
    archived = factories.AccountFactory(owner=rep1, name="Gone Away Ltd")
    Account.objects.filter(pk=archived.pk).update(status=Account.Status.ARCHIVED)
    html = page_text(rep1_client.get("/customers/"))
    assert account.name in html
    assert archived.name not in html


def test_list_status_filter_shows_archived_customers(rep1_client, rep1, account):
    archived = factories.AccountFactory(owner=rep1, name="Gone Away Ltd")
    Account.objects.filter(pk=archived.pk).update(status=Account.Status.ARCHIVED)
    html = page_text(rep1_client.get("/customers/", {"status": "archived"}))
    assert archived.name in html
    assert account.name not in html


def test_list_reminders_due_filter_keeps_customers_with_due_reminders(rep1_client, rep1):
    due = factories.AccountFactory(owner=rep1, name="Call Me Today")
    later = factories.AccountFactory(owner=rep1, name="Call Me Next Year")
    today = timezone.localdate()
    factories.ReminderFactory(account=due, due_date=today)
    factories.ReminderFactory(account=later, due_date=today + datetime.timedelta(days=365))
    html = page_text(rep1_client.get("/customers/", {"reminders_due": "true"}))
    assert due.name in html
    assert later.name not in html


def test_saved_filter_is_saved_and_listed(rep1_client, rep1, account):
    response = rep1_client.post(
        "/customers/filters/save/", {"name": "Hamburg", "query": "q=Hamburg"}, follow=True
    )
    saved = SavedFilter.objects.get(user=rep1, name="Hamburg")
    assert saved.query == "q=Hamburg"
    assert response.redirect_chain[-1][0] == "/customers/?q=Hamburg"
    html = page_text(response)
    assert f'href="/customers/?{saved.query}"' in html
    assert f"/customers/filters/{saved.pk}/delete/" in html


def test_saved_filter_delete_removes_it(rep1_client, rep1):
    saved = SavedFilter.objects.create(user=rep1, name="Hamburg", query="q=Hamburg")
    response = rep1_client.post(f"/customers/filters/{saved.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
    assert "Saved filter removed." in page_text(response)
    assert f"/customers/filters/{saved.pk}/delete/" not in page_text(response)


def test_saved_filter_of_another_user_cannot_be_deleted(client_for, rep2, rep1):
    saved = SavedFilter.objects.create(user=rep1, name="Mine", query="q=x")
    response = client_for(rep2).post(f"/customers/filters/{saved.pk}/delete/")
    assert response.status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


# The 360 page --------------------------------------------------------------------------------


def all_tab_keys() -> list[str]:
    return [
        "main",
        "special",
        "accounting",
        "ship-to",
        "contacts",
        "activities",
        "reminders",
        "documents",
        "contracts",
        "history",
    ]


def test_the_360_page_offers_every_builtin_tab_to_a_rep(rep1):
    keys = {tab.key for tab in tabs_for(rep1)}
    assert set(all_tab_keys()) <= keys


@pytest.mark.parametrize("tab", all_tab_keys())
def test_every_tab_renders_for_the_owner(rep1_client, account, tab):
    factories.ContactFactory(account=account)
    factories.ReminderFactory(account=account)
    factories.ActivityFactory(account=account)
    factories.ShipToFactory(account=account)
    response = rep1_client.get(detail_url(account, tab))
    assert response.status_code == 200
    assert account.name in page_text(response)


@pytest.mark.parametrize("tab", all_tab_keys())
def test_every_tab_renders_as_an_htmx_partial(rep1_client, account, tab):
    response = rep1_client.get(detail_url(account, tab), **HTMX_TAB)
    assert response.status_code == 200
    assert "<html" not in page_text(response)


@pytest.mark.parametrize("tab", all_tab_keys())
def test_every_tab_is_404_for_another_rep(client_for, rep2, account, tab):
    response = client_for(rep2).get(detail_url(account, tab))
    assert response.status_code == 404


def test_detail_shows_the_alert_message(rep1_client, account):
    Account.objects.filter(pk=account.pk).update(alert_message="Pays only in advance!")
    response = rep1_client.get(detail_url(account))
    assert 'role="alert"' in page_text(response)
    assert "Pays only in advance!" in page_text(response)


def account_form_data(**overrides) -> dict:
    data = {
        "code": "",
        "name": "Brand New GmbH",
        "email": "office@brand-new.example",
        "city": "Kiel",
        "country": "DE",
        "credit_limit": "1000.00",
        "discount_privilege": "0",
    }
    data.update(overrides)
    return data


def test_create_customer_through_the_form_generates_a_code(rep1_client, rep1):
    response = rep1_client.post("/customers/new/", account_form_data(owner=rep1.pk))
    account = Account.objects.get(name="Brand New GmbH")
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{account.pk}/?tab=special"
    assert account.code.startswith("C")
    assert account.owner == rep1
    assert account.branch == rep1.branch


def test_create_customer_with_blank_owner_belongs_to_the_creating_rep(rep1_client, rep1):
    response = rep1_client.post("/customers/new/", account_form_data(owner="", branch=""))
    account = Account.objects.get(name="Brand New GmbH")
    assert account.owner == rep1
    assert rep1_client.get(response["Location"]).status_code == 200


def test_create_customer_with_a_taken_code_shows_the_error(rep1_client, account):
    response = rep1_client.post("/customers/new/", account_form_data(code=account.code))
    assert response.status_code == 400
    assert "already exists" in page_text(response)
    assert not Account.objects.filter(name="Brand New GmbH").exists()


def test_create_customer_for_another_rep_is_refused(rep1_client, rep2):
    response = rep1_client.post("/customers/new/", account_form_data(owner=rep2.pk))
    assert response.status_code == 400
    assert "only assign customers to yourself" in page_text(response)
    assert not Account.objects.filter(name="Brand New GmbH").exists()


def test_edit_customer_saves_the_change(rep1_client, rep1, account):
    data = account_form_data(
        code=account.code, name="Renamed Ltd", owner=rep1.pk, branch=rep1.branch_id
    )
    response = rep1_client.post(f"/customers/{account.pk}/edit/", data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "Renamed Ltd"
    assert account.city == "Kiel"


def test_edit_form_of_another_reps_customer_is_404(client_for, rep2, account):
    assert client_for(rep2).get(f"/customers/{account.pk}/edit/").status_code == 404


# Special fields ------------------------------------------------------------------------------


@pytest.fixture
def tier_field():
    return factories.CustomFieldFactory(
        key="tier",
        label="Tier",
        field_type="choice",
        choices=["gold", "silver"],
        is_required=True,
    )


def test_special_fields_tab_saves_valid_values(rep1_client, account, tier_field):
    response = rep1_client.post(f"/customers/{account.pk}/special/", {"tier": "gold"}, **HTMX_TAB)
    assert response.status_code == 200
    assert "Special fields saved." in page_text(response)
    account.refresh_from_db()
    assert account.custom_fields == {"tier": "gold"}


def test_special_fields_tab_shows_an_error_for_a_missing_required_value(
    rep1_client, account, tier_field
):
    response = rep1_client.post(f"/customers/{account.pk}/special/", {"tier": ""}, **HTMX_TAB)
    assert response.status_code == 400
    html = page_text(response)
    assert "This field is required." in html
    assert 'class="field has-error' in html
    account.refresh_from_db()
    assert account.custom_fields == {}


def test_special_fields_tab_rejects_a_value_outside_the_choices(rep1_client, account, tier_field):
    response = rep1_client.post(f"/customers/{account.pk}/special/", {"tier": "bronze"}, **HTMX_TAB)
    assert response.status_code == 400
    account.refresh_from_db()
    assert account.custom_fields == {}


# Ship-to addresses ---------------------------------------------------------------------------


def test_ship_to_add_returns_the_tab_and_the_first_address_is_default(rep1_client, account):
    response = rep1_client.post(
        f"/customers/{account.pk}/ship-to/",
        {"label": "Main warehouse", "city": "Bremen", "country": "DE"},
        **HTMX_TAB,
    )
    assert response.status_code == 200
    html = page_text(response)
    assert "<html" not in html
    assert "Main warehouse" in html
    assert "Ship-to address added." in html
    address = ShipToAddress.objects.get(account=account)
    assert address.is_default


def test_ship_to_second_address_is_not_default(rep1_client, account):
    first = factories.ShipToFactory(account=account, is_default=True)
    rep1_client.post(f"/customers/{account.pk}/ship-to/", {"label": "Second"}, **HTMX_TAB)
    second = ShipToAddress.objects.get(account=account, label="Second")
    first.refresh_from_db()
    assert first.is_default
    assert not second.is_default


def test_ship_to_make_default_moves_the_flag(rep1_client, account):
    first = factories.ShipToFactory(account=account, is_default=True)
    second = factories.ShipToFactory(account=account)
    response = rep1_client.post(f"/customers/{account.pk}/ship-to/{second.pk}/default/", **HTMX_TAB)
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default
    assert not first.is_default


def test_ship_to_add_without_label_shows_the_error(rep1_client, account):
    response = rep1_client.post(f"/customers/{account.pk}/ship-to/", {"city": "X"}, **HTMX_TAB)
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    assert not ShipToAddress.objects.filter(account=account).exists()


def test_ship_to_add_on_another_reps_customer_is_404(client_for, rep2, account):
    response = client_for(rep2).post(
        f"/customers/{account.pk}/ship-to/", {"label": "Sneaky"}, **HTMX_TAB
    )
    assert response.status_code == 404
    assert not ShipToAddress.objects.exists()


# Contacts ------------------------------------------------------------------------------------


def test_contact_add_shows_it_in_the_tab(rep1_client, account):
    response = rep1_client.post(
        f"/customers/{account.pk}/contacts/",
        {"first_name": "Jane", "last_name": "Roe", "email": "jane@roe.example"},
        **HTMX_TAB,
    )
    assert response.status_code == 200
    assert "jane@roe.example" in page_text(response)
    assert Contact.objects.filter(account=account, last_name="Roe").exists()


def test_contact_archive_deactivates_it_and_removes_portal_access(rep1_client, account):
    contact = factories.ContactFactory(account=account, has_portal_access=True)
    response = rep1_client.post(
        f"/customers/{account.pk}/contacts/{contact.pk}/archive/", **HTMX_TAB
    )
    assert response.status_code == 200
    assert "archived" in page_text(response)
    contact.refresh_from_db()
    assert not contact.is_active
    assert not contact.has_portal_access


# Reminders and activities --------------------------------------------------------------------


def test_reminder_add_assigns_it_to_the_user_by_default(rep1_client, rep1, account):
    due = timezone.localdate() + datetime.timedelta(days=3)
    response = rep1_client.post(
        f"/customers/{account.pk}/reminders/",
        {"subject": "Send the catalogue", "due_date": due.isoformat()},
        **HTMX_TAB,
    )
    assert response.status_code == 200
    assert "Send the catalogue" in page_text(response)
    reminder = Reminder.objects.get(account=account)
    assert reminder.assignee == rep1
    assert reminder.due_date == due


def test_reminder_add_by_htmx_resends_the_tab_bar_with_the_new_count(rep1_client, account):
    due = timezone.localdate().isoformat()
    response = rep1_client.post(
        f"/customers/{account.pk}/reminders/", {"subject": "Ring", "due_date": due}, **HTMX_TAB
    )
    html = page_text(response)
    assert '<nav id="account-tabs"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'Reminders <span class="count">1</span>' in html


def test_reminder_toggle_marks_it_done_and_open_again(rep1_client, account):
    reminder = factories.ReminderFactory(account=account)
    url = f"/customers/reminders/{reminder.pk}/toggle/?from=account"
    response = rep1_client.post(url, **HTMX_TAB)
    assert response.status_code == 200
    assert "Reopen" in page_text(response)
    reminder.refresh_from_db()
    assert reminder.is_done
    assert reminder.done_at is not None
    rep1_client.post(url, **HTMX_TAB)
    reminder.refresh_from_db()
    assert not reminder.is_done
    assert reminder.done_at is None


def test_reminder_toggle_from_the_reminders_page_returns_there(rep1_client, account):
    reminder = factories.ReminderFactory(account=account)
    response = rep1_client.post(
        f"/customers/reminders/{reminder.pk}/toggle/", {"next": "/customers/reminders/?x=1"}
    )
    assert response["Location"] == "/customers/reminders/?x=1"


def test_reminder_toggle_does_not_redirect_to_another_site(rep1_client, account):
    reminder = factories.ReminderFactory(account=account)
    response = rep1_client.post(
        f"/customers/reminders/{reminder.pk}/toggle/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/customers/reminders/"


def test_reminder_toggle_of_another_reps_reminder_is_404(client_for, rep2, account):
    reminder = factories.ReminderFactory(account=account)
    response = client_for(rep2).post(f"/customers/reminders/{reminder.pk}/toggle/")
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert not reminder.is_done


def test_activity_add_logs_it(rep1_client, rep1, account):
    response = rep1_client.post(
        f"/customers/{account.pk}/activities/",
        {"kind": "call", "subject": "Discussed prices", "occurred_at": "2026-03-02T10:30"},
        **HTMX_TAB,
    )
    assert response.status_code == 200
    assert "Discussed prices" in page_text(response)
    activity = Activity.objects.get(account=account)
    assert activity.user == rep1
    assert activity.kind == Activity.Kind.CALL


# Documents and contracts ---------------------------------------------------------------------


def test_document_upload_and_download(rep1_client, account):
    response = rep1_client.post(
        f"/customers/{account.pk}/documents/",
        {"title": "Price agreement", "file": upload("agreement.txt", b"we agree")},
        **HTMX_TAB,
    )
    assert response.status_code == 200
    document = Document.objects.get(account=account)
    assert "Price agreement" in page_text(response)
    download = rep1_client.get(f"/customers/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert downloaded(download) == b"we agree"


def test_document_upload_refuses_a_program(rep1_client, account):
    response = rep1_client.post(
        f"/customers/{account.pk}/documents/",
        {"file": upload("run.txt", b"#!/bin/sh\nrm -rf /")},
        **HTMX_TAB,
    )
    assert response.status_code == 400
    assert "Programs and scripts are not accepted." in page_text(response)
    assert not Document.objects.exists()


def test_document_download_by_another_rep_is_404(rep1_client, client_for, rep2, account):
    rep1_client.post(
        f"/customers/{account.pk}/documents/", {"file": upload("a.txt", b"secret")}, **HTMX_TAB
    )
    document = Document.objects.get(account=account)
    response = client_for(rep2).get(f"/customers/documents/{document.pk}/download/")
    assert response.status_code == 404


def test_contract_add_takes_the_first_number_of_its_year(rep1_client, account):
    response = rep1_client.post(
        f"/customers/{account.pk}/contracts/",
        {
            "title": "Service agreement",
            "start_date": "2026-01-01",
            "value": "1200.00",
            "currency": "EUR",
            "status": "active",
        },
        **HTMX_TAB,
    )
    assert response.status_code == 200
    contract = Contract.objects.get(account=account)
    assert contract.number == "CT-2026-00001"
    assert "CT-2026-00001" in page_text(response)


def test_contract_with_end_before_start_is_refused(rep1_client, account):
    response = rep1_client.post(
        f"/customers/{account.pk}/contracts/",
        {
            "title": "Backwards",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
            "value": "0",
            "currency": "EUR",
            "status": "draft",
        },
        **HTMX_TAB,
    )
    assert response.status_code == 400
    assert not Contract.objects.exists()


# Archive, restore, deletion ------------------------------------------------------------------


def test_archive_button_archives_the_customer(rep1_client, account):
    html = page_text(rep1_client.get(detail_url(account)))
    assert f"/customers/{account.pk}/transition/archive/" in html
    response = rep1_client.post(f"/customers/{account.pk}/transition/archive/", follow=True)
    assert "Customer archived." in page_text(response)
    account.refresh_from_db()
    assert account.status == Account.Status.ARCHIVED


def test_restore_button_restores_an_archived_customer(rep1_client, account):
    rep1_client.post(f"/customers/{account.pk}/transition/archive/")
    html = page_text(rep1_client.get(detail_url(account)))
    assert f"/customers/{account.pk}/transition/restore/" in html
    rep1_client.post(f"/customers/{account.pk}/transition/restore/")
    account.refresh_from_db()
    assert account.status == Account.Status.ACTIVE


def test_archive_twice_shows_the_refusal(rep1_client, account):
    rep1_client.post(f"/customers/{account.pk}/transition/archive/")
    response = rep1_client.post(f"/customers/{account.pk}/transition/archive/", follow=True)
    assert "not allowed from the current state" in page_text(response)


def test_support_agent_cannot_archive(client_for, support_agent, account):
    response = client_for(support_agent).post(
        f"/customers/{account.pk}/transition/archive/", follow=True
    )
    assert "may not" in page_text(response)
    account.refresh_from_db()
    assert account.status == Account.Status.ACTIVE


def test_deletion_request_is_listed_and_approval_deletes_the_customer(
    rep1_client, client_for, sales_manager, account
):
    response = rep1_client.post(
        f"/customers/{account.pk}/request-deletion/", {"reason": "Duplicate entry"}, follow=True
    )
    assert "Deletion requested" in page_text(response)
    request = DeletionRequest.objects.get(account=account)
    manager = client_for(sales_manager)
    listing = page_text(manager.get("/customers/deletion-requests/"))
    assert "Duplicate entry" in listing
    assert f"/customers/deletion-requests/{request.pk}/approve/" in listing
    response = manager.post(
        f"/customers/deletion-requests/{request.pk}/approve/", {"note": "ok"}, follow=True
    )
    assert "approved" in page_text(response)
    assert not Account.objects.filter(pk=account.pk).exists()
    request.refresh_from_db()
    assert request.state == DeletionRequest.State.APPROVED


def test_deletion_request_is_refused_while_contacts_refer_to_the_customer(rep1_client, account):
    factories.ContactFactory(account=account)
    response = rep1_client.post(
        f"/customers/{account.pk}/request-deletion/", {"reason": "Gone"}, follow=True
    )
    assert "cannot be deleted while other records refer to it" in page_text(response)
    assert not DeletionRequest.objects.exists()


def test_approval_is_refused_when_a_record_came_to_refer_to_the_customer(
    rep1_client, client_for, sales_manager, account
):
    rep1_client.post(f"/customers/{account.pk}/request-deletion/", {"reason": "Duplicate"})
    request = DeletionRequest.objects.get(account=account)
    factories.ActivityFactory(account=account)
    response = client_for(sales_manager).post(
        f"/customers/deletion-requests/{request.pk}/approve/", follow=True
    )
    assert "cannot be deleted while other records refer to it" in page_text(response)
    assert Account.objects.filter(pk=account.pk).exists()
    request.refresh_from_db()
    assert request.state == DeletionRequest.State.PENDING


def test_a_rep_cannot_decide_deletion_requests(rep1_client, account):
    rep1_client.post(f"/customers/{account.pk}/request-deletion/", {"reason": "Duplicate"})
    request = DeletionRequest.objects.get(account=account)
    response = rep1_client.post(f"/customers/deletion-requests/{request.pk}/approve/")
    assert response.status_code == 403
    assert Account.objects.filter(pk=account.pk).exists()


# Export --------------------------------------------------------------------------------------


def test_export_csv_contains_only_visible_customers(rep1_client, account, other_account):
    response = rep1_client.get("/customers/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    codes = [row[0] for row in rows[1:]]
    assert rows[0][:2] == ["code", "name"]
    assert codes == [account.code]


def test_export_xlsx_contains_only_visible_customers(rep1_client, account, other_account):
    response = rep1_client.get("/customers/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [account.code]


def test_export_follows_the_list_search(rep1_client, rep1, account):
    factories.AccountFactory(owner=rep1, name="Not Wanted")
    response = rep1_client.get("/customers/export.csv", {"search": account.name})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [account.code]


def test_export_in_an_unknown_format_is_404(rep1_client):
    assert rep1_client.get("/customers/export.pdf").status_code == 404


# Import --------------------------------------------------------------------------------------


def post_import(client, file, kind="accounts"):
    return client.post("/customers/import/", {"kind": kind, "file": file})


def commit_token(response) -> str:
    html = page_text(response)
    return html.split('name="token" value="')[1].split('"')[0]


def test_import_preview_lists_the_row_error_and_imports_nothing(rep1_client):
    file = csv_file(
        [
            ["name", "email", "group", "city"],
            ["Good Row GmbH", "good@row.example", "", "Kiel"],
            ["Bad Row GmbH", "bad@row.example", "NO-SUCH-GROUP", "Kiel"],
        ]
    )
    response = post_import(rep1_client, file)
    assert response.status_code == 200
    html = page_text(response)
    assert "Unknown group “NO-SUCH-GROUP”." in html
    assert 'name="token"' not in html
    assert not Account.objects.filter(name__in=["Good Row GmbH", "Bad Row GmbH"]).exists()


def test_import_clean_csv_preview_then_commit_creates_the_customers(rep1_client, rep1):
    file = csv_file(
        [
            ["name", "email", "city"],
            ["Import One GmbH", "one@import.example", "Kiel"],
            ["Import Two GmbH", "two@import.example", "Lübeck"],
        ]
    )
    preview = post_import(rep1_client, file)
    assert preview.status_code == 200
    assert "<strong>2</strong> to create" in page_text(preview)
    assert not Account.objects.filter(name__startswith="Import ").exists()
    response = rep1_client.post("/customers/import/", {"token": commit_token(preview)})
    assert response.status_code == 302
    created = Account.objects.filter(name__startswith="Import ").order_by("name")
    assert [a.name for a in created] == ["Import One GmbH", "Import Two GmbH"]
    assert all(a.owner == rep1 for a in created)


def test_import_xlsx_works(rep1_client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Company", "E-mail", "Zip", "City"])
    sheet.append(["Sheet Customer AG", "sheet@xlsx.example", "24103", "Kiel"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = upload(
        "customers.xlsx",
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    preview = post_import(rep1_client, file)
    assert preview.status_code == 200
    rep1_client.post("/customers/import/", {"token": commit_token(preview)})
    account = Account.objects.get(name="Sheet Customer AG")
    assert account.postal_code == "24103"


def test_import_reports_a_duplicate_email(rep1_client, account):
    file = csv_file([["name", "email"], ["Twin GmbH", account.email.upper()]])
    response = post_import(rep1_client, file)
    html = page_text(response)
    assert f"Duplicate: customer {account.code} has this e-mail." in html
    assert not Account.objects.filter(name="Twin GmbH").exists()


def test_import_of_an_unreadable_file_shows_the_error(rep1_client):
    response = post_import(rep1_client, upload("customers.pdf", b"%PDF-1.4"))
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in page_text(response)


def test_import_commit_with_a_foreign_token_is_refused(rep1_client):
    response = rep1_client.post("/customers/import/", {"token": "not-mine"}, follow=True)
    assert "The upload has expired" in page_text(response)
    assert not Account.objects.exists()
