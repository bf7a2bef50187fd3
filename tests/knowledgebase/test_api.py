import pytest

from knowledgebase.models import Article

pytestmark = pytest.mark.django_db

URL = "/api/v1/kb/articles/"


def test_anonymous_reads_only_published_public_articles(make_article, api_for):
    public = make_article(title="Public one")
    make_article(title="Internal one", visibility="internal")
    make_article(title="Draft one", state="draft")
    body = api_for(None).get(URL).json()
    assert [row["id"] for row in body["results"]] == [public.pk]
    assert body["results"][0]["available_transitions"] == []


def test_anonymous_gets_404_for_an_internal_article(make_article, api_for):
    internal = make_article(visibility="internal")
    assert api_for(None).get(f"{URL}{internal.pk}/").status_code == 404


def test_anonymous_cannot_write(api_for, lathes):
    response = api_for(None).post(URL, {"title": "X", "body": "Y"}, format="json")
    assert response.status_code == 401


def test_agent_sees_drafts_and_internal_articles(make_article, api_for, support_agent):
    make_article(title="Internal", visibility="internal")
    make_article(title="Draft", state="draft")
    assert api_for(support_agent).get(URL).json()["count"] == 2


def test_agent_creates_an_article_with_tags(api_for, support_agent, lathes):
    payload = {
        "title": "New article",
        "body": "# Heading\n\n<script>x</script>",
        "category": lathes.pk,
        "tags": ["oil", "Lathe"],
        "visibility": "public",
    }
    response = api_for(support_agent).post(URL, payload, format="json")
    body = response.json()
    assert response.status_code == 201, body
    assert body["state"] == "draft"
    assert body["slug"] == "new-article"
    assert body["tags"] == ["Lathe", "oil"]
    assert "<h1>Heading</h1>" in body["body_html"]
    assert "<script" not in body["body_html"]
    assert body["available_transitions"] == ["submit"]


def test_sales_rep_may_read_but_not_write(api_for, rep1, lathes):
    assert api_for(rep1).get(URL).status_code == 200
    response = api_for(rep1).post(URL, {"title": "X", "body": "Y"}, format="json")
    assert response.status_code == 403


def test_search_returns_a_highlighted_snippet(make_article, api_for):
    make_article(body="Check the bearing lubrication first.")
    body = api_for(None).get(URL, {"search": "lubrication"}).json()
    assert body["count"] == 1
    assert "<mark>lubrication</mark>" in body["results"][0]["snippet"].lower()


def test_filter_by_tag(make_article, api_for):
    tagged = make_article(title="Tagged", tags="coolant")
    make_article(title="Other", tags="oil")
    body = api_for(None).get(URL, {"tag": "coolant"}).json()
    assert [row["id"] for row in body["results"]] == [tagged.pk]


def test_transition_in_a_wrong_state_is_409_and_changes_nothing(
    make_article, api_for, support_manager
):
    article = make_article(state="draft", author=support_manager)
    response = api_for(support_manager).post(f"{URL}{article.pk}/publish/")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    article.refresh_from_db()
    assert article.state == Article.State.DRAFT


def test_author_publishing_own_article_is_403(make_article, api_for, support_manager):
    article = make_article(state="in_review", author=support_manager)
    response = api_for(support_manager).post(f"{URL}{article.pk}/publish/")
    assert response.status_code == 403
    assert response.json()["code"] == "reviewer_is_author"


def test_review_workflow_through_the_api(make_article, api_for, support_agent, support_manager):
    article = make_article(state="draft")
    assert api_for(support_agent).post(f"{URL}{article.pk}/submit/").json()["state"] == "in_review"
    assert api_for(support_agent).post(f"{URL}{article.pk}/publish/").status_code == 403
    body = api_for(support_manager).post(f"{URL}{article.pk}/publish/").json()
    assert body["state"] == "published"
    assert body["published_by"] == str(support_manager)


def test_author_does_not_see_publish_among_available_transitions(
    make_article, api_for, support_manager
):
    article = make_article(state="in_review", author=support_manager)
    body = api_for(support_manager).get(f"{URL}{article.pk}/").json()
    assert "publish" not in body["available_transitions"]


def test_delete_is_refused(make_article, api_for, support_manager):
    article = make_article()
    assert api_for(support_manager).delete(f"{URL}{article.pk}/").status_code == 405


def test_categories_are_readable_anonymously(api_for, lathes):
    body = api_for(None).get("/api/v1/kb/categories/").json()
    assert body == [
        {"id": lathes.pk, "parent": None, "name": "Lathes", "slug": "lathes", "position": 0}
    ]


def test_list_query_count_does_not_grow_with_the_articles(
    make_article, api_for, support_agent, django_assert_num_queries
):
    client = api_for(support_agent)
    for n in range(2):
        make_article(title=f"Article {n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for n in range(6):
        make_article(title=f"More {n}", tags=f"tag{n}, spindle")
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 8
    assert len(many) == len(few)
    assert len(many) <= 8


def test_portal_customer_reads_only_published_public_articles(
    make_article, client_for, portal_customer
):
    public = make_article(title="Public one")
    make_article(title="Internal one", visibility="internal")
    make_article(title="Draft one", state="draft")
    response = client_for(portal_customer).get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [public.pk]


def test_portal_customer_gets_404_for_an_internal_article(
    make_article, client_for, portal_customer
):
    internal = make_article(visibility="internal")
    assert client_for(portal_customer).get(f"{URL}{internal.pk}/").status_code == 404


def test_portal_customer_cannot_write_articles(client_for, portal_customer, lathes):
    response = client_for(portal_customer).post(
        URL, {"title": "X", "body": "Y"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_portal_customer_stays_out_of_the_other_apis(client_for, portal_customer):
    assert client_for(portal_customer).get("/api/v1/tickets/").status_code == 403
