"""Reads of enquiries; every path starts from ``lead_visible_to(user)``."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from leads.filters import LeadFilter
from leads.models import ConversionMapping, Lead, LeadLine, WebForm, WebFormSubmission
from leads.models.conversion import CUSTOM_PREFIX, LEAD_SOURCES
from sfa.core.filters import filtered_rows
from sfa.core.search import word_match, word_search
from sfa.customers.selectors import customer_record_quick_find, sales_record_visible_to

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
    "source_detail",
)
LINE_FIELDS = ("product__code", "product__name", "description")


def lead_visible_to(user) -> QuerySet[Lead]:
    return sales_record_visible_to(Lead.objects.all(), user)


def with_list_relations(queryset: QuerySet[Lead]) -> QuerySet[Lead]:
    """What a list row shows: the customer, the contact and the owner."""
    return queryset.select_related("account", "contact", "owner")


def with_record_relations(queryset: QuerySet[Lead]) -> QuerySet[Lead]:
    """An enquiry's own page: its people, branch and payment terms."""
    return queryset.select_related("account", "contact", "owner", "branch", "payment_terms")


def with_lines(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    return leads.prefetch_related("lines__product")


def lead_list(*, user, filters) -> QuerySet[Lead]:
    """The enquiry list of the staff UI and the API: the user's enquiries (``with_lines``
    adds their lines), filtered, searched and ordered by ``LeadFilter``; ``InvalidInput``
    names a bad filter."""
    leads = with_list_relations(lead_visible_to(user))
    return filtered_rows(LeadFilter(filters, queryset=leads, search=lead_search))


def lead_search(queryset: QuerySet[Lead], text: str) -> QuerySet[Lead]:
    """Every word must match the number, customer/prospect, e-mail, phone, city or a product."""
    return word_search(queryset, text, (_in_lines, *TEXT_FIELDS))


def _in_lines(word: str) -> Q:
    lines = LeadLine.objects.filter(word_match(word, LINE_FIELDS), lead=OuterRef("pk"))
    return Q(Exists(lines))


def lead_quick_find(queryset: QuerySet[Lead], text: str) -> QuerySet[Lead]:
    """The global search box (``customer_record_quick_find``), newest first."""
    return customer_record_quick_find(
        queryset,
        text,
        contains=("company", "last_name", "email"),
        order_by=("-enquiry_date", "-pk"),
    )


def web_forms_with_figures(since) -> QuerySet[WebForm]:
    """Every web form with its submissions since ``since``, the leads it made, how many of
    them were converted."""
    made = Q(submissions__outcome=WebFormSubmission.Outcome.CREATED)
    return WebForm.objects.select_related("owner", "product_category").annotate(
        recent=Count("submissions", filter=Q(submissions__created_at__gte=since)),
        leads_made=Count("submissions", filter=made),
        converted=Count(
            "submissions", filter=made & Q(submissions__lead__state=Lead.State.CONVERTED)
        ),
    )


@dataclass(frozen=True)
class MappedValue:
    field: str  # target field, or custom_fields.<key>
    value: object
    overwrite: bool
    source: str

    @property
    def label(self) -> str:
        return self.field.removeprefix(CUSTOM_PREFIX).replace("_", " ").capitalize()

    @property
    def custom_key(self) -> str:
        """For ``custom_fields.<key>`` targets the key, else ""."""
        prefixed = self.field.startswith(CUSTOM_PREFIX)
        return self.field.removeprefix(CUSTOM_PREFIX) if prefixed else ""


def conversion_values(lead: Lead) -> dict[str, list[MappedValue]]:
    """The lead's values for each target of the conversion mapping ("account", "contact",
    "opportunity"), in the mapping's order; empty values are left out."""
    found: dict[str, list[MappedValue]] = {target: [] for target in ConversionMapping.Target}
    for row in ConversionMapping.objects.filter(is_active=True).order_by("position", "pk"):
        if row.source.startswith(CUSTOM_PREFIX):
            value = lead.custom_fields.get(row.source.removeprefix(CUSTOM_PREFIX))
        elif row.source in LEAD_SOURCES:
            value = getattr(lead, row.source, None)
        else:  # a mapping row that no longer fits the model is ignored, not fatal
            continue
        if value in (None, "", [], {}):
            continue
        found.setdefault(row.target, []).append(
            MappedValue(row.target_field, value, row.overwrite, row.source)
        )
    return found
