from django.db.models import QuerySet

from sfa.catalog.models import Product
from sfa.core.access import is_staff_user
from sfa.core.search import word_search

TEXT_FIELDS = ("code", "name", "description")


def product_visible_to(user) -> QuerySet[Product]:
    """Every staff user sees the catalogue; portal customers see it through documents only."""
    if not is_staff_user(user):
        return Product.objects.none()
    return Product.objects.all()


def product_search(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    return word_search(queryset, text, TEXT_FIELDS)
