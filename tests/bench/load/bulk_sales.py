"""Enquiries, opportunities and quotes (with ten lines each), set-based.

States follow age, as in a real pipeline: the last weeks' records are spread over the open
states, older ones are mostly finished (converted or disqualified, won or lost, accepted,
rejected or expired). Owners and branches are the customer's; numbers are the services'
``ENQ-<year>-<n>`` and ``Q-<year>-<n>``, counted per year in date order. Quote lines and totals
are computed as ``sfa.core.money`` computes them (half-up per line, the document discount
shared per line, tax per rate).
"""

from leads.models import Lead
from opportunities.models import Opportunity
from quotes.models import Quote, QuoteLine
from tests.bench.load import words
from tests.bench.load.sqlgen import (
    Timeline,
    array,
    below,
    by_share,
    chance,
    digits,
    human_number,
    insert_select,
    literal,
    pick,
    unit,
    weighted,
    when,
    within,
)

LINES_PER_QUOTE = 10

# Enquiries ---------------------------------------------------------------------------------------

LEAD_STATES_RECENT = [("new", 45), ("contacted", 30), ("qualified", 20), ("disqualified", 5)]
LEAD_STATES_WEEKS = [
    ("new", 5), ("contacted", 15), ("qualified", 20), ("converted", 35), ("disqualified", 25),
]  # fmt: skip
LEAD_STATES_OLD = [
    ("new", 1), ("contacted", 2), ("qualified", 2), ("converted", 45), ("disqualified", 50),
]  # fmt: skip
LEAD_CHANNELS = [
    ("email", 35), ("telephone", 25), ("web_form", 20), ("walk_in", 10), ("tender", 5),
    ("fax", 3), ("letter", 2),
]  # fmt: skip
LEAD_SOURCES = [
    ("existing_customer", 30), ("web_form", 20), ("referral", 15), ("trade_fair", 10),
    ("campaign", 10), ("advertising", 5), ("other", 10),
]  # fmt: skip
PROSPECT_SOURCES = [*LEAD_SOURCES[1:-1], ("other", 40)]  # prospects are no existing customers
REMARKS = [
    "", "", "", "Please call back in the morning.", "Asked for a demo on site.",
    "Needs delivery before the end of the quarter.", "Compare with last year's offer.",
]  # fmt: skip


def _lead_source(count: int, accounts: int, time: Timeline) -> str:
    """Each enquiry picks a customer: its own (about 60 %: every converted one) or, for a
    prospect, the rep and region of a customer nearby; the state follows the enquiry's age."""
    age = time.age_days("s.enquiry_date")
    state = f"""CASE WHEN {age} < 14 THEN {by_share(LEAD_STATES_RECENT, "s.r")}
        WHEN {age} < 60 THEN {by_share(LEAD_STATES_WEEKS, "s.r")}
        ELSE {by_share(LEAD_STATES_OLD, "s.r")} END"""
    return f"""(
        SELECT s.*, s.prospect_linked OR s.state = 'converted' AS linked, c.id AS contact_id,
            c.first_name AS c_first, c.last_name AS c_last, c.email AS c_email,
            c.phone AS c_phone, a.owner_id, a.branch_id, a.city, a.postal_code, a.region,
            a.payment_terms_id, extract(year FROM s.enquiry_date)::int AS year
        FROM (SELECT s.*, {state} AS state FROM (
            SELECT g, {chance("g", "linked", 55)} AS prospect_linked,
                1 + {below("g", "account", accounts)} AS account_id,
                ({time.spread("g", count, "date")})::date AS enquiry_date,
                {below("g", "state", 100)} AS r
            FROM generate_series(1, {count}) AS g OFFSET 0
        ) s OFFSET 0) s
        JOIN customers_account a ON a.id = s.account_id
        JOIN bench_contact_range cr ON cr.account_id = a.id
        JOIN customers_contact c ON c.id = cr.first_id + {below("s.g", "contact", "cr.n")}
        OFFSET 0
    ) l"""


