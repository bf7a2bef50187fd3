from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Enquiries and leads"

    def ready(self) -> None:
        from leads import wiring

        wiring.connect()
