"""Tickets and their categories: the state machine, SLA due times and links between tickets."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from sfa.catalog.models import Product
from sfa.core.models import ConcurrentTransitionMixin, Team, TimeStampedModel
from sfa.customers.models import Account, Contact
from tickets.models.sla import Priority, SlaPolicy


class TicketCategory(models.Model):
    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "ticket categories"

    def __str__(self) -> str:
        return self.name


class Ticket(ConcurrentTransitionMixin, TimeStampedModel):
    class State(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending (on the customer)")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    Priority = Priority

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        INCIDENT = "incident", _("Incident")
        PROBLEM = "problem", _("Problem")
        FEATURE_REQUEST = "feature_request", _("Feature request")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PORTAL = "portal", _("Portal")
        PHONE = "phone", _("Phone")
        WEB = "web", _("Web")
        API = "api", _("API")

    OPEN_STATES = (State.NEW, State.OPEN, State.PENDING)

    number = models.CharField(max_length=30, unique=True, editable=False)
    state = FSMField(default=State.NEW, choices=State.choices, protected=True)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    requester_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.PHONE)
    category = models.ForeignKey(
        TicketCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.QUESTION)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tickets",
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="watched_tickets"
    )
    tags = models.CharField(max_length=300, blank=True, help_text=_("Comma-separated."))
    # service level
    sla_policy = models.ForeignKey(
        SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # the SLA job's marks, so each warning and escalation happens once
    first_response_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    paused_since = models.DateTimeField(null=True, blank=True, editable=False)
    paused_minutes = models.FloatField(default=0, editable=False)
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # a duplicate merged into another ticket points at it; a reply to a long-closed ticket
    # opens a follow-up that points at the old one
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_tickets",
        editable=False,
    )
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at", "id"], name="tickets_ticket_list"),  # list order
            models.Index(fields=["state", "assignee"]),
            models.Index(fields=["state", "team"]),
            models.Index(fields=["state", "resolution_due"]),
        ]
        permissions = [("assign_ticket", "Can assign tickets to other agents and teams")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def _stamp(self, at: datetime.datetime | None) -> datetime.datetime:
        self.state_changed_at = at = at or timezone.now()
        return at

    # Staff move tickets with ``change_ticket``; customers close and reopen their own in the
    # portal (the service lets them: customers hold no staff permission).
    @transition(
        field=state,
        source=[State.NEW, State.PENDING],
        target=State.OPEN,
        permission="tickets.change_ticket",
    )
    def open(self, *, at: datetime.datetime | None = None) -> None:
        self._stamp(at)

    @transition(
        field=state,
        source=[State.NEW, State.OPEN],
        target=State.PENDING,
        permission="tickets.change_ticket",
    )
    def wait_on_customer(self, *, at: datetime.datetime | None = None) -> None:
        self.paused_since = self._stamp(at)

    @transition(
        field=state,
        source=[State.NEW, State.OPEN, State.PENDING],
        target=State.RESOLVED,
        permission="tickets.change_ticket",
    )
    def resolve(self, *, at: datetime.datetime | None = None) -> None:
        self.resolved_at = self._stamp(at)

    @transition(
        field=state, source=State.RESOLVED, target=State.CLOSED, permission="tickets.change_ticket"
    )
    def close(self, *, at: datetime.datetime | None = None) -> None:
        self.closed_at = self._stamp(at)

    def is_standalone(self) -> bool:
        """Not merged into another ticket: a merged duplicate stays closed."""
        return self.merged_into_id is None

    @transition(
        field=state,
        source=[State.RESOLVED, State.CLOSED],
        target=State.OPEN,
        conditions=[is_standalone],
        permission="tickets.change_ticket",
    )
    def reopen(self, *, at: datetime.datetime | None = None) -> None:
        self.resolved_at = self.closed_at = None
        self._stamp(at)

    @transition(
        field=state,
        source=[State.NEW, State.OPEN, State.PENDING, State.RESOLVED],
        target=State.CLOSED,
        conditions=[is_standalone],
        permission="tickets.change_ticket",
    )
    def merge(self, *, into: "Ticket", at: datetime.datetime | None = None) -> None:
        """A duplicate goes into ``into``: closed, pointing at it (the service moves the rest)."""
        self.merged_into = into
        self.closed_at = self._stamp(at)
        self.paused_since = None