def _prospect(column: str, prospect: str) -> str:
    """The customer's value for an enquiry of a customer, else the prospect's."""
    return when("l.linked", column, prospect)


def _prospect_values() -> dict[str, str]:
    first = pick(words.FIRST_NAMES, "l.g", "pfirst")
    last = pick(words.LAST_NAMES, "l.g", "plast")
    word = pick(words.COMPANY_WORDS, "l.g", "pword")
    company = " || ' ' || ".join(
        [word, pick(words.COMPANY_NOUNS, "l.g", "pnoun"), pick(words.LEGAL_FORMS, "l.g", "plegal")]
    )
    email = f"lower({first} || '.' || {last}) || '@' || lower({word}) || '-' || l.g || '.example'"
    number = digits("l.g", "pphone", 100000, 9000000)
    phone = f"'+49 ' || {digits('l.g', 'parea', 30, 930)} || ' ' || {number}"
    return {
        "company": _prospect("''", company),
        "first_name": _prospect("l.c_first", first),
        "last_name": _prospect("l.c_last", last),
        "email": _prospect("l.c_email", email),
        "phone": _prospect("l.c_phone", phone),
        "city": _prospect("''", "l.city"),
        "postal_code": _prospect("''", "l.postal_code"),
        "region": _prospect("''", "l.region"),
        "country": _prospect("''", "'DE'"),
        "source": _prospect(
            weighted(LEAD_SOURCES, "l.g", "source"), weighted(PROSPECT_SOURCES, "l.g", "source")
        ),
    }


def _lead_values(time: Timeline) -> dict[str, str]:
    day = "l.enquiry_date + interval '8 hours'"
    later = f"{digits('l.g', 'moved', 1, 21)} * interval '1 day'"
    moved = within(day, later, time.now, unit("l.g", "moved2"))
    created = f"least({time.now}, {day} + {below('l.g', 'minute', 540)} * interval '1 minute')"
    number = "row_number() OVER (PARTITION BY l.year ORDER BY l.g)"
    return {
        "id": "l.g",
        "number": human_number("ENQ", "l.year", number),
        "enquiry_date": "l.enquiry_date",
        "channel": weighted(LEAD_CHANNELS, "l.g", "channel"),
        "state": "l.state",
        "account_id": when("l.linked", "l.account_id"),
        "contact_id": when("l.linked", "l.contact_id"),
        **_prospect_values(),
        "owner_id": "l.owner_id",
        "branch_id": "l.branch_id",
        "source_detail": pick(words.SOURCE_DETAILS, "l.g", "sourcedetail"),
        "payment_terms_id": when("l.linked", "l.payment_terms_id"),
        "quote_due_date": when(chance("l.g", "quotedue", 30), "l.enquiry_date + 14"),
        "remarks": pick(REMARKS, "l.g", "remarks"),
        "disqualify_reason": when(
            "l.state = 'disqualified'", pick(words.DISQUALIFY_REASONS, "l.g", "why"), "''"
        ),
        "state_changed_at": when("l.state <> 'new'", moved),
        "created_at": created,
        "updated_at": when("l.state <> 'new'", f"greatest({created}, {moved})", created),
    }


def load_leads(cursor, *, count: int, accounts: int, time: Timeline) -> None:
    cursor.execute(insert_select(Lead, _lead_values(time), _lead_source(count, accounts, time)))


# Opportunities -----------------------------------------------------------------------------------

OPPORTUNITY_RECENT = [("prospecting", 25), ("qualification", 22), ("proposal", 20),
                      ("negotiation", 15), ("won", 10), ("lost", 8)]  # fmt: skip
OPPORTUNITY_OLD = [("won", 42), ("lost", 50), ("prospecting", 2), ("qualification", 2),
                   ("proposal", 2), ("negotiation", 2)]  # fmt: skip
OPEN_STAGES = ["prospecting", "qualification", "proposal", "negotiation"]


