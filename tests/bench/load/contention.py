"""How much CPU other processes took while an endpoint was measured (Linux ``/proc``).

On a shared two-core machine a test suite running next to the benchmark halves its figures;
each row records the CPUs that processes outside the benchmark (the harness, wrk, gunicorn,
Redis and the benchmark's PostgreSQL) used meanwhile, so such a row can be told apart.
"""

import os
import time
from pathlib import Path

PROC = Path("/proc")


def _ticks_per_second() -> int:
    try:
        return os.sysconf("SC_CLK_TCK")
    except (ValueError, OSError, AttributeError):
        return 100


def _snapshot() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, CPU ticks used so far)."""
    found = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def _descendants(roots: set[int], snapshot: dict[int, tuple[int, int]]) -> set[int]:
    found, grew = set(roots), True
    while grew:
        children = {pid for pid, (parent, _) in snapshot.items() if parent in found}
        grew = not children <= found
        found |= children
    return found


class Contention:
    """``start()`` … ``stop()`` → CPUs (1.0 = one core busy) used by other processes."""

    def __init__(self, postmaster_pid_file: Path):
        self.postmaster_pid_file = postmaster_pid_file
        self.available = PROC.is_dir()
        self.before: dict[int, tuple[int, int]] = {}
        self.started = 0.0

    def _roots(self) -> set[int]:
        roots = {os.getpid()}
        try:
            roots.add(int(self.postmaster_pid_file.read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            pass
        return roots

    def start(self) -> None:
        if self.available:
            self.before, self.started = _snapshot(), time.monotonic()

    def stop(self) -> float | None:
        if not self.available or not self.before:
            return None
        after, seconds = _snapshot(), time.monotonic() - self.started
        ours = _descendants(self._roots(), after) | _descendants(self._roots(), self.before)
        ticks = 0
        for pid, (_parent, used) in after.items():
            if pid not in ours:
                ticks += used - self.before.get(pid, (0, 0))[1]
        return round(max(ticks, 0) / _ticks_per_second() / max(seconds, 0.001), 2)
