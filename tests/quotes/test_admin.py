"""The quote admin is read-mostly: lists and shows quotes, changes only internal notes."""

import pytest

from quotes import services
from quotes.models import ApprovalRule, TermsTemplate

pytestmark = pytest.mark.django_db


def test_admin_shows_a_quote_read_only_but_its_internal_notes(client_for, administrator, account):
    quote = services.quote_create(
        actor=administrator,
        data={"account": account},
        lines=[{"description": "Service", "unit_price": "100"}],
    )
    client = client_for(administrator)
    assert quote.number in client.get("/admin/quotes/quote/").content.decode()
    html = client.get(f"/admin/quotes/quote/{quote.pk}/change/").content.decode()
    assert 'name="internal_notes"' in html
    assert 'name="title"' not in html
    assert 'name="lines-0-unit_price"' not in html
    assert client.get("/admin/quotes/quote/add/").status_code == 403
    assert client.get(f"/admin/quotes/quote/{quote.pk}/delete/").status_code == 403


def test_admin_edits_templates_and_approval_rules(client_for, administrator):
    TermsTemplate.objects.create(name="Standard", body="Ex works.")
    ApprovalRule.objects.create(name="Contract review", check_credit=True)
    client = client_for(administrator)
    assert "Standard" in client.get("/admin/quotes/termstemplate/").content.decode()
    assert "Contract review" in client.get("/admin/quotes/approvalrule/").content.decode()
    assert client.get("/admin/quotes/approvalrule/add/").status_code == 200
