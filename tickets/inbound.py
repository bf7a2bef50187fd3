"""Ticket e-mail coming in: anymail's inbound webhook hands each message to :func:`receive`.

The message's Message-ID is stored first (unique), so the same message delivered twice does
nothing twice. Automatic replies, bounces and our own mail coming back are logged and dropped
(no ticket, no acknowledgement, so no loop). A reply finds its ticket by its
``In-Reply-To``/``References``, else by the ticket number in the subject (only from the
ticket's people); a reply to a ticket closed more than ``SFA_TICKET_REOPEN_DAYS`` ago opens a
follow-up ticket instead. Anything else opens a ticket for the contact with that address — or,
for an unknown sender, what ``SFA_INBOUND_UNKNOWN_SENDERS`` says. Attachments are kept with
the comment. See docs/support-email.md. Reading the message itself (ids, robots, text) is
``tickets.mime``; this module decides what the desk does with it.
"""

import datetime
import email.utils
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sfa.core.access import is_staff_user
from sfa.core.exceptions import DomainError, InvalidInput
from sfa.core.models import OutgoingEmail
from sfa.customers import services as customer_services
from sfa.customers.models import Account, Contact
from tickets import services
from tickets.emails import customer_address, send_acknowledgement, support_address
from tickets.mime import (
    MESSAGE_ID,
    NUMBER_IN_SUBJECT,
    body_of,
    clean_subject,
    is_automatic,
    is_bounce,
    message_id_of,
    referenced_ids,
    report_text,
)
from tickets.models import InboundEmail, Ticket, TicketComment, TicketMessageId

log = logging.getLogger(__name__)

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
        "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "proton.me",
        "protonmail.com", "mail.com", "yandex.ru", "t-online.de",
    }
)  # fmt: skip
# Incoming ------------------------------------------------------------------------------------


@dataclass
class Sender:
    address: str
    name: str
    contact: Contact | None = None
    user: object | None = None  # a staff user writing from their own address


def is_our_own(message, sender: Sender) -> bool:
    ours = email.utils.parseaddr(support_address())[1].lower()
    if sender.address == ours:
        return True
    own_id = message_id_of(message)
    return TicketMessageId.objects.filter(
        message_id=own_id, direction=TicketMessageId.Direction.OUTBOUND
    ).exists()


def identify(message) -> Sender:
    address = message.from_email.addr_spec.lower() if message.from_email else ""
    name = message.from_email.display_name if message.from_email else ""
    sender = Sender(address=address, name=name or "")
    if not address:
        return sender
    user = (
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True)
        .order_by("pk")
        .first()
    )
    if user is not None and is_staff_user(user):
        sender.user = user
    sender.contact = (
        Contact.objects.filter(email__iexact=address, is_active=True)
        .select_related("account")
        .order_by("-has_portal_access", "-is_primary", "-updated_at", "pk")
        .first()
    )
    return sender


def _follow_merges(ticket: Ticket) -> Ticket:
    for _ in range(10):
        if ticket.merged_into_id is None:
            break
        ticket = ticket.merged_into
    return ticket


def _ticket_by_headers(message) -> Ticket | None:
    ids = referenced_ids(message)
    if not ids:
        return None
    known = TicketMessageId.objects.filter(message_id__in=ids).select_related("ticket")
    by_id = {row.message_id: row.ticket for row in known}
    for message_id in ids:
        if message_id in by_id:
            return by_id[message_id]
    # ESPs that replace our Message-ID with their own: match the id they reported at sending
    local_parts = {message_id.split("@", 1)[0] for message_id in ids}
    sent = (
        OutgoingEmail.objects.filter(
            esp_message_id__in=local_parts | set(ids),
            content_type=ContentType.objects.get_for_model(Ticket),
        )
        .order_by("-pk")
        .first()
    )
    if sent is not None:
        return Ticket.objects.filter(pk=sent.object_id).first()
    return None


def may_write_to(ticket: Ticket, sender: Sender) -> bool:
    """Who may add to a ticket named only by its number: its people and the agents."""
    if sender.user is not None:
        return True
    if not sender.address:
        return False
    if sender.address in {customer_address(ticket).lower(), ticket.requester_email.lower()}:
        return True
    return bool(
        ticket.account_id
        and Contact.objects.filter(account_id=ticket.account_id, email__iexact=sender.address)
        .filter(is_active=True)
        .exists()
    )


def find_ticket(message, sender: Sender) -> Ticket | None:
    ticket = _ticket_by_headers(message)
    if ticket is None:
        found = NUMBER_IN_SUBJECT.search(message.subject or "")
        if found:
            candidate = Ticket.objects.filter(number__iexact=found.group(1)).first()
            if candidate is not None and may_write_to(candidate, sender):
                ticket = candidate
    return _follow_merges(ticket) if ticket is not None else None


