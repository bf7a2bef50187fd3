"""Reads of opportunities and what a conversion would link or create."""

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from leads.models import Lead
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity, weighted_amount_sql
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


# What a board card shows: the deal's own fields, its customer's name and its owner's name
# (and the customer's status, which its state machine reads when the row is loaded).
BOARD_CARD_FIELDS = (
    "title",
    "state",
    "amount",
    "currency",
    "probability",
    "expected_close_date",
    "stage_changed_at",
    "account__name",
    "account__status",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)
CLOSING_SOONEST = (F("expected_close_date").asc(nulls_last=True), F("pk").asc())


def board_cards(
    deals: QuerySet[Opportunity], *, per_stage: int
) -> tuple[dict[str, dict], list[Opportunity]]:
    """The pipeline board of ``deals`` (a user's, from ``opportunity_visible_to``): per
    stage its number of deals, amount and weighted amount (``{stage: {"deals", "total",
    "weighted"}}``), and the first ``per_stage`` cards of each stage, closing soonest first
    (no date last), with their customer and owner. Two queries whatever the number of deals:
    window functions over the stage rank, count and add up the deals' few columns in one
    pass; then the shown cards are read by id (a list of ids, so that the planner looks the
    few rows up rather than joining every customer)."""
    stage = {"partition_by": F("state")}
    first = list(
        deals.order_by()
        .annotate(
            place=Window(RowNumber(), order_by=list(CLOSING_SOONEST), **stage),
            deals=Window(Count("pk"), **stage),
            total=Window(Sum("amount"), **stage),
            weighted=Window(Sum(weighted_amount_sql()), **stage),
        )
        .filter(place__lte=per_stage)
        .values("pk", "state", "deals", "total", "weighted")
    )
    cards = (
        Opportunity.objects.filter(pk__in=[row["pk"] for row in first])
        .select_related("account", "owner")
        .only(*BOARD_CARD_FIELDS)
        .order_by(*CLOSING_SOONEST)
    )
    return {row["state"]: row for row in first}, list(cards)


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
