"""Writes of quotes: build, price, approve, send, answer, revise, expire.

Totals are always computed here (``sfa.core.money.price_document``), never taken from input.
Only a draft can be changed; every other state is a record of what the customer was offered.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opportunities.models import Opportunity
from opportunities.services import opportunity_win
from quotes.models import ApprovalRule, Quote, QuoteLine, TermsTemplate
from quotes.pdf import FINAL_STATES, quote_pdf_bytes, store_pdf
from sfa.catalog.services import price_line
from sfa.core.exceptions import Conflict, InvalidInput, TransitionRefused
from sfa.core.fsm import ensure_transition, full_clean, transition_record
from sfa.core.mail import email_release
from sfa.core.models import OutgoingEmail
from sfa.core.money import line_amounts, price_document
from sfa.core.numbering import next_number
from sfa.customers.models import Account

DEFAULT_VALIDITY_DAYS = 30
QUOTE_FIELDS = {
    "title", "account", "contact", "owner", "opportunity", "currency", "issue_date",
    "valid_until", "payment_terms", "delivery_period", "delivery_point", "bill_to", "ship_to",
    "introduction", "terms", "internal_notes", "document_discount_percent", "shipping",
    "shipping_tax_rate", "adjustment",
}  # fmt: skip
COPIED_FIELDS = QUOTE_FIELDS - {"issue_date", "valid_until"}
LINE_COPY = ("kind", "product", "description", "quantity", "unit", "unit_price",
             "discount_percent", "tax_rate")  # fmt: skip


# Addresses and defaults -----------------------------------------------------------------------


def address_text(record) -> str:
    """A printable address block: the record's name (if any) and its address lines."""
    name = getattr(record, "name", "") or ""
    return "\n".join(line for line in [name, *record.address_lines()] if line)


def _default_ship_to(account: Account) -> str:
    ship_to = account.ship_to.filter(is_active=True).order_by("-is_default", "pk").first()
    if ship_to is None:
        return address_text(account)
    name = ship_to.recipient or account.name
    return "\n".join(line for line in [name, *ship_to.address_lines()] if line)


def _default_text(kind: str) -> str:
    template = TermsTemplate.objects.filter(kind=kind, is_default=True, is_active=True).first()
    return template.body if template else ""


def _apply_defaults(quote: Quote, data: dict) -> None:
    account = quote.account
    if "valid_until" not in data:
        quote.valid_until = quote.issue_date + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS)
    if "payment_terms" not in data and account.payment_terms_id:
        quote.payment_terms = account.payment_terms
    if "bill_to" not in data:
        quote.bill_to = address_text(account)
    if "ship_to" not in data:
        quote.ship_to = _default_ship_to(account)
    if "terms" not in data:
        quote.terms = _default_text(TermsTemplate.Kind.TERMS)
    if "introduction" not in data:
        quote.introduction = _default_text(TermsTemplate.Kind.INTRODUCTION)


# Lines and totals -----------------------------------------------------------------------------


def _line_rows(quote: Quote, lines: list[dict]) -> list[QuoteLine]:
    """Price the item lines (customer's price list on the issue date); headings and text lines
    carry only their text. Errors name the line: ``{"lines": {index: {field: [...]}}}``."""
    rows, errors = [], {}
    for index, data in enumerate(lines):
        kind = data.get("kind") or QuoteLine.Kind.ITEM
        try:
            if kind not in QuoteLine.Kind.values:
                raise InvalidInput(fields={"kind": ["Choose item, section or text."]})
            if kind == QuoteLine.Kind.ITEM:
                data = _numbers(data)
                priced = price_line(account=quote.account, data=data, on=quote.issue_date)
                rows.append(QuoteLine(quote=quote, position=index, kind=kind, **vars(priced)))
            else:
                text = (data.get("description") or "").strip()
                if not text:
                    raise InvalidInput(fields={"description": ["Give the heading or the text."]})
                rows.append(
                    QuoteLine(
                        quote=quote,
                        position=index,
                        kind=kind,
                        description=text[:500],
                        quantity=Decimal(1),
                        unit_price=Decimal(0),
                    )
                )
        except InvalidInput as error:
            errors[str(index)] = error.fields
    if errors:
        raise InvalidInput(fields={"lines": errors})
    return rows


