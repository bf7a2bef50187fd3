"""Reading a received e-mail (anymail's ``AnymailInboundMessage``): its ids, whether a robot
or a bounce sent it, its new text without the quoted conversation, its subject without prefixes.
Pure functions of the message; what the desk does with it is ``tickets.inbound``."""

import hashlib
import html
import re

from django.utils.html import strip_tags

from tickets.emails import REPLY_MARKER

NUMBER_IN_SUBJECT = re.compile(r"\b(T-\d{4}-\d{3,})\b", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ _-]?(reply|response|antwort)|out of (the )?office|abwesenheit"
    r"|réponse automatique|autosvar|respuesta automática)",
    re.IGNORECASE,
)
BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
# Where a quoted earlier message starts in a reply.
QUOTE_STARTS = (
    re.compile(r"^\s*" + re.escape(REPLY_MARKER)),
    re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Am\b.{0,200}\bschrieb.{0,80}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\b.{0,200}\ba écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}", re.IGNORECASE),
    re.compile(r"^\s*_{20,}\s*$"),
    re.compile(r"^\s*From:\s.+$", re.IGNORECASE),  # Outlook's header block of the quote
)


def message_id_of(message) -> str:
    """The message's Message-ID without brackets, or a stable stand-in for messages without
    one (hash of sender, date, subject and body), so redeliveries are still recognised."""
    found = MESSAGE_ID.search(message.get("Message-ID", "") or "")
    if found:
        return found.group(1)[:250]
    basis = "\n".join(
        str(part)
        for part in (message.get("From"), message.get("Date"), message.subject, message.text)
    )
    return "sha256:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()


def referenced_ids(message) -> list[str]:
    values = " ".join(
        message.get(name, "") or "" for name in ("In-Reply-To", "References")
    )  # In-Reply-To first: it is the message answered
    return list(dict.fromkeys(MESSAGE_ID.findall(values)))


def _local_part(address: str) -> str:
    return address.split("@", 1)[0].lower()


def is_bounce(message) -> bool:
    content_type = message.get_content_type()
    report = (message.get_param("report-type") or "").lower()
    if content_type == "multipart/report" and report == "delivery-status":
        return True
    sender = message.from_email.addr_spec if message.from_email else ""
    return _local_part(sender) in BOUNCE_SENDERS


def is_automatic(message) -> bool:
    """An out-of-office or other robot reply, or bulk mail: never a ticket, never answered."""
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    if auto_submitted != "no":
        return True
    if any(message.get(name) for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder")):
        return True
    if (message.get("Precedence") or "").strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return True
    if message.get("X-Auto-Response-Suppress") and AUTO_SUBJECT.search(message.subject or ""):
        return True
    if getattr(message, "envelope_sender", None) == "":  # null return path: a robot's message
        return True
    return bool(AUTO_SUBJECT.search(message.subject or ""))


def html_to_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>", "\n", markup)
    markup = re.sub(r"(?i)</(p|div|li|tr|h[1-6]|blockquote)>", "\n", markup)
    text = html.unescape(strip_tags(markup))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def strip_quoted(text: str) -> str:
    """The new part of a reply: up to the first line that starts the quoted conversation."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if any(pattern.match(line) for pattern in QUOTE_STARTS):
            lines = lines[:index]
            break
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(lines).strip()


def body_of(message, *, reply: bool) -> str:
    text = getattr(message, "stripped_text", None) if reply else None
    text = text or message.text or (html_to_text(message.html) if message.html else "")
    text = text.replace("\r\n", "\n").strip()
    if reply:
        text = strip_quoted(text) or text
    return text or "(no text)"


def clean_subject(subject: str) -> str:
    """Without reply prefixes and our ticket number."""
    subject = NUMBER_IN_SUBJECT.sub("", subject or "")
    subject = re.sub(r"^\s*((re|aw|fwd?|wg|sv|antw)\s*:\s*|\[\s*\]\s*)+", "", subject, flags=re.I)
    return " ".join(subject.split()).strip(" -:") or "(no subject)"


def report_text(message) -> str:
    """A bounce's readable parts and the headers of the returned message (a part of type
    message/rfc822 or text/rfc822-headers), decoded."""
    chunks = []
    for part in message.walk():
        chunks.append(part.get("Message-ID", "") or "")
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True) or b""
            chunks.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(chunks)
