"""Staff UI of opportunities: the list and the detail page with its stage moves, and the
hooks into the base (customer 360 tab, what activities may regard). The other pages have
modules of their own: ``form_views`` (create, edit), ``board_views`` (pipeline board),
``forecast_views``, ``quota_views``, ``conversion_views`` (an enquiry into a deal).

Views stay thin: reads go through ``opportunities.selectors``, writes through
``opportunities.services``; a ``DomainError`` becomes a form error or a message. Other
modules add panels to the detail page (``sfa.core.panels``: quotes add theirs).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from opportunities import selectors, services
from opportunities.filters import OpportunityFilter
from opportunities.models import OPEN_STAGES, LostReason, Opportunity, Stage
from sfa.core.exceptions import DomainError, InvalidInput
from sfa.core.fsm import available_transitions, transition_history
from sfa.core.lists import filtered_list, list_page
from sfa.customers.selectors import (
    activities_regarding,
    documents_regarding,
    reminders_regarding,
)


def visible_opportunities(request):
    """The deals the user sees, with what lists and pages show of them."""
    return selectors.with_list_relations(selectors.opportunity_visible_to(request.user))


def opportunity_url(deal: Opportunity) -> str:
    return reverse("opportunities:detail", args=[deal.pk])


def opportunity_label(deal: Opportunity) -> str:
    return deal.title


def account_tab_context(request, account) -> dict:
    deals = selectors.with_list_relations(
        selectors.opportunity_visible_to(request.user).filter(account=account)
    ).order_by("closed_at", "expected_close_date", "pk")
    return {"opportunities": deals}


def account_tab_count(request, account) -> int:
    return (
        selectors.opportunity_visible_to(request.user)
        .filter(account=account, closed_at__isnull=True)
        .count()
    )


# List and detail -------------------------------------------------------------------------------


@login_required
@permission_required("opportunities.view_opportunity", raise_exception=True)
@require_GET
def opportunity_list(request):
    form, deals = filtered_list(
        selectors.opportunity_list, OpportunityFilter, user=request.user, params=request.GET
    )
    page, query = list_page(request, deals, params=frozenset(OpportunityFilter.base_filters))
    context = {
        "filter_form": form,
        "page": page,
        "states": request.GET.getlist("state"),
        "stage_choices": Stage.choices,
        "query": query,
    }
    return render(request, "opportunities/list.html", context)


@login_required
@permission_required("opportunities.view_opportunity", raise_exception=True)
def opportunity_detail(request, pk: int):
    deal = get_object_or_404(visible_opportunities(request).select_related("source_lead"), pk=pk)
    if request.method == "POST":
        _run_transition(request, deal)
        return redirect("opportunities:detail", pk=deal.pk)
    return render(
        request,
        "opportunities/detail.html",
        {
            "deal": deal,
            "lines": deal.lines.select_related("product"),
            "transitions": available_transitions(deal, request.user),
            "open_stages": [(s, s.label) for s in OPEN_STAGES if s != deal.state],
            "lost_reasons": LostReason.objects.filter(is_active=True),
            "log": transition_history(deal),
            "can_edit": deal.is_open and request.user.has_perm("opportunities.change_opportunity"),
            # what was logged on the enquiry it came from moved here on conversion
            "activities": activities_regarding(user=request.user, record=deal),
            "reminders": reminders_regarding(user=request.user, record=deal),
            "documents": documents_regarding(user=request.user, record=deal),
        },
    )


def _run_transition(request, deal) -> None:
    name = request.POST.get("transition")
    try:
        if name == "move":
            services.opportunity_move(
                opportunity=deal, actor=request.user, stage=request.POST.get("stage", "")
            )
        elif name == "win":
            services.opportunity_win(opportunity=deal, actor=request.user)
        elif name == "lose":
            reason = LostReason.objects.filter(pk=request.POST.get("reason") or 0).first()
            if reason is None:
                raise InvalidInput(
                    "Choose why the opportunity was lost.", fields={"reason": ["Required."]}
                )
            services.opportunity_lose(
                opportunity=deal,
                actor=request.user,
                reason=reason,
                detail=request.POST.get("detail", "")[:300],
            )
        elif name == "reopen":
            services.opportunity_reopen(opportunity=deal, actor=request.user)
        else:
            raise InvalidInput("Unknown action.")
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Saved.")
