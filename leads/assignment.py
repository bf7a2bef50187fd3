"""Pick the owner of a new lead from the assignment rules (see ``AssignmentRule``)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from leads.models import AssignmentRule
from sfa.catalog.models import Product
from sfa.core.access import Role
from sfa.core.rotation import next_in_turn

User = get_user_model()


@dataclass
class Facts:
    """What rules look at: known before the lead is saved."""

    channel: str = ""
    region: str = ""
    country: str = ""
    products: list[Product] = field(default_factory=list)
    web_form_id: int | None = None


def matches(rule: AssignmentRule, facts: Facts) -> bool:
    if rule.channel and rule.channel != facts.channel:
        return False
    if rule.web_form_id and rule.web_form_id != facts.web_form_id:
        return False
    regions = rule.region_list()
    place = {facts.region.strip().casefold(), facts.country.strip().casefold()} - {""}
    if regions and not place & set(regions):
        return False
    if rule.product_category_id:
        lineages = (p.category.lineage() for p in facts.products if p.category_id)
        if not any(rule.product_category in lineage for lineage in lineages):
            return False
    return True


def _next_member(rule: AssignmentRule):
    """The team's active staff member after the last one served."""
    members = rule.team.members.filter(is_active=True).exclude(groups__name=Role.CUSTOMER)
    return next_in_turn(members, last_id=rule.last_assigned_id)


def owner_by_rules(facts: Facts, rules: Iterable[AssignmentRule] | None = None):
    """``(owner, rule)`` of the first matching active rule, or None. Call inside a transaction.

    A round-robin rule is re-read under a row lock, so parallel leads take turns.
    """
    candidates = (
        rules
        if rules is not None
        else AssignmentRule.objects.filter(is_active=True).select_related(
            "product_category", "user"
        )
    )
    for rule in candidates:
        if not matches(rule, facts):
            continue
        if rule.user_id:
            if rule.user.is_active:
                return rule.user, rule
            continue
        with transaction.atomic():
            locked = AssignmentRule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
            member = _next_member(locked)
            if member is None:
                continue
            locked.last_assigned = member
            locked.save(update_fields=["last_assigned", "updated_at"])
            return member, locked
    return None
