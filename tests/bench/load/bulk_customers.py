"""Customers, their contacts, types and shares, set-based.

A customer belongs to one of six branches; its city, region and phone area code are the
branch's, its owner one of the branch's seven reps (so a rep owns ~2.4 % of the customers).
Customer ids follow their creation time over three years; codes are ``C000001``… as
``generate_account_code`` makes them.
"""

from sfa.customers.models import Account, AccountShare, Contact
from tests.bench.load import words
from tests.bench.load.sqlgen import (
    Timeline,
    array,
    below,
    chance,
    digits,
    insert_select,
    padded,
    pick,
    unit,
    when,
)

CITY_COUNT = 8  # per branch
ROW = "s.g"  # the customer's number in the statements below
CREDIT_LIMITS = [0, 0, 5000, 10000, 25000, 50000, 100000]


def _branch_arrays(ref) -> dict[str, str]:
    """Arrays indexed by ``1 + branch * 8 + city`` (cities) or ``1 + branch * 7 + n`` (reps)."""
    cities = [city for branch in ref.branches for city in branch.cities]
    return {
        "branch_ids": array([b.id for b in ref.branches], "bigint"),
        "regions": array([b.region for b in ref.branches]),
        "cities": array([c[0] for c in cities]),
        "postal": array([c[1] for c in cities]),
        "area_codes": array([c[2] for c in cities]),
        "states": array([c[3] for c in cities]),
        "reps": array([rep for b in ref.branches for rep in b.reps], "bigint"),
    }


def _account_source(count: int, time: Timeline) -> str:
    """One row per customer with the choices several columns share."""
    return f"""(
        SELECT g,
            {below("g", "branch", 6)} AS b,
            {below("g", "city", CITY_COUNT)} AS c,
            {below("g", "nameform", 10)} AS form,
            {pick(words.COMPANY_WORDS, "g", "word")} AS word,
            {pick(words.COMPANY_NOUNS, "g", "noun")} AS noun,
            {pick(words.LAST_NAMES, "g", "last1")} AS last1,
            {pick(words.LAST_NAMES, "g", "last2")} AS last2,
            {pick(words.LEGAL_FORMS, "g", "legal")} AS legal,
            {time.spread("g", count, "created")} AS created_at
        FROM generate_series(1, {count}) AS g
        OFFSET 0
    ) s"""


def _account_name() -> tuple[str, str]:
    """The name and the e-mail domain stem: "Nordic Pumps GmbH" / "nordicpumps"."""
    name = """CASE WHEN s.form < 5 THEN s.word || ' ' || s.noun || ' ' || s.legal
        WHEN s.form < 8 THEN s.last1 || ' ' || s.noun || ' ' || s.legal
        ELSE s.last1 || ' & ' || s.last2 || ' ' || s.legal END"""
    stem = """lower(CASE WHEN s.form < 5 THEN s.word || s.noun
        WHEN s.form < 8 THEN s.last1 || s.noun ELSE s.last1 || s.last2 END)"""
    return name, stem


def _phone(area_code: str, salt: str) -> str:
    return f"'+49 ' || {area_code} || ' ' || {digits(ROW, salt, 100000, 9000000)}"


def _account_place(ref) -> dict[str, str]:
    """Address and phone numbers: the city's, in the branch's region."""
    arrays = _branch_arrays(ref)
    city = f"1 + s.b * {CITY_COUNT} + s.c"
    area_code = f"({arrays['area_codes']})[{city}]"
    zip_tail = f"lpad({below(ROW, 'zip', 1000)}::text, 3, '0')"
    return {
        "branch_id": f"({arrays['branch_ids']})[1 + s.b]",
        "owner_id": f"({arrays['reps']})[1 + s.b * 7 + {below(ROW, 'owner', 7)}]",
        "phone": _phone(area_code, "phone"),
        "fax": when(chance(ROW, "fax", 30), _phone(area_code, "fax2"), "''"),
        "street": f"{pick(words.STREETS, ROW, 'street')} || ' ' || {digits(ROW, 'house', 1, 150)}",
        "postal_code": f"({arrays['postal']})[{city}] || {zip_tail}",
        "city": f"({arrays['cities']})[{city}]",
        "area": f"({arrays['cities']})[{city}] || '-' || {pick(words.DISTRICTS, ROW, 'district')}",
        "region": f"({arrays['regions']})[1 + s.b]",
        "state": f"({arrays['states']})[{city}]",
        "country": "'DE'",
    }


def _account_terms(ref) -> dict[str, str]:
    """Lookups and commercial terms."""
    vat = f"'DE' || {digits(ROW, 'vatn', 100000000, 999999999)}"
    return {
        "status": when(chance(ROW, "archived", 4), "'archived'", "'active'"),
        "group_id": when(chance(ROW, "group", 70), pick(ref.groups, ROW, "grp", "bigint")),
        "industry_id": pick(ref.industries, ROW, "industry", "bigint"),
        "payment_terms_id": pick(ref.payment_terms, ROW, "terms", "bigint"),
        "vat_id": when(chance(ROW, "vat", 60), vat, "''"),
        "credit_limit": pick(CREDIT_LIMITS, ROW, "credit", "numeric"),
        "credit_hold": chance(ROW, "hold", 2),
        "discount_privilege": pick([0, 0, 0, 2, 3, 5], ROW, "discount", "numeric"),
        "alert_message": when(chance(ROW, "alert", 3), pick(words.ALERTS, ROW, "alerttext"), "''"),
        "custom_fields": _custom_fields(),
    }


