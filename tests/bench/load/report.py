"""Results: each endpoint judged against the goals of issue 17, written as JSON and Markdown.

Goals: every list p99 ≤ 150 ms and ≥ 110 req/s (at scale 0.02), ≤ 6 queries per request;
customer search p95 ≤ 30 ms (meant at scale 1.0). An endpoint that answers anything but a
success is an error, shown as such and never averaged into the figures.
"""

import json
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.load.config import ROOT

LIST_P99_MS = 150
LIST_MIN_RPS = 110
MAX_QUERIES = 6
SEARCH_P95_MS = 30
BUSY_CPUS = 0.2  # other processes using more than this while measuring: figures are lowered
GOALS = {
    "list_p99_ms": LIST_P99_MS,
    "list_min_req_per_s": LIST_MIN_RPS,
    "list_max_queries": MAX_QUERIES,
    "customer_search_p95_ms": SEARCH_P95_MS,
    "note": "list goals at scale 0.02; the customer search goal at scale 1.0",
}


@dataclass
class Row:
    name: str
    path: str
    user: str
    kind: str
    status: int = 0  # of the checked request
    size: int = 0
    wrk: dict = field(default_factory=dict)
    queries: int | None = None
    single_p95_ms: float | None = None  # customer searches: p95 of one connection alone
    others_cpu: float | None = None  # CPUs other processes used during the wrk run
    sql_ms: float | None = None  # one request in-process: time in SQL …
    request_ms: float | None = None  # … and in all
    slowest_query_ms: float = 0.0
    slowest_query_sql: str = ""
    errors: list[str] = field(default_factory=list)

    def misses(self) -> list[str]:
        """The goals this row misses (lists and customer searches only)."""
        if self.kind not in ("list", "customer search") or not self.wrk:
            return []
        found = []
        if self.wrk["p99_ms"] > LIST_P99_MS:
            found.append(f"p99 {self.wrk['p99_ms']:.0f} > {LIST_P99_MS} ms")
        if self.wrk["req_per_s"] < LIST_MIN_RPS:
            found.append(f"{self.wrk['req_per_s']:.0f} < {LIST_MIN_RPS} req/s")
        if self.queries is not None and self.queries > MAX_QUERIES:
            found.append(f"{self.queries} > {MAX_QUERIES} queries")
        if self.kind == "customer search" and self.wrk["p95_ms"] > SEARCH_P95_MS:
            found.append(f"p95 {self.wrk['p95_ms']:.0f} > {SEARCH_P95_MS} ms")
        return found

    def verdict(self) -> str:
        if self.errors:
            return "ERROR: " + "; ".join(self.errors)
        if self.kind not in ("list", "customer search"):
            return "—"
        misses = self.misses()
        return "miss: " + ", ".join(misses) if misses else "ok"

    def as_dict(self) -> dict:
        return {
            "name": self.name, "path": self.path, "user": self.user, "kind": self.kind,
            "status": self.status, "bytes": self.size, **self.wrk,
            "single_connection_p95_ms": self.single_p95_ms, "queries": self.queries,
            "other_processes_cpu": self.others_cpu, "sql_ms": self.sql_ms,
            "request_ms": self.request_ms,
            "slowest_query_ms": self.slowest_query_ms, "slowest_query_sql": self.slowest_query_sql,
            "errors": self.errors, "goal": self.verdict(),
        }  # fmt: skip


# Machine and versions ----------------------------------------------------------------------------


def _command(*args: str) -> str:
    try:
        result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def machine(postgres_version: str) -> dict:
    import os

    import django
    import gunicorn

    commit = _command("git", "rev-parse", "--short", "HEAD")
    dirty = bool(_command("git", "status", "--porcelain"))
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres_version,
        "gunicorn": gunicorn.__version__,
        "wrk": _command("wrk", "-v"),
        "git_commit": commit + ("+changes" if dirty else ""),
    }


# Output ------------------------------------------------------------------------------------------


