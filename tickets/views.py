"""Staff UI of the support desk: the ticket list with search as you type, "My queue" sorted by
SLA urgency, a new ticket, and the ticket page (facts, SLA, conversation, reply box, state
buttons, triage, state log, changes). Plus the hooks into the base: the customer 360 tab and
the global search.

Views stay thin: reads go through ``tickets.selectors``, writes through ``tickets.services``;
a ``DomainError`` becomes a form error or a message, answered with the error's status.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sfa.core import knowledge
from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error
from sfa.core.fsm import available_transitions, transition_history
from sfa.core.history import record_changes
from sfa.core.http import file_download
from sfa.core.lists import filtered_list, list_page, render_list
from sfa.core.pagination import CappedPaginator
from sfa.customers.forms import customer_picker
from tickets import canned, selectors, services
from tickets.filters import TicketFilter
from tickets.forms import NoteForm, ReplyForm, TicketForm, TriageForm
from tickets.models import Ticket

LIST_PARAMS = frozenset(TicketFilter.base_filters)
# Transition name → (service, button label), in the order the buttons show.
TRANSITIONS = {
    "open": (services.ticket_open, "Open"),
    "wait_on_customer": (services.ticket_wait_on_customer, "Wait on customer"),
    "resolve": (services.ticket_resolve, "Resolve"),
    "close": (services.ticket_close, "Close"),
    "reopen": (services.ticket_reopen, "Reopen"),
}
# The headline of a ticket's two SLA clocks: the worse one.
SEVERITY = ("breached", "at_risk", "paused", "on_track", "met", "none")


def visible_ticket_or_404(request, pk: int) -> Ticket:
    queryset = selectors.with_detail_relations(selectors.ticket_visible_to(request.user))
    return get_object_or_404(queryset, pk=pk)


# SLA ------------------------------------------------------------------------------------------


def with_sla(tickets, now: datetime.datetime | None = None) -> list[Ticket]:
    """The tickets as a list, each with ``sla`` (both clocks), ``sla_headline`` and
    ``next_due`` (first response while unanswered, else resolution) for the templates."""
    tickets = list(tickets)
    now, schedules = now or timezone.now(), {}  # each calendar read once for the page
    for ticket in tickets:
        status = services.sla_status(ticket, now, schedules)
        ticket.sla = status
        ticket.sla_headline = min(status.values(), key=SEVERITY.index)
        if not hasattr(ticket, "next_due"):
            unanswered = ticket.first_responded_at is None
            ticket.next_due = ticket.first_response_due if unanswered else ticket.resolution_due
    return tickets


# List and queue ---------------------------------------------------------------------------------


def filtered_tickets(user, params):
    """The filter form and the tickets: the API's parameters and read path."""
    return filtered_list(selectors.ticket_list, TicketFilter, user=user, params=params)


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_GET
def ticket_list(request):
    form, tickets = filtered_tickets(request.user, request.GET)
    page, query = list_page(request, tickets, params=LIST_PARAMS)
    page.object_list = with_sla(page.object_list)
    return render_list(
        request,
        template="tickets/list.html",
        results_template="tickets/partials/ticket_results.html",
        results_id="ticket-results",
        context={"filter_form": form, "page": page, "query": query},
    )


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_GET
def my_queue(request):
    """Open tickets assigned to me or unassigned in my teams, the most urgent first."""
    queue = selectors.with_list_relations(selectors.my_queue(request.user))
    page = CappedPaginator(queue, 50).get_page(request.GET.get("page"))
    page.object_list = with_sla(page.object_list)
    return render(request, "tickets/queue.html", {"page": page, "query": ""})


# New ticket -------------------------------------------------------------------------------------


@login_required
@permission_required("tickets.add_ticket", raise_exception=True)
def ticket_create(request):
    initial = {"channel": Ticket.Channel.PHONE, "priority": Ticket.Priority.NORMAL}
    if request.GET.get("account", "").isdigit():
        initial["account"] = request.GET["account"]
    if not request.user.has_perm("tickets.assign_ticket"):
        initial["assignee"] = request.user
    form = TicketForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            ticket = services.ticket_create(actor=request.user, data=data)
        except DomainError as error:
            apply_domain_error(form, error)
            messages.error(request, error.detail)
        else:
            messages.success(request, f"Ticket {ticket.number} opened.")
            if not selectors.ticket_visible_to(request.user).filter(pk=ticket.pk).exists():
                return redirect("tickets:list")
            return redirect("tickets:detail", pk=ticket.pk)
    context = {
        "form": form,
        "picker": customer_picker(request.user, form["account"].value(), form["contact"].value()),
    }
    return render(request, "tickets/form.html", context, status=400 if form.is_bound else 200)


# Detail, reply, triage, transitions ---------------------------------------------------------------

UNLISTED = [
    "created_at", "updated_at", "state", "state_changed_at", "paused_since", "paused_minutes",
    "first_responded_at", "resolved_at", "closed_at",
]  # fmt: skip


