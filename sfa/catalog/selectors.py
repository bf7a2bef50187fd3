from django.db.models import Q, QuerySet

from sfa.catalog.models import Product
from sfa.core.access import is_staff_user


def product_visible_to(user) -> QuerySet[Product]:
    """Every staff user sees the catalogue; portal customers see it through documents only."""
    if not is_staff_user(user):
        return Product.objects.none()
    return Product.objects.all()


def product_search(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    for word in text.split()[:6]:
        queryset = queryset.filter(
            Q(code__icontains=word) | Q(name__icontains=word) | Q(description__icontains=word)
        )
    return queryset
