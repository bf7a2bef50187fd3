"""Staff page of quotas: one period at a time, one amount per rep.

Sales managers type the amounts for a month or a quarter and save them together; everyone
else who may view quotas sees the same grid read-only, limited to the quotas they may see.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from opportunities.models import Quota
from opportunities.quotas import quota_save, quota_visible_to
from opportunities.reports import month_of
from sfa.core.access import Role, sees_all_customers
from sfa.core.exceptions import DomainError
from sfa.core.forms import staff_users

PERIOD = re.compile(r"^(?P<year>\d{4})-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2]))$")


def parse_period(text: str, today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """``2026-Q4`` or ``2026-11`` → (label, first day, last day); this quarter otherwise."""
    found = PERIOD.match(text or "")
    if found is None:
        return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}", today)
    year = int(found["year"])
    if found["quarter"]:
        first_month = (int(found["quarter"]) - 1) * 3 + 1
        start = datetime.date(year, first_month, 1)
        end = month_of(datetime.date(year, first_month + 2, 1))[1]
    else:
        start, end = month_of(datetime.date(year, int(found["month"]), 1))
    return found[0], start, end


def _periods(today: datetime.date) -> list[str]:
    """Quarters of last, this and next year; the months of this year."""
    quarters = [f"{year}-Q{q}" for year in (today.year - 1, today.year, today.year + 1)
                for q in range(1, 5)]  # fmt: skip
    return quarters + [f"{today.year}-{month:02d}" for month in range(1, 13)]


def _reps(user):
    """The reps whose quotas the user works with: all, the branch's, or only the user."""
    reps = staff_users().filter(groups__name=Role.SALES_REP).distinct()
    if sees_all_customers(user):
        return reps.order_by("username")
    if user.is_branch_manager and user.branch_id:
        return reps.filter(branch_id=user.branch_id).order_by("username")
    return reps.filter(pk=user.pk)


def _amount(text: str) -> Decimal | None | str:
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return "Enter an amount such as 50000."
    if value < 0 or value >= Decimal("1e12"):
        return "Enter an amount from 0 up."
    return value.quantize(Decimal("0.01"))


@login_required
@permission_required("opportunities.view_quota", raise_exception=True)
def quota_grid(request):
    label, start, end = parse_period(request.GET.get("period", ""), timezone.localdate())
    reps = list(_reps(request.user))
    quotas = {
        q.owner_id: q
        for q in quota_visible_to(request.user).filter(
            Q(period_start=start) | Q(period_start__lte=end, period_end__gte=start),
            owner__in=reps,
        )
    }
    may_edit = request.user.has_perm("opportunities.add_quota") and request.user.has_perm(
        "opportunities.change_quota"
    )
    errors: dict[int, str] = {}
    if request.method == "POST" and may_edit:
        saved = 0
        for rep in reps:
            value = _amount(request.POST.get(f"amount-{rep.pk}", ""))
            if isinstance(value, str):
                errors[rep.pk] = value
                continue
            quota = quotas.get(rep.pk)
            if value is None or (quota is not None and quota.amount == value):
                continue
            if quota is not None and quota.period_start != start:
                errors[rep.pk] = f"The quota of {quota.period_start:%Y-%m-%d} overlaps this period."
                continue
            if quota is None:
                quota = Quota(owner=rep, period_start=start, period_end=end)
            quota.amount = value
            try:
                quotas[rep.pk] = quota_save(quota=quota, actor=request.user)
                saved += 1
            except DomainError as error:
                errors[rep.pk] = (
                    "; ".join(str(m) for found in error.fields.values() for m in found)
                    or error.detail
                )
        if not errors:
            plural = "" if saved == 1 else "s"
            messages.success(request, f"{saved} quota{plural} saved for {label}.")
            return redirect(f"{request.path}?period={label}")
    rows = [
        {
            "rep": rep,
            "quota": quotas.get(rep.pk),
            "value": request.POST.get(f"amount-{rep.pk}") if errors else None,
            "error": errors.get(rep.pk, ""),
        }
        for rep in reps
    ]
    context = {
        "label": label,
        "start": start,
        "end": end,
        "rows": rows,
        "may_edit": may_edit,
        "periods": _periods(timezone.localdate()),
    }
    return render(request, "opportunities/quotas.html", context, status=400 if errors else 200)
