"""``@username`` in a reply or an internal note: the colleague becomes a watcher (so they may
read the ticket) and gets one e-mail per comment.

A mention is ``@`` at the start of a word followed by a username (letters, digits and
``_ . + -``, not ending in a dot): ``@alex``, ``(@Alex.Agent)``. An e-mail address such as
``a@b.example`` is no mention (the ``@`` follows a word character). Usernames match
case-insensitively; only active staff users who may read tickets count; never the author.
"""

import re

from django.conf import settings
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sfa.core.forms import staff_users
from sfa.core.mail import email_queue
from tickets.models import TicketComment

MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*\w)")
MAX_MENTIONS = 20  # per comment: a pasted list of names does not mail the whole company


def mentioned_names(text: str) -> list[str]:
    """The usernames mentioned in ``text``, lower-cased, in order, each once."""
    names: list[str] = []
    for match in MENTION.finditer(text or ""):
        name = match.group(1).casefold()
        if name not in names:
            names.append(name)
    return names[:MAX_MENTIONS]


def mentioned_users(text: str):
    """The active staff users mentioned in ``text`` who may read tickets."""
    names = mentioned_names(text)
    if not names:
        return []
    match = Q()
    for name in names:
        match |= Q(username__iexact=name)
    users = staff_users().filter(match).order_by("pk")
    return [user for user in users if user.has_perm("tickets.view_ticket")]


def _display(user) -> str:
    return user.get_full_name() or user.username


def notify_mentions(comment: TicketComment) -> list:
    """Call right after a staff comment is created (in its transaction): mentioned colleagues
    become watchers (the assignee needs not) and are e-mailed once; the author is skipped.
    Returns the users notified."""
    ticket = comment.ticket
    people = [u for u in mentioned_users(comment.body) if u.pk != comment.author_id]
    if not people:
        return []
    watchers = [u for u in people if u.pk != ticket.assignee_id]
    if watchers:
        ticket.watchers.add(*watchers)
    author = _display(comment.author) if comment.author_id else "A colleague"
    url = f"{settings.SFA_BASE_URL}/tickets/{ticket.pk}/#comment-{comment.pk}"
    for user in people:
        if not user.email:
            continue
        email_queue(
            kind="tickets.mention",
            to=[user.email],
            template="tickets/emails/mention",
            context={
                "ticket": ticket,
                "comment": comment,
                "author": author,
                "recipient": user,
                "url": url,
            },
            related=ticket,
            actor=comment.author,
            metadata={"comment": comment.pk, "user": user.pk},
        )
    return people


def highlight(text: str, known: frozenset[str] | set[str] | None = None) -> SafeString:
    """``text`` escaped, line breaks as ``<br>``, mentions of ``known`` usernames (lower-case;
    None: every mention) wrapped in ``<mark class="mention">``."""
    escaped = escape(text or "")  # the username characters are never escaped

    def wrap(match: re.Match) -> str:
        name = match.group(1)
        if known is not None and name.casefold() not in known:
            return match.group(0)
        return f'<mark class="mention">@{name}</mark>'

    marked = MENTION.sub(wrap, escaped)
    lines = marked.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return mark_safe("<br>".join(lines))  # every piece escaped above
