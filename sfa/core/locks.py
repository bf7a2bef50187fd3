"""Transaction-scoped locks on things that have no row yet (an e-mail address, a name)."""

import hashlib

from django.db import connection


def lock_key(namespace: str, value: str) -> None:
    """Serialise transactions working on ``value`` in ``namespace`` until they commit.

    PostgreSQL: ``pg_advisory_xact_lock`` on a 64-bit hash. SQLite serialises writers anyway.
    Call inside ``transaction.atomic()``.
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"{namespace}:{value}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
