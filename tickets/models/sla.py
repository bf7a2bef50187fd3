"""SLA policies and the business calendars their due times are counted in."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sfa.customers.models import CustomerGroup
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
