"""Demo support desk: a business calendar (Mon–Fri 8–18, a few holidays), SLA policies for
every priority, two categories, and ~150 tickets of the last months in every state, with
public replies, internal notes and customer answers, all through the services. Some are
breached (opened long ago, never answered); a few belong to customer1's account (portal).

Idempotent: reference data is fetched or created; tickets are made only while there are none
(the portal customer's are topped up on their own).
"""

import datetime

from django.conf import settings
from django.utils import timezone

from sfa.catalog.models import Product
from sfa.core.demo import DemoContext
from sfa.core.models import Team
from sfa.customers.models import Account, Contact
from tickets import services
from tickets.models import (
    BusinessCalendar,
    Holiday,
    SlaPolicy,
    Ticket,
    TicketCategory,
    WorkingHours,
)

COUNT = 150
PORTAL_ACCOUNT = "D0001"  # customer1's account (sfa.customers.demo)
CALENDAR = "Support hours"
# priority → (first response, resolution) in business minutes
TARGETS = {
    "urgent": (60, 4 * 60),
    "high": (2 * 60, 10 * 60),
    "normal": (4 * 60, 30 * 60),
    "low": (8 * 60, 50 * 60),
}
CATEGORIES = ["Technical problem", "Billing and orders"]
# target state → share of the tickets
STATES = [("new", 10), ("open", 22), ("pending", 10), ("resolved", 18), ("closed", 40)]
PRIORITIES = [("low", 20), ("normal", 50), ("high", 22), ("urgent", 8)]
SUBJECTS = [
    "Machine stops after a few minutes",
    "Error E42 on the display",
    "Spare part delivered with the wrong size",
    "Invoice shows the wrong VAT rate",
    "How do I change the oil filter?",
    "Delivery is late",
    "Request: a second operator login",
    "Noise from the gearbox",
    "Manual missing from the delivery",
    "Credit note for the returned goods",
    "Calibration is off by 2 mm",
    "Training for new staff",
]
REPLIES = [
    "Thank you for your message. We are looking into it and will get back to you today.",
    "Could you send us the serial number and a photo of the type plate?",
    "We have ordered the replacement part; it ships tomorrow.",
    "Please restart the machine holding the reset key for five seconds and tell us the result.",
]
NOTES = [
    "Known issue with batch 2025/11, see the engineering ticket.",
    "Customer is a key account: call back rather than e-mail.",
    "Checked the order: warehouse shipped the wrong item.",
]
ANSWERS = [
    "Here is the serial number: SN-448812. Photo attached to the e-mail.",
    "Thanks, that worked. The machine runs again.",
    "We still see the error after the restart.",
]


def _calendar(ctx: DemoContext) -> BusinessCalendar:
    calendar, created = BusinessCalendar.objects.get_or_create(
        name=CALENDAR, defaults={"time_zone": settings.TIME_ZONE}
    )
    if created:
        for weekday in range(5):
            WorkingHours.objects.create(
                calendar=calendar, weekday=weekday, start=datetime.time(8), end=datetime.time(18)
            )
    for year in (ctx.today.year - 1, ctx.today.year, ctx.today.year + 1):
        for month, day, name in ((1, 1, "New Year"), (12, 25, "Christmas"), (12, 26, "Boxing Day")):
            Holiday.objects.get_or_create(
                calendar=calendar, date=datetime.date(year, month, day), defaults={"name": name}
            )
    return calendar


def _policies(calendar: BusinessCalendar) -> None:
    for priority, (first, resolution) in TARGETS.items():
        SlaPolicy.objects.get_or_create(
            priority=priority,
            customer_group=None,
            defaults={
                "name": f"{priority.capitalize()} priority",
                "calendar": calendar,
                "first_response_minutes": first,
                "resolution_minutes": resolution,
            },
        )


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _work(ctx: DemoContext, ticket: Ticket, state: str, opened: datetime.datetime, agent):
    """Move a fresh ticket to ``state`` with a plausible conversation, at past moments."""
    rng, now = ctx.rng, timezone.now()

    def later(hours_from, hours_to, after):
        moment = after + datetime.timedelta(hours=rng.uniform(hours_from, hours_to))
        return min(moment, now - datetime.timedelta(minutes=5))

    if state == "new":
        return
    at = later(0.1, 3, opened)
    if rng.random() < 0.3:
        services.ticket_reply(
            ticket=ticket, actor=agent, body=rng.choice(NOTES), public=False, now=at
        )
    services.ticket_reply(ticket=ticket, actor=agent, body=rng.choice(REPLIES), now=at)
    if state == "open":
        if rng.random() < 0.4:
            at = later(1, 24, at)
            services.customer_reply(ticket=ticket, body=rng.choice(ANSWERS), now=at)
        return
    at = later(1, 24, at)
    services.ticket_wait_on_customer(ticket=ticket, actor=agent, now=at)
    if state == "pending":
        return
    at = later(2, 48, at)
    services.customer_reply(ticket=ticket, body=rng.choice(ANSWERS), now=at)
    at = later(1, 30, at)
    services.ticket_resolve(ticket=ticket, actor=agent, now=at, note="solved")
    # The model stamps its transitions with the real clock; the demo dates them back.
    stamps = {"resolved_at": at, "state_changed_at": at}
    if state == "closed":
        services.ticket_close(ticket=ticket, actor=agent, note="confirmed by the customer")
        at = later(24, 96, at)
        stamps.update(closed_at=at, state_changed_at=at)
    Ticket.objects.filter(pk=ticket.pk).update(**stamps)


