"""State-machine plumbing shared by every workflow app.

A service locks the row, calls :func:`ensure_transition`, runs the transition, saves, and logs
with :func:`log_transition`. :func:`transition_record` does those steps for the common case.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from sfa.core.exceptions import ActionForbidden, ConcurrentUpdate, TransitionRefused
from sfa.core.models import TransitionLog


def full_clean(instance: models.Model) -> None:
    """``full_clean()`` that leaves protected state fields alone (they refuse assignment)."""
    protected = [f.name for f in instance._meta.concrete_fields if getattr(f, "protected", False)]
    instance.full_clean(exclude=protected)


def state_field_name(instance: models.Model) -> str:
    return getattr(instance, "state_field", "state")


def ensure_transition(method: Callable, actor) -> None:
    """Refuse with 409 in a wrong state (checked first), then 403 without permission."""
    name = method.__name__
    if not can_proceed(method):
        raise TransitionRefused(f"'{name}' is not allowed from the current state.")
    if actor is not None and not has_transition_perm(method, actor):
        raise ActionForbidden(f"You may not '{name}' this record.")


def log_transition(
    instance: models.Model, *, actor, source: str, transition: str, note: str = ""
) -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        transition=transition,
        source=source,
        target=getattr(instance, state_field_name(instance)),
        actor=actor,
        note=note,
    )


def transition_record(
    instance: models.Model, name: str, *, actor, note: str = "", **kwargs: Any
) -> models.Model:
    """Lock, check, transition, save and log one record; return the fresh instance."""
    model = type(instance)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=instance.pk)
        method = getattr(locked, name)
        ensure_transition(method, actor)
        source = getattr(locked, state_field_name(locked))
        method(**kwargs)
        try:
            locked.save()
        except ConcurrentTransition as exc:
            raise ConcurrentUpdate() from exc
        log_transition(locked, actor=actor, source=source, transition=name, note=note)
    return locked


def available_transitions(instance: models.Model, user) -> list[str]:
    field = state_field_name(instance)
    getter = getattr(instance, f"get_available_user_{field}_transitions")
    return sorted({t.name for t in getter(user)})


def transition_history(instance: models.Model):
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("actor")
