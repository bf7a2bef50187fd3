"""Tickets, set-based, with plausible SLA fields.

Due times are the policy's business minutes spread over the calendar (Mon–Fri 8–18 is about
a third of the week, so one business hour ≈ 3.4 hours); one ticket in five is answered late.
The last two weeks' tickets are spread over the open states, older ones are closed.
Numbers are ``T-<year>-<n>`` as ``tickets.services`` makes them.
"""

from tests.bench.load import words
from tests.bench.load.sqlgen import (
    Timeline,
    below,
    by_share,
    chance,
    human_number,
    insert_select,
    pick,
    unit,
    weighted,
    when,
    within,
)
from tickets.models import Ticket

NUMBER_IN_YEAR = "row_number() OVER (PARTITION BY t.year ORDER BY t.g)"
CALENDAR_FACTOR = 3.36  # 168 hours a week / 50 business hours
STATES_TODAY = [("new", 35), ("open", 35), ("pending", 15), ("resolved", 15)]
STATES_WEEKS = [("new", 3), ("open", 15), ("pending", 12), ("resolved", 30), ("closed", 40)]
STATES_OLD = [("closed", 97), ("resolved", 1), ("open", 1), ("pending", 1)]
PRIORITIES = [("normal", 50), ("high", 22), ("low", 20), ("urgent", 8)]
CHANNELS = [("email", 45), ("phone", 25), ("portal", 20), ("web", 8), ("api", 2)]
PAUSED_MINUTES = [(0, 6), (90, 1), (240, 1), (600, 1), (1440, 1)]  # waiting on the customer
KINDS = [("question", 45), ("incident", 35), ("problem", 12), ("feature_request", 8)]
DESCRIPTIONS = [
    "Reported by the customer; details in the conversation below.",
    "The operator sent photos of the display. Serial number on the type plate.",
    "Happens on every start in the morning, after the machine has been cold.",
    "Urgent: the line is down until this is solved.",
]


def _sla_case(ref, index: int) -> str:
    """The policy's id (0), first response (1) or resolution minutes (2) by priority."""
    whens = " ".join(f"WHEN '{p}' THEN {values[index]}" for p, values in ref.sla.items())
    return f"CASE t.priority {whens} END"


def _ticket_rows(count: int, accounts: int, time: Timeline) -> str:
    """One row per ticket with the choices several columns share."""
    return f"""(
        SELECT g, {time.spread("g", count, "tcreated")} AS created_at,
            {chance("g", "tlinked", 92)} AS linked,
            1 + {below("g", "taccount", accounts)} AS account_id,
            {weighted(PRIORITIES, "g", "priority")} AS priority,
            {below("g", "tstate", 100)} AS r,
            {chance("g", "secondlevel", 15)} AS second_level,
            {weighted(PAUSED_MINUTES, "g", "paused", "int")} AS paused
        FROM generate_series(1, {count}) AS g OFFSET 0
    )"""  # fmt: skip


def _ticket_state(time: Timeline) -> str:
    age = time.age_days("t.created_at")
    return f"""CASE WHEN {age} < 2 THEN {by_share(STATES_TODAY, "t.r")}
        WHEN {age} < 14 THEN {by_share(STATES_WEEKS, "t.r")}
        ELSE {by_share(STATES_OLD, "t.r")} END"""


def _routed(ref) -> dict[str, str]:
    """Team and agent: a third of the new tickets are not routed yet, the rest go to the
    first level (85 %) or the second; half of the new ones in a team have no agent yet."""
    first_team, first_agents = ref.first_level
    second_team, second_agents = ref.second_level
    unrouted = f"d.state = 'new' AND {chance('d.g', 'unrouted', 33)}"
    return {
        "team_id": f"""CASE WHEN {unrouted} THEN NULL WHEN d.second_level THEN {second_team}
            ELSE {first_team} END""",
        "agent_id": f"""CASE WHEN {unrouted} OR (d.state = 'new' AND {chance("d.g", "free", 50)})
            THEN NULL WHEN d.second_level THEN {pick(second_agents, "d.g", "agent", "bigint")}
            ELSE {pick(first_agents, "d.g", "agent", "bigint")} END""",
    }  # fmt: skip


