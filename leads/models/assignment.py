"""Assignment rules: who owns a new lead that nobody chose an owner for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leads.models.lead import Lead
from sfa.catalog.models import ProductCategory
from sfa.core.models import Team, TimeStampedModel


class AssignmentRule(TimeStampedModel):
    """Rules are tried by priority; the first whose conditions all hold picks the owner.

    Empty conditions match everything. The owner is a fixed user, or the next member of a team
    in turn (round-robin, remembered on the rule under a row lock so parallel leads alternate).
    """

    name = models.CharField(max_length=120)
    priority = models.PositiveSmallIntegerField(default=100, help_text=_("Lower is tried first."))
    is_active = models.BooleanField(default=True)
    # conditions
    channel = models.CharField(max_length=12, choices=Lead.Channel.choices, blank=True)
    regions = models.CharField(
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated regions or ISO country codes, matched against the lead's region or "
            "country (case-insensitive); blank = anywhere."
        ),
    )
    product_category = models.ForeignKey(
        ProductCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Matches when a requested product is in this category or below it."),
    )
    web_form = models.ForeignKey(
        "leads.WebForm",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignment_rules",
        help_text=_("Only for leads from this web form."),
    )
    # who gets it
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Round-robin among the team's active members."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Or always this user."),
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=True, user__isnull=False)
                | models.Q(team__isnull=False, user__isnull=True),
                name="assignmentrule_team_xor_user",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def region_list(self) -> list[str]:
        return [part.strip().casefold() for part in self.regions.split(",") if part.strip()]

    def clean(self) -> None:
        if bool(self.team_id) == bool(self.user_id):
            raise ValidationError({"team": _("Choose either a team (round-robin) or a user.")})
