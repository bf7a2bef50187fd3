"""The few rows the bulk data refers to, made the project's way (ORM, demo code, factories):
staff users, branches and teams, lookups, the catalogue, SLA policies, ticket categories,
quotas and the knowledge base (through its services, so bodies are rendered and indexed).

Everything is fetched or created, so a half-finished load can be run again.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from knowledgebase import services as kb_services
from knowledgebase.models import Article, Category
from opportunities.models import LostReason, Quota, StageSetting
from sfa.catalog.models import Product, ProductCategory, TaxRate
from sfa.core import demo
from sfa.core.access import Role
from sfa.core.models import Branch, Team, User
from sfa.customers.models import (
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    Industry,
    PaymentTerm,
)
from tests.bench.load import words
from tests.core.factories import BranchFactory, TeamFactory, UserFactory
from tickets.models import BusinessCalendar, SlaPolicy, TicketCategory, WorkingHours

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
REPS_PER_BRANCH = 7  # the last one of each branch is its branch manager
AGENTS = 12  # agent1 … agent12; agents 9–12 are the second level
SECOND_LEVEL_FROM = 9
PRODUCTS_PER_KIND = 22
KB_ARTICLES = 200
SLA_TARGETS = {  # priority → business minutes to the first response, to the resolution
    "urgent": (60, 4 * 60),
    "high": (2 * 60, 10 * 60),
    "normal": (4 * 60, 30 * 60),
    "low": (8 * 60, 50 * 60),
}


@dataclass(frozen=True)
class BranchRef:
    id: int
    code: str
    region: str
    cities: list[tuple[str, str, str, str]]  # city, postal prefix, phone area code, state
    reps: list[int]  # user ids, the branch manager last


@dataclass(frozen=True)
class ProductRef:
    id: int
    name: str
    price: Decimal
    tax_rate: Decimal
    unit: str


@dataclass
class Reference:
    """The ids the set-based statements pick from."""

    branches: list[BranchRef] = field(default_factory=list)
    admin: int = 0
    sales_manager: int = 0
    first_level: tuple[int, list[int]] = (0, [])  # team id, agent ids
    second_level: tuple[int, list[int]] = (0, [])
    groups: list[int] = field(default_factory=list)
    industries: list[int] = field(default_factory=list)
    payment_terms: list[int] = field(default_factory=list)
    customer_types: list[int] = field(default_factory=list)
    sales_teams: list[int] = field(default_factory=list)
    products: list[ProductRef] = field(default_factory=list)
    sla: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # id, first, resolution
    ticket_categories: list[int] = field(default_factory=list)
    lost_reasons: list[int] = field(default_factory=list)
    probabilities: dict[str, int] = field(default_factory=dict)


# Staff -----------------------------------------------------------------------------------------


def _branches(ctx: demo.DemoContext) -> dict[str, Branch]:
    found = dict(ctx.branches)
    for code, name, _region, _cities in words.BRANCHES:
        if code not in found:
            found[code] = BranchFactory(code=code, name=name)
    return found


def _staff_user(username: str, index: int, role: Role, branch: Branch, **extra) -> User:
    return UserFactory(
        username=username,
        first_name=words.FIRST_NAMES[index % len(words.FIRST_NAMES)],
        last_name=words.LAST_NAMES[(index * 7) % len(words.LAST_NAMES)],
        email=f"{username}@sfa.example",
        branch=branch,
        role=role,
        **extra,
    )


def _reps(ctx, branches: dict[str, Branch]) -> dict[str, list[User]]:
    """Seven reps per branch (the demo's rep1 in North and rep2 in South among them)."""
    reps: dict[str, list[User]] = {code: [] for code in branches}
    reps["N"].append(ctx.users["rep1"])
    reps["S"].append(ctx.users["rep2"])
    number = 3
    for code, _name, _region, _cities in words.BRANCHES:
        while len(reps[code]) < REPS_PER_BRANCH:
            manager = len(reps[code]) == REPS_PER_BRANCH - 1
            reps[code].append(
                _staff_user(
                    f"rep{number}",
                    number,
                    Role.SALES_REP,
                    branches[code],
                    is_branch_manager=manager,
                )  # fmt: skip
            )
            number += 1
    return reps


def _sales_teams(ctx, branches: dict[str, Branch], reps: dict[str, list[User]]) -> list[int]:
    teams = []
    for code, _name, region, _cities in words.BRANCHES:
        team = Team.objects.filter(name=f"Sales {region}").first()
        if team is None:
            team = TeamFactory(
                name=f"Sales {region}", branch=branches[code], manager=ctx.users["salesmanager"]
            )
        team.members.add(*reps[code])
        teams.append(team.pk)
    return teams


def _agents(ctx, branches: dict[str, Branch]) -> list[User]:
    agents = [ctx.users["agent1"], ctx.users["agent2"]]
    for number in range(3, AGENTS + 1):
        branch = branches["N" if number % 2 else "S"]
        agents.append(_staff_user(f"agent{number}", 40 + number, Role.SUPPORT_AGENT, branch))
    return agents


def _support_teams(ctx, agents: list[User]) -> tuple[Team, Team]:
    first = Team.objects.get(name="Support")  # the demo's
    first.members.add(*agents[: SECOND_LEVEL_FROM - 1])
    second = Team.objects.filter(name="Support 2nd level").first()
    if second is None:
        second = TeamFactory(name="Support 2nd level", manager=ctx.users["supportmanager"])
    second.members.add(*agents[SECOND_LEVEL_FROM - 1 :], ctx.users["supportmanager"])
    return first, second


def staff(ref: Reference) -> dict[str, User]:
    """The demo's organisation (admin, managers, rep1/rep2, agent1/agent2; password
    ``sfa-demo``) grown to six branches, 42 reps, 12 agents in two support teams."""
    ctx = demo.DemoContext(rng=random.Random(17), today=timezone.localdate(), log=lambda _: None)
    with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):  # 0.5 s a user otherwise
        demo.load_organisation(ctx)
        branches = _branches(ctx)
        reps = _reps(ctx, branches)
        ref.sales_teams = _sales_teams(ctx, branches, reps)
        agents = _agents(ctx, branches)
        first, second = _support_teams(ctx, agents)
    # every login's password is the demo's, hashed once the proper way
    User.objects.filter(password__startswith="md5$").update(
        password=make_password(demo.DEMO_PASSWORD)
    )
    for code, _name, region, cities in words.BRANCHES:
        ref.branches.append(
            BranchRef(branches[code].pk, code, region, cities, [u.pk for u in reps[code]])
        )
    ref.admin, ref.sales_manager = ctx.users["admin"].pk, ctx.users["salesmanager"].pk
    ref.first_level = (first.pk, [a.pk for a in agents[: SECOND_LEVEL_FROM - 1]])
    ref.second_level = (second.pk, [a.pk for a in agents[SECOND_LEVEL_FROM - 1 :]])
    return ctx.users


