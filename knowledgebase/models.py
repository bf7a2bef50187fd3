"""Knowledge base: articles in a category tree, written in Markdown, reviewed, published."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from sfa.core.models import ConcurrentTransitionMixin, TimeStampedModel
from sfa.customers.models import private_storage


class Category(models.Model):
    """A node of the category tree (``parent`` empty for a top-level category)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(ConcurrentTransitionMixin, TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField(help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kb_articles"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kb_published_articles",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(default=0, editable=False)
    helpful_no = models.PositiveIntegerField(default=0, editable=False)
    # PostgreSQL only: title (A), summary (B), body (C), kept by the services; GIN-indexed by
    # migration 0002. Empty on SQLite, where search falls back to icontains.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "visibility"]),
            models.Index(fields=["published_at", "id"], name="kb_article_list"),  # list order
        ]
        permissions = [
            ("publish_article", "Can publish knowledge base articles"),
            ("archive_article", "Can archive and restore knowledge base articles"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED and self.visibility == self.Visibility.PUBLIC

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.IN_REVIEW,
        permission="knowledgebase.change_article",
    )
    def submit(self) -> None:
        """Ask for a review."""

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.PUBLISHED,
        permission="knowledgebase.publish_article",
    )
    def publish(self, *, by) -> None:
        self.published_by, self.published_at = by, timezone.now()

    @transition(
        field=state,
        source=[State.DRAFT, State.IN_REVIEW, State.PUBLISHED],
        target=State.ARCHIVED,
        permission="knowledgebase.archive_article",
    )
    def archive(self) -> None:
        """Take it off the knowledge base."""

    @transition(
        field=state,
        source=State.ARCHIVED,
        target=State.DRAFT,
        permission="knowledgebase.archive_article",
    )
    def restore(self) -> None:
        """Back to draft, to be reviewed again."""


class ArticleRevision(models.Model):
    """The title, summary and body as they were after each change of title or body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


def attachment_upload_to(instance, filename: str) -> str:
    return f"kb/{instance.article_id}/{filename}"


class ArticleAttachment(models.Model):
    """A file shown with the article; served only through a view that checks visibility."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, storage=private_storage, max_length=300)
    title = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "pk"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class ArticleVote(models.Model):
    """'Was this helpful?': one answer per user, or per session for visitors."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    session_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(user__isnull=False),
                name="kb_vote_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=Q(user__isnull=True),
                name="kb_vote_one_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""), name="kb_vote_has_voter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class ArticleLink(models.Model):
    """An article linked to another app's record (a ticket), through ``sfa.core.knowledge``:
    the answer an agent pointed to, listed on both pages."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "content_type", "object_id"], name="kb_link_once_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.content_type_id}:{self.object_id}"
