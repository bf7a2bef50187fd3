from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "sfa.customers"
    label = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from sfa.customers import wiring

        wiring.connect()