def _numbers(data: dict) -> dict:
    """Numeric line input as ``Decimal`` (forms and the API send Decimals, callers may not)."""
    data = dict(data)
    for name in ("quantity", "unit_price", "discount_percent", "tax_rate"):
        value = data.get(name)
        if value is None or value == "" or isinstance(value, Decimal):
            data[name] = None if value == "" else value
            continue
        try:
            data[name] = Decimal(str(value))
        except InvalidOperation:
            raise InvalidInput(fields={name: ["Enter a number."]}) from None
    return data


def quote_line_rows(*, quote: Quote, lines: list[dict]) -> list[QuoteLine]:
    """Unsaved rows of ``lines``, priced as ``quote_create``/``quote_update`` price them (for
    live totals: pass the rows to ``compute_totals``); errors name the line as there."""
    return _line_rows(quote, list(lines))


def compute_totals(quote: Quote, rows: list[QuoteLine]):
    """Fill each item row's total and tax, and the quote's totals and tax summary."""
    items = [row for row in rows if row.is_item]
    amounts = [
        line_amounts(
            quantity=row.quantity,
            unit_price=row.unit_price,
            discount_percent=row.discount_percent,
            tax_rate=row.tax_rate,
        )
        for row in items
    ]
    priced = price_document(
        zip(amounts, [row.tax_rate for row in items], strict=True),
        document_discount_percent=quote.document_discount_percent,
        shipping=quote.shipping,
        shipping_tax_rate=quote.shipping_tax_rate,
        adjustment=quote.adjustment,
    )
    for row, amount, tax in zip(items, amounts, priced.line_taxes, strict=True):
        row.line_total, row.tax_amount = amount.net, tax
    for row in rows:
        if not row.is_item:
            row.line_total = row.tax_amount = Decimal("0.00")
    quote.subtotal, quote.discount_total = priced.subtotal, priced.discount_total
    quote.tax_total, quote.total = priced.tax_total, priced.total
    quote.tax_summary = [
        {"rate": str(t.rate), "base": str(t.base), "tax": str(t.tax)} for t in priced.tax_summary
    ]
    return priced


def _store_lines(quote: Quote, rows: list[QuoteLine]) -> None:
    quote.lines.all().delete()
    QuoteLine.objects.bulk_create(rows)


def _current_rows(quote: Quote) -> list[QuoteLine]:
    return list(quote.lines.select_related("product").order_by("position", "pk"))


# Approval ---------------------------------------------------------------------------------------


def approval_reasons(quote: Quote, rows: list[QuoteLine]) -> list[str]:
    """Why the quote must be approved before it is sent: one reason per rule that fires."""
    reasons = []
    account = quote.account
    for rule in ApprovalRule.objects.filter(is_active=True):
        limit = rule.max_line_discount_percent
        if limit is not None:
            over = [r for r in rows if r.is_item and r.discount_percent > limit]
            if over or quote.document_discount_percent > limit:
                top = max([r.discount_percent for r in over] + [quote.document_discount_percent])
                top = Decimal(top).quantize(Decimal("0.01"))
                reasons.append(f"{rule.name}: discount {top} % is above {limit} %")
        if rule.max_total is not None and quote.total > rule.max_total:
            reasons.append(f"{rule.name}: total {quote.total} is above {rule.max_total}")
        if rule.check_credit:
            if account.credit_hold:
                reasons.append(f"{rule.name}: {account.name} is on credit hold")
            elif account.credit_limit and quote.total > account.credit_limit:
                reasons.append(
                    f"{rule.name}: total {quote.total} exceeds the credit limit "
                    f"{account.credit_limit}"
                )
    return reasons


# Create and change ------------------------------------------------------------------------------


def _apply(quote: Quote, data: dict) -> None:
    unknown = set(data) - QUOTE_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(quote, name, value)


