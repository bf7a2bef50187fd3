"""Staff UI of quotes: the list with search as you type, the detail page with the decisions
(hold, approve, send back, the customer's answer by phone, revise, duplicate), and the hooks
into the base (customer 360 tab, global search). The builder is ``quotes.builder_views``; the
"Send" button opens the e-mail dialog of ``quotes.send_views`` (``quotes:send``).

Views stay thin: reads go through ``quotes.selectors``, writes through ``quotes.services``; a
``DomainError`` becomes a message (and its status) or a form error.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from quotes import selectors, services
from quotes.builder_views import visible_quote_or_404
from quotes.filters import QuoteFilter
from quotes.forms import AcceptForm, NoteForm, RejectForm, SendBackForm
from quotes.models import Quote
from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error
from sfa.core.fsm import available_transitions, transition_history
from sfa.core.lists import filtered_list, list_page, render_list

LIST_PARAMS = frozenset(QuoteFilter.base_filters)
# What "Send" (``quotes:send``, the e-mail dialog) may do: send, or hold a risky draft.
SENDING = {"send", "send_approved", "submit"}


# List -----------------------------------------------------------------------------------------


def filtered_quotes(user, params):
    """The filter form and the quotes: the API's parameters and read path."""
    return filtered_list(selectors.quote_list, QuoteFilter, user=user, params=params)


@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_GET
def quote_list(request):
    form, quotes = filtered_quotes(request.user, request.GET)
    page, query = list_page(request, quotes, params=LIST_PARAMS)
    return render_list(
        request,
        template="quotes/list.html",
        results_template="quotes/partials/quote_results.html",
        results_id="quote-results",
        context={"filter_form": form, "page": page, "query": query},
    )


# Detail and decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A decision on the detail page: its form (if any) and what it does."""

    form: type[forms.Form] | None
    run: Callable  # (quote, actor, data) -> (quote to show, message)
    permission: str = "quotes.change_quote"


def _submit(quote, actor, data):
    held = services.quote_submit(quote=quote, actor=actor, note=data["note"])
    return held, f"Quote {held} is held for a sales manager's approval."


def _approve(quote, actor, data):
    approved = services.quote_approve(quote=quote, actor=actor, note=data["note"])
    return approved, f"Quote {approved} approved: it may be sent."


def _send_back(quote, actor, data):
    draft = services.quote_send_back(quote=quote, actor=actor, reason=data["reason"])
    return draft, f"Quote {draft} sent back to draft."


def _accept(quote, actor, data):
    accepted = services.quote_accept(
        quote=quote, actor=actor, name=data["name"], comment=data["comment"], channel="phone"
    )
    return accepted, f"Quote {accepted}: acceptance by {accepted.answered_by_name} recorded."


def _reject(quote, actor, data):
    rejected = services.quote_reject(
        quote=quote,
        actor=actor,
        name=data["name"],
        reason=data["reason"],
        comment=data["comment"],
        channel="phone",
    )
    return rejected, f"Quote {rejected}: rejection recorded."


def _revise(quote, actor, data):
    revised = services.quote_revise(quote=quote, actor=actor)
    return revised, f"Quote {revised} is a new draft; version {quote.version} is superseded."


def _duplicate(quote, actor, data):
    copy = services.quote_duplicate(quote=quote, actor=actor)
    return copy, f"Quote {copy} is a copy of {quote}."


ACTIONS = {
    "submit": Action(NoteForm, _submit),
    "approve": Action(NoteForm, _approve),
    "send_back": Action(SendBackForm, _send_back),
    "accept": Action(AcceptForm, _accept),
    "reject": Action(RejectForm, _reject),
    "revise": Action(None, _revise),
    "duplicate": Action(None, _duplicate, permission="quotes.add_quote"),
}
# New drafts open in the builder; the rest stay on the quote's page.
OPENS_BUILDER = {"revise", "duplicate"}


