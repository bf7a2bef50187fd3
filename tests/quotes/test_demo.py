"""The demo loader of quotes: every state, a revision, multi-page quotes; safe to run twice."""

import random
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from opportunities.services import opportunity_create
from quotes import demo
from quotes.models import ApprovalRule, Quote, QuoteLine, TermsTemplate
from sfa.core.demo import DemoContext
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(rep1, rep2, sales_manager, monkeypatch):
    """Two demo customers, a dozen products, an open opportunity; one quote per state."""
    monkeypatch.setattr(demo, "PLAN", [(state, 1) for state in Quote.State.values])
    tax = factories.TaxRateFactory(rate=Decimal("19.00"))
    for index in range(12):
        factories.ProductFactory(code=f"P-{index:04d}", unit_price=Decimal("10.00"), tax_rate=tax)
    accounts = []
    for index, owner in enumerate([rep1, rep2]):
        account = factories.AccountFactory(code=f"D{index:04d}", owner=owner, branch=owner.branch)
        factories.ContactFactory(account=account)
        accounts.append(account)
    opportunity_create(
        actor=rep1,
        data={"title": "Lathes", "account": accounts[0]},
        lines=[{"description": "Lathe", "unit_price": Decimal("900"), "quantity": Decimal(1)}],
    )
    return DemoContext(
        rng=random.Random(7),
        today=timezone.localdate(),
        users={"rep1": rep1, "rep2": rep2, "salesmanager": sales_manager},
        log=lambda _: None,
    )


def test_demo_quotes_cover_every_state_and_a_second_run_adds_nothing(
    demo_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # sent versions' PDFs, after commit
        demo.load_demo_quotes(demo_world)
    counts = (Quote.objects.count(), QuoteLine.objects.count(), TermsTemplate.objects.count())
    demo.load_demo_quotes(demo_world)
    assert (Quote.objects.count(), QuoteLine.objects.count(), TermsTemplate.objects.count()) == (
        counts
    )
    assert set(Quote.objects.values_list("state", flat=True)) == set(Quote.State.values)
    assert ApprovalRule.objects.get().max_line_discount_percent == Decimal("20.00")
    superseded = Quote.objects.get(state="superseded")
    assert superseded.next_version.version == 2
    assert Quote.objects.filter(opportunity__isnull=False).exists()
    long = Quote.objects.annotate(n=Count("lines")).filter(n__gte=40)
    assert long.order_by().values("number").distinct().count() == demo.LONG_QUOTES
    assert QuoteLine.objects.filter(kind="section").exists()
    assert all(q.pdf for q in Quote.objects.filter(sent_at__isnull=False))