def _save_with_lines(quote: Quote, actor, rows: list[QuoteLine] | None) -> Quote:
    if rows is None:
        rows = _current_rows(quote)
    compute_totals(quote, rows)
    quote.approval_reasons = approval_reasons(quote, rows)
    quote._history_user = actor
    full_clean(quote)
    quote.save()
    for row in rows:
        row.quote = quote
    _store_lines(quote, rows)
    return quote


@transaction.atomic
def quote_create(*, actor, data: dict, lines: list[dict] = ()) -> Quote:
    """A new draft (version 1) with the next ``Q-<year>-<n>`` number."""
    quote = Quote(owner=actor)
    _apply(quote, data)
    if not quote.account_id:
        raise InvalidInput(fields={"account": ["Choose the customer."]})
    quote.branch = getattr(quote.owner, "branch", None)
    _apply_defaults(quote, data)
    rows = _line_rows(quote, list(lines))
    quote.number = next_number(kind="quote", year=quote.issue_date.year)
    return _save_with_lines(quote, actor, rows)


def _locked(quote: Quote) -> Quote:
    return Quote.objects.select_for_update().select_related("account").get(pk=quote.pk)


def _refuse_unless_draft(quote: Quote) -> None:
    if not quote.is_editable:
        raise Conflict(
            f"Quote {quote} is {quote.get_state_display().lower()}: only a draft can be "
            "changed; revise it to make a new version.",
            code="quote_read_only",
        )


@transaction.atomic
def quote_update(*, quote: Quote, actor, data: dict, lines: list[dict] | None = None) -> Quote:
    quote = _locked(quote)
    _refuse_unless_draft(quote)
    if "account" in data and data["account"] != quote.account:
        raise InvalidInput(fields={"account": ["The customer of a quote cannot change."]})
    _apply(quote, data)
    rows = _line_rows(quote, list(lines)) if lines is not None else None
    return _save_with_lines(quote, actor, rows)


def _copy_lines(source) -> list[dict]:
    """A document's lines as input for a quote (opportunity lines are all items)."""
    return [
        {name: getattr(line, name, QuoteLine.Kind.ITEM) for name in LINE_COPY}
        for line in source.lines.select_related("product").order_by("position", "pk")
    ]


@transaction.atomic
def quote_from_opportunity(*, opportunity: Opportunity, actor, data: dict | None = None) -> Quote:
    """A draft for the opportunity's customer and contact with its lines; the opportunity
    moves to "proposal" when it was earlier in the pipeline."""
    if not opportunity.is_open:
        raise Conflict("The opportunity is closed; reopen it first.", code="opportunity_closed")
    values = {
        "account": opportunity.account,
        "contact": opportunity.contact,
        "opportunity": opportunity,
        "currency": opportunity.currency,
        "title": opportunity.title,
        **(data or {}),
    }
    return quote_create(actor=actor, data=values, lines=_copy_lines(opportunity))


@transaction.atomic
def quote_duplicate(*, quote: Quote, actor) -> Quote:
    """A new quote (new number, draft) with the same customer, texts and lines."""
    data = {name: getattr(quote, name) for name in COPIED_FIELDS}
    data["owner"] = actor if actor.pk != quote.owner_id else quote.owner
    return quote_create(actor=actor, data=data, lines=_copy_lines(quote))


@transaction.atomic
def quote_revise(*, quote: Quote, actor, note: str = "") -> Quote:
    """The next version of a sent (or rejected, expired) quote, as a draft with the same number;
    the old version becomes superseded and keeps its PDF."""
    old = _locked(quote)
    ensure_transition(old.supersede, actor)
    new = Quote(number=old.number, version=old.version + 1, previous_version=old)
    for name in COPIED_FIELDS:
        setattr(new, name, getattr(old, name))
    new.branch = old.branch
    new.issue_date = timezone.localdate()
    span = max(old.valid_until - old.issue_date, datetime.timedelta(days=1))
    new.valid_until = new.issue_date + span
    rows = [
        QuoteLine(position=line.position, **{name: getattr(line, name) for name in LINE_COPY})
        for line in _current_rows(old)
    ]
    new = _save_with_lines(new, actor, rows)
    transition_record(old, "supersede", actor=actor, note=note or f"revised as v{new.version}")
    return new


