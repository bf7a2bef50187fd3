"""Business time on a fixed calendar, checked against hand computations."""

import datetime

import pytest

from tickets.business_hours import (
    NoWorkingTime,
    Schedule,
    add_business_minutes,
    business_minutes_between,
)

NINE_TO_FIVE = ((datetime.time(9), datetime.time(17)),)
# Berlin, Monday to Friday 9–17 (lunch not excluded); 2026-12-25 (a Friday) is a holiday.
BERLIN = Schedule(
    time_zone="Europe/Berlin",
    hours=dict.fromkeys(range(5), NINE_TO_FIVE),
    holidays=frozenset({datetime.date(2026, 12, 25)}),
)


def at(text: str) -> datetime.datetime:
    """A Berlin wall-clock time, e.g. "2026-11-27 16:00" (a Friday)."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BERLIN.tz)


def test_minutes_inside_one_working_day():
    assert add_business_minutes(BERLIN, at("2026-11-23 10:00"), 90) == at("2026-11-23 11:30")


def test_friday_afternoon_plus_two_hours_is_monday_ten():
    assert add_business_minutes(BERLIN, at("2026-11-27 16:00"), 120) == at("2026-11-30 10:00")


def test_a_start_on_saturday_counts_from_monday_nine():
    assert add_business_minutes(BERLIN, at("2026-11-28 11:00"), 30) == at("2026-11-30 09:30")


def test_a_start_before_opening_counts_from_opening():
    assert add_business_minutes(BERLIN, at("2026-11-23 06:00"), 60) == at("2026-11-23 10:00")


def test_a_holiday_is_skipped():
    # Thu 24 Dec 16:00 + 2 h: 1 h on Thursday, Friday 25th is a holiday, 1 h on Monday 28th
    assert add_business_minutes(BERLIN, at("2026-12-24 16:00"), 120) == at("2026-12-28 10:00")


def test_a_day_with_two_intervals_skips_the_break():
    split = Schedule(
        time_zone="UTC",
        hours={0: ((datetime.time(8), datetime.time(12)), (datetime.time(13), datetime.time(17)))},
    )
    start = datetime.datetime(2026, 11, 23, 11, 0, tzinfo=datetime.UTC)
    assert add_business_minutes(split, start, 120) == start.replace(hour=14)


def test_the_time_zone_of_the_calendar_decides_not_the_callers():
    start_utc = datetime.datetime(2026, 11, 23, 15, 30, tzinfo=datetime.UTC)  # 16:30 Berlin
    due = add_business_minutes(BERLIN, start_utc, 60)
    assert due == at("2026-11-24 09:30")


def test_business_minutes_across_a_weekend():
    assert business_minutes_between(BERLIN, at("2026-11-27 16:00"), at("2026-11-30 10:00")) == 120


def test_business_minutes_over_a_holiday_and_a_night():
    # Wed 23 Dec 12:00 → Mon 28 Dec 12:00: Wed 5 h, Thu 8 h, Fri holiday, Mon 3 h = 16 h
    minutes = business_minutes_between(BERLIN, at("2026-12-23 12:00"), at("2026-12-28 12:00"))
    assert minutes == 16 * 60


def test_no_business_minutes_when_the_end_is_not_after_the_start():
    assert business_minutes_between(BERLIN, at("2026-11-23 12:00"), at("2026-11-23 11:00")) == 0


def test_adding_and_measuring_agree():
    start = at("2026-11-26 15:15")
    due = add_business_minutes(BERLIN, start, 1000)
    assert business_minutes_between(BERLIN, start, due) == 1000


def test_a_calendar_without_working_hours_is_refused():
    with pytest.raises(NoWorkingTime):
        add_business_minutes(Schedule("UTC", {}), at("2026-11-23 10:00"), 10)


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(BERLIN, datetime.datetime(2026, 11, 23, 10), 10)  # noqa: DTZ001
