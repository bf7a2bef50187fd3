"""Benchmarks run only under ``make bench`` (SFA_BENCH=1): they print numbers, they do not
judge them. Tests guard correctness and query counts; these show how fast."""

import os
import statistics
import time

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("SFA_BENCH") == "1":
        return
    skip = pytest.mark.skip(reason="benchmarks run with `make bench`")
    for item in items:
        if "tests/bench/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture
def timed():
    """``timed(label, fn, repeat)`` → prints and returns the median seconds of ``fn()``."""

    def run(label: str, fn, repeat: int = 15) -> float:
        fn()  # warm up
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        median = statistics.median(samples)
        p90 = sorted(samples)[int(len(samples) * 0.9) - 1]
        print(f"\nBENCH {label:<55} median {median * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms")
        return median

    return run
