"""The lines editor's htmx pieces that every document form shares (``sfa.catalog.line_views``):
the product picker, a new line, the live totals priced on the server."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


def lines_data(account=None, lines=(), **fields) -> dict:
    data = {
        "account": str(account.pk) if account else "",
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


@pytest.fixture
def last_years_prices(rep1, products):
    """A customer whose group had 5 % off the lathe during 2025 only."""
    group = factories.CustomerGroupFactory()
    factories.PriceListItemFactory(
        price_list=factories.PriceListFactory(
            customer_group=group,
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2025, 12, 31),
        ),
        product=products[0],
        discount_percent=Decimal("5"),
    )
    return factories.AccountFactory(owner=rep1, group=group)


def test_product_picker_finds_products_and_puts_the_chosen_one_in_the_line(
    client_for, rep1, products
):
    client = client_for(rep1)
    url = reverse("catalog:pick-product")
    found = client.get(url, {"prefix": "lines-3", "product_q": "oil"}).content.decode()
    assert "OIL-5 · Oil" in found
    assert "LAT-1" not in found
    chosen = client.get(url, {"prefix": "lines-3", "product": products[1].pk})
    assert f'name="lines-3-product" value="{products[1].pk}"' in chosen.content.decode()
    assert chosen["HX-Trigger-After-Swap"] == "lines-changed"


def test_product_picker_refuses_a_prefix_outside_the_lines(client_for, rep1):
    response = client_for(rep1).get(reverse("catalog:pick-product"), {"prefix": "evil"})
    assert response.status_code == 404


def test_new_line_takes_the_next_index_and_counts_it_out_of_band(client_for, rep1):
    row = client_for(rep1).get(reverse("catalog:line-row"), {"lines-TOTAL_FORMS": "2"}, **HTMX)
    html = row.content.decode()
    assert 'id="lines-2-row"' in html
    assert 'name="lines-2-quantity"' in html
    assert 'name="lines-TOTAL_FORMS" value="3"' in html
    assert 'hx-swap-oob="true"' in html


def test_preview_prices_for_today_without_a_date_field(
    client_for, rep1, products, last_years_prices
):
    data = lines_data(last_years_prices, [{"product": products[0].pk, "quantity": "1"}])
    html = client_for(rep1).post(reverse("catalog:lines-preview"), data, **HTMX).content.decode()
    assert 'data-total="discount_total">0.00' in html


def test_preview_prices_for_the_date_in_the_field_it_is_told(
    client_for, rep1, products, last_years_prices
):
    data = lines_data(
        last_years_prices,
        [{"product": products[0].pk, "quantity": "1"}],
        document_date="2025-06-30",
    )
    url = reverse("catalog:lines-preview") + "?date_field=document_date"
    html = client_for(rep1).post(url, data, **HTMX).content.decode()
    assert 'data-total="discount_total">50.00' in html
    assert 'id="lines-0-amount" hx-swap-oob="true"><strong>950.00</strong>' in html


def test_preview_ignores_a_customer_the_user_does_not_see(
    client_for, rep2, products, last_years_prices
):
    data = lines_data(
        last_years_prices,
        [{"product": products[0].pk, "quantity": "1"}],
        document_date="2025-06-30",
    )
    url = reverse("catalog:lines-preview") + "?date_field=document_date"
    html = client_for(rep2).post(url, data, **HTMX).content.decode()
    assert 'data-total="discount_total">0.00' in html


def test_preview_without_the_management_form_is_400(client_for, rep1):
    response = client_for(rep1).post(reverse("catalog:lines-preview"), {}, **HTMX)
    assert response.status_code == 400


def test_staff_without_the_product_catalogue_may_not_use_the_editor(client_for):
    client = client_for(factories.UserFactory())  # staff without a role
    assert client.get(reverse("catalog:line-row")).status_code == 403
    assert client.post(reverse("catalog:lines-preview"), lines_data()).status_code == 403
