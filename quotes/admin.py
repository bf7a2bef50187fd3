from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quotes.models import ApprovalRule, Quote, QuoteLine, TermsTemplate


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0
    fields = [
        "position",
        "kind",
        "product",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "line_total",
        "tax_amount",
    ]
    readonly_fields = fields
    raw_id_fields = ["product"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    """Read-mostly: quotes are built, priced, approved and sent in the staff UI and the API
    (services, transitions); here only the internal notes may change. A quote is never
    deleted (a sent version is what the customer was offered)."""

    list_display = [
        "__str__",
        "issue_date",
        "account",
        "title",
        "state",
        "owner",
        "total",
        "valid_until",
    ]
    list_filter = ["state", "branch", "issue_date"]
    search_fields = ["number", "title", "account__name", "account__code"]
    list_select_related = ["account", "owner"]
    date_hierarchy = "issue_date"
    inlines = [QuoteLineInline]
    changeable = {"internal_notes"}

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Quote._meta.concrete_fields if f.name not in self.changeable]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TermsTemplate)
class TermsTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_default", "is_active"]
    list_filter = ["kind", "is_default", "is_active"]
    search_fields = ["name", "body"]


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    """Every active rule is checked when a quote is saved; each one that fires holds the quote
    for a sales manager's approval with its reason."""

    list_display = ["name", "max_line_discount_percent", "max_total", "check_credit", "is_active"]
    list_filter = ["is_active", "check_credit"]
