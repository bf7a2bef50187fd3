"""Support desk: business calendars first (SLA targets count business time on them)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from sfa.catalog.models import Product
from sfa.core.models import Team, TimeStampedModel
from sfa.customers.models import Account, Contact, CustomerGroup, private_storage
from tickets.business_hours import Schedule


def _valid_time_zone(value: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Not a time zone, e.g. Europe/Berlin.")) from None


class BusinessCalendar(models.Model):
    """When support works: weekly hours in a time zone, minus holidays."""

    name = models.CharField(max_length=120, unique=True)
    time_zone = models.CharField(
        max_length=60, default=settings.TIME_ZONE, validators=[_valid_time_zone]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def schedule(self) -> Schedule:
        """The calendar as a :class:`Schedule` (two queries)."""
        hours: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
        for row in self.working_hours.all():
            hours.setdefault(row.weekday, []).append((row.start, row.end))
        return Schedule(
            time_zone=self.time_zone,
            hours={day: tuple(spans) for day, spans in hours.items()},
            holidays=frozenset(self.holidays.values_list("date", flat=True)),
        )


class WorkingHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["calendar", "weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="tickets_working_hours_end_after_start",
                violation_error_message=_("The end must be after the start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.calendar_id and self.start and self.end:
            overlapping = WorkingHours.objects.filter(
                calendar_id=self.calendar_id,
                weekday=self.weekday,
                start__lt=self.end,
                end__gt=self.start,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError({"start": _("This overlaps other hours of the day.")})


class Holiday(models.Model):
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField()
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="tickets_holiday_once")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class SlaPolicy(models.Model):
    """Targets for a priority (optionally one customer group's), counted in business time."""

    name = models.CharField(max_length=120)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    customer_group = models.ForeignKey(
        CustomerGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only for customers of this group; empty = everyone else."),
    )
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="+")
    first_response_minutes = models.PositiveIntegerField(
        help_text=_("Business minutes until the first public reply.")
    )
    resolution_minutes = models.PositiveIntegerField(
        help_text=_("Business minutes until resolved (time pending on the customer excluded).")
    )
    raise_priority_on_breach = models.BooleanField(
        default=False, help_text=_("On a breach, raise the ticket's priority one step.")
    )
    reassign_on_breach_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("On a breach, give the ticket to this person."),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "customer_group_id", "name"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "customer_group"],
                condition=models.Q(customer_group__isnull=False),
                name="tickets_sla_one_per_priority_and_group",
            ),
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(customer_group__isnull=True),
                name="tickets_sla_one_default_per_priority",
            ),
        ]

    def __str__(self) -> str:
        return self.name


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


class CannedResponse(models.Model):
    """A prepared reply with merge fields (``{{ contact.first_name }}``, ``{{ ticket.number }}``,
    ``{{ agent.name }}`` …): everyone's, a team's or one agent's own."""

    title = models.CharField(max_length=120)
    body = models.TextField()
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only for this team's members; empty = everyone."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A personal response, only for this agent."),
    )
    is_active = models.BooleanField(default=True)
    times_used = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class TeamRouting(models.Model):
    """How a support team's new tickets find an agent."""

    class Mode(models.TextChoices):
        MANUAL = "manual", _("Manual: the team's queue, agents take tickets")
        ROUND_ROBIN = "round_robin", _("Round-robin among available agents")
        LEAST_OPEN = "least_open", _("The available agent with the fewest open tickets")

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="ticket_routing")
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.MANUAL)
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    max_open_per_agent = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Agents at this many open tickets get no more.")
    )

    class Meta:
        verbose_name = "team routing"
        verbose_name_plural = "team routing"

    def __str__(self) -> str:
        return f"{self.team}: {self.get_mode_display()}"


class AgentStatus(models.Model):
    """Whether an agent takes new tickets now (away, on holiday): routing skips the absent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_status"
    )
    is_available = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "agent statuses"

    def __str__(self) -> str:
        return f"{self.user}: {'available' if self.is_available else 'away'}"
