"""What a customer may do with a ticket in the portal, and where their message goes.

The portal's pages (``tickets.portal``) only show and call these rules:

- a ticket closed longer than ``SFA_TICKET_REOPEN_DAYS`` ago is not reopened: the customer's
  message opens a follow-up ticket linked to it (``services.closed_for_replies``);
- a merged duplicate passes messages on to its target, and links to the target only when the
  contact may open it (``selectors.ticket_visible_to_contact``);
- a ticket opened here is the contact's, of their account, channel "portal";
- close a resolved ticket, reopen a resolved or recently closed one, rate it once.
"""

from dataclasses import dataclass

from sfa.core.exceptions import TransitionRefused
from tickets import selectors, services
from tickets.models import Ticket

PORTAL_NOTE = "by the customer in the portal"
LONG_CLOSED = (
    "This ticket was closed a while ago; write to us below and we open a new ticket linked to it."
)


def ticket_portal_create(*, contact, actor, data: dict, uploads=()) -> Ticket:
    """A ticket the customer opens in the portal: their account's, theirs, channel "portal"."""
    mine = {"account": contact.account, "contact": contact, "channel": Ticket.Channel.PORTAL}
    return services.ticket_create(actor=actor, data={**data, **mine}, uploads=uploads)


@dataclass(frozen=True)
class PortalTicketOptions:
    """What the ticket's page offers the contact."""

    follow_up: bool  # closed long ago: a message opens a linked follow-up ticket
    merged_into: Ticket | None  # the merge target, when the contact may open it
    can_reply: bool
    can_close: bool
    can_reopen: bool
    can_rate: bool


def ticket_portal_options(*, ticket: Ticket, contact) -> PortalTicketOptions:
    follow_up = services.closed_for_replies(ticket) and not ticket.merged_into_id
    merged_into = None
    if ticket.merged_into_id:
        merged_into = (
            selectors.ticket_visible_to_contact(contact).filter(pk=ticket.merged_into_id).first()
        )
    done = ticket.state in (Ticket.State.RESOLVED, Ticket.State.CLOSED)
    return PortalTicketOptions(
        follow_up=follow_up,
        merged_into=merged_into,
        can_reply=ticket.state != Ticket.State.CLOSED or follow_up or merged_into is not None,
        can_close=ticket.state == Ticket.State.RESOLVED,
        can_reopen=done and not follow_up and not ticket.merged_into_id,
        can_rate=done and not hasattr(ticket, "rating"),
    )


@dataclass(frozen=True)
class PortalReply:
    ticket: Ticket  # the ticket to show the customer next (one they may open)
    follow_up_of: Ticket | None = None  # set when the message opened a follow-up of this one


def ticket_portal_reply(*, ticket: Ticket, contact, actor, body: str, uploads=()) -> PortalReply:
    """The customer's message from the portal: on a ticket closed long ago, a new follow-up
    ticket; else a reply (on a merged duplicate it lands in the target, shown when the
    contact may open it, else the customer stays on the duplicate)."""
    if services.closed_for_replies(ticket) and not ticket.merged_into_id:
        follow_up = services.ticket_follow_up(
            previous=ticket, actor=actor, body=body, contact=contact, uploads=uploads
        )
        return PortalReply(ticket=follow_up, follow_up_of=ticket)
    comment = services.customer_reply(ticket=ticket, body=body, contact=contact, uploads=uploads)
    landed = selectors.ticket_visible_to_contact(contact).filter(pk=comment.ticket_id).first()
    return PortalReply(ticket=landed or ticket)


def ticket_portal_close(*, ticket: Ticket, actor) -> Ticket:
    return services.ticket_close(ticket=ticket, actor=actor, note=PORTAL_NOTE)


def ticket_portal_reopen(*, ticket: Ticket, actor) -> Ticket:
    """Reopen a resolved or recently closed ticket; one closed long ago is refused (409): the
    customer writes instead, which opens a follow-up."""
    if services.closed_for_replies(ticket):
        raise TransitionRefused(LONG_CLOSED, code="ticket_closed_for_replies")
    return services.ticket_reopen(ticket=ticket, actor=actor, note=PORTAL_NOTE)
