"""The customer 360 in a real browser: find as you type, alert, tab forms, visibility.

From the issue: rep1 types part of a contact's e-mail into the search and the customer shows
up as they type; on its 360 page they see the alert, add a ship-to address and a reminder; a
rep of another branch can neither find nor open the customer; the sales manager can.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sfa.customers.models import Reminder, SavedFilter, ShipToAddress
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTACT_EMAIL = "anna.lindqvist@nordic-tools.example"
TYPED = "lindqvist@nordic"  # part of the contact's e-mail, nothing of the customer's own data
ALERT = "Pays only in advance: check the last payment before quoting!"


@pytest.fixture
def customer(rep1):
    account = factories.AccountFactory(
        owner=rep1,
        code="NT-0042",
        name="Nordic Tools GmbH",
        email="office@nordic-tools.example",
        alert_message=ALERT,
    )
    factories.ContactFactory(
        account=account, first_name="Anna", last_name="Lindqvist", email=CONTACT_EMAIL
    )
    return account


@pytest.fixture
def bystander(rep1):
    """Another customer of rep1 that the search must not bring up."""
    return factories.AccountFactory(owner=rep1, name="Alpine Foods AG")


def is_htmx_list_request(response) -> bool:
    request = response.request
    return (
        "/customers/?" in response.url
        and request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == "account-results"
    )


def mark_page(page) -> None:
    """Tag the loaded document; ``is_same_page`` is false after any full page load."""
    page.evaluate("window.__sfaSamePage = true")


def is_same_page(page) -> bool:
    return page.evaluate("window.__sfaSamePage === true")


def tab(page, label: str):
    return page.get_by_role("tab", name=re.compile(rf"^{label}\b"))


def open_tab(page, label: str):
    """Switch tabs the way a user does; htmx swaps the panel in place."""
    mark_page(page)
    tab(page, label).click()
    expect(tab(page, label)).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(re.compile(r"\?tab="))
    assert is_same_page(page)
    return page.locator("#tab-panel")


def test_customer_list_finds_the_customer_by_contact_email_as_you_type(
    log_in, live_server, rep1, customer, bystander
):
    page = log_in(rep1)
    page.goto(f"{live_server.url}/customers/")
    results = page.locator("#account-results")
    expect(results).to_contain_text(bystander.name)
    with page.expect_response(is_htmx_list_request) as answer:
        page.get_by_label("Search customers").press_sequentially(TYPED, delay=30)
    assert answer.value.status == 200
    expect(results).to_contain_text(customer.name)
    expect(results).not_to_contain_text(bystander.name)
    assert page.url.startswith(f"{live_server.url}/customers/")  # no full page submit


def test_filter_saved_after_a_live_search_keeps_that_search(
    log_in, live_server, rep1, customer, bystander
):
    page = log_in(rep1)
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search customers").press_sequentially(TYPED, delay=30)
    results = page.locator("#account-results")
    expect(results).not_to_contain_text(bystander.name)
    expect(page.get_by_role("link", name="Export CSV")).to_have_attribute(
        "href", re.compile(r"\?search=lindqvist%40nordic&")
    )
    page.get_by_label("Filter name").fill("Nordic contacts")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.locator(".saved-filters").get_by_role("link", name="Nordic contacts")
    ).to_be_visible()
    expect(results).to_contain_text(customer.name)
    expect(results).not_to_contain_text(bystander.name)
    saved = SavedFilter.objects.get(user=rep1, name="Nordic contacts")
    assert saved.query.startswith("search=lindqvist%40nordic&")


def test_global_search_finds_the_customer_by_contact_email_as_you_type(
    log_in, live_server, rep1, customer
):
    page = log_in(rep1)
    page.get_by_label("Global search").press_sequentially(TYPED, delay=30)
    dropdown = page.locator("#search-results")
    link = dropdown.get_by_role("link", name=f"{customer.code} · {customer.name}")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(customer.name)


def test_customer_360_shows_the_alert_message(log_in, live_server, rep1, customer):
    page = log_in(rep1)
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search customers").press_sequentially(TYPED, delay=30)
    page.locator("#account-results").get_by_role("link", name=customer.name).click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    alert = page.get_by_role("alert", name="Customer alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(ALERT)


def test_ship_to_address_added_in_the_tab_is_shown_and_saved(log_in, live_server, rep1, customer):
    page = log_in(rep1)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    panel = open_tab(page, "Ship-to")
    expect(panel).to_contain_text("No ship-to addresses yet.")
    form = panel.locator("#ship-to-form")
    form.get_by_label("Label").fill("Harbour warehouse")
    form.get_by_label(re.compile(r"^Street:?$")).fill("Kai 7")
    form.get_by_label("Postal code").fill("20457")
    form.get_by_label("City").fill("Hamburg")
    form.get_by_role("button", name="Add address").click()
    expect(panel).to_contain_text("Ship-to address added.")
    card = panel.locator(".card", has_text="Harbour warehouse")
    expect(card).to_contain_text("20457 Hamburg")
    expect(card).to_contain_text("default")
    assert is_same_page(page)  # swapped in place by htmx, not a full page load

    address = ShipToAddress.objects.get(account=customer)
    assert (address.label, address.street, address.city) == (
        "Harbour warehouse",
        "Kai 7",
        "Hamburg",
    )
    assert address.is_default

    page.reload()
    expect(page.locator("#tab-panel")).to_contain_text("Harbour warehouse")


def test_reminder_added_in_the_tab_is_shown_and_saved(log_in, live_server, rep1, customer):
    due = timezone.localdate() + datetime.timedelta(days=7)
    page = log_in(rep1)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    panel = open_tab(page, "Reminders")
    form = panel.locator("#reminder-form")
    form.get_by_label("Subject").fill("Call Anna about the spring order")
    form.get_by_label("Due date").fill(due.isoformat())
    form.get_by_label("Contact").select_option(label="Anna Lindqvist")
    form.get_by_role("button", name="Add reminder").click()
    expect(panel).to_contain_text("Reminder added.")
    row = panel.get_by_role("row", name=re.compile("Call Anna about the spring order"))
    expect(row).to_contain_text(due.isoformat())
    expect(row).to_contain_text("Anna Lindqvist")
    expect(tab(page, "Reminders")).to_have_text(re.compile(r"Reminders\s+1"))
    assert is_same_page(page)

    reminder = Reminder.objects.get(account=customer)
    assert reminder.subject == "Call Anna about the spring order"
    assert reminder.due_date == due
    assert reminder.assignee == rep1
    assert reminder.contact.email == CONTACT_EMAIL

    page.reload()
    expect(page.locator("#tab-panel")).to_contain_text("Call Anna about the spring order")


def test_a_form_error_in_a_tab_is_shown_in_place(log_in, live_server, rep1, customer):
    page = log_in(rep1)
    page.goto(f"{live_server.url}/customers/{customer.pk}/?tab=reminders")
    panel = page.locator("#tab-panel")
    mark_page(page)
    form = panel.locator("#reminder-form")
    form.get_by_label("Subject").fill("No date given")
    form.evaluate("f => f.noValidate = true")  # let the server validate, as on a 400
    form.get_by_role("button", name="Add reminder").click()
    expect(panel.locator(".field.has-error")).to_contain_text("This field is required.")
    expect(form.get_by_label("Subject")).to_have_value("No date given")
    assert is_same_page(page)
    assert not Reminder.objects.exists()


def test_rep_of_another_branch_can_neither_find_nor_open_the_customer(
    log_in, live_server, rep2, customer
):
    own = factories.AccountFactory(owner=rep2, name="Southern Own Ltd")
    page = log_in(rep2)
    page.goto(f"{live_server.url}/customers/")
    results = page.locator("#account-results")
    expect(results).to_contain_text(own.name)
    page.get_by_label("Search customers").press_sequentially(TYPED, delay=30)
    expect(results).to_contain_text("No customers match.")
    expect(results).not_to_contain_text(own.name)  # the search did run
    expect(results).not_to_contain_text(customer.name)

    page.get_by_label("Global search").press_sequentially(customer.code, delay=30)
    expect(page.locator("#search-results")).to_contain_text(f"Nothing found for “{customer.code}”")
    expect(page.locator("#search-results").get_by_role("link")).to_have_count(0)

    response = page.goto(f"{live_server.url}/customers/{customer.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(ALERT)


def test_sales_manager_finds_and_opens_the_customer(log_in, live_server, sales_manager, customer):
    page = log_in(sales_manager)
    page.get_by_label("Global search").press_sequentially(TYPED, delay=30)
    link = page.locator("#search-results").get_by_role(
        "link", name=f"{customer.code} · {customer.name}"
    )
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("alert", name="Customer alert")).to_contain_text(ALERT)
