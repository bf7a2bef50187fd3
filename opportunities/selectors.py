"""Reads of opportunities and what a conversion would link or create."""

from django.db.models import Q, QuerySet

from leads.models import Lead
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity
from sfa.core.filters import filtered_rows
from sfa.core.search import word_search
from sfa.customers.models import Contact
from sfa.customers.selectors import account_visible_to, sales_record_visible_to

TEXT_FIELDS = ("title", "account__name", "account__code", "next_step")


def opportunity_visible_to(user) -> QuerySet[Opportunity]:
    return sales_record_visible_to(Opportunity.objects.all(), user)


def with_list_relations(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.select_related("account", "contact", "owner", "lost_reason")


def with_lines(deals: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return deals.prefetch_related("lines__product")


def opportunity_list(*, user, filters) -> QuerySet[Opportunity]:
    """The opportunity list of the staff UI and the API: the user's deals (``with_lines``
    adds their lines), filtered, searched and ordered by ``OpportunityFilter``;
    ``InvalidInput`` names a bad filter."""
    deals = with_list_relations(opportunity_visible_to(user))
    return filtered_rows(OpportunityFilter(filters, queryset=deals, search=opportunity_search))


def opportunity_search(queryset: QuerySet[Opportunity], text: str) -> QuerySet[Opportunity]:
    return word_search(queryset, text, TEXT_FIELDS)


def conversion_candidates(*, lead: Lead, user) -> dict:
    """Existing customers and contacts the enquiry matches, so no duplicate is created."""
    accounts = account_visible_to(user).filter(status="active")
    match = Q(pk=lead.account_id) if lead.account_id else Q(pk__in=[])
    if lead.email:
        domain = lead.email.rsplit("@", 1)[-1]
        match |= Q(email__iexact=lead.email) | Q(email__iendswith=f"@{domain}")
        match |= Q(contacts__email__iexact=lead.email)
    if lead.company:
        match |= Q(name__iexact=lead.company) | Q(name__icontains=lead.company)
    found = list(accounts.filter(match).distinct().order_by("name")[:10])
    contacts = Contact.objects.filter(account__in=[a.pk for a in found], is_active=True)
    person = Q(pk__in=[])
    if lead.email:
        person |= Q(email__iexact=lead.email)
    if lead.last_name:
        person |= Q(last_name__iexact=lead.last_name, first_name__iexact=lead.first_name)
    return {"accounts": found, "contacts": list(contacts.filter(person)[:10])}