def _opportunity_rows(count: int, accounts: int, time: Timeline) -> str:
    """Converted enquiries first (each becomes the deal it was converted into), then deals
    entered directly, ``count`` in all; ids follow creation time."""
    return f"""(
        SELECT row_number() OVER (ORDER BY u.created_at, u.k) AS id, u.*,
            {below("u.k", "ostate", 100)} AS r
        FROM (
            SELECT * FROM (
                SELECT row_number() OVER (ORDER BY l.id) AS k, l.id AS lead_id, l.account_id,
                    l.contact_id, l.owner_id, l.branch_id,
                    coalesce(l.state_changed_at, l.created_at) AS created_at
                FROM leads_lead l WHERE l.state = 'converted'
                UNION ALL
                SELECT {count} + g, NULL, acc.id, cr.first_id + {below("g", "ocontact", "cr.n")},
                    acc.owner_id, acc.branch_id, {time.spread("g", count, "ocreated")}
                FROM generate_series(1, {count}) AS g
                JOIN customers_account acc ON acc.id = 1 + {below("g", "oaccount", accounts)}
                JOIN bench_contact_range cr ON cr.account_id = acc.id
            ) both_kinds
            ORDER BY k LIMIT {count}
        ) u
    )"""


def _opportunity_source(count: int, accounts: int, time: Timeline) -> str:
    age = time.age_days("o.created_at")
    days = f"{digits('x.id', 'closed', 10, 120)} * interval '1 day'"
    closes = f"least({time.now}, x.created_at + {days})"
    return f"""(
        SELECT x.*, CASE WHEN x.state IN ('won', 'lost') THEN {closes} END AS closed_at
        FROM (
            SELECT o.*, CASE WHEN {age} < 120 THEN {by_share(OPPORTUNITY_RECENT, "o.r")}
                ELSE {by_share(OPPORTUNITY_OLD, "o.r")} END AS state
            FROM {_opportunity_rows(count, accounts, time)} o OFFSET 0
        ) x OFFSET 0
    ) o"""


def _opportunity_values(ref, time: Timeline) -> dict[str, str]:
    probability = " ".join(f"WHEN '{stage}' THEN {p}" for stage, p in ref.probabilities.items())
    product = pick([p.name for p in ref.products], "o.id", "oproduct")
    open_deal, lost = "o.closed_at IS NULL", "o.state = 'lost'"
    moved = f"o.created_at + ({time.now} - o.created_at) * {unit('o.id', 'moved')}"
    closing = f"{time.today} + {digits('o.id', 'close', -20, 180)}"
    return {
        "id": "o.id",
        "title": f"{pick(words.OPPORTUNITY_TITLES, 'o.id', 'otitle')} || ' ' || {product}",
        "account_id": "o.account_id",
        "contact_id": "o.contact_id",
        "owner_id": "o.owner_id",
        "branch_id": "o.branch_id",
        "state": "o.state",
        "probability": f"CASE o.state {probability} ELSE 0 END",
        "amount": f"round(exp(6.9 + 5.5 * {unit('o.id', 'amount')})::numeric, -1)",
        "expected_close_date": when(open_deal, closing, "o.closed_at::date"),
        "next_step": when(open_deal, pick(words.NEXT_STEPS, "o.id", "next"), "''"),
        "next_step_date": when(open_deal, f"{time.today} + {digits('o.id', 'nextdate', 1, 31)}"),
        "source_lead_id": "o.lead_id",
        "competitors": pick(words.COMPETITORS, "o.id", "competitors"),
        "lost_reason_id": when(lost, pick(ref.lost_reasons, "o.id", "lost", "bigint")),
        "lost_from": when(lost, pick(OPEN_STAGES, "o.id", "lostfrom"), "''"),
        "stage_changed_at": f"coalesce(o.closed_at, {moved})",
        "closed_at": "o.closed_at",
        "created_at": "o.created_at",
        "updated_at": f"coalesce(o.closed_at, {moved})",
    }


def load_opportunities(cursor, ref, *, count: int, accounts: int, time: Timeline) -> None:
    source = _opportunity_source(count, accounts, time)
    cursor.execute(insert_select(Opportunity, _opportunity_values(ref, time), source))


