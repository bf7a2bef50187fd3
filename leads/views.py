"""Staff UI of enquiries: list, one-form logging with lines, detail with the state buttons.

Views stay thin: reads go through ``leads.selectors``, writes through ``leads.services``; a
``DomainError`` becomes a form error or a message with the error's status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from leads import selectors, services
from leads.filters import LeadFilter
from leads.forms import PROSPECT, DisqualifyForm, LeadForm, ReassignForm
from leads.models import Lead
from sfa.catalog.forms import (
    apply_line_errors,
    attach_products,
    kept_rows,
    line_formset,
    lines_preview,
)
from sfa.catalog.selectors import product_visible_to
from sfa.core.exceptions import DomainError
from sfa.core.fsm import available_transitions, transition_history
from sfa.core.history import Change, record_changes
from sfa.core.lists import filtered_list, list_page, render_list
from sfa.customers.forms import ActivityForm, DocumentForm, ReminderForm, customer_picker
from sfa.customers.selectors import (
    account_visible_to,
    activities_regarding,
    documents_regarding,
    reminders_regarding,
)

LIST_PARAMS = frozenset(LeadFilter.base_filters)
# Transition name → (service, button label); "convert" belongs to the opportunities module.
TRANSITIONS = {
    "mark_contacted": (services.lead_mark_contacted, "Mark contacted"),
    "qualify": (services.lead_qualify, "Qualify"),
    "disqualify": (services.lead_disqualify, "Disqualify"),
    "recycle": (services.lead_recycle, "Recycle"),
}


def visible_lead_or_404(request, pk: int) -> Lead:
    queryset = selectors.with_record_relations(selectors.lead_visible_to(request.user))
    return get_object_or_404(queryset, pk=pk)


# List -----------------------------------------------------------------------------------------


def filtered_leads(user, params):
    """The filter form and the enquiries: the API's parameters and read path."""
    return filtered_list(selectors.lead_list, LeadFilter, user=user, params=params)


@login_required
@permission_required("leads.view_lead", raise_exception=True)
@require_GET
def lead_list(request):
    form, leads = filtered_leads(request.user, request.GET)
    page, query = list_page(request, leads, params=LIST_PARAMS)
    return render_list(
        request,
        template="leads/lead_list.html",
        results_template="leads/partials/lead_results.html",
        results_id="lead-results",
        context={"filter_form": form, "page": page, "query": query},
    )


# The enquiry form -----------------------------------------------------------------------------


def _form_context(request, form, formset, lead: Lead | None = None) -> dict:
    account = _chosen_account(request, form)
    attach_products(product_visible_to(request.user), formset)
    return {
        "form": form,
        "formset": formset,
        "lead": lead,
        "picker": customer_picker(request.user, account, form["contact"].value()),
        "prospect_fields": [form[name] for name in PROSPECT],
        "preview": _preview(account, formset, form) if form.is_bound else None,
    }


def _preview(account, formset, form) -> dict:
    """The lines priced for the enquiry's date (today while the form is incomplete)."""
    on = form.cleaned_data.get("enquiry_date") if form.is_valid() else None
    return lines_preview(formset, account=account, on=on)


def _chosen_account(request, form):
    value = form["account"].value()
    if not value or not str(value).isdigit():
        return None
    return account_visible_to(request.user).filter(pk=value).first()


