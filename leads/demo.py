"""Demo enquiries in every channel and state over the last twelve months."""

import datetime
from decimal import Decimal

from leads import services
from leads.models import Lead
from sfa.catalog.models import Product
from sfa.core.demo import DemoContext
from sfa.customers.models import Account

COUNT = 150
COMPANIES = [
    "Nordwind Metall",
    "Brightline Foods",
    "Kessler Bau",
    "Aurora Clinics",
    "Hafenwerk",
    "Solaris Plastics",
    "Eiche & Söhne",
    "Polar Logistics",
]


def _data(ctx: DemoContext, index: int, accounts: list[Account]) -> dict:
    rng = ctx.rng
    data = {
        "channel": rng.choice(Lead.Channel.values),
        "source": rng.choice(Lead.Source.values),
        "enquiry_date": ctx.today - datetime.timedelta(days=rng.randint(0, 365)),
        "delivery_period": rng.choice(["", "2 weeks", "6-8 weeks", "Q2"]),
        "remarks": rng.choice(["", "Asked for a volume discount.", "Tender deadline is firm."]),
    }
    if index % 3:
        account = rng.choice(accounts)
        data.update(account=account, contact=account.contacts.order_by("pk").first())
    else:
        first, company = rng.choice(["Lena", "Tom", "Aylin", "Marek"]), rng.choice(COMPANIES)
        data.update(
            company=f"{company} {index}",
            first_name=first,
            last_name="Prospect",
            email=f"{first.lower()}{index}@{company.split()[0].lower()}.example",
            city=rng.choice(["Hamburg", "Munich", "Kiel"]),
            country="DE",
        )
    if rng.random() < 0.3:
        data["quote_due_date"] = ctx.today + datetime.timedelta(days=rng.randint(-3, 14))
    return data


def _move(ctx: DemoContext, lead: Lead) -> None:
    owner, roll = lead.owner, ctx.rng.random()
    if roll < 0.25:
        return
    if roll < 0.45:
        services.lead_mark_contacted(lead=lead, actor=owner)
    elif roll < 0.8:
        services.lead_qualify(lead=lead, actor=owner)
    else:
        services.lead_disqualify(
            lead=lead,
            actor=owner,
            reason=ctx.rng.choice(["No budget", "Competitor chosen", "Not our product range"]),
        )


def load_demo_leads(ctx: DemoContext) -> None:
    if Lead.objects.exists():
        ctx.log("  enquiries: already there")
        return
    owners = [ctx.users["rep1"], ctx.users["rep2"]]
    marketing = ctx.users["marketing"]
    accounts = list(Account.objects.filter(code__startswith="D").order_by("pk")[:120])
    products = list(Product.objects.filter(is_active=True)[:50])
    for index in range(1, COUNT + 1):
        owner = owners[index % len(owners)]
        lines = [
            {"product": p, "quantity": Decimal(ctx.rng.choice([1, 2, 5, 10]))}
            for p in ctx.rng.sample(products, k=ctx.rng.randint(1, 3))
        ]
        # a third of the enquiries come in through marketing, who hands them to a rep
        actor = marketing if index % 3 == 0 else owner
        lead = services.lead_create(
            actor=actor, data={**_data(ctx, index, accounts), "owner": owner}, lines=lines
        )
        _move(ctx, lead)
    ctx.log(f"  enquiries: {COUNT} created")
