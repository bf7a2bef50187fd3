"""The knowledge base as ``sfa.core.knowledge``'s provider: suggestions for a text and links to
other apps' records (tickets), registered in ``KnowledgebaseConfig.ready()``.

Only published articles are suggested or linked, each in the asker's scope
(``selectors.article_visible_to``): internal articles reach staff only, never a portal
customer, a visitor or a ``public_only`` caller.
"""

from django.conf import settings
from django.urls import reverse

from knowledgebase import selectors, services
from knowledgebase.models import Article
from sfa.core.knowledge import Suggestion


def public_url(article: Article) -> str | None:
    if not article.is_public:
        return None
    return settings.SFA_BASE_URL + reverse("kb:article", args=[article.slug])


def as_suggestion(article: Article, snippet: str = "") -> Suggestion:
    return Suggestion(
        id=article.pk,
        title=article.title,
        url=reverse("knowledgebase:detail", args=[article.pk]),
        public_url=public_url(article),
        snippet=snippet,
    )


def _scope(user, public_only: bool):
    if public_only or user is None:
        return selectors.public_articles()
    return selectors.article_visible_to(user)


class KnowledgeBaseProvider:
    def suggest(
        self, text: str, *, user=None, public_only: bool = False, limit: int = 5
    ) -> list[Suggestion]:
        words = " ".join(selectors.suggestion_words(text))
        found = selectors.article_suggest(_scope(user, public_only), text)[:limit]
        return [as_suggestion(article, selectors.snippet_of(article, words)) for article in found]

    def link(self, article_id: int, record, *, actor) -> Suggestion | None:
        article = _scope(actor, False).filter(pk=article_id, state=Article.State.PUBLISHED).first()
        if article is None:
            return None
        services.article_link(article=article, record=record, actor=actor)
        return as_suggestion(article)

    def unlink(self, article_id: int, record, *, actor) -> bool:
        return services.article_unlink(article_id=article_id, record=record, actor=actor)

    def linked(self, record, *, user=None, public_only: bool = False) -> list[Suggestion]:
        scope = _scope(user, public_only).values("pk")
        links = selectors.links_of(record).filter(article__in=scope)
        return [as_suggestion(link.article) for link in links]
