import threading

import pytest
from django.db import connection, transaction

from sfa.core.models import NumberCounter
from sfa.core.numbering import next_number, register_prefix

register_prefix("testdoc", "TD")


@pytest.mark.django_db
def test_numbers_count_up_per_kind_and_year():
    with transaction.atomic():
        numbers = [next_number(kind="testdoc", year=2026) for _ in range(3)]
        other_year = next_number(kind="testdoc", year=2027)
    assert numbers == ["TD-2026-00001", "TD-2026-00002", "TD-2026-00003"]
    assert other_year == "TD-2027-00001"


@pytest.mark.django_db
def test_rolled_back_transaction_returns_its_number():
    def issue_then_fail():
        with transaction.atomic():
            next_number(kind="testdoc", year=2026)
            raise RuntimeError("issuing failed")

    with pytest.raises(RuntimeError):
        issue_then_fail()
    with transaction.atomic():
        assert next_number(kind="testdoc", year=2026) == "TD-2026-00001"


@pytest.mark.django_db(transaction=True)
def test_next_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        next_number(kind="testdoc", year=2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_distinct_gapless_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    results: list[str] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(6)

    def issue():
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                with transaction.atomic():
                    results.append(next_number(kind="testdoc", year=2026))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(results) == [f"TD-2026-{n:05d}" for n in range(1, 31)]
    assert NumberCounter.objects.get(kind="testdoc", year=2026).last == 30