# Lookups and catalogue ---------------------------------------------------------------------------


def customer_lookups(ref: Reference) -> None:
    ref.customer_types = [
        CustomerType.objects.get_or_create(name=n)[0].pk for n in words.CUSTOMER_TYPES
    ]
    ref.groups = [
        CustomerGroup.objects.get_or_create(code=code, defaults={"name": name})[0].pk
        for code, name in words.CUSTOMER_GROUPS
    ]
    ref.industries = [Industry.objects.get_or_create(name=n)[0].pk for n in words.INDUSTRIES]
    ref.payment_terms = [
        PaymentTerm.objects.get_or_create(name=name, defaults={"days": days})[0].pk
        for name, days in words.PAYMENT_TERMS
    ]
    fields = [
        ("employees", "Employees", "number", []),
        ("segment", "Segment", "choice", ["SME", "Mid-market", "Enterprise"]),
        ("iso_certified", "ISO 9001 certified", "boolean", []),
    ]
    for position, (key, label, kind, choices) in enumerate(fields):
        CustomFieldDefinition.objects.get_or_create(
            key=key,
            defaults={"label": label, "field_type": kind, "choices": choices, "position": position},
        )


def catalogue(ref: Reference) -> None:
    rates = {
        "Standard": TaxRate.objects.get_or_create(
            name="Standard", defaults={"rate": Decimal("19.00"), "is_default": True}
        )[0],
        "Reduced": TaxRate.objects.get_or_create(
            name="Reduced", defaults={"rate": Decimal("7.00")}
        )[0],  # fmt: skip
    }
    rng = random.Random(42)
    number = 1
    for parent_name, kinds in words.PRODUCT_CATEGORIES.items():
        parent, _ = ProductCategory.objects.get_or_create(name=parent_name, parent=None)
        for kind, base, unit_name, rate in kinds:
            category, _ = ProductCategory.objects.get_or_create(name=kind, parent=parent)
            for _ in range(PRODUCTS_PER_KIND):
                price = (Decimal(base) * rng.randint(70, 180) / 100).quantize(Decimal("0.01"))
                name = f"{kind} {rng.choice(words.PRODUCT_SIZES)}-{rng.randint(100, 999)}"
                product, _ = Product.objects.get_or_create(
                    code=f"P-{number:04d}",
                    defaults={"name": name, "category": category, "unit": unit_name,
                              "unit_price": price, "tax_rate": rates[rate]},
                )  # fmt: skip
                ref.products.append(
                    ProductRef(product.pk, product.name, product.unit_price,
                               product.tax_rate.rate, product.unit)
                )  # fmt: skip
                number += 1


