"""The in-process benchmarks of ``tests/bench`` (pytest, their own throwaway PostgreSQL),
run as ``make bench`` used to, their ``BENCH …`` lines parsed into figures.

Two line shapes (``tests/bench/conftest.py`` and ``test_import.py``)::

    BENCH <label>  median   25.2 ms   p90   26.8 ms
    BENCH <label>     59.51 s       168 rows/s
"""

import re
import shlex
import subprocess
import sys

from tests.bench.load.config import ROOT, VENV_BIN

TIMED = re.compile(
    r"^BENCH (?P<label>.+?)\s+median\s+(?P<median>[\d.]+) ms\s+p90\s+(?P<p90>[\d.]+) ms"
)
RATE = re.compile(r"^BENCH (?P<label>.+?)\s+(?P<seconds>[\d.]+) s\s+(?P<rate>[\d,]+) rows/s")


def parse(line: str) -> dict | None:
    if match := TIMED.match(line):
        return {"label": match["label"].strip(), "median_ms": float(match["median"]),
                "p90_ms": float(match["p90"])}  # fmt: skip
    if match := RATE.match(line):
        return {"label": match["label"].strip(), "seconds": float(match["seconds"]),
                "rows_per_s": int(match["rate"].replace(",", ""))}  # fmt: skip
    return None


def run(environment: dict[str, str], import_rows: int) -> dict:
    """Run them (output shown as it comes) and return the figures and pytest's exit code."""
    env = {**environment, "SFA_BENCH": "1", "SFA_BENCH_IMPORT_ROWS": str(import_rows)}
    extra = shlex.split(environment.get("PYTEST_ARGS", ""))  # make bench PYTEST_ARGS=-k…
    command = [str(VENV_BIN / "pytest"), "tests/bench", "-q", "-s", "-p", "no:xdist",
               "--ignore=tests/bench/load", *extra]  # fmt: skip
    print(f"bench: {' '.join(command[1:])} (SFA_BENCH_IMPORT_ROWS={import_rows})", flush=True)
    figures = []
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        for line in process.stdout:
            sys.stdout.write(line)
            if "BENCH " in line and (figure := parse(line[line.index("BENCH ") :].strip())):
                figures.append(figure)
    return {"exit_code": process.returncode, "figures": figures, "import_rows": import_rows}