# Transitions --------------------------------------------------------------------------------------


def quote_submit(*, quote: Quote, actor, note: str = "") -> Quote:
    """Hold a draft for approval (only when a rule asks for it)."""
    if not quote.approval_reasons:
        raise TransitionRefused("No approval rule applies to this quote; send it.")
    return transition_record(
        quote, "submit", actor=actor, note=note or "; ".join(quote.approval_reasons)
    )


def quote_approve(*, quote: Quote, actor, note: str = "") -> Quote:
    return transition_record(quote, "approve", actor=actor, note=note or "approved", by=actor)


def quote_send_back(*, quote: Quote, actor, reason: str) -> Quote:
    if not reason.strip():
        raise InvalidInput(fields={"reason": ["Say what has to change."]})
    return transition_record(quote, "send_back", actor=actor, note=reason.strip())


@transaction.atomic
def quote_mark_sent(*, quote: Quote, actor, note: str = "") -> Quote:
    """Draft (no approval needed) or approved → sent. A draft that an approval rule catches is
    held for approval instead (state ``pending_approval``; its reasons say why)."""
    quote = _locked(quote)
    if quote.state == Quote.State.DRAFT and quote.approval_reasons:
        return transition_record(
            quote, "submit", actor=actor, note="; ".join(quote.approval_reasons)
        )
    if quote.is_past_validity():
        raise TransitionRefused(f"The quote was valid until {quote.valid_until}; revise it.")
    name = "send_approved" if quote.state == Quote.State.APPROVED else "send"
    quote = transition_record(quote, name, actor=actor, note=note or "sent")
    quote_pdf_render_on_commit(quote)  # the version as sent, kept unchanged
    return quote


def quote_pdf_render_on_commit(quote: Quote) -> None:
    """Store the sent version's PDF (and send the e-mails waiting for it) once this commits:
    never while the send holds the quote's row lock, never for a send that rolls back."""
    from quotes.tasks import quote_pdf_render_task

    quote_pdf_render_task.delay_on_commit(quote.pk)


def quote_pdf_render(*, quote: Quote) -> int:
    """After a send commits (``quote_pdf_render_task``): render and store the sent version's
    PDF once, then attach it to the quote's e-mails that wait for it and queue them; returns
    how many. Idempotent: a stored PDF is not rendered again, a queued e-mail not touched."""
    if quote.state not in FINAL_STATES:
        return 0  # never sent: drafts render on demand
    store_pdf(quote)
    waiting = waiting_emails(quote)
    if not waiting:
        return 0
    attachment = (quote.pdf_filename, quote_pdf_bytes(quote), "application/pdf")
    return sum(email_release(email=email, attachments=[attachment]) for email in waiting)


def waiting_emails(quote: Quote) -> list[OutgoingEmail]:
    """The quote's e-mails held until its PDF is attached."""
    return list(
        OutgoingEmail.objects.filter(
            content_type=ContentType.objects.get_for_model(Quote),
            object_id=str(quote.pk),
            status=OutgoingEmail.Status.PREPARING,
        ).order_by("pk")
    )


def _other_open_quotes(quote: Quote):
    return Quote.objects.filter(opportunity_id=quote.opportunity_id, state__in=Quote.OPEN_STATES)


def _refuse_if_expired(quote: Quote) -> None:
    if quote.state == Quote.State.SENT and quote.is_past_validity():
        raise TransitionRefused(f"This quote expired on {quote.valid_until}.", code="quote_expired")


