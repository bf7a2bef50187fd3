"""A sent quote and its people, shared by the customer's-answer tests (signed link, portal)."""

from decimal import Decimal

import pytest

from opportunities.services import opportunity_create
from quotes import services


@pytest.fixture
def deal(rep1, account, contact):
    return opportunity_create(
        actor=rep1, data={"title": "Lathes", "account": account, "contact": contact}
    )


@pytest.fixture
def quote(rep1, deal, django_capture_on_commit_callbacks):
    """A sent quote (its PDF stored after the commit), the only one of its opportunity."""
    draft = services.quote_from_opportunity(opportunity=deal, actor=rep1)
    services.quote_update(
        quote=draft,
        actor=rep1,
        data={},
        lines=[{"description": "Lathe L-200", "quantity": Decimal(2), "unit_price": "1000"}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.quote_mark_sent(quote=draft, actor=rep1)
