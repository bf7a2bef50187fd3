"""Sending a quote by e-mail: from its owner, to the customer's contacts, the PDF attached.

``quote_send`` marks the quote sent (or holds it for approval, sending nothing) and, in the same
transaction, queues the e-mail in the outbox (held until its PDF is attached) and logs it on the
customer. After the commit ``quote_pdf_render_task`` stores the version's PDF, attaches it and
releases the e-mail; a send that rolls back leaves no file and no e-mail. The message comes
from an e-mail template (``TermsTemplate`` of kind "email") that the sender may edit.
"""

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string

from quotes import services
from quotes.acceptance import acceptance_url
from quotes.models import Quote, TermsTemplate
from sfa.core.exceptions import InvalidInput, TransitionRefused
from sfa.core.mail import email_queue
from sfa.customers.models import Activity, Contact
from sfa.customers.services import activity_log

MESSAGE_MAX_LENGTH = 20_000
SENDABLE_STATES = (Quote.State.DRAFT, Quote.State.APPROVED, Quote.State.SENT)
# E-mail templates are written by managers: rendered without loaders (no {% include %}) and
# shown only these fields, never whole records (a user row holds its password hash).
_TEMPLATES = Engine(autoescape=False)


class _Fields:
    """A record as an e-mail template sees it: its text and a few named values."""

    def __init__(self, text: str, **values):
        self._text = text
        self.__dict__.update(values)

    def __str__(self) -> str:
        return self._text


def _template_context(*, quote: Quote, contact: Contact | None, owner) -> dict:
    owner_name = owner.get_full_name() or owner.get_username()
    return {
        "quote": _Fields(
            quote.display_number,
            number=quote.number,
            display_number=quote.display_number,
            version=quote.version,
            title=quote.title,
            total=quote.total,
            currency=quote.currency,
            issue_date=quote.issue_date,
            valid_until=quote.valid_until,
            account=quote.account.name,
        ),
        "contact": _Fields(
            contact.full_name,
            first_name=contact.first_name,
            last_name=contact.last_name,
            full_name=contact.full_name,
            salutation=contact.get_salutation_display(),
            title=contact.title,
        )
        if contact is not None
        else "",
        "owner": _Fields(
            owner_name,
            first_name=owner.first_name,
            last_name=owner.last_name,
            full_name=owner_name,
            email=owner.email,
            phone=getattr(owner, "phone", ""),
            job_title=getattr(owner, "job_title", ""),
        ),
        "link": acceptance_url(quote),
        "company": settings.SFA_COMPANY_NAME,
    }


def email_templates():
    return TermsTemplate.objects.filter(kind=TermsTemplate.Kind.EMAIL, is_active=True)


def default_subject(quote: Quote) -> str:
    title = f": {quote.title}" if quote.title else ""
    return f"Quote {quote.display_number}{title} — {settings.SFA_COMPANY_NAME}"[:300]


def render_message(
    *, quote: Quote, contact: Contact | None, owner, template: TermsTemplate | None = None
) -> str:
    """The message to prefill: ``template`` (else the default e-mail template, else the
    built-in text) rendered with ``{{ quote }}``, ``{{ contact }}``, ``{{ owner }}`` and
    ``{{ link }}``. A template with a syntax error comes back unrendered for the sender to fix.
    """
    if template is None:
        template = email_templates().filter(is_default=True).first()
    context = _template_context(quote=quote, contact=contact, owner=owner)
    if template is None:
        return render_to_string("quotes/emails/default_message.txt", context).strip()
    try:
        return _TEMPLATES.from_string(template.body).render(Context(context)).strip()
    except TemplateSyntaxError:
        return template.body


