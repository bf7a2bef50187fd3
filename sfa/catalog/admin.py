from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sfa.catalog.models import PriceList, PriceListItem, Product, ProductCategory, TaxRate


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "unit", "unit_price", "tax_rate", "is_active"]
    list_filter = ["is_active", "category", "tax_rate"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False


class PriceListItemInline(admin.TabularInline):
    model = PriceListItem
    extra = 1
    raw_id_fields = ["product"]


@admin.register(PriceList)
class PriceListAdmin(SimpleHistoryAdmin):
    list_display = ["name", "customer_group", "valid_from", "valid_until", "is_active"]
    list_filter = ["customer_group", "is_active"]
    inlines = [PriceListItemInline]


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]


admin.site.register(TaxRate)
