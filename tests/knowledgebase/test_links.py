"""Articles linked to other apps' records and suggested for prose: the knowledge base's side
of ``sfa.core.knowledge`` (services, selectors, the provider)."""

import pytest

from knowledgebase import selectors, services
from knowledgebase.models import Article, ArticleLink
from sfa.core import knowledge
from sfa.core.exceptions import Conflict
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(db):
    """Any model instance can carry links; a team stands in for a ticket here."""
    return factories.TeamFactory(name="Linked record")


def test_suggestion_words_drop_short_and_common_words():
    words = selectors.suggestion_words("Hello, the spindle of my Lathe is hot and the spindle")
    assert words == ["spindle", "lathe", "hot"]


def test_article_suggest_matches_any_word_and_ranks_more_matches_first(make_article):
    one = make_article(title="Coolant levels", body="Check the coolant.")
    both = make_article(title="Spindle coolant", body="Coolant for the spindle.")
    make_article(title="Invoices", body="Reading an invoice.")
    found = list(selectors.article_suggest(Article.objects.all(), "spindle coolant problem"))
    assert found == [both, one]


def test_article_suggest_without_telling_words_finds_nothing(make_article):
    make_article(title="The article")
    assert not selectors.article_suggest(Article.objects.all(), "the and of").exists()


def test_article_link_links_once_per_record(make_article, record, support_agent):
    article = make_article()
    first, created = services.article_link(article=article, record=record, actor=support_agent)
    again, created_again = services.article_link(
        article=article, record=record, actor=support_agent
    )
    assert (created, created_again) == (True, False)
    assert first == again
    assert ArticleLink.objects.count() == 1


def test_article_link_refuses_an_unpublished_article(make_article, record, support_agent):
    article = make_article(state="in_review")
    with pytest.raises(Conflict):
        services.article_link(article=article, record=record, actor=support_agent)


def test_article_unlink_reports_whether_there_was_a_link(make_article, record, support_agent):
    article = make_article()
    services.article_link(article=article, record=record, actor=support_agent)
    assert services.article_unlink(article_id=article.pk, record=record, actor=support_agent)
    assert not services.article_unlink(article_id=article.pk, record=record, actor=support_agent)


def test_linked_lists_only_public_articles_for_public_only(make_article, record, support_agent):
    public = make_article(title="Public")
    internal = make_article(title="Internal", visibility="internal")
    for article in (public, internal):
        knowledge.link(article.pk, record, actor=support_agent)
    assert [s.title for s in knowledge.linked(record, user=support_agent)] == ["Public", "Internal"]
    assert [s.title for s in knowledge.linked(record, public_only=True)] == ["Public"]


def test_a_portal_customer_cannot_link_an_internal_article(make_article, record, portal_customer):
    internal = make_article(visibility="internal")
    assert knowledge.link(internal.pk, record, actor=portal_customer) is None
    assert not ArticleLink.objects.exists()


def test_deleting_an_article_removes_its_links(make_article, record, support_agent):
    article = make_article()
    knowledge.link(article.pk, record, actor=support_agent)
    Article.objects.filter(pk=article.pk).delete()
    assert not ArticleLink.objects.exists()
