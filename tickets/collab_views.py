"""Staff UI of working tickets together: merge a duplicate (find, confirm, merge), watch and
stop watching (oneself; others with ``tickets.assign_ticket`` or as the assignee), the
agent's availability switch and the support teams' page (routing mode, agents' open tickets
and availability).

Thin like ``tickets.views``: reads through selectors and ``tickets.routing``, writes through
the services; a ``DomainError`` becomes a message answered with its status.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error, staff_users
from sfa.core.models import Team
from tickets import merging, routing, selectors, services, views
from tickets.models import TeamRouting, Ticket


def _visible_ticket_or_404(request, pk: int) -> Ticket:
    queryset = selectors.with_list_relations(selectors.ticket_visible_to(request.user))
    return get_object_or_404(queryset, pk=pk)


# Merge ------------------------------------------------------------------------------------------


class MergeForm(forms.Form):
    into = forms.CharField(
        label="Merge into ticket",
        max_length=40,
        help_text="Its number (T-2026-00042) or id.",
        widget=forms.TextInput(attrs={"placeholder": "T-2026-00042"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="merge-%s", **kwargs)


def _merge_page(request, ticket, form, target=None, status=200):
    context = {"ticket": ticket, "form": form, "target": target}
    return render(request, "tickets/merge_confirm.html", context, status=status)


@login_required
@permission_required("tickets.change_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ticket_merge(request, pk: int):
    """GET ``?into=``: the two tickets side by side and a button to confirm; POST merges and
    shows the target."""
    ticket = _visible_ticket_or_404(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    form = MergeForm(data if "into" in data else None)
    if not form.is_bound:
        return _merge_page(request, ticket, form)
    if not form.is_valid():
        return _merge_page(request, ticket, form, status=400)
    target = merging.ticket_by_reference(request.user, form.cleaned_data["into"])
    if target is None:
        form.add_error("into", "No such ticket.")
        return _merge_page(request, ticket, form, status=400)
    if request.method == "GET":
        try:
            merging.check_mergeable(ticket, target)
        except DomainError as error:
            form.add_error("into", error.detail)
            return _merge_page(request, ticket, form, status=error.status)
        return _merge_page(request, ticket, form, target=target)
    try:
        services.ticket_merge(source=ticket, target=target, actor=request.user)
    except DomainError as error:
        apply_domain_error(form, error)
        messages.error(request, error.detail)
        return _merge_page(request, ticket, form, target=target, status=error.status)
    messages.success(request, f"{ticket.number} merged into {target.number}.")
    return redirect("tickets:detail", pk=target.pk)


# Watchers ---------------------------------------------------------------------------------------


def _watch_change(request, pk: int, service, done: str):
    ticket = _visible_ticket_or_404(request, pk)
    user = None
    chosen = request.POST.get("user", "").strip()
    if chosen:
        valid = chosen.isascii() and chosen.isdigit() and len(chosen) < 10
        user = staff_users().filter(pk=int(chosen)).first() if valid else None
        if user is None:
            messages.error(request, "No such colleague.")
            return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#facts")
    try:
        service(ticket=ticket, actor=request.user, user=user)
    except DomainError as error:
        messages.error(request, error.detail)
        context = views.detail_context(request, ticket)
        return render(request, "tickets/detail.html", context, status=error.status)
    who = "You" if user is None or user.pk == request.user.pk else user.get_username()
    messages.success(request, f"{who} {done} {ticket.number}.")
    if not selectors.ticket_visible_to(request.user).filter(pk=ticket.pk).exists():
        return redirect("tickets:list")
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#facts")


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_POST
def ticket_watch(request, pk: int):
    return _watch_change(request, pk, services.ticket_watch, "now watch")


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_POST
def ticket_unwatch(request, pk: int):
    return _watch_change(request, pk, services.ticket_unwatch, "no longer watch")


# Availability and teams -------------------------------------------------------------------------


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_POST
def availability(request):
    """Available / away: oneself, or (support managers, from the teams page) an agent."""
    agent = request.user
    chosen = request.POST.get("user", "").strip()
    if chosen:
        valid = chosen.isascii() and chosen.isdigit() and len(chosen) < 10
        agent = staff_users().filter(pk=int(chosen)).first() if valid else None
        if agent is None:
            messages.error(request, "No such colleague.")
            return redirect("tickets:teams")
    available = request.POST.get("is_available", "") in ("1", "true", "on")
    try:
        routing.agent_availability_set(agent=agent, is_available=available, actor=request.user)
    except DomainError as error:
        raise PermissionDenied(error.detail) from error
    who = "You are" if agent.pk == request.user.pk else f"{agent.get_username()} is"
    messages.success(request, f"{who} {'available' if available else 'away'}.")
    return redirect("tickets:teams" if request.POST.get("next") == "teams" else "tickets:queue")


def _team_rows():
    teams = list(
        routing.support_teams().annotate(
            unassigned=Count(
                "tickets",
                filter=Q(tickets__assignee__isnull=True, tickets__state__in=Ticket.OPEN_STATES),
            )
        )
    )
    routings = {
        r.team_id: r
        for r in TeamRouting.objects.filter(team__in=teams).select_related("last_assigned")
    }
    rows = []
    for team in teams:
        setting = routings.get(team.pk)
        mode = setting.mode if setting else TeamRouting.Mode.MANUAL
        rows.append(
            {
                "team": team,
                "routing": setting,
                "mode": mode,
                "mode_label": TeamRouting.Mode(mode).label,
                "unassigned": team.unassigned,
                "agents": list(routing.support_members(team.pk)),
            }
        )
    return rows


@login_required
@permission_required("tickets.assign_ticket", raise_exception=True)
@require_GET
def teams(request):
    context = {
        "teams": _team_rows(),
        "modes": TeamRouting.Mode.choices,
        "can_configure": request.user.has_perm("tickets.change_teamrouting"),
    }
    return render(request, "tickets/teams.html", context)


@login_required
@permission_required("tickets.change_teamrouting", raise_exception=True)
@require_POST
def team_routing(request, pk: int):
    team = get_object_or_404(Team, pk=pk)
    limit = request.POST.get("max_open_per_agent", "").strip()
    if limit and not (limit.isascii() and limit.isdigit() and len(limit) < 6):
        messages.error(request, "The limit is a whole number of tickets, or empty.")
        return redirect("tickets:teams")
    try:
        routing.team_routing_set(
            team=team,
            mode=request.POST.get("mode", ""),
            max_open_per_agent=int(limit) if limit else None,
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("tickets:teams")
    messages.success(request, f"Routing of {team.name} saved.")
    return redirect(reverse("tickets:teams") + f"#team-{team.pk}")
