"""The opportunity form of the staff UI: create and edit with product lines, the customer
picker, owner choices, refusals; its htmx pieces are the shared lines editor's."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.models import Opportunity
from opportunities.services import opportunity_create, opportunity_win
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


def make_deal(owner, account, products=(), **data):
    data = {"title": "Lathes for the new hall", "account": account, **data}
    lines = [{"product": p, "quantity": Decimal("1")} for p in products]
    return opportunity_create(actor=owner, data=data, lines=lines)


def form_data(owner, account, lines=(), **fields):
    data = {
        "title": "Lathes for the new hall",
        "account": str(account.pk),
        "contact": "",
        "owner": str(owner.pk),
        "amount": "",
        "currency": "EUR",
        "probability": "10",
        "expected_close_date": "2026-12-31",
        "next_step": "",
        "next_step_date": "",
        "competitors": "",
        "notes": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value
    return data


def two_lines(products):
    """2 lathes at 1000.00 less 10 % and 4 oils at 12.50: net 1850.00."""
    return [
        {"product": products[0].pk, "quantity": "2", "discount_percent": "10"},
        {"product": products[1].pk, "quantity": "4"},
    ]


def field_html(html: str, name: str) -> str:
    """The ``<div class="field">`` around the input called ``name``."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="field', 0, at)
    return html[start : html.index("</div>", at)]


def row_html(html: str, index: int) -> str:
    start = html.index(f'id="lines-{index}-row"')
    return html[start : html.index("</tr>", start)]


def owner_options(html: str) -> set[str]:
    select = html[html.index('name="owner"') : html.index("</select>", html.index('name="owner"'))]
    return set(re.findall(r'<option value="(\d+)"', select))


# The form page --------------------------------------------------------------------------------


def test_new_opportunity_form_shows_the_shared_lines_editor(client_for, rep1):
    html = client_for(rep1).get("/opportunities/new/").content.decode()
    assert 'id="lines-0-row"' in html
    assert 'name="lines-TOTAL_FORMS"' in html
    assert 'hx-get="/products/lines/row/"' in html
    assert 'hx-post="/products/lines/preview/"' in html
    assert 'hx-get="/customers/pick/"' in html
    assert f'<option value="{rep1.pk}" selected>' in html  # owner defaults to me
    assert "with lines it is computed from them" in field_html(html, "amount")


def test_new_opportunity_from_the_360_tab_starts_with_the_customer(client_for, rep1, account):
    client = client_for(rep1)
    tab = client.get(f"/customers/{account.pk}/?tab=opportunities", HTTP_HX_TARGET="tab-panel")
    assert f"/opportunities/new/?account={account.pk}" in tab.content.decode()
    html = client.get(f"/opportunities/new/?account={account.pk}").content.decode()
    assert f'name="account" value="{account.pk}"' in html
    assert account.name in html


def test_user_without_the_add_permission_gets_no_form(client_for, marketing):
    assert client_for(marketing).get("/opportunities/new/").status_code == 403


def test_list_and_detail_offer_new_and_edit(client_for, rep1, account):
    deal = make_deal(rep1, account)
    client = client_for(rep1)
    assert 'href="/opportunities/new/"' in client.get("/opportunities/").content.decode()
    detail = client.get(f"/opportunities/{deal.pk}/").content.decode()
    assert f'href="/opportunities/{deal.pk}/edit/"' in detail


def test_closed_opportunity_detail_offers_no_edit(client_for, rep1, account):
    deal = opportunity_win(opportunity=make_deal(rep1, account), actor=rep1)
    detail = client_for(rep1).get(f"/opportunities/{deal.pk}/").content.decode()
    assert f"/opportunities/{deal.pk}/edit/" not in detail


def test_form_page_queries_do_not_grow_with_the_lines(client_for, rep1, account, products):
    few = make_deal(rep1, account, products[:1])
    many = make_deal(rep1, account, [*products, *products, *products, *products])
    client = client_for(rep1)

    def count(deal):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/opportunities/{deal.pk}/edit/").status_code == 200
        return len(queries)

    count(few)  # warm the caches (content types, permissions)
    assert count(few) == count(many) <= 12


# Creating ---------------------------------------------------------------------------------------


def test_create_with_two_lines_computes_the_amount_from_them(client_for, rep1, account, products):
    data = form_data(rep1, account, two_lines(products), amount="1.00")
    response = client_for(rep1).post("/opportunities/new/", data)
    assert response.status_code == 302, response.content.decode()
    deal = Opportunity.objects.get()
    assert response["Location"] == f"/opportunities/{deal.pk}/"
    assert deal.amount == Decimal("1850.00")
    assert [line.line_total for line in deal.lines.order_by("position")] == [
        Decimal("1800.00"),
        Decimal("50.00"),
    ]
    assert (deal.account, deal.owner, deal.state) == (account, rep1, "prospecting")


def test_create_without_lines_keeps_the_entered_amount(client_for, rep1, account):
    data = form_data(rep1, account, [{"description": "", "quantity": "1"}], amount="25000.00")
    response = client_for(rep1).post("/opportunities/new/", data, follow=True)
    deal = Opportunity.objects.get()
    assert (deal.amount, deal.lines.count()) == (Decimal("25000.00"), 0)
    assert "Opportunity “Lathes for the new hall” saved." in response.content.decode()


def test_create_takes_the_contact_and_the_next_step(client_for, rep1, account):
    contact = factories.ContactFactory(account=account)
    data = form_data(
        rep1,
        account,
        contact=str(contact.pk),
        next_step="Demo at the plant",
        next_step_date="2026-12-01",
        competitors="Acme",
    )
    assert client_for(rep1).post("/opportunities/new/", data).status_code == 302
    deal = Opportunity.objects.get()
    assert (deal.contact, deal.next_step, deal.competitors) == (
        contact,
        "Demo at the plant",
        "Acme",
    )
    assert str(deal.next_step_date) == "2026-12-01"


