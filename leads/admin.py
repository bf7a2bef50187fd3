from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from leads.models import (
    AssignmentRule,
    ConversionMapping,
    Lead,
    LeadLine,
    WebForm,
    WebFormField,
    WebFormSubmission,
)
from leads.webforms import embed_code, webform_url


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


class WebFormFieldInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        targets = {data.get("target") for data in kept}
        identifying = {WebFormField.Target.EMAIL, WebFormField.Target.COMPANY}
        identifying.add(WebFormField.Target.LAST_NAME)
        if not targets & identifying:
            raise ValidationError("Ask for at least the e-mail, the company or the last name.")
        names = [data.get("key") or data.get("target") for data in kept]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValidationError(f"Each field once only: {', '.join(twice)}.")


class WebFormFieldInline(admin.TabularInline):
    model = WebFormField
    formset = WebFormFieldInlineFormSet
    extra = 0
    fields = ["position", "target", "key", "label", "is_required", "kind", "choices", "help_text"]


@admin.register(WebForm)
class WebFormAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "owner", "use_assignment_rules", "leads"]
    list_filter = ["is_active", "source"]
    search_fields = ["name", "slug", "title", "source_detail"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["owner"]
    readonly_fields = ["public_link", "embed_snippet", "created_by", "created_at", "updated_at"]
    inlines = [WebFormFieldInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_active", "public_link", "embed_snippet"]}),
        ("What visitors see", {"fields": ["title", "introduction", "submit_label"]}),
        ("After sending", {"fields": ["thank_you_text", "redirect_url"]}),
        (
            "The leads",
            {
                "fields": [
                    "owner",
                    "use_assignment_rules",
                    "source",
                    "source_detail",
                    "product_category",
                ]
            },
        ),
        (
            "E-mails",
            {
                "fields": [
                    "send_acknowledgement",
                    "acknowledgement_subject",
                    "acknowledgement_body",
                    "notify_owner",
                ]
            },
        ),
        ("Spam and embedding", {"fields": ["min_fill_seconds", "max_per_hour_per_ip"]}),
        (None, {"fields": ["embed_origins", "created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("owner")
            .annotate(_leads=Count("submissions"))
        )

    @admin.display(description="submissions", ordering="_leads")
    def leads(self, obj) -> int:
        return obj._leads

    @admin.display(description="link")
    def public_link(self, obj) -> str:
        if not obj.pk:
            return "Save the form to get its link."
        url = webform_url(obj)
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description="embed in a website")
    def embed_snippet(self, obj) -> str:
        if not obj.pk:
            return "—"
        return format_html("<textarea readonly rows=3 cols=90>{}</textarea>", embed_code(obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebFormSubmission)
class WebFormSubmissionAdmin(admin.ModelAdmin):
    """Accepted submissions, for checking what a visitor sent. Read-only."""

    list_display = ["created_at", "form", "lead", "outcome", "ip_address"]
    list_filter = ["form", "outcome"]
    search_fields = ["lead__number", "lead__email", "ip_address"]
    list_select_related = ["form", "lead"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "priority",
        "is_active",
        "channel",
        "regions",
        "product_category",
        "web_form",
        "team",
        "user",
        "last_assigned",
    ]
    list_editable = ["priority", "is_active"]
    list_filter = ["is_active", "channel", "team"]
    list_select_related = ["product_category", "web_form", "team", "user", "last_assigned"]
    raw_id_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "priority", "is_active"]}),
        (
            "When (all given conditions must hold)",
            {"fields": ["channel", "regions", "product_category", "web_form"]},
        ),
        ("Who gets the lead", {"fields": ["team", "user"]}),
    ]


@admin.register(ConversionMapping)
class ConversionMappingAdmin(admin.ModelAdmin):
    """Which lead field fills which field of the customer, contact and opportunity."""

    list_display = ["target", "target_field", "source", "overwrite", "is_active", "position"]
    list_editable = ["overwrite", "is_active", "position"]
    list_filter = ["target", "is_active"]
    ordering = ["target", "position"]
