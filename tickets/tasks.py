from celery import shared_task

from tickets import services


@shared_task(acks_late=True)
def check_slas_task() -> dict[str, int]:
    """Warn on tickets at risk and escalate breaches (once each); scheduled every 5 minutes."""
    return services.check_slas()
