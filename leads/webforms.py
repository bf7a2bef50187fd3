"""Public web form submissions → leads, with spam protection that needs no third party.

* a **honeypot** field (``homepage``) hidden from people: bots that fill it get the thank-you
  answer and create nothing;
* a signed **token** issued with the form carries the time it was shown: submissions faster than
  the form's ``min_fill_seconds`` (or with a forged or day-old token) are refused, and a person
  sees the form again with their answers kept;
* a **rate limit** per client address and form and hour (``WebForm.max_per_hour_per_ip``),
  counted by django-ratelimit in the shared cache.

An e-mail that already has an open lead joins it instead of creating a second one (serialised
per address, so two parallel submissions cannot both create one).
"""

import time
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_ratelimit.core import get_usage

from leads import services
from leads.models import Lead, WebForm, WebFormField, WebFormSubmission
from leads.models.webforms import HONEYPOT, RESERVED, TOKEN
from sfa.catalog.models import Product
from sfa.core.exceptions import InvalidInput, RateLimited
from sfa.core.http import client_ip
from sfa.core.locks import lock_key
from sfa.core.mail import email_queue

TOKEN_SALT = "leads.webform"
TOKEN_MAX_AGE = 24 * 3600
RATE_LIMIT_GROUP = "leads.webform"
Target = WebFormField.Target

FIXED_FIELDS = {
    Target.COMPANY: lambda label, required: forms.CharField(max_length=200),
    Target.FIRST_NAME: lambda label, required: forms.CharField(max_length=100),
    Target.LAST_NAME: lambda label, required: forms.CharField(max_length=100),
    Target.EMAIL: lambda label, required: forms.EmailField(),
    Target.PHONE: lambda label, required: forms.CharField(max_length=40),
    Target.STREET: lambda label, required: forms.CharField(max_length=200),
    Target.POSTAL_CODE: lambda label, required: forms.CharField(max_length=20),
    Target.CITY: lambda label, required: forms.CharField(max_length=120),
    Target.REGION: lambda label, required: forms.CharField(max_length=120),
    Target.COUNTRY: lambda label, required: forms.RegexField(
        r"^[A-Za-z]{2}$", error_messages={"invalid": "Give the two-letter code, e.g. DE."}
    ),
    Target.QUANTITY: lambda label, required: forms.DecimalField(
        min_value=Decimal("0.001"), max_digits=12, decimal_places=3
    ),
    Target.REMARKS: lambda label, required: forms.CharField(
        max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    ),
}


@dataclass(frozen=True)
class Visitor:
    ip: str | None = None
    user_agent: str = ""
    referrer: str = ""


def visitor_of(request) -> Visitor:
    return Visitor(
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        referrer=request.headers.get("Referer", ""),
    )


@dataclass(frozen=True)
class Outcome:
    kind: str  # "created", "attached" or "spam"
    lead: Lead | None = None


def webform_url(form: WebForm) -> str:
    return f"{settings.SFA_BASE_URL}{reverse('webforms:form', args=[form.slug])}"


def embed_code(form: WebForm) -> str:
    """The snippet a website pastes to show the form."""
    return (
        f'<iframe src="{webform_url(form)}?embed=1" title="{escape(form.title)}" '
        'style="width:100%;min-height:640px;border:0" loading="lazy"></iframe>'
    )


def issue_token(form: WebForm) -> str:
    return signing.dumps({"f": form.pk, "t": round(time.time(), 3)}, salt=TOKEN_SALT)


def _check_token(form: WebForm, token: str) -> None:
    try:
        payload = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise InvalidInput(
            "The form has expired; please send it again.",
            fields={TOKEN: ["The form has expired; please send it again."]},
        ) from None
    if payload.get("f") != form.pk:
        raise InvalidInput(fields={TOKEN: ["This token belongs to another form."]})
    if time.time() - payload.get("t", 0) < form.min_fill_seconds:
        raise InvalidInput(
            "That was quick — please check your answers and send the form again.",
            fields={TOKEN: ["That was quick — please check your answers and send again."]},
        )


def _visitor_ip(_group: str, visitor: Visitor) -> str:
    return visitor.ip


