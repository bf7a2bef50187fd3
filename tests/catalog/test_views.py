"""The staff UI of the product catalogue."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sfa.catalog.models import Product
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def drill():
    return factories.ProductFactory(
        code="DRL-100", name="Cordless drill", unit_price=Decimal("199.00")
    )


@pytest.fixture
def saw():
    return factories.ProductFactory(code="SAW-200", name="Circular saw")


def page_text(response) -> str:
    return response.content.decode()


def product_data(**overrides) -> dict:
    data = {
        "code": "NEW-1",
        "name": "Angle grinder",
        "description": "",
        "unit": "pc",
        "unit_price": "89.90",
        "currency": "EUR",
        "tax_rate": factories.TaxRateFactory().pk,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_product_list_shows_active_products(client_for, rep1, drill, saw):
    Product.objects.filter(pk=saw.pk).update(is_active=False)
    response = client_for(rep1).get("/products/")
    assert response.status_code == 200
    assert "DRL-100" in page_text(response)
    assert "SAW-200" not in page_text(response)


def test_product_list_can_show_inactive_products_too(client_for, rep1, drill, saw):
    Product.objects.filter(pk=saw.pk).update(is_active=False)
    response = client_for(rep1).get("/products/", {"is_active": ""})
    assert "SAW-200" in page_text(response)


def test_product_search_matches_the_name(client_for, rep1, drill, saw):
    response = client_for(rep1).get(
        "/products/",
        {"search": "cordless"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="product-results",
    )
    html = page_text(response)
    assert "DRL-100" in html
    assert "SAW-200" not in html
    assert "<html" not in html


def test_the_staff_list_and_the_api_take_the_same_parameters(client_for, api_for, rep1, drill, saw):
    tools = factories.ProductCategoryFactory()
    Product.objects.filter(pk=drill.pk).update(category=tools)
    Product.objects.filter(pk=saw.pk).update(is_active=False)
    for params in (
        {"search": "drill", "is_active": "true"},
        {"category": tools.pk, "is_active": ""},
        {"is_active": "false"},
        {"ordering": "-code", "is_active": ""},
    ):
        page = client_for(rep1).get("/products/", params).context["page"]
        rows = api_for(rep1).get("/api/v1/products/", params).json()["results"]
        assert [p.code for p in page] == [row["code"] for row in rows], params
        assert rows


def test_the_staff_list_queries_do_not_grow_with_the_rows(client_for, rep1):
    client = client_for(rep1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/products/").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            factories.ProductFactory(
                category=factories.ProductCategoryFactory(), tax_rate=factories.TaxRateFactory()
            )

    add(5)
    few = count()
    add(20)
    assert count() == few


def test_product_detail_shows_the_list_price(client_for, rep1, drill):
    response = client_for(rep1).get(f"/products/{drill.pk}/")
    assert response.status_code == 200
    assert "199.00 EUR" in page_text(response)


def test_product_price_check_uses_the_customer_groups_price_list(client_for, rep1, drill):
    group = factories.CustomerGroupFactory(code="DLR", name="Dealers")
    price_list = factories.PriceListFactory(name="Dealer prices", customer_group=group)
    factories.PriceListItemFactory(price_list=price_list, product=drill, price=Decimal("150.00"))
    customer = factories.AccountFactory(owner=rep1, group=group)
    response = client_for(rep1).get(
        f"/products/{drill.pk}/", {"account": customer.pk, "quantity": "2"}
    )
    html = page_text(response)
    assert "Unit price <strong>150.00</strong>" in html
    assert "price list Dealer prices" in html


def test_product_price_check_applies_the_customers_discount_privilege(client_for, rep1, drill):
    customer = factories.AccountFactory(owner=rep1, discount_privilege=Decimal("10.00"))
    response = client_for(rep1).get(f"/products/{drill.pk}/", {"account": customer.pk})
    html = page_text(response)
    assert "net <strong>179.10</strong>" in html
    assert "customer discount" in html


def test_product_price_check_offers_no_other_reps_customers(client_for, rep1, rep2, drill):
    hidden = factories.AccountFactory(owner=rep2, name="Southern Secret GmbH")
    response = client_for(rep1).get(f"/products/{drill.pk}/", {"account": hidden.pk})
    html = page_text(response)
    assert "Southern Secret GmbH" not in html
    assert "Unit price <strong>" not in html


def test_sales_manager_creates_a_product(client_for, sales_manager):
    response = client_for(sales_manager).post("/products/new/", product_data())
    product = Product.objects.get(code="NEW-1")
    assert response.status_code == 302
    assert response["Location"] == f"/products/{product.pk}/"
    assert product.unit_price == Decimal("89.90")
    assert product.history.first().history_user == sales_manager


def test_sales_manager_edits_a_product(client_for, sales_manager, drill):
    data = product_data(code=drill.code, name=drill.name, unit_price="209.00")
    response = client_for(sales_manager).post(f"/products/{drill.pk}/edit/", data)
    assert response.status_code == 302
    drill.refresh_from_db()
    assert drill.unit_price == Decimal("209.00")


def test_product_form_with_a_negative_price_shows_the_error(client_for, sales_manager):
    response = client_for(sales_manager).post("/products/new/", product_data(unit_price="-1"))
    assert response.status_code == 400
    assert not Product.objects.filter(code="NEW-1").exists()


def test_rep_gets_403_on_product_create(client_for, rep1):
    client = client_for(rep1)
    assert client.get("/products/new/").status_code == 403
    assert client.post("/products/new/", product_data()).status_code == 403
    assert not Product.objects.filter(code="NEW-1").exists()


def test_rep_gets_403_on_product_edit(client_for, rep1, drill):
    response = client_for(rep1).post(f"/products/{drill.pk}/edit/", product_data(code="X"))
    assert response.status_code == 403
    drill.refresh_from_db()
    assert drill.code == "DRL-100"


def test_rep_sees_no_new_product_button(client_for, rep1):
    assert "/products/new/" not in page_text(client_for(rep1).get("/products/"))