def _account_values(ref, time: Timeline) -> dict[str, str]:
    name, stem = _account_name()
    domain = f"{stem} || '-' || s.g || '.example'"
    touched = f"({time.now} - s.created_at) * power({unit(ROW, 'updated')}, 3)"
    return {
        "id": "s.g",
        "code": f"'C' || {padded(ROW, 6)}",
        "name": name,
        "email": f"'info@' || {domain}",
        "website": f"'https://www.' || {domain}",
        **_account_place(ref),
        **_account_terms(ref),
        "created_at": "s.created_at",
        "updated_at": f"s.created_at + {touched}",
    }


def _custom_fields() -> str:
    return f"""CASE WHEN {chance(ROW, "custom", 60)} THEN jsonb_build_object(
        'employees', {pick([8, 25, 60, 140, 420, 1800], ROW, "employees", "int")},
        'segment', {pick(["SME", "Mid-market", "Enterprise"], ROW, "segment")},
        'iso_certified', {chance(ROW, "iso", 60)}) ELSE '{{}}'::jsonb END"""


def load_accounts(cursor, ref, *, count: int, time: Timeline) -> None:
    cursor.execute(insert_select(Account, _account_values(ref, time), _account_source(count, time)))
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('customers_account', 'id'), "
        "(SELECT max(id) FROM customers_account))"
    )


def _contact_values(now: str) -> dict[str, str]:
    key = "a.id * 4 + n"
    first = pick(words.FIRST_NAMES, key, "first")
    last = pick(words.LAST_NAMES, key, "last")
    created = f"least({now}, a.created_at + (n - 1) * interval '9 days')"
    touched = f"({now} - a.created_at) * power({unit(key, 'cupdated')}, 3)"
    mobile = (
        f"'+49 15' || {digits(key, 'mobile', 1, 10)} || ' ' || "
        f"{digits(key, 'mobile2', 1000000, 9999999)}"
    )
    return {
        "account_id": "a.id",
        "salutation": pick(["", "", "mr", "mr", "ms", "ms", "dr", "mx"], key, "salutation"),
        "first_name": first,
        "last_name": last,
        "title": pick(words.JOB_TITLES, key, "title"),
        "department": pick(words.DEPARTMENTS, key, "department"),
        "email": f"lower({first} || '.' || {last}) || '@' || split_part(a.email, '@', 2)",
        "phone": f"a.phone || '-' || {digits(key, 'extension', 10, 99)}",
        "mobile": mobile,
        "is_primary": "n = 1",
        "email_consent": chance(key, "consent", 70),
        "email_consent_at": when(chance(key, "consent", 70), "a.created_at"),
        "is_active": f"NOT {chance(key, 'inactive', 3)}",
        "created_at": created,
        "updated_at": f"least({now}, {created} + {touched})",
    }


def load_contacts(cursor, *, time: Timeline) -> None:
    """One to three contacts per customer (two on average), the first one primary, with the
    customer's e-mail domain and phone number (plus an extension)."""
    contacts = f"1 + {below('a.id', 'contacts', 3)}"
    source = f"customers_account a CROSS JOIN LATERAL generate_series(1, {contacts}) AS n"
    cursor.execute(insert_select(Contact, _contact_values(time.now), source))
    cursor.execute(
        "CREATE UNLOGGED TABLE bench_contact_range AS SELECT account_id, min(id) AS first_id, "
        "count(*)::int AS n FROM customers_contact GROUP BY account_id"
    )
    cursor.execute("ALTER TABLE bench_contact_range ADD PRIMARY KEY (account_id)")


def load_account_types(cursor, ref) -> None:
    """70 % of the customers carry a type, a fifth of those a second one."""
    through = Account.types.through
    types = array(ref.customer_types, "bigint")
    n = len(ref.customer_types)
    first = f"1 + {below('a.id', 'type', n)}"
    second = f"1 + mod({below('a.id', 'type', n)} + 1 + {below('a.id', 'type2', n - 1)}, {n})"
    source = f"""(SELECT a.id, ({types})[{first}] AS type_id FROM customers_account a
        WHERE {chance("a.id", "typed", 70)}
        UNION ALL
        SELECT a.id, ({types})[{second}] FROM customers_account a
        WHERE {chance("a.id", "typed", 70)} AND {chance("a.id", "twotypes", 20)}) t"""
    cursor.execute(
        insert_select(through, {"account_id": "t.id", "customertype_id": "t.type_id"}, source)
    )


def load_account_shares(cursor, ref, *, time: Timeline) -> None:
    """2 % of the customers are shared with another rep, 0.5 % with a sales team."""
    reps = [rep for branch in ref.branches for rep in branch.reps]
    user = pick(reps, "a.id", "shareuser", "bigint")
    source = f"""(SELECT a.id, a.owner_id, a.created_at,
            CASE WHEN {chance("a.id", "teamshare", 20)} THEN NULL ELSE {user} END AS user_id,
            CASE WHEN {chance("a.id", "teamshare", 20)}
                THEN {pick(ref.sales_teams, "a.id", "shareteam", "bigint")} END AS team_id
        FROM customers_account a WHERE {chance("a.id", "shared", 2.5)} OFFSET 0) s
        WHERE s.user_id IS DISTINCT FROM s.owner_id"""
    values = {
        "account_id": "s.id",
        "user_id": "s.user_id",
        "team_id": "s.team_id",
        "created_by_id": "s.owner_id",
        "created_at": f"s.created_at + ({time.now} - s.created_at) * {unit('s.id', 'sharedat')}",
    }
    cursor.execute(insert_select(AccountShare, values, source))
