import datetime

import pytest
from django.core import mail

from sfa.core.models import OutgoingEmail
from sfa.customers.tasks import reminder_digest_task
from tests.factories import ReminderFactory

DAY = datetime.date(2026, 11, 23)


@pytest.fixture
def due_reminders(account, rep1):
    return [
        ReminderFactory(
            account=account,
            assignee=rep1,
            subject="Overdue call",
            due_date=DAY - datetime.timedelta(days=3),
        ),
        ReminderFactory(account=account, assignee=rep1, subject="Today visit", due_date=DAY),
    ]


@pytest.mark.django_db
def test_digest_lists_the_due_and_overdue_reminders_only(
    due_reminders, account, rep1, django_capture_on_commit_callbacks
):
    ReminderFactory(
        account=account,
        assignee=rep1,
        subject="Next week",
        due_date=DAY + datetime.timedelta(days=7),
    )
    ReminderFactory(
        account=account, assignee=rep1, subject="Done already", due_date=DAY, is_done=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_digest_task.apply(kwargs={"day": DAY.isoformat()}).get() == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [rep1.email]
    assert "Overdue call" in body
    assert "Today visit" in body
    assert "Next week" not in body
    assert "Done already" not in body
    assert "2 reminders due" in mail.outbox[0].subject


@pytest.mark.django_db
def test_digest_is_sent_once_per_user_and_day(due_reminders, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminder_digest_task.apply(kwargs={"day": DAY.isoformat()})
        assert reminder_digest_task.apply(kwargs={"day": DAY.isoformat()}).get() == 0
    assert OutgoingEmail.objects.filter(kind="customers.reminder_digest").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_users_without_an_email_address_get_no_digest(due_reminders, rep1):
    rep1.email = ""
    rep1.save()
    assert reminder_digest_task.apply(kwargs={"day": DAY.isoformat()}).get() == 0
