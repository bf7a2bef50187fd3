"""A user's roles and permissions come from the shared cache (``sfa.core.auth``) and follow
every change of groups and permissions at once."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sfa.core.access import Role, roles_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def auth_cache(settings):
    settings.SFA_CACHE_AUTH = True


def fresh(user):
    """The user as the next request loads it (no per-object caches)."""
    return get_user_model().objects.get(pk=user.pk)


def auth_queries(user) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        user.has_perm("customers.view_account")
        roles_of(user)
    return [q["sql"] for q in queries.captured_queries]


def test_the_second_request_reads_roles_and_permissions_from_the_cache(rep1):
    assert auth_queries(fresh(rep1))
    assert auth_queries(fresh(rep1)) == []


def test_a_user_taken_out_of_a_role_loses_its_permissions_at_once(rep1):
    assert fresh(rep1).has_perm("customers.view_account")
    rep1.groups.remove(Group.objects.get(name=Role.SALES_REP))
    user = fresh(rep1)
    assert not user.has_perm("customers.view_account")
    assert Role.SALES_REP not in roles_of(user)


def test_a_permission_granted_to_a_role_applies_at_once(rep1):
    permission = Permission.objects.get(codename="approve_account_deletion")
    assert not fresh(rep1).has_perm("customers.approve_account_deletion")
    Group.objects.get(name=Role.SALES_REP).permissions.add(permission)
    assert fresh(rep1).has_perm("customers.approve_account_deletion")


def test_a_superuser_made_an_ordinary_user_loses_the_other_permissions_at_once(rep1):
    rep1.is_superuser = True
    rep1.save()
    assert fresh(rep1).has_perm("customers.approve_account_deletion")
    rep1.is_superuser = False
    rep1.save()
    assert not fresh(rep1).has_perm("customers.approve_account_deletion")


def test_a_deactivated_user_has_no_permissions(rep1):
    fresh(rep1).has_perm("customers.view_account")
    rep1.is_active = False
    rep1.save()
    assert not fresh(rep1).has_perm("customers.view_account")


def test_without_the_cache_every_request_reads_the_database(rep1, settings):
    settings.SFA_CACHE_AUTH = False
    auth_queries(fresh(rep1))
    assert auth_queries(fresh(rep1))
