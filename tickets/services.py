"""Writes of tickets: open, reply, move through the states, keep the SLA clock.

The SLA clock counts business time on the policy's calendar. Waiting on the customer
(``pending``) pauses it: when the ticket leaves ``pending`` the business minutes spent there
are added to the resolution due time. The first public reply by staff meets the
first-response target.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.utils import timezone

from sfa.core.access import is_portal_user
from sfa.core.exceptions import ActionForbidden, Conflict, InvalidInput
from sfa.core.fsm import full_clean, transition_record
from sfa.core.mail import email_queue
from sfa.core.numbering import next_number
from tickets import emails, mentions, routing
from tickets.business_hours import add_business_minutes, business_minutes_between
from tickets.merging import ticket_merge as ticket_merge
from tickets.models import Priority, SlaPolicy, Ticket, TicketComment, TicketRating
from tickets.notes import ticket_system_note as ticket_system_note
from tickets.watching import notify_watchers
from tickets.watching import ticket_unwatch as ticket_unwatch
from tickets.watching import ticket_watch as ticket_watch

TICKET_FIELDS = {
    "account", "contact", "requester_email", "subject", "description", "channel", "category",
    "product", "priority", "kind", "team", "assignee", "tags",
}  # fmt: skip
AT_RISK_SHARE = 0.25  # less than a quarter of the target left: at risk


def policy_for(ticket: Ticket) -> SlaPolicy | None:
    """The customer group's policy for the priority, else the general one."""
    policies = SlaPolicy.objects.filter(is_active=True, priority=ticket.priority).select_related(
        "calendar"
    )
    group_id = ticket.account.group_id if ticket.account_id else None
    if group_id:
        found = policies.filter(customer_group_id=group_id).first()
        if found is not None:
            return found
    return policies.filter(customer_group__isnull=True).first()


def apply_sla(ticket: Ticket, *, start: datetime.datetime | None = None) -> None:
    """Set the policy and due times from ``start`` (the ticket's creation)."""
    policy = policy_for(ticket)
    ticket.sla_policy = policy
    if policy is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    schedule = policy.calendar.schedule()
    start = start or ticket.created_at or timezone.now()
    ticket.first_response_due = add_business_minutes(schedule, start, policy.first_response_minutes)
    due = add_business_minutes(schedule, start, policy.resolution_minutes)
    if ticket.paused_minutes:
        due = add_business_minutes(schedule, due, ticket.paused_minutes)
    ticket.resolution_due = due


def _end_pause(ticket: Ticket, now: datetime.datetime) -> None:
    """Leaving ``pending``: the business time spent waiting moves the resolution due time."""
    if ticket.paused_since is None:
        return
    if ticket.sla_policy_id and ticket.resolution_due:
        schedule = ticket.sla_policy.calendar.schedule()
        paused = business_minutes_between(schedule, ticket.paused_since, now)
        ticket.paused_minutes += paused
        ticket.resolution_due = add_business_minutes(schedule, ticket.resolution_due, paused)
    ticket.paused_since = None


def schedule_of(policy: SlaPolicy, schedules: dict | None = None):
    """The policy's calendar as a schedule; ``schedules`` (calendar id → schedule) saves the
    two queries per ticket in lists and jobs."""
    if schedules is None:
        return policy.calendar.schedule()
    if policy.calendar_id not in schedules:
        schedules[policy.calendar_id] = policy.calendar.schedule()
    return schedules[policy.calendar_id]


