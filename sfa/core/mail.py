"""The outbox: queue an e-mail from templates in the transaction, send it from a task after.

``email_queue`` renders ``<template>_subject.txt``, ``<template>.txt`` and (if present)
``<template>.html`` and stores an :class:`OutgoingEmail` with its attachments;
``outgoing_email_send_task`` sends it through the configured backend (anymail in production)
once the transaction commits. A resend sends the same row, attachments included.

An e-mail whose attachment is made after the commit (a sent quote's PDF, rendered by a task)
is queued with ``hold=True``: it waits as *preparing*, and ``email_release`` attaches the
file and queues it. A rollback leaves neither the e-mail nor a file.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.dispatch import Signal
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from sfa.core.exceptions import InvalidInput
from sfa.core.models import OutgoingEmail, OutgoingEmailAttachment

# What one e-mail may carry in attachments (ESPs refuse messages of 10 to 40 MB, and base64
# makes a file a third larger on the wire).
ATTACHMENTS_MAX_BYTES = 7 * 1024 * 1024

Attachment = tuple[str, bytes, str]  # (filename, content, MIME type)
OUTBOX_KEY = "sfa_outbox_id"  # in every sent message's metadata: finds it from a webhook event

# Sent (with the e-mail and the event) when the ESP reports that an outbox e-mail bounced or
# was rejected, so the app that sent it can tell its users (a ticket notes it).
email_bounced = Signal()


def _render(template: str, context: dict) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def _check_attachments(attachments: list[Attachment]) -> None:
    total = 0
    for filename, content, mimetype in attachments:
        if not filename or not mimetype or not isinstance(content, bytes | bytearray):
            raise ValueError("An attachment is (filename, bytes, MIME type).")
        total += len(content)
    if total > ATTACHMENTS_MAX_BYTES:
        raise InvalidInput(
            f"The attachments are too large to send ({total // 1024} KB; at most "
            f"{ATTACHMENTS_MAX_BYTES // 1024} KB).",
            fields={"attachments": ["Too large to send by e-mail."]},
        )


def email_queue(
    *,
    kind: str,
    to: list[str],
    template: str,
    context: dict,
    related=None,
    actor=None,
    from_email: str | None = None,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    metadata: dict | None = None,
    attachments: list[Attachment] | None = None,
    hold: bool = False,
) -> OutgoingEmail:
    """Render and store one e-mail (with ``attachments``: ``(filename, bytes, MIME type)``);
    it is sent after the surrounding transaction commits, and never if it rolls back.
    ``hold``: it waits (*preparing*) until ``email_release`` adds what it still needs."""
    attachments = list(attachments or [])
    _check_attachments(attachments)
    subject, text, html = _render(template, context)
    email = OutgoingEmail.objects.create(
        status=OutgoingEmail.Status.PREPARING if hold else OutgoingEmail.Status.QUEUED,
        kind=kind,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc or []),
        bcc=list(bcc or []),
        reply_to=reply_to or [],
        subject=subject[:300],
        body_text=text,
        body_html=html,
        headers=headers or {},
        metadata=metadata or {},
        content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        object_id=str(related.pk) if related is not None else "",
        created_by=actor,
    )
    _attach(email, attachments)
    if not hold:
        _send_after_commit(email)
    return email


def _attach(email: OutgoingEmail, attachments: list[Attachment]) -> None:
    OutgoingEmailAttachment.objects.bulk_create(
        OutgoingEmailAttachment(
            email=email,
            filename=filename[:255],
            content_type=mimetype[:120],
            content=bytes(content),
            size=len(content),
        )
        for filename, content, mimetype in attachments
    )


def _send_after_commit(email: OutgoingEmail) -> None:
    from sfa.core.tasks import outgoing_email_send_task

    outgoing_email_send_task.delay_on_commit(email.pk)


@transaction.atomic
def email_release(*, email: OutgoingEmail, attachments: list[Attachment] = ()) -> bool:
    """Add ``attachments`` to a held (*preparing*) e-mail and queue it; False when it is not
    held (released already: running twice attaches nothing twice)."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != OutgoingEmail.Status.PREPARING:
        return False
    attachments = list(attachments)
    held = [(a.filename, bytes(a.content), a.content_type) for a in email.attachments.all()]
    _check_attachments(held + attachments)
    _attach(email, attachments)
    email.status, email.last_error = OutgoingEmail.Status.QUEUED, ""
    email.save(update_fields=["status", "last_error"])
    _send_after_commit(email)
    return True


