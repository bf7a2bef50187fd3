"""How a lead's fields fill the customer, contact and opportunity created when converting it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CUSTOM_PREFIX = "custom_fields."

# What a mapping may read from a lead: its own fields, "display_name" (company, else the
# person, else the e-mail) and any custom answer as "custom_fields.<key>".
LEAD_SOURCES = (
    "display_name", "company", "first_name", "last_name", "email", "phone", "street", "street2",
    "postal_code", "city", "area", "region", "country", "payment_terms", "delivery_period",
    "delivery_point", "remarks", "source", "source_detail", "channel", "quote_due_date",
    "currency",
)  # fmt: skip

# What it may write. Accounts also take "custom_fields.<key>" of their special fields.
TARGET_FIELDS = {
    "account": (
        "name", "email", "phone", "website", "street", "street2", "postal_code", "city", "area",
        "region", "state", "country", "payment_terms", "notes",
    ),
    "contact": (
        "salutation", "first_name", "last_name", "title", "department", "email", "phone",
        "mobile", "notes",
    ),
    "opportunity": (
        "title", "currency", "expected_close_date", "next_step", "notes", "competitors",
    ),
}  # fmt: skip


class ConversionMapping(models.Model):
    """One line of the mapping: lead ``source`` → ``target``'s ``target_field``.

    A new record gets every mapped value that is not empty; an existing customer or contact
    that the conversion links to keeps the values it has unless ``overwrite`` is set.
    """

    class Target(models.TextChoices):
        ACCOUNT = "account", _("Customer")
        CONTACT = "contact", _("Contact")
        OPPORTUNITY = "opportunity", _("Opportunity")

    source = models.CharField(
        max_length=80,
        help_text=_("A lead field, display_name, or custom_fields.<key> for a custom answer."),
    )
    target = models.CharField(max_length=12, choices=Target.choices)
    target_field = models.CharField(
        max_length=80, help_text=_("A field of the target, or custom_fields.<key> of a customer.")
    )
    overwrite = models.BooleanField(
        default=False,
        help_text=_("Also replace a value an existing customer or contact already has."),
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["target", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "target_field"], name="conversionmapping_one_source_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}.{self.target_field}"

    def clean(self) -> None:
        errors = {}
        if not (self.source in LEAD_SOURCES or _custom_key(self.source)):
            errors["source"] = _(
                "Not a lead field: use one of %(names)s or custom_fields.<key>."
            ) % {"names": ", ".join(LEAD_SOURCES)}
        allowed = TARGET_FIELDS.get(self.target, ())
        custom_ok = self.target == self.Target.ACCOUNT and _custom_key(self.target_field)
        if self.target_field not in allowed and not custom_ok:
            errors["target_field"] = _("Not a field of the %(target)s: use one of %(names)s.") % {
                "target": self.target,
                "names": ", ".join(allowed)
                + (", custom_fields.<key>" if self.target == self.Target.ACCOUNT else ""),
            }
        if errors:
            raise ValidationError(errors)


def _custom_key(name: str) -> str:
    return name[len(CUSTOM_PREFIX) :] if name.startswith(CUSTOM_PREFIX) else ""