def sla_status(
    ticket: Ticket, now: datetime.datetime | None = None, schedules: dict | None = None
) -> dict[str, str]:
    """``{"first_response": …, "resolution": …}``, each "met", "on_track", "at_risk",
    "breached", "paused" or "none"."""
    now = now or timezone.now()
    policy = ticket.sla_policy

    def judge(due, done_at, target_minutes, paused=False):
        if due is None or policy is None:
            return "none"
        if done_at is not None:
            return "met" if done_at <= due else "breached"
        if paused:
            return "paused"
        if now > due:
            return "breached"
        left = business_minutes_between(schedule_of(policy, schedules), now, due)
        return "at_risk" if left < target_minutes * AT_RISK_SHARE else "on_track"

    if policy is None or ticket.merged_into_id:  # a merged duplicate's clocks stop
        return {"first_response": "none", "resolution": "none"}
    return {
        "first_response": judge(
            ticket.first_response_due, ticket.first_responded_at, policy.first_response_minutes
        ),
        "resolution": judge(
            ticket.resolution_due,
            ticket.resolved_at,
            policy.resolution_minutes,
            paused=ticket.state == Ticket.State.PENDING,
        ),
    }


def _apply(ticket: Ticket, data: dict) -> None:
    unknown = set(data) - TICKET_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(ticket, name, value)
    if ticket.contact_id and ticket.account_id and ticket.contact.account_id != ticket.account_id:
        raise InvalidInput(fields={"contact": ["This contact belongs to another customer."]})
    if ticket.contact_id and not ticket.account_id:
        ticket.account = ticket.contact.account


def _check_assignment(ticket: Ticket, actor, data: dict) -> None:
    """Only agents holding ``tickets.assign_ticket`` give tickets to others or move teams."""
    if actor is None or actor.has_perm("tickets.assign_ticket"):
        return
    assignee = data.get("assignee", ticket.assignee)
    if "assignee" in data and assignee is not None and assignee != actor:
        raise ActionForbidden("You may take a ticket yourself, not give it to someone else.")
    if "team" in data and data["team"] != ticket.team:
        raise ActionForbidden("Moving a ticket to another team needs a support manager.")


@transaction.atomic
def ticket_create(
    *,
    actor,
    data: dict,
    now: datetime.datetime | None = None,
    acknowledge: bool = True,
    uploads=(),
) -> Ticket:
    """A new ticket with its number and SLA due times, its files (``uploads``), and an
    acknowledgement e-mailed to the customer (unless ``acknowledge`` is false)."""
    now = now or timezone.now()
    ticket = Ticket()
    _apply(ticket, data)
    if not (ticket.subject or "").strip():
        raise InvalidInput(fields={"subject": ["Give the ticket a subject."]})
    ticket.number = next_number(kind="ticket", year=timezone.localdate(now).year)
    apply_sla(ticket, start=now)
    ticket._history_user = actor
    full_clean(ticket)
    ticket.save()
    if now != ticket.created_at:  # a ticket recorded for an earlier moment (e-mail, import)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=now)
        ticket.created_at = now
    routing.route(ticket, actor=actor, now=now)  # a routed team's agent, else its queue
    for upload in uploads:
        emails.attachment_add(
            ticket=ticket,
            upload=upload,
            actor=actor,
            from_customer=actor is None or is_portal_user(actor),
        )
    if acknowledge:
        emails.send_acknowledgement(ticket)
    return ticket


@transaction.atomic
def ticket_update(*, ticket: Ticket, actor, data: dict) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.priority
    before_assignee, before_team = ticket.assignee_id, ticket.team_id
    _check_assignment(ticket, actor, data)
    _apply(ticket, data)
    if ticket.priority != before:  # a new priority: new targets from the creation time
        apply_sla(ticket, start=ticket.created_at)
    ticket._history_user = actor
    full_clean(ticket)
    ticket.save()
    routing.log_reassignment(ticket, before_id=before_assignee, actor=actor)
    if ticket.team_id != before_team:  # moved to a routed team without an assignee
        routing.route(ticket, actor=actor)
    return ticket


# Staff move tickets with ``tickets.change_ticket``; a customer closes and reopens their own
# ticket in the portal (which checked it is theirs): customers hold no staff permission.
CUSTOMER_MOVES = ("close", "reopen")


