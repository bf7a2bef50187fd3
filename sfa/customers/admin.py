from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from sfa.core.exceptions import DomainError
from sfa.customers import services
from sfa.customers.models import (
    Account,
    Contact,
    Contract,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    DeletionRequest,
    Industry,
    PaymentTerm,
    ShipToAddress,
)
from sfa.customers.search import account_search, account_search_documents_refresh


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Never deleted from the admin: archive, or request the deletion of a customer."""

    def has_delete_permission(self, request, obj=None):
        return False


class ShipToInline(admin.TabularInline):
    model = ShipToAddress
    extra = 0
    fields = ["label", "street", "postal_code", "city", "country", "is_default", "is_active"]


@admin.register(Account)
class AccountAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "status", "group", "branch", "owner", "city", "country"]
    list_filter = ["status", "group", "branch", "types", "industry"]
    search_fields = ["code", "name", "email", "city", "contacts__email"]
    readonly_fields = ["status", "created_at", "updated_at"]
    filter_horizontal = ["types"]
    autocomplete_fields = ["owner"]
    inlines = [ShipToInline]
    actions = ["archive_selected"]

    def get_search_results(self, request, queryset, search_term):
        """The search box's search (``sfa.customers.search``), not ORs of LIKE over joins."""
        if not search_term.strip():
            return queryset, False
        return account_search(queryset, search_term), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account_search_documents_refresh(account_ids=[form.instance.pk])

    @admin.action(description="Archive selected customers", permissions=["change"])
    def archive_selected(self, request, queryset):
        done = 0
        for account in queryset.filter(status=Account.Status.ACTIVE):
            try:
                services.account_archive(account=account, actor=request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{account}: {error.detail}", messages.ERROR)
        self.message_user(request, f"{done} customer(s) archived.")


@admin.register(Contact)
class ContactAdmin(NoDeleteAdmin):
    list_display = [
        "last_name",
        "first_name",
        "account",
        "email",
        "is_primary",
        "has_portal_access",
        "is_active",
    ]
    list_filter = ["is_primary", "has_portal_access", "email_consent", "is_active"]
    search_fields = ["first_name", "last_name", "email", "account__name", "account__code"]
    raw_id_fields = ["account", "user"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = form.initial.get("account")
        account_search_documents_refresh(account_ids=[form.instance.account_id, before])


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "field_type", "is_required", "position", "is_active"]
    list_editable = ["position", "is_active"]
    filter_horizontal = ["industries"]


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    list_display = ["account_label", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in DeletionRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "account", "status", "start_date", "end_date", "review_date"]
    list_filter = ["status"]
    search_fields = ["number", "title", "account__name"]
    raw_id_fields = ["account"]
    readonly_fields = ["number"]


admin.site.register([CustomerType, CustomerGroup, Industry, PaymentTerm])
