"""Knowledge-base articles on tickets, through the registry in ``sfa.core.knowledge``:
suggestions for a ticket (staff page, htmx, API), linking and unlinking (UI and API), the
article's "Linked tickets" and what happens without a knowledge base."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledgebase import services as kb
from knowledgebase.knowledge import KnowledgeBaseProvider
from knowledgebase.models import ArticleLink
from sfa.core import knowledge
from tickets import services

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def make_article(support_agent, support_manager):
    def make(title, body="Some text.", visibility="public", state="published"):
        article = kb.article_create(
            actor=support_agent, data={"title": title, "body": body, "visibility": visibility}
        )
        if state in ("published", "archived"):
            kb.article_submit(article=article, actor=support_agent)
            article = kb.article_publish(article=article, actor=support_manager)
        if state == "archived":
            article = kb.article_archive(article=article, actor=support_manager)
        return article

    return make


@pytest.fixture
def articles(make_article):
    return {
        "spindle": make_article(
            "Lathe spindle runs hot", "Check the spindle bearing oil when the spindle runs hot."
        ),
        "internal": make_article(
            "Spindle bearing replacement (service only)",
            "Internal procedure for the spindle bearing.",
            visibility="internal",
        ),
        "draft": make_article("Spindle draft", "Spindle notes.", state="draft"),
        "archived": make_article("Old spindle article", "Spindle.", state="archived"),
        "invoice": make_article("Reading your invoice", "Invoice lines and VAT explained."),
    }


@pytest.fixture
def no_knowledge_base():
    saved = knowledge.provider()
    knowledge.unregister()
    yield
    knowledge.register(saved)


# The registry -----------------------------------------------------------------------------------


def test_the_knowledge_base_registers_its_provider():
    assert isinstance(knowledge.provider(), KnowledgeBaseProvider)


def test_without_a_provider_nothing_is_suggested_linked_or_listed(
    no_knowledge_base, ticket, support_agent, articles
):
    assert knowledge.suggest("spindle", user=support_agent) == []
    assert knowledge.link(articles["spindle"].pk, ticket, actor=support_agent) is None
    assert knowledge.unlink(articles["spindle"].pk, ticket, actor=support_agent) is False
    assert knowledge.linked(ticket, user=support_agent) == []


def test_ticket_page_has_no_kb_panel_without_a_provider(
    no_knowledge_base, client_for, support_agent, ticket
):
    html = client_for(support_agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="knowledge"' not in html


def test_suggestions_are_published_articles_matching_any_word(support_agent, articles):
    found = knowledge.suggest("my lathe spindle is hot", user=support_agent)
    assert [s.title for s in found][0] == "Lathe spindle runs hot"
    titles = {s.title for s in found}
    assert "Spindle draft" not in titles
    assert "Reading your invoice" not in titles


def test_archived_articles_are_never_suggested(support_manager, articles):
    titles = {s.title for s in knowledge.suggest("spindle", user=support_manager)}
    assert "Old spindle article" not in titles


def test_staff_suggestions_include_internal_articles_marked_internal(support_agent, articles):
    found = {s.title: s for s in knowledge.suggest("spindle bearing", user=support_agent)}
    internal = found["Spindle bearing replacement (service only)"]
    assert internal.public_url is None
    assert not internal.is_public
    assert found["Lathe spindle runs hot"].public_url.endswith(f"/kb/{articles['spindle'].slug}/")


def test_public_only_suggestions_exclude_internal_articles(support_agent, articles):
    found = knowledge.suggest("spindle bearing", user=support_agent, public_only=True)
    assert {s.title for s in found} == {"Lathe spindle runs hot"}


def test_suggestion_snippet_marks_the_matched_words(support_agent, articles):
    found = knowledge.suggest("spindle", user=support_agent, public_only=True)
    assert "<mark>" in found[0].snippet.lower()


# Staff UI ---------------------------------------------------------------------------------------


def test_ticket_page_loads_suggestions_and_shows_linked_articles(
    client_for, support_agent, ticket, articles
):
    knowledge.link(articles["invoice"].pk, ticket, actor=support_agent)
    html = client_for(support_agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'hx-get="/tickets/{ticket.pk}/suggestions/"' in html
    assert "keyup changed delay:500ms" in html
    assert "Linked articles (1)" in html
    assert "Reading your invoice" in html


def test_suggestions_partial_uses_the_tickets_subject_and_description(
    client_for, support_agent, ticket, articles
):
    response = client_for(support_agent).get(f"/tickets/{ticket.pk}/suggestions/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lathe spindle runs hot" in html
    assert "Reading your invoice" not in html


def test_suggestions_partial_searches_what_the_agent_types(
    client_for, support_agent, ticket, articles
):
    html = (
        client_for(support_agent)
        .get(f"/tickets/{ticket.pk}/suggestions/", {"q": "invoice"}, **HTMX)
        .content.decode()
    )
    assert "Reading your invoice" in html
    assert "Lathe spindle runs hot" not in html


def test_suggestions_partial_follows_the_reply_draft(client_for, support_agent, account, articles):
    ticket = services.ticket_create(
        actor=support_agent, data={"subject": "Question", "account": account}
    )
    html = (
        client_for(support_agent)
        .get(f"/tickets/{ticket.pk}/suggestions/", {"draft": "about your invoice"}, **HTMX)
        .content.decode()
    )
    assert "Reading your invoice" in html


def test_internal_articles_insert_their_link_into_notes_only(
    client_for, support_agent, ticket, articles
):
    html = (
        client_for(support_agent)
        .get(f"/tickets/{ticket.pk}/suggestions/", {"q": "bearing"}, **HTMX)
        .content.decode()
    )
    assert "data-internal" in html
    assert "Insert link (note)" in html
    assert f'data-url="/knowledgebase/{articles["internal"].pk}/"' in html


def test_public_articles_insert_their_public_link(client_for, support_agent, ticket, articles):
    html = (
        client_for(support_agent)
        .get(f"/tickets/{ticket.pk}/suggestions/", {"q": "lathe"}, **HTMX)
        .content.decode()
    )
    assert f'/kb/{articles["spindle"].slug}/"' in html
    assert "data-internal" not in html


def test_suggestions_for_a_ticket_out_of_scope_are_404(client_for, rep2, ticket):
    assert client_for(rep2).get(f"/tickets/{ticket.pk}/suggestions/").status_code == 404


def test_agent_links_an_article_with_htmx(client_for, support_agent, ticket, articles):
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/articles/", {"article": articles["spindle"].pk}, **HTMX
    )
    assert response.status_code == 200
    assert "Linked articles (1)" in response.content.decode()
    assert response["HX-Trigger"] == "kbLinksChanged"
    link = ArticleLink.objects.get()
    assert (link.article, link.record, link.linked_by) == (
        articles["spindle"],
        ticket,
        support_agent,
    )


def test_linking_without_htmx_redirects_to_the_ticket(client_for, support_agent, ticket, articles):
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/articles/", {"article": articles["spindle"].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{ticket.pk}/#kb-linked"


def test_linking_an_article_twice_keeps_one_link(client_for, support_agent, ticket, articles):
    client = client_for(support_agent)
    for _ in range(2):
        client.post(f"/tickets/{ticket.pk}/articles/", {"article": articles["spindle"].pk}, **HTMX)
    assert ArticleLink.objects.count() == 1


@pytest.mark.parametrize("article", ["draft", "archived", "missing", "text"])
def test_linking_anything_but_a_published_article_is_refused(
    client_for, support_agent, ticket, articles, article
):
    value = {"missing": 999999, "text": "x²"}.get(article) or articles[article].pk
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/articles/", {"article": value}, **HTMX
    )
    assert response.status_code == 400
    assert "No published article" in response.content.decode()
    assert not ArticleLink.objects.exists()


def test_agent_unlinks_an_article(client_for, support_agent, ticket, articles):
    knowledge.link(articles["spindle"].pk, ticket, actor=support_agent)
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/articles/{articles['spindle'].pk}/unlink/", **HTMX
    )
    assert response.status_code == 200
    assert "Linked articles (0)" in response.content.decode()
    assert not ArticleLink.objects.exists()


def test_unlinking_an_article_that_is_not_linked_is_404(
    client_for, support_agent, ticket, articles
):
    url = f"/tickets/{ticket.pk}/articles/{articles['spindle'].pk}/unlink/"
    assert client_for(support_agent).post(url).status_code == 404


def test_sales_rep_may_not_link_articles(client_for, rep1, ticket, articles):
    response = client_for(rep1).post(
        f"/tickets/{ticket.pk}/articles/", {"article": articles["spindle"].pk}
    )
    assert response.status_code == 403
    assert not ArticleLink.objects.exists()


def test_unlinking_one_ticket_leaves_the_others_link(
    client_for, support_agent, ticket, articles, account
):
    other = services.ticket_create(
        actor=support_agent, data={"subject": "Other", "account": account}
    )
    knowledge.link(articles["spindle"].pk, ticket, actor=support_agent)
    knowledge.link(articles["spindle"].pk, other, actor=support_agent)
    client_for(support_agent).post(
        f"/tickets/{ticket.pk}/articles/{articles['spindle'].pk}/unlink/"
    )
    assert [link.object_id for link in ArticleLink.objects.all()] == [other.pk]


# The article's page -----------------------------------------------------------------------------


def test_article_page_lists_its_linked_tickets(client_for, support_agent, ticket, articles):
    knowledge.link(articles["spindle"].pk, ticket, actor=support_agent)
    html = (
        client_for(support_agent).get(f"/knowledgebase/{articles['spindle'].pk}/").content.decode()
    )
    assert "Linked tickets (1)" in html
    assert f'<a href="/tickets/{ticket.pk}/">{ticket.number} Spindle gets very hot</a>' in html


def test_article_page_hides_tickets_the_reader_may_not_see(
    client_for, support_agent, rep2, ticket, articles
):
    knowledge.link(articles["spindle"].pk, ticket, actor=support_agent)
    html = client_for(rep2).get(f"/knowledgebase/{articles['spindle'].pk}/").content.decode()
    assert "Linked tickets" not in html
    assert ticket.number not in html


# API --------------------------------------------------------------------------------------------


def test_api_links_lists_and_unlinks_an_article(api_for, support_agent, ticket, articles):
    client = api_for(support_agent)
    url = f"/api/v1/tickets/{ticket.pk}/articles/"
    created = client.post(url, {"article": articles["spindle"].pk}, format="json")
    assert created.status_code == 201
    assert created.json()["title"] == "Lathe spindle runs hot"
    assert created.json()["is_public"] is True
    assert [row["id"] for row in client.get(url).json()] == [articles["spindle"].pk]
    assert client.delete(f"{url}{articles['spindle'].pk}/").status_code == 204
    assert client.get(url).json() == []


def test_api_linking_an_unpublished_article_is_400(api_for, support_agent, ticket, articles):
    response = api_for(support_agent).post(
        f"/api/v1/tickets/{ticket.pk}/articles/", {"article": articles["draft"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "article" in response.json()["fields"]


def test_api_unlinking_an_article_that_is_not_linked_is_404(
    api_for, support_agent, ticket, articles
):
    url = f"/api/v1/tickets/{ticket.pk}/articles/{articles['spindle'].pk}/"
    assert api_for(support_agent).delete(url).status_code == 404


def test_api_suggestions_default_to_the_tickets_text(api_for, support_agent, ticket, articles):
    body = api_for(support_agent).get(f"/api/v1/tickets/{ticket.pk}/suggestions/").json()
    assert body[0]["title"] == "Lathe spindle runs hot"
    assert "Reading your invoice" not in {row["title"] for row in body}


def test_api_suggestions_search_q(api_for, support_agent, ticket, articles):
    body = (
        api_for(support_agent)
        .get(f"/api/v1/tickets/{ticket.pk}/suggestions/", {"q": "invoice"})
        .json()
    )
    assert [row["title"] for row in body] == ["Reading your invoice"]


@pytest.mark.parametrize(
    ("actor", "method", "status"),
    [("rep1", "get", 200), ("rep1", "post", 403), ("rep2", "get", 404), ("rep2", "post", 403)],
)
def test_api_article_links_permissions(api_for, request, ticket, articles, actor, method, status):
    client = api_for(request.getfixturevalue(actor))
    url = f"/api/v1/tickets/{ticket.pk}/articles/"
    response = getattr(client, method)(url, {"article": articles["spindle"].pk}, format="json")
    assert response.status_code == status


def test_api_portal_customer_is_kept_out(api_for, portal_customer, ticket):
    response = api_for(portal_customer).get(f"/api/v1/tickets/{ticket.pk}/suggestions/")
    assert response.status_code == 403


def test_api_linked_articles_query_count_does_not_grow(
    api_for, support_agent, ticket, make_article
):
    client = api_for(support_agent)
    url = f"/api/v1/tickets/{ticket.pk}/articles/"
    knowledge.link(make_article("First").pk, ticket, actor=support_agent)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        knowledge.link(make_article(f"More {n}").pk, ticket, actor=support_agent)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 6
    assert len(many) == len(few)
