"""Helpers of the customer's-answer tests (signed link and portal)."""

import datetime

from django.utils import timezone

from quotes.acceptance import acceptance_token
from quotes.models import Quote
from sfa.core.models import OutgoingEmail, TransitionLog


def link(quote) -> str:
    return f"/q/{acceptance_token(quote)}/"


def snapshot(quote) -> tuple:
    """What a refused answer must leave as it was: the record, its log, the outbox."""
    quote.refresh_from_db()
    return (
        quote.state,
        quote.answered_by_name,
        quote.answered_at,
        TransitionLog.objects.count(),
        OutgoingEmail.objects.count(),
    )


def make_past_due(quote) -> None:
    today = timezone.localdate()
    Quote.objects.filter(pk=quote.pk).update(
        issue_date=today - datetime.timedelta(days=40),
        valid_until=today - datetime.timedelta(days=1),
    )
