"""Readable change history from django-simple-history records: who changed what, from what
to what, with names for relations, yes/no for booleans and labels for choices."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

Triple = tuple[str, str, str]  # field label, old value, new value
ALWAYS_HIDDEN = frozenset({"updated_at", "created_at"})
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    kind: str  # created / changed / deleted / transition
    changes: list[Triple]


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since
        return None


def _related_name(model, pk) -> str:
    found = model._base_manager.filter(pk=pk).first()
    return str(found) if found is not None else f"#{pk} (deleted)"


def show_value(field, value) -> str:
    """A stored value as users read it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field is not None and field.many_to_many and isinstance(value, list):
        target = field.related_model._meta.model_name
        ids = [item.get(target) if isinstance(item, dict) else item for item in value]
        return ", ".join(sorted(_related_name(field.related_model, pk) for pk in ids)) or "—"
    if field is not None and field.is_relation:
        return _related_name(field.related_model, value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def field_changes(record, previous, *, hidden=frozenset(), expand=None) -> list[Triple]:
    """What changed between two history records of one row. ``expand`` maps a field (a JSON
    field, say) to a function ``(old, new) -> [triples]`` that itemises it."""
    model = record.instance_type
    expand = expand or {}
    diffs: list[Triple] = []
    for change in record.diff_against(previous).changes:
        if change.field in expand:
            diffs += expand[change.field](change.old, change.new)
        elif change.field not in hidden and change.field not in ALWAYS_HIDDEN:
            field = _field(model, change.field)
            label = str(field.verbose_name) if field is not None else change.field
            diffs.append((label, show_value(field, change.old), show_value(field, change.new)))
    return diffs


def record_changes(
    records, *, title: Callable = lambda record: "", hidden=frozenset(), expand=None
) -> list[Change]:
    """One row's history records (newest first) as changes; saves that changed nothing
    visible are left out."""
    records = list(records)
    changes = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        kind = KINDS[record.history_type]
        diffs: list[Triple] = []
        if previous is not None and kind == "changed":
            diffs = field_changes(record, previous, hidden=hidden, expand=expand)
            if not diffs:
                continue
        changes.append(
            Change(
                record.history_date,
                str(record.history_user or "system"),
                title(record),
                kind,
                diffs,
            )
        )
    return changes
