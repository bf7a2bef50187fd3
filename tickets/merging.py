"""Merge a duplicate ticket into another: one conversation, the duplicate closed with a pointer.

Rules (refusals are 409 and change nothing):

- any agent who may change tickets and sees both merges them (``tickets.change_ticket``);
- not into itself; not into a ticket that was itself merged (merge into the one it went
  into), nor a closed one (reopen it first);
- the duplicate may be new, open, pending or resolved; a closed one stays as it is;
- both belong to the same customer, or both to none: a merge never shows one customer's
  messages to another (the conversation of the target is what its portal users read).

What moves: the comments (keeping their times, so they interleave on the target), the
attachments, the e-mail Message-IDs (replies to the duplicate's mails thread into the
target), the watchers (plus the duplicate's assignee); the duplicate's request becomes an
internal note on the target, dated when the duplicate was opened. Both get a system note.
Nobody is e-mailed: the customer of the duplicate keeps talking to the same desk.
"""

from django.db import transaction
from django.utils import timezone

from sfa.core.exceptions import ActionForbidden, Conflict, RecordNotFound
from sfa.core.fsm import ensure_transition, transition_record
from tickets.models import Ticket, TicketAttachment, TicketComment, TicketMessageId
from tickets.notes import ticket_system_note
from tickets.selectors import ticket_visible_to


def _lock_both(source: Ticket, target: Ticket) -> tuple[Ticket, Ticket]:
    """Both rows under a lock, taken in pk order (two merges in opposite directions cannot
    deadlock)."""
    locked = {}
    for pk in sorted({source.pk, target.pk}):
        locked[pk] = Ticket.objects.select_for_update().get(pk=pk)
    return locked[source.pk], locked[target.pk]


def check_source_mergeable(source: Ticket) -> None:
    """409 when the duplicate itself cannot go anywhere (the API asks before the body)."""
    if source.merged_into_id:
        raise Conflict(f"{source.number} is merged already.", code="already_merged")
    if source.state == Ticket.State.CLOSED:
        raise Conflict(
            f"{source.number} is closed; closed tickets are not merged.", code="source_closed"
        )


def check_mergeable(source: Ticket, target: Ticket) -> None:
    if target.merged_into_id:
        raise Conflict(
            f"{target.number} was itself merged into another ticket; merge into that one.",
            code="target_merged",
        )
    check_source_mergeable(source)
    if target.state == Ticket.State.CLOSED:
        raise Conflict(
            f"{target.number} is closed; reopen it first or merge the other way round.",
            code="target_closed",
        )
    if source.account_id != target.account_id:
        raise Conflict(
            "The tickets belong to different customers; only tickets of the same customer "
            "(or both without one) are merged.",
            code="different_customers",
        )


def _requester(ticket: Ticket) -> str:
    if ticket.contact_id:
        contact = ticket.contact
        email = f"<{contact.email}>" if contact.email else ""
        return " ".join(part for part in (contact.full_name, email) if part)
    return ticket.requester_email


def _move_conversation(source: Ticket, target: Ticket) -> None:
    TicketComment.objects.filter(ticket=source).update(ticket=target)
    TicketAttachment.objects.filter(ticket=source).update(ticket=target)
    TicketMessageId.objects.filter(ticket=source).update(ticket=target)
    # duplicates merged into the source earlier now point at the target: one hop, always
    Ticket.objects.filter(merged_into=source).update(merged_into=target)
    watchers = set(source.watchers.values_list("pk", flat=True))
    if source.assignee_id:
        watchers.add(source.assignee_id)
    watchers.discard(target.assignee_id)
    if watchers:
        target.watchers.add(*watchers)


def ticket_merge(*, source: Ticket, target: Ticket, actor, now=None) -> Ticket:
    """Merge ``source`` (the duplicate) into ``target``; returns the target."""
    now = now or timezone.now()
    if source.pk == target.pk:
        raise Conflict("A ticket cannot be merged into itself.", code="merge_into_itself")
    if actor is not None:
        if not actor.has_perm("tickets.change_ticket"):
            raise ActionForbidden("You may not merge tickets.")
        if ticket_visible_to(actor).filter(pk__in=[source.pk, target.pk]).count() != 2:
            raise RecordNotFound("No such ticket.")
    with transaction.atomic():
        source, target = _lock_both(source, target)
        check_mergeable(source, target)
        ensure_transition(source.merge, actor)
        who = f" by {actor.get_full_name() or actor.username}" if actor is not None else ""
        _move_conversation(source, target)
        request = f"Merged from {source.number}: {source.subject}"
        requester = _requester(source)
        if requester:
            request += f" (from {requester})"
        description = source.description.strip() or "(no description)"
        ticket_system_note(target, f"{request}\n\n{description}", source.created_at)
        merged = f"{source.number} “{source.subject}” was merged into this ticket{who}."
        ticket_system_note(target, merged, now)
        ticket_system_note(source, f"Merged into {target.number} “{target.subject}”{who}.", now)
        transition_record(
            source, "merge", actor=actor, at=now, note=f"into {target.number}", into=target
        )
        Ticket.objects.filter(pk=target.pk).update(updated_at=now)
    return target


def ticket_by_reference(user, reference) -> Ticket | None:
    """The ticket ``user`` sees by its id (``42``) or number (``T-2026-00042``), or None."""
    text = str(reference).strip()
    if not text or "\x00" in text or len(text) > 40:
        return None
    visible = ticket_visible_to(user)
    if text.isascii() and text.isdigit():
        return visible.filter(pk=int(text)).first() if len(text) < 10 else None
    return visible.filter(number__iexact=text).first()
