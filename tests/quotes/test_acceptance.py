"""The customer's answer: the signed link (no login), the portal, and the nightly expiry."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.utils import timezone

from opportunities.services import opportunity_create
from quotes import services
from quotes.acceptance import SALT, acceptance_token
from quotes.models import Quote
from quotes.tasks import expire_quotes_task
from sfa.core.models import OutgoingEmail, TransitionLog
from tests import factories

TODAY = timezone.localdate()


@pytest.fixture
def contact(account):
    return factories.ContactFactory(
        account=account, first_name="Greta", last_name="Holm", email="greta@holm.example"
    )


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


def link(quote) -> str:
    return f"/q/{acceptance_token(quote)}/"


def snapshot(quote) -> tuple:
    """What a refused answer must leave as it was: the record, its log, the outbox."""
    quote.refresh_from_db()
    return (
        quote.state,
        quote.answered_by_name,
        quote.answered_at,
        TransitionLog.objects.count(),
        OutgoingEmail.objects.count(),
    )


def make_past_due(quote) -> None:
    Quote.objects.filter(pk=quote.pk).update(
        issue_date=TODAY - datetime.timedelta(days=40),
        valid_until=TODAY - datetime.timedelta(days=1),
    )


# The signed link ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_signed_link_shows_the_quote_without_a_login(client, quote):
    response = client.get(link(quote))
    assert response.status_code == 200
    assert quote.number in response.text
    assert "Lathe L-200" in response.text
    assert str(quote.total) in response.text


@pytest.mark.django_db
def test_the_signed_link_offers_the_pdf(client, quote):
    response = client.get(f"{link(quote)}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_accepting_through_the_link_records_name_comment_time_and_address(client, quote):
    response = client.post(
        f"{link(quote)}accept/",
        {"accept-name": "Greta Holm", "accept-comment": "Deliver in May"},
        REMOTE_ADDR="203.0.113.7",
    )
    quote.refresh_from_db()
    assert response.status_code == 302
    assert quote.state == "accepted"
    assert (quote.answered_by_name, quote.answer_comment) == ("Greta Holm", "Deliver in May")
    assert (quote.answer_ip, quote.answer_channel) == ("203.0.113.7", "link")
    assert quote.answered_at is not None


@pytest.mark.django_db
def test_accepting_through_the_link_wins_the_opportunity(client, quote, deal):
    client.post(f"{link(quote)}accept/", {"accept-name": "Greta Holm"})
    deal.refresh_from_db()
    assert deal.state == "won"


@pytest.mark.django_db
def test_accepting_through_the_link_notifies_the_owner(client, quote, rep1):
    client.post(f"{link(quote)}accept/", {"accept-name": "Greta Holm"})
    email = OutgoingEmail.objects.get()
    assert email.to == [rep1.email]
    assert email.kind == "quotes.quote_accepted"
    assert "accepted by Greta Holm" in email.subject


@pytest.mark.django_db
def test_after_accepting_the_link_shows_the_confirmation(client, quote):
    response = client.post(f"{link(quote)}accept/", {"accept-name": "Greta Holm"}, follow=True)
    assert "you accepted this quote" in response.text
    assert "Accept quote" not in response.text


@pytest.mark.django_db
def test_the_answer_needs_no_csrf_cookie(quote):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{link(quote)}accept/", {"accept-name": "Greta Holm"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_accepting_without_a_name_is_refused(client, quote):
    response = client.post(f"{link(quote)}accept/", {"accept-name": " "})
    assert response.status_code == 400
    quote.refresh_from_db()
    assert quote.state == "sent"


@pytest.mark.django_db
def test_accepting_twice_is_409_and_changes_nothing(client, quote):
    client.post(f"{link(quote)}accept/", {"accept-name": "Greta Holm"})
    before = snapshot(quote)
    response = client.post(f"{link(quote)}accept/", {"accept-name": "Someone Else"})
    assert response.status_code == 409
    assert "already accepted by Greta Holm" in response.text
    assert snapshot(quote) == before


@pytest.mark.django_db
def test_accepting_an_expired_quote_is_409_and_changes_nothing(client, quote):
    make_past_due(quote)
    before = snapshot(quote)
    response = client.post(f"{link(quote)}accept/", {"accept-name": "Greta Holm"})
    assert response.status_code == 409
    assert "expired" in response.text
    assert snapshot(quote) == before


@pytest.mark.django_db
def test_the_link_expires_with_the_quote(client, quote):
    make_past_due(quote)
    response = client.get(link(quote))
    assert response.status_code == 410
    assert "expired" in response.text


@pytest.mark.django_db
def test_a_tampered_token_is_404(client, quote):
    token = acceptance_token(quote)
    forged = signing.dumps([quote.pk, quote.version], salt="something.else")
    assert client.get(f"/q/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/q/{forged}/").status_code == 404
    assert client.post(f"/q/{forged}/accept/", {"accept-name": "X"}).status_code == 404


@pytest.mark.django_db
def test_a_token_for_another_version_is_404(client, quote):
    token = signing.dumps([quote.pk, quote.version + 1], salt=SALT)
    assert client.get(f"/q/{token}/").status_code == 404


@pytest.mark.django_db
def test_the_link_of_a_superseded_version_says_so_and_refuses_answers(client, quote, rep1):
    v2 = services.quote_revise(quote=quote, actor=rep1)
    page = client.get(link(quote))
    before = snapshot(quote)
    answer = client.post(f"{link(quote)}accept/", {"accept-name": "Greta Holm"})
    assert page.status_code == 410
    assert "replaced by a newer version" in page.text
    assert f"/quotes/{v2.pk}" not in page.text
    assert acceptance_token(v2) not in page.text
    assert answer.status_code == 409
    assert snapshot(quote) == before


@pytest.mark.django_db
def test_rejecting_requires_a_reason(client, quote):
    before = snapshot(quote)
    response = client.post(f"{link(quote)}reject/", {"reject-name": "Greta", "reject-reason": ""})
    assert response.status_code == 400
    assert snapshot(quote) == before


@pytest.mark.django_db
def test_rejecting_through_the_link_records_the_reason_and_notifies_the_owner(client, quote, rep1):
    client.post(f"{link(quote)}reject/", {"reject-name": "Greta", "reject-reason": "Too dear"})
    quote.refresh_from_db()
    email = OutgoingEmail.objects.get()
    assert (quote.state, quote.rejection_reason) == ("rejected", "Too dear")
    assert email.to == [rep1.email]
    assert "Reason: Too dear" in email.body_text


@pytest.mark.django_db
def test_an_answer_must_be_posted(client, quote):
    assert client.get(f"{link(quote)}accept/").status_code == 405


@pytest.mark.django_db
def test_acceptance_is_undone_when_a_follow_up_fails(client, quote, deal, monkeypatch):
    def broken(quote):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("quotes.acceptance.notify_owner_of_answer", broken)
    with pytest.raises(RuntimeError):
        services.quote_customer_accept(quote=quote, name="Greta Holm")
    quote.refresh_from_db()
    deal.refresh_from_db()
    assert (quote.state, deal.state) == ("sent", "prospecting")


@pytest.mark.django_db
def test_a_portal_user_can_open_the_signed_link(client_for, quote, portal_customer):
    assert client_for(portal_customer).get(link(quote)).status_code == 200


# The portal --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_portal_lists_the_accounts_sent_quotes_only(client_for, quote, rep1, account):
    user = factories.portal_user_for(quote.contact)
    draft = services.quote_create(actor=rep1, data={"account": account, "title": "Not yet"})
    response = client_for(user).get("/portal/quotes/")
    assert response.status_code == 200
    assert list(response.context["quotes"]) == [quote]
    assert draft.number not in response.text


@pytest.mark.django_db
def test_a_portal_customer_accepts_in_the_portal(client_for, quote, deal):
    user = factories.portal_user_for(quote.contact)
    client = client_for(user)
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


@pytest.mark.django_db
def test_accepting_twice_in_the_portal_is_409_and_changes_nothing(client_for, quote):
    client = client_for(factories.portal_user_for(quote.contact))
    client.post(f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Greta Holm"})
    before = snapshot(quote)
    response = client.post(f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Greta"})
    assert response.status_code == 409
    assert snapshot(quote) == before


@pytest.mark.django_db
def test_rejecting_in_the_portal_requires_a_reason(client_for, quote):
    client = client_for(factories.portal_user_for(quote.contact))
    response = client.post(f"/portal/quotes/{quote.pk}/reject/", {"reject-name": "Greta"})
    assert response.status_code == 400
    quote.refresh_from_db()
    assert quote.state == "sent"


@pytest.mark.django_db
def test_another_accounts_quote_is_404_in_the_portal(client_for, quote):
    stranger = factories.portal_user_for(factories.ContactFactory())
    client = client_for(stranger)
    assert client.get(f"/portal/quotes/{quote.pk}/").status_code == 404
    assert client.get(f"/portal/quotes/{quote.pk}/pdf/").status_code == 404
    response = client.post(f"/portal/quotes/{quote.pk}/accept/", {"accept-name": "Mallory"})
    assert response.status_code == 404
    quote.refresh_from_db()
    assert quote.state == "sent"


@pytest.mark.django_db
def test_the_portal_offers_the_pdf_as_sent(client_for, quote):
    response = client_for(factories.portal_user_for(quote.contact)).get(
        f"/portal/quotes/{quote.pk}/pdf/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# Expiry -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_nightly_task_expires_quotes_past_their_date(quote):
    make_past_due(quote)
    assert expire_quotes_task.delay().get() == 1
    quote.refresh_from_db()
    assert quote.state == "expired"


@pytest.mark.django_db
def test_the_nightly_task_leaves_valid_quotes_alone(quote):
    assert expire_quotes_task.delay(TODAY.isoformat()).get() == 0
    quote.refresh_from_db()
    assert quote.state == "sent"


def test_celery_beat_runs_the_expiry_daily():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "quotes.tasks.expire_quotes_task"
    )
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({0}, {5})
    assert len(schedule.day_of_week) == 7
