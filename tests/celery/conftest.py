import gc
import shutil
import socket
import subprocess
import time

import pytest

from tests.conftest import skip_or_fail


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private redis-server on loopback for this test session (per xdist worker)."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def celery_worker_on_redis(redis_url):
    """A real Celery worker (thread, solo pool) consuming from the private Redis."""
    from celery.contrib.testing.worker import start_worker

    from sfa.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(
        broker_url=f"{redis_url}/0", result_backend=f"{redis_url}/1", task_always_eager=False
    )
    try:
        _forget_connections(app)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)
        _forget_connections(app)
        gc.collect()  # anything left unclosed warns here, in this test, not in a later one


def _forget_connections(app) -> None:
    """Disconnect and drop the broker pool and the result backend, both cached with the URLs they
    were built from (earlier eager tests in this process built them for ``memory://``).
    Closing matters: a dropped pool's sockets would be closed by the garbage collector at
    some later moment, and its ResourceWarning fails whichever test runs then."""
    # Redis clients of the result backends (one per thread: the worker thread's too, out of
    # reach through the app) and of kombu's transport (its pools are shared in kombu.pools, so
    # they are not closed, only their sockets): disconnect every Redis pool; Redis reconnects
    # on the next use.
    import redis

    for obj in gc.get_objects():
        try:
            if isinstance(obj, redis.ConnectionPool):
                obj.disconnect()
        except ReferenceError:  # a weak proxy whose object is gone
            continue
    app._pool = None  # kombu keeps pools per URL; the next use picks the current one
    app.amqp._producer_pool = None  # eager apply_async acquires a producer too
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend
    for task in app.tasks.values():
        task.backend = None
