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
