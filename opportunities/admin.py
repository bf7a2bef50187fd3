from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opportunities.models import LostReason, Opportunity, OpportunityLine, StageSetting


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
