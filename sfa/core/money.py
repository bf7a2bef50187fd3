"""Money: ``Decimal`` with two places, rounded half-up per line (DESIGN §6).

Every document (enquiry, quote, order, invoice, credit note) computes its lines and totals
here, so the same numbers come out everywhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal  # quantity × unit price
    discount: Decimal
    net: Decimal  # the line total shown on the document
    tax: Decimal


def line_amounts(*, quantity, unit_price, discount_percent=0, tax_rate=0) -> LineAmounts:
    gross = money(Decimal(quantity) * Decimal(unit_price))
    discount = money(gross * Decimal(discount_percent) / HUNDRED)
    net = gross - discount
    tax = money(net * Decimal(tax_rate) / HUNDRED)
    return LineAmounts(gross=gross, discount=discount, net=net, tax=tax)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


def document_totals(lines: Iterable[LineAmounts]) -> Totals:
    """``subtotal`` before discounts, ``total`` = subtotal − discounts + tax."""
    subtotal = discount_total = tax_total = ZERO
    for line in lines:
        subtotal += line.gross
        discount_total += line.discount
        tax_total += line.tax
    return Totals(subtotal, discount_total, tax_total, subtotal - discount_total + tax_total)


@dataclass(frozen=True)
class TaxLine:
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class PricedDocument:
    """The totals of a document with a document discount, shipping and an adjustment."""

    subtotal: Decimal  # Σ quantity × unit price
    discount_total: Decimal  # line discounts + the document discount
    shipping: Decimal
    tax_total: Decimal
    adjustment: Decimal
    total: Decimal
    tax_summary: tuple[TaxLine, ...]
    line_taxes: tuple[Decimal, ...]  # per priced line, after its share of the document discount


def price_document(
    lines: Iterable[tuple[LineAmounts, Decimal]],
    *,
    document_discount_percent=0,
    shipping=0,
    shipping_tax_rate=0,
    adjustment=0,
) -> PricedDocument:
    """``lines``: each line's amounts and tax rate. Every step rounds half-up per line: a
    line's share of the document discount, then its tax on what is left; shipping is taxed at
    its own rate; the adjustment (may be negative) is added last, untaxed. The tax summary has
    one row per rate, lowest first."""
    percent = Decimal(document_discount_percent)
    subtotal = discount_total = ZERO
    bases: dict[Decimal, Decimal] = {}
    taxes: dict[Decimal, Decimal] = {}
    line_taxes = []
    for amounts, rate in lines:
        rate = Decimal(rate)
        share = money(amounts.net * percent / HUNDRED)
        base = amounts.net - share
        tax = money(base * rate / HUNDRED)
        subtotal += amounts.gross
        discount_total += amounts.discount + share
        bases[rate] = bases.get(rate, ZERO) + base
        taxes[rate] = taxes.get(rate, ZERO) + tax
        line_taxes.append(tax)
    shipping = money(shipping)
    if shipping:
        rate = Decimal(shipping_tax_rate)
        bases[rate] = bases.get(rate, ZERO) + shipping
        taxes[rate] = taxes.get(rate, ZERO) + money(shipping * rate / HUNDRED)
    tax_total = sum(taxes.values(), ZERO)
    adjustment = money(adjustment)
    summary = tuple(
        TaxLine(rate=rate.quantize(CENT), base=bases[rate], tax=taxes[rate])
        for rate in sorted(bases)
    )
    total = subtotal - discount_total + shipping + tax_total + adjustment
    return PricedDocument(
        subtotal, discount_total, shipping, tax_total, adjustment, total, summary, tuple(line_taxes)
    )
