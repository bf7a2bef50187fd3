"""Quote PDFs with WeasyPrint, from ``quotes/pdf/quote.html`` and its print stylesheet.

A sent version's PDF is stored once (``Quote.pdf``), by a task after the send commits, and
never rendered again; drafts and held quotes render on demand with a "DRAFT" watermark.

Everything the template prints is prepared here as text (amounts formatted, positions
numbered), so the template stays dumb and the query count does not depend on the number of
lines: the quote's related records load once, the lines in one query with their products.
Resources load from local files only (the logo by ``file:`` URL); the renderer never touches
the network.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.numberformat import format as number_format

from quotes.models import Quote, QuoteLine
from sfa.core.money import money

logger = logging.getLogger(__name__)

TEMPLATE = "quotes/pdf/quote.html"
FINAL_STATES = (
    Quote.State.SENT,
    Quote.State.ACCEPTED,
    Quote.State.REJECTED,
    Quote.State.EXPIRED,
    Quote.State.SUPERSEDED,
)
RELATED = ("account", "contact", "owner", "payment_terms")
MINUS = "\u2212"


# Formatting --------------------------------------------------------------------------------------


def money_text(value) -> str:
    """An amount as printed: two places, thousands grouped, a typographic minus
    (``Decimal("-1234.5")`` → ``"−1,234.50"``)."""
    text = number_format(money(value), ".", 2, 3, ",", force_grouping=True)
    return text.replace("-", MINUS)


def number_text(value) -> str:
    """A quantity or percentage without trailing zeros (``"2"``, ``"1.5"``, ``"12,000"``)."""
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, ".", places, 3, ",", force_grouping=True)


# What the template prints ------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedLine:
    kind: str  # item, section or text
    position: str = ""
    code: str = ""
    description: str = ""
    quantity: str = ""
    unit: str = ""
    unit_price: str = ""
    discount: str = ""
    tax_rate: str = ""
    total: str = ""


@dataclass(frozen=True)
class TotalRow:
    label: str
    amount: str
    note: str = ""
    css: str = ""


def _printed_lines(lines: list[QuoteLine]) -> list[PrintedLine]:
    """Item lines numbered 1, 2, 3… (headings and text lines carry only their text)."""
    printed, position = [], 0
    for line in lines:
        if not line.is_item:
            printed.append(PrintedLine(kind=line.kind, description=line.description))
            continue
        position += 1
        product = line.product
        printed.append(
            PrintedLine(
                kind=line.kind,
                position=str(position),
                code=product.code if product else "",
                description=line.description or (product.name if product else ""),
                quantity=number_text(line.quantity),
                unit=line.unit or (product.unit if product else ""),
                unit_price=money_text(line.unit_price),
                discount=f"{number_text(line.discount_percent)} %" if line.discount_percent else "",
                tax_rate=f"{number_text(line.tax_rate)} %",
                total=money_text(line.line_total),
            )
        )
    return printed


def _tax_rows(quote: Quote) -> list[TotalRow]:
    rows = [
        TotalRow(
            label=f"Tax {number_text(entry['rate'])} %",
            note=f"on {money_text(entry['base'])}",
            amount=money_text(entry["tax"]),
        )
        for entry in quote.tax_summary
    ]
    if len(rows) != 1:
        rows.append(TotalRow(label="Total tax", amount=money_text(quote.tax_total)))
    return rows


def _totals(quote: Quote) -> list[TotalRow]:
    """Subtotal, discounts, shipping, net, tax per rate, adjustment and the total, in the
    order they add up (rows that would print 0.00 are left out, except the taxes)."""
    rows = [TotalRow(label="Subtotal", amount=money_text(quote.subtotal))]
    if quote.discount_total:
        note = ""
        if quote.document_discount_percent:
            note = f"incl. {number_text(quote.document_discount_percent)} % on the quote"
        rows.append(TotalRow("Discounts", money_text(-quote.discount_total), note=note))
    if quote.shipping:
        rows.append(TotalRow("Shipping & handling", money_text(quote.shipping)))
    net = quote.subtotal - quote.discount_total + quote.shipping
    rows.append(TotalRow("Net amount", money_text(net), css="net"))
    rows.extend(_tax_rows(quote))
    if quote.adjustment:
        rows.append(TotalRow("Adjustment", money_text(quote.adjustment)))
    rows.append(TotalRow(f"Total {quote.currency}", money_text(quote.total), css="grand"))
    return rows


def _logo_url() -> str:
    if not settings.SFA_COMPANY_LOGO:
        return ""
    path = Path(settings.BASE_DIR, settings.SFA_COMPANY_LOGO)  # relative: to the project
    if not path.is_file():
        logger.warning("quotes.pdf.logo_missing: %s is not a file", path)
        return ""
    return path.resolve().as_uri()


def company() -> dict:
    """The letterhead, from the ``SFA_COMPANY_*`` settings."""
    address = [line.strip() for line in settings.SFA_COMPANY_ADDRESS.splitlines() if line.strip()]
    return {
        "name": settings.SFA_COMPANY_NAME,
        "address_lines": address,
        "sender_line": " · ".join([settings.SFA_COMPANY_NAME, *address]),
        "vat_id": settings.SFA_COMPANY_VAT_ID,
        "footer": settings.SFA_COMPANY_FOOTER,
        "logo_url": _logo_url(),
    }


def _lines(quote: Quote) -> list[QuoteLine]:
    return list(quote.lines.select_related("product").order_by("position", "pk"))


def quote_pdf_context(quote: Quote, *, draft: bool) -> dict:
    prefetch_related_objects([quote], *RELATED)  # loads only what is not loaded yet
    lines = _printed_lines(_lines(quote))
    return {
        "quote": quote,
        "account": quote.account,
        "lines": lines,
        "show_codes": any(line.code for line in lines),
        "totals": _totals(quote),
        "draft": draft,
        "company": company(),
        "ship_to_differs": bool(quote.ship_to.strip())
        and quote.ship_to.strip() != quote.bill_to.strip(),
    }


# Rendering and storing ---------------------------------------------------------------------------


def render_quote_pdf(quote: Quote, *, draft: bool | None = None) -> bytes:
    """The quote as a PDF; ``draft`` (default: not yet sent) adds the DRAFT watermark."""
    # Imported here: WeasyPrint takes a second to import, which every process that imports
    # the quote services (manage.py, workers) would pay without ever printing.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    if draft is None:
        draft = quote.state not in FINAL_STATES
    html = render_to_string(TEMPLATE, quote_pdf_context(quote, draft=draft))
    # Local files and inline data only: a PDF never waits on (or leaks to) the network.
    local_only = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_only)
    return document.write_pdf()


def _keep(quote: Quote, data: bytes, *, replacing: str = "") -> None:
    """Store ``data`` as the version's PDF, unless another one was stored meanwhile (then that
    one stays and ``quote.pdf`` points at it): a stored PDF is never replaced."""
    quote.pdf.save(quote.pdf_filename, ContentFile(data), save=False)
    name = quote.pdf.name
    if not Quote.objects.filter(pk=quote.pk, pdf=replacing).update(pdf=name):
        quote.pdf.storage.delete(name)
        quote.pdf.name = Quote.objects.values_list("pdf", flat=True).get(pk=quote.pk)


def store_pdf(quote: Quote) -> None:
    """Render and keep the PDF of a sent version (once: it never changes afterwards). Runs in
    ``quote_pdf_render_task`` after the send commits, outside any transaction."""
    if quote.pdf:
        return
    _keep(quote, render_quote_pdf(quote, draft=False))


def _stored(quote: Quote) -> bytes | None:
    if not quote.pdf:
        return None
    try:
        with quote.pdf.open("rb") as stored:
            return stored.read()
    except FileNotFoundError:
        logger.error("quotes.quote.pdf_missing: %s (quote %s)", quote.pdf.name, quote.pk)
        return None


def quote_pdf_bytes(quote: Quote) -> bytes:
    """The stored PDF of a sent version, else a fresh rendering (with the draft mark).

    A sent version without a stored file (sent before PDFs were kept, or the file is lost) is
    rendered without the mark and stored now, so it does not change from here on.
    """
    data = _stored(quote)
    if data is not None:
        return data
    if quote.state not in FINAL_STATES:
        return render_quote_pdf(quote)
    data = render_quote_pdf(quote, draft=False)
    _keep(quote, data, replacing=quote.pdf.name or "")
    return _stored(quote) or data  # another request's file, if it stored one first
