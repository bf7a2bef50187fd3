"""Queries per request, counted in-process: Django's test client on the benchmark database,
DEBUG off, one warm-up request first (caches of content types, permissions, sessions)."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.bench.load.endpoints import Credentials, Endpoint

HOST = "127.0.0.1"


@dataclass(frozen=True)
class QueryCount:
    status: int
    queries: int
    sql_ms: float  # the queries' time in all
    request_ms: float  # the whole request in-process (no HTTP, no queue)
    slowest_ms: float
    slowest_sql: str


def _client(endpoint: Endpoint, creds: Credentials) -> tuple[Client, dict[str, str]]:
    # a view that raises answers 500 here too (reported), instead of ending the run
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    headers = dict(endpoint.headers)
    if endpoint.api:
        headers["Authorization"] = f"Token {creds.token}"
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = creds.session
    return client, headers


def count(endpoint: Endpoint, creds: Credentials) -> QueryCount:
    client, headers = _client(endpoint, creds)
    client.get(endpoint.path, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(endpoint.path, headers=headers)
        request_ms = (time.perf_counter() - start) * 1000
    times = [float(q["time"]) * 1000 for q in captured.captured_queries]
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    return QueryCount(
        status=response.status_code,
        queries=len(captured.captured_queries),
        sql_ms=round(sum(times), 1),
        request_ms=round(request_ms, 1),
        slowest_ms=round(float(slowest["time"]) * 1000, 1) if slowest else 0.0,
        slowest_sql=slowest["sql"] if slowest else "",
    )
