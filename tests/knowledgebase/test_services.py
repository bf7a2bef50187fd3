import pytest
from django.contrib.contenttypes.models import ContentType

from knowledgebase import selectors, services
from knowledgebase.exceptions import OwnArticle
from knowledgebase.models import Article, ArticleVote, Category
from sfa.core.exceptions import ActionForbidden, Conflict, TransitionRefused
from sfa.core.models import TransitionLog

pytestmark = pytest.mark.django_db


def logs_of(article):
    ct = ContentType.objects.get_for_model(Article)
    return TransitionLog.objects.filter(content_type=ct, object_id=str(article.pk))


def test_create_renders_sanitized_html_and_slug(make_article):
    article = make_article(
        title="Spindle: runs hot!", body="**Hot** <script>x</script>", state="draft"
    )
    assert article.slug == "spindle-runs-hot"
    assert "<strong>Hot</strong>" in article.body_html
    assert "<script" not in article.body_html


def test_same_title_gets_a_unique_slug(make_article):
    first = make_article(state="draft")
    second = make_article(state="draft")
    assert first.slug != second.slug


def test_author_cannot_publish_own_article(make_article, support_manager):
    article = make_article(author=support_manager, state="in_review")
    before = logs_of(article).count()
    with pytest.raises(OwnArticle) as caught:
        services.article_publish(article=article, actor=support_manager)
    assert caught.value.status == 403
    assert caught.value.code == "reviewer_is_author"
    article.refresh_from_db()
    assert article.state == Article.State.IN_REVIEW
    assert logs_of(article).count() == before


def test_another_reviewer_publishes_and_is_recorded(make_article, support_manager):
    article = make_article(state="in_review")
    article = services.article_publish(article=article, actor=support_manager)
    assert article.state == Article.State.PUBLISHED
    assert article.published_by == support_manager
    assert article.published_at is not None
    assert logs_of(article).filter(transition="publish").exists()


def test_agent_without_publish_permission_is_refused(make_article, agent2):
    article = make_article(state="in_review")
    with pytest.raises(ActionForbidden):
        services.article_publish(article=article, actor=agent2)


def test_publish_from_draft_is_refused_before_the_author_check(make_article, support_agent):
    article = make_article(state="draft")
    with pytest.raises(TransitionRefused):
        services.article_publish(article=article, actor=support_agent)


def test_revisions_are_kept_for_each_change_of_title_or_body(make_article, agent2):
    article = make_article(state="draft")
    services.article_update(article=article, actor=agent2, data={"body": "Second text"})
    services.article_update(article=article, actor=agent2, data={"title": "New title"})
    revisions = list(selectors.revisions_of(article))
    assert [r.number for r in revisions] == [3, 2, 1]
    assert revisions[1].body == "Second text"
    assert revisions[0].title == "New title"
    assert revisions[0].author == agent2
    assert "Check the spindle" in revisions[2].body


def test_no_revision_when_neither_title_nor_body_changes(make_article, support_agent):
    article = make_article(state="draft")
    services.article_update(
        article=article, actor=support_agent, data={"visibility": "internal"}, tags="oil"
    )
    assert article.revisions.count() == 1
    assert [t.name for t in article.tags.all()] == ["oil"]


def test_archived_article_cannot_be_changed_until_restored(make_article, support_manager):
    article = make_article(state="archived")
    with pytest.raises(Conflict):
        services.article_update(article=article, actor=support_manager, data={"title": "X"})
    article = services.article_restore(article=article, actor=support_manager)
    assert article.state == Article.State.DRAFT


def test_vote_counts_once_per_user(make_article, rep1):
    article = make_article()
    services.article_vote(article=article, helpful=True, user=rep1)
    services.article_vote(article=article, helpful=True, user=rep1)
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 0)
    assert ArticleVote.objects.filter(article=article).count() == 1


def test_vote_counts_once_per_visitor_session(make_article):
    article = make_article()
    for _ in range(3):
        services.article_vote(article=article, helpful=False, session_key="abc")
    services.article_vote(article=article, helpful=False, session_key="def")
    article.refresh_from_db()
    assert article.helpful_no == 2


def test_changed_vote_moves_the_counts(make_article, rep1):
    article = make_article()
    services.article_vote(article=article, helpful=True, user=rep1)
    services.article_vote(article=article, helpful=False, user=rep1)
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (0, 1)


def test_record_view_increments_the_count(make_article):
    article = make_article()
    services.article_record_view(article=article)
    services.article_record_view(article=article)
    article.refresh_from_db()
    assert article.view_count == 2


def test_related_articles_share_category_or_tags_within_the_public_scope(make_article):
    main = make_article(title="Main", tags="spindle")
    same_tag = make_article(title="Tagged", tags="spindle", category=None)
    same_category = make_article(title="Same category", tags="other")
    make_article(title="Internal sibling", visibility="internal")
    make_article(title="Draft sibling", state="draft")
    make_article(
        title="Unrelated", tags="billing", category=Category.objects.create(name="B", slug="b")
    )
    related = selectors.related_articles(main)
    assert related == [same_tag, same_category]


def test_related_articles_of_an_internal_article_may_be_internal(make_article, support_agent):
    main = make_article(title="Main", visibility="internal")
    internal = make_article(title="Internal sibling", visibility="internal")
    public = make_article(title="Public sibling")
    assert set(selectors.related_articles(main, user=support_agent)) == {internal, public}
