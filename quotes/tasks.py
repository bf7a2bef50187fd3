import datetime
import logging

from celery import shared_task
from django.utils import timezone

from quotes import services
from quotes.models import Quote
from sfa.core.mail import email_preparation_failed

logger = logging.getLogger(__name__)
MAX_RETRIES = 5


@shared_task(acks_late=True)
def expire_quotes_task(day: str | None = None) -> int:
    """Each night (Celery beat): open quotes past their validity become expired.

    Safe to run twice or late: each quote is locked and checked again before it expires.
    """
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return services.expire_due_quotes(today=on)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def quote_pdf_render_task(self, quote_id: int) -> str:
    """After a send commits: store the sent version's PDF and send the e-mails waiting for it.

    Safe to run twice (the PDF is stored once, an e-mail released once). Transient errors
    retry with backoff; after the last attempt (the only one when run inline) the waiting
    e-mails show the error and stay unsent, and running the task again sends them.
    """
    quote = Quote.objects.filter(pk=quote_id).first()
    if quote is None:
        return "gone"
    try:
        released = services.quote_pdf_render(quote=quote)
    except Exception as exc:  # noqa: BLE001 - storage or renderer: retried, then shown
        final = self.request.is_eager or self.request.retries >= MAX_RETRIES
        logger.log(
            logging.ERROR if final else logging.WARNING,
            "quotes.quote.pdf_failed: quote %s (attempt %s): %s",
            quote_id,
            self.request.retries + 1,
            exc,
        )
        if final:
            for email in services.waiting_emails(quote):
                email_preparation_failed(email=email, error=exc)
            return "failed"
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc
    return f"stored, {released} e-mail(s) queued"
