"""Staff pages, the demo loader and the PostgreSQL index."""

import random
import re

import pytest
from django.db import connection

from knowledgebase.demo import load_demo_knowledgebase
from knowledgebase.models import Article, Category
from sfa.core.demo import DemoContext, load_organisation

pytestmark = pytest.mark.django_db


def test_staff_list_shows_internal_and_draft_articles(make_article, client_for, support_agent):
    make_article(title="Internal note", visibility="internal")
    make_article(title="Draft note", state="draft")
    page = client_for(support_agent).get("/knowledgebase/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Internal note" in text
    assert "Draft note" in text


def test_staff_search_highlights_matches(make_article, client_for, support_agent):
    make_article(body="Check the bearing lubrication first.")
    page = client_for(support_agent).get("/knowledgebase/", {"search": "lubrication"})
    assert "<mark>lubrication</mark>" in page.content.decode().lower()


def test_editor_preview_renders_sanitized_markdown_without_saving(client_for, support_agent):
    data = {
        "title": "T",
        "visibility": "public",
        "body": "## Sub\n\n<script>x</script>",
        "preview": "1",
    }
    page = client_for(support_agent).post("/knowledgebase/new/", data)
    text = page.content.decode()
    assert page.status_code == 200
    assert "<h2>Sub</h2>" in text
    assert "<script>x" not in text
    assert not Article.objects.exists()


def test_editor_saves_an_article_with_tags(client_for, support_agent, lathes):
    data = {"title": "Saved", "visibility": "public", "body": "Text", "tags": "oil, lathe"}
    response = client_for(support_agent).post("/knowledgebase/new/", data)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/knowledgebase/{article.pk}/"
    assert sorted(t.name for t in article.tags.all()) == ["lathe", "oil"]


def test_detail_offers_publish_to_another_reviewer_only(make_article, client_for, support_manager):
    own = make_article(title="Own", state="in_review", author=support_manager)
    other = make_article(title="Other", state="in_review")
    client = client_for(support_manager)
    assert "/transition/publish/" not in client.get(f"/knowledgebase/{own.pk}/").content.decode()
    assert "/transition/publish/" in client.get(f"/knowledgebase/{other.pk}/").content.decode()


def test_transition_button_publishes(make_article, client_for, support_manager):
    article = make_article(state="in_review")
    response = client_for(support_manager).post(f"/knowledgebase/{article.pk}/transition/publish/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED


def test_refused_transition_answers_409(make_article, client_for, support_manager):
    article = make_article(state="draft")
    response = client_for(support_manager).post(f"/knowledgebase/{article.pk}/transition/publish/")
    assert response.status_code == 409


def test_revision_page_shows_an_old_text(make_article, client_for, support_agent):
    article = make_article(body="First *version*")
    page = client_for(support_agent).get(f"/knowledgebase/{article.pk}/revisions/1/")
    assert "<em>version</em>" in page.content.decode()


def test_portal_customer_cannot_open_the_staff_pages(client_for, portal_customer):
    assert client_for(portal_customer).get("/knowledgebase/").status_code == 302


def test_demo_loader_makes_30_published_articles_idempotently(db):
    ctx = DemoContext(rng=random.Random(1), today=None, log=lambda _m: None)
    load_organisation(ctx)
    load_demo_knowledgebase(ctx)
    load_demo_knowledgebase(ctx)
    published = Article.objects.filter(state=Article.State.PUBLISHED)
    assert published.count() == 30
    assert published.filter(visibility=Article.Visibility.INTERNAL).count() == 4
    assert Article.objects.exclude(state=Article.State.PUBLISHED).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL only")
def test_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledgebase_article_search_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (search_vector)" in definition


def test_attachment_of_a_public_article_downloads_without_login(
    make_article, client, client_for, support_agent
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = make_article()
    upload = SimpleUploadedFile("wiring.pdf", b"%PDF-1.4 wiring", content_type="application/pdf")
    response = client_for(support_agent).post(
        f"/knowledgebase/{article.pk}/attachments/", {"file": upload, "title": "Wiring"}
    )
    assert response.status_code == 302
    attachment = article.attachments.get()
    download = client.get(f"/kb/{article.slug}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 wiring"


def test_attachment_of_an_internal_article_is_404_on_the_public_site(
    make_article, client, support_agent
):
    from django.core.files.base import ContentFile

    from knowledgebase.services import attachment_add

    article = make_article(visibility="internal")
    attachment = attachment_add(
        article=article, actor=support_agent, file=ContentFile(b"%PDF-1.4 x", name="x.pdf")
    )
    assert client.get(f"/kb/{article.slug}/attachments/{attachment.pk}/").status_code == 404


def _titles(html: str) -> list[str]:
    return re.findall(r'href="/knowledgebase/\d+/">([^<]+)</a>', html)


def test_the_staff_list_and_the_api_take_the_same_parameters(
    make_article, client_for, api_for, support_manager, lathes
):
    spindles = Category.objects.create(name="Spindles", slug="spindles", parent=lathes)
    make_article(title="Spindle runs hot", category=spindles, tags="spindle")
    make_article(title="Lathe manual", visibility="internal", tags="manual")
    make_article(title="Old draft", state="draft", category=None, tags="")
    staff, api = client_for(support_manager), api_for(support_manager)
    for params in (
        {"category": lathes.pk},
        {"visibility": "internal"},
        {"state": ["draft"]},
        {"tag": "spindle"},
        {"ordering": "title"},
    ):
        html = staff.get("/knowledgebase/", params).content.decode()
        rows = api.get("/api/v1/kb/articles/", params).json()["results"]
        assert _titles(html) == [row["title"] for row in rows], params
        assert rows


def test_the_staff_list_queries_do_not_grow_with_the_rows(make_article, client_for, support_agent):
    from django.test.utils import CaptureQueriesContext

    client = client_for(support_agent)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/knowledgebase/").status_code == 200
        return len(queries)

    for n in range(5):
        make_article(title=f"Article {n}")
    few = count()
    for n in range(20):
        make_article(title=f"More {n}", tags=f"tag{n}, spindle")
    assert count() == few
