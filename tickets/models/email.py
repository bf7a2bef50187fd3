"""E-mail threading: the Message-IDs of a ticket's mail and the log of inbound messages."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models.conversation import TicketComment
from tickets.models.tickets import Ticket


class TicketMessageId(models.Model):
    """An e-mail's Message-ID known to belong to a ticket: the ones we send (acknowledgement,
    replies) and the ones we receive. Replies thread by their In-Reply-To/References."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("Received")
        OUTBOUND = "out", _("Sent")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="message_ids")
    message_id = models.CharField(max_length=255, unique=True)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    comment = models.ForeignKey(
        TicketComment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ticket", "created_at"]
        verbose_name = "ticket Message-ID"

    def __str__(self) -> str:
        return self.message_id


class InboundEmail(models.Model):
    """Every message the inbound webhook received and what became of it: the Message-ID is
    unique, so the same message delivered twice is recognised and does nothing twice."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Opened a ticket")
        REPLY = "reply", _("Added to a ticket")
        FOLLOW_UP = "follow_up", _("Opened a follow-up of a closed ticket")
        AUTO_REPLY = "auto_reply", _("Ignored: automatic reply")
        BOUNCE = "bounce", _("Ignored: bounce")
        LOOP = "loop", _("Ignored: sent by this system")
        UNKNOWN_SENDER = "unknown_sender", _("Refused: unknown sender")
        INVALID = "invalid", _("Refused: unreadable")

    message_id = models.CharField(max_length=255, unique=True)
    esp = models.CharField(max_length=40, blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    to = models.CharField(max_length=1000, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_emails"
    )
    comment = models.ForeignKey(
        TicketComment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_email}: {self.subject}"