def _count_attempt(form: WebForm, visitor: Visitor) -> None:
    """Count a submission from the visitor's address to this form; past the form's hourly
    limit refuse it. django-ratelimit keeps the count in the shared cache."""
    if not visitor.ip:
        return
    usage = get_usage(
        visitor,  # what django-ratelimit hands to the key function
        group=f"{RATE_LIMIT_GROUP}:{form.pk}",
        key=_visitor_ip,
        rate=(form.max_per_hour_per_ip, 3600),
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited("Too many submissions from your address; please try again later.")


def _product_field(form: WebForm) -> forms.ModelChoiceField:
    products = Product.objects.filter(is_active=True).order_by("name")
    if form.product_category_id:
        products = products.filter(category__in=form.product_category.subtree_ids())
    return forms.ModelChoiceField(queryset=products, empty_label="—")


def _custom_field(field: WebFormField) -> forms.Field:
    Kind = WebFormField.Kind
    if field.kind == Kind.TEXTAREA:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    if field.kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=4)
    if field.kind == Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in field.choices)])
    if field.kind == Kind.CHECKBOX:
        return forms.BooleanField()
    return forms.CharField(max_length=500)


def visitor_form_class(form: WebForm, fields: list[WebFormField] | None = None) -> type:
    """A Django form class for the web form's questions, in their order, plus the traps."""
    attrs = {}
    for field in fields if fields is not None else form.fields.all():
        if field.target == Target.PRODUCT:
            django_field = _product_field(form)
        elif field.target == Target.CUSTOM:
            django_field = _custom_field(field)
        else:
            django_field = FIXED_FIELDS[field.target](field.label, field.is_required)
        django_field.label = field.label
        django_field.help_text = field.help_text
        django_field.required = field.is_required
        attrs[field.name] = django_field
    attrs[HONEYPOT] = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    attrs[TOKEN] = forms.CharField(required=False, widget=forms.HiddenInput)
    return type("VisitorForm", (forms.Form,), attrs)


def _json_safe(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Product):
        return value.code
    return value


def _lead_data(form: WebForm, fields: list[WebFormField], cleaned: dict) -> tuple[dict, list]:
    data: dict = {
        "channel": Lead.Channel.WEB_FORM,
        "source": form.source,
        "source_detail": form.tag[:200],
        "custom_fields": {},
    }
    product, quantity = None, Decimal(1)
    for field in fields:
        value = cleaned.get(field.name)
        if value in (None, ""):
            continue
        if field.target == Target.PRODUCT:
            product = value
        elif field.target == Target.QUANTITY:
            quantity = value
        elif field.target == Target.CUSTOM:
            data["custom_fields"][field.key] = _json_safe(value)
        elif field.target == Target.COUNTRY:
            data["country"] = value.upper()
        else:
            data[field.target] = value
    lines = [{"product": product, "quantity": quantity}] if product else []
    return data, lines


def _summary(fields: list[WebFormField], cleaned: dict) -> str:
    rows = []
    for field in fields:
        value = cleaned.get(field.name)
        if value not in (None, ""):
            rows.append(f"{field.label}: {value}")
    return "\n".join(rows)


def _attach(lead: Lead, form: WebForm, fields, cleaned: dict, data: dict) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    note = f"— Web form “{form.name}” sent again on {stamp}:\n{_summary(fields, cleaned)}"
    lead.remarks = f"{lead.remarks}\n\n{note}".strip()[:20000]
    for key, value in data["custom_fields"].items():
        lead.custom_fields.setdefault(key, value)
    for name in ("phone", "company", "first_name", "last_name"):
        if data.get(name) and not getattr(lead, name):
            setattr(lead, name, data[name])
    lead._change_reason = f"web form “{form.name}” submitted again"
    lead.save()
    return lead


def _mail_context(form: WebForm, lead: Lead) -> dict:
    person = " ".join(p for p in [lead.first_name, lead.last_name] if p)
    return {
        "lead": lead,
        "name": person or lead.company or "",
        "owner": lead.owner.get_full_name() or lead.owner.get_username(),
        "company": settings.SFA_COMPANY_NAME,
        "form": form,
    }


