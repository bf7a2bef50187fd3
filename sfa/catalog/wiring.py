"""The catalog's contributions to the base: roles, menu and search, the product import and
demo data. ``CatalogConfig.ready()`` calls :func:`connect`."""

from sfa.core.access import Role
from sfa.core.demo import register_loader
from sfa.core.importing import register_importer
from sfa.core.navigation import MenuItem, register, register_search
from sfa.core.roles import crud, grant


def grant_roles() -> None:
    """Every staff role reads the catalog; sales managers maintain and import it."""
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


def register_navigation() -> None:
    """The "Products" menu entry and the product search."""
    from sfa.catalog import views

    register(MenuItem("Products", "catalog:list", "catalog.view_product", order=50))
    register_search(views.product_search_provider)


def register_importers() -> None:
    """The product import."""
    from sfa.catalog.resources import ProductResource

    register_importer("products", ProductResource, "catalog.import_product", "Products")


def register_demo() -> None:
    """The demo catalog."""
    from sfa.catalog.demo import load_demo_catalog

    register_loader(20, "catalog", load_demo_catalog)


def connect() -> None:
    """Everything above, in this order (called from the AppConfig's ``ready()``)."""
    grant_roles()
    register_navigation()
    register_importers()
    register_demo()
