"""The "regarding" subsystem every module uses.

Reminders, activities and documents belong to a customer, regard one other record (an enquiry,
an opportunity; see ``sfa.customers.regarding``), or both.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sfa.core.models import TimeStampedModel
from sfa.customers.models.accounts import Account
from sfa.customers.models.contacts import Contact
from sfa.customers.models.files import document_upload_to, private_storage
from sfa.customers.regarding import regarding_label, regarding_url


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