def _save(request, form, formset, lead: Lead | None):
    """Call the service; on a DomainError put its errors on the forms and return None."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    rows = kept_rows(formset)
    data = dict(form.cleaned_data)
    lines = [row.line_data() for row in rows]
    try:
        owner = data.pop("owner")
        if lead is None:
            return services.lead_create(
                actor=request.user,
                data={**data, "owner": owner} if owner else data,
                lines=lines,
                assign_by_rules=owner is None,
            )
        saved = services.lead_update(lead=lead, actor=request.user, data=data, lines=lines)
        if owner is not None and owner != saved.owner:
            saved = services.lead_reassign(lead=saved, actor=request.user, owner=owner)
        return saved
    except DomainError as error:
        apply_line_errors(form, rows, error)
        return None


@login_required
@permission_required("leads.add_lead", raise_exception=True)
def lead_create(request):
    initial = {"owner": request.user, "source": Lead.Source.OTHER}
    if request.GET.get("account", "").isdigit():
        initial["account"] = request.GET["account"]
    form = LeadForm(request.POST or None, user=request.user, initial=initial)
    formset = line_formset(request)
    if request.method == "POST":
        lead = _save(request, form, formset, None)
        if lead is not None:
            handed = f" It went to {lead.owner}." if lead.owner != request.user else ""
            messages.success(request, f"Enquiry {lead.number} saved.{handed}")
            if not selectors.lead_visible_to(request.user).filter(pk=lead.pk).exists():
                return redirect("leads:list")
            return redirect("leads:detail", pk=lead.pk)
    context = _form_context(request, form, formset)
    return render(request, "leads/lead_form.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("leads.change_lead", raise_exception=True)
def lead_edit(request, pk: int):
    lead = visible_lead_or_404(request, pk)
    if not lead.is_open:
        messages.error(
            request, f"An enquiry that is {lead.get_state_display().lower()} cannot be changed."
        )
        return redirect("leads:detail", pk=lead.pk)
    form = LeadForm(
        request.POST or None,
        user=request.user,
        instance=selectors.lead_visible_to(request.user).get(pk=lead.pk),
    )
    formset = line_formset(request, lead)
    if request.method == "POST":
        saved = _save(request, form, formset, lead)
        if saved is not None:
            messages.success(request, f"Enquiry {saved.number} saved.")
            if not selectors.lead_visible_to(request.user).filter(pk=saved.pk).exists():
                return redirect("leads:list")
            return redirect("leads:detail", pk=saved.pk)
    context = _form_context(request, form, formset, lead)
    return render(request, "leads/lead_form.html", context, status=400 if form.is_bound else 200)


# Detail, transitions, reassignment -------------------------------------------------------------


def can_reassign(user, lead: Lead) -> bool:
    return lead.owner_id == user.pk or user.has_perm("leads.reassign_lead")


# Left out of "Changes": the state log shows state moves; timestamps say nothing.
UNLISTED = ["created_at", "updated_at", "state", "state_changed_at", "disqualify_reason"]


def _history(lead: Lead) -> list[Change]:
    """The enquiry's recorded changes, newest first, field by field."""
    records = lead.history.select_related("history_user").order_by("-history_date", "-history_id")
    return record_changes(records, hidden=frozenset(UNLISTED))


def detail_context(request, lead: Lead, **extra) -> dict:
    allowed = available_transitions(lead, request.user)
    context = {
        "lead": lead,
        "lines": lead.lines.select_related("product"),
        "transitions": [(name, TRANSITIONS[name][1]) for name in allowed if name in TRANSITIONS],
        "can_edit": lead.is_open and request.user.has_perm("leads.change_lead"),
        "can_reassign": can_reassign(request.user, lead),
        "disqualify_form": DisqualifyForm(),
        "reassign_form": ReassignForm(initial={"owner": lead.owner_id}),
        "log": transition_history(lead),
        "changes": _history(lead),
        **records_context(request, lead),
    }
    context.update(extra)
    return context


def records_context(request, lead: Lead, **forms) -> dict:
    """The enquiry's own activities, reminders and documents and the forms to add more (see
    ``leads.record_views``); none once converted: they moved to the customer and the deal."""
    user = request.user
    return {
        "activities": activities_regarding(user=user, record=lead)[:100],
        "reminders": reminders_regarding(user=user, record=lead),
        "documents": documents_regarding(user=user, record=lead),
        "takes_records": lead_takes_records(lead),
        "activity_form": activity_form(lead),
        "reminder_form": reminder_form(lead, initial={"assignee": user}),
        "document_form": document_form(),
        **forms,
    }


# The customer 360 tabs' forms, with ids of their own: the page holds several.


def activity_form(lead: Lead, *args, **kwargs) -> ActivityForm:
    account = lead_account(lead)
    return ActivityForm(*args, account=account, regarding=lead, auto_id="activity-%s", **kwargs)


def reminder_form(lead: Lead, *args, **kwargs) -> ReminderForm:
    account = lead_account(lead)
    return ReminderForm(*args, account=account, regarding=lead, auto_id="reminder-%s", **kwargs)