def _transition(ticket: Ticket, name: str, *, actor, note: str = "", now=None) -> Ticket:
    """The move at ``now`` (default now: an e-mail's date, tests): leaving ``pending`` adds
    the business time spent waiting to the resolution due time; resolving asks for a rating."""
    now = now or timezone.now()

    def end_pause(locked: Ticket) -> None:
        if locked.state == Ticket.State.PENDING:
            _end_pause(locked, now)

    customer = name in CUSTOMER_MOVES and actor is not None and is_portal_user(actor)
    with transaction.atomic():
        locked = transition_record(
            ticket,
            name,
            actor=actor,
            note=note,
            at=now,
            check_permission=not customer,
            related=("sla_policy__calendar",),
            prepare=end_pause,
        )
        if name == "resolve":
            _ask_for_rating(locked)
    return locked


def ticket_open(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "open", actor=actor, note=note, now=now)


def ticket_wait_on_customer(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "wait_on_customer", actor=actor, note=note, now=now)


def ticket_resolve(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "resolve", actor=actor, note=note, now=now)


def ticket_close(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "close", actor=actor, note=note, now=now)


def ticket_reopen(*, ticket, actor, note: str = "", now=None) -> Ticket:
    return _transition(ticket, "reopen", actor=actor, note=note, now=now)


def _notify_mentions(comment: TicketComment) -> None:
    """``@username`` in a reply or note: the colleague watches the ticket and is e-mailed once."""
    mentions.notify_mentions(comment)


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    actor,
    body: str,
    public: bool = True,
    now=None,
    via: str = TicketComment.Via.WEB,
    uploads=(),
    notify_customer: bool = True,
) -> TicketComment:
    """A staff reply (public, e-mailed to the customer with its files) or internal note. The
    first public reply meets the first-response target; a new ticket becomes open."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    comment = TicketComment.objects.create(
        ticket=ticket, author=actor, body=body, is_public=public, created_at=now, via=via
    )
    _notify_mentions(comment)
    for upload in uploads:
        emails.attachment_add(ticket=ticket, upload=upload, comment=comment, actor=actor)
    if public and notify_customer:
        emails.send_public_reply(comment, actor=actor)
    if public and ticket.first_responded_at is None:
        Ticket.objects.filter(pk=ticket.pk).update(first_responded_at=now)
    if public and ticket.state == Ticket.State.NEW:
        _transition(ticket, "open", actor=actor, note="first reply", now=now)
    return comment


@transaction.atomic
def customer_reply(
    *,
    ticket: Ticket,
    body: str,
    contact=None,
    now=None,
    via: str = TicketComment.Via.PORTAL,
    author_email: str = "",
    uploads=(),
) -> TicketComment:
    """The customer writes (portal or e-mail, with files): a pending ticket reopens (its SLA
    clock runs again), a resolved or closed one opens again."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.merged_into_id:  # a merged duplicate: the conversation goes on in its target
        ticket = Ticket.objects.select_for_update().get(pk=ticket.merged_into_id)
    comment = TicketComment.objects.create(
        ticket=ticket,
        body=body,
        from_customer=True,
        is_public=True,
        created_at=now,
        via=via,
        author_email=author_email[:254],
    )
    for upload in uploads:
        emails.attachment_add(
            ticket=ticket, upload=upload, comment=comment, actor=None, from_customer=True
        )
    if ticket.state == Ticket.State.PENDING:
        _transition(ticket, "open", actor=None, note="customer replied", now=now)
    elif ticket.state in (Ticket.State.RESOLVED, Ticket.State.CLOSED):
        _transition(ticket, "reopen", actor=None, note="customer replied", now=now)
    notify_watchers(ticket, comment)
    return comment


# Follow-ups of closed tickets -------------------------------------------------------------------


