"""Business time: adding and measuring working minutes on a calendar.

A :class:`Schedule` says when support works: intervals per weekday in a time zone, minus
holidays. SLA targets ("first response within 4 business hours") are added to a start with
:func:`add_business_minutes`; the time a ticket spent in business hours is measured with
:func:`business_minutes_between`. Pauses (waiting on the customer) are the caller's: it
measures only the running stretches.

Pure functions on a plain dataclass, so they are exact and fast to test.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

MAX_DAYS = 3 * 366  # a calendar that never opens must not loop forever


class NoWorkingTime(ValueError):
    """The calendar has no working time (within three years of the start)."""


@dataclass(frozen=True)
class Schedule:
    time_zone: str
    # weekday (Monday 0) → [(start, end), …] local times, end after start
    hours: dict[int, tuple[tuple[datetime.time, datetime.time], ...]]
    holidays: frozenset[datetime.date] = field(default_factory=frozenset)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def intervals_on(self, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The working intervals of a local day, as aware datetimes (none on holidays)."""
        if day in self.holidays:
            return []
        tz = self.tz
        return [
            (datetime.datetime.combine(day, start, tz), datetime.datetime.combine(day, end, tz))
            for start, end in sorted(self.hours.get(day.weekday(), ()))
            if end > start
        ]


def _intervals_from(
    schedule: Schedule, moment: datetime.datetime
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """Working intervals from ``moment`` on, the first one clipped to start at ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("Give an aware datetime.")
    day = moment.astimezone(schedule.tz).date()
    for offset in range(MAX_DAYS):
        for start, end in schedule.intervals_on(day + datetime.timedelta(days=offset)):
            if end <= moment:
                continue
            yield max(start, moment), end
    raise NoWorkingTime("The calendar has no working time.")


def add_business_minutes(
    schedule: Schedule, start: datetime.datetime, minutes: float
) -> datetime.datetime:
    """The moment ``minutes`` of working time after ``start`` (which may be outside hours)."""
    remaining = datetime.timedelta(minutes=minutes)
    if remaining <= datetime.timedelta(0):
        return start
    for begin, end in _intervals_from(schedule, start):
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    raise NoWorkingTime("The calendar has no working time.")  # pragma: no cover


def business_minutes_between(
    schedule: Schedule, start: datetime.datetime, end: datetime.datetime
) -> float:
    """Working minutes from ``start`` to ``end`` (0 when end is not after start)."""
    if end <= start:
        return 0.0
    total = datetime.timedelta(0)
    day = start.astimezone(schedule.tz).date()
    last = end.astimezone(schedule.tz).date()
    while day <= last:
        for begin, finish in schedule.intervals_on(day):
            overlap = min(finish, end) - max(begin, start)
            if overlap > datetime.timedelta(0):
                total += overlap
        day += datetime.timedelta(days=1)
    return total.total_seconds() / 60


class BusinessClock:
    """Business minutes between many pairs of moments on one schedule, fast: the working
    time of each local day is summed once, then a measurement is the difference of two
    running totals (same result as :func:`business_minutes_between`). For reports over
    thousands of tickets; the days covered grow as moments outside them are asked for."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self._tz = schedule.tz
        self._first: datetime.date | None = None
        self._spans: list[list[tuple[datetime.datetime, datetime.datetime]]] = []
        self._before: list[datetime.timedelta] = []  # working time on the days before

    def minutes_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """Working minutes from ``start`` to ``end`` (0 when end is not after start)."""
        if end <= start:
            return 0.0
        return (self._total_at(end) - self._total_at(start)).total_seconds() / 60

    def _total_at(self, moment: datetime.datetime) -> datetime.timedelta:
        if moment.tzinfo is None:
            raise ValueError("Give an aware datetime.")
        day = moment.astimezone(self._tz).date()
        self._cover(day)
        index = (day - self._first).days
        total = self._before[index]
        for begin, finish in self._spans[index]:
            if moment > begin:
                total += min(finish, moment) - begin
        return total

    def _cover(self, day: datetime.date) -> None:
        """Sum the days from ``day`` to the covered ones, with a margin either way (a month,
        or as long as the covered days) so that neighbouring moments need no new sums."""
        first = self._first
        if first is not None and first <= day < first + datetime.timedelta(len(self._spans)):
            return
        margin = datetime.timedelta(days=max(31, len(self._spans)))
        last = day if first is None else max(day, first + datetime.timedelta(len(self._spans) - 1))
        start = day if first is None else min(day, first)
        start, last = start - margin, last + margin
        self._first, self._spans, self._before = start, [], []
        total = datetime.timedelta(0)
        for offset in range((last - start).days + 1):
            spans = self.schedule.intervals_on(start + datetime.timedelta(days=offset))
            self._spans.append(spans)
            self._before.append(total)
            total += sum((finish - begin for begin, finish in spans), datetime.timedelta(0))
