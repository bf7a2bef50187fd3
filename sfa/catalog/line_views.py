"""The htmx pieces of the lines editor that every document form shares
(``catalog/partials/lines.html``: enquiries, opportunities; quotes extend it): the product
picker of a line, a new empty line, and the live totals priced on the server.

They read the fields the document forms have in common: ``account`` and ``lines-*``
(``sfa.catalog.forms.LINES_PREFIX``). Prices are for the date in the form field that the
``date_field`` query parameter names (the enquiry date), else for today.
"""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from sfa.catalog.forms import LINES_PREFIX, DocumentLineFormSet, lines_preview
from sfa.catalog.selectors import product_search, product_visible_to
from sfa.customers.selectors import account_visible_to

MAX_LINES = 200


@login_required
@permission_required("catalog.view_product", raise_exception=True)
@require_GET
def pick_product(request):
    """Products matching a line's picker (code or name), or the chosen one in the line."""
    prefix = request.GET.get("prefix", "")
    if not prefix.startswith(f"{LINES_PREFIX}-") or not prefix[len(LINES_PREFIX) + 1 :].isdigit():
        raise Http404
    products = product_visible_to(request.user).filter(is_active=True)
    if "product" in request.GET:
        product = None
        if request.GET["product"].isdigit():
            product = get_object_or_404(products, pk=request.GET["product"])
        response = render(
            request, "catalog/partials/product_cell.html", {"prefix": prefix, "product": product}
        )
        response["HX-Trigger-After-Swap"] = "lines-changed"
        return response
    text = request.GET.get("product_q", "").strip()
    matches = product_search(products, text).order_by("code")[:10] if text else []
    return render(
        request,
        "catalog/partials/product_matches.html",
        {"matches": matches, "prefix": prefix, "text": text},
    )


@login_required
@permission_required("catalog.view_product", raise_exception=True)
@require_GET
def line_row(request):
    """An empty line for the formset; the management form's count follows out of band."""
    total = request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS", "")
    index = int(total) if total.isdigit() else 0
    if index >= MAX_LINES:
        raise Http404
    formset = DocumentLineFormSet(prefix=LINES_PREFIX)
    row = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        renderer=formset.renderer,
    )
    formset.add_fields(row, index)
    return render(
        request,
        "catalog/partials/line_row.html",
        {"row": row, "total_forms": index + 1, "prefix": LINES_PREFIX},
    )


def chosen_account(request):
    """The customer chosen in the posted form, if the user sees it."""
    value = request.POST.get("account", "")
    if not value.isdigit():
        return None
    return account_visible_to(request.user).filter(pk=value).first()


def pricing_date(request):
    """The date the prices are for: the posted field ``?date_field=`` names, if it is one."""
    name = request.GET.get("date_field", "")
    if not name or name.startswith(f"{LINES_PREFIX}-"):
        return None
    try:
        return forms.DateField(required=False).clean(request.POST.get(name, ""))
    except ValidationError:
        return None


@login_required
@permission_required("catalog.view_product", raise_exception=True)
@require_POST
def preview(request):
    """Recalculate: the posted lines priced and totalled; totals sent by the client are
    ignored."""
    formset = DocumentLineFormSet(request.POST, prefix=LINES_PREFIX)
    if not formset.management_form.is_valid():
        return render(request, "catalog/partials/totals.html", {"preview": None}, status=400)
    found = lines_preview(formset, account=chosen_account(request), on=pricing_date(request))
    return render(request, "catalog/partials/totals.html", {"preview": found, "oob": True})
