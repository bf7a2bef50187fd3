"""Roles are Django groups whose permissions are synchronised after ``migrate``."""

import pytest
from django.contrib.auth.models import Group, Permission

from sfa.core.access import Role
from sfa.core.roles import sync_roles
from tests import factories

pytestmark = pytest.mark.django_db


def perms_of(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_every_role_group_exists_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names


def test_administrator_holds_every_permission():
    assert Group.objects.get(name=Role.ADMINISTRATOR.value).permissions.count() == (
        Permission.objects.count()
    )


def test_customer_role_holds_no_permission():
    assert perms_of(Role.CUSTOMER) == set()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CUSTOMER])
def test_every_staff_role_can_view_customers(role):
    assert "customers.view_account" in perms_of(role)


def test_support_agent_can_view_but_not_change_customers():
    agent = factories.UserFactory(role=Role.SUPPORT_AGENT)
    assert agent.has_perm("customers.view_account")
    assert not agent.has_perm("customers.change_account")


def test_sales_rep_can_archive_but_not_approve_deletion():
    rep = factories.UserFactory(role=Role.SALES_REP)
    assert rep.has_perm("customers.archive_account")
    assert not rep.has_perm("customers.approve_account_deletion")


def test_sales_manager_can_approve_deletion():
    manager = factories.UserFactory(role=Role.SALES_MANAGER)
    assert manager.has_perm("customers.approve_account_deletion")


def test_sync_restores_a_permission_removed_by_hand():
    group = Group.objects.get(name=Role.SUPPORT_AGENT.value)
    group.permissions.clear()
    sync_roles()
    assert "customers.view_account" in perms_of(Role.SUPPORT_AGENT)


def test_sync_removes_a_permission_added_by_hand():
    group = Group.objects.get(name=Role.CUSTOMER.value)
    group.permissions.add(Permission.objects.get(codename="view_account"))
    sync_roles()
    assert perms_of(Role.CUSTOMER) == set()


def test_sync_recreates_a_deleted_role_group():
    Group.objects.filter(name=Role.BILLING_CLERK.value).delete()
    sync_roles()
    assert "customers.export_account" in perms_of(Role.BILLING_CLERK)
