"""The "History" tab: every recorded change of a customer and its records, newest first."""

from dataclasses import dataclass
from datetime import datetime

from sfa.core.fsm import transition_history
from sfa.customers.models import Account

HIDDEN_FIELDS = {"updated_at", "created_at", "custom_fields"}


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    kind: str  # created / changed / deleted / transition
    changes: list[tuple[str, str, str]]


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:  # noqa: BLE001 - m2m or removed fields keep their name
        return field_name.replace("_", " ")


def _custom_field_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    keys = sorted(set(old) | set(new))
    return [
        (f"special: {key}", str(old.get(key, "")), str(new.get(key, "")))
        for key in keys
        if old.get(key) != new.get(key)
    ]


def _record_changes(records, title) -> list[Change]:
    changes = []
    records = list(records)
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        diffs: list[tuple[str, str, str]] = []
        if previous is not None and kind == "changed":
            diffs = _field_changes(record, previous)
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


def _field_changes(record, previous) -> list[tuple[str, str, str]]:
    model = record.instance_type
    diffs: list[tuple[str, str, str]] = []
    for change in record.diff_against(previous).changes:
        if change.field == "custom_fields":
            diffs += _custom_field_changes(change.old or {}, change.new or {})
        elif change.field not in HIDDEN_FIELDS:
            field = _field(model, change.field)
            diffs.append(
                (_label(model, change.field), _show(field, change.old), _show(field, change.new))
            )
    return diffs


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since
        return None


def _related_name(model, pk) -> str:
    found = model._base_manager.filter(pk=pk).first()
    return str(found) if found is not None else f"#{pk} (deleted)"


def _show(field, value) -> str:
    """A stored value as users read it: names for relations, yes/no, labels of choices."""
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


def account_history(account: Account, limit: int = 200) -> list[Change]:
    history_user = "history_user"
    entries = _record_changes(
        account.history.select_related(history_user).order_by("-history_date", "-history_id"),
        lambda r: "Customer",
    )
    related = [
        (account.contacts.model.history.filter(account_id=account.pk), "Contact"),
        (account.ship_to.model.history.filter(account_id=account.pk), "Ship-to"),
        (account.contracts.model.history.filter(account_id=account.pk), "Contract"),
    ]
    for queryset, noun in related:
        by_record: dict[int, list] = {}
        for record in queryset.select_related(history_user).order_by(
            "-history_date", "-history_id"
        ):
            by_record.setdefault(record.id, []).append(record)
        for records in by_record.values():
            entries += _record_changes(records, lambda r, noun=noun: f"{noun} {r.instance}")
    for log in transition_history(account):
        entries.append(
            Change(
                log.created_at,
                str(log.actor or "system"),
                "Customer",
                "transition",
                [("status", log.source, log.target)]
                + ([("note", "", log.note)] if log.note else []),
            )
        )
    entries.sort(key=lambda c: c.when, reverse=True)
    return entries[:limit]
