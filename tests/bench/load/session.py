"""The steps of a run once Django is set up: data, static files, measuring, results."""

import datetime
import hashlib
import os
import re
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from tests.bench.load import database, endpoints, inprocess, loader, queries, report, wrk
from tests.bench.load.config import DEFAULT_SCALE, RESULTS_DIR, BenchConfig
from tests.bench.load.contention import Contention
from tests.bench.load.processes import PG_SETTINGS, PostgresCluster

SINGLE_SECONDS = 3  # of wrk -t1 -c1 for customer searches


def prepare_data(config: BenchConfig, reused: dict | None) -> dict:
    """Migrate (new migrations apply to kept data too), then load unless the kept database
    already holds this scale; returns what was loaded and how long it took."""
    seconds = loader.migrate()
    print(f"bench: migrate {seconds:.1f} s")
    if reused is not None:
        print(f"bench: reusing the data loaded {reused['loaded_at']} at scale {config.scale}")
        return {**reused["load"], "reused": True, "rows": loader.row_counts()}
    print(f"bench: loading scale {config.scale} ({loader.counts_for(config.scale)})")
    load = loader.Loader(config.scale).run()
    print(f"bench: loaded in {load.total:.1f} s")
    return {**load.as_dict(), "reused": False, "migrate_seconds": round(seconds, 1),
            "rows": loader.row_counts()}  # fmt: skip


