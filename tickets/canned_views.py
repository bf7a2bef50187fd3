"""Staff pages of canned responses (``/tickets/canned/``): every agent lists what they may use
and keeps their own; support managers also maintain the shared and team ones. Reads and
writes go through ``tickets.canned``; another agent's personal response is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error
from tickets import canned
from tickets.forms import CannedResponseForm

PERMISSION = "tickets.view_cannedresponse"


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def canned_list(request):
    responses = list(canned.listed_for(request.user))
    editable = set(canned.manageable_by(request.user).values_list("pk", flat=True))
    for response in responses:
        response.can_edit = response.pk in editable
    context = {
        "responses": responses,
        "fields": canned.MERGE_FIELDS.values(),
        "may_share": canned.may_manage_shared(request.user),
    }
    return render(request, "tickets/canned/list.html", context)


def _editor(request, form, response=None, status=200):
    context = {"form": form, "response": response, "fields": canned.MERGE_FIELDS.values()}
    return render(request, "tickets/canned/form.html", context, status=status)


def _save(request, form, response=None):
    if not form.is_valid():
        return _editor(request, form, response, status=400)
    try:
        if response is None:
            response = canned.canned_response_create(actor=request.user, data=form.service_data())
        else:
            response = canned.canned_response_update(
                response=response, actor=request.user, data=form.service_data()
            )
    except DomainError as error:
        apply_domain_error(form, error)
        return _editor(request, form, response, status=error.status)
    messages.success(request, f"Canned response “{response.title}” saved.")
    return redirect("tickets:canned-list")


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def canned_create(request):
    may_share = canned.may_manage_shared(request.user)
    form = CannedResponseForm(request.POST or None, may_share=may_share)
    if request.method == "POST":
        return _save(request, form)
    return _editor(request, form)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def canned_edit(request, pk: int):
    response = get_object_or_404(canned.manageable_by(request.user), pk=pk)
    may_share = canned.may_manage_shared(request.user)
    if request.method == "POST":
        return _save(request, CannedResponseForm(request.POST, may_share=may_share), response)
    initial = CannedResponseForm.initial_for(response)
    return _editor(request, CannedResponseForm(initial=initial, may_share=may_share), response)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def canned_delete(request, pk: int):
    response = get_object_or_404(canned.manageable_by(request.user), pk=pk)
    try:
        canned.canned_response_delete(response=response, actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"Canned response “{response.title}” deleted.")
    return redirect("tickets:canned-list")
