from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "sfa.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from sfa.core.roles import sync_roles_after_last_app

        post_migrate.connect(sync_roles_after_last_app, dispatch_uid="sfa-sync-roles")

        from anymail.signals import tracking

        from sfa.core.mail import on_tracking

        tracking.connect(on_tracking, dispatch_uid="sfa-email-tracking")

        from django.contrib.auth import get_user_model

        from sfa.core.choices import cache_choices_of
        from sfa.core.models import Branch, Team

        cache_choices_of(get_user_model(), Branch, Team)

        from sfa.core import auth

        auth.connect()
