from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leads.models import Lead, LeadLine


class LeadLineInline(admin.TabularInline):
    model = LeadLine
    extra = 0
    fields = [
        "position",
        "product",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "line_total",
    ]
    readonly_fields = ["line_total"]
    raw_id_fields = ["product"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    """Read-mostly: enquiries change through the staff UI and API (services, transitions)."""

    list_display = ["number", "enquiry_date", "channel", "state", "__str__", "owner", "total"]
    list_filter = ["state", "channel", "source", "branch"]
    search_fields = ["number", "company", "email", "account__name", "account__code"]
    readonly_fields = [
        "number",
        "state",
        "subtotal",
        "discount_total",
        "tax_total",
        "total",
        "state_changed_at",
    ]
    raw_id_fields = ["account", "contact", "owner"]
    inlines = [LeadLineInline]

    def has_delete_permission(self, request, obj=None):
        return False
