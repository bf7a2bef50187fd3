"""The one price-resolution service that enquiries, quotes and orders call."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from sfa.catalog.models import PriceListItem, Product, ProductCategory
from sfa.core.exceptions import InvalidInput
from sfa.core.fsm import full_clean
from sfa.core.money import Totals, document_totals, line_amounts

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


def product_category_named(*, actor, name: str) -> ProductCategory:
    """The top-level category of this name, created when there is none (for imports)."""
    category, _created = ProductCategory.objects.get_or_create(name=name, parent=None)
    return category


@dataclass(frozen=True)
class PricedLine:
    product: Product | None
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    tax_rate: Decimal


def _given(value, fallback):
    return value if value is not None else fallback


def price_line(*, account, data: dict, on=None) -> PricedLine:
    """One document line; what the caller leaves out comes from the product and the
    customer's price list. Raises ``InvalidInput`` naming the field."""
    product = data.get("product")
    if product is None and not data.get("description"):
        raise InvalidInput(fields={"description": ["Give a product or a description."]})
    quantity = Decimal(data.get("quantity") or 1)
    price = None
    if product is not None:
        price = resolve_price(product=product, account=account, quantity=quantity, on=on)
    unit_price = _given(data.get("unit_price"), price.unit_price if price else None)
    if unit_price is None:
        raise InvalidInput(fields={"unit_price": ["Give a unit price for a free-text line."]})
    list_discount = price.discount_percent if price and data.get("unit_price") is None else 0
    return PricedLine(
        product=product,
        description=data.get("description") or (product.name if product else ""),
        unit=data.get("unit") or (product.unit if product else ""),
        quantity=quantity,
        unit_price=unit_price,
        discount_percent=_given(data.get("discount_percent"), Decimal(list_discount)),
        tax_rate=_given(data.get("tax_rate"), price.tax_rate if price else Decimal(0)),
    )


def price_lines(*, account, lines: list[dict], on=None) -> list[PricedLine]:
    """All lines, or ``InvalidInput`` with ``{"lines": {index: {field: [...]}}}``."""
    priced, errors = [], {}
    for index, data in enumerate(lines):
        try:
            priced.append(price_line(account=account, data=data, on=on))
        except InvalidInput as error:
            errors[str(index)] = error.fields
    if errors:
        raise InvalidInput(fields={"lines": errors})
    return priced


def replace_lines(*, document, priced: list[PricedLine]) -> Totals:
    """Store ``priced`` as the document's lines (``document.lines``, a ``DocumentLine``
    subclass) in place of the old ones, each with its line total; return the totals."""
    manager = document.lines
    fk_name = manager.field.name
    rows, amounts = [], []
    for index, line in enumerate(priced):
        amount = line_amounts(
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            tax_rate=line.tax_rate,
        )
        rows.append(
            manager.model(
                **{fk_name: document}, position=index, line_total=amount.net, **vars(line)
            )
        )
        amounts.append(amount)
    manager.all().delete()
    manager.model.objects.bulk_create(rows)
    return document_totals(amounts)
