"""The load benchmark behind ``make bench`` (issue 17): ``python -m tests.bench.load``.

It starts a throwaway PostgreSQL 15 and Redis, migrates, bulk-loads synthetic data at
``BENCH_SCALE`` (1.0 = a million customers), serves the app with gunicorn, measures every
endpoint with wrk, counts the queries of each in-process, runs the in-process benchmarks of
``tests/bench`` and writes ``bench/results/<date>.json`` and ``.md``. See ``bench/README.md``.

Nothing here runs on import, and no module is named ``test_*``: pytest never collects it.
"""
