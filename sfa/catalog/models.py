"""Products, categories, tax rates and the price lists of customer groups."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sfa.core.models import TimeStampedModel
from sfa.customers.models import CustomerGroup

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class TaxRate(models.Model):
    name = models.CharField(max_length=60, unique=True)
    rate = models.DecimalField(max_digits=5, decimal_places=2, validators=PERCENT)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-rate", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.rate}%)"


class ProductCategory(models.Model):
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "product categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="catalog_category_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def lineage(self) -> list["ProductCategory"]:
        """This category and its ancestors, nearest first (guarded against cycles)."""
        chain, seen, node = [], set(), self
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def subtree_ids(self) -> set[int]:
        """The ids of this category and every category below it (one query)."""
        children: dict[int | None, list[int]] = {}
        for pk, parent in ProductCategory.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        found, todo = set(), [self.pk]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(children.get(pk, ()))
        return found


class Product(TimeStampedModel):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        ProductCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    unit = models.CharField(max_length=20, default="pc")
    unit_price = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(max_length=3, default="EUR")
    tax_rate = models.ForeignKey(TaxRate, on_delete=models.PROTECT, related_name="products")
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["code"]
        permissions = [("import_product", "Can import products")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PriceList(models.Model):
    """The price policy of one customer group for a period."""

    name = models.CharField(max_length=120)
    customer_group = models.ForeignKey(
        CustomerGroup, on_delete=models.PROTECT, related_name="price_lists"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["customer_group__name", "name"]

    def __str__(self) -> str:
        return self.name


class PriceListItem(models.Model):
    """A fixed price or a discount for one product, or a discount for a whole category."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="price_items"
    )
    category = models.ForeignKey(
        ProductCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    price = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    discount_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    min_quantity = models.DecimalField(
        max_digits=12,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Applies from this quantity on (volume breaks)."),
    )

    class Meta:
        ordering = ["price_list", "product", "category", "min_quantity"]
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False, category__isnull=True)
                | Q(product__isnull=True, category__isnull=False),
                name="catalog_item_product_xor_category",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=False, discount_percent__isnull=True)
                | Q(price__isnull=True, discount_percent__isnull=False),
                name="catalog_item_price_xor_discount",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(price__isnull=True),
                name="catalog_category_items_are_discounts",
            ),
        ]

    def __str__(self) -> str:
        target = self.product or self.category
        rule = f"{self.price}" if self.price is not None else f"-{self.discount_percent}%"
        return f"{target}: {rule}"


class DocumentLine(models.Model):
    """The line of any commercial document (enquiry, opportunity, quote, order, invoice).

    Subclasses add the foreign key to their document (``related_name="lines"``) and an
    ordering; amounts are computed by ``sfa.core.money`` and prices by ``price_line``.
    """

    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=500, blank=True)
    quantity = models.DecimalField(
        max_digits=12,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(max_length=20, blank=True)
    unit_price = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    discount_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), validators=PERCENT
    )
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), validators=PERCENT
    )
    line_total = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0.00"), editable=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.description or str(self.product)
