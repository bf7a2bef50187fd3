"""Customer 360: accounts, contacts, addresses, custom fields and what happens around them."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from sfa.core.models import Branch, HttpsURLField, Team, TimeStampedModel
from sfa.customers.regarding import regarding_label, regarding_url


def private_storage():
    return storages["private"]


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
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[types])

    state_field = "status"

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["branch", "status"]),
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


def check_contact_of_account(record) -> None:
    """A record's ``contact``, when set, is one of its own customer's contacts."""
    if record.contact_id and record.account_id and record.contact.account_id != record.account_id:
        raise ValidationError({"contact": _("This contact belongs to another customer.")})


class RegardingFields(models.Model):
    """Activities, reminders and documents belong to a customer, regard one other record (an
    enquiry of a prospect, an opportunity; see ``sfa.customers.regarding``), or both."""

    regarding_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    regarding_id = models.PositiveBigIntegerField(null=True, blank=True)
    regarding = GenericForeignKey("regarding_type", "regarding_id")

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.account_id is None and self.regarding_id is None:
            raise ValidationError({"account": _("Choose a customer or the record it is about.")})
        if getattr(self, "contact_id", None) is not None:
            if self.account_id is None:
                raise ValidationError({"contact": _("Only records of a customer have contacts.")})
            check_contact_of_account(self)

    @property
    def regarding_url(self) -> str:
        return regarding_url(self)

    @property
    def regarding_label(self) -> str:
        return regarding_label(self)


def regarding_index(model: str) -> models.Index:
    return models.Index(fields=["regarding_type", "regarding_id"], name=f"customers_{model}_regard")


def regarding_checks(model: str) -> list[models.CheckConstraint]:
    """A row of ``RegardingFields`` belongs to a customer or regards a record, or both."""
    return [
        models.CheckConstraint(
            condition=Q(account__isnull=False) | Q(regarding_id__isnull=False),
            name=f"customers_{model}_account_or_regarding",
        ),
        models.CheckConstraint(
            condition=Q(regarding_type__isnull=True, regarding_id__isnull=True)
            | Q(regarding_type__isnull=False, regarding_id__isnull=False),
            name=f"customers_{model}_regarding_complete",
        ),
    ]


class Reminder(TimeStampedModel, RegardingFields):
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    subject = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    due_date = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    key = models.SlugField(
        max_length=40,
        blank=True,
        db_index=False,
        help_text=_(
            "Set on a reminder the system keeps up to date for its record (quote_due: the "
            "quote owed for an enquiry); blank on reminders people add."
        ),
    )

    class Meta:
        ordering = ["is_done", "due_date", "pk"]
        indexes = [
            models.Index(fields=["assignee", "is_done", "due_date"]),
            regarding_index("reminder"),
        ]
        constraints = [
            *regarding_checks("reminder"),
            models.UniqueConstraint(
                fields=["regarding_type", "regarding_id", "key"],
                condition=~Q(key=""),
                name="customers_reminder_one_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_date}: {self.subject}"

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_date < timezone.localdate()


class Activity(RegardingFields):
    """One entry in the history of dealings with a customer or about an enquiry."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        NOTE = "note", _("Note")
        VISIT = "visit", _("Visit")
        SYSTEM = "system", _("System")

    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["account", "-occurred_at"]), regarding_index("activity")]
        constraints = regarding_checks("activity")

    def __str__(self) -> str:
        return self.subject


def document_upload_to(instance: "Document", filename: str) -> str:
    """``documents/<customer>/…``, or ``documents/<app>.<model>/<id>/…`` without a customer."""
    today = timezone.localdate()
    folder = instance.account_id
    if folder is None:
        kind = ContentType.objects.get_for_id(instance.regarding_type_id)
        folder = f"{kind.app_label}.{kind.model}/{instance.regarding_id}"
    return f"documents/{folder}/{today:%Y/%m}/{Path(filename).name}"


class Document(RegardingFields):
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_upload_to, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [regarding_index("document")]
        constraints = regarding_checks("document")

    def __str__(self) -> str:
        return self.title


def contract_upload_to(instance: "Contract", filename: str) -> str:
    return f"contracts/{instance.account_id}/{Path(filename).name}"


class Contract(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    file = models.FileField(
        upload_to=contract_upload_to, storage=private_storage, blank=True, max_length=300
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="customers_contract_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DeletionRequest(ConcurrentTransitionMixin, models.Model):
    """A request to delete a customer for good; a manager decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    account = models.ForeignKey(
        Account, null=True, on_delete=models.SET_NULL, related_name="deletion_requests"
    )
    account_label = models.CharField(max_length=240)
    reason = models.TextField()
    state = FSMField(default=State.PENDING, choices=State.choices, protected=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(state="pending"),
                name="customers_one_pending_deletion_request",
            )
        ]

    def __str__(self) -> str:
        return f"Delete {self.account_label}"

    @transition(
        field=state,
        source=State.PENDING,
        target=State.APPROVED,
        permission="customers.approve_account_deletion",
    )
    def approve(self, *, by, comment: str = "") -> None:
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), comment

    @transition(
        field=state,
        source=State.PENDING,
        target=State.REJECTED,
        permission="customers.approve_account_deletion",
    )
    def reject(self, *, by, comment: str = "") -> None:
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), comment


class SavedFilter(models.Model):
    """A named customer search a user can reuse."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=120)
    query = models.CharField(max_length=2000, help_text=_("The list's query string."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="customers_saved_filter_unique")
        ]

    def __str__(self) -> str:
        return self.name
