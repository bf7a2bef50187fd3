"""Business calendars as administrators keep them, turned into schedules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tickets.business_hours import add_business_minutes
from tickets.models import BusinessCalendar, Holiday, WorkingHours
from tickets.services.sla import cached_schedule


def test_a_calendar_becomes_a_schedule_with_its_hours_and_holidays(calendar):
    schedule = calendar.schedule()
    start = datetime.datetime(2026, 12, 24, 16, tzinfo=schedule.tz)
    assert add_business_minutes(schedule, start, 120) == start.replace(day=28, hour=10)


def test_overlapping_hours_on_one_day_are_refused(calendar):
    extra = WorkingHours(
        calendar=calendar, weekday=0, start=datetime.time(16), end=datetime.time(18)
    )
    with pytest.raises(ValidationError) as error:
        extra.full_clean()
    assert "start" in error.value.message_dict


def test_hours_ending_before_they_start_are_refused(calendar):
    with pytest.raises(ValidationError) as error:
        WorkingHours(
            calendar=calendar, weekday=5, start=datetime.time(12), end=datetime.time(9)
        ).full_clean()
    assert "end" in error.value.message_dict


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError) as error:
        BusinessCalendar(name="Moon", time_zone="Moon/Base").full_clean()
    assert "time_zone" in error.value.message_dict


def test_the_schedule_needs_two_queries(calendar, django_assert_num_queries):
    calendar = BusinessCalendar.objects.get(pk=calendar.pk)
    with django_assert_num_queries(2):
        calendar.schedule()


def test_a_new_holiday_drops_the_cached_schedule(db):
    calendar = BusinessCalendar.objects.create(name="Cached", time_zone="Europe/Berlin")
    assert cached_schedule(calendar.pk).holidays == frozenset()
    Holiday.objects.create(calendar=calendar, date=datetime.date(2026, 12, 24), name="Eve")
    assert cached_schedule(calendar.pk).holidays == {datetime.date(2026, 12, 24)}


def test_a_cached_schedule_costs_no_query(db, django_assert_num_queries):
    calendar = BusinessCalendar.objects.create(name="Cached", time_zone="Europe/Berlin")
    cached_schedule(calendar.pk)
    with django_assert_num_queries(0):
        cached_schedule(calendar.pk)