def support_desk(ref: Reference) -> None:
    calendar, created = BusinessCalendar.objects.get_or_create(name="Support hours")
    if created:
        WorkingHours.objects.bulk_create(
            WorkingHours(
                calendar=calendar, weekday=day, start=datetime.time(8), end=datetime.time(18)
            )  # fmt: skip
            for day in range(5)
        )
    for priority, (first, resolution) in SLA_TARGETS.items():
        policy, _ = SlaPolicy.objects.get_or_create(
            priority=priority,
            customer_group=None,
            defaults={"name": f"{priority.capitalize()} priority", "calendar": calendar,
                      "first_response_minutes": first, "resolution_minutes": resolution},
        )  # fmt: skip
        ref.sla[priority] = (policy.pk, policy.first_response_minutes, policy.resolution_minutes)
    ref.ticket_categories = [
        TicketCategory.objects.get_or_create(name=n)[0].pk for n in words.TICKET_CATEGORIES
    ]


def pipeline(ref: Reference) -> None:
    """Stage settings and lost reasons come with the migrations."""
    ref.lost_reasons = list(LostReason.objects.order_by("pk").values_list("pk", flat=True))
    ref.probabilities = dict(StageSetting.objects.values_list("stage", "default_probability"))


def quotas(ref: Reference, today: datetime.date) -> int:
    """A quarterly quota per rep, for the three years of data and the current year."""
    starts = [datetime.date(year, month, 1) for year in range(today.year - 3, today.year + 1)
              for month in (1, 4, 7, 10)]  # fmt: skip
    rows = []
    for branch in ref.branches:
        for index, rep in enumerate(branch.reps):
            for start in starts:
                end = (start.replace(day=28) + datetime.timedelta(days=70)).replace(day=1)
                amount = Decimal(150_000 + 25_000 * ((index + start.month) % 5))
                rows.append(
                    Quota(owner_id=rep, period_start=start, amount=amount,
                          period_end=end - datetime.timedelta(days=1))
                )  # fmt: skip
    return len(Quota.objects.bulk_create(rows, ignore_conflicts=True))


# Knowledge base ----------------------------------------------------------------------------------


def _kb_body(title: str, rng: random.Random) -> str:
    steps = rng.sample(
        [
            "Switch the machine off at the main switch and wait for the spindle to stop.",
            "Check the oil level in the sight glass; top up with the recommended oil.",
            "Clean the area with a lint-free cloth; never use compressed air on the ways.",
            "Note the error code and the serial number before you call us.",
            "Compare the reading with the value in the table below.",
            "Restart the machine and run the warm-up programme for ten minutes.",
            "Tighten the screws crosswise to the torque given in the manual.",
        ],
        4,
    )
    listed = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
    return (
        f"## Overview\n\nThis article explains **{title.lower()}**.\n\n## Steps\n\n{listed}\n\n"
        "| Setting | Value |\n|---|---:|\n| Oil temperature | 40 °C |\n| Pressure | 6 bar |\n"
    )


def _kb_categories() -> list[Category]:
    found: dict[str, Category] = {}
    for position, (slug, name, parent) in enumerate(words.KB_CATEGORIES):
        found[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "parent": found.get(parent), "position": position}
        )
    return list(found.values())


def knowledge_base(users: dict[str, User]) -> int:
    """~200 articles by the agents, most published by the support manager, some waiting for
    review, in draft or archived; every one through ``knowledgebase.services``."""
    if Article.objects.count() >= KB_ARTICLES:
        return 0
    rng = random.Random(7)
    categories = _kb_categories()
    authors = [users["agent1"], users["agent2"]]
    reviewer, admin = users["supportmanager"], users["admin"]
    titles = [f"{a} {o}" for o in words.KB_OBJECTS for a in words.KB_ACTIONS][:KB_ARTICLES]
    for index, title in enumerate(titles):
        with transaction.atomic():
            article = kb_services.article_create(
                actor=authors[index % 2],
                data={"title": title, "summary": f"{title}: what to check and what to do.",
                      "body": _kb_body(title, rng), "category": rng.choice(categories),
                      "visibility": "internal" if index % 5 == 0 else "public"},
                tags=f"{title.split()[-1]}, maintenance",
            )  # fmt: skip
            _kb_workflow(article, index, reviewer, admin)
    return len(titles)


def _kb_workflow(article: Article, index: int, reviewer: User, admin: User) -> None:
    share = index % 20  # 17 of 20 published, one in review, one draft, one archived
    if share == 18:
        return
    kb_services.article_submit(article=article, actor=article.author)
    if share == 17:
        return
    kb_services.article_publish(article=article, actor=reviewer)
    if share == 19:
        kb_services.article_archive(article=article, actor=admin)