def _acknowledge(form: WebForm, lead: Lead, email: str) -> None:
    context = Context(_mail_context(form, lead), autoescape=False)
    email_queue(
        kind="web_form_acknowledgement",
        to=[email],
        template="leads/emails/webform_ack",
        context={
            "subject": Template(form.acknowledgement_subject).render(context),
            "body": Template(form.acknowledgement_body).render(context),
        },
        related=lead,
        reply_to=[lead.owner.email] if lead.owner.email else None,
    )


def _notify_owner(form: WebForm, lead: Lead, outcome: str, summary: str) -> None:
    if not lead.owner.email:
        return
    email_queue(
        kind="web_form_notification",
        to=[lead.owner.email],
        template="leads/emails/webform_owner",
        context={
            "form": form,
            "lead": lead,
            "again": outcome == WebFormSubmission.Outcome.ATTACHED,
            "summary": summary,
            "url": f"{settings.SFA_BASE_URL}/enquiries/{lead.pk}/",
        },
        related=lead,
    )


def submit(form: WebForm, payload, visitor: Visitor) -> Outcome:
    """Take one visitor submission. Raises ``InvalidInput`` (field errors, bad token) and
    ``RateLimited``; a filled honeypot returns ``Outcome("spam")`` and stores nothing."""
    _count_attempt(form, visitor)
    if (payload.get(HONEYPOT) or "").strip():
        return Outcome("spam")
    _check_token(form, payload.get(TOKEN) or "")
    fields = list(form.fields.all())
    visitor_form = visitor_form_class(form, fields)(data=payload)
    if not visitor_form.is_valid():
        raise InvalidInput(
            fields={name: list(errors) for name, errors in visitor_form.errors.items()}
        )
    cleaned = visitor_form.cleaned_data
    data, lines = _lead_data(form, fields, cleaned)
    if not (data.get("email") or data.get("company") or data.get("last_name")):
        raise InvalidInput(fields={"email": ["Give your e-mail address or name."]})
    with transaction.atomic():
        email = data.get("email", "").strip().lower()
        existing = None
        if email:
            lock_key("lead-email", email)
            existing = (
                Lead.objects.filter(email__iexact=email, state__in=Lead.OPEN_STATES)
                .order_by("-created_at")
                .first()
            )
        if existing is not None:
            lead = _attach(existing, form, fields, cleaned, data)
            kind = WebFormSubmission.Outcome.ATTACHED
        else:
            lead = services.lead_create(
                actor=None,
                data=data,
                lines=lines,
                assign_by_rules=form.use_assignment_rules,
                web_form=form,
            )
            kind = WebFormSubmission.Outcome.CREATED
        WebFormSubmission.objects.create(
            form=form,
            lead=lead,
            outcome=kind,
            data={
                name: _json_safe(value) for name, value in cleaned.items() if name not in RESERVED
            },
            ip_address=visitor.ip,
            user_agent=visitor.user_agent[:300],
            referrer=visitor.referrer[:500],
        )
        if form.send_acknowledgement and email:
            _acknowledge(form, lead, email)
        if form.notify_owner:
            _notify_owner(form, lead, kind, _summary(fields, cleaned))
    return Outcome(kind, lead)


def describe(form: WebForm) -> dict:
    """The form for API clients that draw it themselves: its questions and a fresh token."""
    fields = list(form.fields.all())
    visitor_form = visitor_form_class(form, fields)()
    described = []
    for field in fields:
        django_field = visitor_form.fields[field.name]
        widget = django_field.widget
        if isinstance(django_field, forms.ChoiceField):
            kind = "choice"
            options = [
                {"value": str(value), "label": str(label)}
                for value, label in django_field.choices
                if str(value)
            ]
        else:
            kind = {
                forms.EmailField: "email",
                forms.DecimalField: "number",
                forms.BooleanField: "checkbox",
            }.get(type(django_field), "textarea" if isinstance(widget, forms.Textarea) else "text")
            options = []
        described.append(
            {
                "name": field.name,
                "label": field.label,
                "kind": kind,
                "required": field.is_required,
                "help_text": field.help_text,
                "options": options,
            }
        )
    return {
        "slug": form.slug,
        "title": form.title,
        "introduction": form.introduction,
        "submit_label": form.submit_label,
        "fields": described,
        "token": issue_token(form),
    }
