"""Reads of enquiries; every path starts from ``lead_visible_to(user)``."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from leads.models import Lead, LeadLine
from sfa.customers.selectors import sales_record_visible_to

TEXT_FIELDS = (
    "number",
    "company",
    "first_name",
    "last_name",
    "email",
    "phone",
    "city",
    "account__name",
    "account__code",
    "remarks",
)


def lead_visible_to(user) -> QuerySet[Lead]:
    return sales_record_visible_to(Lead.objects.all(), user)


def with_list_relations(queryset: QuerySet[Lead]) -> QuerySet[Lead]:
    return queryset.select_related("account", "contact", "owner", "branch", "payment_terms")


def lead_search(queryset: QuerySet[Lead], text: str) -> QuerySet[Lead]:
    """Every word must match the number, customer/prospect, e-mail, phone, city or a product."""
    for word in text.split()[:6]:
        products = LeadLine.objects.filter(
            Q(product__code__icontains=word)
            | Q(product__name__icontains=word)
            | Q(description__icontains=word),
            lead=OuterRef("pk"),
        )
        match = Q(Exists(products))
        for field in TEXT_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset
