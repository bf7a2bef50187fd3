"""Writes of tickets: open, reply, move through the states, keep the SLA clock.

The SLA clock counts business time on the policy's calendar. Waiting on the customer
(``pending``) pauses it: when the ticket leaves ``pending`` the business minutes spent there
are added to the resolution due time. The first public reply by staff meets the
first-response target.

By concern: ``lifecycle`` (create, update, state moves), ``replies`` (the conversation,
follow-ups, bounced mail), ``sla`` (due times and status), ``sla_job`` (warnings and
escalations), ``rating``; merging, routing, watching and system notes have modules of their
own (``tickets.merging`` …) and are part of this API too.
"""

from tickets.merging import ticket_merge
from tickets.notes import ticket_system_note
from tickets.services.lifecycle import (
    CUSTOMER_MOVES,
    TICKET_FIELDS,
    ticket_close,
    ticket_create,
    ticket_open,
    ticket_reopen,
    ticket_resolve,
    ticket_update,
    ticket_wait_on_customer,
)
from tickets.services.rating import (
    RATING_LINK_DAYS,
    RATING_SALT,
    rating_token,
    ticket_from_rating_token,
    ticket_rate,
)
from tickets.services.replies import (
    closed_for_replies,
    customer_reply,
    link_follow_up,
    ticket_email_bounced,
    ticket_follow_up,
    ticket_reply,
)
from tickets.services.sla import AT_RISK_SHARE, apply_sla, policy_for, schedule_of, sla_status
from tickets.services.sla_job import PRIORITY_STEPS, check_slas, ticket_due
from tickets.watching import ticket_unwatch, ticket_watch

__all__ = [
    "AT_RISK_SHARE",
    "CUSTOMER_MOVES",
    "PRIORITY_STEPS",
    "RATING_LINK_DAYS",
    "RATING_SALT",
    "TICKET_FIELDS",
    "apply_sla",
    "check_slas",
    "closed_for_replies",
    "customer_reply",
    "link_follow_up",
    "policy_for",
    "rating_token",
    "schedule_of",
    "sla_status",
    "ticket_close",
    "ticket_create",
    "ticket_due",
    "ticket_email_bounced",
    "ticket_follow_up",
    "ticket_from_rating_token",
    "ticket_merge",
    "ticket_open",
    "ticket_rate",
    "ticket_reopen",
    "ticket_reply",
    "ticket_resolve",
    "ticket_system_note",
    "ticket_unwatch",
    "ticket_update",
    "ticket_wait_on_customer",
    "ticket_watch",
]
