"""Who sees which customer: ``account_visible_to`` and the selectors that follow it."""

import datetime

import pytest

from sfa.core.access import Role
from sfa.customers.models import AccountShare, Contract, DeletionRequest, Document
from sfa.customers.selectors import (
    account_visible_to,
    activity_visible_to,
    contact_visible_to,
    contract_visible_to,
    deletion_request_visible_to,
    document_visible_to,
    reminder_visible_to,
    ship_to_visible_to,
)
from tests import factories


def visible(user) -> set[int]:
    return set(account_visible_to(user).values_list("pk", flat=True))


def make_document(account) -> Document:
    return Document.objects.create(
        account=account,
        title="Offer",
        file="documents/offer.pdf",
        original_name="offer.pdf",
        content_type="application/pdf",
        size=10,
    )


def make_contract(account) -> Contract:
    return Contract.objects.create(
        account=account,
        number=f"CT-TEST-{account.pk}",
        title="Service",
        start_date=datetime.date(2026, 1, 1),
    )


# Accounts --------------------------------------------------------------------------------------


def test_owner_sees_own_account(rep1, account):
    assert visible(rep1) == {account.pk}


def test_rep_of_same_branch_does_not_see_colleagues_account(colleague, account):
    assert account.pk not in visible(colleague)


def test_rep_of_other_branch_does_not_see_account(rep2, account):
    assert account.pk not in visible(rep2)


def test_branch_manager_sees_accounts_of_own_branch(branch_manager, account):
    assert account.pk in visible(branch_manager)


def test_branch_manager_does_not_see_other_branch(branch_manager, south_account):
    assert south_account.pk not in visible(branch_manager)


@pytest.mark.parametrize(
    "role",
    [
        Role.SALES_MANAGER,
        Role.MARKETING_MANAGER,
        Role.BILLING_CLERK,
        Role.SUPPORT_MANAGER,
        Role.SUPPORT_AGENT,
        Role.ADMINISTRATOR,
    ],
)
def test_company_wide_roles_see_every_account(role, account, south_account, branch_north):
    user = factories.UserFactory(role=role, branch=branch_north)
    assert visible(user) == {account.pk, south_account.pk}


def test_superuser_without_role_sees_every_account(account, south_account):
    user = factories.UserFactory(is_superuser=True, is_staff=True)
    assert visible(user) == {account.pk, south_account.pk}


def test_share_with_a_user_makes_account_visible(rep2, rep1, account):
    AccountShare.objects.create(account=account, user=rep2, created_by=rep1)
    assert account.pk in visible(rep2)


def test_share_with_a_team_makes_account_visible_to_members(rep2, rep1, account):
    team = factories.TeamFactory()
    team.members.add(rep2)
    AccountShare.objects.create(account=account, team=team, created_by=rep1)
    assert account.pk in visible(rep2)


def test_share_with_a_team_does_not_reach_non_members(rep2, colleague, rep1, account):
    team = factories.TeamFactory()
    team.members.add(rep2)
    AccountShare.objects.create(account=account, team=team, created_by=rep1)
    assert account.pk not in visible(colleague)


def test_account_shared_twice_is_listed_once(rep2, rep1, account):
    team = factories.TeamFactory()
    team.members.add(rep2)
    AccountShare.objects.create(account=account, team=team, created_by=rep1)
    AccountShare.objects.create(account=account, user=rep2, created_by=rep1)
    assert list(account_visible_to(rep2).values_list("pk", flat=True)) == [account.pk]


def test_portal_user_sees_only_own_account(portal_customer, account, south_account):
    assert visible(portal_customer) == {account.pk}


def test_portal_user_without_portal_access_sees_nothing(portal_customer, account):
    account.contacts.update(has_portal_access=False)
    assert visible(portal_customer) == set()


def test_portal_user_of_archived_contact_sees_nothing(portal_customer, account):
    account.contacts.update(is_active=False)
    assert visible(portal_customer) == set()


def test_inactive_user_sees_no_account(rep1, account):
    rep1.is_active = False
    assert visible(rep1) == set()


def test_inactive_manager_sees_no_account(sales_manager, account):
    sales_manager.is_active = False
    assert visible(sales_manager) == set()


def test_anonymous_user_sees_no_account(account):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()


