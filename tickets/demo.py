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

COUNT = 300
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
    # the demo's history: nothing is e-mailed to the (fictitious) customers
    services.ticket_reply(
        ticket=ticket, actor=agent, body=rng.choice(REPLIES), now=at, notify_customer=False
    )
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
        acknowledge=False,
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


def load_demo_routing(ctx: DemoContext) -> None:
    """Routing of the demo's support teams: "Support" round-robin, "Key accounts support"
    least-open (at most 30 open per agent); the support manager is away for routing (takes
    no routed tickets). Runs after the tickets, so the demo's history stays as it was."""
    from tickets.models import AgentStatus, TeamRouting

    names = ("agent1", "agent2", "supportmanager")
    if any(name not in ctx.users for name in names):
        ctx.log("  ticket routing: no support agents, skipped")
        return
    agent1, agent2, manager = (ctx.users[name] for name in names)
    support = Team.objects.filter(name="Support").first()
    if support is not None:
        TeamRouting.objects.get_or_create(
            team=support, defaults={"mode": TeamRouting.Mode.ROUND_ROBIN}
        )
    key_accounts, _ = Team.objects.get_or_create(
        name="Key accounts support", defaults={"manager": manager}
    )
    key_accounts.members.add(agent1, agent2, manager)
    TeamRouting.objects.get_or_create(
        team=key_accounts,
        defaults={"mode": TeamRouting.Mode.LEAST_OPEN, "max_open_per_agent": 30},
    )
    AgentStatus.objects.get_or_create(user=manager, defaults={"is_available": False})
    ctx.log("  ticket routing: Support round-robin, Key accounts support least-open")


# title, body, team name (None: everyone; "personal": agent1's own)
CANNED_RESPONSES = [
    (
        "Acknowledge: we are on it",
        "Hi {{ contact.first_name }},\n\nthank you for your message. We have registered it as "
        "ticket {{ ticket.number }} and are looking into it now; you will hear from us today."
        "\n\nBest regards,\n{{ agent.name }}",
        None,
    ),
    (
        "Ask for serial number and photo",
        "Hi {{ contact.first_name }},\n\nto help you quickly we need the serial number of the "
        "machine and a photo of its type plate. You can simply reply to this message or add "
        "them to your ticket in the customer portal: {{ ticket.url }}\n\nThank you,\n"
        "{{ agent.first_name }}",
        None,
    ),
    (
        "Reminder: waiting for your answer",
        "Hi {{ contact.first_name }},\n\nwe are still waiting for your answer about "
        "“{{ ticket.subject }}” ({{ ticket.number }}). If the problem is solved in the "
        "meantime, just let us know and we will close the ticket.\n\nBest regards,\n"
        "{{ agent.name }}",
        None,
    ),
    (
        "Solved: please confirm",
        "Hi {{ contact.first_name }},\n\nwe believe the problem is solved. Please check and "
        "confirm; if anything is still wrong, reply to this message and the ticket opens "
        "again.\n\nBest regards,\n{{ agent.name }}\n{{ agent.email }}",
        None,
    ),
    (
        "Spare part ordered",
        "Hi {{ contact.first_name }},\n\nwe have ordered the spare part for {{ account.name }}. "
        "It usually ships within two working days; we will send you the tracking number.\n\n"
        "Best regards,\n{{ agent.name }}",
        None,
    ),
    (
        "Closing: no answer received",
        "Hi {{ contact.first_name }},\n\nas we have not heard from you, we are closing ticket "
        "{{ ticket.number }} now. Should you still need help, reply to this message and we "
        "will pick it up again.\n\nBest regards,\n{{ agent.name }}",
        None,
    ),
    (
        "Escalated to our engineers",
        "Hi {{ contact.first_name }},\n\nwe have passed your ticket {{ ticket.number }} to our "
        "service engineers, who will contact you directly about the next steps.\n\n"
        "Best regards,\n{{ agent.name }}",
        None,
    ),
    (
        "Offer a remote session",
        "Hi {{ contact.first_name }},\n\nthe quickest way forward is a short remote session "
        "on the machine's control unit. When would suit you? Our support hours are Monday to "
        "Friday, 8:00 to 18:00.\n\nBest regards,\n{{ agent.name }}",
        "Support",
    ),
    (
        "Key account: your direct line",
        "Dear {{ contact.name }},\n\nas a key account, {{ account.name }} has a direct line to "
        "our support team. For anything urgent about {{ ticket.number }}, write to "
        "{{ agent.email }}.\n\nKind regards,\n{{ agent.name }}",
        "Key accounts support",
    ),
    (
        "Lathe spindle: first checks",
        "Hi {{ contact.first_name }},\n\nplease check first: the spindle oil level, the "
        "belt tension and whether the spindle runs hot already at low speed. Our article "
        "“Lathe spindle runs hot” explains each step.\n\nCheers,\n{{ agent.first_name }}",
        "personal",
    ),
]


