"""A user's roles and permissions from the shared cache.

Every staff request asked PostgreSQL for the user's groups (roles) and, for anyone but a
superuser, twice for their permissions. With a shared cache (``SFA_CACHE_AUTH``, on with
``SFA_CACHE_SHARED``) they are kept there under one version, which any change of a group, a
permission or a membership renews in every process (:func:`connect`, called by
``CoreConfig.ready()``). A deactivated user has no permissions whatever the cache holds
(``ModelBackend`` checks ``is_active`` first). Without a shared cache they are read as before.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "sfa:auth-version"
TIMEOUT = 60 * 60


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def new_version(**kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def cached_for_user(user, kind: str, compute):
    """``compute()`` for this user, kept in the shared cache until groups or permissions
    change."""
    if not settings.SFA_CACHE_AUTH or not user.pk:
        return compute()
    # A superuser has every permission: the flag is part of the key, so that changing it (a
    # save of the user, which sends no signal this module listens to) takes effect at once.
    key = f"sfa:auth:{_version()}:{user.pk}:{int(user.is_superuser)}:{kind}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT)
    return value


class CachedModelBackend(ModelBackend):
    """Django's ``ModelBackend`` with the permission sets from :func:`cached_for_user`."""

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, name):
            compute = super()._get_permissions
            perms = cached_for_user(
                user_obj, f"perms-{from_name}", lambda: compute(user_obj, obj, from_name)
            )
            setattr(user_obj, name, perms)
        return getattr(user_obj, name)


def connect() -> None:
    user_model = get_user_model()
    for sender in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(new_version, sender=sender, dispatch_uid=f"sfa-auth-{sender}")
    m2m_changed.connect(new_version, sender=Group.permissions.through, dispatch_uid="sfa-auth-gp")
    for model in (Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(new_version, sender=model, dispatch_uid=f"sfa-auth-{model.__name__}")