# Records of an account -------------------------------------------------------------------------


def test_contacts_follow_account_visibility(rep1, rep2, account, south_account):
    mine = factories.ContactFactory(account=account)
    factories.ContactFactory(account=south_account)
    assert list(contact_visible_to(rep1)) == [mine]


def test_contacts_of_shared_account_become_visible(rep1, rep2, account):
    contact = factories.ContactFactory(account=account)
    AccountShare.objects.create(account=account, user=rep2, created_by=rep1)
    assert list(contact_visible_to(rep2)) == [contact]


def test_portal_user_sees_contacts_of_own_account_only(portal_customer, account, south_account):
    factories.ContactFactory(account=south_account)
    assert set(contact_visible_to(portal_customer)) == set(account.contacts.all())


def test_ship_to_addresses_follow_account_visibility(rep1, account, south_account):
    mine = factories.ShipToFactory(account=account)
    factories.ShipToFactory(account=south_account)
    assert list(ship_to_visible_to(rep1)) == [mine]


def test_activities_follow_account_visibility(rep1, account, south_account):
    mine = factories.ActivityFactory(account=account)
    factories.ActivityFactory(account=south_account)
    assert list(activity_visible_to(rep1)) == [mine]


def test_documents_follow_account_visibility(rep1, account, south_account):
    mine = make_document(account)
    make_document(south_account)
    assert list(document_visible_to(rep1)) == [mine]


def test_contracts_follow_account_visibility(rep1, account, south_account):
    mine = make_contract(account)
    make_contract(south_account)
    assert list(contract_visible_to(rep1)) == [mine]


def test_branch_manager_sees_records_of_branch_accounts(branch_manager, account, south_account):
    mine = factories.ContactFactory(account=account)
    factories.ContactFactory(account=south_account)
    assert list(contact_visible_to(branch_manager)) == [mine]


def test_reminders_follow_account_visibility(rep1, account, south_account):
    mine = factories.ReminderFactory(account=account)
    factories.ReminderFactory(account=south_account)
    assert list(reminder_visible_to(rep1)) == [mine]


def test_reminder_assigned_to_me_is_visible_on_an_account_i_cannot_see(rep1, south_account):
    reminder = factories.ReminderFactory(account=south_account, assignee=rep1)
    assert south_account.pk not in visible(rep1)
    assert list(reminder_visible_to(rep1)) == [reminder]


def test_reminder_assigned_to_me_on_my_account_is_listed_once(rep1, account):
    reminder = factories.ReminderFactory(account=account, assignee=rep1)
    assert list(reminder_visible_to(rep1)) == [reminder]


def test_portal_user_sees_no_reminders(portal_customer, account):
    factories.ReminderFactory(account=account)
    assert not reminder_visible_to(portal_customer).exists()


def test_inactive_user_sees_no_records_not_even_own_reminders(rep1, account):
    factories.ContactFactory(account=account)
    factories.ReminderFactory(account=account, assignee=rep1)
    rep1.is_active = False
    assert not contact_visible_to(rep1).exists()
    assert not reminder_visible_to(rep1).exists()


# Deletion requests -----------------------------------------------------------------------------


@pytest.fixture
def deletion_request(account, rep1):
    return DeletionRequest.objects.create(
        account=account, account_label=str(account), reason="Duplicate", requested_by=rep1
    )


def test_requester_sees_own_deletion_request(rep1, deletion_request):
    assert list(deletion_request_visible_to(rep1)) == [deletion_request]


def test_other_rep_does_not_see_deletion_request(colleague, deletion_request):
    assert not deletion_request_visible_to(colleague).exists()


def test_approver_sees_every_deletion_request(sales_manager, deletion_request):
    assert list(deletion_request_visible_to(sales_manager)) == [deletion_request]


def test_portal_user_sees_no_deletion_request(portal_customer, deletion_request):
    assert not deletion_request_visible_to(portal_customer).exists()


def test_inactive_approver_sees_no_deletion_request(sales_manager, deletion_request):
    sales_manager.is_active = False
    assert not deletion_request_visible_to(sales_manager).exists()


def test_inactive_requester_sees_no_deletion_request(rep1, deletion_request):
    rep1.is_active = False
    assert not deletion_request_visible_to(rep1).exists()