def document_form(*args, **kwargs) -> DocumentForm:
    return DocumentForm(*args, auto_id="document-%s", **kwargs)


@login_required
@permission_required("leads.view_lead", raise_exception=True)
@require_GET
def lead_detail(request, pk: int):
    lead = visible_lead_or_404(request, pk)
    return render(request, "leads/lead_detail.html", detail_context(request, lead))


@login_required
@permission_required("leads.change_lead", raise_exception=True)
@require_POST
def lead_transition(request, pk: int, name: str):
    lead = visible_lead_or_404(request, pk)
    if name not in TRANSITIONS:
        raise Http404
    service = TRANSITIONS[name][0]
    note = request.POST.get("note", "").strip()
    extra, disqualify_form = {}, DisqualifyForm(request.POST or None)
    if name == "disqualify":
        extra["reason"] = request.POST.get("reason", "")
    try:
        service(lead=lead, actor=request.user, note=note, **extra)
    except DomainError as error:
        if "reason" in (error.fields or {}):
            disqualify_form.is_valid()
            for message in error.fields["reason"]:
                disqualify_form.add_error("reason", message)
        messages.error(request, error.detail)
        lead = visible_lead_or_404(request, pk)
        context = detail_context(request, lead, disqualify_form=disqualify_form)
        return render(request, "leads/lead_detail.html", context, status=error.status)
    messages.success(request, f"Enquiry {lead.number}: {TRANSITIONS[name][1].lower()} done.")
    return redirect("leads:detail", pk=lead.pk)


@login_required
@permission_required("leads.view_lead", raise_exception=True)
@require_POST
def lead_reassign(request, pk: int):
    lead = visible_lead_or_404(request, pk)
    form = ReassignForm(request.POST)
    if form.is_valid():
        try:
            lead = services.lead_reassign(
                lead=lead,
                actor=request.user,
                owner=form.cleaned_data["owner"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.detail)
            context = detail_context(request, lead, reassign_form=form)
            return render(request, "leads/lead_detail.html", context, status=error.status)
        messages.success(request, f"Enquiry {lead.number} given to {lead.owner}.")
        if not selectors.lead_visible_to(request.user).filter(pk=lead.pk).exists():
            return redirect("leads:list")
        return redirect("leads:detail", pk=lead.pk)
    context = detail_context(request, lead, reassign_form=form)
    return render(request, "leads/lead_detail.html", context, status=400)


# Hooks into the shared base ------------------------------------------------------------------


def lead_account(lead: Lead):
    """The customer an enquiry's activities, reminders and documents belong to, if any."""
    return lead.account if lead.account_id else None


def lead_takes_records(lead: Lead) -> bool:
    """On conversion an enquiry's activities, reminders and documents move to the customer and
    the opportunity; a converted enquiry takes no new ones (``sfa.customers.regarding``)."""
    return lead.state != Lead.State.CONVERTED


def lead_url(lead: Lead) -> str:
    return reverse("leads:detail", args=[lead.pk])


def lead_label(lead: Lead) -> str:
    """Names the enquiry in reminder lists without loading its customer."""
    prospect = lead.company or " ".join(p for p in [lead.first_name, lead.last_name] if p)
    return f"{lead.number} · {prospect}" if prospect else lead.number


def account_tab_leads(request, account):
    return selectors.lead_visible_to(request.user).filter(account=account)


def account_tab_context(request, account) -> dict:
    leads = selectors.with_list_relations(account_tab_leads(request, account))
    return {"leads": leads[:100]}


def account_tab_count(request, account) -> int:
    return account_tab_leads(request, account).count()


def lead_search_provider(user, text: str, limit: int):
    if not user.has_perm("leads.view_lead"):
        return "Enquiries", []
    leads = selectors.lead_quick_find(
        selectors.with_list_relations(selectors.lead_visible_to(user)), text
    )[:limit]
    return "Enquiries", [
        (
            f"{lead.number} · {lead.display_name}",
            f"{lead.get_state_display()} · {lead.enquiry_date:%Y-%m-%d}",
            reverse("leads:detail", args=[lead.pk]),
        )
        for lead in leads
    ]