def account_by_domain(address: str) -> Account | None:
    """The one active customer whose contacts, e-mail or website use the sender's domain."""
    domain = address.rsplit("@", 1)[-1].lower()
    if not domain or domain in FREE_MAIL_DOMAINS:
        return None
    suffix = "@" + domain
    ids = set(
        Contact.objects.filter(email__iendswith=suffix, is_active=True).values_list(
            "account_id", flat=True
        )[:5]
    )
    ids |= set(
        Account.objects.filter(
            Q(email__iendswith=suffix)
            | Q(website__iregex=r"^https?://(www\.)?" + re.escape(domain) + r"(/|:|$)")
        ).values_list("pk", flat=True)[:5]
    )
    accounts = list(Account.objects.filter(pk__in=ids, status=Account.Status.ACTIVE)[:2])
    return accounts[0] if len(accounts) == 1 else None


def contact_for_unknown(sender: Sender) -> tuple[Contact | None, bool]:
    """(contact, accepted) for a sender no contact has, by ``SFA_INBOUND_UNKNOWN_SENDERS``:
    ``domain`` — a new contact of the one customer using the sender's domain, else a ticket
    with only the address; ``accept`` — a ticket with only the address; ``reject`` — none."""
    policy = settings.SFA_INBOUND_UNKNOWN_SENDERS
    if policy == "reject":
        return None, False
    if policy == "domain":
        account = account_by_domain(sender.address)
        if account is not None:
            first, _, last = (sender.name or "").strip().rpartition(" ")
            contact = Contact(
                account=account,
                first_name=first[:100],
                last_name=(last or sender.address.split("@")[0])[:100],
                email=sender.address,
                notes="Created from an e-mail to support.",
            )
            return customer_services.contact_save(actor=None, contact=contact), True
    return None, True


