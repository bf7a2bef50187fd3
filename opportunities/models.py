"""Opportunities: the pipeline from prospecting to won or lost."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition
from simple_history.models import HistoricalRecords

from leads.models import Lead
from sfa.catalog.models import DocumentLine
from sfa.core.models import Branch, ConcurrentTransitionMixin, TimeStampedModel
from sfa.core.money import money
from sfa.customers.models import Account, Contact

CHANGE_OPPORTUNITY = "opportunities.change_opportunity"  # every move of the pipeline
MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0.00")}


class Stage(models.TextChoices):
    """The states of the machine; their labels and probabilities live in ``StageSetting``."""

    PROSPECTING = "prospecting", _("Prospecting")
    QUALIFICATION = "qualification", _("Qualification")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_STAGES = [Stage.PROSPECTING, Stage.QUALIFICATION, Stage.PROPOSAL, Stage.NEGOTIATION]


class StageSetting(models.Model):
    """What administrators may change about a stage without touching the state machine."""

    stage = models.CharField(max_length=20, choices=Stage.choices, unique=True)
    label = models.CharField(max_length=60)
    default_probability = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)], help_text=_("Percent, set when a deal enters it.")
    )
    idle_days = models.PositiveIntegerField(
        default=30, help_text=_("Deals longer than this in the stage are flagged as idle.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.label


class LostReason(models.Model):
    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def weighted_amount(amount: Decimal, probability: int) -> Decimal:
    """Amount × probability, to the cent, half-up (DESIGN §6): what the forecast expects of a
    deal. ``weighted_amount_sql`` is the same rule for the database, which sums many deals."""
    return money(amount * Decimal(probability) / 100)


def weighted_amount_sql(amount: str = "amount", probability: str = "probability") -> Round:
    """``weighted_amount`` of each row, in SQL: round to the cent per deal, then sum. The
    product divided by 100 is exact; PostgreSQL rounds a numeric half away from zero, which is
    ``ROUND_HALF_UP``."""
    return Round(
        models.F(amount) * models.F(probability) / 100,
        2,
        output_field=models.DecimalField(max_digits=MONEY["max_digits"], decimal_places=2),
    )


class Opportunity(ConcurrentTransitionMixin, TimeStampedModel):
    title = models.CharField(max_length=200)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="opportunities")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="opportunities"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities"
    )
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="opportunities"
    )
    state = FSMField(default=Stage.PROSPECTING, choices=Stage.choices, protected=True)
    probability = models.PositiveSmallIntegerField(default=10, validators=[MaxValueValidator(100)])
    amount = models.DecimalField(**MONEY, help_text=_("Net amount; from the lines when any."))
    currency = models.CharField(max_length=3, default="EUR")
    expected_close_date = models.DateField(null=True, blank=True)
    next_step = models.CharField(max_length=200, blank=True)
    next_step_date = models.DateField(null=True, blank=True)
    source_lead = models.OneToOneField(
        Lead,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunity",
        help_text=_("The enquiry it was converted from (one opportunity per enquiry)."),
    )
    competitors = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    lost_reason = models.ForeignKey(
        LostReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lost_detail = models.CharField(max_length=300, blank=True)
    lost_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["expected_close_date", "pk"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["state", "owner"]),
            models.Index(fields=["expected_close_date", "id"], name="opportunities_list"),
            # the forecast: deals won or lost in a period
            models.Index(fields=["state", "closed_at"], name="opportunities_closed"),
            # the board: the last month's wins
            models.Index(fields=["state", "stage_changed_at"], name="opportunities_moved"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The opportunity's staff page; other modules link it through this."""
        return reverse("opportunities:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STAGES

    @property
    def weighted_amount(self) -> Decimal:
        return weighted_amount(self.amount, self.probability)

    def _entered(self, probability: int | None) -> None:
        self.stage_changed_at = timezone.now()
        if probability is not None:
            self.probability = probability

    @transition(
        field=state,
        source=OPEN_STAGES,
        target=RETURN_VALUE(*OPEN_STAGES),
        permission=CHANGE_OPPORTUNITY,
    )
    def move(self, *, stage: str, probability: int | None = None) -> str:
        """Move to another open stage (the pipeline board)."""
        self._entered(probability)
        return stage

    @transition(field=state, source=OPEN_STAGES, target=Stage.WON, permission=CHANGE_OPPORTUNITY)
    def win(self) -> None:
        self._entered(100)
        self.closed_at = timezone.now()

    @transition(field=state, source=OPEN_STAGES, target=Stage.LOST, permission=CHANGE_OPPORTUNITY)
    def lose(self, *, reason: LostReason, detail: str = "") -> None:
        self.lost_from, self.lost_reason, self.lost_detail = self.state, reason, detail
        self._entered(0)
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=Stage.LOST,
        target=RETURN_VALUE(*OPEN_STAGES),
        permission=CHANGE_OPPORTUNITY,
    )
    def reopen(self, *, probability: int | None = None) -> str:
        stage = self.lost_from or Stage.PROSPECTING
        self.lost_reason, self.lost_detail, self.closed_at = None, "", None
        self._entered(probability)
        return stage


class OpportunityLine(DocumentLine):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["opportunity", "position", "pk"]


class Quota(TimeStampedModel):
    """What a rep should win in a period (a month or a quarter), set by sales managers.

    A rep's periods do not overlap, so quotas of several periods add up without counting a
    stretch of time twice."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quotas"
    )
    period_start = models.DateField()
    period_end = models.DateField(help_text=_("Last day of the period, included."))
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    currency = models.CharField(max_length=3, default="EUR")

    class Meta:
        ordering = ["period_start", "owner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "period_start"],
                name="opportunities_quota_one_per_owner_and_start",
                violation_error_message=_("This rep already has a quota starting on that day."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="opportunities_quota_ends_after_start",
                violation_error_message=_("The period ends before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="opportunities_quota_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    def clean(self) -> None:
        if self.period_start is None or self.period_end is None:
            return
        if self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
        if self.owner_id is None:
            return
        clash = (
            Quota.objects.filter(
                owner_id=self.owner_id,
                period_start__lte=self.period_end,
                period_end__gte=self.period_start,
            )
            .exclude(pk=self.pk)
            .order_by("period_start")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "period_start": _(
                        "This rep already has a quota for %(start)s – %(end)s, which overlaps."
                    )
                    % {"start": clash.period_start, "end": clash.period_end}
                }
            )
