"""Word search, the one way the lists and pickers find records by typed text.

Every word (the first ``MAX_WORDS``) must match at least one of the fields, case-insensitive
``icontains``: "acme berlin" finds ACME in Berlin, not every ACME. A field is a lookup path
(``"account__name"``) or, for what a path cannot say (a match among related rows), a function
of the word that returns a ``Q``. On PostgreSQL the columns searched this way have trigram
indexes (see the migrations).
"""

from collections.abc import Callable, Sequence

from django.db.models import Q, QuerySet

MAX_WORDS = 6

SearchField = str | Callable[[str], Q]


def search_words(text: str, max_words: int = MAX_WORDS) -> list[str]:
    return text.split()[:max_words]


def word_match(word: str, fields: Sequence[SearchField]) -> Q:
    """One word in any of the fields."""
    match = Q()
    for field in fields:
        match |= field(word) if callable(field) else Q(**{f"{field}__icontains": word})
    return match


def word_search(
    queryset: QuerySet, text: str, fields: Sequence[SearchField], max_words: int = MAX_WORDS
) -> QuerySet:
    """The rows where every word of ``text`` matches one of ``fields``; all rows for no text."""
    for word in search_words(text, max_words):
        queryset = queryset.filter(word_match(word, fields))
    return queryset
