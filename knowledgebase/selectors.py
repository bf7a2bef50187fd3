"""Reads of the knowledge base; every path starts from ``article_visible_to(user)``.

Search: PostgreSQL full-text (weighted stored ``search_vector``, ``websearch`` query, ranked,
highlighted with ``<mark>``); elsewhere (the embedded SQLite default) every word must occur in
the title, summary or body, and the snippet is built in Python.
"""

import html
import operator
import re
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When

from knowledgebase.filters import ArticleFilter
from knowledgebase.models import Article, ArticleLink, ArticleRevision, Category, Tag
from knowledgebase.rendering import clean_snippet
from sfa.core import knowledge
from sfa.core.access import is_portal_user, is_staff_user
from sfa.core.filters import filtered_rows
from sfa.core.search import search_words, word_search

SEARCH_CONFIG = "english"
SNIPPET_WORDS = 30
FALLBACK_CONTEXT = 90  # characters either side of the first match
FALLBACK_WORDS = 8  # words of a search without PostgreSQL


def _public(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.filter(state=Article.State.PUBLISHED, visibility=Article.Visibility.PUBLIC)


def sees_internal(user) -> bool:
    """Staff who may read the knowledge base see internal articles and every state."""
    return (
        is_staff_user(user)
        and not is_portal_user(user)
        and user.has_perm("knowledgebase.view_article")
    )


def article_visible_to(user) -> QuerySet[Article]:
    """Agents and other staff: everything but the archive (managers: that too); visitors and
    portal customers: published public articles only."""
    articles = Article.objects.all()
    if not sees_internal(user):
        return _public(articles)
    if user.has_perm("knowledgebase.archive_article"):
        return articles
    return articles.exclude(state=Article.State.ARCHIVED)


def public_articles() -> QuerySet[Article]:
    """The public knowledge base, whoever asks (the /kb/ pages)."""
    return _public(Article.objects.all())


def with_list_relations(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.select_related("category", "author", "published_by").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def article_list(*, user, filters) -> QuerySet[Article]:
    """The article list of the staff UI and the API: what the user may read, filtered,
    searched (best match first) and ordered by ``ArticleFilter``; ``InvalidInput`` names a
    bad filter."""
    articles = with_list_relations(article_visible_to(user))
    return filtered_rows(ArticleFilter(filters, queryset=articles, search=article_search))


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def article_search(queryset: QuerySet[Article], text: str) -> QuerySet[Article]:
    """Articles matching ``text``, best first, each with ``search_snippet`` (raw; see
    :func:`snippet_of`)."""
    text = text.strip()
    if not text:
        return queryset
    if is_postgresql():
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                search_snippet=SearchHeadline(
                    "body",
                    query,
                    config=SEARCH_CONFIG,
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_words=SNIPPET_WORDS,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    return word_search(queryset, text, ("title", "summary", "body"), max_words=FALLBACK_WORDS)


# Common words that say nothing about the topic; everything shorter than 3 letters goes too.
STOP_WORDS = frozenset(
    """about after again also and any are been but can cannot could did does doing dont for
    from had has have hello her here hers him his how into its just last like more most not
    now our out please regards since some still than thank thanks that the their them then
    there these they this those through too very was way we were what when where which while
    who why will with would yes you your""".split()
)
SUGGEST_WORDS = 12


def suggestion_words(text: str) -> list[str]:
    """The distinct telling words of prose (a ticket's subject and description), at most
    ``SUGGEST_WORDS``, in order."""
    words: list[str] = []
    for word in re.findall(r"\w[\w-]*", text.lower()):
        word = word.strip("-_")
        if len(word) >= 3 and word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:SUGGEST_WORDS]


def article_suggest(queryset: QuerySet[Article], text: str) -> QuerySet[Article]:
    """Published articles that share telling words with ``text``, best first.

    Unlike :func:`article_search` (every word must match: a query), any word may match: the
    text is prose, and the articles sharing the most and rarest words rank first.
    PostgreSQL: full-text OR-query, ranked, with ``search_snippet``; elsewhere a score of
    title (3) and summary/body (1) matches per word."""
    words = suggestion_words(text)
    queryset = queryset.filter(state=Article.State.PUBLISHED)
    if not words:
        return queryset.none()
    if is_postgresql():
        query = reduce(
            operator.or_,
            (SearchQuery(word, search_type="plain", config=SEARCH_CONFIG) for word in words),
        )
        return (
            queryset.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                search_snippet=SearchHeadline(
                    "body",
                    query,
                    config=SEARCH_CONFIG,
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_words=SNIPPET_WORDS,
                    min_words=12,
                    max_fragments=1,
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    score = reduce(
        operator.add,
        (
            Case(When(title__icontains=word, then=Value(3)), default=Value(0))
            + Case(
                When(Q(summary__icontains=word) | Q(body__icontains=word), then=Value(1)),
                default=Value(0),
            )
            for word in words
        ),
    )
    return (
        queryset.annotate(rank=score).filter(rank__gt=0).order_by("-rank", "-published_at", "-pk")
    )


def snippet_of(article: Article, text: str) -> str:
    """Safe HTML: the search snippet with the matched words in ``<mark>``."""
    raw = getattr(article, "search_snippet", None)
    if raw is not None:
        return clean_snippet(raw)
    return _fallback_snippet(article.body or article.summary, text)


def _fallback_snippet(body: str, text: str) -> str:
    words = [re.escape(w) for w in search_words(text, FALLBACK_WORDS)]
    if not words:
        return html.escape(body[: 2 * FALLBACK_CONTEXT])
    pattern = re.compile("|".join(words), re.IGNORECASE)
    found = pattern.search(body)
    start = max(0, found.start() - FALLBACK_CONTEXT) if found else 0
    piece = body[start : start + 2 * FALLBACK_CONTEXT + (len(found.group()) if found else 0)]
    marked = pattern.sub(lambda m: "\x00" + m.group() + "\x01", piece)
    escaped = html.escape(marked).replace("\x00", "<mark>").replace("\x01", "</mark>")
    return ("… " if start else "") + escaped + (" …" if start + len(piece) < len(body) else "")


def related_articles(article: Article, *, user=None, limit: int = 5) -> list[Article]:
    """Published articles of the same category or with shared tags, most shared tags first,
    in the article's own scope (a public article's related articles are public too)."""
    scope = public_articles() if user is None else article_visible_to(user)
    scope = scope.filter(state=Article.State.PUBLISHED)
    if article.visibility == Article.Visibility.PUBLIC:
        scope = scope.filter(visibility=Article.Visibility.PUBLIC)
    tag_ids = list(article.tags.values_list("pk", flat=True))
    match = Q(tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    if article.category_id:
        match |= Q(category_id=article.category_id)
    candidates = (
        scope.filter(match)
        .exclude(pk=article.pk)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared", "-published_at", "-pk")
    )
    return list(candidates.select_related("category")[:limit])


def category_tree(articles: QuerySet[Article]) -> list[tuple[Category, int, int]]:
    """(category, depth, article count) in tree order; counts only ``articles``."""
    counts = dict(
        articles.filter(category__isnull=False)
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    categories = list(Category.objects.all())
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    rows: list[tuple[Category, int, int]] = []

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            rows.append((category, depth, counts.get(category.pk, 0)))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return rows


def revisions_of(article: Article) -> QuerySet[ArticleRevision]:
    return article.revisions.select_related("author").order_by("-number")


def article_links(article: Article, *, user) -> list[tuple[str, list[dict]]]:
    """The records ``article`` is linked to that ``user`` may see, by record type
    (``[("Tickets", [{"record", "url", "link"}, ...]), ...]``): one query for the links and
    one per record type registered in ``sfa.core.knowledge``."""
    links = list(article.links.select_related("content_type", "linked_by"))
    groups = []
    for record_type in knowledge.record_types():
        ids = [
            link.object_id for link in links if link.content_type.model_class() is record_type.model
        ]
        if not ids:
            continue
        records = record_type.visible_to(user).filter(pk__in=ids).in_bulk()
        rows = [
            {
                "record": records[link.object_id],
                "url": record_type.url(records[link.object_id]),
                "link": link,
            }
            for link in links
            if link.object_id in records and link.content_type.model_class() is record_type.model
        ]
        if rows:
            groups.append((record_type.label, rows))
    return groups


def links_of(record) -> QuerySet[ArticleLink]:
    """The knowledge-base links of another app's record, oldest first, with their articles."""
    return ArticleLink.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("article")