def decision_forms(data=None, name: str | None = None, bound=None) -> dict:
    """One unbound form per decision, ids of their own (the page holds several); ``bound``
    replaces the one called ``name``."""
    found = {
        key: action.form(auto_id=f"{key}-%s")
        for key, action in ACTIONS.items()
        if action.form is not None
    }
    if name is not None and bound is not None:
        found[name] = bound
    return found


def _may_send_again(quote: Quote) -> bool:
    """A sent quote still valid goes out again (to other contacts, the same PDF)."""
    return quote.state == Quote.State.SENT and not quote.is_past_validity()


def detail_context(request, quote: Quote, **extra) -> dict:
    user = request.user
    allowed = set(available_transitions(quote, user))
    may_change = user.has_perm("quotes.change_quote")
    visible = selectors.quote_visible_to(user).values("pk")
    context = {
        "quote": quote,
        "lines": list(quote.lines.select_related("product").order_by("position", "pk")),
        "versions": selectors.versions_of(quote).filter(pk__in=visible).select_related("owner"),
        "log": transition_history(quote),
        "can_edit": may_change and quote.is_editable,
        "can_send": may_change and (bool(allowed & SENDING) or _may_send_again(quote)),
        "can_submit": may_change and "submit" in allowed and bool(quote.approval_reasons),
        "can_approve": may_change and "approve" in allowed,
        "can_send_back": may_change and "send_back" in allowed,
        "can_answer": may_change and bool(allowed & {"accept", "reject"}),
        "can_revise": may_change and "supersede" in allowed,
        "can_duplicate": user.has_perm("quotes.add_quote"),
        "forms": decision_forms(),
    }
    context.update(extra)
    return context


@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_GET
def quote_detail(request, pk: int):
    quote = visible_quote_or_404(request, pk)
    return render(request, "quotes/detail.html", detail_context(request, quote))


def _refused(request, quote: Quote, error: DomainError, forms_: dict | None = None):
    """The quote's page again with the reason, answered with the error's status."""
    messages.error(request, error.detail)
    quote = visible_quote_or_404(request, quote.pk)
    context = detail_context(request, quote, **({"forms": forms_} if forms_ else {}))
    return render(request, "quotes/detail.html", context, status=error.status)


@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_POST
def quote_action(request, pk: int, name: str):
    quote = visible_quote_or_404(request, pk)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404
    if not request.user.has_perm(action.permission):
        raise PermissionDenied
    form, data = None, {}
    if action.form is not None:
        form = action.form(request.POST, auto_id=f"{name}-%s")
        if not form.is_valid():
            context = detail_context(request, quote, forms=decision_forms(name=name, bound=form))
            return render(request, "quotes/detail.html", context, status=400)
        data = form.cleaned_data
    try:
        shown, message = action.run(quote, request.user, data)
    except DomainError as error:
        if form is not None and error.fields:
            apply_domain_error(form, error)
        return _refused(request, quote, error, decision_forms(name=name, bound=form))
    messages.success(request, message)
    if name in OPENS_BUILDER:
        return redirect("quotes:edit", pk=shown.pk)
    return redirect("quotes:detail", pk=shown.pk)


# Hooks into the shared base ------------------------------------------------------------------


def _account_quotes(request, account):
    return selectors.quote_visible_to(request.user).filter(account=account)


def account_tab_context(request, account) -> dict:
    quotes = selectors.with_list_relations(_account_quotes(request, account))
    return {"quotes": quotes[:100]}


def account_tab_count(request, account) -> int:
    return _account_quotes(request, account).filter(state__in=Quote.OPEN_STATES).count()


def quote_search_provider(user, text: str, limit: int):
    if not user.has_perm("quotes.view_quote"):
        return "Quotes", []
    quotes = selectors.quote_quick_find(
        selectors.with_list_relations(selectors.quote_visible_to(user)), text
    )[:limit]
    return "Quotes", [
        (
            f"{quote} · {quote.account.name}",
            f"{quote.get_state_display()} · {quote.issue_date:%Y-%m-%d} · "
            f"{quote.total} {quote.currency}",
            reverse("quotes:detail", args=[quote.pk]),
        )
        for quote in quotes
    ]
