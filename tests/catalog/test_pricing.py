"""``resolve_price``: which price a customer pays for a product, on a day, at a quantity."""

import datetime
from decimal import Decimal

import pytest

from sfa.catalog.services import ResolvedPrice, resolve_price
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def discounted_dealer(group):
    """A dealer with a 3 % discount privilege."""
    return factories.AccountFactory(group=group, discount_privilege=Decimal("3.00"))


def price(product, customer, quantity="1", on=TODAY) -> ResolvedPrice:
    return resolve_price(product=product, account=customer, quantity=Decimal(quantity), on=on)


def fixed(price_list, product, amount, min_quantity="0"):
    return factories.PriceListItemFactory(
        price_list=price_list,
        product=product,
        price=Decimal(amount),
        min_quantity=Decimal(min_quantity),
    )


def discount(price_list, percent, *, product=None, category=None, min_quantity="0"):
    return factories.PriceListItemFactory(
        price_list=price_list,
        product=product,
        category=category,
        discount_percent=Decimal(percent),
        min_quantity=Decimal(min_quantity),
    )


# Precedence ------------------------------------------------------------------------------------


def test_without_a_customer_the_list_price_applies(product):
    resolved = resolve_price(product=product, on=TODAY)
    assert (resolved.unit_price, resolved.discount_percent, resolved.source) == (
        Decimal("100.00"),
        Decimal("0"),
        "list price",
    )


def test_customer_without_group_or_privilege_pays_the_list_price(product):
    resolved = price(product, factories.AccountFactory())
    assert (resolved.net_unit_price, resolved.source) == (Decimal("100.00"), "list price")


def test_customer_discount_privilege_applies_without_a_price_list(product, discounted_dealer):
    resolved = price(product, discounted_dealer)
    assert (resolved.unit_price, resolved.discount_percent, resolved.source) == (
        Decimal("100.00"),
        Decimal("3.00"),
        "customer discount",
    )


def test_parent_category_discount_beats_customer_privilege(
    product, discounted_dealer, price_list, parent_category
):
    discount(price_list, "5", category=parent_category)
    resolved = price(product, discounted_dealer)
    assert (resolved.discount_percent, resolved.source) == (
        Decimal("5"),
        "price list Dealer prices",
    )


def test_category_discount_beats_parent_category(
    product, discounted_dealer, price_list, category, parent_category
):
    discount(price_list, "5", category=parent_category)
    discount(price_list, "8", category=category)
    assert price(product, discounted_dealer).discount_percent == Decimal("8")


def test_product_discount_beats_category_discount(product, discounted_dealer, price_list, category):
    discount(price_list, "8", category=category)
    discount(price_list, "12", product=product)
    assert price(product, discounted_dealer).discount_percent == Decimal("12")


def test_product_fixed_price_beats_product_discount(product, discounted_dealer, price_list):
    fixed(price_list, product, "90.00")
    discount(price_list, "12", product=product)
    resolved = price(product, discounted_dealer)
    assert (resolved.unit_price, resolved.discount_percent) == (Decimal("90.00"), Decimal("0"))


def test_product_fixed_price_beats_a_discount_on_another_list(product, discounted_dealer, group):
    fixed(factories.PriceListFactory(customer_group=group), product, "90.00")
    discount(factories.PriceListFactory(customer_group=group), "12", product=product)
    assert price(product, discounted_dealer).net_unit_price == Decimal("90.00")


def test_fixed_price_is_not_reduced_by_the_customer_privilege(
    product, discounted_dealer, price_list
):
    fixed(price_list, product, "90.00")
    assert price(product, discounted_dealer).net_unit_price == Decimal("90.00")


def test_price_list_of_another_group_does_not_apply(product, discounted_dealer):
    other = factories.PriceListFactory(customer_group=factories.CustomerGroupFactory())
    fixed(other, product, "50.00")
    assert price(product, discounted_dealer).source == "customer discount"


def test_entry_for_another_product_does_not_apply(product, discounted_dealer, price_list):
    fixed(price_list, factories.ProductFactory(), "50.00")
    assert price(product, discounted_dealer).source == "customer discount"


def test_category_of_another_branch_of_the_tree_does_not_apply(
    product, discounted_dealer, price_list
):
    discount(price_list, "40", category=factories.ProductCategoryFactory(name="Valves"))
    assert price(product, discounted_dealer).source == "customer discount"


