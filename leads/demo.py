"""Demo enquiries in every channel and state over the last twelve months."""

import datetime
import time
from decimal import Decimal

from django.core import signing

from leads import services, webforms
from leads.models import AssignmentRule, Lead, WebForm, WebFormField
from sfa.catalog.models import Product
from sfa.core.demo import DemoContext
from sfa.core.models import Team
from sfa.customers.models import Account

COUNT = 250
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


WEB_VISITORS = [
    ("Greta", "Holm", "Holm Maschinenbau", "Bavaria", "51-500"),
    ("Jonas", "Weber", "Weber Feinmechanik", "Saxony", "1-50"),
    ("Mira", "Lund", "Lund Verpackung", "Bavaria", "500+"),
    ("Paul", "Brandt", "Brandt Agrar", "Lower Saxony", "51-500"),
    ("Sofia", "Kral", "Kral Medizintechnik", "Hesse", "1-50"),
    ("Emil", "Voss", "Voss Energie", "Bavaria", "51-500"),
]


def _web_form(ctx: DemoContext) -> WebForm:
    Target = WebFormField.Target
    form = WebForm.objects.create(
        name="Website contact",
        slug="contact",
        title="Ask for an offer",
        introduction="Tell us what you need; a sales engineer answers within one working day.",
        owner=ctx.users["rep1"],
        source_detail="Website contact form",
        created_by=ctx.users["marketing"],
    )
    questions = [
        (Target.COMPANY, "Company", True),
        (Target.FIRST_NAME, "First name", False),
        (Target.LAST_NAME, "Last name", True),
        (Target.EMAIL, "E-mail", True),
        (Target.PHONE, "Phone", False),
        (Target.REGION, "Region", False),
        (Target.PRODUCT, "Product you are interested in", False),
        (Target.QUANTITY, "Quantity", False),
        (Target.REMARKS, "Your message", False),
    ]
    for position, (target, label, required) in enumerate(questions):
        WebFormField.objects.create(
            form=form, position=position, target=target, label=label, is_required=required
        )
    WebFormField.objects.create(
        form=form,
        position=len(questions),
        target=Target.CUSTOM,
        key="employees",
        label="Employees",
        kind=WebFormField.Kind.CHOICE,
        choices=["1-50", "51-500", "500+"],
    )
    return form


def load_demo_web_forms(ctx: DemoContext) -> None:
    """A public form at /forms/contact/, assignment rules, and leads it brought in."""
    if WebForm.objects.filter(slug="contact").exists():
        ctx.log("  web forms: already there")
        return
    form = _web_form(ctx)
    team, _ = Team.objects.get_or_create(name="Web sales")
    team.members.add(ctx.users["rep1"], ctx.users["rep2"])
    AssignmentRule.objects.create(
        name="Bavaria goes to rep2", priority=10, regions="Bavaria", user=ctx.users["rep2"]
    )
    AssignmentRule.objects.create(
        name="Website leads: Web sales in turn", priority=50, web_form=form, team=team
    )
    products = list(Product.objects.filter(is_active=True).order_by("pk")[:5])
    shown = time.time() - 60  # as if each visitor took a minute to fill the form in
    for index, (first, last, company, region, size) in enumerate(WEB_VISITORS):
        payload = {
            "company": company,
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}@{last.lower()}.example",
            "region": region,
            "remarks": "Please send us an offer and your delivery times.",
            "employees": size,
            webforms.TOKEN: signing.dumps({"f": form.pk, "t": shown}, salt=webforms.TOKEN_SALT),
        }
        if products:
            payload.update(product=str(products[index % len(products)].pk), quantity="2")
        webforms.submit(form, payload, webforms.Visitor(user_agent="demo"))
    ctx.log(f"  web forms: /forms/{form.slug}/ with {len(WEB_VISITORS)} submissions")