def _ticket_source(ref, count: int, accounts: int, time: Timeline) -> str:
    """Rows with state, SLA targets, team and agent, then (one layer each) the moments of
    the first answer, the resolution and the closing."""
    minutes = f"* {CALENDAR_FACTOR} * interval '1 minute'"
    now = time.now
    to_answer = f"(d.first_due - d.created_at) * 1.25 * {unit('d.g', 'answer')}"
    to_resolve = f"(a.resolution_due - a.created_at) * 1.1 * {unit('a.g', 'resolve')}"
    to_close = f"(1 + 3 * {unit('r.g', 'close')}) * interval '1 day'"
    answer = within("d.created_at", to_answer, now, unit("d.g", "answer2"))
    resolve = within("a.responded_at", to_resolve, now, unit("a.g", "resolve2"))
    close = within("r.resolved_at", to_close, now, unit("r.g", "close2"))
    done = "a.state IN ('resolved', 'closed')"
    routed = _routed(ref)
    return f"""(
        SELECT r.*, CASE WHEN r.state = 'closed' THEN {close} END AS closed_at FROM (
        SELECT a.*, CASE WHEN {done} THEN {resolve} END AS resolved_at FROM (
        SELECT d.*, CASE WHEN d.state <> 'new' THEN {answer} END AS responded_at,
            {routed["team_id"]} AS team_id, {routed["agent_id"]} AS agent_id
        FROM (
            SELECT t.*, {_ticket_state(time)} AS state,
                {_sla_case(ref, 0)} AS policy_id,
                t.created_at + {_sla_case(ref, 1)} {minutes} AS first_due,
                t.created_at + ({_sla_case(ref, 2)} + t.paused) {minutes} AS resolution_due,
                extract(year FROM t.created_at)::int AS year,
                c.id AS contact_id, c.email AS contact_email
            FROM {_ticket_rows(count, accounts, time)} t
            JOIN bench_contact_range cr ON cr.account_id = t.account_id
            JOIN customers_contact c ON c.id = cr.first_id + {below("t.g", "tcontact", "cr.n")}
            OFFSET 0
        ) d OFFSET 0) a OFFSET 0) r OFFSET 0
    ) t"""  # fmt: skip


def _requester() -> str:
    first = pick(words.FIRST_NAMES, "t.g", "rfirst")
    last = pick(words.LAST_NAMES, "t.g", "rlast")
    someone = f"lower({first} || '.' || {last}) || '@mail.example'"
    return when("t.linked", "t.contact_email", someone)


def _warning(due: str) -> str:
    return f"{due} - ({due} - t.created_at) / 4"


def _ticket_sla(time: Timeline) -> dict[str, str]:
    late_answer = f"coalesce(t.responded_at, {time.now}) > t.first_due"
    late_resolution = (
        f"t.state <> 'pending' AND coalesce(t.resolved_at, {time.now}) > t.resolution_due"
    )
    waiting = f"least({time.now}, t.responded_at + interval '5 minutes')"
    changed = f"""CASE t.state WHEN 'new' THEN NULL WHEN 'open' THEN t.responded_at
        WHEN 'pending' THEN {waiting}
        WHEN 'resolved' THEN t.resolved_at ELSE t.closed_at END"""
    return {
        "sla_policy_id": "t.policy_id",
        "first_response_due": "t.first_due",
        "resolution_due": "t.resolution_due",
        "first_responded_at": "t.responded_at",
        "resolved_at": "t.resolved_at",
        "closed_at": "t.closed_at",
        # the SLA job warns with a quarter of the target left, and marks the breach
        "first_response_warned_at": when(late_answer, _warning("t.first_due")),
        "first_response_breached_at": when(late_answer, "t.first_due"),
        "resolution_warned_at": when(late_resolution, _warning("t.resolution_due")),
        "resolution_breached_at": when(late_resolution, "t.resolution_due"),
        "paused_since": when("t.state = 'pending'", waiting),
        "paused_minutes": "CASE WHEN t.state IN ('resolved', 'closed') THEN t.paused ELSE 0 END",
        "state_changed_at": changed,
        "updated_at": f"coalesce({changed}, t.created_at)",
    }


def _ticket_values(ref, time: Timeline) -> dict[str, str]:
    products = [p.id for p in ref.products]
    return {
        "id": "t.g",
        "number": human_number("T", "t.year", NUMBER_IN_YEAR),
        "state": "t.state",
        "account_id": "CASE WHEN t.linked THEN t.account_id END",
        "contact_id": "CASE WHEN t.linked THEN t.contact_id END",
        "requester_email": _requester(),
        "subject": pick(words.TICKET_SUBJECTS, "t.g", "subject"),
        "description": pick(DESCRIPTIONS, "t.g", "description"),
        "channel": weighted(CHANNELS, "t.g", "channel"),
        "category_id": pick(ref.ticket_categories, "t.g", "category", "bigint"),
        "product_id": when(
            chance("t.g", "tproduct", 40), pick(products, "t.g", "tproduct2", "bigint")
        ),
        "priority": "t.priority",
        "kind": weighted(KINDS, "t.g", "kind"),
        "team_id": "t.team_id",
        "assignee_id": "t.agent_id",
        "tags": pick(words.TICKET_TAGS, "t.g", "tags"),
        **_ticket_sla(time),
        "created_at": "t.created_at",
    }


def load_tickets(cursor, ref, *, count: int, accounts: int, time: Timeline) -> None:
    source = _ticket_source(ref, count, accounts, time)
    cursor.execute(insert_select(Ticket, _ticket_values(ref, time), source))
