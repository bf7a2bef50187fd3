"""What activities, reminders and documents can be about, besides (or before) a customer.

A row of these belongs to a customer (``account``), regards one other record (``regarding``:
an enquiry, an opportunity), or both. An app whose records should carry them registers the
model from its ``AppConfig.ready()``; this app never imports it::

    from sfa.customers.regarding import register_regarding
    register_regarding(Lead, visible_to=lead_visible_to, accepts=lead_takes_records,
                       url=lead_url, label=lead_label)

- ``visible_to(user)`` is the model's scoping selector: whoever sees the record sees what is
  logged on it (``activity_visible_to`` and the others add it as a subquery).
- ``accepts(record)`` (optional) says whether rows may still be added (a converted enquiry
  takes none: they moved to the customer and the opportunity).
- ``url(record)`` and ``label(record)`` (optional) link and name it in lists and e-mails.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q
from django.db.models.functions import Cast


@dataclass(frozen=True)
class RegardingKind:
    model: type[Model]
    visible_to: Callable
    accepts: Callable[[Model], bool] | None = None
    url: Callable[[Model], str] | None = None
    label: Callable[[Model], str] | None = None


_KINDS: dict[str, RegardingKind] = {}


def register_regarding(
    model: type[Model], *, visible_to, accepts=None, url=None, label=None
) -> None:
    _KINDS[model._meta.label_lower] = RegardingKind(model, visible_to, accepts, url, label)


def regarding_kind(record) -> RegardingKind | None:
    return _KINDS.get(record._meta.label_lower) if record is not None else None


def regarding_of(record) -> Q:
    """The rows that regard ``record``."""
    return Q(regarding_type=ContentType.objects.get_for_model(record), regarding_id=record.pk)


def regarding_visible_q(user) -> Q:
    """Rows about a registered record the user sees: one subquery per registered model."""
    scope = Q(pk__in=[])  # nothing, when no app registered a model
    for label, kind in _KINDS.items():
        app_label, model = label.split(".")
        types = ContentType.objects.filter(app_label=app_label, model=model).values("pk")
        records = kind.visible_to(user).values("pk")
        scope |= Q(regarding_type__in=types, regarding_id__in=records)
    return scope


def _registered_kind(row) -> RegardingKind | None:
    """The registered kind of what a row regards, found without loading the record."""
    if row.regarding_type_id is None:
        return None
    model_type = ContentType.objects.get_for_id(row.regarding_type_id)  # cached
    return _KINDS.get(f"{model_type.app_label}.{model_type.model}")


def regarding_url(row) -> str:
    """Where the record a row regards is shown, if its app says so (else "")."""
    kind = _registered_kind(row)
    if kind is None or kind.url is None or row.regarding is None:
        return ""
    return kind.url(row.regarding)


def regarding_label(row) -> str:
    """The name of the record a row regards, for a registered kind (else "")."""
    kind = _registered_kind(row)
    if kind is None or row.regarding is None:
        return ""
    return kind.label(row.regarding) if kind.label is not None else str(row.regarding)


def account_records_q(account, user) -> Q:
    """Transition-log rows of the registered records that belong to ``account`` and that the
    user sees (``TransitionLog`` keeps the id as text, hence the cast); one subquery each."""
    scope = Q(pk__in=[])
    for label, kind in _KINDS.items():
        if not any(f.name == "account" for f in kind.model._meta.get_fields()):
            continue
        app_label, model = label.split(".")
        ids = (
            kind.visible_to(user)
            .filter(account=account)
            .annotate(text_id=Cast("pk", CharField()))
            .values("text_id")
        )
        scope |= Q(content_type__app_label=app_label, content_type__model=model, object_id__in=ids)
    return scope


def record_link(record) -> tuple[str, str]:
    """(label, url) of a registered record, for timelines; ("", "") when unregistered."""
    kind = regarding_kind(record)
    if kind is None:
        return "", ""
    label = kind.label(record) if kind.label is not None else str(record)
    return label, kind.url(record) if kind.url is not None else ""
