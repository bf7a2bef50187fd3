"""Public lead forms: an administrator describes the form, visitors' submissions become leads."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leads.models.lead import Lead
from sfa.catalog.models import ProductCategory
from sfa.core.models import HttpsURLField, TimeStampedModel

DEFAULT_ACK_SUBJECT = "We received your enquiry {{ lead.number }}"
DEFAULT_ACK_BODY = """Hello {{ name }},

thank you for your enquiry. It is registered as {{ lead.number }}; {{ owner }} will get back to you
shortly.

Kind regards
{{ company }}"""


# Names the public form uses itself: the honeypot and the signed token.
HONEYPOT, TOKEN = "homepage", "token"
RESERVED = frozenset({HONEYPOT, TOKEN})


class WebForm(TimeStampedModel):
    """A public form at ``/forms/<slug>/``, embeddable in any website with an ``<iframe>``."""

    name = models.CharField(max_length=120, help_text=_("Internal name, e.g. 'Website contact'."))
    slug = models.SlugField(
        max_length=60, unique=True, help_text=_("The form's address: /forms/<slug>/.")
    )
    is_active = models.BooleanField(
        default=True, help_text=_("Inactive forms answer 404 and accept nothing.")
    )
    title = models.CharField(max_length=200, help_text=_("Heading shown to visitors."))
    introduction = models.TextField(blank=True)
    submit_label = models.CharField(max_length=60, default="Send")
    thank_you_text = models.TextField(default="Thank you — we will get back to you shortly.")
    redirect_url = HttpsURLField(
        blank=True,
        help_text=_("Send visitors here after submitting instead of the thank-you text."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Owns the leads when no assignment rule applies."),
    )
    use_assignment_rules = models.BooleanField(
        default=True, help_text=_("Let the assignment rules pick the owner first.")
    )
    source = models.CharField(
        max_length=20, choices=Lead.Source.choices, default=Lead.Source.WEB_FORM
    )
    source_detail = models.CharField(
        _("source tag"),
        max_length=200,
        blank=True,
        help_text=_("Stored on each lead, e.g. the campaign; the form's name when blank."),
    )
    product_category = models.ForeignKey(
        ProductCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Limits the 'product of interest' choices to this category."),
    )
    send_acknowledgement = models.BooleanField(default=True)
    acknowledgement_subject = models.CharField(max_length=200, default=DEFAULT_ACK_SUBJECT)
    acknowledgement_body = models.TextField(
        default=DEFAULT_ACK_BODY,
        help_text=_("Template variables: lead, name, owner, company, form."),
    )
    notify_owner = models.BooleanField(default=True)
    min_fill_seconds = models.PositiveSmallIntegerField(
        default=3, help_text=_("Faster submissions are treated as bots.")
    )
    max_per_hour_per_ip = models.PositiveSmallIntegerField(
        default=5, help_text=_("Submissions from one address above this are refused for an hour.")
    )
    embed_origins = models.TextField(
        blank=True,
        help_text=_(
            "Websites allowed to embed the form, one origin per line "
            "(https://www.example.com); blank = any."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tag(self) -> str:
        return self.source_detail or self.name

    def origins(self) -> list[str]:
        return [
            line.strip().rstrip("/") for line in self.embed_origins.splitlines() if line.strip()
        ]

    def clean(self) -> None:
        for origin in self.origins():
            if not origin.startswith(("https://", "http://")) or " " in origin:
                raise ValidationError(
                    {"embed_origins": _("Give origins like https://www.example.com, one a line.")}
                )


class WebFormField(models.Model):
    """One question of a web form, stored in a lead field or in the lead's custom fields."""

    class Target(models.TextChoices):
        COMPANY = "company", _("Company")
        FIRST_NAME = "first_name", _("First name")
        LAST_NAME = "last_name", _("Last name")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        STREET = "street", _("Street")
        POSTAL_CODE = "postal_code", _("Postal code")
        CITY = "city", _("City")
        REGION = "region", _("Region")
        COUNTRY = "country", _("Country (ISO code)")
        PRODUCT = "product", _("Product of interest")
        QUANTITY = "quantity", _("Quantity")
        REMARKS = "remarks", _("Message")
        CUSTOM = "custom", _("Custom answer (stored under its key)")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        TEXTAREA = "textarea", _("Long text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        CHECKBOX = "checkbox", _("Checkbox")

    form = models.ForeignKey(WebForm, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(default=0)
    target = models.CharField(max_length=12, choices=Target.choices)
    key = models.SlugField(
        max_length=50,
        blank=True,
        help_text=_("For custom answers: the key in the lead's custom fields."),
    )
    label = models.CharField(max_length=120)
    help_text = models.CharField(max_length=200, blank=True)
    is_required = models.BooleanField(default=False)
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.TEXT,
        help_text=_("For custom answers; other fields have a fixed kind."),
    )
    choices = models.JSONField(
        default=list, blank=True, help_text=_('For choice answers: ["Small", "Large"].')
    )

    class Meta:
        ordering = ["form", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "target", "key"], name="webformfield_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def name(self) -> str:
        """The HTML/API name of the field."""
        return self.key if self.target == self.Target.CUSTOM else self.target

    def clean(self) -> None:
        if self.target == self.Target.CUSTOM and not self.key:
            raise ValidationError({"key": _("A custom answer needs a key.")})
        if self.target != self.Target.CUSTOM:
            self.key = ""
        if self.target == self.Target.CUSTOM and self.key in {*self.Target.values, *RESERVED}:
            raise ValidationError({"key": _("This key is taken by a standard field.")})
        if self.kind == self.Kind.CHOICE and self.target == self.Target.CUSTOM:
            if not self.choices or not all(isinstance(c, str) and c for c in self.choices):
                raise ValidationError({"choices": _("Give the choices as a list of texts.")})


class WebFormSubmission(models.Model):
    """An accepted submission: what the visitor sent and which lead it created or joined."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("New lead")
        ATTACHED = "attached", _("Added to an open lead")

    form = models.ForeignKey(WebForm, on_delete=models.PROTECT, related_name="submissions")
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="web_submissions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    data = models.JSONField(default=dict)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.form} → {self.lead.number}"
