"""Outbox attachments: stored with the e-mail, sent with it, sent again on a resend."""

import pytest
from django.core import mail

from sfa.core import mail as outbox
from sfa.core.exceptions import InvalidInput
from sfa.core.models import OutgoingEmail, OutgoingEmailAttachment
from sfa.core.tasks import outgoing_email_send_task

ANYMAIL_TEST = "anymail.backends.test.EmailBackend"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4  # binary, not valid UTF-8


def queue_with(user, attachments, **kwargs):
    return outbox.email_queue(
        kind="tests.attachment",
        to=["someone@customer.example"],
        template="customers/emails/reminder_digest",
        context={"user": user, "day": None, "reminders": [], "base_url": "https://x"},
        related=user,
        attachments=attachments,
        **kwargs,
    )


@pytest.mark.django_db
def test_queued_attachments_are_stored_with_the_email(rep1):
    email = queue_with(rep1, [("offer.pdf", PDF, "application/pdf")])
    stored = OutgoingEmailAttachment.objects.get(email=email)
    assert (stored.filename, stored.content_type, stored.size) == (
        "offer.pdf",
        "application/pdf",
        len(PDF),
    )
    assert bytes(stored.content) == PDF


@pytest.mark.django_db
def test_the_sent_message_carries_the_attachment_bytes(rep1, anymail_backend):
    email = queue_with(rep1, [("offer.pdf", PDF, "application/pdf")])
    assert outgoing_email_send_task.apply(args=[email.pk]).get() == "sent"
    [(filename, content, mimetype)] = mail.outbox[0].attachments
    assert (filename, content, mimetype) == ("offer.pdf", PDF, "application/pdf")


@pytest.mark.django_db
def test_a_resend_carries_the_same_attachments(
    rep1, anymail_backend, django_capture_on_commit_callbacks
):
    email = queue_with(rep1, [("a.pdf", PDF, "application/pdf"), ("b.txt", b"hi", "text/plain")])
    outgoing_email_send_task.apply(args=[email.pk])
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.email_resend(email=email)
    assert len(mail.outbox) == 2
    assert [a[0] for a in mail.outbox[1].attachments] == ["a.pdf", "b.txt"]
    assert mail.outbox[1].attachments[0][1] == PDF


@pytest.mark.django_db
def test_attachments_over_the_size_limit_are_refused_and_nothing_is_queued(rep1, monkeypatch):
    monkeypatch.setattr(outbox, "ATTACHMENTS_MAX_BYTES", 100)
    with pytest.raises(InvalidInput) as error:
        queue_with(rep1, [("big.pdf", b"x" * 101, "application/pdf")])
    assert "attachments" in error.value.fields
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_cc_recipients_are_stored_and_sent(rep1, anymail_backend):
    email = queue_with(rep1, [], cc=["boss@customer.example"])
    outgoing_email_send_task.apply(args=[email.pk])
    assert email.cc == ["boss@customer.example"]
    assert mail.outbox[0].cc == ["boss@customer.example"]


# Held e-mails: the attachment is made after the commit ----------------------------------------


@pytest.mark.django_db
def test_a_held_email_is_not_sent_on_commit(
    rep1, anymail_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_with(rep1, [], hold=True)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PREPARING
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_released_email_is_sent_with_its_attachment(
    rep1, anymail_backend, django_capture_on_commit_callbacks
):
    email = queue_with(rep1, [], hold=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.email_release(email=email, attachments=[("q.pdf", PDF, "application/pdf")])
    [(filename, content, _mimetype)] = mail.outbox[0].attachments
    assert (filename, content) == ("q.pdf", PDF)
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT


@pytest.mark.django_db
def test_releasing_twice_attaches_once(rep1, anymail_backend, django_capture_on_commit_callbacks):
    email = queue_with(rep1, [], hold=True)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.email_release(email=email, attachments=[("q.pdf", PDF, "application/pdf")])
        again = outbox.email_release(email=email, attachments=[("q.pdf", PDF, "application/pdf")])
    assert again is False
    assert OutgoingEmailAttachment.objects.filter(email=email).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_resend_leaves_an_email_that_waits_for_its_attachment(
    rep1, anymail_backend, django_capture_on_commit_callbacks
):
    email = queue_with(rep1, [], hold=True)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.email_resend(email=email)
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.PREPARING
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_preparation_shows_the_error_and_keeps_the_email_unsent(rep1):
    email = queue_with(rep1, [], hold=True)
    outbox.email_preparation_failed(email=email, error=OSError("disk full"))
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PREPARING
    assert email.last_error == "Not sent yet: OSError: disk full"
