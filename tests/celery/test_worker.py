"""Real Celery on Redis: the beat job's task queues mail, a worker sends it after commit."""

import datetime
import time

import pytest
from django.core import mail

from sfa.core.models import OutgoingEmail
from sfa.customers.tasks import reminder_digest_task
from tests.factories import ReminderFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_worker_runs_the_reminder_digest_and_sends_it(
    celery_worker_on_redis, account, rep1, settings
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    today = datetime.date(2026, 11, 23)
    ReminderFactory(account=account, assignee=rep1, subject="Call about the offer", due_date=today)

    result = reminder_digest_task.delay(today.isoformat())

    # Poll the stored state rather than .get(): its pub/sub wait is flaky after eager tests
    # have run in the same process.
    assert wait_for(result.ready), result.state
    assert result.result == 1
    sent = wait_for(lambda: OutgoingEmail.objects.filter(status="sent").exists())
    assert sent, list(OutgoingEmail.objects.values("status", "last_error"))
    assert "Call about the offer" in mail.outbox[0].body
