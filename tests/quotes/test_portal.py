"""Quotes in the customer portal: the account's sent quotes only, the PDF as sent, and the
customer's answer through the same flow as the signed link (``quotes.acceptance``)."""

import pytest

from quotes import services
from tests import factories
from tests.quotes.answers import make_past_due, snapshot

pytestmark = pytest.mark.django_db


def test_the_portal_lists_the_accounts_sent_quotes_only(
    client_for, quote, portal_contact, rep1, account
):
    draft = services.quote_create(actor=rep1, data={"account": account, "title": "Not yet"})
    response = client_for(portal_contact.user).get("/portal/quotes/")
    assert response.status_code == 200
    assert list(response.context["quotes"]) == [quote]
    assert draft.number not in response.text


def test_a_portal_customer_accepts_in_the_portal(client_for, quote, portal_contact, deal):
    client = client_for(portal_contact.user)
    page = client.get(f"/portal/quotes/{quote.pk}/")
    response = client.post(
        f"/portal/quotes/{quote.pk}/accept/",
        {"accept-name": page.context["accept_form"].initial["name"]},
    )
    quote.refresh_from_db()
    deal.refresh_from_db()
    assert response.status_code == 302
    assert (quote.state, quote.answer_channel, quote.answered_by_name) == (
        "accepted",
        "portal",
        "Greta Holm",
    )
    assert deal.state == "won"


def test_accepting_twice_is_409_and_changes_nothing(client_for, quote, portal_contact):
    client = client_for(portal_contact.user)
    client.post(f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Greta Holm"})
    before = snapshot(quote)
    response = client.post(f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Greta"})
    assert response.status_code == 409
    assert snapshot(quote) == before


def test_rejecting_requires_a_reason(client_for, quote, portal_contact):
    client = client_for(portal_contact.user)
    response = client.post(f"/portal/quotes/{quote.pk}/reject/", {"reject-name": "Greta"})
    assert response.status_code == 400
    quote.refresh_from_db()
    assert quote.state == "sent"


def test_another_accounts_quote_is_404(client_for, quote):
    stranger = factories.portal_user_for(factories.ContactFactory())
    client = client_for(stranger)
    assert client.get(f"/portal/quotes/{quote.pk}/").status_code == 404
    assert client.get(f"/portal/quotes/{quote.pk}/pdf/").status_code == 404
    response = client.post(f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Mallory"})
    assert response.status_code == 404
    quote.refresh_from_db()
    assert quote.state == "sent"


def test_the_portal_offers_the_pdf_as_sent(client_for, quote, portal_contact):
    response = client_for(portal_contact.user).get(f"/portal/quotes/{quote.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_portal_download_takes_the_quotes_one_pdf_filename(client_for, quote, portal_contact):
    response = client_for(portal_contact.user).get(f"/portal/quotes/{quote.pk}/pdf/")
    assert quote.pdf_filename == f"{quote.number}.pdf"
    assert f'filename="{quote.pdf_filename}"' in response["Content-Disposition"]


def test_the_menu_and_the_overview_link_the_quotes(client_for, portal_contact):
    html = client_for(portal_contact.user).get("/portal/").content.decode()
    assert html.count('href="/portal/quotes/"') == 2


def test_the_answer_forms_carry_the_customers_name(client_for, quote, portal_contact):
    page = client_for(portal_contact.user).get(f"/portal/quotes/{quote.pk}/")
    assert page.context["accept_form"].initial["name"] == "Greta Holm"
    assert page.context["reject_form"].initial["name"] == "Greta Holm"


def test_accepting_an_expired_quote_is_409_and_changes_nothing(client_for, quote, portal_contact):
    make_past_due(quote)
    before = snapshot(quote)
    response = client_for(portal_contact.user).post(
        f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Greta Holm"}
    )
    assert response.status_code == 409
    assert "it cannot be accepted" in response.text
    assert snapshot(quote) == before


def test_an_answered_quote_is_409_whatever_was_typed(client_for, quote, portal_contact):
    client = client_for(portal_contact.user)
    client.post(f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Greta Holm"})
    before = snapshot(quote)
    response = client.post(f"/portal/quotes/{quote.pk}/reject/", {"reject-name": ""})
    assert response.status_code == 409
    assert "already accepted by Greta Holm" in response.text
    assert snapshot(quote) == before


def test_declining_records_the_reason_through_the_portal(client_for, quote, portal_contact):
    response = client_for(portal_contact.user).post(
        f"/portal/quotes/{quote.pk}/reject/",
        {"reject-name": "Greta Holm", "reject-reason": "Too dear"},
    )
    quote.refresh_from_db()
    assert response.status_code == 302
    assert (quote.state, quote.rejection_reason, quote.answer_channel) == (
        "rejected",
        "Too dear",
        "portal",
    )


def test_a_superseded_version_is_404(client_for, quote, portal_contact, rep1):
    services.quote_revise(quote=quote, actor=rep1)
    assert client_for(portal_contact.user).get(f"/portal/quotes/{quote.pk}/").status_code == 404