def closed_for_replies(ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    """Closed longer than ``SFA_TICKET_REOPEN_DAYS`` ago: the customer's next message opens a
    follow-up ticket linked to this one instead of reopening it."""
    now = now or timezone.now()
    window = datetime.timedelta(days=settings.SFA_TICKET_REOPEN_DAYS)
    return (
        ticket.state == Ticket.State.CLOSED
        and ticket.closed_at is not None
        and ticket.closed_at < now - window
    )


def link_follow_up(ticket: Ticket, previous: Ticket, now: datetime.datetime | None = None) -> None:
    """Mark ``ticket`` as the follow-up of the closed ``previous`` (with a note for agents)."""
    now = now or timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_of=previous)
    ticket.follow_up_of = previous
    closed = f" (closed on {timezone.localtime(previous.closed_at):%Y-%m-%d})"
    ticket_system_note(
        ticket,
        f"Follow-up of {previous.number}{closed if previous.closed_at else ''}: "
        "the customer wrote about it again.",
        now,
    )


@transaction.atomic
def ticket_follow_up(
    *, previous: Ticket, actor, body: str, contact=None, uploads=(), now=None
) -> Ticket:
    """The customer writes about a ticket closed long ago (portal): a new ticket with the
    message, linked to the old one, acknowledged."""
    if not body.strip():
        raise InvalidInput(fields={"body": ["Write something."]})
    contact = contact or previous.contact
    data = {
        "subject": previous.subject,
        "description": body,
        "channel": Ticket.Channel.PORTAL,
        "account": previous.account,
        "contact": contact,
        "requester_email": previous.requester_email,
        "category": previous.category,
        "product": previous.product,
        "kind": previous.kind,
    }
    ticket = ticket_create(actor=actor, data=data, now=now, uploads=uploads)
    link_follow_up(ticket, previous, now)
    return ticket


# The SLA job ---------------------------------------------------------------------------------

PRIORITY_STEPS = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]


def _recipients_for_warning(ticket: Ticket) -> list[str]:
    if ticket.assignee_id and ticket.assignee.email:
        return [ticket.assignee.email]
    if ticket.team_id:
        return [m.email for m in ticket.team.members.filter(is_active=True) if m.email]
    return []


def _recipients_for_breach(ticket: Ticket) -> list[str]:
    people = set(_recipients_for_warning(ticket))
    if ticket.team_id and ticket.team.manager_id and ticket.team.manager.email:
        people.add(ticket.team.manager.email)
    return sorted(people)


def _notify(ticket: Ticket, target: str, kind: str, to: list[str], due) -> None:
    if not to:
        return
    email_queue(
        kind=f"tickets.sla_{kind}",
        to=to,
        template=f"tickets/emails/sla_{kind}",
        context={
            "ticket": ticket,
            "target": "first response" if target == "first_response" else "resolution",
            "due": due,
            "url": f"{settings.SFA_BASE_URL}/tickets/{ticket.pk}/",
        },
        related=ticket,
    )


def _escalate(ticket: Ticket, target: str, now) -> None:
    """Once per breach: tell the team's manager, and apply the policy's escalation."""
    policy = ticket.sla_policy
    changes = {}
    notes = [f"SLA breached: {target.replace('_', ' ')} was due {ticket_due(ticket, target)}."]
    if policy.raise_priority_on_breach and ticket.priority != Priority.URGENT:
        higher = PRIORITY_STEPS[PRIORITY_STEPS.index(ticket.priority) + 1]
        changes["priority"] = higher
        notes.append(f"Priority raised to {higher}.")
    if policy.reassign_on_breach_to_id and ticket.assignee_id != policy.reassign_on_breach_to_id:
        changes["assignee_id"] = policy.reassign_on_breach_to_id
        notes.append(f"Reassigned to {policy.reassign_on_breach_to}.")
    if changes:
        Ticket.objects.filter(pk=ticket.pk).update(**changes)
    ticket_system_note(ticket, " ".join(notes), now)
    _notify(ticket, target, "breach", _recipients_for_breach(ticket), ticket_due(ticket, target))


def ticket_due(ticket: Ticket, target: str):
    return ticket.first_response_due if target == "first_response" else ticket.resolution_due


