"""Which permissions each role (Django group) holds.

Apps grant permissions to roles in their ``AppConfig.ready()``; after ``migrate`` the groups
are synchronised with this registry, so a fresh database always has working roles. The
administrator role holds every permission.
"""

from collections import defaultdict

from sfa.core.access import Role

_GRANTS: dict[str, set[str]] = defaultdict(set)


def grant(role: Role, *perms: str) -> None:
    """``grant(Role.SALES_REP, "customers.view_account", ...)``; ``app.*_model`` expands."""
    _GRANTS[role].update(perms)


def crud(app_model: str, *verbs: str) -> list[str]:
    """``crud("customers.account", "view", "add")`` → the model permission names."""
    app, model = app_model.split(".")
    return [f"{app}.{verb}_{model}" for verb in verbs]


def sync_roles(**_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.ADMINISTRATOR:
            wanted = list(all_perms.values())
        else:
            wanted = [
                all_perms[name] for name in sorted(_GRANTS.get(role, ())) if name in all_perms
            ]
        group.permissions.set(wanted)


def sync_roles_after_last_app(app_config, **kwargs) -> None:
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if with_models and app_config is with_models[-1]:
        sync_roles()
