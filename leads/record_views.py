"""Staff UI: activities, reminders and documents of an enquiry, also a prospect's.

The panels on the enquiry's page post here. The rows belong to ``sfa.customers`` (written by
its services, with the 360 tabs' forms); they regard the enquiry and, when it has one, its
customer. htmx gets the panels back, also with 400, 403 or 409; without htmx a success goes
back to the page and a refusal renders it with the errors. Downloads go through the checked
``customers:document-download``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from leads.views import (
    activity_form,
    detail_context,
    document_form,
    lead_account,
    lead_takes_records,
    records_context,
    reminder_form,
    visible_lead_or_404,
)
from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error
from sfa.customers import services as customer_services
from sfa.customers.selectors import reminders_regarding


def _answer(request, lead, *, status: int = 200, message: str = "", **forms):
    if message:
        messages.success(request, message)
    if request.htmx:
        context = {"lead": lead, **records_context(request, lead, **forms)}
        return render(request, "leads/partials/records.html", context, status=status)
    if status == 200:
        return redirect(reverse("leads:detail", args=[lead.pk]) + "#records")
    context = detail_context(request, lead, **forms)
    return render(request, "leads/lead_detail.html", context, status=status)


def _post(request, pk: int, *, perm: str, name: str, form, save, message: str):
    """The common shape: check, validate, call the service, answer with the panels."""
    lead = visible_lead_or_404(request, pk)
    if not lead_takes_records(lead):  # the state before the permission, as for transitions
        messages.error(
            request,
            f"Enquiry {lead.number} is converted: its activities, reminders and documents "
            "are with the customer and the opportunity now.",
        )
        return _answer(request, lead, status=409)
    if not request.user.has_perm(perm):
        messages.error(request, "You may not add this.")
        return _answer(request, lead, status=403)
    bound, status = form(lead), 400
    if bound.is_valid():
        try:
            save(lead, bound.cleaned_data)
        except DomainError as error:
            status = error.status
            if error.fields:
                apply_domain_error(bound, error)
            else:
                messages.error(request, error.detail)
        else:
            return _answer(request, lead, message=message)
    return _answer(request, lead, status=status, **{name: bound})


@login_required
@permission_required("leads.view_lead", raise_exception=True)
@require_POST
def activity_add(request, pk: int):
    def save(lead, data):
        customer_services.activity_log(
            actor=request.user, account=lead_account(lead), regarding=lead, **data
        )

    return _post(
        request,
        pk,
        perm="customers.add_activity",
        name="activity_form",
        form=lambda lead: activity_form(lead, request.POST),
        save=save,
        message="Activity logged.",
    )


@login_required
@permission_required("leads.view_lead", raise_exception=True)
@require_POST
def reminder_add(request, pk: int):
    def save(lead, data):
        customer_services.reminder_create(
            actor=request.user, account=lead_account(lead), regarding=lead, **data
        )

    return _post(
        request,
        pk,
        perm="customers.add_reminder",
        name="reminder_form",
        form=lambda lead: reminder_form(lead, request.POST),
        save=save,
        message="Reminder added.",
    )


@login_required
@permission_required("leads.view_lead", raise_exception=True)
@require_POST
def reminder_toggle(request, pk: int, reminder_pk: int):
    """Done / reopen; the assignee may, and whoever may change reminders."""
    lead = visible_lead_or_404(request, pk)
    reminder = get_object_or_404(
        reminders_regarding(user=request.user, record=lead), pk=reminder_pk
    )
    user = request.user
    if reminder.assignee_id != user.pk and not user.has_perm("customers.change_reminder"):
        messages.error(request, "Only the assignee can mark this reminder done.")
        return _answer(request, lead, status=403)
    customer_services.reminder_set_done(actor=user, reminder=reminder, done=not reminder.is_done)
    return _answer(request, lead, message="Reminder updated.")


@login_required
@permission_required("leads.view_lead", raise_exception=True)
@require_POST
def document_upload(request, pk: int):
    def save(lead, data):
        customer_services.document_upload(
            actor=request.user,
            account=lead_account(lead),
            regarding=lead,
            upload=data["file"],
            title=data["title"],
        )

    return _post(
        request,
        pk,
        perm="customers.add_document",
        name="document_form",
        form=lambda lead: document_form(request.POST, request.FILES),
        save=save,
        message="Document uploaded.",
    )
