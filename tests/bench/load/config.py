"""What a run is asked to do, read once from the environment and the command line."""

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = ROOT / ".venv" / "bin"
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_SCALE = 0.02
DEFAULT_DURATION = 10
# The import goal is 100,000 rows at 2,000 rows/s; the bulk import runs them in about a minute
# (preview and commit), so the bench imports that many.
DEFAULT_IMPORT_ROWS = 100_000


@dataclass(frozen=True)
class BenchConfig:
    scale: float
    duration: int
    data_dir: Path | None  # keep the cluster here and reuse a loaded database
    inprocess: bool  # also run the pytest benchmarks of tests/bench
    allow_errors: bool  # an endpoint answering errors does not fail the run
    import_rows: int
    mode: str  # "run", "serve" or "load"
    only: str | None  # a regular expression: measure only the endpoints it finds

    @property
    def keeps_data(self) -> bool:
        return self.data_dir is not None


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def parse_args(argv: list[str] | None = None) -> BenchConfig:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.load",
        description="Load benchmark: PostgreSQL + synthetic data + gunicorn + wrk.",
        epilog="Environment: BENCH_SCALE, BENCH_DURATION, BENCH_DATA_DIR, BENCH_INPROCESS, "
        "BENCH_ALLOW_ERRORS, SFA_BENCH_IMPORT_ROWS (see bench/README.md).",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--serve-only",
        action="store_true",
        help="load if needed, start gunicorn, print the URLs and wait for Ctrl-C",
    )
    mode.add_argument(
        "--load-only",
        action="store_true",
        help="load if needed, print DATABASE_URL and keep PostgreSQL running until Ctrl-C",
    )
    parser.add_argument("--only", help="measure only the endpoints whose name matches REGEX")
    args = parser.parse_args(argv)
    data_dir = os.environ.get("BENCH_DATA_DIR", "").strip()
    return BenchConfig(
        scale=float(os.environ.get("BENCH_SCALE") or DEFAULT_SCALE),
        duration=int(os.environ.get("BENCH_DURATION") or DEFAULT_DURATION),
        data_dir=Path(data_dir).resolve() if data_dir else None,
        inprocess=_flag("BENCH_INPROCESS", True),
        allow_errors=_flag("BENCH_ALLOW_ERRORS", False),
        import_rows=int(os.environ.get("SFA_BENCH_IMPORT_ROWS") or DEFAULT_IMPORT_ROWS),
        mode="serve" if args.serve_only else "load" if args.load_only else "run",
        only=args.only,
    )