def load_demo_canned_responses(ctx: DemoContext) -> None:
    """Shared, team and personal canned responses (support manager's and agent1's), made
    through ``tickets.canned``; responses are found by title."""
    from tickets import canned
    from tickets.models import CannedResponse

    manager, agent1 = ctx.users.get("supportmanager"), ctx.users.get("agent1")
    if manager is None or agent1 is None:
        ctx.log("  canned responses: no support staff, skipped")
        return
    made = 0
    for title, body, team_name in CANNED_RESPONSES:
        if CannedResponse.objects.filter(title=title).exists():
            continue
        data = {"title": title, "body": body, "personal": team_name == "personal"}
        if team_name not in (None, "personal"):
            data["team"] = Team.objects.filter(name=team_name).first()
        actor = agent1 if team_name == "personal" else manager
        canned.canned_response_create(actor=actor, data=data)
        made += 1
    ctx.log(f"  canned responses: {made} created")


def load_demo_article_links(ctx: DemoContext) -> None:
    """Link the best-matching public article to a few open tickets, as agents would."""
    from sfa.core import knowledge
    from tickets.selectors import ticket_visible_to

    agent = ctx.users.get("agent1")
    if agent is None or not knowledge.is_available():
        return
    made = 0
    tickets = ticket_visible_to(agent).filter(state__in=Ticket.OPEN_STATES).order_by("pk")
    for ticket in tickets[:12]:
        if knowledge.linked(ticket, user=agent):
            continue
        found = knowledge.suggest(ticket.subject, user=agent, public_only=True, limit=1)
        if found and knowledge.link(found[0].id, ticket, actor=agent):
            made += 1
    ctx.log(f"  ticket articles: {made} links")


def load_demo_inbound_email(ctx: DemoContext) -> None:
    """A morning's support mail through the inbound handler (as the ESP's webhook would post
    it): a new request from a known contact, the customer's reply to the acknowledgement, an
    out-of-office answer (dropped) and the same message delivered twice (nothing twice)."""
    from anymail.inbound import AnymailInboundMessage

    from tickets import emails, inbound
    from tickets.models import InboundEmail

    if InboundEmail.objects.exists():
        ctx.log("  inbound e-mail: already there")
        return
    contact = (
        Contact.objects.filter(account__code__startswith="D", is_active=True)
        .exclude(email="")
        .exclude(user__isnull=False)
        .order_by("account__code", "pk")
        .first()
    )
    if contact is None:
        ctx.log("  inbound e-mail: no demo contact with an address, skipped")
        return
    sender = f"{contact.full_name} <{contact.email}>"
    support = emails.support_address()
    first = AnymailInboundMessage.construct(
        from_email=sender,
        to=support,
        subject="Label printer prints blank labels",
        headers=[("Message-ID", "<demo-inbound-1@customer.example>")],
        text="Hello,\n\nsince this morning our label printer only prints blank labels.\n"
        "The self-test page looks fine. Photo attached.\n\nRegards",
        attachments=[
            AnymailInboundMessage.construct_attachment(
                content_type="text/plain",
                content="Self-test: OK\nHead: 203 dpi\n",
                filename="self-test.txt",
            )
        ],
    )
    created = inbound.receive(first, esp="demo")
    inbound.receive(first, esp="demo")  # the ESP retried: recognised, nothing new
    if created.ticket is not None:
        ack = created.ticket.message_ids.filter(direction="out").first()
        reply = AnymailInboundMessage.construct(
            from_email=sender,
            to=support,
            subject=f"Re: [{created.ticket.number}] Label printer prints blank labels",
            headers=[
                ("Message-ID", "<demo-inbound-2@customer.example>"),
                ("In-Reply-To", f"<{ack.message_id}>" if ack else ""),
            ],
            text="We changed the label roll; same result.\n\n"
            f"On Monday, {support} wrote:\n> We have received your request",
        )
        inbound.receive(reply, esp="demo")
    out_of_office = AnymailInboundMessage.construct(
        from_email=sender,
        to=support,
        subject="Automatic reply: [T-2026-00001] Your ticket",
        headers=[
            ("Message-ID", "<demo-inbound-3@customer.example>"),
            ("Auto-Submitted", "auto-replied"),
        ],
        text="I am out of the office until Monday.",
    )
    inbound.receive(out_of_office, esp="demo")
    ctx.log(f"  inbound e-mail: {InboundEmail.objects.count()} messages received")
