"""The quote builder: one form for the quote and its lines (items, section headings, text),
lines added and reordered in place, totals and the tax summary computed on the server.

The customer picker is ``customers:pick``; the product picker is the shared lines editor's
(``catalog:pick-product``, ``sfa.catalog.line_views``); the rows and totals are its
templates, extended (``quotes/partials/lines.html``, ``line_row.html``). Writes go through
``quotes.services`` only; a ``DomainError`` lands on the field or the line it names.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opportunities.models import OPEN_STAGES
from opportunities.selectors import opportunity_visible_to
from quotes import selectors, services
from quotes.forms import QuoteForm, QuoteLineFormSet, QuoteTotalsForm
from quotes.models import Quote, QuoteLine, TermsTemplate
from sfa.catalog.forms import LINES_PREFIX, apply_line_errors, attach_products, kept_rows
from sfa.catalog.forms import line_formset as document_line_formset
from sfa.catalog.models import TaxRate
from sfa.catalog.selectors import product_visible_to
from sfa.core.exceptions import DomainError, InvalidInput
from sfa.customers.forms import customer_picker
from sfa.customers.selectors import account_visible_to

MAX_LINES = 500
TEMPLATE_FIELDS = {
    "introduction": TermsTemplate.Kind.INTRODUCTION,
    "terms": TermsTemplate.Kind.TERMS,
}


def visible_quote_or_404(request, pk: int) -> Quote:
    queryset = selectors.with_list_relations(selectors.quote_visible_to(request.user))
    return get_object_or_404(queryset.select_related("payment_terms"), pk=pk)


def line_formset(request, quote: Quote | None = None):
    return document_line_formset(request, quote, formset_class=QuoteLineFormSet)


def read_only_message(quote: Quote) -> str:
    return (
        f"Quote {quote} is {quote.get_state_display().lower()}: only a draft can be changed; "
        "revise it to make a new version."
    )


# Context of the form ---------------------------------------------------------------------------


def chosen_account(request, value):
    if not value or not str(value).isdigit():
        return None
    return account_visible_to(request.user).filter(pk=value).first()


def opportunity_choices(request, account, selected=None) -> dict:
    """The customer's open opportunities the user sees (and the one already chosen)."""
    selected = str(getattr(selected, "pk", selected) or "")
    options = []
    if account is not None:
        deals = opportunity_visible_to(request.user).filter(account=account)
        if selected.isdigit():
            deals = deals.filter(state__in=OPEN_STAGES) | deals.filter(pk=selected)
        else:
            deals = deals.filter(state__in=OPEN_STAGES)
        options = list(deals.order_by("title", "pk"))
    return {"account": account, "opportunities": options, "selected": selected}


def text_templates() -> dict[str, list[TermsTemplate]]:
    found = {field: [] for field in TEMPLATE_FIELDS}
    kinds = {kind: field for field, kind in TEMPLATE_FIELDS.items()}
    for template in TermsTemplate.objects.filter(is_active=True, kind__in=kinds):
        found[kinds[template.kind]].append(template)
    return found


def form_context(request, form, formset, quote: Quote | None, status: int = 200) -> dict:
    account = quote.account if quote else chosen_account(request, form["account"].value())
    attach_products(product_visible_to(request.user), formset)
    return {
        "form": form,
        "formset": formset,
        "quote": quote,
        "account": account,
        "picker": customer_picker(request.user, account, form["contact"].value()),
        "opportunity_field": opportunity_choices(request, account, form["opportunity"].value()),
        "templates": text_templates(),
        "tax_rates": TaxRate.objects.order_by("rate"),
        "preview": build_preview(request, account, formset, form.data) if form.is_bound else None,
    }


# Saving --------------------------------------------------------------------------------------


def save(request, form, formset, quote: Quote | None):
    """Call the service: ``(quote, 200)``, or ``(None, status)`` with the errors placed."""
    if not (form.is_valid() and formset.is_valid()):
        return None, 400
    rows = kept_rows(formset)
    data = form.service_data()
    lines = [row.line_data() for row in rows]
    try:
        if quote is None:
            return services.quote_create(actor=request.user, data=data, lines=lines), 200
        return services.quote_update(quote=quote, actor=request.user, data=data, lines=lines), 200
    except DomainError as error:
        apply_line_errors(form, rows, error)
        return None, error.status
    except ValidationError as error:  # the model's own checks, run by the service
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        apply_line_errors(form, rows, InvalidInput(" ".join(error.messages), fields=fields))
        return None, 400


def _saved(request, quote: Quote):
    messages.success(request, f"Quote {quote} saved.")
    return redirect("quotes:detail", pk=quote.pk)


@login_required
@permission_required("quotes.add_quote", raise_exception=True)
def quote_create(request):
    if "opportunity" in request.GET:
        return _from_opportunity(request, request.GET["opportunity"])
    initial = {"issue_date": timezone.localdate()}
    if request.GET.get("account", "").isdigit():
        initial["account"] = request.GET["account"]
    form = QuoteForm(request.POST or None, user=request.user, initial=initial)
    formset = line_formset(request)
    status = 200
    if request.method == "POST":
        saved, status = save(request, form, formset, None)
        if saved is not None:
            return _saved(request, saved)
    context = form_context(request, form, formset, None)
    return render(request, "quotes/form.html", context, status=status)


