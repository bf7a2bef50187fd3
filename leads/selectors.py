"""Reads of enquiries; every path starts from ``lead_visible_to(user)``."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from leads.models import Lead, LeadLine
from sfa.core.access import Role, has_role, is_staff_user, sees_all_customers
from sfa.customers.selectors import account_visible_to

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
    """Own enquiries, the branch's for branch managers, enquiries of visible customers, and
    all of them for managers and marketing."""
    leads = Lead.objects.all()
    if not is_staff_user(user) or not user.is_active:
        return leads.none()
    if sees_all_customers(user) or has_role(user, Role.MARKETING_MANAGER):
        return leads
    scope = Q(owner=user) | Q(account__in=account_visible_to(user).values("pk"))
    if user.is_branch_manager and user.branch_id:
        scope |= Q(branch_id=user.branch_id)
    return leads.filter(scope)


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
