"""A sent version's PDF is rendered and stored by a task after the send commits: the send
transaction transitions, logs and holds the e-mail; the task stores the PDF, attaches the
stored file and queues the e-mail. A rollback leaves no file and no e-mail."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quotes import pdf, sending, services
from quotes.acceptance import acceptance_token
from quotes.models import Quote
from quotes.tasks import quote_pdf_render_task
from sfa.core.models import OutgoingEmail, OutgoingEmailAttachment, TransitionLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(account):
    return factories.ContactFactory(account=account, email="greta@holm.example")


@pytest.fixture
def quote(rep1, account, contact):
    return services.quote_create(
        actor=rep1,
        data={"account": account, "contact": contact, "issue_date": timezone.localdate()},
        lines=[{"description": "Lathe", "quantity": Decimal(2), "unit_price": Decimal("1000")}],
    )


@pytest.fixture
def renders(monkeypatch):
    """How often a PDF was rendered."""
    calls = []
    real = pdf.render_quote_pdf

    def counting(quote, **kwargs):
        calls.append(quote.pk)
        return real(quote, **kwargs)

    monkeypatch.setattr(pdf, "render_quote_pdf", counting)
    return calls


def send(quote, actor, contact):
    return sending.quote_send(
        quote=quote, actor=actor, to=[contact], subject="Your quote", message="Here it is."
    )


def stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


def test_the_send_stores_no_pdf_and_holds_the_email_until_the_commit(
    quote, rep1, contact, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sent = send(quote, rep1, contact)
    email = OutgoingEmail.objects.get()
    assert sent.state == "sent"
    assert not Quote.objects.get(pk=quote.pk).pdf
    assert email.status == OutgoingEmail.Status.PREPARING
    assert not email.attachments.exists()
    assert renders == []
    assert len(callbacks) == 1  # the PDF task; the e-mail is queued by it


def test_after_the_commit_the_stored_pdf_goes_out_with_the_email(
    quote, rep1, contact, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(quote, rep1, contact)
    quote.refresh_from_db()
    with quote.pdf.open("rb") as stored:
        data = stored.read()
    [message] = mail.outbox
    assert message.attachments == [(quote.pdf_filename, data, "application/pdf")]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert renders == [quote.pk]


def test_a_rollback_after_the_transition_leaves_no_file_and_no_email(
    quote, rep1, contact, monkeypatch, django_capture_on_commit_callbacks
):
    def fail(**kwargs):
        raise RuntimeError("the activity log is down")

    monkeypatch.setattr(sending, "activity_log", fail)  # runs after the transition
    files = stored_files()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        send(quote, rep1, contact)
    assert Quote.objects.get(pk=quote.pk).state == "draft"
    assert not Quote.objects.get(pk=quote.pk).pdf
    assert (OutgoingEmail.objects.count(), TransitionLog.objects.count()) == (0, 0)
    assert stored_files() == files
    assert mail.outbox == []


def test_running_the_task_again_renders_nothing_and_sends_nothing_twice(
    quote, rep1, contact, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(quote, rep1, contact)
        quote_pdf_render_task.delay(quote.pk)
    assert renders == [quote.pk]
    assert OutgoingEmailAttachment.objects.count() == 1
    assert len(mail.outbox) == 1


def test_sending_again_attaches_the_stored_pdf_without_rendering_it(
    quote, rep1, contact, account, renders, django_capture_on_commit_callbacks
):
    colleague = factories.ContactFactory(account=account, email="jan@holm.example")
    with django_capture_on_commit_callbacks(execute=True):
        send(quote, rep1, contact)
    with django_capture_on_commit_callbacks(execute=True):
        send(Quote.objects.get(pk=quote.pk), rep1, colleague)
    first, second = mail.outbox
    assert second.to == ["jan@holm.example"]
    assert second.attachments == first.attachments
    assert renders == [quote.pk]


def test_a_pdf_that_cannot_be_made_leaves_the_email_waiting_with_the_error(
    quote, rep1, contact, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(quote, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr(pdf, "render_quote_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(quote, rep1, contact)
    email = OutgoingEmail.objects.get()
    assert sent.state == "sent"  # the send itself stands
    assert email.status == OutgoingEmail.Status.PREPARING
    assert "no fonts" in email.last_error
    assert mail.outbox == []


def test_the_task_run_again_sends_an_email_whose_pdf_failed_before(
    quote, rep1, contact, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(quote, **kwargs):
        raise OSError("no fonts")

    real = pdf.render_quote_pdf
    monkeypatch.setattr(pdf, "render_quote_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        send(quote, rep1, contact)
    monkeypatch.setattr(pdf, "render_quote_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        assert quote_pdf_render_task.delay(quote.pk).get() == "stored, 1 e-mail(s) queued"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_marking_a_quote_sent_stores_its_pdf_after_the_commit(
    quote, rep1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.quote_mark_sent(quote=quote, actor=rep1)
    assert not Quote.objects.get(pk=quote.pk).pdf
    callbacks[0]()
    assert Quote.objects.get(pk=quote.pk).pdf


@pytest.mark.parametrize(("version", "name"), [(1, "Q-2026-00042.pdf"), (2, "Q-2026-00042-v2.pdf")])
def test_one_filename_for_a_quotes_pdf(version, name):
    assert Quote(number="Q-2026-00042", version=version).pdf_filename == name


def test_the_customers_download_uses_the_same_filename(client, quote, rep1):
    sent = services.quote_mark_sent(quote=quote, actor=rep1)
    response = client.get(reverse("quote_public:pdf", args=[acceptance_token(sent)]))
    assert response["Content-Disposition"] == f'attachment; filename="{sent.pdf_filename}"'