def _static_fingerprint() -> str:
    """Every static source file's path, size and time: unchanged means nothing to collect."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> None:
    """whitenoise serves the manifest's files when DEBUG is off. Collecting (and compressing)
    takes half a minute: a kept data directory skips it while no static file changed."""
    root = Path(settings.STATIC_ROOT)
    marker = root / ".bench-fingerprint"
    fingerprint = _static_fingerprint()
    if marker.exists() and marker.read_text() == fingerprint:
        return
    start = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(fingerprint)
    print(f"bench: collectstatic {time.perf_counter() - start:.1f} s")


def _logins(environment: dict) -> str:
    admin = endpoints.credentials(endpoints.ADMIN)
    return (
        f"  DATABASE_URL={environment['DATABASE_URL']}\n"
        f"  e.g. psql {environment['DATABASE_URL']}  (EXPLAIN (ANALYZE, BUFFERS) …)\n"
        f"  admin API token: {admin.token}\n"
        "  staff logins (password sfa-demo): admin salesmanager rep1 … rep42 agent1 … agent12"
    )


def load_only_message(environment: dict) -> str:
    return (
        f"bench: data loaded, PostgreSQL keeps running.\n{_logins(environment)}\n"
        "bench: Ctrl-C stops it."
    )


def serve_only_message(environment: dict, server: str) -> str:
    admin = endpoints.credentials(endpoints.ADMIN)
    return (
        f"bench: serving {server}/ (gunicorn, 2 workers, DEBUG=0)\n{_logins(environment)}\n"
        f"  admin session cookie: sessionid={admin.session}\n"
        f"  e.g. wrk -t2 -c8 -d10s -H 'Authorization: Token {admin.token}' "
        f"{server}/api/v1/accounts/\n"
        "bench: Ctrl-C stops everything."
    )  # fmt: skip


def _busy(row: report.Row) -> str:
    if row.others_cpu and row.others_cpu >= report.BUSY_CPUS:
        return f"[others used {row.others_cpu:.1f} CPUs] "
    return ""


class Measurement:
    """Counts each endpoint's queries in-process, then loads it with wrk."""

    def __init__(self, config: BenchConfig, server: str, cluster: PostgresCluster, load: dict):
        self.config, self.server, self.load = config, server, load
        self.postgres_version = database.server_version(cluster)
        self.started_at = datetime.datetime.now().astimezone()
        self.rows: list[report.Row] = []
        self.contention = Contention(cluster.data / "postmaster.pid")

    def chosen_endpoints(self) -> list[endpoints.Endpoint]:
        found = endpoints.all_endpoints(endpoints.samples())
        if self.config.only:
            pattern = re.compile(self.config.only, re.IGNORECASE)
            found = [e for e in found if pattern.search(e.name) or pattern.search(e.path)]
        return found

    def measure(self) -> None:
        chosen = self.chosen_endpoints()
        creds = {user: endpoints.credentials(user) for user in {e.user for e in chosen}}
        print(f"bench: {len(chosen)} endpoints, wrk -t2 -c8 -d{self.config.duration}s each")
        for number, endpoint in enumerate(chosen, 1):
            row = self._measure_one(endpoint, creds[endpoint.user])
            self.rows.append(row)
            w = row.wrk
            figures = (
                f"{w['req_per_s']:7.1f} req/s  p50 {w['p50_ms']:6.1f}  "
                f"p95 {w['p95_ms']:6.1f}  p99 {w['p99_ms']:6.1f} ms"
                if w
                else ""
            )
            print(f"  [{number:2}/{len(chosen)}] {endpoint.name:<58} {figures}  "
                  f"q={row.queries}  {_busy(row)}{row.verdict()}", flush=True)  # fmt: skip

    def _measure_one(self, endpoint: endpoints.Endpoint, creds) -> report.Row:
        row = report.Row(endpoint.name, endpoint.path, endpoint.user, endpoint.kind)
        counted = queries.count(endpoint, creds)
        row.queries, row.slowest_query_ms = counted.queries, counted.slowest_ms
        row.sql_ms, row.request_ms = counted.sql_ms, counted.request_ms
        row.slowest_query_sql = counted.slowest_sql[:2000]
        if counted.status != 200:
            row.errors.append(f"in-process HTTP {counted.status}")
        headers = endpoints.auth_headers(endpoint, creds)
        probe = wrk.probe(self.server + endpoint.path, headers)
        row.status, row.size = probe.status, probe.size
        if probe.status != 200:
            row.errors.append(probe.error or f"HTTP {probe.status}")
            return row  # nothing to measure: wrk would time a login redirect or an error page
        try:
            self._load(row, endpoint, headers)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            row.errors.append(f"wrk failed: {error}")
            return row
        if row.wrk["non_2xx_3xx"]:
            row.errors.append(f"{row.wrk['non_2xx_3xx']} non-2xx/3xx answers under load")
        if row.wrk["socket_errors"]:
            row.errors.append(f"{row.wrk['socket_errors']} socket errors/timeouts under load")
        return row

    def _load(self, row: report.Row, endpoint: endpoints.Endpoint, headers: dict) -> None:
        url = self.server + endpoint.path
        self.contention.start()
        row.wrk = wrk.run(url, headers, self.config.duration)
        row.others_cpu = self.contention.stop()
        if endpoint.kind == endpoints.SEARCH:  # one request at a time: no queue in the figure
            row.single_p95_ms = wrk.run(url, headers, SINGLE_SECONDS, 1, 1)["p95_ms"]

    def finish(self, environment: dict, started: float) -> int:
        """In-process benchmarks, then the results files and the table; the exit code."""
        inprocess_results = (
            inprocess.run(environment, self.config.import_rows) if self.config.inprocess else {}
        )
        results = self.results(inprocess_results, time.perf_counter() - started)
        json_path, md_path = report.write(results, self.rows, RESULTS_DIR, self._file_stem())
        print()
        print("\n".join(report.endpoint_table(self.rows)))
        print(f"\nbench: wrote {json_path.relative_to(RESULTS_DIR.parents[1])} and "
              f"{md_path.relative_to(RESULTS_DIR.parents[1])}")  # fmt: skip
        return self._exit_code(results)

    def _file_stem(self) -> str:
        """``2026-12-07``; another scale or a partial run (``--only``) gets a suffix, so it
        never replaces the day's full run at the default scale."""
        stem = self.started_at.date().isoformat()
        if self.config.scale != DEFAULT_SCALE:
            stem += f"-scale{self.config.scale:g}"
        return stem + ("-partial" if self.config.only else "")

    def results(self, inprocess_results: dict, seconds: float) -> dict:
        failing = [row.name for row in self.rows if row.errors]
        if inprocess_results and inprocess_results["exit_code"] != 0:
            failing.append(f"in-process benchmarks (pytest exit {inprocess_results['exit_code']})")
        return {
            "date": self.started_at.date().isoformat(),
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "wall_seconds": round(seconds, 1),
            "scale": self.config.scale,
            "duration_s": self.config.duration,
            "wrk": {"threads": wrk.THREADS, "connections": wrk.CONNECTIONS},
            "gunicorn": {"workers": 2, "worker_class": "sync"},
            "machine": report.machine(self.postgres_version),
            "other_processes_cpu": report.contention_summary(self.rows),
            "postgresql_settings": PG_SETTINGS,
            "rows": self.load.get("rows", {}),
            "load": {k: v for k, v in self.load.items() if k != "rows"},
            "goals": report.GOALS,
            "endpoints": [row.as_dict() for row in self.rows],
            "inprocess": inprocess_results,
            "failing": failing,
        }

    def _exit_code(self, results: dict) -> int:
        if not results["failing"]:
            return 0
        print("\nbench: FAILING (errors, not slowness):", *results["failing"], sep="\n  - ")
        if self.config.allow_errors:
            print("bench: BENCH_ALLOW_ERRORS=1: exit code 0 anyway")
            return 0
        return 1
