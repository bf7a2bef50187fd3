"""Desk configuration: canned responses, team routing and agents' availability."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sfa.core.models import Team


class CannedResponse(models.Model):
    """A prepared reply with merge fields (``{{ contact.first_name }}``, ``{{ ticket.number }}``,
    ``{{ agent.name }}`` …): everyone's, a team's or one agent's own."""

    title = models.CharField(max_length=120)
    body = models.TextField()
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only for this team's members; empty = everyone."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A personal response, only for this agent."),
    )
    is_active = models.BooleanField(default=True)
    times_used = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class TeamRouting(models.Model):
    """How a support team's new tickets find an agent."""

    class Mode(models.TextChoices):
        MANUAL = "manual", _("Manual: the team's queue, agents take tickets")
        ROUND_ROBIN = "round_robin", _("Round-robin among available agents")
        LEAST_OPEN = "least_open", _("The available agent with the fewest open tickets")

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="ticket_routing")
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.MANUAL)
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    max_open_per_agent = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Agents at this many open tickets get no more.")
    )

    class Meta:
        verbose_name = "team routing"
        verbose_name_plural = "team routing"

    def __str__(self) -> str:
        return f"{self.team}: {self.get_mode_display()}"


class AgentStatus(models.Model):
    """Whether an agent takes new tickets now (away, on holiday): routing skips the absent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_status"
    )
    is_available = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "agent statuses"

    def __str__(self) -> str:
        return f"{self.user}: {'available' if self.is_available else 'away'}"