def email_preparation_failed(*, email: OutgoingEmail, error: Exception) -> None:
    """A held e-mail's attachment could not be made: it stays unsent (*preparing*), the
    error shown with it, until whatever makes the attachment succeeds."""
    OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.PREPARING).update(
        last_error=f"Not sent yet: {type(error).__name__}: {error}"[:2000]
    )


def email_resend(*, email: OutgoingEmail, actor=None) -> OutgoingEmail:
    """Send the same e-mail again; one still preparing its attachments is left to wait."""
    queued = OutgoingEmail.objects.filter(pk=email.pk).exclude(
        status=OutgoingEmail.Status.PREPARING
    )
    if queued.update(status=OutgoingEmail.Status.QUEUED):
        _send_after_commit(email)
    email.refresh_from_db()
    return email


def claim_for_sending(pk: int) -> OutgoingEmail | None:
    """Mark a queued (or failed) e-mail as sending; None when someone else has it or it is done."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if email is None or email.status not in (
            OutgoingEmail.Status.QUEUED,
            OutgoingEmail.Status.FAILED,
        ):
            return None
        email.status = OutgoingEmail.Status.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts"])
    return email


def deliver(email: OutgoingEmail) -> str:
    """Send through the e-mail backend (outside any transaction); return the ESP message id."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        # PostgreSQL hands binary columns back as memoryview; the backends want bytes.
        message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    # anymail passes the metadata to the ESP; its tracking webhooks bring it back
    message.metadata = {**email.metadata, OUTBOX_KEY: str(email.pk)}
    message.tags = [email.kind]
    message.send()
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if isinstance(message_id, set):
        message_id = ",".join(sorted(str(m) for m in message_id))
    return "" if message_id is None else str(message_id)


def mark_sent(email: OutgoingEmail, message_id: str) -> None:
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT,
        esp_message_id=message_id,
        sent_at=timezone.now(),
        last_error="",
    )


def mark_failed(email: OutgoingEmail, error: Exception, *, final: bool) -> None:
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED if final else OutgoingEmail.Status.QUEUED,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


# Tracking ------------------------------------------------------------------------------------

# How far along an e-mail is; an event never moves it back (events arrive out of order).
_PROGRESS = {
    OutgoingEmail.Status.SENT: 1,
    OutgoingEmail.Status.DELIVERED: 2,
    OutgoingEmail.Status.BOUNCED: 3,
}
_FAILED_EVENTS = {"bounced", "rejected", "failed"}


def email_for_event(event) -> OutgoingEmail | None:
    """The outbox row an anymail tracking event is about: by our id in the metadata, else by
    the ESP's message id."""
    outbox_id = str((event.metadata or {}).get(OUTBOX_KEY, ""))
    if outbox_id.isdigit():
        found = OutgoingEmail.objects.filter(pk=int(outbox_id)).first()
        if found is not None:
            return found
    if event.message_id:
        return OutgoingEmail.objects.filter(esp_message_id=str(event.message_id)).first()
    return None


def _tracking_changes(email: OutgoingEmail, event) -> dict:
    when = event.timestamp or timezone.now()
    kind = event.event_type
    changes: dict = {}
    if kind in {"delivered", "opened", "clicked"} and email.delivered_at is None:
        changes["delivered_at"] = when  # an open or click proves the delivery
    if kind in {"opened", "clicked", "complained"} and getattr(email, f"{kind}_at") is None:
        changes[f"{kind}_at"] = when
    target = None
    if kind in _FAILED_EVENTS:
        target = OutgoingEmail.Status.BOUNCED
        reason = event.description or event.mta_response or event.reject_reason or kind
        changes["last_error"] = f"{kind}: {reason}"[:2000]
    elif "delivered_at" in changes:
        target = OutgoingEmail.Status.DELIVERED
    if target and _PROGRESS.get(target, 0) > _PROGRESS.get(email.status, 0):
        changes["status"] = target
    return changes


def record_tracking_event(event) -> OutgoingEmail | None:
    """Apply a delivered / bounced / opened / clicked / complained event to its e-mail."""
    email = email_for_event(event)
    if email is None:
        return None
    changes = _tracking_changes(email, event)
    if not changes:
        return email
    OutgoingEmail.objects.filter(pk=email.pk).update(**changes)
    for name, value in changes.items():
        setattr(email, name, value)
    if changes.get("status") == OutgoingEmail.Status.BOUNCED:
        email_bounced.send(sender=OutgoingEmail, email=email, event=event)
    return email


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    """anymail's ``tracking`` signal."""
    record_tracking_event(event)
