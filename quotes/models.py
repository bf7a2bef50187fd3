"""Quotes: versioned offers to a customer, approved when risky, sent as PDF, accepted online."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from opportunities.models import Opportunity
from sfa.catalog.models import DocumentLine
from sfa.core.models import Branch, ConcurrentTransitionMixin, TimeStampedModel
from sfa.customers.models import Account, Contact, PaymentTerm, private_storage

CHANGE_QUOTE = "quotes.change_quote"
MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0.00")}
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class TermsTemplate(models.Model):
    """Reusable terms and conditions (and introductions) for quotes."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms and conditions")
        INTRODUCTION = "introduction", _("Introduction")
        EMAIL = "email", _("E-mail message")

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TERMS)
    body = models.TextField(help_text=_("E-mail messages may use {{ quote }}, {{ contact }}…"))
    is_default = models.BooleanField(default=False, help_text=_("Preset on new quotes."))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="quotes_template_unique_name"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_default=True),
                name="quotes_template_one_default_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalRule(models.Model):
    """When a quote needs a sales manager's approval before it may be sent (contract review).

    Every active rule is checked; each one that fires adds its reason to the quote.
    """

    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)
    max_line_discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("A line discount above this needs approval."),
    )
    max_total = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A quote total above this needs approval."),
    )
    check_credit = models.BooleanField(
        default=False,
        help_text=_("A customer on credit hold, or whose credit limit the quote exceeds."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def quote_pdf_upload_to(instance: "Quote", filename: str) -> str:
    return f"quotes/{instance.issue_date:%Y}/{instance.pdf_filename}"


class Quote(ConcurrentTransitionMixin, TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")

    OPEN_STATES = (State.DRAFT, State.PENDING_APPROVAL, State.APPROVED, State.SENT)
    EDITABLE_STATES = (State.DRAFT,)

    number = models.CharField(max_length=30, editable=False)
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="quotes")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_quotes"
    )
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes"
    )
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes"
    )
    previous_version = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        editable=False,
    )
    title = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    issue_date = models.DateField(default=timezone.localdate)
    valid_until = models.DateField()
    payment_terms = models.ForeignKey(
        PaymentTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_period = models.CharField(max_length=120, blank=True)
    delivery_point = models.CharField(max_length=200, blank=True)
    bill_to = models.TextField(blank=True, help_text=_("From the customer's address; editable."))
    ship_to = models.TextField(blank=True, help_text=_("From a ship-to address; editable."))
    introduction = models.TextField(blank=True)
    terms = models.TextField(_("terms and conditions"), blank=True)
    internal_notes = models.TextField(blank=True, help_text=_("Never printed or sent."))
    document_discount_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), validators=PERCENT
    )
    shipping = models.DecimalField(
        _("shipping & handling"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    shipping_tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), validators=PERCENT
    )
    adjustment = models.DecimalField(**MONEY, help_text=_("Added to the total; may be negative."))
    subtotal = models.DecimalField(**MONEY, editable=False)
    discount_total = models.DecimalField(**MONEY, editable=False)
    tax_total = models.DecimalField(**MONEY, editable=False)
    total = models.DecimalField(**MONEY, editable=False)
    tax_summary = models.JSONField(default=list, editable=False)
    # approval
    approval_reasons = models.JSONField(default=list, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    # sending and the customer's answer
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf = models.FileField(
        upload_to=quote_pdf_upload_to, storage=private_storage, blank=True, editable=False
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_by_name = models.CharField(max_length=200, blank=True, editable=False)
    answer_comment = models.TextField(blank=True, editable=False)
    answer_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    answer_channel = models.CharField(max_length=20, blank=True, editable=False)
    rejection_reason = models.CharField(max_length=300, blank=True, editable=False)
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="quotes_number_version"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issue_date")),
                name="quotes_valid_after_issue",
                violation_error_message=_("A quote cannot expire before it is issued."),
            ),
        ]
        indexes = [
            models.Index(fields=["issue_date", "id"], name="quotes_quote_list"),  # the list's order
            models.Index(fields=["state", "owner"]),
            models.Index(fields=["state", "valid_until"]),
            models.Index(fields=["number"]),
        ]
        permissions = [
            ("approve_quote", "Can approve quotes held for approval"),
            ("reassign_quote", "Can give quotes to another owner"),
            ("expire_quote", "Can expire open quotes (the nightly job does)"),
        ]

    def __str__(self) -> str:
        return self.display_number

    def get_absolute_url(self) -> str:
        """The quote's staff page; other modules link it through this."""
        return reverse("quotes:detail", args=[self.pk])

    @property
    def display_number(self) -> str:
        return self.number if self.version == 1 else f"{self.number} v{self.version}"

    @property
    def pdf_filename(self) -> str:
        """``Q-2026-00042.pdf`` (``Q-2026-00042-v2.pdf`` for a later version): the one name
        of the quote's PDF, downloaded, e-mailed or stored."""
        version = f"-v{self.version}" if self.version > 1 else ""
        return f"{self.number}{version}.pdf"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def is_past_validity(self, today: datetime.date | None = None) -> bool:
        return self.valid_until < (today or timezone.localdate())

    def clean(self) -> None:
        if self.contact_id and self.contact.account_id != self.account_id:
            raise ValidationError({"contact": _("This contact belongs to another customer.")})
        if self.opportunity_id and self.opportunity.account_id != self.account_id:
            raise ValidationError({"opportunity": _("This opportunity is another customer's.")})
        if self.valid_until and self.issue_date and self.valid_until < self.issue_date:
            raise ValidationError({"valid_until": _("A quote cannot expire before it is issued.")})

    def _stamp(self) -> None:
        self.state_changed_at = timezone.now()

    def _not_expired(self) -> bool:
        return not self.is_past_validity()

    def _needs_no_approval(self) -> bool:
        return not self.approval_reasons

    # Staff need ``change_quote`` (answers too: recorded from a phone call); the customer's own
    # answer (signed link, portal) is checked by the link or the portal, not by a permission.
    @transition(
        field=state, source=State.DRAFT, target=State.PENDING_APPROVAL, permission=CHANGE_QUOTE
    )
    def submit(self) -> None:
        """Held for approval: ``approval_reasons`` say why."""
        self._stamp()

    @transition(
        field=state,
        source=State.PENDING_APPROVAL,
        target=State.APPROVED,
        permission="quotes.approve_quote",
    )
    def approve(self, *, by) -> None:
        self.approved_by, self.approved_at = by, timezone.now()
        self._stamp()

    @transition(
        field=state,
        source=[State.PENDING_APPROVAL, State.APPROVED],
        target=State.DRAFT,
        permission="quotes.approve_quote",
    )
    def send_back(self) -> None:
        """Back to draft, to change it (the reason goes to the transition log)."""
        self.approved_by, self.approved_at = None, None
        self._stamp()

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SENT,
        conditions=[_needs_no_approval, _not_expired],
        permission=CHANGE_QUOTE,
    )
    def send(self) -> None:
        self.sent_at = timezone.now()
        self._stamp()

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.SENT,
        conditions=[_not_expired],
        permission=CHANGE_QUOTE,
    )
    def send_approved(self) -> None:
        self.sent_at = timezone.now()
        self._stamp()

    @transition(
        field=state,
        source=State.SENT,
        target=State.ACCEPTED,
        conditions=[_not_expired],
        permission=CHANGE_QUOTE,
    )
    def accept(self, *, name: str, comment: str = "", ip=None, channel: str = "") -> None:
        self.answered_at = timezone.now()
        self.answered_by_name, self.answer_comment = name, comment
        self.answer_ip, self.answer_channel = ip, channel
        self._stamp()

    @transition(
        field=state,
        source=State.SENT,
        target=State.REJECTED,
        conditions=[_not_expired],
        permission=CHANGE_QUOTE,
    )
    def reject(self, *, name: str, reason: str, comment: str = "", ip=None, channel="") -> None:
        self.answered_at = timezone.now()
        self.answered_by_name, self.rejection_reason = name, reason
        self.answer_comment, self.answer_ip, self.answer_channel = comment, ip, channel
        self._stamp()

    @transition(
        field=state,
        source=[State.PENDING_APPROVAL, State.APPROVED, State.SENT],
        target=State.EXPIRED,
        permission="quotes.expire_quote",
    )
    def expire(self) -> None:
        self._stamp()

    @transition(
        field=state,
        source=[State.SENT, State.REJECTED, State.EXPIRED, State.APPROVED],
        target=State.SUPERSEDED,
        permission=CHANGE_QUOTE,
    )
    def supersede(self) -> None:
        """A newer version replaces this one (its PDF is kept)."""
        self._stamp()


class QuoteLine(DocumentLine):
    class Kind(models.TextChoices):
        ITEM = "item", _("Item")
        SECTION = "section", _("Section heading")
        TEXT = "text", _("Text")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ITEM)
    tax_amount = models.DecimalField(**MONEY, editable=False)

    class Meta:
        ordering = ["quote", "position", "pk"]

    @property
    def is_item(self) -> bool:
        return self.kind == self.Kind.ITEM
