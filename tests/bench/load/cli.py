"""The command: start the servers, load, then measure, serve or just keep the data up.

Django is set up only once PostgreSQL and Redis run (their ports go into the settings), so the
modules that import models are imported inside the functions below.
"""

import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.load import database, processes
from tests.bench.load.config import BenchConfig, parse_args
from tests.bench.load.environment import django_environment, setup_django


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    original_environment = dict(os.environ)
    processes.interrupt_on_signals()
    try:
        with contextlib.ExitStack() as stack:
            work_dir = _work_dir(config, stack)
            return _run(config, work_dir, stack, original_environment)
    except KeyboardInterrupt:
        print("\nbench: interrupted; servers stopped.", file=sys.stderr)
        return 130
    except processes.ServiceError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2


def _work_dir(config: BenchConfig, stack: contextlib.ExitStack) -> Path:
    if config.keeps_data:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        return config.data_dir
    return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sfa-bench-")))


def _run(config: BenchConfig, work_dir: Path, stack, original_environment: dict) -> int:
    started = time.perf_counter()
    cluster = stack.enter_context(processes.postgres(work_dir))
    redis_url = stack.enter_context(processes.redis(work_dir))
    print(f"bench: PostgreSQL on port {cluster.port}, Redis at {redis_url}, data in {work_dir}")
    reused = database.reusable_load(cluster, config.scale)
    if reused is None:
        database.recreate(cluster)
    environment = django_environment(
        database_url=cluster.url(database.DB_NAME), redis_url=redis_url, work_dir=work_dir
    )
    setup_django(environment)
    from tests.bench.load import session

    load_info = session.prepare_data(config, reused)
    if config.mode == "load":
        processes.wait_for_interrupt(session.load_only_message(environment))
        return 0
    session.collect_static()
    server = stack.enter_context(processes.gunicorn(work_dir, environment))
    if config.mode == "serve":
        processes.wait_for_interrupt(session.serve_only_message(environment, server))
        return 0
    run = session.Measurement(config, server, cluster, load_info)
    run.measure()
    if any(row.errors for row in run.rows):
        print(f"bench: gunicorn's log ends with:\n{processes.log_tail(work_dir / 'gunicorn.log')}")
    stack.close()  # gunicorn, Redis and PostgreSQL down before the in-process benchmarks
    return run.finish(original_environment, started)