def test_invalid_field_shows_its_error_in_place(client_for, rep1, account):
    response = client_for(rep1).post(
        "/opportunities/new/", form_data(rep1, account, probability="150")
    )
    assert response.status_code == 400
    assert "less than or equal to 100" in field_html(response.content.decode(), "probability")
    assert not Opportunity.objects.exists()


def test_contact_of_another_customer_is_refused(client_for, rep1, account):
    elsewhere = factories.AccountFactory(owner=rep1, branch=rep1.branch)
    stranger = factories.ContactFactory(account=elsewhere)
    data = form_data(rep1, account, contact=str(stranger.pk))
    response = client_for(rep1).post("/opportunities/new/", data)
    assert response.status_code == 400
    assert "This contact belongs to another customer." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_another_reps_customer_cannot_be_chosen(client_for, rep1, rep2):
    foreign = factories.AccountFactory(owner=rep2, branch=rep2.branch)
    response = client_for(rep1).post("/opportunities/new/", form_data(rep1, foreign))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_line_error_from_the_service_shows_in_its_row(client_for, rep1, account, products):
    lines = [
        {"product": products[0].pk, "quantity": "1"},
        {"description": "Special tooling", "quantity": "1"},  # free text without a price
    ]
    response = client_for(rep1).post("/opportunities/new/", form_data(rep1, account, lines))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give a unit price for a free-text line." in row_html(html, 1)
    assert "LAT-1 · Lathe" in row_html(html, 0)  # the chosen product stays
    assert not Opportunity.objects.exists()


# Editing ----------------------------------------------------------------------------------------


def test_edit_changes_the_fields_and_replaces_the_lines(client_for, rep1, account, products):
    deal = make_deal(rep1, account, products)
    client = client_for(rep1)
    html = client.get(f"/opportunities/{deal.pk}/edit/").content.decode()
    assert "LAT-1 · Lathe" in row_html(html, 0)
    assert 'id="lines-1-row"' in html
    data = form_data(
        rep1, account, [{"product": products[1].pk, "quantity": "10"}], title="Oil for a year"
    )
    response = client.post(f"/opportunities/{deal.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    deal.refresh_from_db()
    assert (deal.title, deal.amount, deal.lines.count()) == ("Oil for a year", Decimal("125.00"), 1)


def test_another_reps_opportunity_has_no_edit_page(client_for, rep1, rep2, account):
    deal = make_deal(rep1, account)
    client = client_for(rep2)
    assert client.get(f"/opportunities/{deal.pk}/edit/").status_code == 404
    assert (
        client.post(f"/opportunities/{deal.pk}/edit/", form_data(rep2, account)).status_code == 404
    )
    deal.refresh_from_db()
    assert deal.title == "Lathes for the new hall"


def test_closed_opportunity_edit_is_refused_without_change(client_for, rep1, account):
    deal = opportunity_win(opportunity=make_deal(rep1, account, amount="900.00"), actor=rep1)
    versions = deal.history.count()
    data = form_data(rep1, account, title="Changed", amount="1.00")
    response = client_for(rep1).post(f"/opportunities/{deal.pk}/edit/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"/opportunities/{deal.pk}/"
    assert "a closed opportunity cannot be changed" in response.content.decode()
    deal.refresh_from_db()
    assert (deal.title, deal.amount, deal.state) == (
        "Lathes for the new hall",
        Decimal("900.00"),
        "won",
    )
    assert deal.history.count() == versions


# Owner ------------------------------------------------------------------------------------------


def test_who_may_not_reassign_is_offered_only_the_owner(client_for, rep1, branch_manager, account):
    deal = make_deal(rep1, account)  # the branch manager sees it (same branch) but does not own it
    client = client_for(branch_manager)
    html = client.get(f"/opportunities/{deal.pk}/edit/").content.decode()
    assert owner_options(html) == {str(rep1.pk)}
    response = client.post(f"/opportunities/{deal.pk}/edit/", form_data(branch_manager, account))
    assert response.status_code == 400
    assert "Select a valid choice" in field_html(response.content.decode(), "owner")
    deal.refresh_from_db()
    assert deal.owner == rep1


def test_a_sales_manager_gives_the_opportunity_to_another_rep(
    client_for, rep1, colleague, sales_manager, account
):
    deal = make_deal(rep1, account)
    client = client_for(sales_manager)
    assert {str(rep1.pk), str(colleague.pk)} <= owner_options(
        client.get(f"/opportunities/{deal.pk}/edit/").content.decode()
    )
    response = client.post(f"/opportunities/{deal.pk}/edit/", form_data(colleague, account))
    assert response.status_code == 302, response.content.decode()
    deal.refresh_from_db()
    assert deal.owner == colleague


# The lines editor's htmx pieces (sfa.catalog) serve this form too --------------------------------


def test_recalculate_prices_the_opportunity_forms_lines_with_the_customers_prices(
    client_for, rep1, products
):
    group = factories.CustomerGroupFactory()
    customer = factories.AccountFactory(owner=rep1, group=group)
    factories.PriceListItemFactory(
        price_list=factories.PriceListFactory(customer_group=group),
        product=products[0],
        discount_percent=Decimal("5"),
    )
    data = form_data(rep1, customer, [{"product": products[0].pk, "quantity": "1"}])
    html = client_for(rep1).post("/products/lines/preview/", data, **HTMX).content.decode()
    assert 'data-total="subtotal">1000.00' in html
    assert 'data-total="discount_total">50.00' in html
    assert 'id="lines-0-amount" hx-swap-oob="true"><strong>950.00</strong>' in html
