from decimal import Decimal

import pytest

from tests.catalog.factories import ProductFactory


@pytest.fixture
def lathe(db):
    """A product at 1000.00, code LAT-1."""
    return ProductFactory(code="LAT-1", unit_price=Decimal("1000.00"))
