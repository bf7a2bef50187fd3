"""Taking turns: the one round-robin that lead assignment rules and ticket routing share."""

from django.db.models import QuerySet


def next_in_turn(candidates: QuerySet, *, last_id: int | None):
    """The candidate after the one served last, in a stable order (by id), wrapping round to
    the first; None when there is nobody. The caller holds a lock on the row that remembers
    ``last_id`` and saves the answer there, so parallel callers take turns."""
    ordered = candidates.order_by("pk")
    if last_id:
        following = ordered.filter(pk__gt=last_id).first()
        if following is not None:
            return following
    return ordered.first()
