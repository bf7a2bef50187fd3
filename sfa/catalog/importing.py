"""Product rows for the shared CSV / XLSX import (see ``sfa.core.importing``)."""

from sfa.catalog.models import Product, ProductCategory, TaxRate
from sfa.core.importing import TRUE, RowError, decimal_cell


def import_product(row: dict, actor, seen: set) -> str:
    code = row.get("code", "")
    if not code:
        raise RowError({"code": ["This field is required."]})
    if code.lower() in seen:
        raise RowError({"code": ["Appears twice in this file."]})
    seen.add(code.lower())
    product = Product.objects.filter(code__iexact=code).first()
    action = "update" if product else "create"
    product = product or Product(code=code)
    for name in ("name", "description", "unit", "currency"):
        if row.get(name):
            setattr(product, name, row[name])
    price = decimal_cell(row, "unit_price")
    if price is not None:
        product.unit_price = price
    if row.get("tax_rate") or product.tax_rate_id is None:
        product.tax_rate = _tax_rate(row)
    if row.get("category"):
        product.category, _ = ProductCategory.objects.get_or_create(
            name=row["category"], parent=None
        )
    if row.get("is_active"):
        product.is_active = row["is_active"].lower() in TRUE
    product._history_user = actor
    product.full_clean()
    product.save()
    return action


def _tax_rate(row: dict) -> TaxRate | None:
    """The rate named (or of the percentage given) in the row, else the default rate."""
    if not row.get("tax_rate"):
        return TaxRate.objects.filter(is_default=True).first()
    rate = TaxRate.objects.filter(name__iexact=row["tax_rate"]).first()
    percent = _percentage(row["tax_rate"])
    if rate is None and percent is not None:
        rate = TaxRate.objects.filter(rate=percent).first()
    if rate is None:
        raise RowError({"tax_rate": [f"Unknown tax rate “{row['tax_rate']}”."]})
    return rate


def _percentage(text: str):
    """``7``, ``7,0`` or ``7 %`` as a Decimal; None when the text is not a number."""
    try:
        return decimal_cell({"rate": text.removesuffix("%")}, "rate")
    except RowError:
        return None
