"""The one price-resolution service that enquiries, quotes and orders call."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from sfa.catalog.models import PriceListItem, Product
from sfa.core.fsm import full_clean

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ResolvedPrice:
    unit_price: Decimal
    discount_percent: Decimal
    tax_rate: Decimal
    source: str  # "list price", "price list <name>", "customer discount"

    @property
    def net_unit_price(self) -> Decimal:
        factor = (Decimal("100") - self.discount_percent) / Decimal("100")
        return (self.unit_price * factor).quantize(CENT, rounding=ROUND_HALF_UP)


def _active_items(group_id: int, on: datetime.date):
    return PriceListItem.objects.filter(
        Q(price_list__valid_from__isnull=True) | Q(price_list__valid_from__lte=on),
        Q(price_list__valid_until__isnull=True) | Q(price_list__valid_until__gte=on),
        price_list__customer_group_id=group_id,
        price_list__is_active=True,
    ).select_related("price_list")


def _best(items, quantity: Decimal):
    """The item with the highest volume break the quantity reaches; at one break a fixed price
    beats a discount (then the newest entry wins)."""
    reached = [item for item in items if item.min_quantity <= quantity]
    return max(
        reached,
        key=lambda item: (item.min_quantity, item.price is not None, item.pk),
        default=None,
    )


def resolve_price(
    *, product: Product, account=None, quantity: Decimal = Decimal("1"), on=None
) -> ResolvedPrice:
    """Price of ``product`` for ``account`` at ``quantity`` on a day.

    Order of precedence: the customer group's price list entry for the product (a fixed price
    or a discount), then the nearest entry for its category or a parent category (a discount),
    then the list price with the customer's own discount privilege.
    """
    on = on or timezone.localdate()
    quantity = Decimal(quantity)
    tax = product.tax_rate.rate
    group_id = getattr(account, "group_id", None)
    if group_id:
        items = list(
            _active_items(group_id, on).filter(Q(product=product) | Q(category__isnull=False))
        )
        product_item = _best([i for i in items if i.product_id == product.pk], quantity)
        if product_item is not None:
            return _from_item(product, product_item, tax)
        lineage = product.category.lineage() if product.category_id else []
        for category in lineage:
            category_item = _best([i for i in items if i.category_id == category.pk], quantity)
            if category_item is not None:
                return _from_item(product, category_item, tax)
    privilege = getattr(account, "discount_privilege", None) or Decimal("0")
    if privilege:
        return ResolvedPrice(product.unit_price, privilege, tax, "customer discount")
    return ResolvedPrice(product.unit_price, Decimal("0"), tax, "list price")


def _from_item(product: Product, item: PriceListItem, tax: Decimal) -> ResolvedPrice:
    source = f"price list {item.price_list.name}"
    if item.price is not None:
        return ResolvedPrice(item.price, Decimal("0"), tax, source)
    return ResolvedPrice(product.unit_price, item.discount_percent, tax, source)


def product_save(*, actor, product: Product) -> Product:
    """Create or update a product, validated, with the actor in its history."""
    product._history_user = actor
    full_clean(product)
    product.save()
    return product
