import datetime

from celery import shared_task
from django.utils import timezone

from quotes import services


@shared_task(acks_late=True)
def expire_quotes_task(day: str | None = None) -> int:
    """Each night (Celery beat): open quotes past their validity become expired.

    Safe to run twice or late: each quote is locked and checked again before it expires.
    """
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return services.expire_due_quotes(today=on)
