"""Demo customers: about 200 accounts with contacts, types, groups, special fields, ship-to
addresses, reminders and activities, spread over two branches and three owners."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from sfa.core.access import Role
from sfa.core.demo import DEMO_PASSWORD, DemoContext
from sfa.core.models import User
from sfa.customers import services
from sfa.customers.models import (
    Account,
    Activity,
    Contact,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    Industry,
    PaymentTerm,
    ShipToAddress,
)

COUNT = 200
PREFIXES = [
    "Acme",
    "Nordic",
    "Alpine",
    "Baltic",
    "Delta",
    "Orion",
    "Vertex",
    "Summit",
    "Harbor",
    "Pioneer",
    "Atlas",
    "Cobalt",
    "Falcon",
    "Granite",
    "Horizon",
    "Lumen",
    "Meridian",
    "Nova",
    "Pinnacle",
    "Quantum",
    "Redwood",
    "Sterling",
    "Titan",
    "Union",
    "Vista",
]
NOUNS = [
    "Tools",
    "Machines",
    "Foods",
    "Builders",
    "Medical",
    "Systems",
    "Supply",
    "Logistics",
    "Engineering",
    "Trading",
    "Components",
    "Hydraulics",
    "Farms",
    "Plastics",
    "Textiles",
]
FORMS = ["GmbH", "Ltd", "AG", "BV", "Inc.", "& Co.", "SAS", "Oy"]
FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Eva",
    "Finn",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Klara",
    "Lukas",
    "Marta",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Stefan",
    "Tina",
    "Umar",
]
LAST = [
    "Schmidt",
    "Meyer",
    "Novak",
    "Jensen",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Andersson",
    "Fischer",
    "Weber",
    "Costa",
    "Virtanen",
    "Becker",
    "Horvat",
    "Larsen",
    "Moreau",
]
TITLES = [
    "Purchasing manager",
    "Managing director",
    "Head of maintenance",
    "Buyer",
    "Technical lead",
    "Accounts payable",
    "Operations manager",
]
CITIES = {  # city: (postal code prefix, area, region, state, country, branch)
    "Hamburg": ("20", "Hamburg-Mitte", "North", "Hamburg", "DE", "N"),
    "Bremen": ("28", "Bremen-Ost", "North", "Bremen", "DE", "N"),
    "Kiel": ("24", "Kiel-Nord", "North", "Schleswig-Holstein", "DE", "N"),
    "Hanover": ("30", "Hanover-Süd", "North", "Lower Saxony", "DE", "N"),
    "Munich": ("80", "Munich-West", "South", "Bavaria", "DE", "S"),
    "Stuttgart": ("70", "Stuttgart-Mitte", "South", "Baden-Württemberg", "DE", "S"),
    "Nuremberg": ("90", "Nuremberg-Süd", "South", "Bavaria", "DE", "S"),
    "Freiburg": ("79", "Freiburg-Ost", "South", "Baden-Württemberg", "DE", "S"),
}
ALERTS = [
    "Payment overdue twice this year — ask for prepayment on new orders.",
    "Key account: any complaint goes straight to the sales manager.",
    "Delivery only on weekdays before 14:00 (gate closes).",
    "Customer is in insolvency proceedings — no credit.",
]
STREETS = [
    "Hafenstraße",
    "Industrieweg",
    "Bahnhofstraße",
    "Am Markt",
    "Lindenallee",
    "Gewerbepark",
    "Mühlenweg",
    "Schillerstraße",
]


def _reference_data() -> dict:
    types = {
        n: CustomerType.objects.get_or_create(name=n)[0]
        for n in ["dealer", "OEM", "distributor", "end user", "member", "export"]
    }
    groups = {
        code: CustomerGroup.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("RET", "Retail"), ("DLR", "Dealers"), ("KEY", "Key accounts")]
    }
    industries = {
        n: Industry.objects.get_or_create(name=n)[0]
        for n in ["Machinery", "Food & beverage", "Construction", "Healthcare", "Retail"]
    }
    terms = [
        PaymentTerm.objects.get_or_create(name=name, defaults={"days": days})[0]
        for name, days in [("Prepayment", 0), ("Net 14", 14), ("Net 30", 30), ("Net 60", 60)]
    ]
    fields = [
        ("employees", "Employees", "number", [], False, None),
        ("founded", "Founded", "date", [], False, None),
        ("segment", "Segment", "choice", ["SME", "Mid-market", "Enterprise"], False, None),
        ("iso_certified", "ISO 9001 certified", "boolean", [], False, None),
        ("machine_park", "Machine park", "text", [], False, "Machinery"),
        ("haccp", "HACCP certified", "boolean", [], False, "Food & beverage"),
    ]
    for position, (key, label, kind, choices, required, industry) in enumerate(fields):
        definition, created = CustomFieldDefinition.objects.get_or_create(
            key=key,
            defaults={
                "label": label,
                "field_type": kind,
                "choices": choices,
                "is_required": required,
                "position": position,
            },
        )
        if created and industry:
            definition.industries.add(industries[industry])
    return {"types": types, "groups": groups, "industries": industries, "terms": terms}


def _custom_values(ctx: DemoContext, industry: Industry) -> dict:
    rng = ctx.rng
    values = {
        "employees": rng.choice([8, 25, 60, 140, 420, 1800]),
        "segment": rng.choice(["SME", "Mid-market", "Enterprise"]),
        "iso_certified": rng.random() < 0.6,
    }
    if rng.random() < 0.7:
        values["founded"] = datetime.date(rng.randint(1950, 2020), rng.randint(1, 12), 1)
    if industry.name == "Machinery":
        values["machine_park"] = rng.choice(
            ["CNC lathes, 5-axis mills", "Press line", "Injection moulding (12 units)"]
        )
    if industry.name == "Food & beverage":
        values["haccp"] = True
    return values


def _owner(ctx: DemoContext, index: int, branch: str) -> User:
    if index % 10 == 0:
        return ctx.users["salesmanager"]
    return ctx.users["rep1" if branch == "N" else "rep2"]


def _account(ctx: DemoContext, ref: dict, index: int) -> Account:
    rng = ctx.rng
    city = list(CITIES)[index % len(CITIES)]
    prefix, area, region, state, country, branch = CITIES[city]
    industry = rng.choice(list(ref["industries"].values()))
    name = f"{rng.choice(PREFIXES)} {rng.choice(NOUNS)} {rng.choice(FORMS)}"
    if index == 1:
        name, city, (prefix, area, region, state, country, branch) = (
            "Acme Tools GmbH",
            "Hamburg",
            CITIES["Hamburg"],
        )
        industry = ref["industries"]["Machinery"]
    slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
    owner = _owner(ctx, index, branch)
    data = {
        "code": f"D{index:04d}",
        "name": name,
        "group": rng.choice(list(ref["groups"].values())),
        "industry": industry,
        "branch": ctx.branches[branch],
        "owner": owner,
        "phone": f"+49 {rng.randint(30, 99)} {rng.randint(100000, 999999)}",
        "email": f"info@{slug}{index}.example",
        "website": f"https://www.{slug}{index}.example",
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        "postal_code": f"{prefix}{rng.randint(100, 999)}",
        "city": city,
        "area": area,
        "region": region,
        "state": state,
        "country": country,
        "credit_limit": Decimal(rng.choice([0, 5000, 10000, 25000, 50000])),
        "payment_terms": rng.choice(ref["terms"]),
        "discount_privilege": Decimal(rng.choice([0, 0, 2, 3, 5])),
        "custom_fields": _custom_values(ctx, industry),
    }
    if index == 1 or rng.random() < 0.08:
        data["alert_message"] = ALERTS[0] if index == 1 else rng.choice(ALERTS)
    types = rng.sample(list(ref["types"].values()), k=rng.randint(1, 3))
    return services.account_create(actor=owner, data=data, types=types)


def _contacts(ctx: DemoContext, account: Account, index: int) -> list[Contact]:
    rng = ctx.rng
    contacts = []
    domain = account.email.split("@")[1]
    for n in range(rng.randint(1, 3)):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if index == 1 and n == 0:
            first, last, domain = "Carla", "Customer", "acme-tools.example"
        contact = Contact(
            account=account,
            first_name=first,
            last_name=last,
            title=rng.choice(TITLES),
            email=f"{first.lower()}.{last.lower()}@{domain}",
            phone=account.phone,
            mobile=f"+49 15{rng.randint(1, 9)} {rng.randint(1000000, 9999999)}",
            is_primary=n == 0,
            email_consent=rng.random() < 0.7,
        )
        contacts.append(services.contact_save(actor=account.owner, contact=contact))
    return contacts


def _around(ctx: DemoContext, account: Account, contacts: list[Contact]) -> None:
    rng, owner = ctx.rng, account.owner
    if rng.random() < 0.5:
        services.ship_to_save(
            actor=owner,
            address=ShipToAddress(
                account=account,
                label="Main warehouse",
                street=f"Lagerweg {rng.randint(1, 40)}",
                postal_code=account.postal_code,
                city=account.city,
                country=account.country,
                is_default=True,
            ),
        )
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(
            [
                Activity.Kind.CALL,
                Activity.Kind.MEETING,
                Activity.Kind.EMAIL,
                Activity.Kind.NOTE,
                Activity.Kind.VISIT,
            ]
        )
        when = timezone.now() - datetime.timedelta(
            days=rng.randint(1, 365), hours=rng.randint(0, 8)
        )
        services.activity_log(
            actor=owner,
            account=account,
            kind=kind,
            subject=rng.choice(
                [
                    "Annual review",
                    "Price enquiry",
                    "Complaint about delivery",
                    "New product line",
                    "Service contract renewal",
                ]
            ),
            body="Notes from the conversation.",
            contact=rng.choice(contacts),
            occurred_at=when,
        )
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        services.reminder_create(
            actor=owner,
            account=account,
            assignee=owner,
            contact=rng.choice(contacts),
            subject=rng.choice(
                [
                    "Call back about the offer",
                    "Send catalogue",
                    "Check credit",
                    "Visit the plant",
                    "Follow up on complaint",
                ]
            ),
            due_date=ctx.today + datetime.timedelta(days=rng.randint(-10, 20)),
        )


def _portal_customer(ctx: DemoContext) -> None:
    account = Account.objects.get(code="D0001")
    contact = account.contacts.order_by("pk").first()
    user = User.objects.filter(username="customer1").first()
    if user is None:
        user = User.objects.create_user(
            username="customer1",
            password=DEMO_PASSWORD,
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email,
        )
        user.groups.add(Group.objects.get(name=Role.CUSTOMER.value))
    if contact.user_id == user.pk and contact.has_portal_access and contact.is_portal_manager:
        return  # already set up by an earlier run: saving again would only add history
    contact.user, contact.has_portal_access, contact.is_portal_manager = user, True, True
    services.contact_save(actor=ctx.users["admin"], contact=contact)


def load_demo_customers(ctx: DemoContext) -> None:
    ref = _reference_data()
    existing = set(Account.objects.filter(code__startswith="D").values_list("code", flat=True))
    created = 0
    for index in range(1, COUNT + 1):
        if f"D{index:04d}" in existing:
            continue
        account = _account(ctx, ref, index)
        _around(ctx, account, _contacts(ctx, account, index))
        created += 1
    _portal_customer(ctx)
    ctx.log(f"  customers: {created} created, {len(existing)} already there")
