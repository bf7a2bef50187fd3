from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sfa.portal"
    label = "portal"
    verbose_name = "Customer portal"