def uploads_of(message) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The message's attached files we accept, and the names of those refused (type, size,
    programs) — a refused file does not lose the message."""
    accepted, refused = [], []
    for part in message.attachments:
        name = (part.get_filename() or "attachment").replace("/", "_").replace("\\", "_")[:200]
        upload = SimpleUploadedFile(name, part.get_content_bytes() or b"", part.get_content_type())
        try:
            customer_services.check_upload(upload)
        except InvalidInput:
            refused.append(name)
        else:
            accepted.append(upload)
    return accepted, refused


def _recent_tickets_from(address: str, now: datetime.datetime) -> int:
    return InboundEmail.objects.filter(
        from_email=address,
        outcome__in=[InboundEmail.Outcome.CREATED, InboundEmail.Outcome.FOLLOW_UP],
        received_at__gte=now - datetime.timedelta(hours=1),
    ).count()


def _note_refused(ticket: Ticket, refused: list[str], now) -> None:
    if refused:
        names = ", ".join(refused)
        services.ticket_system_note(
            ticket, f"Files not kept (type or size not accepted): {names}", now
        )


def receive(message, *, esp: str = "", now: datetime.datetime | None = None) -> InboundEmail:
    """Handle one inbound message (an ``AnymailInboundMessage``); return its log record.

    Runs in one transaction: the log row, the ticket or comment, its files and the
    acknowledgement commit together, and a redelivery finds the log row and stops.
    """
    now = now or timezone.now()
    message_id = message_id_of(message)
    sender = identify(message)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundEmail.objects.create(
                    message_id=message_id,
                    esp=esp[:40],
                    from_email=sender.address[:254],
                    to=", ".join(a.addr_spec for a in message.to)[:1000],
                    subject=(message.subject or "")[:300],
                    received_at=now,
                    outcome=InboundEmail.Outcome.INVALID,
                )
        except IntegrityError:
            log.info("inbound e-mail %s delivered again: ignored", message_id)
            return InboundEmail.objects.get(message_id=message_id)
        try:
            with transaction.atomic():
                _handle(record, message, sender, now)
        except DomainError as error:  # kept in the log for an agent to look at, not lost
            log.warning("inbound e-mail %s not handled: %s", message_id, error.detail)
            record.outcome, record.ticket, record.comment = InboundEmail.Outcome.INVALID, None, None
            record.note = f"Not handled: {error.detail}"[:300]
        record.save()
    return record


def _handle(record: InboundEmail, message, sender: Sender, now) -> None:
    Outcome = InboundEmail.Outcome
    if not sender.address:
        record.note = "No sender address."
        return
    if is_our_own(message, sender):
        record.outcome = Outcome.LOOP
        return
    if is_bounce(message):
        record.outcome = Outcome.BOUNCE
        record.ticket = _record_bounce(message, now)
        return
    if is_automatic(message):
        record.outcome = Outcome.AUTO_REPLY
        return
    ticket = find_ticket(message, sender)
    if ticket is not None:
        if not services.closed_for_replies(ticket, now):
            record.outcome, record.ticket = Outcome.REPLY, ticket
            record.comment = _add_reply(ticket, message, sender, now)
            _remember(ticket, record, record.comment, now)
            return
        previous = ticket
    else:
        previous = None
    contact = sender.contact
    if contact is None and sender.user is None:
        contact, accepted = contact_for_unknown(sender)
        if not accepted:
            record.outcome = Outcome.UNKNOWN_SENDER
            record.note = "Unknown sender refused by SFA_INBOUND_UNKNOWN_SENDERS=reject."
            return
    ticket = _open_ticket(message, sender, contact, now, follow_up_of=previous)
    record.outcome = Outcome.FOLLOW_UP if previous else Outcome.CREATED
    record.ticket = ticket
    _remember(ticket, record, None, now)
    if _recent_tickets_from(sender.address, now) < settings.SFA_INBOUND_ACKS_PER_HOUR:
        send_acknowledgement(ticket)
    else:
        record.note = "No acknowledgement: too many tickets from this address in the last hour."


def _remember(ticket: Ticket, record: InboundEmail, comment, now) -> None:
    TicketMessageId.objects.get_or_create(
        message_id=record.message_id,
        defaults={
            "ticket": ticket,
            "direction": TicketMessageId.Direction.INBOUND,
            "comment": comment,
            "created_at": now,
        },
    )


def _open_ticket(message, sender: Sender, contact, now, *, follow_up_of=None) -> Ticket:
    data = {
        "subject": clean_subject(message.subject)[:250],
        "description": body_of(message, reply=follow_up_of is not None),
        "channel": Ticket.Channel.EMAIL,
        "requester_email": sender.address,
    }
    if contact is not None:
        data["contact"] = contact
        data["account"] = contact.account
    team = settings.SFA_INBOUND_TEAM
    if team:
        from sfa.core.models import Team

        data["team"] = Team.objects.filter(name=team).first()
        if data["team"] is None:
            del data["team"]
    uploads, refused = uploads_of(message)
    ticket = services.ticket_create(
        actor=None, data=data, now=now, acknowledge=False, uploads=uploads
    )
    if follow_up_of is not None:
        services.link_follow_up(ticket, follow_up_of, now)
    _note_refused(ticket, refused, now)
    return ticket


def _add_reply(ticket: Ticket, message, sender: Sender, now) -> TicketComment:
    body = body_of(message, reply=True)
    uploads, refused = uploads_of(message)
    if sender.user is not None and sender.contact is None:
        # an agent answering from their mail program: a public reply, e-mailed on to the
        # customer unless the customer was among the recipients already
        recipients = {a.addr_spec.lower() for a in [*message.to, *message.cc]}
        comment = services.ticket_reply(
            ticket=ticket,
            actor=sender.user,
            body=body,
            public=True,
            now=now,
            via=TicketComment.Via.EMAIL,
            notify_customer=customer_address(ticket).lower() not in recipients,
            uploads=uploads,
        )
    else:
        comment = services.customer_reply(
            ticket=ticket,
            body=body,
            contact=sender.contact,
            now=now,
            via=TicketComment.Via.EMAIL,
            author_email=sender.address,
            uploads=uploads,
        )
    _note_refused(ticket, refused, now)
    return comment


def _record_bounce(message, now) -> Ticket | None:
    """A delivery failure of one of our ticket e-mails: the outbox row is marked bounced and
    the ticket gets an internal note, so the agent knows the customer did not get it."""
    own = message_id_of(message)
    for candidate in dict.fromkeys(MESSAGE_ID.findall(report_text(message))):
        if candidate == own:
            continue
        known = (
            TicketMessageId.objects.filter(
                message_id=candidate, direction=TicketMessageId.Direction.OUTBOUND
            )
            .select_related("ticket")
            .first()
        )
        if known is None:
            continue
        OutgoingEmail.objects.filter(**{"headers__Message-ID": f"<{candidate}>"}).update(
            status=OutgoingEmail.Status.BOUNCED, last_error=(message.subject or "bounced")[:2000]
        )
        ticket = _follow_merges(known.ticket)
        services.ticket_system_note(
            ticket,
            f"An e-mail to {customer_address(ticket) or 'the customer'} bounced "
            f"({message.subject or 'delivery failure'}). Check the address.",
            now,
        )
        return ticket
    return None