def _cell(value, digits: int = 1) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def endpoint_table(rows: list[Row]) -> list[str]:
    columns = ["endpoint", "user", "req/s", "p50 ms", "p95 ms", "p99 ms", "p95 ms c=1",
               "queries", "SQL / all ms", "errors", "other CPU", "goal"]  # fmt: skip
    lines = ["| " + " | ".join(columns) + " |", "|---|---|" + "---:|" * 9 + "---|"]
    for row in rows:
        w = row.wrk
        errors = (w.get("non_2xx_3xx", 0) + w.get("socket_errors", 0)) if w else None
        figures = [_cell(w.get(key)) for key in ("req_per_s", "p50_ms", "p95_ms", "p99_ms")]
        cells = [
            row.name, row.user, *figures, _cell(row.single_p95_ms), _cell(row.queries),
            f"{_cell(row.sql_ms, 0)} / {_cell(row.request_ms, 0)}",
            f"**{len(row.errors)}**" if row.errors else _cell(errors),
            _cell(row.others_cpu, 2) if (row.others_cpu or 0) >= BUSY_CPUS else "",
            row.verdict(),
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def load_table(load: dict) -> list[str]:
    lines = ["| step | rows | seconds |", "|---|---:|---:|"]
    for step in load.get("steps", []):
        rows = f"{step['rows']:,}" if step.get("rows") is not None else ""
        lines.append(f"| {step['label']} | {rows} | {step['seconds']:.1f} |")
    lines.append(f"| **total** | | **{load.get('total_seconds', 0):.1f}** |")
    return lines


def inprocess_table(inprocess: dict) -> list[str]:
    if not inprocess:
        return ["(not run: BENCH_INPROCESS=0)"]
    lines = [
        f"pytest exit code {inprocess['exit_code']}, "
        f"SFA_BENCH_IMPORT_ROWS={inprocess['import_rows']:,}",
        "",
        "| benchmark | median ms | p90 ms | seconds | rows/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for f in inprocess["figures"]:
        lines.append(
            f"| {f['label']} | {_cell(f.get('median_ms'))} | {_cell(f.get('p90_ms'))} "
            f"| {_cell(f.get('seconds'), 2)} | {_cell(f.get('rows_per_s'))} |"
        )
    return lines


def contention_summary(rows: list[Row]) -> dict:
    """CPUs other processes used while endpoints were measured (mean, max)."""
    used = [row.others_cpu for row in rows if row.others_cpu is not None]
    if not used:
        return {"mean": None, "max": None}
    return {"mean": round(sum(used) / len(used), 2), "max": max(used)}


def _contention_note(results: dict) -> list[str]:
    busy = results.get("other_processes_cpu") or {}
    if (busy.get("max") or 0) < BUSY_CPUS:
        return []
    return [
        f"**Other processes used {busy['mean']} CPUs on average (up to {busy['max']}) "
        "while measuring**: the figures of the rows with an “other CPU” value are lower than "
        "on an idle machine.",
        "",
    ]


def markdown(results: dict, rows: list[Row]) -> str:
    m = results["machine"]
    head = [
        f"# Load benchmark {results['date']}",
        "",
        f"Scale {results['scale']} · wrk -t2 -c8 -d{results['duration_s']}s · gunicorn 2 sync "
        f"workers · {m['cpu_count']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB · "
        f"PostgreSQL {m['postgresql']} · Python {m['python']} · Django {m['django']} · "
        f"commit {m['git_commit']}",
        "",
        "Goals: lists p99 ≤ 150 ms and ≥ 110 req/s (scale 0.02), ≤ 6 queries per request; "
        "customer search p95 ≤ 30 ms (scale 1.0).",
        "",
        "## Endpoints",
        "",
        *_contention_note(results),
    ]
    rows_table = ["| table | rows |", "|---|---:|"] + [
        f"| {label} | {count:,} |" for label, count in results["rows"].items()
    ]
    reused = results["load"].get("reused")
    load_title = "## Load" + (" (reused from an earlier run)" if reused else "")
    parts = [
        *head, *endpoint_table(rows), "", "## Rows", "", *rows_table, "", load_title, "",
        *load_table(results["load"]), "", "## In-process benchmarks", "",
        *inprocess_table(results.get("inprocess") or {}), "",
    ]  # fmt: skip
    return "\n".join(parts)


def write(results: dict, rows: list[Row], directory: Path, stem: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{stem}.json"
    md_path = directory / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(results, rows))
    return json_path, md_path
