"""The conversation on a ticket: comments (replies, notes), files and the customer's rating."""

from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sfa.customers.models import private_storage
from tickets.models.tickets import Ticket


class TicketComment(models.Model):
    """A public reply (e-mailed to the customer) or an internal note (never shown to them)."""

    class Via(models.TextChoices):
        WEB = "web", _("Staff UI")
        EMAIL = "email", _("E-mail")
        PORTAL = "portal", _("Portal")
        API = "api", _("API")
        SYSTEM = "system", _("System")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_customer = models.BooleanField(default=False)
    # who wrote an e-mailed comment when no user or contact is known (a cc'd colleague)
    author_email = models.EmailField(blank=True)
    is_public = models.BooleanField(default=True)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.WEB)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["ticket", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket.number}: {self.body[:40]}"


class TicketRating(models.Model):
    """The customer's rating of a resolved ticket: once per ticket (signed link or portal)."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=10, default="link")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="tickets_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number}: {self.score}/5"


def attachment_upload_to(instance: "TicketAttachment", filename: str) -> str:
    today = timezone.localdate()
    return f"tickets/{instance.ticket_id}/{today:%Y/%m}/{Path(filename).name}"


class TicketAttachment(models.Model):
    """A file of a ticket (from the customer, an agent or an e-mail), optionally of one comment.

    Stored privately and served only through views that check the ticket's visibility;
    files of internal notes are never shown to the customer.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(
        TicketComment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_upload_to, storage=private_storage, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_customer = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ticket", "created_at", "pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_public(self) -> bool:
        return self.comment_id is None or self.comment.is_public
