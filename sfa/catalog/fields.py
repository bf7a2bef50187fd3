"""API pieces for document lines, shared by every document app's serializers."""

from rest_framework import serializers

from sfa.catalog.models import Product

LINE_FIELDS = [
    "id",
    "position",
    "product",
    "product_code",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "tax_rate",
    "line_total",
]
LINE_READ_ONLY = ["id", "position", "line_total"]


class DocumentLineSerializer(serializers.ModelSerializer):
    """Base of ``<Document>LineSerializer``: subclasses give ``Meta.model`` and may reuse
    ``LINE_FIELDS`` / ``LINE_READ_ONLY``. What a line leaves out is priced by the service."""

    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.filter(is_active=True), required=False, allow_null=True
    )
    product_code = serializers.CharField(source="product.code", read_only=True, default=None)
    unit_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Resolved from the customer's price list when left out.",
    )
    discount_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="The price list's discount when left out.",
    )
    tax_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="The product's tax rate when left out.",
    )
