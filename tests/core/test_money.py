from decimal import Decimal

from sfa.core.money import document_totals, line_amounts, money


def test_money_rounds_half_up_to_cents():
    assert money("2.345") == Decimal("2.35")
    assert money("2.344") == Decimal("2.34")
    assert money("-2.345") == Decimal("-2.35")


def test_line_amounts_round_each_step_per_line():
    line = line_amounts(
        quantity=Decimal("3"),
        unit_price=Decimal("19.99"),
        discount_percent=Decimal("12.5"),
        tax_rate=Decimal("19"),
    )
    assert line.gross == Decimal("59.97")
    assert line.discount == Decimal("7.50")  # 7.49625
    assert line.net == Decimal("52.47")
    assert line.tax == Decimal("9.97")  # 9.9693


def test_document_totals_add_up_mixed_tax_rates():
    lines = [
        line_amounts(quantity=2, unit_price=Decimal("100.00"), tax_rate=Decimal("19")),
        line_amounts(
            quantity=1, unit_price=Decimal("50.00"), discount_percent=10, tax_rate=Decimal("7")
        ),
    ]
    totals = document_totals(lines)
    assert totals.subtotal == Decimal("250.00")
    assert totals.discount_total == Decimal("5.00")
    assert totals.tax_total == Decimal("41.15")  # 38.00 + 3.15
    assert totals.total == Decimal("286.15")
