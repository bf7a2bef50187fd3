"""The opportunity form: create and edit, with product lines.

Its htmx pieces: the customer picker is ``customers:pick``; product pickers, a new line and
the live totals are the shared lines editor's (``sfa.catalog.line_views``, priced for today).
Writes go through ``opportunities.services``; a ``DomainError`` lands on the field or line.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from opportunities import selectors, services
from opportunities.forms import OpportunityForm
from opportunities.models import Opportunity, Stage
from opportunities.views import visible_opportunities
from sfa.catalog.forms import apply_line_errors, attach_products, kept_rows, line_formset
from sfa.catalog.selectors import product_visible_to
from sfa.core.exceptions import DomainError, InvalidInput
from sfa.core.forms import staff_users
from sfa.customers.forms import customer_picker

# Opportunities have no reassignment permission of their own (yet); managers hold the enquiry one.
REASSIGN_PERMISSION = "leads.reassign_lead"


def can_reassign(user, deal: Opportunity | None = None) -> bool:
    """As for enquiries: the owner (of a new deal, its creator) or a manager."""
    return deal is None or deal.owner_id == user.pk or user.has_perm(REASSIGN_PERMISSION)


def _owners(user, deal: Opportunity | None):
    """Whom the owner field offers: all staff to those who may reassign, else the owner."""
    if can_reassign(user, deal):
        return staff_users().order_by("username")
    return staff_users().filter(pk=deal.owner_id)


def _form_context(request, form, formset, deal: Opportunity | None) -> dict:
    attach_products(product_visible_to(request.user), formset)
    picker = customer_picker(request.user, form["account"].value(), form["contact"].value())
    return {"form": form, "formset": formset, "deal": deal, "picker": picker}


def _save(request, form, formset, deal: Opportunity | None):
    """Call the service: ``(opportunity, 200)``, or ``(None, status)`` with the errors placed."""
    if not (form.is_valid() and formset.is_valid()):
        return None, 400
    rows = kept_rows(formset)
    data = dict(form.cleaned_data)
    lines = [row.line_data() for row in rows]
    try:
        if deal is None:
            saved = services.opportunity_create(actor=request.user, data=data, lines=lines)
        else:
            saved = services.opportunity_update(
                opportunity=deal, actor=request.user, data=data, lines=lines
            )
    except DomainError as error:
        apply_line_errors(form, rows, error)
        return None, error.status
    except ValidationError as error:  # the model's own checks, run by the service
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        apply_line_errors(form, rows, InvalidInput(" ".join(error.messages), fields=fields))
        return None, 400
    return saved, 200


def _saved_redirect(request, deal: Opportunity):
    messages.success(request, f"Opportunity “{deal.title}” saved.")
    if not selectors.opportunity_visible_to(request.user).filter(pk=deal.pk).exists():
        return redirect("opportunities:list")  # given to someone outside the user's view
    return redirect("opportunities:detail", pk=deal.pk)


@login_required
@permission_required("opportunities.add_opportunity", raise_exception=True)
def opportunity_create(request):
    initial = {"owner": request.user, "probability": services.stage_probability(Stage.PROSPECTING)}
    if request.GET.get("account", "").isdigit():
        initial["account"] = request.GET["account"]
    form = OpportunityForm(
        request.POST or None, user=request.user, owners=_owners(request.user, None), initial=initial
    )
    formset = line_formset(request)
    status = 200
    if request.method == "POST":
        saved, status = _save(request, form, formset, None)
        if saved is not None:
            return _saved_redirect(request, saved)
    context = _form_context(request, form, formset, None)
    return render(request, "opportunities/form.html", context, status=status)


@login_required
@permission_required("opportunities.change_opportunity", raise_exception=True)
def opportunity_edit(request, pk: int):
    deal = get_object_or_404(visible_opportunities(request), pk=pk)
    if not deal.is_open:
        messages.error(
            request,
            f"“{deal.title}” is {deal.get_state_display().lower()}: a closed opportunity "
            "cannot be changed.",
        )
        return redirect("opportunities:detail", pk=deal.pk)
    form = OpportunityForm(
        request.POST or None,
        user=request.user,
        owners=_owners(request.user, deal),
        instance=deal,
    )
    formset = line_formset(request, deal)
    status = 200
    if request.method == "POST":
        saved, status = _save(request, form, formset, deal)
        if saved is not None:
            return _saved_redirect(request, saved)
    context = _form_context(request, form, formset, deal)
    return render(request, "opportunities/form.html", context, status=status)
