"""How long a quote PDF takes to render (WeasyPrint) for 1, 50 and 500 lines."""

from decimal import Decimal

import pytest
from django.utils import timezone

from quotes import services
from quotes.models import Quote
from quotes.pdf import render_quote_pdf


def quote_with(owner, account, size: int) -> Quote:
    lines = []
    for n in range(size):
        if n % 25 == 0 and size > 1:
            lines.append({"kind": "section", "description": f"Group {n // 25 + 1}"})
        lines.append(
            {
                "description": f"Bench article {n:04d}" + (" with a longer text" * (n % 3)),
                "quantity": str(n % 7 + 1),
                "unit_price": f"{(n * 37) % 2000 + 9.99:.2f}",
                "discount_percent": "5" if n % 5 == 0 else "0",
                "tax_rate": "19" if n % 3 else "7",
            }
        )
    quote = services.quote_create(
        actor=owner,
        data={
            "account": account,
            "issue_date": timezone.localdate(),
            "terms": "Prices net plus tax.\nDelivery ex works.",
            "shipping": Decimal("50"),
            "shipping_tax_rate": Decimal("19"),
        },
        lines=lines,
    )
    return Quote.objects.get(pk=quote.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "repeat"), [(1, 15), (50, 9), (500, 5)])
def test_bench_quote_pdf_render(rep1, account, timed, size, repeat):
    quote = quote_with(rep1, account, size)
    timed(f"render_quote_pdf, {size} line(s)", lambda: render_quote_pdf(quote), repeat=repeat)
