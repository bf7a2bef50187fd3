from django.contrib import admin

from tickets.models import BusinessCalendar, Holiday, WorkingHours


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