def test_product_without_category_skips_category_entries(discounted_dealer, price_list, category):
    discount(price_list, "40", category=category)
    loose = factories.ProductFactory(category=None)
    assert price(loose, discounted_dealer).source == "customer discount"


def test_tax_rate_comes_from_the_product(product, discounted_dealer):
    assert price(product, discounted_dealer).tax_rate == Decimal("19.00")


# Volume breaks ---------------------------------------------------------------------------------


@pytest.fixture
def breaks(product, price_list):
    fixed(price_list, product, "95.00", min_quantity="0")
    fixed(price_list, product, "90.00", min_quantity="10")
    fixed(price_list, product, "80.00", min_quantity="100")


@pytest.mark.parametrize(
    ("quantity", "unit_price"),
    [("1", "95.00"), ("9.999", "95.00"), ("10", "90.00"), ("99", "90.00"), ("250", "80.00")],
)
def test_highest_volume_break_reached_applies(
    product, discounted_dealer, breaks, quantity, unit_price
):
    assert price(product, discounted_dealer, quantity).unit_price == Decimal(unit_price)


def test_break_not_reached_falls_through_to_the_category(
    product, discounted_dealer, price_list, category
):
    fixed(price_list, product, "70.00", min_quantity="50")
    discount(price_list, "8", category=category)
    assert price(product, discounted_dealer, "5").discount_percent == Decimal("8")


def test_category_volume_breaks_apply(product, discounted_dealer, price_list, category):
    discount(price_list, "5", category=category)
    discount(price_list, "10", category=category, min_quantity="20")
    assert price(product, discounted_dealer, "20").discount_percent == Decimal("10")


# Validity --------------------------------------------------------------------------------------


def test_price_list_applies_from_its_first_day(product, discounted_dealer, price_list):
    price_list.valid_from = TODAY
    price_list.save()
    fixed(price_list, product, "90.00")
    assert price(product, discounted_dealer).unit_price == Decimal("90.00")


def test_price_list_does_not_apply_before_its_first_day(product, discounted_dealer, price_list):
    price_list.valid_from = TODAY + datetime.timedelta(days=1)
    price_list.save()
    fixed(price_list, product, "90.00")
    assert price(product, discounted_dealer).source == "customer discount"


def test_price_list_applies_on_its_last_day(product, discounted_dealer, price_list):
    price_list.valid_until = TODAY
    price_list.save()
    fixed(price_list, product, "90.00")
    assert price(product, discounted_dealer).unit_price == Decimal("90.00")


def test_price_list_does_not_apply_after_its_last_day(product, discounted_dealer, price_list):
    price_list.valid_until = TODAY - datetime.timedelta(days=1)
    price_list.save()
    fixed(price_list, product, "90.00")
    assert price(product, discounted_dealer).source == "customer discount"


def test_inactive_price_list_does_not_apply(product, discounted_dealer, price_list):
    price_list.is_active = False
    price_list.save()
    fixed(price_list, product, "90.00")
    assert price(product, discounted_dealer).source == "customer discount"


def test_current_list_applies_when_an_expired_one_exists(product, discounted_dealer, group):
    expired = factories.PriceListFactory(
        customer_group=group, valid_until=TODAY - datetime.timedelta(days=1)
    )
    current = factories.PriceListFactory(customer_group=group, valid_from=TODAY)
    fixed(expired, product, "50.00")
    fixed(current, product, "90.00")
    assert price(product, discounted_dealer).unit_price == Decimal("90.00")


def test_day_defaults_to_today(product, discounted_dealer, price_list):
    price_list.valid_until = datetime.date(2000, 1, 1)
    price_list.save()
    fixed(price_list, product, "90.00")
    assert resolve_price(product=product, account=discounted_dealer).source == "customer discount"


# Rounding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_price", "percent", "net"),
    [
        ("10.05", "50", "5.03"),  # 5.025 rounds half up, not to even
        ("10.15", "50", "5.08"),  # 5.075
        ("0.01", "50", "0.01"),  # 0.005
        ("19.99", "33.33", "13.33"),  # 13.327333
        ("100.00", "0", "100.00"),
        ("100.00", "100", "0.00"),
    ],
)
def test_net_unit_price_rounds_half_up_to_cents(unit_price, percent, net):
    resolved = ResolvedPrice(Decimal(unit_price), Decimal(percent), Decimal("19"), "test")
    assert resolved.net_unit_price == Decimal(net)
    assert resolved.net_unit_price.as_tuple().exponent == -2
