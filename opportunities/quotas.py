"""Quotas: who may see them and how they are written.

Reads and writes of quotas live together here, beside ``selectors.py`` and ``services.py``,
because they concern the forecast only.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet

from opportunities.models import Quota
from opportunities.reports import month_of
from sfa.core.access import is_staff_user, sees_all_customers
from sfa.core.fsm import full_clean


def quota_visible_to(user) -> QuerySet[Quota]:
    """Managers see every quota, branch managers their branch's, reps their own."""
    queryset = Quota.objects.all()
    if not is_staff_user(user) or not user.is_active:
        return queryset.none()
    if sees_all_customers(user):
        return queryset
    scope = Q(owner=user)
    if user.is_branch_manager and user.branch_id:
        scope |= Q(owner__branch_id=user.branch_id)
    return queryset.filter(scope)


def quota_save(*, quota: Quota, actor) -> Quota:
    """Create or change a quota; an overlapping period or one ending before it starts is a
    field error (400)."""
    with transaction.atomic():
        # Serialise writers per rep so that two overlapping quotas cannot both pass clean().
        list(get_user_model().objects.select_for_update().filter(pk=quota.owner_id).values("pk"))
        full_clean(quota)
        quota.save()
    return quota


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def next_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period after [start, end] of the same length: whole months stay whole months
    (a quarter is followed by the next quarter), other periods move by their days."""
    if start.day == 1 and month_of(end)[1] == end:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        after = _add_months(start, months)
        return after, month_of(_add_months(after, months - 1))[1]
    days = end - start + datetime.timedelta(days=1)
    return start + days, end + days


def quota_copy_to_next_period(*, quota: Quota, actor) -> Quota:
    """The same amount for the rep's next period (an overlap there is refused as usual)."""
    start, end = next_period(quota.period_start, quota.period_end)
    copy = Quota(
        owner_id=quota.owner_id,
        period_start=start,
        period_end=end,
        amount=quota.amount,
        currency=quota.currency,
    )
    return quota_save(quota=copy, actor=actor)
