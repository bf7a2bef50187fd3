"""Support desk: business calendars first (SLA targets count business time on them)."""

import datetime

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
from sfa.customers.models import Account, Contact, CustomerGroup
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

    def _stamp(self) -> None:
        self.state_changed_at = timezone.now()

    @transition(field=state, source=[State.NEW, State.PENDING], target=State.OPEN)
    def open(self) -> None:
        self._stamp()

    @transition(field=state, source=[State.NEW, State.OPEN], target=State.PENDING)
    def wait_on_customer(self) -> None:
        self.paused_since = timezone.now()
        self._stamp()

    @transition(field=state, source=[State.NEW, State.OPEN, State.PENDING], target=State.RESOLVED)
    def resolve(self) -> None:
        self.resolved_at = timezone.now()
        self._stamp()

    @transition(field=state, source=State.RESOLVED, target=State.CLOSED)
    def close(self) -> None:
        self.closed_at = timezone.now()
        self._stamp()

    @transition(field=state, source=[State.RESOLVED, State.CLOSED], target=State.OPEN)
    def reopen(self) -> None:
        self.resolved_at = self.closed_at = None
        self._stamp()


class TicketComment(models.Model):
    """A public reply (e-mailed to the customer) or an internal note (never shown to them)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_customer = models.BooleanField(default=False)
    is_public = models.BooleanField(default=True)
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