def _create(ctx: DemoContext, *, account, contact, state, opened, team, agents, refs, **data):
    rng = ctx.rng
    agent = rng.choice(agents)
    assignee = None if state == "new" and rng.random() < 0.6 else agent
    ticket = services.ticket_create(
        actor=agent,
        data={
            "account": account,
            "contact": contact,
            "subject": rng.choice(SUBJECTS),
            "description": "Reported by the customer; details in the conversation below.",
            "channel": rng.choice(["email", "phone", "portal", "web"]),
            "category": rng.choice(refs["categories"]),
            "product": rng.choice(refs["products"]) if refs["products"] else None,
            "priority": _pick(rng, PRIORITIES),
            "kind": rng.choice(Ticket.Kind.values),
            "team": team,
            "assignee": assignee,
            **data,
        },
        now=opened,
    )
    _work(ctx, ticket, state, opened, agent)
    return ticket


def _opened(ctx: DemoContext, state: str) -> datetime.datetime:
    """Open tickets are mostly recent; a few new ones are old and never answered (breached);
    finished ones spread over the last four months."""
    rng, now = ctx.rng, timezone.now()
    if state in ("new", "open", "pending"):
        days = rng.uniform(20, 60) if state == "new" and rng.random() < 0.3 else rng.uniform(0, 6)
    else:
        days = rng.uniform(8, 120)
    return now - datetime.timedelta(days=days, hours=rng.uniform(0, 8))


def _portal_tickets(ctx: DemoContext, refs, team, agents) -> int:
    account = Account.objects.filter(code=PORTAL_ACCOUNT).first()
    contact = Contact.objects.filter(account=account, user__username="customer1").first()
    if account is None or contact is None or account.tickets.filter(contact=contact).exists():
        return 0
    made = 0
    for state, days in (("open", 1), ("pending", 3), ("resolved", 12), ("closed", 40)):
        opened = timezone.now() - datetime.timedelta(days=days)
        _create(
            ctx,
            account=account,
            contact=contact,
            state=state,
            opened=opened,
            team=team,
            agents=agents,
            refs=refs,
            channel="portal",
            priority="normal",
        )
        made += 1
    return made


def load_demo_tickets(ctx: DemoContext) -> None:
    calendar = _calendar(ctx)
    _policies(calendar)
    refs = {
        "categories": [TicketCategory.objects.get_or_create(name=n)[0] for n in CATEGORIES],
        "products": list(Product.objects.filter(is_active=True).order_by("code")[:30]),
    }
    team = Team.objects.filter(name="Support").first()
    agents = [ctx.users[name] for name in ("agent1", "agent2") if name in ctx.users]
    if not agents:
        ctx.log("  tickets: no support agents, skipped")
        return
    portal = _portal_tickets(ctx, refs, team, agents)
    if Ticket.objects.exclude(account__code=PORTAL_ACCOUNT).exists():
        ctx.log(f"  tickets: {portal} for the portal customer; the rest already there")
        return
    accounts = list(
        Account.objects.filter(code__startswith="D")
        .exclude(code=PORTAL_ACCOUNT)
        .prefetch_related("contacts")
        .order_by("code")[:60]
    )
    if not accounts:
        ctx.log("  tickets: no demo customers, skipped")
        return
    for _ in range(COUNT):
        account = ctx.rng.choice(accounts)
        contacts = list(account.contacts.all())
        state = _pick(ctx.rng, STATES)
        _create(
            ctx,
            account=account,
            contact=ctx.rng.choice(contacts) if contacts else None,
            state=state,
            opened=_opened(ctx, state),
            team=team,
            agents=agents,
            refs=refs,
        )
    ctx.log(f"  tickets: {COUNT} created, {portal} for the portal customer")
