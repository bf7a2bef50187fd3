import datetime

from celery import shared_task
from django.utils import timezone

from sfa.customers import services


@shared_task(acks_late=True)
def reminder_digest_task(day: str | None = None) -> int:
    """Each morning (Celery beat): one e-mail per user with the reminders due that day or earlier.

    Safe to run twice: a user gets one digest per day.
    """
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return services.reminder_digests_queue(day=on)
