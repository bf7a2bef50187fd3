"""The product list's parameters, the same for the staff list and the API
(docs/api-filters.md)."""

from sfa.catalog.models import Product
from sfa.core.filters import ListFilterSet, ListOrdering


class ProductFilter(ListFilterSet):
    ordering = ListOrdering(fields=("code", "name", "unit_price", "created_at"))

    default_ordering = ("code", "pk")

    class Meta:
        model = Product
        fields = ["category", "is_active", "tax_rate", "code"]
