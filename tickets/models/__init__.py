"""Support desk models, by concern:

- ``sla``: business calendars (weekly hours, holidays, time zone) and SLA policies;
- ``tickets``: tickets and their categories (the state machine, due times, links);
- ``conversation``: comments (public replies, internal and system notes), files, ratings;
- ``email``: e-mail threading (Message-IDs) and the log of inbound messages;
- ``desk``: desk configuration — canned responses, team routing, agents' availability.
"""

from tickets.models.conversation import (
    TicketAttachment,
    TicketComment,
    TicketRating,
    attachment_upload_to,
)
from tickets.models.desk import AgentStatus, CannedResponse, TeamRouting
from tickets.models.email import InboundEmail, TicketMessageId
from tickets.models.sla import BusinessCalendar, Holiday, Priority, SlaPolicy, WorkingHours
from tickets.models.sla import _valid_time_zone as _valid_time_zone  # named in migrations
from tickets.models.tickets import Ticket, TicketCategory

__all__ = [
    "AgentStatus",
    "BusinessCalendar",
    "CannedResponse",
    "Holiday",
    "InboundEmail",
    "Priority",
    "SlaPolicy",
    "TeamRouting",
    "Ticket",
    "TicketAttachment",
    "TicketCategory",
    "TicketComment",
    "TicketMessageId",
    "TicketRating",
    "WorkingHours",
    "attachment_upload_to",
]
