import logging

from celery import shared_task

from sfa.core import mail

logger = logging.getLogger(__name__)
MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def outgoing_email_send_task(self, email_id: int) -> str:
    """Send one outbox e-mail; transient failures retry with backoff, the last one is visible.

    Run inline (no broker: the embedded default) there is one attempt, so a broken mail
    server never fails the user's request; the e-mail shows as failed and can be resent.
    """
    email = mail.claim_for_sending(email_id)
    if email is None:
        return "skipped"
    try:
        message_id = mail.deliver(email)
    except Exception as exc:  # noqa: BLE001 - any backend error is retried, then recorded
        final = self.request.is_eager or self.request.retries >= MAX_RETRIES
        mail.mark_failed(email, exc, final=final)
        logger.warning("sending e-mail %s failed (attempt %s): %s", email_id, email.attempts, exc)
        if final:
            return "failed"
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc
    mail.mark_sent(email, message_id)
    return "sent"
