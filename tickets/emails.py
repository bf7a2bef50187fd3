"""Ticket e-mail going out, and the files of tickets.

The acknowledgement of a new ticket and every public reply leave from the support address
with the ticket number in the subject, their own ``Message-ID`` and ``In-Reply-To`` /
``References`` pointing at the conversation so far, so mail programs thread them; every
Message-ID sent is remembered (:class:`TicketMessageId`), so replies find their ticket
(``tickets.inbound``). See docs/support-email.md.
"""

import email.utils

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from sfa.core.mail import ATTACHMENTS_MAX_BYTES, email_queue
from sfa.core.models import OutgoingEmail
from sfa.customers import services as customer_services
from tickets.models import Ticket, TicketAttachment, TicketComment, TicketMessageId

REPLY_MARKER = "##- Please type your reply above this line -##"
REFERENCES_KEPT = 20


# Outgoing ------------------------------------------------------------------------------------


def support_address() -> str:
    return settings.SFA_SUPPORT_EMAIL


def _support_domain() -> str:
    address = email.utils.parseaddr(support_address())[1]
    return address.rsplit("@", 1)[-1] or "localhost"


def new_message_id(ticket: Ticket) -> str:
    return email.utils.make_msgid(idstring=f"t{ticket.pk}", domain=_support_domain())


def subject_for(ticket: Ticket) -> str:
    return f"[{ticket.number}] {ticket.subject}"


def customer_address(ticket: Ticket) -> str:
    return (ticket.contact.email if ticket.contact_id else "") or ticket.requester_email


def thread_headers(ticket: Ticket, message_id: str) -> dict[str, str]:
    """The new message's id, the message it answers (the customer's latest, else ours) and the
    conversation's ids, oldest first. (Ids are stored without their angle brackets.)"""
    known = list(
        TicketMessageId.objects.filter(ticket=ticket)
        .order_by("-created_at", "-pk")
        .values_list("message_id", "direction")[:REFERENCES_KEPT]
    )
    headers = {"Message-ID": message_id, "X-SFA-Ticket": ticket.number}
    if known:
        answered = next(
            (mid for mid, way in known if way == TicketMessageId.Direction.INBOUND), None
        )
        headers["In-Reply-To"] = f"<{answered or known[0][0]}>"
        headers["References"] = " ".join(f"<{mid}>" for mid, _ in reversed(known))
    return headers


def _send(
    ticket: Ticket,
    *,
    kind: str,
    template: str,
    context: dict,
    comment: TicketComment | None = None,
    actor=None,
    extra_headers: dict | None = None,
    attachments=None,
) -> OutgoingEmail | None:
    to = customer_address(ticket)
    if not to:
        return None
    message_id = new_message_id(ticket)
    headers = thread_headers(ticket, message_id) | (extra_headers or {})
    sent = email_queue(
        kind=kind,
        to=[to],
        template=template,
        context={"ticket": ticket, "marker": REPLY_MARKER, **context},
        related=ticket,
        actor=actor,
        from_email=support_address(),
        reply_to=[support_address()],
        headers=headers,
        attachments=attachments,
    )
    TicketMessageId.objects.create(
        ticket=ticket,
        message_id=message_id.strip("<>"),
        direction=TicketMessageId.Direction.OUTBOUND,
        comment=comment,
    )
    return sent


def portal_url(ticket: Ticket) -> str:
    return settings.SFA_BASE_URL + reverse("portal:ticket", args=[ticket.pk])


def send_acknowledgement(ticket: Ticket) -> OutgoingEmail | None:
    """ "We have your request": an automatic message (RFC 3834), so other robots don't answer."""
    return _send(
        ticket,
        kind="tickets.acknowledgement",
        template="tickets/emails/acknowledgement",
        context={"portal_url": portal_url(ticket) if ticket.contact_id else ""},
        extra_headers={"Auto-Submitted": "auto-replied"},
    )


def _files_of(comment: TicketComment) -> tuple[list, list[TicketAttachment]]:
    """The comment's files that fit into one e-mail, and those left for the portal."""
    attached, left, total = [], [], 0
    for attachment in comment.attachments.all():
        if total + attachment.size > ATTACHMENTS_MAX_BYTES:
            left.append(attachment)
            continue
        with attachment.file.open("rb") as handle:
            attached.append((attachment.filename, handle.read(), attachment.content_type))
        total += attachment.size
    return attached, left


def send_public_reply(comment: TicketComment, *, actor=None) -> OutgoingEmail | None:
    """An agent's public reply, with its files, to the customer."""
    ticket = comment.ticket
    attached, left = _files_of(comment)
    return _send(
        ticket,
        kind="tickets.reply",
        template="tickets/emails/reply",
        context={
            "comment": comment,
            "agent": comment.author,
            "files_left": left,
            "portal_url": portal_url(ticket) if ticket.contact_id else "",
        },
        comment=comment,
        actor=actor,
        attachments=attached,
    )


@transaction.atomic
def attachment_add(
    *, ticket: Ticket, upload, comment: TicketComment | None = None, actor, from_customer=False
) -> TicketAttachment:
    """A checked file (type, size, no programs) on the ticket, optionally of one comment."""
    content_type = customer_services.check_upload(upload)
    name = upload.name.rsplit("/", 1)[-1]
    attachment = TicketAttachment(
        ticket=ticket,
        comment=comment,
        filename=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        from_customer=from_customer,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment
