"""The "History" tab: every recorded change of a customer and its records, newest first."""

from sfa.core.fsm import transition_history
from sfa.core.history import Change, Triple, record_changes
from sfa.customers.models import Account


def _custom_field_changes(old, new) -> list[Triple]:
    old, new = old or {}, new or {}
    keys = sorted(set(old) | set(new))
    return [
        (f"special: {key}", str(old.get(key, "")), str(new.get(key, "")))
        for key in keys
        if old.get(key) != new.get(key)
    ]


def _record_changes(records, title) -> list[Change]:
    return record_changes(records, title=title, expand={"custom_fields": _custom_field_changes})


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
