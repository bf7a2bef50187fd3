from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sfa.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from sfa.catalog import wiring

        wiring.connect()
