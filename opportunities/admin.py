from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from opportunities.models import LostReason, Opportunity, OpportunityLine, Quota, StageSetting
from opportunities.quotas import quota_copy_to_next_period


@admin.register(StageSetting)
class StageSettingAdmin(admin.ModelAdmin):
    """Relabel stages and change their default probability; the states themselves are fixed."""

    list_display = ["stage", "label", "default_probability", "idle_days", "position"]
    list_editable = ["label", "default_probability", "idle_days", "position"]
    readonly_fields = ["stage"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpportunityLineInline(admin.TabularInline):
    model = OpportunityLine
    extra = 0
    readonly_fields = ["line_total"]
    raw_id_fields = ["product"]


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "account",
        "state",
        "probability",
        "amount",
        "expected_close_date",
        "owner",
    ]
    list_filter = ["state", "branch"]
    search_fields = ["title", "account__name", "account__code"]
    readonly_fields = ["state", "stage_changed_at", "closed_at", "source_lead"]
    raw_id_fields = ["account", "contact", "owner"]
    inlines = [OpportunityLineInline]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(LostReason)


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["owner", "period_start", "period_end", "amount", "currency"]
    list_filter = ["period_start", "owner__branch", "owner"]
    list_select_related = ["owner"]
    search_fields = ["owner__username", "owner__first_name", "owner__last_name"]
    date_hierarchy = "period_start"
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["copy_to_next_period"]

    @admin.action(description="Copy to the next period (month, quarter…)", permissions=["add"])
    def copy_to_next_period(self, request, queryset):
        copied, refused = 0, []
        for quota in queryset.select_related("owner"):
            try:
                quota_copy_to_next_period(quota=quota, actor=request.user)
                copied += 1
            except ValidationError:
                refused.append(str(quota.owner))
        self.message_user(request, f"{copied} quota(s) copied to the next period.")
        if refused:
            self.message_user(
                request,
                "Already set for the next period: " + ", ".join(refused),
                level=messages.WARNING,
            )
