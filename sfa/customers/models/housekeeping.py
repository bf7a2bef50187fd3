"""Deletion requests for customers and users' saved list filters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from sfa.core.models import ConcurrentTransitionMixin
from sfa.customers.models.accounts import Account


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
