"""Every list's default page is read from an index in the list's order (DESIGN §4): the page
is the first rows of that index, not a sort of every visible row.

The check asks PostgreSQL's planner with sequential scans and sorts priced out
(``enable_seqscan``/``enable_sort`` off): if an index provides the order, the plan walks it
and has no Sort node; if none does, the planner has to sort anyway and the test fails. The
tables may be empty: the question is which plans exist, not which is cheapest today.
"""

import json

import pytest
from django.db import connection, transaction

from knowledgebase.selectors import article_list
from leads.selectors import lead_list
from opportunities.selectors import opportunity_list
from quotes.selectors import quote_list
from sfa.customers.selectors import account_list, contact_list
from tickets.selectors import ticket_list

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans are PostgreSQL's"
)

LISTS = [
    # (selector, filters, indexes that give the order)
    (account_list, {}, {"customers_account_list"}),
    # the staff list (active customers): the status index, or the order's with a filter
    (account_list, {"status": "active"}, {"customers_account_status_list",
                                          "customers_account_list"}),
    (contact_list, {}, {"customers_contact_list"}),
    (lead_list, {}, {"leads_lead_list"}),
    (opportunity_list, {}, {"opportunities_list"}),
    (quote_list, {}, {"quotes_quote_list"}),
    # or the creation time's own index, its equal times then put in order by id
    (ticket_list, {}, {"tickets_ticket_list", "tickets_ticket_created_at_95bb8d8e"}),
    (article_list, {}, {"kb_article_list"}),
]  # fmt: skip


def plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


def page_plan(queryset) -> list[dict]:
    sql, params = queryset[:25].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (document,) = cursor.fetchone()
    plan = json.loads(document) if isinstance(document, str) else document
    return list(plan_nodes(plan[0]["Plan"]))


def describe(nodes: list[dict]) -> str:
    return ", ".join(f"{n['Node Type']} {n.get('Index Name', '')}".strip() for n in nodes)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["administrator", "rep1"])
@pytest.mark.parametrize(
    ("selector", "filters", "indexes"),
    LISTS,
    ids=[f"{s.__name__}-{'-'.join(f)}" for s, f, _i in LISTS],
)
def test_the_default_page_walks_the_lists_index(request, actor, selector, filters, indexes):
    user = request.getfixturevalue(actor)
    nodes = page_plan(selector(user=user, filters=filters))
    assert indexes & {n.get("Index Name") for n in nodes}, describe(nodes)
    # An incremental sort only orders rows that the index gives with equal leading keys.
    assert not [n for n in nodes if n["Node Type"] == "Sort"], describe(nodes)
