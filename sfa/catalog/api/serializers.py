from rest_framework import serializers

from sfa.catalog.models import PriceList, PriceListItem, Product, ProductCategory, TaxRate


class ProductSerializer(serializers.ModelSerializer):
    tax_rate_percent = serializers.DecimalField(
        source="tax_rate.rate", max_digits=5, decimal_places=2, read_only=True
    )
    category_name = serializers.CharField(source="category", read_only=True, default=None)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "description",
            "category",
            "category_name",
            "unit",
            "unit_price",
            "currency",
            "tax_rate",
            "tax_rate_percent",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "name", "parent"]


class TaxRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaxRate
        fields = ["id", "name", "rate", "is_default"]


class PriceListItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceListItem
        fields = ["id", "product", "category", "price", "discount_percent", "min_quantity"]


class PriceListSerializer(serializers.ModelSerializer):
    items = PriceListItemSerializer(many=True, read_only=True)

    class Meta:
        model = PriceList
        fields = ["id", "name", "customer_group", "valid_from", "valid_until", "is_active", "items"]


class PriceQuery(serializers.Serializer):
    account = serializers.IntegerField(required=False, help_text="Customer id.")
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=3, required=False, min_value=0, default=1
    )
    date = serializers.DateField(required=False)


class ResolvedPriceSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    account = serializers.IntegerField(allow_null=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    net_unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    source = serializers.CharField()