def detail_context(request, ticket: Ticket, **extra) -> dict:
    user = request.user
    may_change = user.has_perm("tickets.change_ticket")
    allowed = set(available_transitions(ticket, user)) if may_change else set()
    with_sla([ticket])
    records = ticket.history.select_related("history_user").order_by("-history_date", "-history_id")
    context = {
        "ticket": ticket,
        "comments": ticket.comments.select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk"),
        "request_files": ticket.attachments.filter(comment__isnull=True),
        "watchers": ticket.watchers.all(),
        "tags": [tag.strip() for tag in ticket.tags.split(",") if tag.strip()],
        "transitions": [(n, label) for n, (_s, label) in TRANSITIONS.items() if n in allowed],
        "can_reply": user.has_perm("tickets.add_ticketcomment"),
        "can_change": may_change,
        "reply_form": ReplyForm(),
        "triage_form": TriageForm(instance=ticket, user=user),
        "note_form": NoteForm(auto_id="note-%s"),
        "log": transition_history(ticket),
        "changes": record_changes(records, hidden=frozenset(UNLISTED)),
    }
    context.update(assist_context(request, ticket))
    context.update(extra)
    return context


def _refused(request, pk: int, error: DomainError, **forms):
    """The ticket's page again with the reason, answered with the error's status."""
    messages.error(request, error.detail)
    ticket = visible_ticket_or_404(request, pk)
    context = detail_context(request, ticket, **forms)
    return render(request, "tickets/detail.html", context, status=error.status)


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_GET
def ticket_detail(request, pk: int):
    ticket = visible_ticket_or_404(request, pk)
    return render(request, "tickets/detail.html", detail_context(request, ticket))


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_POST
def ticket_reply(request, pk: int):
    ticket = visible_ticket_or_404(request, pk)
    if not request.user.has_perm("tickets.add_ticketcomment"):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        context = detail_context(request, ticket, reply_form=form)
        return render(request, "tickets/detail.html", context, status=400)
    public = form.cleaned_data["visibility"] == ReplyForm.PUBLIC
    try:
        services.ticket_reply(
            ticket=ticket,
            actor=request.user,
            body=form.cleaned_data["body"],
            public=public,
            uploads=form.cleaned_data["files"],
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _refused(request, pk, error, reply_form=form)
    messages.success(request, "Reply sent." if public else "Internal note added.")
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#conversation")


@login_required
@permission_required("tickets.change_ticket", raise_exception=True)
@require_POST
def ticket_triage(request, pk: int):
    ticket = visible_ticket_or_404(request, pk)
    form = TriageForm(
        request.POST,
        instance=selectors.ticket_visible_to(request.user).get(pk=ticket.pk),
        user=request.user,
    )
    if not form.is_valid():
        context = detail_context(request, ticket, triage_form=form)
        return render(request, "tickets/detail.html", context, status=400)
    data = {name: form.cleaned_data[name] for name in form.changed_data}
    if not data:
        messages.info(request, "Nothing changed.")
        return redirect("tickets:detail", pk=ticket.pk)
    try:
        saved = services.ticket_update(ticket=ticket, actor=request.user, data=data)
    except DomainError as error:
        apply_domain_error(form, error)
        return _refused(request, pk, error, triage_form=form)
    messages.success(request, f"Ticket {saved.number} saved.")
    if not selectors.ticket_visible_to(request.user).filter(pk=saved.pk).exists():
        return redirect("tickets:list")
    return redirect("tickets:detail", pk=saved.pk)


@login_required
@permission_required("tickets.change_ticket", raise_exception=True)
@require_POST
def ticket_transition(request, pk: int, name: str):
    ticket = visible_ticket_or_404(request, pk)
    if name not in TRANSITIONS:
        raise Http404
    service, label = TRANSITIONS[name]
    form = NoteForm(request.POST, auto_id="note-%s")
    note = form.cleaned_data["note"].strip() if form.is_valid() else ""
    try:
        service(ticket=ticket, actor=request.user, note=note)
    except DomainError as error:
        return _refused(request, pk, error)
    messages.success(request, f"Ticket {ticket.number}: {label.lower()} done.")
    return redirect("tickets:detail", pk=ticket.pk)


# Canned responses and knowledge-base articles on the ticket page ------------------------------

SUGGESTIONS = 5


def canned_groups(responses) -> list[tuple[str, list]]:
    """The reply box's picker: the agent's own responses, then each team's, then everyone's."""
    groups: dict[str, list] = {}
    for response in responses:
        if response.owner_id:
            label = "My responses"
        elif response.team_id:
            label = f"Team {response.team.name}"
        else:
            label = "Shared"
        groups.setdefault(label, []).append(response)
    order = {"My responses": 0, "Shared": 2}
    return sorted(groups.items(), key=lambda item: (order.get(item[0], 1), item[0]))


def assist_context(request, ticket: Ticket) -> dict:
    user = request.user
    return {
        "canned_groups": canned_groups(canned.responses_for(user)),
        "kb_available": knowledge.is_available(),
        "kb_linked": knowledge.linked(ticket, user=user),
        "can_link_articles": user.has_perm("tickets.change_ticket"),
        "can_reply": user.has_perm("tickets.add_ticketcomment"),
    }


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ticket_canned(request, pk: int, response_pk: int):
    """A canned response filled in for the ticket as JSON ``{"title", "body",
    "unknown_fields"}``: GET previews it, POST (the reply box inserting it) counts the use."""
    ticket = visible_ticket_or_404(request, pk)
    response = get_object_or_404(canned.responses_for(request.user), pk=response_pk)
    if request.method == "POST":
        if not request.user.has_perm("tickets.add_ticketcomment"):
            raise PermissionDenied
        merged = canned.canned_response_use(response=response, ticket=ticket, actor=request.user)
    else:
        merged = canned.merge(response.body, ticket=ticket, agent=request.user)
    return JsonResponse(
        {"title": response.title, "body": merged.text, "unknown_fields": merged.unknown_fields}
    )


def _linked_panel(request, ticket: Ticket, *, error: str = "", status: int = 200):
    context = {"ticket": ticket, **assist_context(request, ticket), "kb_error": error}
    response = render(request, "tickets/partials/kb_linked.html", context, status=status)
    if status == 200:
        response["HX-Trigger"] = "kbLinksChanged"
    return response


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_GET
def ticket_suggestions(request, pk: int):
    """Suggested articles (partial): for the search box's ``q``, else the ticket's subject,
    the reply being written (``draft``) and the description."""
    ticket = visible_ticket_or_404(request, pk)
    query = request.GET.get("q", "").strip()[:200]
    text = query or " ".join(
        (ticket.subject, request.GET.get("draft", "")[:1000], ticket.description[:2000])
    )
    context = {
        "ticket": ticket,
        "suggestions": knowledge.suggest(text, user=request.user, limit=SUGGESTIONS),
        "linked_ids": {article.id for article in knowledge.linked(ticket, user=request.user)},
        "query": query,
        "can_link_articles": request.user.has_perm("tickets.change_ticket"),
        "can_reply": request.user.has_perm("tickets.add_ticketcomment"),
    }
    return render(request, "tickets/partials/kb_suggestions.html", context)


@login_required
@permission_required("tickets.change_ticket", raise_exception=True)
@require_POST
def ticket_article_link(request, pk: int):
    ticket = visible_ticket_or_404(request, pk)
    article_id = request.POST.get("article", "").strip()
    valid = article_id.isascii() and article_id.isdigit() and len(article_id) < 19
    found = knowledge.link(int(article_id), ticket, actor=request.user) if valid else None
    if found is None:
        error = "No published article with this number."
        if request.htmx:
            return _linked_panel(request, ticket, error=error, status=400)
        messages.error(request, error)
    elif not request.htmx:
        messages.success(request, f"“{found.title}” linked to the ticket.")
    if request.htmx:
        return _linked_panel(request, ticket)
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#kb-linked")


@login_required
@permission_required("tickets.change_ticket", raise_exception=True)
@require_POST
def ticket_article_unlink(request, pk: int, article_id: int):
    ticket = visible_ticket_or_404(request, pk)
    if not knowledge.unlink(article_id, ticket, actor=request.user):
        raise Http404
    if request.htmx:
        return _linked_panel(request, ticket)
    messages.success(request, "Article unlinked.")
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#kb-linked")


# Hooks into the shared base ------------------------------------------------------------------


def _account_tickets(request, account):
    return selectors.ticket_visible_to(request.user).filter(account=account)


def account_tab_context(request, account) -> dict:
    tickets = selectors.with_list_relations(_account_tickets(request, account))
    return {"tickets": with_sla(tickets[:100])}


def account_tab_count(request, account) -> int:
    return _account_tickets(request, account).filter(state__in=Ticket.OPEN_STATES).count()


def ticket_search_provider(user, text: str, limit: int):
    if not user.has_perm("tickets.view_ticket"):
        return "Tickets", []
    tickets = selectors.ticket_quick_find(
        selectors.with_list_relations(selectors.ticket_visible_to(user)), text
    )[:limit]
    return "Tickets", [
        (
            f"{ticket.number} · {ticket.subject}",
            " · ".join(
                part
                for part in (
                    ticket.get_state_display(),
                    ticket.get_priority_display(),
                    ticket.account.name if ticket.account_id else "",
                )
                if part
            ),
            reverse("tickets:detail", args=[ticket.pk]),
        )
        for ticket in tickets
    ]


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
@require_GET
def ticket_attachment(request, pk: int, attachment_pk: int):
    """A file of a ticket the user can see, as a download (never rendered inline)."""
    ticket = visible_ticket_or_404(request, pk)
    attachment = get_object_or_404(ticket.attachments, pk=attachment_pk)
    return file_download(
        attachment.file, filename=attachment.filename, content_type=attachment.content_type
    )
