"""Every factory, re-exported for ``from tests import factories``. Each app's factories live
in ``tests/<app>/factories.py``; new code imports them from there."""

from tests.catalog.factories import (
    PriceListFactory,
    PriceListItemFactory,
    ProductCategoryFactory,
    ProductFactory,
    TaxRateFactory,
)
from tests.core.factories import BranchFactory, TeamFactory, UserFactory
from tests.customers.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    CustomerGroupFactory,
    CustomerTypeFactory,
    CustomFieldFactory,
    IndustryFactory,
    ReminderFactory,
    ShipToFactory,
    portal_user_for,
)
from tests.tickets.factories import TicketFactory

__all__ = [
    "AccountFactory",
    "ActivityFactory",
    "BranchFactory",
    "ContactFactory",
    "CustomFieldFactory",
    "CustomerGroupFactory",
    "CustomerTypeFactory",
    "IndustryFactory",
    "PriceListFactory",
    "PriceListItemFactory",
    "ProductCategoryFactory",
    "ProductFactory",
    "ReminderFactory",
    "ShipToFactory",
    "TaxRateFactory",
    "TeamFactory",
    "TicketFactory",
    "UserFactory",
    "portal_user_for",
]
