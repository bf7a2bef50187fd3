import pytest

from sfa.core.history import record_changes
from tests import factories


@pytest.mark.django_db
def test_changes_name_relations_and_booleans_as_users_read_them(rep1, colleague):
    contact = factories.ContactFactory(account=factories.AccountFactory(owner=rep1))
    contact.is_primary, contact.title = True, "Buyer"
    contact._history_user = rep1
    contact.save()
    account = contact.account
    account.owner = colleague
    account.save()

    contact_changes = record_changes(contact.history.order_by("-history_date", "-history_id"))
    account_changes = record_changes(account.history.order_by("-history_date", "-history_id"))

    changed, created = contact_changes
    assert (changed.kind, changed.who, created.kind) == ("changed", str(rep1), "created")
    assert ("is primary", "no", "yes") in changed.changes
    assert ("title / role", "—", "Buyer") in changed.changes
    assert ("owner", str(rep1), str(colleague)) in account_changes[0].changes


@pytest.mark.django_db
def test_hidden_fields_and_empty_saves_are_left_out(rep1):
    account = factories.AccountFactory(owner=rep1)
    account.save()  # only updated_at moves
    account.notes = "x"
    account.save()
    changes = record_changes(
        account.history.order_by("-history_date", "-history_id"), hidden=frozenset({"notes"})
    )
    assert [c.kind for c in changes] == ["created"]
