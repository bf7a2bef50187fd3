"""The customer search document: one lower-case text per customer, searched instead of a
dozen columns and a contacts subquery.

It holds the customer's code, name, e-mail, phones (as typed and as digits only), address,
area, region and state, and for every contact the names, e-mail and phones. A search word
matches when it is part of the document (``LIKE '%word%'``), which a trigram GIN index
answers on PostgreSQL at a million customers; a word of digits and phone punctuation
(``040-123 45``) is searched as its digits. Results are ranked: the exact code first, then
codes and names that start with the text, then the rest by name; a broad term is cut at
:data:`MAX_MATCHES` candidates instead of sorting every customer that contains it.

The services that write customers and contacts refresh the documents they touch
(:func:`account_search_documents_refresh`); :func:`account_search_documents_rebuild` redoes
all of them in one statement (migrations, bulk loads).
"""

import re
from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from sfa.core.search import MAX_WORDS
from sfa.customers.models import Account, Contact

# How many customers a broad term ranks at most (besides the code and name prefix matches).
MAX_MATCHES = 300
ACCOUNT_PARTS = ("code", "name", "email", "phone", "mobile", "fax", "street", "postal_code",
                 "city", "area", "region", "state")  # fmt: skip
CONTACT_PARTS = ("first_name", "last_name", "email", "phone", "mobile")
PHONES = frozenset({"phone", "mobile", "fax"})
PHONE_LIKE = re.compile(r"^[\d+()./-]*\d[\d+()./-]*$")
NOT_DIGITS = re.compile(r"\D")


def _parts(row, names: Iterable[str]) -> list[str]:
    parts = []
    for name in names:
        value = getattr(row, name) or ""
        parts.append(value)
        if name in PHONES:
            parts.append(NOT_DIGITS.sub("", value))
    return parts


def search_document(account: Account, contacts: Iterable[Contact]) -> str:
    """The document of one customer; the SQL of the rebuild says the same."""
    parts = _parts(account, ACCOUNT_PARTS)
    for contact in contacts:
        parts.extend(_parts(contact, CONTACT_PARTS))
    return " ".join(part for part in parts if part).lower()


def search_terms(text: str) -> list[str]:
    """The words to look for: lower case; a phone-like word as its digits."""
    words = []
    for word in text.lower().split()[:MAX_WORDS]:
        words.append(NOT_DIGITS.sub("", word) if PHONE_LIKE.match(word) else word)
    return [word for word in words if word]


def account_search(queryset: QuerySet[Account], text: str) -> QuerySet[Account]:
    """The customers of ``queryset`` whose document holds every word of ``text``, best first:
    the exact code, codes and names starting with the text, then by name."""
    if not search_terms(text):
        return queryset
    ranked = _ranked(queryset, text)
    if connection.vendor != "postgresql":
        return ranked
    # The candidates are a few hundred ids: read them once, in their order, so that the count
    # and the page of a list do not each run the search again (a common word's trigram index
    # scan alone takes ~8 ms at a million customers).
    ids = ranked_account_ids(queryset, text)
    position = Func(
        Value(ids, output_field=ArrayField(BigIntegerField())),
        F("pk"),
        function="array_position",
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ids).alias(search_rank=position).order_by("search_rank")


def ranked_account_ids(queryset: QuerySet[Account], text: str) -> list[int]:
    """The ids ``account_search`` finds, best first, read in one query."""
    if not search_terms(text):
        return []
    return list(_ranked(queryset, text).values_list("pk", flat=True))


def _ranked(queryset: QuerySet[Account], text: str) -> QuerySet[Account]:
    words = search_terms(text)
    phrase = " ".join(words)
    lowered = queryset.alias(code_lower=Lower("code"), name_lower=Lower("name"))
    # A code or name that starts with the text comes from its own index: the start of the
    # code or name is in the document, so only the other words need it.
    by_code = lowered.filter(Q(code_lower__startswith=words[0]) & _contains_all(words[1:]))
    by_name = lowered.filter(name_lower__startswith=phrase)
    anywhere = queryset.filter(_contains_all(words))
    if connection.features.supports_slicing_ordering_in_compound:
        candidates = Q(
            pk__in=anywhere.order_by()
            .values("pk")[:MAX_MATCHES]
            .union(
                by_code.order_by().values("pk")[:MAX_MATCHES],
                by_name.order_by().values("pk")[:MAX_MATCHES],
            )
        )
    else:  # SQLite (the embedded demo): no LIMIT inside a UNION, and no need for one
        candidates = Q(pk__in=anywhere.values("pk"))
    rank = Case(
        When(code_lower=phrase, then=Value(0)),
        When(code_lower__startswith=words[0], then=Value(1)),
        When(name_lower__startswith=phrase, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(candidates)
        .alias(code_lower=Lower("code"), name_lower=Lower("name"))
        .annotate(search_rank=rank)
        .order_by("search_rank", "name", "pk")
    )


def _contains_all(words: list[str]) -> Q:
    match = Q()
    for word in words:
        match &= Q(search_document__contains=word)
    return match


# Keeping the documents current ----------------------------------------------------------------


def account_search_documents_refresh(*, account_ids: Iterable[int | None]) -> None:
    """Recompute the documents of these customers (after their or their contacts' change)."""
    ids = sorted({pk for pk in account_ids if pk})
    if not ids:
        return
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(account_id__in=ids).order_by("pk"):
        contacts.setdefault(contact.account_id, []).append(contact)
    changed = []
    for account in Account.objects.filter(pk__in=ids).only("pk", "search_document", *ACCOUNT_PARTS):
        document = search_document(account, contacts.get(account.pk, ()))
        if document != account.search_document:
            account.search_document = document
            changed.append(account)
    Account.objects.bulk_update(changed, ["search_document"], batch_size=500)


def account_search_documents_rebuild(*, batch_size: int = 2000) -> None:
    """Recompute every document: one statement on PostgreSQL, batches elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(REBUILD_SQL)
        return
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        account_search_documents_refresh(account_ids=ids[start : start + batch_size])


def _sql_parts(alias: str, names: Iterable[str]) -> str:
    parts = []
    for name in names:
        parts.append(f"NULLIF({alias}.{name}, '')")
        if name in PHONES:
            parts.append(f"NULLIF(regexp_replace({alias}.{name}, '\\D', '', 'g'), '')")
    return ", ".join(parts)


REBUILD_SQL = f"""
UPDATE customers_account AS a SET search_document = lower(concat_ws(' ',
    {_sql_parts("a", ACCOUNT_PARTS)},
    (SELECT string_agg(NULLIF(concat_ws(' ', {_sql_parts("c", CONTACT_PARTS)}), ''), ' '
                       ORDER BY c.id)
       FROM customers_contact AS c WHERE c.account_id = a.id)))
"""  # noqa: S608 - the names are constants of this module