# Quotes ------------------------------------------------------------------------------------------

QUOTE_RECENT = [
    ("draft", 30), ("pending_approval", 8), ("approved", 7), ("sent", 45), ("accepted", 6),
    ("rejected", 4),
]  # fmt: skip
QUOTE_OLD = [("accepted", 38), ("rejected", 20), ("expired", 37), ("draft", 5)]
VALIDITY_DAYS = 30
ANSWERED = "s.state IN ('accepted', 'rejected')"
QUOTE_TITLES = ["Spare parts", "Service visit", "Consumables", "Tooling"]
DOCUMENT_DISCOUNTS = [(0, 8), (2, 1), (5, 1)]
SHIPPING = [(0, 3), (25, 1), (49.9, 1), (150, 1)]
APPROVAL_REASONS = ["Large orders: needs a sales manager's approval"]
QUANTITIES = [(1, 5), (2, 2), (3, 1), (5, 1), (10, 1), (20, 1)]
LINE_DISCOUNTS = [(0, 6), (5, 2), (10, 1), (15, 1)]


def _quote_rows(count: int, accounts: int, opportunities: int, time: Timeline) -> str:
    """60 % of the quotes are made for a deal (its customer, contact, owner and title, a few
    days after it was opened), the rest directly for a customer."""
    later = f"(o.created_at + (3 + {below('g', 'qlag', 40)}) * interval '1 day')::date"
    return f"""(
        SELECT g, o.id AS opportunity_id, o.title AS o_title, o.contact_id AS o_contact,
            o.owner_id AS o_owner, o.branch_id AS o_branch,
            coalesce(o.account_id, 1 + {below("g", "qaccount", accounts)}) AS account_id,
            least({time.today}, CASE WHEN o.id IS NULL
                THEN ({time.spread("g", count, "qdate")})::date ELSE {later} END) AS issue_date
        FROM generate_series(1, {count}) AS g
        LEFT JOIN opportunities_opportunity o
            ON {chance("g", "qdeal", 60)} AND o.id = 1 + {below("g", "qdeal2", opportunities)}
        OFFSET 0
    )"""


def _quote_source(count: int, accounts: int, opportunities: int, time: Timeline) -> str:
    return f"""(
        SELECT s.*, CASE WHEN {time.age_days("s.issue_date")} < {VALIDITY_DAYS}
                THEN {by_share(QUOTE_RECENT, "s.r")} ELSE {by_share(QUOTE_OLD, "s.r")} END AS state
        FROM (
            SELECT q.*, {below("q.g", "qstate", 100)} AS r,
                extract(year FROM q.issue_date)::int AS year,
                row_number() OVER (ORDER BY q.issue_date, q.g) AS id,
                row_number() OVER (PARTITION BY extract(year FROM q.issue_date)
                                   ORDER BY q.issue_date, q.g) AS n,
                a.name AS a_name, a.street, a.postal_code, a.city, a.area, a.region,
                a.state AS a_state, a.country, a.payment_terms_id AS a_terms,
                a.owner_id AS a_owner, a.branch_id AS a_branch, c.id AS contact_id,
                c.first_name || ' ' || c.last_name AS contact_name
            FROM {_quote_rows(count, accounts, opportunities, time)} q
            JOIN customers_account a ON a.id = q.account_id
            JOIN bench_contact_range cr ON cr.account_id = a.id
            JOIN customers_contact c
                ON c.id = coalesce(q.o_contact, cr.first_id + {below("q.g", "qcontact", "cr.n")})
        ) s OFFSET 0
    ) s"""


