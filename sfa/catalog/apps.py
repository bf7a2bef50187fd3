from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sfa.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.roles import crud, grant

        models = ["product", "productcategory", "taxrate", "pricelist", "pricelistitem"]
        view = [p for m in models for p in crud(f"catalog.{m}", "view")]
        for role in Role:
            if role not in (Role.CUSTOMER, Role.ADMINISTRATOR):
                grant(role, *view)
        grant(
            Role.SALES_MANAGER,
            *[p for m in models for p in crud(f"catalog.{m}", "add", "change")],
            "catalog.import_product",
        )

        from sfa.catalog import views
        from sfa.core.navigation import MenuItem, register, register_search

        register(MenuItem("Products", "catalog:list", "catalog.view_product", order=50))
        register_search(views.product_search_provider)

        from sfa.catalog.resources import ProductResource
        from sfa.core.importing import register_importer

        register_importer("products", ProductResource, "catalog.import_product", "Products")

        from sfa.catalog.demo import load_demo_catalog
        from sfa.core.demo import register_loader

        register_loader(20, "catalog", load_demo_catalog)
