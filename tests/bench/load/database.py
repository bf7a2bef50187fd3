"""The benchmark database: created fresh, or reused when ``BENCH_DATA_DIR`` holds one loaded at
the same scale by the same loader version (a developer iterating on indexes and queries).

What was loaded is recorded in the table ``bench_load_info`` of the database itself, written
last: a load that died half-way leaves no record, and the next run starts over.
"""

import json

import psycopg

from tests.bench.load.processes import PostgresCluster

DB_NAME = "sfa_bench"
# Bump when the data changes shape: a kept database of an older loader is loaded again.
LOADER_VERSION = 1
INFO_TABLE = "bench_load_info"


def _connect(cluster: PostgresCluster, database: str) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname=database, autocommit=True
    )


def _exists(cluster: PostgresCluster) -> bool:
    with _connect(cluster, "postgres") as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
    return row is not None


def load_info(cluster: PostgresCluster) -> dict | None:
    """What the database holds (scale, row counts, load times), or None if not loaded."""
    if not _exists(cluster):
        return None
    with _connect(cluster, DB_NAME) as conn:
        present = conn.execute("SELECT to_regclass(%s)", [INFO_TABLE]).fetchone()[0]
        if present is None:
            return None
        row = conn.execute(f"SELECT value FROM {INFO_TABLE} WHERE key = 'load'").fetchone()
    return row[0] if row else None


def reusable_load(cluster: PostgresCluster, scale: float) -> dict | None:
    info = load_info(cluster)
    if info and info.get("scale") == scale and info.get("loader_version") == LOADER_VERSION:
        return info
    return None


def recreate(cluster: PostgresCluster) -> None:
    with _connect(cluster, "postgres") as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def save_info(cursor, info: dict) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {INFO_TABLE} (key text PRIMARY KEY, value jsonb)")
    cursor.execute(
        f"INSERT INTO {INFO_TABLE} VALUES ('load', %s::jsonb) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [json.dumps({**info, "loader_version": LOADER_VERSION})],
    )


def server_version(cluster: PostgresCluster) -> str:
    with _connect(cluster, "postgres") as conn:
        return conn.execute("SHOW server_version").fetchone()[0]
