"""State-machine plumbing shared by every workflow app.

A service locks the row, calls :func:`ensure_transition`, runs the transition, saves, and logs
with :func:`log_transition`. :func:`transition_record` does those steps for the common case.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from sfa.core.exceptions import ActionForbidden, ConcurrentUpdate, TransitionRefused
from sfa.core.models import TransitionLog


def full_clean(
    instance: models.Model, *, exclude: Iterable[str] = (), validate_unique: bool = True
) -> None:
    """``full_clean()`` that leaves protected state fields alone (they refuse assignment).

    ``exclude`` and ``validate_unique=False`` are for bulk writers that check those fields
    for a whole batch at once (``sfa.customers.bulk``)."""
    protected = [f.name for f in instance._meta.concrete_fields if getattr(f, "protected", False)]
    instance.full_clean(exclude=[*protected, *exclude], validate_unique=validate_unique)


def state_field_name(instance: models.Model) -> str:
    return getattr(instance, "state_field", "state")


def refused(name: str) -> TransitionRefused:
    return TransitionRefused(f"'{name}' is not allowed from the current state.")


def ensure_transition(method: Callable, actor, *, check_permission: bool = True) -> None:
    """Refuse with 409 in a wrong state (checked first), then 403 without permission.

    ``check_permission=False`` is for a customer's own move (a quote's answer, closing their
    ticket): customers hold no staff permission; the portal's scoping or the signed link is
    their permission. System moves pass ``actor=None``.
    """
    if not can_proceed(method):
        raise refused(method.__name__)
    if check_permission and actor is not None and not has_transition_perm(method, actor):
        raise ActionForbidden(f"You may not '{method.__name__}' this record.")


def ensure_state_allows(instance: models.Model, *names: str) -> None:
    """409 unless one of the transitions ``names`` may leave the record's current state
    (conditions aside: the service checks them, with their own answers). The API runs it
    before it looks at a request's body: a refused transition is 409 whatever the body."""
    if not any(can_proceed(getattr(instance, name), check_conditions=False) for name in names):
        raise refused(names[0])


def log_transition(
    instance: models.Model,
    *,
    actor,
    source: str,
    transition: str,
    note: str = "",
    at: datetime.datetime | None = None,
) -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        transition=transition,
        source=source,
        target=getattr(instance, state_field_name(instance)),
        actor=actor,
        note=note,
        created_at=at or timezone.now(),
    )


def transition_record(
    instance: models.Model,
    name: str,
    /,
    *,
    actor,
    note: str = "",
    at: datetime.datetime | None = None,
    check_permission: bool = True,
    related: tuple[str, ...] = (),
    prepare: Callable[[models.Model], None] | None = None,
    **kwargs: Any,
) -> models.Model:
    """Lock, check, transition, save and log one record; return the fresh instance.

    ``at``: when it happened (an e-mail's date, an import), passed to the transition method
    as ``at=`` and to the log; default now. ``related``: relations loaded with the locked row
    (only the row itself is locked). ``prepare(record)`` runs on the locked record after the
    checks and before the transition: a further refusal, or fields the move depends on (a
    ticket's paused SLA clock). Other keyword arguments go to the transition method (a
    quote's answer has a ``name``: hence ``instance`` and ``name`` are positional only).
    """
    model = type(instance)
    with transaction.atomic():
        rows = model.objects.select_for_update(of=("self",) if related else ())
        locked = rows.select_related(*related).get(pk=instance.pk)
        method = getattr(locked, name)
        ensure_transition(method, actor, check_permission=check_permission)
        source = getattr(locked, state_field_name(locked))
        if prepare is not None:
            prepare(locked)
        if at is not None:
            kwargs["at"] = at
        method(**kwargs)
        locked._history_user = actor
        try:
            locked.save()
        except ConcurrentTransition as exc:
            raise ConcurrentUpdate() from exc
        log_transition(locked, actor=actor, source=source, transition=name, note=note, at=at)
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
