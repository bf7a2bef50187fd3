"""Demo quotes: terms templates, the contract-review rule and quotes in every state, made from
demo opportunities and directly for customers, through the services (sending stores each
sent version's PDF). Some have section headings and text lines, two run over several pages,
one was revised (v2 in draft, v1 superseded)."""

import datetime
from decimal import Decimal

from opportunities.models import OPEN_STAGES, Opportunity
from quotes import services
from quotes.models import ApprovalRule, Quote, TermsTemplate
from sfa.catalog.models import Product
from sfa.core.demo import DemoContext
from sfa.customers.models import Account

# Target state → how many (the revised quote adds one superseded v1 and its v2 draft).
PLAN = [
    (Quote.State.DRAFT, 12),
    (Quote.State.PENDING_APPROVAL, 8),
    (Quote.State.APPROVED, 5),
    (Quote.State.SENT, 12),
    (Quote.State.ACCEPTED, 9),
    (Quote.State.REJECTED, 6),
    (Quote.State.EXPIRED, 5),
    (Quote.State.SUPERSEDED, 2),
]
FROM_OPPORTUNITIES = 25
LONG_QUOTES = 2  # 40+ lines: several PDF pages
PRINTED_STATES = (
    Quote.State.SENT,
    Quote.State.ACCEPTED,
    Quote.State.REJECTED,
    Quote.State.EXPIRED,
    Quote.State.SUPERSEDED,
)
TEMPLATES = [
    (
        TermsTemplate.Kind.TERMS,
        "Standard terms",
        True,
        "Prices in EUR plus VAT. Payment as agreed in the payment terms.\n"
        "Delivery ex works unless agreed otherwise. Goods remain our property until paid.\n"
        "Our general terms and conditions of sale apply.",
    ),
    (
        TermsTemplate.Kind.TERMS,
        "Service contract terms",
        False,
        "Services are invoiced monthly in arrears. Travel time is charged at half the hourly "
        "rate. Either party may end the contract with three months' notice.",
    ),
    (
        TermsTemplate.Kind.INTRODUCTION,
        "Standard introduction",
        True,
        "Thank you for your enquiry. We are pleased to offer you the following:",
    ),
    (
        TermsTemplate.Kind.INTRODUCTION,
        "After a site visit",
        False,
        "Thank you for the time you gave us on site. As discussed, we offer:",
    ),
    (
        TermsTemplate.Kind.EMAIL,
        "Standard quote e-mail",
        True,
        "Dear {{ contact.first_name }},\n\nplease find attached our quote {{ quote }}, valid "
        "until {{ quote.valid_until }}.\n\nKind regards\n{{ owner }}",
    ),
]
SECTIONS = ["Machines", "Tooling", "Consumables", "Service and training"]
TEXTS = [
    "Delivery in two parts; the second within four weeks of the first.",
    "Installation and commissioning by our service team are included.",
    "Prices valid for the quantities quoted.",
]
ANSWERS = ["Lena Weber", "Tom Berger", "Aylin Kaya", "Marek Nowak"]
REJECTIONS = ["Price too high", "Went with a competitor", "Project postponed"]


def load_demo_quote_setup(ctx: DemoContext) -> None:
    """Templates and the approval rule (created when missing, left alone otherwise)."""
    for kind, name, is_default, body in TEMPLATES:
        TermsTemplate.objects.get_or_create(
            kind=kind, name=name, defaults={"body": body, "is_default": is_default}
        )
    ApprovalRule.objects.get_or_create(
        name="Contract review",
        defaults={
            "max_line_discount_percent": Decimal("20"),
            "max_total": Decimal("100000"),
            "check_credit": True,
        },
    )


def _items(ctx: DemoContext, products: list[Product], count: int, discount=None) -> list[dict]:
    rng = ctx.rng
    return [
        {
            "product": product,
            "quantity": Decimal(rng.choice([1, 1, 2, 3, 5, 10])),
            "discount_percent": Decimal(rng.choice([0, 0, 5])) if discount is None else discount,
        }
        for product in rng.sample(products, k=min(count, len(products)))
    ]


def _lines(ctx: DemoContext, products: list[Product], index: int) -> list[dict]:
    """Items; every third quote in sections with a text line."""
    rng = ctx.rng
    if index % 3:
        return _items(ctx, products, rng.randint(1, 4))
    lines = [{"kind": "section", "description": SECTIONS[0]}]
    lines += _items(ctx, products, rng.randint(1, 3))
    lines += [{"kind": "section", "description": SECTIONS[3]}]
    lines += _items(ctx, products, rng.randint(1, 2))
    return [*lines, {"kind": "text", "description": rng.choice(TEXTS)}]


def _make_risky(ctx: DemoContext, lines: list[dict]) -> list[dict]:
    """A discount on the first item that the contract-review rule catches."""
    first = next(line for line in lines if "kind" not in line)
    first["discount_percent"] = Decimal(ctx.rng.choice([25, 30]))
    return lines


def _long_lines(ctx: DemoContext, products: list[Product]) -> list[dict]:
    lines = []
    for section in SECTIONS:
        lines.append({"kind": "section", "description": section})
        lines += _items(ctx, products, 11)
    lines.append({"kind": "text", "description": TEXTS[1]})
    return lines


