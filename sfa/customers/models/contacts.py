"""The people of a customer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sfa.core.models import TimeStampedModel
from sfa.customers.models.accounts import Account


class Contact(TimeStampedModel):
    class Salutation(models.TextChoices):
        NONE = "", "—"
        MR = "mr", _("Mr")
        MS = "ms", _("Ms")
        MX = "mx", _("Mx")
        DR = "dr", _("Dr")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="contacts")
    salutation = models.CharField(max_length=4, choices=Salutation.choices, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    title = models.CharField(_("title / role"), max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    mobile = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)
    email_consent = models.BooleanField(
        default=False, help_text=_("Agreed to receive marketing e-mail.")
    )
    email_consent_at = models.DateTimeField(null=True, blank=True)
    has_portal_access = models.BooleanField(default=False)
    is_portal_manager = models.BooleanField(
        default=False, help_text=_("Sees all of the account's records in the portal.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
        help_text=_("The portal login of this contact."),
    )
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [  # the list's order
            models.Index(fields=["last_name", "first_name", "id"], name="customers_contact_list")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_primary=True),
                name="customers_one_primary_contact",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.first_name, self.last_name] if p)
