"""Customers (accounts), their lookup types, ship-to addresses, sharing and special fields."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from sfa.core.models import Branch, ConcurrentTransitionMixin, HttpsURLField, Team, TimeStampedModel


class CustomerType(models.Model):
    """A label such as "dealer", "OEM" or "member"; a customer carries several."""

    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomerGroup(models.Model):
    """Drives the price policy: each group may have a price list (see catalog)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "industries"

    def __str__(self) -> str:
        return self.name


class PaymentTerm(models.Model):
    name = models.CharField(max_length=120, unique=True)
    days = models.PositiveIntegerField(default=30)

    class Meta:
        ordering = ["days", "name"]

    def __str__(self) -> str:
        return self.name


class AddressFields(models.Model):
    street = models.CharField(_("street"), max_length=200, blank=True)
    street2 = models.CharField(_("street (line 2)"), max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=120, blank=True)
    area = models.CharField(max_length=120, blank=True, help_text=_("District or sales area."))
    region = models.CharField(max_length=120, blank=True)
    state = models.CharField(_("state / province"), max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. DE."))

    class Meta:
        abstract = True

    def address_lines(self) -> list[str]:
        place = " ".join(p for p in [self.postal_code, self.city] if p)
        region = ", ".join(p for p in [self.area, self.region, self.state, self.country] if p)
        return [line for line in [self.street, self.street2, place, region] if line]


class Account(ConcurrentTransitionMixin, TimeStampedModel, AddressFields):
    """A customer (company or person) — the record every module refers to as ``account``."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    code = models.CharField(
        max_length=30,
        unique=True,
        help_text=_("The customer's key, used everywhere. Generated when left blank."),
    )
    name = models.CharField(max_length=200)
    types = models.ManyToManyField(CustomerType, blank=True, related_name="accounts")
    group = models.ForeignKey(
        CustomerGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_accounts",
    )
    status = FSMField(default=Status.ACTIVE, choices=Status.choices, protected=True)
    phone = models.CharField(max_length=40, blank=True)
    mobile = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = HttpsURLField(blank=True)
    vat_id = models.CharField(_("VAT id"), max_length=40, blank=True)
    credit_limit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 means no credit."),
    )
    credit_hold = models.BooleanField(
        default=False, help_text=_("On hold: quotes and orders need a manager's approval.")
    )
    payment_terms = models.ForeignKey(
        PaymentTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    discount_privilege = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Discount % granted where the price list grants none."),
    )
    alert_message = models.TextField(
        blank=True, help_text=_("Shown prominently whenever someone opens the customer.")
    )
    notes = models.TextField(blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    search_document = models.TextField(
        blank=True,
        editable=False,
        help_text=_("What the search box looks in (sfa.customers.search), kept by the services."),
    )
    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_document"], m2m_fields=[types]
    )

    state_field = "status"

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            # The list's order (name, then id), with and without the default status filter.
            models.Index(fields=["name", "id"], name="customers_account_list"),
            models.Index(fields=["status", "name", "id"], name="customers_account_status_list"),
            # A rep's and a branch's customers; with the id, the scopes of every other record
            # (``visible_account_ids``) read their customer ids from the index alone.
            models.Index(
                fields=["owner", "status"], include=["id"], name="customers_account_owner"
            ),
            models.Index(
                fields=["branch", "status"], include=["id"], name="customers_account_branch"
            ),
        ]
        permissions = [
            ("archive_account", "Can archive and restore customers"),
            ("approve_account_deletion", "Can approve the deletion of a customer"),
            ("export_account", "Can export customers"),
            ("import_account", "Can import customers"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.ARCHIVED,
        permission="customers.archive_account",
    )
    def archive(self) -> None:
        """Hidden from pickers and default lists; nothing is lost."""

    @transition(
        field=status,
        source=Status.ARCHIVED,
        target=Status.ACTIVE,
        permission="customers.archive_account",
    )
    def restore(self) -> None:
        """Back in use."""


class AccountShare(models.Model):
    """Widens who sees a customer: one user or one team."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, team__isnull=True)
                | Q(user__isnull=True, team__isnull=False),
                name="customers_share_user_xor_team",
            ),
            models.UniqueConstraint(fields=["account", "user"], name="customers_share_user_unique"),
            models.UniqueConstraint(fields=["account", "team"], name="customers_share_team_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.user or self.team}"


class ShipToAddress(TimeStampedModel, AddressFields):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ship_to")
    label = models.CharField(max_length=120, help_text=_("e.g. Main warehouse"))
    recipient = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-is_default", "label", "pk"]
        verbose_name = "ship-to address"
        verbose_name_plural = "ship-to addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_default=True),
                name="customers_one_default_ship_to",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.account.code})"


class CustomFieldDefinition(models.Model):
    """An administrator-defined extra field of customers, filled on the "Special" tab."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        BOOLEAN = "boolean", _("Yes / no")

    key = models.SlugField(
        max_length=50,
        unique=True,
        help_text=_("Used in the API and in filters (custom_fields.<key>)."),
    )
    label = models.CharField(max_length=120)
    field_type = models.CharField(max_length=10, choices=FieldType.choices)
    choices = models.JSONField(
        default=list, blank=True, help_text=_("For choice fields: the allowed values.")
    )
    is_required = models.BooleanField(default=False)
    industries = models.ManyToManyField(
        Industry, blank=True, help_text=_("Only for customers of these industries; empty = all.")
    )
    help_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label
