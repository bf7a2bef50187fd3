"""The servers a run starts: PostgreSQL 15, Redis and gunicorn, each stopped on the way out.

Every child gets a session of its own, so a Ctrl-C reaches only the harness, which then stops
them in order (gunicorn, Redis, PostgreSQL) instead of each dying half-way on its own.
"""

import contextlib
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.bench.load.config import ROOT, VENV_BIN

PG_CTL = ROOT / ".ci" / "pg_ctl_as_postgres"
# A throwaway server tuned for bulk loading and reading: no durability (fsync off, minimal
# WAL), memory sized for scale 1.0 on a small machine. Recorded with the results.
PG_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "shared_buffers": "1GB",
    "effective_cache_size": "4GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "max_connections": "60",
}


class ServiceError(RuntimeError):
    """A server did not start or answer; the message says which and shows its log."""


def free_port() -> int:
    """A free TCP port on the loopback (free now: the tiny race is acceptable here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop_child(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if the child has not gone after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# PostgreSQL ------------------------------------------------------------------------------------


class PostgresCluster:
    """A cluster in ``directory``/pgdata, run through ``.ci/pg_ctl_as_postgres`` (PostgreSQL
    refuses to run as root; the wrapper drops to the ``postgres`` user)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "pgdata"
        self.log = directory / "postgresql.log"
        self.sockets = directory / "sockets"
        self.port = 0

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(PG_CTL), *args],
            capture_output=True,
            text=True,
            check=check,
            start_new_session=True,
        )

    def initialise(self) -> bool:
        """Create the cluster unless it exists; True when it was created."""
        if (self.data / "PG_VERSION").exists():
            return False
        self.directory.mkdir(parents=True, exist_ok=True)
        options = "--username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync"
        result = self._pg_ctl("initdb", "-s", "-D", str(self.data), "-o", options, check=False)
        if result.returncode:
            raise ServiceError(f"initdb failed:\n{result.stdout}{result.stderr}")
        return True

    def start(self) -> None:
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self._pg_ctl("status", "-D", str(self.data), check=False).returncode == 0:
            self.stop()  # left running by a run that was killed
        self.port = free_port()
        settings = " ".join(f"-c {name}={value}" for name, value in PG_SETTINGS.items())
        options = f"-p {self.port} -h 127.0.0.1 -k {self.sockets} {settings}"
        result = self._pg_ctl(
            "start", "-w", "-t", "120", "-D", str(self.data), "-l", str(self.log), "-o", options,
            check=False,
        )  # fmt: skip
        if result.returncode:
            raise ServiceError(f"PostgreSQL did not start:\n{log_tail(self.log)}")

    def stop(self) -> None:
        self._pg_ctl("stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "120", check=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@contextlib.contextmanager
def postgres(directory: Path) -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(directory)
    cluster.initialise()
    try:
        cluster.start()  # inside: a Ctrl-C while it starts still stops it
        yield cluster
    finally:
        cluster.stop()


# Redis -----------------------------------------------------------------------------------------


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis(directory: Path) -> Iterator[str]:
    """A Redis without persistence; yields its ``redis://`` URL (no database number)."""
    port = free_port()
    log = directory / "redis.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(directory)],
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        for _ in range(100):
            if _redis_answers(port):
                break
            if process.poll() is not None:
                raise ServiceError(f"Redis exited:\n{log_tail(log)}")
            time.sleep(0.1)
        else:
            raise ServiceError(f"Redis does not answer:\n{log_tail(log)}")
        yield f"redis://127.0.0.1:{port}"
    finally:
        _stop_child(process)


# gunicorn --------------------------------------------------------------------------------------


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def gunicorn(directory: Path, env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """``sfa.wsgi:application`` on a free loopback port, sync workers, no access log; yields
    the base URL once ``/health/`` (which asks the database) answers 200."""
    port = free_port()
    log = directory / "gunicorn.log"
    command = [
        str(VENV_BIN / "gunicorn"), "sfa.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning",
        "--chdir", str(ROOT),
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(process, f"{base}/health/", log)
        yield base
    finally:
        _stop_child(process, timeout=30)


def _wait_until_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"gunicorn exited ({process.returncode}):\n{log_tail(log)}")
        if _answers(url):
            return
        time.sleep(0.25)
    raise ServiceError(f"gunicorn does not answer {url}:\n{log_tail(log)}")


def wait_for_interrupt(message: str) -> None:
    """Print ``message`` and sleep until Ctrl-C (or SIGTERM)."""
    print(message, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            time.sleep(3600)


def interrupt_on_signals() -> None:
    """Ctrl-C and SIGTERM unwind the same way, so every server is stopped on the way out
    (SIGINT too: a shell starting us in the background would have it ignored)."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
