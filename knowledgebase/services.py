"""Writes of the knowledge base: articles (with revisions), review workflow, votes, views."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.text import slugify
from django_fsm import ConcurrentTransition

from knowledgebase.exceptions import OwnArticle
from knowledgebase.models import (
    Article,
    ArticleAttachment,
    ArticleLink,
    ArticleRevision,
    ArticleVote,
    Tag,
)
from knowledgebase.rendering import render_markdown
from sfa.core.exceptions import ConcurrentUpdate, Conflict, InvalidInput
from sfa.core.fsm import full_clean, transition_record
from sfa.customers.services import check_upload

ARTICLE_FIELDS = {"title", "slug", "summary", "body", "category", "visibility"}
SEARCH_CONFIG = "english"
MAX_TAGS = 20


def _unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:200] or "article"
    slug, n = base, 1
    taken = Article.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(article: Article, data: dict) -> None:
    unknown = set(data) - ARTICLE_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(article, name, value)
    if not article.slug:
        article.slug = _unique_slug(article.title, exclude_pk=article.pk)


def _tags(names) -> list[Tag]:
    if isinstance(names, str):
        names = names.split(",")
    cleaned = {}
    for name in names:
        name = " ".join(str(name).split())[:60]
        if name and slugify(name):
            cleaned.setdefault(slugify(name), name)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(fields={"tags": [f"At most {MAX_TAGS} tags."]})
    return [
        Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in cleaned.items()
    ]


def _write_revision(article: Article, actor) -> ArticleRevision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ArticleRevision.objects.create(
        article=article,
        number=last + 1,
        title=article.title,
        summary=article.summary,
        body=article.body,
        author=actor,
    )


def refresh_search_vector(article: Article) -> None:
    """PostgreSQL: the weighted document (title A, summary B, body C) that search matches."""
    if connection.vendor != "postgresql":
        return
    Article.objects.filter(pk=article.pk).update(
        search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


@transaction.atomic
def article_create(*, actor, data: dict, tags=None) -> Article:
    article = Article(author=actor)
    _apply(article, data)
    article.body_html = render_markdown(article.body)
    full_clean(article)
    article.save()
    if tags is not None:
        article.tags.set(_tags(tags))
    _write_revision(article, actor)
    refresh_search_vector(article)
    return article


@transaction.atomic
def article_update(*, article: Article, actor, data: dict, tags=None) -> Article:
    """Change an article; a change of title, summary or body is kept as a new revision.

    Archived articles are restored first (to draft) before they can be changed."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.state == Article.State.ARCHIVED:
        raise Conflict("Restore the archived article before changing it.", code="article_archived")
    before = (article.title, article.summary, article.body)
    _apply(article, data)
    article.body_html = render_markdown(article.body)
    full_clean(article)
    try:
        article.save()
    except ConcurrentTransition as exc:
        raise ConcurrentUpdate() from exc
    if tags is not None:
        article.tags.set(_tags(tags))
    if (article.title, article.summary, article.body) != before:
        _write_revision(article, actor)
        refresh_search_vector(article)
    return article


def article_submit(*, article: Article, actor, note: str = "") -> Article:
    return transition_record(article, "submit", actor=actor, note=note)


def article_publish(*, article: Article, actor, note: str = "") -> Article:
    """Publish after review: 409 in a wrong state, 403 without the permission, 403
    ``reviewer_is_author`` when the reviewer wrote the article."""

    def not_the_author(locked: Article) -> None:
        if actor is not None and locked.author_id == actor.pk:
            raise OwnArticle("Another reviewer must publish this article: you wrote it.")

    return transition_record(
        article, "publish", actor=actor, note=note, prepare=not_the_author, by=actor
    )


def article_archive(*, article: Article, actor, note: str = "") -> Article:
    return transition_record(article, "archive", actor=actor, note=note)


def article_restore(*, article: Article, actor, note: str = "") -> Article:
    return transition_record(article, "restore", actor=actor, note=note)


def article_vote(
    *, article: Article, helpful: bool, user=None, session_key: str = ""
) -> ArticleVote:
    """One answer per voter (user, else session); a changed answer moves the counts."""
    voter = {"user": user} if user is not None else {"user": None, "session_key": session_key}
    if user is None and not session_key:
        raise InvalidInput("A visitor's vote needs a session.")
    counts = Article.objects.filter(pk=article.pk)
    field = "helpful_yes" if helpful else "helpful_no"
    other = "helpful_no" if helpful else "helpful_yes"
    with transaction.atomic():
        vote = ArticleVote.objects.select_for_update().filter(article=article, **voter).first()
        if vote is None:
            try:
                with transaction.atomic():
                    vote = ArticleVote.objects.create(article=article, helpful=helpful, **voter)
            except IntegrityError:  # the same voter, at the same moment: the first one counts
                return ArticleVote.objects.get(article=article, **voter)
            counts.update(**{field: F(field) + 1})
        elif vote.helpful != helpful:
            vote.helpful = helpful
            vote.save(update_fields=["helpful"])
            counts.update(**{field: F(field) + 1, other: F(other) - 1})
    return vote


def article_record_view(*, article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


@transaction.atomic
def attachment_add(*, article: Article, actor, file, title: str = "") -> ArticleAttachment:
    """Same rules as customer documents: listed types, size limit, no programs."""
    check_upload(file)
    attachment = ArticleAttachment(article=article, file=file, title=title, uploaded_by=actor)
    full_clean(attachment)
    attachment.save()
    return attachment


# Links to other apps' records (tickets), through sfa.core.knowledge ---------------------------


def article_link(*, article: Article, record, actor) -> tuple[ArticleLink, bool]:
    """Link a published article to ``record`` once; ``(link, created)``."""
    if article.state != Article.State.PUBLISHED:
        raise Conflict("Only published articles can be linked.", code="article_not_published")
    content_type = ContentType.objects.get_for_model(record)
    try:
        with transaction.atomic():
            return ArticleLink.objects.get_or_create(
                article=article,
                content_type=content_type,
                object_id=record.pk,
                defaults={"linked_by": actor},
            )
    except IntegrityError:  # linked by someone else at the same moment: that link stands
        link = ArticleLink.objects.get(
            article=article, content_type=content_type, object_id=record.pk
        )
        return link, False


def article_unlink(*, article_id: int, record, actor) -> bool:
    """Remove the article's link to ``record``; False when there was none."""
    content_type = ContentType.objects.get_for_model(record)
    deleted, _ = ArticleLink.objects.filter(
        article_id=article_id, content_type=content_type, object_id=record.pk
    ).delete()
    return bool(deleted)