def _quote_moments(time: Timeline, sales_manager: int) -> dict[str, str]:
    """When it was approved, sent, answered; the last of them is when its state changed."""
    now, issued = time.now, "s.issue_date + interval '8 hours'"
    sent = within(issued, "interval '1 day 1 hour'", now, unit("s.id", "sent"))
    days = f"({below('s.id', 'answered', 25)} * interval '1 day' + interval '3 hours')"
    answered = within(sent, days, now, unit("s.id", "answered2"))
    approved = within(issued, "interval '7 hours'", now, unit("s.id", "approved2"))
    expired = within(issued, f"interval '{VALIDITY_DAYS} days 16 hours 5 minutes'", now, "0.99")
    sent_states = "('sent', 'accepted', 'rejected', 'expired')"
    approved_first = chance("s.id", "approved", 15)
    with_approval = f"s.state = 'approved' OR (s.state IN {sent_states} AND {approved_first})"
    return {
        "approved_by_id": when(with_approval, str(sales_manager)),
        "approved_at": when(with_approval, approved),
        "sent_at": when(f"s.state IN {sent_states}", sent),
        "answered_at": when(ANSWERED, answered),
        "state_changed_at": f"""CASE s.state WHEN 'draft' THEN NULL
            WHEN 'pending_approval' THEN {within(issued, "interval '2 hours'", now, "0.5")}
            WHEN 'approved' THEN {approved} WHEN 'sent' THEN {sent}
            WHEN 'expired' THEN {expired} ELSE {answered} END""",
    }


def _quote_values(ref, time: Timeline) -> dict[str, str]:
    address = """concat_ws(E'\\n', s.a_name, nullif(s.street, ''),
        nullif(concat_ws(' ', nullif(s.postal_code, ''), nullif(s.city, '')), ''),
        nullif(concat_ws(', ', nullif(s.area, ''), nullif(s.region, ''), nullif(s.a_state, ''),
                         nullif(s.country, '')), ''))"""
    moments = _quote_moments(time, ref.sales_manager)
    minutes = f"{below('s.id', 'qminute', 120)} * interval '1 minute'"
    created = f"least({time.now}, s.issue_date + interval '8 hours' + {minutes})"
    title = f"{pick(QUOTE_TITLES, 's.id', 'qtitle')} || ' for ' || s.a_name"
    return {
        "id": "s.id",
        "number": human_number("Q", "s.year", "s.n"),
        "state": "s.state",
        "account_id": "s.account_id",
        "contact_id": "s.contact_id",
        "owner_id": "coalesce(s.o_owner, s.a_owner)",
        "branch_id": "coalesce(s.o_branch, s.a_branch)",
        "opportunity_id": "s.opportunity_id",
        "title": f"coalesce(s.o_title, {title})",
        "issue_date": "s.issue_date",
        "valid_until": f"s.issue_date + {VALIDITY_DAYS}",
        "payment_terms_id": "s.a_terms",
        "bill_to": address,
        "ship_to": address,
        "document_discount_percent": weighted(DOCUMENT_DISCOUNTS, "s.id", "qdiscount", "numeric"),
        "shipping": weighted(SHIPPING, "s.id", "shipping", "numeric"),
        "shipping_tax_rate": "19.00",
        "approval_reasons": when(
            "s.state IN ('pending_approval', 'approved')", literal(APPROVAL_REASONS), "'[]'::jsonb"
        ),
        "answered_by_name": when(ANSWERED, "s.contact_name", "''"),
        "answer_channel": when(
            ANSWERED, pick(["link", "portal", "phone"], "s.id", "channel"), "''"
        ),
        "rejection_reason": when(
            "s.state = 'rejected'", pick(words.REJECTION_REASONS, "s.id", "rejected"), "''"
        ),
        **moments,
        "created_at": created,
        "updated_at": f"greatest({created}, {moments['state_changed_at']})",
    }


def load_quotes(cursor, ref, *, count: int, accounts: int, opportunities: int, time: Timeline):
    source = _quote_source(count, accounts, opportunities, time)
    cursor.execute(insert_select(Quote, _quote_values(ref, time), source))


def _by_price(ref) -> list:
    return sorted(ref.products, key=lambda p: p.price)


