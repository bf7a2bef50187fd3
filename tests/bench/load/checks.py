"""A sample of the loaded rows checked the app's way, so a model change that the set-based
SQL does not follow fails the load instead of skewing the benchmark.

The database already enforces NOT NULL, foreign keys, unique and check constraints; this adds
the model's own validation (choices, validators, ``clean()``: a quote's contact and deal are
its customer's) and the quote totals as ``quotes.services.compute_totals`` computes them.
"""

from leads.models import Lead
from opportunities.models import Opportunity
from quotes import services as quote_services
from quotes.models import Quote, QuoteLine
from sfa.core.fsm import full_clean
from sfa.customers.models import Account, Contact
from tickets.models import Ticket

SAMPLE = 100
MODELS = (Account, Contact, Lead, Opportunity, Quote, QuoteLine, Ticket)


class DataCheckFailed(RuntimeError):
    pass


def _sample(model) -> list:
    """About ``SAMPLE`` rows spread evenly over the ids."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    step = max(1, last // SAMPLE)
    return list(model.objects.filter(pk__in=range(1, last + 1, step)))


def _invalid_rows(model) -> list[str]:
    found = []
    for row in _sample(model):
        try:
            full_clean(row)
        except Exception as error:  # whatever the model says, reported with the row
            found.append(f"{model.__name__} {row.pk}: {getattr(error, 'message_dict', error)}")
    return found


def _totals_differ(quote: Quote) -> str | None:
    rows = list(quote.lines.order_by("position", "pk"))
    stored = (quote.subtotal, quote.discount_total, quote.tax_total, quote.total,
              quote.tax_summary, [(r.line_total, r.tax_amount) for r in rows])  # fmt: skip
    quote_services.compute_totals(quote, rows)
    computed = (quote.subtotal, quote.discount_total, quote.tax_total, quote.total,
                quote.tax_summary, [(r.line_total, r.tax_amount) for r in rows])  # fmt: skip
    return None if stored == computed else f"Quote {quote.pk}: totals {stored} ≠ {computed}"


def check_samples() -> int:
    """Raise ``DataCheckFailed`` naming the first problems; return the rows checked."""
    problems, checked = [], 0
    for model in MODELS:
        problems += _invalid_rows(model)
        checked += SAMPLE
    for quote in _sample(Quote)[:50]:
        if (problem := _totals_differ(quote)) is not None:
            problems.append(problem)
    if problems:
        raise DataCheckFailed("loaded rows the app would refuse:\n  " + "\n  ".join(problems[:10]))
    return checked
