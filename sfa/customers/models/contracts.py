"""Contracts of a customer, with their signed files."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sfa.core.models import TimeStampedModel
from sfa.customers.models.accounts import Account
from sfa.customers.models.files import contract_upload_to, private_storage


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
