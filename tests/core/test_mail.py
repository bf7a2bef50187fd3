import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail

from sfa.core.mail import email_queue, email_resend
from sfa.core.models import OutgoingEmail
from sfa.core.tasks import outgoing_email_send_task

ANYMAIL_TEST = "anymail.backends.test.EmailBackend"


def queue_digest_like(user):
    return email_queue(
        kind="tests.hello",
        to=["someone@customer.example"],
        template="customers/emails/reminder_digest",
        context={"user": user, "day": None, "reminders": [], "base_url": "https://x"},
        related=user,
        metadata={"day": "2026-11-23"},
    )


@pytest.mark.django_db
def test_queued_email_is_sent_after_commit_with_the_esp_message_id(
    rep1, anymail_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_digest_like(rep1)
        assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.esp_message_id != ""
    assert mail.outbox[0].to == ["someone@customer.example"]
    metadata = mail.outbox[0].anymail_test_params["metadata"]
    assert metadata == {"day": "2026-11-23", "sfa_outbox_id": str(email.pk)}


@pytest.mark.django_db
def test_email_is_not_sent_when_the_transaction_rolls_back(rep1, anymail_backend):
    queue_digest_like(rep1)  # the test transaction never commits: no on_commit callback runs
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED


@pytest.mark.django_db
def test_sending_an_already_sent_email_again_does_nothing(rep1, anymail_backend):
    email = queue_digest_like(rep1)
    assert outgoing_email_send_task.apply(args=[email.pk]).get() == "sent"
    assert outgoing_email_send_task.apply(args=[email.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_backend_inline_fails_visibly_without_raising(rep1, settings, monkeypatch):
    settings.EMAIL_BACKEND = ANYMAIL_TEST

    def fail(self, *args, **kwargs):
        raise AnymailAPIError("ESP is down")

    monkeypatch.setattr("anymail.backends.test.EmailBackend.send_messages", fail)
    email = queue_digest_like(rep1)
    result = outgoing_email_send_task.apply(args=[email.pk])
    email.refresh_from_db()
    assert result.get() == "failed"
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 1
    assert "ESP is down" in email.last_error


@pytest.mark.django_db
def test_resend_queues_a_failed_email_again(
    rep1, anymail_backend, django_capture_on_commit_callbacks
):
    email = queue_digest_like(rep1)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        email_resend(email=email)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