def _accept(
    quote: Quote, *, actor, name: str, comment: str, ip, channel: str, by_customer: bool
) -> Quote:
    """State, log and follow-ups (the opportunity won when this was its last open quote)
    commit together or not at all; twice, or after expiry, is a 409. ``by_customer``: the
    customer's own answer, which no staff permission governs."""
    if not name.strip():
        raise InvalidInput(fields={"name": ["Give your name."]})
    with transaction.atomic():
        quote = _locked(quote)
        _refuse_if_expired(quote)
        quote = transition_record(
            quote,
            "accept",
            actor=actor,
            note=f"accepted by {name}",
            check_permission=not by_customer,
            name=name.strip()[:200],
            comment=comment,
            ip=ip,
            channel=channel,
        )
        opportunity = quote.opportunity
        if opportunity is not None and opportunity.is_open:
            if not _other_open_quotes(quote).exclude(pk=quote.pk).exists():
                opportunity_win(
                    opportunity=opportunity,
                    actor=actor or quote.owner,
                    note=f"quote {quote} accepted",
                    check_permission=not by_customer,
                )
    return quote


def _reject(
    quote: Quote, *, actor, name: str, reason: str, comment, ip, channel, by_customer: bool
) -> Quote:
    if not reason.strip():
        raise InvalidInput(fields={"reason": ["Please tell us why."]})
    if not name.strip():
        raise InvalidInput(fields={"name": ["Give your name."]})
    with transaction.atomic():
        quote = _locked(quote)
        _refuse_if_expired(quote)
        return transition_record(
            quote,
            "reject",
            actor=actor,
            note=reason.strip(),
            check_permission=not by_customer,
            name=name.strip()[:200],
            reason=reason.strip()[:300],
            comment=comment,
            ip=ip,
            channel=channel,
        )


def quote_accept(
    *, quote: Quote, actor=None, name: str, comment: str = "", ip=None, channel: str = "link"
) -> Quote:
    """Staff record the customer's acceptance (a phone call: ``quotes.change_quote``)."""
    return _accept(
        quote, actor=actor, name=name, comment=comment, ip=ip, channel=channel, by_customer=False
    )


def quote_reject(
    *, quote: Quote, actor=None, name: str, reason: str, comment="", ip=None, channel="link"
) -> Quote:
    """Staff record the customer's rejection (``quotes.change_quote``)."""
    return _reject(
        quote,
        actor=actor,
        name=name,
        reason=reason,
        comment=comment,
        ip=ip,
        channel=channel,
        by_customer=False,
    )


def expire_due_quotes(today: datetime.date | None = None) -> int:
    """Open quotes (held, approved or sent) past their validity become expired; run daily."""
    today = today or timezone.localdate()
    due = Quote.objects.filter(
        Q(state__in=[Quote.State.PENDING_APPROVAL, Quote.State.APPROVED, Quote.State.SENT]),
        valid_until__lt=today,
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(due):
        with transaction.atomic():
            quote = Quote.objects.select_for_update().get(pk=pk)
            if quote.state in Quote.OPEN_STATES and quote.valid_until < today:
                transition_record(quote, "expire", actor=None, note="validity ended")
                done += 1
    return done


# The customer's own answer (signed link, portal) ----------------------------------------------


@transaction.atomic
def quote_customer_accept(
    *, quote: Quote, name: str, comment: str = "", ip=None, channel: str = "link", actor=None
) -> Quote:
    """The customer accepts (signed link, or ``actor`` their portal user, whose access the
    portal checked): the answer plus the owner's notice, committed together or not at all."""
    from quotes.acceptance import notify_owner_of_answer

    quote = _accept(
        quote, actor=actor, name=name, comment=comment, ip=ip, channel=channel, by_customer=True
    )
    notify_owner_of_answer(quote)
    return quote


@transaction.atomic
def quote_customer_reject(
    *, quote: Quote, name: str, reason: str, comment="", ip=None, channel="link", actor=None
) -> Quote:
    """The customer rejects: ``quote_customer_accept``'s twin."""
    from quotes.acceptance import notify_owner_of_answer

    quote = _reject(
        quote,
        actor=actor,
        name=name,
        reason=reason,
        comment=comment,
        ip=ip,
        channel=channel,
        by_customer=True,
    )
    notify_owner_of_answer(quote)
    return quote