def _recipients(quote: Quote, contacts, field: str) -> list[Contact]:
    chosen = list(dict.fromkeys(contacts or []))
    problems = [
        f"{contact} is a contact of another customer."
        for contact in chosen
        if contact.account_id != quote.account_id
    ]
    problems += [
        f"{contact} has no e-mail address." if contact.is_active else f"{contact} is archived."
        for contact in chosen
        if contact.account_id == quote.account_id and not (contact.email and contact.is_active)
    ]
    if problems:
        raise InvalidInput(problems[0], fields={field: problems})
    return chosen


def _check_input(quote: Quote, to, cc, subject: str, message: str):
    to = _recipients(quote, to, "to")
    cc = [c for c in _recipients(quote, cc, "cc") if c not in to]
    errors = {}
    if not to:
        errors["to"] = ["Choose at least one contact."]
    if not subject.strip():
        errors["subject"] = ["Give the e-mail a subject."]
    if not message.strip():
        errors["message"] = ["Write a message."]
    elif len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = [f"At most {MESSAGE_MAX_LENGTH} characters."]
    if errors:
        raise InvalidInput(fields=errors)
    return to, cc


def _sender(owner) -> tuple[str, list[str]]:
    """From "<owner's name> <our address>", answers to the owner."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    name = owner.get_full_name() or owner.get_username()
    return str(Address(display_name=name, addr_spec=address)), [owner.email] if owner.email else []


def ensure_sendable(quote: Quote) -> None:
    """409 unless the quote is a draft, approved, or sent (sent again)."""
    if quote.state not in SENDABLE_STATES:
        raise TransitionRefused(
            f"Quote {quote} is {quote.get_state_display().lower()}; it cannot be sent.",
            code="transition_not_allowed",
        )


def _mark_sent(quote: Quote, actor, note: str) -> Quote:
    """The locked quote, sent: a draft or approved one now; an already sent (and still valid)
    one goes out again, to whoever was not on the first e-mail."""
    current = Quote.objects.select_for_update().select_related("account", "owner").get(pk=quote.pk)
    ensure_sendable(current)
    if current.state == Quote.State.SENT:
        if current.is_past_validity():
            raise TransitionRefused(
                f"The quote was valid until {current.valid_until}; revise it.",
                code="quote_expired",
            )
        services.quote_pdf_render_on_commit(current)  # its stored PDF goes with this e-mail
        return current
    return services.quote_mark_sent(quote=current, actor=actor, note=note)


@transaction.atomic
def quote_send(
    *, quote: Quote, actor, to: list[Contact], cc: list[Contact] = (), subject: str, message: str
) -> Quote:
    """Send the quote by e-mail. A draft that needs approval is held instead and nothing is
    sent: the returned quote is ``pending_approval`` and its ``approval_reasons`` say why."""
    to, cc = _check_input(quote, to, cc, subject, message)
    addresses = ", ".join(c.email for c in to)
    quote = _mark_sent(quote, actor, note=f"e-mailed to {addresses}")
    if quote.state != Quote.State.SENT:
        return quote
    link = acceptance_url(quote)
    from_email, reply_to = _sender(quote.owner)
    filename = quote.pdf_filename
    email_queue(
        kind="quotes.quote_sent",
        to=[c.email for c in to],
        cc=[c.email for c in cc],
        template="quotes/emails/quote_sent",
        context={
            "quote": quote,
            "subject": subject.strip(),
            "message": message.strip(),
            "link": link,
            "link_in_message": link in message,
        },
        related=quote,
        actor=actor,
        from_email=from_email,
        reply_to=reply_to,
        metadata={"quote_id": str(quote.pk)},
        hold=True,  # until quote_pdf_render_task attaches the PDF
    )
    copies = f"\nCc: {', '.join(c.email for c in cc)}" if cc else ""
    activity_log(
        actor=actor,
        kind=Activity.Kind.EMAIL,
        account=quote.account,
        regarding=quote,
        contact=to[0],
        subject=f"Quote {quote.display_number} sent: {subject.strip()}"[:200],
        body=f"To: {addresses}{copies}\nAttached: {filename}\n\n{message.strip()}",
    )
    return quote
