from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tickets import canned
from tickets.models import (
    AgentStatus,
    BusinessCalendar,
    CannedResponse,
    Holiday,
    InboundEmail,
    SlaPolicy,
    TeamRouting,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketComment,
    WorkingHours,
)


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    """Weekly hours and holidays that SLA targets count business time on."""

    list_display = ["name", "time_zone"]
    inlines = [WorkingHoursInline, HolidayInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """Targets per priority (and optionally per customer group), in business minutes of the
    calendar. A changed policy applies to tickets opened or re-prioritised afterwards."""

    list_display = [
        "name",
        "priority",
        "customer_group",
        "calendar",
        "first_response_minutes",
        "resolution_minutes",
        "is_active",
    ]
    list_filter = ["priority", "is_active", "calendar"]
    list_select_related = ["customer_group", "calendar"]


@admin.register(TicketCategory)
class TicketCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class TicketCommentInline(admin.TabularInline):
    model = TicketComment
    extra = 0
    fields = ["created_at", "author", "from_customer", "is_public", "body"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    """Read-only: tickets are opened, answered and moved through their states in the staff
    UI, the portal and the API (services keep the SLA clock and the log). Never deleted."""

    list_display = [
        "number",
        "subject",
        "account",
        "priority",
        "state",
        "team",
        "assignee",
        "first_response_due",
        "resolution_due",
        "created_at",
    ]
    list_filter = ["state", "priority", "channel", "team", "category"]
    search_fields = ["number", "subject", "account__name", "account__code", "requester_email"]
    list_select_related = ["account", "team", "assignee"]
    date_hierarchy = "created_at"
    inlines = [TicketCommentInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Ticket._meta.concrete_fields] + ["watchers"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CannedResponseAdminForm(forms.ModelForm):
    class Meta:
        model = CannedResponse
        fields = ["title", "body", "team", "owner", "is_active"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = canned.unknown_fields(body)
        if unknown:
            known = ", ".join(canned.MERGE_FIELDS)
            raise forms.ValidationError(
                f"Unknown merge fields: {', '.join(unknown)}. Known fields: {known}."
            )
        return body


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    """Prepared replies with merge fields ({{ contact.first_name }}, {{ ticket.number }} …):
    empty team and owner = everyone's; a team = its members'; an owner = that agent's own."""

    form = CannedResponseAdminForm
    list_display = ["title", "team", "owner", "is_active", "times_used", "created_at"]
    list_filter = ["is_active", "team", ("owner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "body"]
    list_select_related = ["team", "owner"]
    readonly_fields = ["times_used", "created_at"]


@admin.register(TeamRouting)
class TeamRoutingAdmin(admin.ModelAdmin):
    """How a support team's new tickets find an agent: the team's queue (manual),
    round-robin or the available agent with the fewest open tickets (see tickets.routing).
    Support managers also change it on /tickets/teams/."""

    list_display = ["team", "mode", "max_open_per_agent", "last_assigned"]
    list_filter = ["mode"]
    list_select_related = ["team", "last_assigned"]
    readonly_fields = ["last_assigned"]


@admin.register(AgentStatus)
class AgentStatusAdmin(admin.ModelAdmin):
    """Agents away (holiday, sick) get no routed tickets; no row = available. Agents switch
    it themselves on "My queue"."""

    list_display = ["user", "is_available", "changed_at"]
    list_filter = ["is_available"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """What the inbound webhook received and what became of it (read only): a ticket, a
    reply, or why it was dropped (automatic reply, bounce, our own mail, unknown sender)."""

    list_display = ["received_at", "from_email", "subject", "outcome", "ticket", "esp"]
    list_filter = ["outcome", "esp"]
    search_fields = ["from_email", "subject", "message_id", "ticket__number"]
    list_select_related = ["ticket"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TicketAttachment)
class TicketAttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "ticket", "size", "from_customer", "created_at"]
    search_fields = ["filename", "ticket__number"]
    list_select_related = ["ticket"]
    raw_id_fields = ["ticket", "comment", "uploaded_by"]
