"""Staff UI: the "send by e-mail" dialog of a quote (``quotes:send``).

GET shows the recipients (the customer's active contacts with an address; the quote's contact
ticked), the subject and the message prefilled from the default e-mail template (``?template=``
picks another one). POST sends through ``quotes.sending.quote_send``: a quote that needs
approval is held instead, and the sender sees why.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from quotes import selectors, sending
from quotes.models import Quote
from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error


class ContactChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} <{obj.email}>"


class SendForm(forms.Form):
    to = ContactChoices(queryset=None, widget=forms.CheckboxSelectMultiple, label="To")
    cc = ContactChoices(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Cc", required=False
    )
    subject = forms.CharField(max_length=300)
    message = forms.CharField(
        max_length=sending.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="The PDF is attached. Without the link in the text, it is added below.",
    )

    def __init__(self, *args, quote: Quote, **kwargs):
        super().__init__(*args, **kwargs)
        recipients = selectors.quote_recipients(quote)
        self.fields["to"].queryset = recipients
        self.fields["cc"].queryset = recipients


def quote_url(quote: Quote) -> str:
    return reverse("quotes:detail", args=[quote.pk])


def _initial(request, quote: Quote) -> dict:
    templates = sending.email_templates()
    chosen = templates.filter(pk=request.GET.get("template") or 0).first()
    contact = quote.contact if quote.contact_id and quote.contact.email else None
    return {
        "to": [contact] if contact else [],
        "subject": sending.default_subject(quote),
        "message": sending.render_message(
            quote=quote, contact=contact or quote.contact, owner=quote.owner, template=chosen
        ),
        "template": chosen,
    }


@login_required
@permission_required("quotes.change_quote", raise_exception=True)
@require_http_methods(["GET", "POST"])
def quote_send_view(request, pk: int):
    quote = get_object_or_404(
        selectors.with_list_relations(selectors.quote_visible_to(request.user)), pk=pk
    )
    if quote.state not in sending.SENDABLE_STATES:
        messages.error(
            request,
            f"Quote {quote} is {quote.get_state_display().lower()}; it cannot be sent now.",
        )
        return redirect(quote_url(quote))
    initial = _initial(request, quote)
    # A bare POST (a "Send" button elsewhere) opens the dialog; the dialog posts its fields.
    data = request.POST if "subject" in request.POST else None
    form = SendForm(data, quote=quote, initial=initial)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            result = sending.quote_send(quote=quote, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status
        else:
            if result.state == Quote.State.SENT:
                names = ", ".join(c.full_name for c in form.cleaned_data["to"])
                messages.success(request, f"Quote {result} is sent to {names}.")
            else:
                reasons = "; ".join(result.approval_reasons)
                messages.warning(
                    request,
                    f"Quote {result} needs approval before it can be sent ({reasons}). "
                    "Nothing was sent; it is waiting for a sales manager.",
                )
            return redirect(quote_url(result))
    elif form.is_bound:
        status = 400
    context = {
        "quote": quote,
        "form": form,
        "templates": sending.email_templates(),
        "chosen_template": initial["template"],
        "quote_url": quote_url(quote),
        "has_recipients": form.fields["to"].queryset.exists(),
    }
    return render(request, "quotes/send/dialog.html", context, status=status)
