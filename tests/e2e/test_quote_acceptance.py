"""A customer opens the signed link from the quote e-mail and accepts the quote (no login)."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quotes import services
from quotes.acceptance import acceptance_token
from sfa.core.models import OutgoingEmail
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sent_quote(rep1, account):
    contact = factories.ContactFactory(account=account, first_name="Greta", last_name="Holm")
    draft = services.quote_create(
        actor=rep1,
        data={"account": account, "contact": contact, "issue_date": timezone.localdate()},
        lines=[{"description": "Lathe L-200", "quantity": Decimal(2), "unit_price": "1000"}],
    )
    return services.quote_mark_sent(quote=draft, actor=rep1)


def test_a_customer_accepts_a_quote_through_the_signed_link(new_page, live_server, sent_quote):
    page = new_page()
    page.goto(f"{live_server.url}/q/{acceptance_token(sent_quote)}/")
    expect(page.get_by_role("heading", name=f"Quote {sent_quote.number}")).to_be_visible()
    expect(page.get_by_role("cell", name="Lathe L-200")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    accept = page.get_by_role("form", name="Accept the quote")
    accept.get_by_label("Your name").fill("Greta Holm")
    accept.get_by_role("button", name="Accept quote").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("you accepted this quote"))
    expect(page.get_by_role("button", name="Accept quote")).to_have_count(0)
    sent_quote.refresh_from_db()
    assert (sent_quote.state, sent_quote.answered_by_name) == ("accepted", "Greta Holm")
    assert sent_quote.answer_ip == "127.0.0.1"
    assert OutgoingEmail.objects.filter(kind="quotes.quote_accepted").count() == 1
