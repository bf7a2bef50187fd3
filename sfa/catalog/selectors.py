from django.db.models import QuerySet

from sfa.catalog.filters import ProductFilter
from sfa.catalog.models import Product
from sfa.core.access import is_staff_user
from sfa.core.filters import filtered_rows
from sfa.core.search import word_search

TEXT_FIELDS = ("code", "name", "description")


def product_visible_to(user) -> QuerySet[Product]:
    """Every staff user sees the catalogue; portal customers see it through documents only."""
    if not is_staff_user(user):
        return Product.objects.none()
    return Product.objects.all()


def active_products() -> QuerySet[Product]:
    """Products that documents may take (the lines editor's choices)."""
    return Product.objects.filter(is_active=True)


def product_list(*, user, filters) -> QuerySet[Product]:
    """The product list of the staff UI and the API: the catalogue filtered, searched and
    ordered by ``ProductFilter``; ``InvalidInput`` names a bad filter."""
    products = product_visible_to(user).select_related("category", "tax_rate")
    return filtered_rows(ProductFilter(filters, queryset=products, search=product_search))


def product_search(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    return word_search(queryset, text, TEXT_FIELDS)