def check_slas(now: datetime.datetime | None = None) -> dict[str, int]:
    """Warn when a target is at risk and escalate when it is breached — each once per ticket
    and target (a conditional update claims the mark, so parallel runs cannot both act)."""
    now = now or timezone.now()
    counts = {"warned": 0, "escalated": 0}
    open_tickets = (
        Ticket.objects.filter(state__in=[Ticket.State.NEW, Ticket.State.OPEN, Ticket.State.PENDING])
        .filter(sla_policy__isnull=False)
        .select_related("sla_policy__calendar", "team__manager", "assignee")
    )
    schedules: dict = {}
    for ticket in open_tickets:
        status = sla_status(ticket, now=now, schedules=schedules)
        for target in ("first_response", "resolution"):
            state = status[target]
            if state == "breached":
                mark = f"{target}_breached_at"
                claimed = Ticket.objects.filter(pk=ticket.pk, **{f"{mark}__isnull": True}).update(
                    **{mark: now}
                )
                if claimed:
                    with transaction.atomic():
                        _escalate(ticket, target, now)
                    counts["escalated"] += 1
            elif state == "at_risk":
                mark = f"{target}_warned_at"
                claimed = Ticket.objects.filter(pk=ticket.pk, **{f"{mark}__isnull": True}).update(
                    **{mark: now}
                )
                if claimed:
                    _notify(
                        ticket, target, "warning", _recipients_for_warning(ticket),
                        ticket_due(ticket, target),
                    )  # fmt: skip
                    counts["warned"] += 1
    return counts


# The customer's rating -------------------------------------------------------------------------

RATING_SALT = "tickets.rating"


def rating_token(ticket: Ticket) -> str:
    return signing.dumps({"t": ticket.pk}, salt=RATING_SALT)


def ticket_from_rating_token(token: str) -> Ticket | None:
    try:
        payload = signing.loads(token, salt=RATING_SALT, max_age=RATING_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(pk=payload.get("t")).first()


RATING_LINK_DAYS = 30


def _ask_for_rating(ticket: Ticket) -> None:
    """On resolve: the customer gets a signed link to rate the help (1–5 and a comment)."""
    to = (ticket.contact.email if ticket.contact_id else "") or ticket.requester_email
    if not to or hasattr(ticket, "rating"):
        return
    email_queue(
        kind="tickets.rating_request",
        to=[to],
        template="tickets/emails/rating_request",
        context={
            "ticket": ticket,
            "url": f"{settings.SFA_BASE_URL}/rate/{rating_token(ticket)}/",
            "days": RATING_LINK_DAYS,
        },
        related=ticket,
    )


@transaction.atomic
def ticket_rate(*, ticket: Ticket, score, comment: str = "", channel: str = "link") -> TicketRating:
    """Single use: a second rating is a 409; only resolved or closed tickets are rated."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.state not in (Ticket.State.RESOLVED, Ticket.State.CLOSED):
        raise Conflict("Only a resolved ticket can be rated.", code="ticket_not_resolved")
    if TicketRating.objects.filter(ticket=ticket).exists():
        raise Conflict("This ticket has been rated already.", code="already_rated")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise InvalidInput(fields={"score": ["Choose 1 to 5 stars."]})
    return TicketRating.objects.create(
        ticket=ticket, score=score, comment=comment.strip()[:5000], channel=channel
    )


def ticket_email_bounced(*, email) -> None:
    """An outbox e-mail about a ticket bounced: the agents see it on the ticket."""
    if email.content_type_id != ContentType.objects.get_for_model(Ticket).pk:
        return
    ticket = Ticket.objects.filter(pk=email.object_id).first()
    if ticket is None:
        return
    ticket_system_note(
        ticket,
        f'The e-mail "{email.subject}" to {", ".join(email.to)} bounced: '
        f"{email.last_error}. Check the customer's address.",
    )