def _from_opportunity(request, value: str):
    """A draft with the opportunity's customer, contact and lines (on POST; GET asks first)."""
    if not value.isdigit():
        raise Http404
    deal = get_object_or_404(
        opportunity_visible_to(request.user).select_related("account"), pk=value
    )
    status = 200
    if request.method == "POST":
        try:
            quote = services.quote_from_opportunity(opportunity=deal, actor=request.user)
        except DomainError as error:
            messages.error(request, error.detail)
            status = error.status
        else:
            messages.success(
                request, f"Quote {quote} made from “{deal.title}”: check the lines, then save."
            )
            return redirect("quotes:edit", pk=quote.pk)
    return render(request, "quotes/from_opportunity.html", {"deal": deal}, status=status)


@login_required
@permission_required("quotes.change_quote", raise_exception=True)
def quote_edit(request, pk: int):
    quote = visible_quote_or_404(request, pk)
    if not quote.is_editable:
        messages.error(request, read_only_message(quote))
        return redirect("quotes:detail", pk=quote.pk)
    form = QuoteForm(request.POST or None, user=request.user, instance=quote)
    formset = line_formset(request, quote)
    status = 200
    if request.method == "POST":
        saved, status = save(request, form, formset, quote)
        if saved is not None:
            return _saved(request, saved)
    context = form_context(request, form, formset, quote)
    return render(request, "quotes/form.html", context, status=status)


# Pieces of the form fetched with htmx ------------------------------------------------------------


@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_GET
def line_row(request):
    """A new empty line of the kind asked for (item, section, text); the management form's
    count follows out of band."""
    kind = request.GET.get("kind", QuoteLine.Kind.ITEM)
    total = request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS", "")
    if kind not in QuoteLine.Kind.values or not total.isdigit() or int(total) >= MAX_LINES:
        raise Http404
    index = int(total)
    formset = QuoteLineFormSet(prefix=LINES_PREFIX)
    row = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        renderer=formset.renderer,
        initial={"kind": kind, "ORDER": index + 1},
    )
    formset.add_fields(row, index)
    row.chosen_product = None
    context = {"row": row, "total_forms": index + 1, "prefix": LINES_PREFIX, "focus": True}
    return render(request, "quotes/partials/line_row.html", context)


@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_GET
def pick_opportunity(request):
    """The opportunity select for the customer chosen in the picker (kept when it fits)."""
    account = chosen_account(request, request.GET.get("account"))
    context = opportunity_choices(request, account, request.GET.get("opportunity"))
    return render(request, "quotes/partials/opportunity_field.html", {"opportunity_field": context})


@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_GET
def template_text(request):
    """The introduction or terms field filled from a template (the user edits it further)."""
    field = request.GET.get("field", "")
    if field not in TEMPLATE_FIELDS:
        raise Http404
    value = request.GET.get("template", "")
    if not value.isdigit():
        return HttpResponse(status=204)  # "from template…" itself: leave the text alone
    templates = TermsTemplate.objects.filter(is_active=True, kind=TEMPLATE_FIELDS[field])
    template = get_object_or_404(templates, pk=value)
    form = QuoteForm(user=request.user, initial={field: template.body})
    return HttpResponse(str(form[field]))


def build_preview(request, account, formset, data) -> dict:
    """The lines priced and the quote totalled as the service will save them (nothing is
    stored): each row's amount or problem, totals, tax summary and approval reasons."""
    totals_form = QuoteTotalsForm(data)
    totals_form.is_valid()
    values = {k: v for k, v in totals_form.cleaned_data.items() if v not in (None, "")}
    values.setdefault("issue_date", timezone.localdate())
    quote = Quote(account=account, **values)
    entries, rows = [], []
    for form in formset.forms:
        entry = {"prefix": form.prefix, "amount": None, "price": None, "errors": []}
        form.preview = entry
        if not form.is_valid() or form.cleaned_data.get("DELETE") or form.is_blank():
            continue
        try:
            (row,) = services.quote_line_rows(quote=quote, lines=[form.line_data()])
        except InvalidInput as error:
            problems = error.fields.get("lines", {}).get("0", {})
            entry["errors"] = [m for found in problems.values() for m in found]
            entries.append(entry)
            continue
        rows.append(row)
        if row.is_item:  # headings and text lines have no amount cell
            entry["price"] = row
            entries.append(entry)
    services.compute_totals(quote, rows)
    for entry in entries:
        if entry["price"] is not None:
            entry["amount"] = {"net": entry["price"].line_total}
    return {
        "rows": entries,
        "quote": quote,
        "account": account,
        "reasons": services.approval_reasons(quote, rows) if account is not None else [],
        "problems": [
            f"{totals_form[name].label}: {message}"
            for name, found in totals_form.errors.items()
            for message in found
        ],
    }


@login_required
@permission_required("quotes.view_quote", raise_exception=True)
@require_POST
def preview(request):
    """Recalculate: the posted builder priced and totalled; totals sent by the client are
    ignored."""
    formset = QuoteLineFormSet(request.POST, prefix=LINES_PREFIX)
    if not formset.management_form.is_valid():
        return render(request, "quotes/partials/totals.html", {"preview": None}, status=400)
    account = chosen_account(request, request.POST.get("account"))
    context = {"preview": build_preview(request, account, formset, request.POST), "oob": True}
    return render(request, "quotes/partials/totals.html", context)
