"""Roles and the questions every ``visible_to(user)`` asks about a user.

Roles are Django groups (names below). Record scoping lives in each app's selectors; this
module only answers "who is this user" so those functions stay one line each.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    SALES_MANAGER = "sales manager"
    MARKETING_MANAGER = "marketing manager"
    SALES_REP = "sales rep"
    BILLING_CLERK = "billing clerk"
    SUPPORT_MANAGER = "support manager"
    SUPPORT_AGENT = "support agent"
    CUSTOMER = "customer"


# Roles whose work spans every customer (reports, campaigns, billing, support).
ALL_CUSTOMERS_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.SALES_MANAGER,
        Role.MARKETING_MANAGER,
        Role.BILLING_CLERK,
        Role.SUPPORT_MANAGER,
        Role.SUPPORT_AGENT,
    }
)


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_sfa_roles", None)
    if cached is None:
        from sfa.core.auth import cached_for_user

        cached = cached_for_user(
            user, "roles", lambda: frozenset(user.groups.values_list("name", flat=True))
        )
        user._sfa_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_portal_user(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and not user.is_staff
        and not user.is_superuser
        and Role.CUSTOMER in roles_of(user)
    )


def is_staff_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and not is_portal_user(user)


def sees_all_customers(user) -> bool:
    return getattr(user, "is_superuser", False) or bool(roles_of(user) & ALL_CUSTOMERS_ROLES)
