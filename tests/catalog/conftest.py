from decimal import Decimal

import pytest

from tests.catalog.factories import PriceListFactory, ProductCategoryFactory, ProductFactory
from tests.customers.factories import CustomerGroupFactory


@pytest.fixture
def group(db):
    """The dealers' customer group."""
    return CustomerGroupFactory(code="DEALER", name="Dealers")


@pytest.fixture
def price_list(group):
    """The dealers' price list, without items."""
    return PriceListFactory(name="Dealer prices", customer_group=group)


@pytest.fixture
def parent_category(db):
    return ProductCategoryFactory(name="Hardware")


@pytest.fixture
def category(parent_category):
    """Drills, under Hardware."""
    return ProductCategoryFactory(name="Drills", parent=parent_category)


@pytest.fixture
def product(category):
    """A drill at 100.00 (standard tax rate)."""
    return ProductFactory(code="DRL-9", unit_price=Decimal("100.00"), category=category)
