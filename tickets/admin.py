from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tickets.models import (
    BusinessCalendar,
    Holiday,
    SlaPolicy,
    Ticket,
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
