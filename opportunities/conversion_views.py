"""The conversion page of a qualified enquiry: what it will link or create, then the
conversion (``opportunities.services.lead_convert``). The enquiry page links it through the
"Convert…" button this app registers there (``opportunities.panels``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_fsm import can_proceed

from leads.selectors import conversion_values, lead_visible_to
from opportunities import selectors, services
from opportunities.forms import ConvertForm
from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error


@login_required
@permission_required("leads.convert_lead", raise_exception=True)
def convert_lead(request, lead_pk: int):
    """What the conversion will link or create, then the conversion itself."""
    lead = get_object_or_404(lead_visible_to(request.user).select_related("account"), pk=lead_pk)
    if not can_proceed(lead.convert):
        messages.error(
            request,
            f"{lead.number} is {lead.get_state_display().lower()}; only a "
            "qualified enquiry can be converted.",
        )
        return redirect(lead)
    found = selectors.conversion_candidates(lead=lead, user=request.user)
    form = ConvertForm(request.POST or None, lead=lead, **found)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.lead_convert(lead=lead, actor=request.user, **form.chosen())
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status
        else:
            messages.success(
                request,
                f"{lead.number} converted: opportunity “{opportunity}” "
                f"for {opportunity.account.name}.",
            )
            return redirect(reverse("customers:detail", args=[opportunity.account_id]))
    elif form.is_bound:
        status = 400
    return render(
        request,
        "opportunities/convert_lead.html",
        {"lead": lead, "form": form, "mapped": conversion_values(lead), **found},
        status=status,
    )
