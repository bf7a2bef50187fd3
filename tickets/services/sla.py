"""SLA due times and status of one ticket: the policy that applies, pauses, at risk / breached."""

import datetime

from django.core.cache import cache
from django.utils import timezone

from tickets.business_hours import add_business_minutes, business_minutes_between
from tickets.models import BusinessCalendar, SlaPolicy, Ticket

AT_RISK_SHARE = 0.25  # less than a quarter of the target left: at risk


def policy_for(ticket: Ticket) -> SlaPolicy | None:
    """The customer group's policy for the priority, else the general one."""
    policies = SlaPolicy.objects.filter(is_active=True, priority=ticket.priority).select_related(
        "calendar"
    )
    group_id = ticket.account.group_id if ticket.account_id else None
    if group_id:
        found = policies.filter(customer_group_id=group_id).first()
        if found is not None:
            return found
    return policies.filter(customer_group__isnull=True).first()


def apply_sla(ticket: Ticket, *, start: datetime.datetime | None = None) -> None:
    """Set the policy and due times from ``start`` (the ticket's creation)."""
    policy = policy_for(ticket)
    ticket.sla_policy = policy
    if policy is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    schedule = policy.calendar.schedule()
    start = start or ticket.created_at or timezone.now()
    ticket.first_response_due = add_business_minutes(schedule, start, policy.first_response_minutes)
    due = add_business_minutes(schedule, start, policy.resolution_minutes)
    if ticket.paused_minutes:
        due = add_business_minutes(schedule, due, ticket.paused_minutes)
    ticket.resolution_due = due


def _end_pause(ticket: Ticket, now: datetime.datetime) -> None:
    """Leaving ``pending``: the business time spent waiting moves the resolution due time."""
    if ticket.paused_since is None:
        return
    if ticket.sla_policy_id and ticket.resolution_due:
        schedule = ticket.sla_policy.calendar.schedule()
        paused = business_minutes_between(schedule, ticket.paused_since, now)
        ticket.paused_minutes += paused
        ticket.resolution_due = add_business_minutes(schedule, ticket.resolution_due, paused)
    ticket.paused_since = None


SCHEDULE_CACHE_SECONDS = 300


def schedule_cache_key(calendar_id: int) -> str:
    return f"tickets:schedule:{calendar_id}"


def cached_schedule(calendar_id: int):
    """A calendar's schedule from the cache (read on every ticket list, changed rarely): a
    change of the calendar, its hours or holidays drops it (``tickets.signals``); with a
    per-process cache another process sees the change within ``SCHEDULE_CACHE_SECONDS``."""
    return cache.get_or_set(
        schedule_cache_key(calendar_id),
        lambda: BusinessCalendar.objects.get(pk=calendar_id).schedule(),
        SCHEDULE_CACHE_SECONDS,
    )


def cached_schedule_drop(calendar_id: int) -> None:
    cache.delete(schedule_cache_key(calendar_id))


def schedule_of(policy: SlaPolicy, schedules: dict | None = None):
    """The policy's calendar as a schedule, for showing SLA states; ``schedules`` (calendar
    id → schedule) keeps it for a list or a job."""
    if schedules is None:
        return cached_schedule(policy.calendar_id)
    if policy.calendar_id not in schedules:
        schedules[policy.calendar_id] = cached_schedule(policy.calendar_id)
    return schedules[policy.calendar_id]


def sla_status(
    ticket: Ticket, now: datetime.datetime | None = None, schedules: dict | None = None
) -> dict[str, str]:
    """``{"first_response": …, "resolution": …}``, each "met", "on_track", "at_risk",
    "breached", "paused" or "none"."""
    now = now or timezone.now()
    policy = ticket.sla_policy

    def judge(due, done_at, target_minutes, paused=False):
        if due is None or policy is None:
            return "none"
        if done_at is not None:
            return "met" if done_at <= due else "breached"
        if paused:
            return "paused"
        if now > due:
            return "breached"
        left = business_minutes_between(schedule_of(policy, schedules), now, due)
        return "at_risk" if left < target_minutes * AT_RISK_SHARE else "on_track"

    if policy is None or ticket.merged_into_id:  # a merged duplicate's clocks stop
        return {"first_response": "none", "resolution": "none"}
    return {
        "first_response": judge(
            ticket.first_response_due, ticket.first_responded_at, policy.first_response_minutes
        ),
        "resolution": judge(
            ticket.resolution_due,
            ticket.resolved_at,
            policy.resolution_minutes,
            paused=ticket.state == Ticket.State.PENDING,
        ),
    }
