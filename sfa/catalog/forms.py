from django import forms

from sfa.catalog.models import Product
from sfa.catalog.selectors import active_products
from sfa.catalog.services import price_line
from sfa.core.exceptions import DomainError, InvalidInput
from sfa.core.forms import apply_domain_error
from sfa.core.money import document_totals, line_amounts


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "code",
            "name",
            "description",
            "category",
            "unit",
            "unit_price",
            "currency",
            "tax_rate",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PriceCheckForm(forms.Form):
    account = forms.ModelChoiceField(queryset=None, required=False, label="Customer")
    quantity = forms.DecimalField(min_value=0, required=False, initial=1)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts.filter(status="active")


# The lines editor of staff document forms (enquiry, opportunity, quote) -------------------
# Its templates are ``catalog/partials/lines.html`` and friends, its htmx pieces
# ``sfa.catalog.line_views`` (``catalog:line-row``, ``catalog:pick-product``,
# ``catalog:lines-preview``).

LINES_PREFIX = "lines"


class DocumentLineForm(forms.Form):
    """One line of the shared lines editor (``catalog/partials/line_row.html``); the service
    prices it (a blank unit price comes from the customer's price list)."""

    product = forms.ModelChoiceField(
        queryset=active_products(), required=False, widget=forms.HiddenInput
    )
    description = forms.CharField(max_length=500, required=False)
    quantity = forms.DecimalField(max_digits=12, decimal_places=3, min_value=0, initial=1)
    unit_price = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, label="Unit price"
    )
    discount_percent = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, label="Disc. %"
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("product") and not data.get("description")

    def line_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


DocumentLineFormSet = forms.formset_factory(DocumentLineForm, extra=0, can_delete=True)


def line_formset(
    request, document=None, formset_class=DocumentLineFormSet, **kwargs
) -> forms.BaseFormSet:
    """The posted lines, or the document's lines (one empty row for a new document).

    Documents with more line fields (quotes: kind, unit, tax rate) pass a formset of a
    ``DocumentLineForm`` subclass; ``kwargs`` go to the formset (``form_kwargs``…)."""
    if request.method == "POST":
        return formset_class(request.POST, prefix=LINES_PREFIX, **kwargs)
    initial = []
    if document is not None:
        initial = [
            {name: getattr(line, name) for name in formset_class.form.base_fields}
            for line in document.lines.select_related("product")
        ]
    return formset_class(initial=initial or [{}], prefix=LINES_PREFIX, **kwargs)


def kept_rows(formset) -> list[DocumentLineForm]:
    """The line forms that make lines: not removed, not left empty; in the order the user
    gave them when the formset can be ordered (rows without an order keep their place last)."""
    rows = [
        form
        for form in formset.forms
        if not form.cleaned_data.get("DELETE") and not form.is_blank()
    ]
    if getattr(formset, "can_order", False):
        rows.sort(key=lambda form: form.cleaned_data.get("ORDER") or len(formset.forms) + 1)
    return rows


def attach_products(products, formset) -> None:
    """Each line form gets ``chosen_product`` (from ``products``, the user's visible ones) for
    its picker; one query."""
    ids = {
        str(getattr(row["product"].value(), "pk", row["product"].value()) or "")
        for row in formset.forms
    }
    found = {str(p.pk): p for p in products.filter(pk__in=[pk for pk in ids if pk.isdigit()])}
    for row in formset.forms:
        value = row["product"].value()
        row.chosen_product = found.get(str(getattr(value, "pk", value) or ""))


def apply_line_errors(form, rows: list, error) -> None:
    """A service's errors on a document form: ``{"lines": {index: {field: [...]}}}`` in the
    rows they name, the rest on the form (``sfa.core.forms.apply_domain_error``)."""
    fields = dict(error.fields or {})
    line_errors = fields.pop("lines", None)
    if isinstance(line_errors, dict):
        for index, problems in line_errors.items():
            row = rows[int(index)]
            for name, found in problems.items():
                for message in found:
                    row.add_error(name if name in row.fields else None, message)
    elif line_errors:
        form.add_error(None, "; ".join(line_errors))
    if fields or not line_errors:
        apply_domain_error(form, DomainError(error.detail, fields=fields))


def lines_preview(formset, *, account, on=None) -> dict:
    """The lines priced for ``account`` on ``on`` (today when None) and totalled, as the
    service will save them; nothing is stored. Each row form gets ``preview`` (its amount,
    price and problems) for its amount cell."""
    rows, amounts = [], []
    for row in formset.forms:
        entry = {"prefix": row.prefix, "amount": None, "price": None, "errors": []}
        rows.append(entry)
        row.preview = entry
        if not row.is_valid():
            continue
        if row.is_blank() or row.cleaned_data.get("DELETE"):
            continue
        try:
            priced = price_line(account=account, data=row.line_data(), on=on)
        except InvalidInput as error:
            entry["errors"] = [m for found in error.fields.values() for m in found]
            continue
        amount = line_amounts(
            quantity=priced.quantity,
            unit_price=priced.unit_price,
            discount_percent=priced.discount_percent,
            tax_rate=priced.tax_rate,
        )
        entry.update(amount=amount, price=priced)
        amounts.append(amount)
    return {"rows": rows, "totals": document_totals(amounts), "account": account}
