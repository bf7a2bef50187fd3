"""The forecast's and the board's aggregates are served by the opportunity indexes made for
them (migration 0005): PostgreSQL's planner is asked with sequential scans priced out, as in
``tests/test_list_indexes.py``; the tables may be empty."""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from opportunities import board_views, reports
from opportunities.quotas import quota_visible_to
from opportunities.selectors import opportunity_visible_to

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans are PostgreSQL's"
)


def index_names(sql: str) -> set[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (document,) = cursor.fetchone()
    plan = json.loads(document) if isinstance(document, str) else document
    names, nodes = set(), [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        names.add(node.get("Index Name"))
        nodes.extend(node.get("Plans", ()))
    return names - {None}


def the_query(queries, marker: str) -> str:
    (sql,) = [q["sql"] for q in queries if marker in q["sql"]]
    return sql


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["sales_manager", "rep1"])
def test_the_forecast_reads_deals_closed_in_the_period_from_the_closed_index(request, viewer):
    user = request.getfixturevalue(viewer)
    with CaptureQueriesContext(connection) as queries:
        reports.forecast(
            opportunity_visible_to(user),
            quotas=quota_visible_to(user),
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 3, 31),
        )
    sql = the_query(queries, 'AS "due_weighted"')
    assert "opportunities_closed" in index_names(sql)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["sales_manager", "rep1"])
def test_the_board_reads_the_last_months_wins_from_the_stage_change_index(request, viewer):
    board_request = RequestFactory().get("/opportunities/board/")
    board_request.user = request.getfixturevalue(viewer)
    with CaptureQueriesContext(connection) as queries:
        board_views.board_context(board_request)
    assert "opportunities_moved" in index_names(the_query(queries, "ROW_NUMBER() OVER"))
