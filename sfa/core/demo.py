"""Demo data: ``manage.py demo`` runs every registered loader in order, idempotently.

Apps register a loader in ``AppConfig.ready()``::

    from sfa.core.demo import register_loader
    register_loader(30, "quotes", load_demo_quotes)

A loader gets a :class:`DemoContext` (seeded random generator, the demo users by username,
today's date) and must be safe to run twice: it creates what is missing and leaves the rest.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from sfa.core.access import Role
from sfa.core.models import Branch, Team, User

DEMO_PASSWORD = "sfa-demo"  # noqa: S105 - documented demo logins


@dataclass
class DemoContext:
    rng: random.Random
    today: datetime.date
    users: dict[str, User] = field(default_factory=dict)
    branches: dict[str, Branch] = field(default_factory=dict)
    log: Callable[[str], None] = print


_LOADERS: list[tuple[int, str, Callable[[DemoContext], None]]] = []

# username, first, last, role, branch, branch manager
DEMO_USERS = [
    ("admin", "Ada", "Admin", Role.ADMINISTRATOR, "N", False),
    ("salesmanager", "Sam", "Seller", Role.SALES_MANAGER, "N", True),
    ("marketing", "Mia", "Marketer", Role.MARKETING_MANAGER, "N", False),
    ("rep1", "Rita", "North", Role.SALES_REP, "N", False),
    ("rep2", "Rob", "South", Role.SALES_REP, "S", False),
    ("billing", "Bill", "Clerk", Role.BILLING_CLERK, "N", False),
    ("supportmanager", "Sue", "Support", Role.SUPPORT_MANAGER, "N", False),
    ("agent1", "Alex", "Agent", Role.SUPPORT_AGENT, "N", False),
    ("agent2", "Ari", "Agent", Role.SUPPORT_AGENT, "S", False),
]


def register_loader(order: int, name: str, loader: Callable[[DemoContext], None]) -> None:
    if all(existing[1] != name for existing in _LOADERS):
        _LOADERS.append((order, name, loader))


def load_organisation(ctx: DemoContext) -> None:
    for code, name in (("N", "North branch"), ("S", "South branch")):
        ctx.branches[code], _ = Branch.objects.get_or_create(code=code, defaults={"name": name})
    for username, first, last, role, branch, manages in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@sfa.example",
                branch=ctx.branches[branch],
                is_branch_manager=manages,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            user.groups.add(Group.objects.get(name=role.value))
        ctx.users[username] = user
    sales, _ = Team.objects.get_or_create(
        name="Sales North",
        defaults={"branch": ctx.branches["N"], "manager": ctx.users["salesmanager"]},
    )
    sales.members.add(ctx.users["rep1"], ctx.users["salesmanager"])
    support, _ = Team.objects.get_or_create(
        name="Support", defaults={"manager": ctx.users["supportmanager"]}
    )
    support.members.add(ctx.users["agent1"], ctx.users["agent2"], ctx.users["supportmanager"])


def run_demo(*, seed: int = 20261123, log: Callable[[str], None] = print) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), today=timezone.localdate(), log=log)
    with transaction.atomic():
        load_organisation(ctx)
        for _order, name, loader in sorted(_LOADERS, key=lambda item: item[0]):
            log(f"demo: {name}")
            loader(ctx)
    return ctx
