"""Products through the API: list, search, who may change them, and price resolution."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sfa.catalog.models import Product
from tests import factories


def codes(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["code"] for row in response.json()["results"]]


# List, search, create, delete ----------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    tools = factories.ProductCategoryFactory(name="Tools")
    factories.ProductFactory(code="DRL-1", name="Cordless drill", category=tools)
    factories.ProductFactory(code="SAW-1", name="Jigsaw", description="Cuts wood and metal")
    factories.ProductFactory(code="SRV-1", name="Service hour", is_active=False)
    return tools


def test_product_list_is_ordered_by_code(api_for, rep1, catalogue):
    assert codes(api_for(rep1).get("/api/v1/products/")) == ["DRL-1", "SAW-1", "SRV-1"]


def test_product_list_shows_category_and_tax(api_for, rep1, catalogue):
    row = api_for(rep1).get("/api/v1/products/", {"code": "DRL-1"}).json()["results"][0]
    assert row["category_name"] == "Tools"
    assert row["tax_rate_percent"] == "19.00"
    assert row["unit_price"] == "100.00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("drl", ["DRL-1"]), ("jigsaw", ["SAW-1"]), ("wood", ["SAW-1"]), ("cordless drill", ["DRL-1"])],
)
def test_product_search(api_for, rep1, catalogue, text, expected):
    assert codes(api_for(rep1).get("/api/v1/products/", {"search": text})) == expected


def test_product_filter_by_category_and_active(api_for, rep1, catalogue):
    client = api_for(rep1)
    assert codes(client.get("/api/v1/products/", {"category": catalogue.pk})) == ["DRL-1"]
    assert codes(client.get("/api/v1/products/", {"is_active": "false"})) == ["SRV-1"]


def test_product_ordering_by_price(api_for, rep1, db):
    factories.ProductFactory(code="A", unit_price=Decimal("30"))
    factories.ProductFactory(code="B", unit_price=Decimal("10"))
    factories.ProductFactory(code="C", unit_price=Decimal("20"))
    response = api_for(rep1).get("/api/v1/products/", {"ordering": "-unit_price"})
    assert codes(response) == ["A", "C", "B"]


def product_payload() -> dict:
    tax = factories.TaxRateFactory()
    return {"code": "NEW-1", "name": "New thing", "unit_price": "12.50", "tax_rate": tax.pk}


def test_sales_rep_cannot_create_products(api_for, rep1):
    response = api_for(rep1).post("/api/v1/products/", product_payload())
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Product.objects.exists()


def test_sales_manager_can_create_products(api_for, sales_manager):
    response = api_for(sales_manager).post("/api/v1/products/", product_payload())
    assert response.status_code == 201, response.json()
    assert Product.objects.get(code="NEW-1").unit_price == Decimal("12.50")


def test_sales_rep_cannot_change_products(api_for, rep1, catalogue):
    product = Product.objects.get(code="DRL-1")
    response = api_for(rep1).patch(f"/api/v1/products/{product.pk}/", {"unit_price": "1.00"})
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.unit_price == Decimal("100.00")


def test_negative_price_is_refused(api_for, sales_manager):
    response = api_for(sales_manager).post(
        "/api/v1/products/", {**product_payload(), "unit_price": "-1.00"}
    )
    assert response.status_code == 400
    assert "unit_price" in response.json()["fields"]


def test_duplicate_product_code_is_refused(api_for, sales_manager, catalogue):
    response = api_for(sales_manager).post(
        "/api/v1/products/", {**product_payload(), "code": "DRL-1"}
    )
    assert response.status_code == 400
    assert "code" in response.json()["fields"]


@pytest.mark.parametrize("actor", ["rep1", "sales_manager"])
def test_delete_product_is_not_allowed(request, api_for, catalogue, actor):
    product = Product.objects.get(code="DRL-1")
    response = api_for(request.getfixturevalue(actor)).delete(f"/api/v1/products/{product.pk}/")
    assert response.status_code == 405
    assert response.json()["code"] == "delete_not_allowed"
    assert Product.objects.filter(pk=product.pk).exists()


def test_portal_customer_cannot_list_products(api_for, portal_customer, catalogue):
    assert api_for(portal_customer).get("/api/v1/products/").status_code == 403


# Price resolution ----------------------------------------------------------------------------


@pytest.fixture
def dealer(rep1, group):
    return factories.AccountFactory(owner=rep1, group=group)


def price(client, product, **params) -> dict:
    response = client.get(f"/api/v1/products/{product.pk}/price/", params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_price_without_account_is_the_list_price(api_for, rep1, product):
    body = price(api_for(rep1), product)
    assert body["unit_price"] == "100.00"
    assert body["discount_percent"] == "0.00"
    assert body["net_unit_price"] == "100.00"
    assert body["tax_rate"] == "19.00"
    assert body["source"] == "list price"
    assert body["account"] is None
    assert body["quantity"] == "1.000"


def test_price_list_fixed_price(api_for, rep1, dealer, price_list, product):
    factories.PriceListItemFactory(price_list=price_list, product=product, price=Decimal("80"))
    body = price(api_for(rep1), product, account=dealer.pk)
    assert body["unit_price"] == "80.00"
    assert body["net_unit_price"] == "80.00"
    assert body["source"] == "price list Dealer prices"
    assert body["account"] == dealer.pk


def test_price_list_category_discount(api_for, rep1, dealer, price_list, product, category):
    factories.PriceListItemFactory(
        price_list=price_list, category=category, discount_percent=Decimal("10")
    )
    body = price(api_for(rep1), product, account=dealer.pk)
    assert body["unit_price"] == "100.00"
    assert body["discount_percent"] == "10.00"
    assert body["net_unit_price"] == "90.00"


def test_parent_category_discount_applies_to_subcategory_products(
    api_for, rep1, dealer, price_list, product, parent_category
):
    factories.PriceListItemFactory(
        price_list=price_list, category=parent_category, discount_percent=Decimal("7.5")
    )
    body = price(api_for(rep1), product, account=dealer.pk)
    assert body["discount_percent"] == "7.50"
    assert body["net_unit_price"] == "92.50"


def test_nearest_category_discount_wins(
    api_for, rep1, dealer, price_list, product, category, parent_category
):
    factories.PriceListItemFactory(
        price_list=price_list, category=parent_category, discount_percent=Decimal("20")
    )
    factories.PriceListItemFactory(
        price_list=price_list, category=category, discount_percent=Decimal("5")
    )
    assert price(api_for(rep1), product, account=dealer.pk)["discount_percent"] == "5.00"


def test_product_entry_beats_category_discount(
    api_for, rep1, dealer, price_list, product, category
):
    factories.PriceListItemFactory(
        price_list=price_list, category=category, discount_percent=Decimal("30")
    )
    factories.PriceListItemFactory(price_list=price_list, product=product, price=Decimal("95"))
    body = price(api_for(rep1), product, account=dealer.pk)
    assert (body["unit_price"], body["discount_percent"]) == ("95.00", "0.00")


@pytest.mark.parametrize(
    ("quantity", "unit_price"),
    [("1", "90.00"), ("9.999", "90.00"), ("10", "80.00"), ("99", "80.00"), ("100", "70.00")],
)
def test_volume_breaks(api_for, rep1, dealer, price_list, product, quantity, unit_price):
    for min_quantity, amount in [("0", "90"), ("10", "80"), ("100", "70")]:
        factories.PriceListItemFactory(
            price_list=price_list,
            product=product,
            price=Decimal(amount),
            min_quantity=Decimal(min_quantity),
        )
    body = price(api_for(rep1), product, account=dealer.pk, quantity=quantity)
    assert body["unit_price"] == unit_price


def test_below_the_first_volume_break_falls_back_to_the_list_price(
    api_for, rep1, dealer, price_list, product
):
    factories.PriceListItemFactory(
        price_list=price_list, product=product, price=Decimal("80"), min_quantity=Decimal("10")
    )
    body = price(api_for(rep1), product, account=dealer.pk, quantity="5")
    assert (body["unit_price"], body["source"]) == ("100.00", "list price")


def test_discount_privilege_applies_without_a_price_list(api_for, rep1, product):
    account = factories.AccountFactory(owner=rep1, discount_privilege=Decimal("12.5"))
    body = price(api_for(rep1), product, account=account.pk)
    assert body["discount_percent"] == "12.50"
    assert body["net_unit_price"] == "87.50"
    assert body["source"] == "customer discount"


def test_price_list_beats_discount_privilege(api_for, rep1, group, price_list, product):
    account = factories.AccountFactory(owner=rep1, group=group, discount_privilege=Decimal("50"))
    factories.PriceListItemFactory(price_list=price_list, product=product, price=Decimal("85"))
    body = price(api_for(rep1), product, account=account.pk)
    assert (body["unit_price"], body["discount_percent"]) == ("85.00", "0.00")


def test_expired_price_list_is_ignored(api_for, rep1, dealer, price_list, product):
    price_list.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    price_list.save()
    factories.PriceListItemFactory(price_list=price_list, product=product, price=Decimal("80"))
    assert price(api_for(rep1), product, account=dealer.pk)["source"] == "list price"


def test_price_on_a_date_uses_the_list_valid_then(api_for, rep1, dealer, price_list, product):
    price_list.valid_from = datetime.date(2030, 1, 1)
    price_list.save()
    factories.PriceListItemFactory(price_list=price_list, product=product, price=Decimal("80"))
    client = api_for(rep1)
    assert price(client, product, account=dealer.pk)["unit_price"] == "100.00"
    assert price(client, product, account=dealer.pk, date="2030-06-01")["unit_price"] == "80.00"


def test_another_groups_price_list_is_ignored(api_for, rep1, dealer, product):
    other = factories.PriceListFactory(customer_group=factories.CustomerGroupFactory())
    factories.PriceListItemFactory(price_list=other, product=product, price=Decimal("1"))
    assert price(api_for(rep1), product, account=dealer.pk)["unit_price"] == "100.00"


def test_price_for_an_invisible_account_is_a_400_on_account(api_for, rep1, rep2, product):
    hidden = factories.AccountFactory(owner=rep2)
    response = api_for(rep1).get(f"/api/v1/products/{product.pk}/price/", {"account": hidden.pk})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["account"]


def test_price_for_a_missing_account_is_a_400_on_account(api_for, rep1, product):
    response = api_for(rep1).get(f"/api/v1/products/{product.pk}/price/", {"account": 999_999})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["account"]


@pytest.mark.parametrize("quantity", ["-1", "abc", "NaN", "1e400"])
def test_price_with_a_bad_quantity_is_a_400(api_for, rep1, product, quantity):
    response = api_for(rep1).get(f"/api/v1/products/{product.pk}/price/", {"quantity": quantity})
    assert response.status_code == 400
    assert "quantity" in response.json()["fields"]


def test_price_of_a_missing_product_is_404(api_for, rep1, db):
    assert api_for(rep1).get("/api/v1/products/999999/price/").status_code == 404
