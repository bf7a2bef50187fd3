import factory

from tickets import services
from tickets.models import Ticket


class TicketFactory(factory.Factory):
    """A ticket opened through ``tickets.services.ticket_create``, so it has its number, SLA
    due times, routing and acknowledgement like any other: ``TicketFactory(actor=agent,
    account=account, subject="Lathe")``. ``actor``, ``now`` and ``acknowledge`` go to the
    service, every other keyword is a ticket field."""

    class Meta:
        model = Ticket

    subject = factory.Sequence(lambda n: f"Ticket {n}")

    @classmethod
    def _create(cls, model_class, *args, actor=None, now=None, acknowledge=True, **data):
        return services.ticket_create(actor=actor, data=data, now=now, acknowledge=acknowledge)
