from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "sfa.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from sfa.core.roles import sync_roles_after_last_app

        post_migrate.connect(sync_roles_after_last_app, dispatch_uid="sfa-sync-roles")
