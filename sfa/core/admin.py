from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from sfa.core.mail import email_resend
from sfa.core.models import (
    Branch,
    NumberCounter,
    OutgoingEmail,
    OutgoingEmailAttachment,
    Team,
    TransitionLog,
    User,
)


@admin.register(User)
class SfaUserAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "branch",
        "is_branch_manager",
        "is_active",
    ]
    list_filter = ["branch", "is_branch_manager", "groups", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = UserAdmin.fieldsets + (
        ("Organisation", {"fields": ["branch", "is_branch_manager", "phone", "job_title"]}),
    )


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "manager"]
    filter_horizontal = ["members"]


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "content_type",
        "object_id",
        "transition",
        "source",
        "target",
        "actor",
    ]
    list_filter = ["content_type", "transition"]
    readonly_fields = [f.name for f in TransitionLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberCounter)
class NumberCounterAdmin(admin.ModelAdmin):
    list_display = ["kind", "year", "last"]
    readonly_fields = ["kind", "year", "last"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OutgoingEmailAttachmentInline(admin.TabularInline):
    model = OutgoingEmailAttachment
    fields = ["filename", "content_type", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "subject", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "esp_message_id", "to"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    inlines = [OutgoingEmailAttachmentInline]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send again")
    def resend(self, request, queryset):
        resent = [email_resend(email=email, actor=request.user) for email in queryset]
        waiting = sum(email.status == OutgoingEmail.Status.PREPARING for email in resent)
        self.message_user(request, f"{len(resent) - waiting} e-mail(s) queued again.")
        if waiting:
            self.message_user(
                request,
                f"{waiting} e-mail(s) still wait for their attachments and were left alone.",
                messages.WARNING,
            )
