import pytest

from knowledgebase import services
from knowledgebase.models import Category


@pytest.fixture
def lathes(db):
    return Category.objects.create(name="Lathes", slug="lathes")


@pytest.fixture
def make_article(support_agent, support_manager, lathes):
    """``make_article(title=…, body=…, visibility=…, state=…)`` through the services."""

    def make(
        title="Lathe spindle runs hot",
        body="Check the spindle bearing oil when the spindle runs hot.",
        visibility="public",
        state="published",
        category=lathes,
        tags="spindle, lathe",
        author=None,
        summary="",
    ):
        author = author or support_agent
        article = services.article_create(
            actor=author,
            data={
                "title": title,
                "body": body,
                "summary": summary,
                "visibility": visibility,
                "category": category,
            },
            tags=tags,
        )
        if state in ("in_review", "published", "archived"):
            article = services.article_submit(article=article, actor=author)
        if state in ("published", "archived"):
            article = services.article_publish(article=article, actor=support_manager)
        if state == "archived":
            article = services.article_archive(article=article, actor=support_manager)
        return article

    return make
