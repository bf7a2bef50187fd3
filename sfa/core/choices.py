"""Pickers over small tables (staff, branches, teams, customer types…) read from the cache.

Every staff list renders its filter form, and each picker of that form read its table on every
request. The choices (id and label) of a table named with :func:`cache_choices_of` are kept in
the cache under a version of that table; saving or deleting one of its rows starts a new
version, in every process, since apps call :func:`cache_choices_of` in their wiring. Writes
that send no signal (``update()``, ``bulk_create()``, SQL) are seen within ``TIMEOUT``.

Only with a shared cache (``SFA_CACHE_SHARED``, on with ``CACHE_URL``): the embedded
per-process cache would not see another process's writes.

A form field uses them with ``field.iterator = CachedChoiceIterator``; list filter forms
(``sfa.core.filters.ListFilterSet``) do so for every picker. A table not named reads as before.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

TIMEOUT = 10 * 60

_cached_models: set[str] = set()


def cache_choices_of(*models: type[Model]) -> None:
    """Keep the pickers of these models' rows in the cache (call it in an app's wiring)."""
    for model in models:
        label = model._meta.label
        _cached_models.add(label)
        for signal in (post_save, post_delete):
            signal.connect(
                _new_version, sender=model, weak=False, dispatch_uid=f"sfa-choices-{label}"
            )


def _version_key(label: str) -> str:
    return f"sfa:choices-version:{label}"


def _new_version(sender, **kwargs) -> None:
    cache.set(_version_key(sender._meta.label), time.time_ns(), timeout=None)


def is_cached(model: type[Model]) -> bool:
    return settings.SFA_CACHE_SHARED and model._meta.label in _cached_models


class CachedChoiceIterator(ModelChoiceIterator):
    """A ``ModelChoiceIterator`` whose (id, label) pairs come from the cache when the model's
    choices are cached. The options carry no model instance (``ModelChoiceIteratorValue``'s
    ``instance`` is ``None``)."""

    def __iter__(self):
        if not is_cached(self.queryset.model):
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:  # django-filter's "none"
            yield (self.field.null_value, self.field.null_label)
        for pk, label in self._pairs():
            yield (ModelChoiceIteratorValue(pk, None), label)

    def __len__(self):
        if not is_cached(self.queryset.model):
            return super().__len__()
        extra = [self.field.empty_label, getattr(self.field, "null_label", None)]
        return len(self._pairs()) + sum(label is not None for label in extra)

    def _pairs(self) -> list[tuple]:
        label = self.queryset.model._meta.label
        version_key = _version_key(label)
        version = cache.get(version_key)
        if version is None:
            version = time.time_ns()
            cache.add(version_key, version, timeout=None)
            version = cache.get(version_key, version)
        shape = f"{type(self.field).__qualname__}:{self.queryset.query}"
        digest = hashlib.blake2b(shape.encode(), digest_size=12).hexdigest()
        key = f"sfa:choices:{label}:{version}:{digest}"
        pairs = cache.get(key)
        if pairs is None:
            pairs = [(obj.pk, self.field.label_from_instance(obj)) for obj in self.queryset]
            cache.set(key, pairs, timeout=TIMEOUT)
        return pairs
