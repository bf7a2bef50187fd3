"""Reads of quotes; every path starts from ``quote_visible_to(user)``."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from quotes.filters import QuoteFilter
from quotes.models import Quote, QuoteLine
from sfa.core.filters import filtered_rows
from sfa.core.search import word_match, word_search
from sfa.customers.selectors import customer_record_quick_find, sales_record_visible_to

TEXT_FIELDS = ("number", "title", "account__name", "account__code", "contact__last_name")
LINE_FIELDS = ("product__code", "product__name", "description")


def quote_visible_to(user) -> QuerySet[Quote]:
    return sales_record_visible_to(Quote.objects.all(), user)


def with_list_relations(queryset: QuerySet[Quote]) -> QuerySet[Quote]:
    return queryset.select_related("account", "contact", "owner", "opportunity")


def quote_list(*, user, filters) -> QuerySet[Quote]:
    """The quote list of the staff UI and the API: the user's quotes (``with_lines`` adds
    the lines), filtered, searched and ordered by ``QuoteFilter``; ``InvalidInput`` names a
    bad filter."""
    quotes = with_list_relations(quote_visible_to(user))
    return filtered_rows(QuoteFilter(filters, queryset=quotes, search=quote_search))


def with_lines(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """The quotes with their lines (and the lines' products) fetched in one query each."""
    return quotes.prefetch_related("lines__product")


def quote_search(queryset: QuerySet[Quote], text: str) -> QuerySet[Quote]:
    """Every word must match the number, title, customer (code or name), contact or a product
    (code, name or line text)."""
    return word_search(queryset, text, (_in_lines, *TEXT_FIELDS))


def _in_lines(word: str) -> Q:
    lines = QuoteLine.objects.filter(word_match(word, LINE_FIELDS), quote=OuterRef("pk"))
    return Q(Exists(lines))


def quote_quick_find(queryset: QuerySet[Quote], text: str) -> QuerySet[Quote]:
    """The global search box (``customer_record_quick_find``), newest first."""
    return customer_record_quick_find(
        queryset, text, contains=("title",), order_by=("-issue_date", "-pk")
    )


def versions_of(quote: Quote) -> QuerySet[Quote]:
    """Every version of the quote's number, newest first."""
    return Quote.objects.filter(number=quote.number).order_by("-version")


PORTAL_STATES = (
    Quote.State.SENT,
    Quote.State.ACCEPTED,
    Quote.State.REJECTED,
    Quote.State.EXPIRED,
)


def quote_visible_to_contact(contact) -> QuerySet[Quote]:
    """The quotes a portal customer sees: their account's, once sent (drafts, held and
    superseded versions never); none without a contact."""
    if contact is None:
        return Quote.objects.none()
    return (
        Quote.objects.filter(account_id=contact.account_id, state__in=PORTAL_STATES)
        .select_related("account", "contact", "owner", "payment_terms")
        .order_by("-issue_date", "-pk")
    )


def quote_recipients(quote: Quote):
    """Who a quote can be e-mailed to: the customer's active contacts with an address."""
    from sfa.customers.models import Contact

    return (
        Contact.objects.filter(account_id=quote.account_id, is_active=True)
        .exclude(email="")
        .order_by("-is_primary", "last_name", "first_name", "pk")
    )
