"""Search and the public knowledge base: internal articles never appear there."""

import pytest
from django.db import connection

from knowledgebase import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_and_internal(make_article):
    public = make_article(
        title="Lathe spindle runs hot",
        body="When the spindle runs hot, check the bearing lubrication first.",
    )
    internal = make_article(
        title="Known issue: spindle firmware warnings",
        body="Internal: the spindle temperature sensor of firmware 4.2 misreads.",
        visibility="internal",
    )
    return public, internal


def test_public_search_finds_a_public_article_with_a_highlighted_snippet(public_and_internal):
    public, _internal = public_and_internal
    found = list(selectors.article_search(selectors.public_articles(), "spindle"))
    assert found == [public]
    assert "<mark>spindle</mark>" in selectors.snippet_of(found[0], "spindle").lower()


def test_internal_article_is_invisible_to_the_public_search(public_and_internal, client):
    _public, internal = public_and_internal
    found = selectors.article_search(selectors.article_visible_to(None), "firmware")
    assert internal not in found
    page = client.get("/kb/", {"q": "firmware"})
    assert page.status_code == 200
    assert internal.title not in page.content.decode()
    api = client.get("/api/v1/kb/articles/", {"search": "firmware"})
    assert api.json()["count"] == 0


def test_agents_find_internal_articles(public_and_internal, support_agent):
    _public, internal = public_and_internal
    found = selectors.article_search(selectors.article_visible_to(support_agent), "firmware")
    assert list(found) == [internal]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text ranking")
def test_full_text_search_ranks_title_matches_first_and_stems_words(make_article):
    in_body = make_article(title="Daily checklist", body="Look at the bearings and the oil level.")
    in_title = make_article(title="Bearing replacement", body="How to replace it.")
    found = list(selectors.article_search(selectors.public_articles(), "bearing"))
    assert found == [in_title, in_body]  # "bearings" matched through the English stemmer


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_full_text_search_understands_web_search_syntax(make_article):
    hot = make_article(title="Spindle runs hot", body="Hot spindle.")
    make_article(title="Spindle noise", body="Noisy spindle.")
    found = list(selectors.article_search(selectors.public_articles(), "spindle -noise"))
    assert found == [hot]


def test_snippet_escapes_html_of_the_article_text(make_article):
    article = make_article(title="Escaping", body="Type <b>bold</b> text to see the spindle.")
    found = selectors.article_search(selectors.public_articles(), "spindle").get(pk=article.pk)
    snippet = selectors.snippet_of(found, "spindle")
    assert "<b>" not in snippet
    assert "<mark>" in snippet.lower()


def test_public_page_lists_categories_and_published_articles(public_and_internal, client):
    public, internal = public_and_internal
    page = client.get("/kb/")
    text = page.content.decode()
    assert page.status_code == 200
    assert public.title in text
    assert internal.title not in text
    assert "Lathes" in text


def test_public_search_page_shows_highlighted_snippets(public_and_internal, client):
    page = client.get("/kb/", {"q": "lubrication"})
    assert "<mark>lubrication</mark>" in page.content.decode().lower()


def test_internal_article_page_is_404_for_everyone_on_the_public_site(
    public_and_internal, client, client_for, support_manager
):
    _public, internal = public_and_internal
    assert client.get(f"/kb/{internal.slug}/").status_code == 404
    assert client_for(support_manager).get(f"/kb/{internal.slug}/").status_code == 404


def test_unpublished_article_page_is_404(make_article, client):
    draft = make_article(title="Draft article", state="draft")
    assert client.get(f"/kb/{draft.slug}/").status_code == 404


def test_public_article_page_counts_views_and_shows_related(make_article, client):
    article = make_article(title="Main")
    sibling = make_article(title="Sibling")
    page = client.get(f"/kb/{article.slug}/")
    assert page.status_code == 200
    assert sibling.title in page.content.decode()
    article.refresh_from_db()
    assert article.view_count == 1


def test_visitor_votes_once_per_session(make_article):
    from django.test import Client

    article = make_article()
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(f"/kb/{article.slug}/")
    token = page.context["csrf_token"]
    for _ in range(2):
        response = visitor.post(
            f"/kb/{article.slug}/helpful/", {"helpful": "yes", "csrfmiddlewaretoken": str(token)}
        )
        assert response.status_code == 302
    article.refresh_from_db()
    assert article.helpful_yes == 1


def test_vote_without_csrf_token_is_refused(make_article):
    from django.test import Client

    article = make_article()
    response = Client(enforce_csrf_checks=True).post(
        f"/kb/{article.slug}/helpful/", {"helpful": "yes"}
    )
    assert response.status_code == 403


def test_portal_customer_may_browse_the_public_knowledge_base(
    public_and_internal, client_for, portal_customer
):
    public, _internal = public_and_internal
    response = client_for(portal_customer).get(f"/kb/{public.slug}/")
    assert response.status_code == 200