def _dates(ctx: DemoContext, state: str) -> dict:
    """Spread over the last months; everything is still valid when it is sent (expiry comes
    afterwards)."""
    if state == Quote.State.DRAFT:
        issued = ctx.today - datetime.timedelta(days=ctx.rng.randint(0, 10))
    else:
        issued = ctx.today - datetime.timedelta(days=ctx.rng.randint(5, 120))
    return {"issue_date": issued, "valid_until": max(issued, ctx.today) + datetime.timedelta(30)}


def _send(ctx: DemoContext, quote: Quote) -> Quote:
    """Sent as a rep sends it: held first when a rule fires, then approved by the manager."""
    owner = quote.owner
    if quote.approval_reasons:
        quote = services.quote_submit(quote=quote, actor=owner)
        quote = services.quote_approve(quote=quote, actor=ctx.users["salesmanager"], note="ok")
    return services.quote_mark_sent(quote=quote, actor=owner)


def _bring_to(ctx: DemoContext, quote: Quote, state: str) -> Quote:
    rng, owner, manager = ctx.rng, quote.owner, ctx.users["salesmanager"]
    if state == Quote.State.DRAFT:
        if quote.approval_reasons and rng.random() < 0.5:  # held, then sent back
            quote = services.quote_submit(quote=quote, actor=owner)
            reason = "Discount too high for this customer; keep it at 20 %."
            quote = services.quote_send_back(quote=quote, actor=manager, reason=reason)
        return quote
    if state == Quote.State.PENDING_APPROVAL:
        return services.quote_submit(quote=quote, actor=owner)
    if state == Quote.State.APPROVED:
        quote = services.quote_submit(quote=quote, actor=owner)
        return services.quote_approve(quote=quote, actor=manager, note="Fine for a new customer.")
    quote = _send(ctx, quote)
    name = rng.choice(ANSWERS)
    if state == Quote.State.ACCEPTED:
        return services.quote_accept(quote=quote, name=name, channel=rng.choice(["link", "phone"]))
    if state == Quote.State.REJECTED:
        reason = rng.choice(REJECTIONS)
        return services.quote_reject(quote=quote, name=name, reason=reason, channel="link")
    if state == Quote.State.EXPIRED:  # sent long ago, never answered
        Quote.objects.filter(pk=quote.pk).update(
            valid_until=ctx.today - datetime.timedelta(days=rng.randint(1, 20))
        )
    if state == Quote.State.SUPERSEDED:
        return services.quote_revise(quote=quote, actor=owner, note="customer asked for more")
    return quote


def _line_input(quote: Quote) -> list[dict]:
    fields = ("kind", "product", "description", "quantity", "unit", "unit_price",
              "discount_percent", "tax_rate")  # fmt: skip
    return [
        {name: getattr(line, name) for name in fields}
        for line in quote.lines.select_related("product").order_by("position", "pk")
    ]


def _targets() -> list[str]:
    return [state for state, count in PLAN for _ in range(count)]


def load_demo_quotes(ctx: DemoContext) -> None:
    load_demo_quote_setup(ctx)
    if Quote.objects.exists():
        ctx.log("  quotes: already there")
        return
    rng = ctx.rng
    products = list(Product.objects.filter(is_active=True).order_by("pk"))
    accounts = list(
        Account.objects.filter(code__startswith="D", status="active")
        .select_related("owner")
        .order_by("pk")[:150]
    )
    deals = list(
        Opportunity.objects.filter(state__in=OPEN_STAGES, lines__isnull=False)
        .select_related("owner", "account")
        .distinct()
        .order_by("pk")[:FROM_OPPORTUNITIES]
    )
    if not products or not accounts:
        ctx.log("  quotes: no customers or products to quote for")
        return
    targets = _targets()
    rng.shuffle(targets)
    # The long quotes are sent ones (their PDF is stored), made directly for a customer.
    long_at = [
        index
        for index, state in enumerate(targets)
        if index >= len(deals) and state in PRINTED_STATES
    ][:LONG_QUOTES]
    for index, state in enumerate(targets):
        risky = state in (Quote.State.PENDING_APPROVAL, Quote.State.APPROVED) or (
            state == Quote.State.DRAFT and index % 4 == 0
        )
        dates = _dates(ctx, state)
        if index < len(deals):
            deal = deals[index]
            quote = services.quote_from_opportunity(opportunity=deal, actor=deal.owner, data=dates)
            if risky:  # the deal's lines and one at a discount the rule catches
                extra = _items(ctx, products, 1, discount=Decimal("30"))
                quote = services.quote_update(
                    quote=quote, actor=quote.owner, data={}, lines=_line_input(quote) + extra
                )
        else:
            account = rng.choice(accounts)
            long = index in long_at
            data = {
                "account": account,
                "contact": account.contacts.filter(is_active=True).order_by("pk").first(),
                "title": "Equipment and service" if long else rng.choice(["", "Offer", "Spares"]),
                "delivery_period": rng.choice(["", "2 weeks", "6-8 weeks"]),
                "shipping": Decimal(rng.choice([0, 0, 45, 120])),
                "shipping_tax_rate": Decimal("19"),
                **dates,
            }
            lines = _long_lines(ctx, products) if long else _lines(ctx, products, index)
            if risky:
                lines = _make_risky(ctx, lines)
            quote = services.quote_create(actor=account.owner, data=data, lines=lines)
        _bring_to(ctx, quote, state)
    expired = services.expire_due_quotes(today=ctx.today)
    counts = {s: Quote.objects.filter(state=s).count() for s in Quote.State.values}
    ctx.log(f"  quotes: {Quote.objects.count()} ({expired} expired) {counts}")