def _line_source(ref) -> str:
    """Ten priced lines per quote: mostly consumables, tools and service hours (products
    are picked with a skew towards the cheap end), a machine now and then, one of it."""
    products = _by_price(ref)
    price = array([p.price for p in products], "numeric")
    rate = array([p.tax_rate for p in products], "numeric")
    key = f"q.id * {LINES_PER_QUOTE} + pos"
    quantity = weighted(QUANTITIES, key, "qty", "numeric")
    discount = weighted(LINE_DISCOUNTS, key, "ldiscount", "numeric")
    product = f"1 + floor({len(products)} * power({unit(key, 'product')}, 3))::int"
    return f"""(
        SELECT p.*, p.gross - round(p.gross * p.discount / 100, 2) AS net
        FROM (
            SELECT k.*, round(k.quantity * k.price, 2) AS gross
            FROM (
                SELECT i.*, ({price})[i.k] AS price, ({rate})[i.k] AS rate,
                    CASE WHEN ({price})[i.k] >= 1000 THEN 1 ELSE i.any_quantity END AS quantity
                FROM (
                    SELECT q.id AS quote_id, q.document_discount_percent AS document_discount,
                        pos, {product} AS k, {quantity} AS any_quantity, {discount} AS discount
                    FROM quotes_quote q CROSS JOIN generate_series(0, {LINES_PER_QUOTE - 1}) AS pos
                    OFFSET 0
                ) i OFFSET 0
            ) k
        ) p
    ) l"""  # fmt: skip


def load_quote_lines(cursor, ref) -> None:
    products = _by_price(ref)
    share = "round(l.net * l.document_discount / 100, 2)"
    values = {
        "quote_id": "l.quote_id",
        "position": "l.pos",
        "kind": "'item'",
        "product_id": f"({array([p.id for p in products], 'bigint')})[l.k]",
        "description": f"({array([p.name for p in products])})[l.k]",
        "unit": f"({array([p.unit for p in products])})[l.k]",
        "quantity": "l.quantity",
        "unit_price": "l.price",
        "discount_percent": "l.discount",
        "tax_rate": "l.rate",
        "line_total": "l.net",
        "tax_amount": f"round((l.net - {share}) * l.rate / 100, 2)",
    }
    cursor.execute(insert_select(QuoteLine, values, _line_source(ref)))


QUOTE_TOTALS = """
WITH line AS (
    SELECT l.quote_id, l.tax_rate AS rate, round(l.quantity * l.unit_price, 2) AS gross,
        l.line_total AS net, round(l.line_total * q.document_discount_percent / 100, 2) AS share,
        l.tax_amount AS tax
    FROM quotes_quoteline l JOIN quotes_quote q ON q.id = l.quote_id
    WHERE l.kind = 'item'
), by_rate AS (
    SELECT quote_id, rate, sum(base) AS base, sum(tax) AS tax FROM (
        SELECT quote_id, rate, net - share AS base, tax FROM line
        UNION ALL
        SELECT id, shipping_tax_rate, shipping, round(shipping * shipping_tax_rate / 100, 2)
        FROM quotes_quote WHERE shipping > 0
    ) parts GROUP BY quote_id, rate
), summary AS (
    SELECT quote_id, sum(tax) AS tax_total, jsonb_agg(jsonb_build_object(
        'rate', rate::text, 'base', base::text, 'tax', tax::text) ORDER BY rate) AS tax_summary
    FROM by_rate GROUP BY quote_id
), sums AS (
    SELECT quote_id, sum(gross) AS subtotal, sum(gross - net + share) AS discount_total
    FROM line GROUP BY quote_id
)
UPDATE quotes_quote q
SET subtotal = s.subtotal, discount_total = s.discount_total, tax_total = m.tax_total,
    total = s.subtotal - s.discount_total + q.shipping + m.tax_total + q.adjustment,
    tax_summary = m.tax_summary
FROM sums s JOIN summary m USING (quote_id)
WHERE q.id = s.quote_id
"""


def total_quotes(cursor) -> None:
    """Each quote's totals and tax summary from its lines, as ``quotes.services`` does."""
    cursor.execute(QUOTE_TOTALS)
