"""Import-export resource of products: the columns of the product CSV / XLSX import, written by
``sfa.catalog.services`` (the framework is ``sfa.core.importing``)."""

from decimal import Decimal

from import_export import fields, widgets

from sfa.catalog import services
from sfa.catalog.models import Product, TaxRate
from sfa.catalog.selectors import product_visible_to
from sfa.core.resources import (
    DecimalWidget,
    LookupWidget,
    ServiceResource,
    YesNoWidget,
    records_by_lower,
    refuse,
)


class TaxRateWidget(LookupWidget):
    """A tax rate by its name or its percentage (``7``, ``7,0``, ``7 %``)."""

    def __init__(self):
        super().__init__(TaxRate, "name", "tax rate")

    def find(self, value: str):
        found = super().find(value)
        if found is None:
            percent = _percentage(value)
            if percent is not None:
                found = TaxRate.objects.filter(rate=percent).order_by("pk").first()
        return found


def _percentage(text: str) -> Decimal | None:
    try:
        return DecimalWidget().clean(text.strip().removesuffix("%"))
    except ValueError:
        return None


class CategoryWidget(widgets.Widget):
    """A category by its name; the import creates a top-level one that is missing."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class ProductResource(ServiceResource):
    """Products by ``code``: a known code (ignoring case) updates the product, a new one
    creates it. Without a tax rate a product gets the default rate."""

    category = fields.Field(attribute="category", widget=CategoryWidget())
    unit_price = fields.Field(attribute="unit_price", widget=DecimalWidget())
    tax_rate = fields.Field(attribute="tax_rate", widget=TaxRateWidget())
    is_active = fields.Field(attribute="is_active", widget=YesNoWidget())

    class Meta:
        model = Product
        fields = (
            "code", "name", "description", "category", "unit", "unit_price", "currency",
            "tax_rate", "is_active",
        )  # fmt: skip

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.existing: dict[str, Product] = {}

    def before_import(self, dataset, **kwargs):
        if "code" in dataset.headers:
            codes = dataset.get_col(dataset.headers.index("code"))
            self.existing = records_by_lower(product_visible_to(self.actor), "code", codes)

    def get_instance(self, instance_loader, row):
        code = row.get("code", "").lower()
        if not code:
            raise refuse("code", "This field is required.")
        if code in self.seen:
            raise refuse("code", "Appears twice in this file.")
        self.seen.add(code)
        return self.existing.get(code)

    def write(self, instance, *, is_create, changes):
        for name, value in changes.items():
            if name == "category":
                value = services.product_category_named(actor=self.actor, name=value)
            if name != "code" or is_create:
                setattr(instance, name, value)
        if instance.tax_rate_id is None:
            instance.tax_rate = TaxRate.objects.filter(is_default=True).order_by("pk").first()
        services.product_save(actor=self.actor, product=instance)
