"""Sending a quote by e-mail: PDF attached, from the owner, logged; held quotes send nothing."""

import time
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from quotes import sending, services
from quotes.acceptance import acceptance_url
from quotes.models import ApprovalRule, Quote, TermsTemplate
from sfa.core.exceptions import InvalidInput
from sfa.core.models import OutgoingEmail, OutgoingEmailAttachment
from sfa.customers.models import Activity
from tests import factories

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _signing_clock(monkeypatch):
    """Acceptance links carry a signing timestamp: one second for the whole test, so a link
    made by the test equals the one the code put in a message a moment earlier."""
    now = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now)


@pytest.fixture
def draft_quote(rep1, account, contact):
    """A draft quote by Rita Rep for Greta Holm, two lathes."""
    rep1.first_name, rep1.last_name = "Rita", "Rep"
    rep1.save()
    return services.quote_create(
        actor=rep1,
        data={"account": account, "contact": contact, "issue_date": TODAY, "title": "Lathes"},
        lines=[{"description": "Lathe", "quantity": Decimal(2), "unit_price": Decimal("1000")}],
    )


def send(quote, actor, to, **kwargs):
    return sending.quote_send(
        quote=quote,
        actor=actor,
        to=to,
        subject=kwargs.pop("subject", "Your quote"),
        message=kwargs.pop("message", "Dear Greta, here it is."),
        **kwargs,
    )


@pytest.mark.django_db
def test_sending_queues_one_email_with_the_pdf_attached(
    draft_quote, rep1, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(draft_quote, rep1, [contact])
    email = OutgoingEmail.objects.get()
    attachment = OutgoingEmailAttachment.objects.get(email=email)
    assert sent.state == "sent"
    assert email.to == ["greta@holm.example"]
    assert (attachment.filename, attachment.content_type) == (
        f"{draft_quote.number}.pdf",
        "application/pdf",
    )
    assert bytes(attachment.content).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_email_comes_from_the_owner_and_answers_go_to_the_owner(draft_quote, rep1, contact):
    send(draft_quote, rep1, [contact])
    email = OutgoingEmail.objects.get()
    assert email.from_email == "Rita Rep <no-reply@sfa.localhost>"
    assert email.reply_to == [rep1.email]


@pytest.mark.django_db
def test_the_email_text_carries_the_acceptance_link(draft_quote, rep1, contact):
    send(draft_quote, rep1, [contact], subject="Quote for you", message="Hello Greta.")
    email = OutgoingEmail.objects.get()
    assert email.subject == "Quote for you"
    assert email.body_text.startswith("Hello Greta.")
    assert acceptance_url(draft_quote) in email.body_text


@pytest.mark.django_db
def test_a_link_already_in_the_message_is_not_added_twice(draft_quote, rep1, contact):
    link = acceptance_url(draft_quote)
    send(draft_quote, rep1, [contact], message=f"Accept here: {link}")
    assert OutgoingEmail.objects.get().body_text.count(link) == 1


@pytest.mark.django_db
def test_sending_logs_an_email_activity_on_the_customer_about_the_quote(draft_quote, rep1, contact):
    send(draft_quote, rep1, [contact], subject="Your quote")
    activity = Activity.objects.get()
    assert (activity.kind, activity.account, activity.regarding, activity.contact) == (
        "email",
        draft_quote.account,
        draft_quote,
        contact,
    )
    assert activity.subject == f"Quote {draft_quote.number} sent: Your quote"
    assert activity.regarding_url == f"/quotes/{draft_quote.pk}/"


@pytest.mark.django_db
def test_copies_go_to_the_chosen_contacts_in_cc(draft_quote, rep1, contact, account):
    boss = factories.ContactFactory(account=account, email="boss@holm.example")
    send(draft_quote, rep1, [contact], cc=[boss])
    assert OutgoingEmail.objects.get().cc == ["boss@holm.example"]


@pytest.mark.django_db
def test_a_quote_that_needs_approval_is_held_and_nothing_is_sent(rep1, account, contact):
    ApprovalRule.objects.create(name="Big", max_total=Decimal("10"))
    held = services.quote_create(
        actor=rep1,
        data={"account": account, "issue_date": TODAY},
        lines=[{"description": "x", "quantity": Decimal(1), "unit_price": Decimal("100")}],
    )
    result = send(held, rep1, [contact])
    assert result.state == "pending_approval"
    assert result.approval_reasons  # the reasons the sender is shown
    assert OutgoingEmail.objects.count() == 0
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_a_contact_of_another_customer_is_refused_and_nothing_changes(draft_quote, rep1):
    stranger = factories.ContactFactory(email="someone@else.example")
    with pytest.raises(InvalidInput) as error:
        send(draft_quote, rep1, [stranger])
    assert "to" in error.value.fields
    draft_quote.refresh_from_db()
    assert draft_quote.state == "draft"
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_a_contact_without_an_email_address_is_refused(draft_quote, rep1, account):
    silent = factories.ContactFactory(account=account, email="")
    with pytest.raises(InvalidInput) as error:
        send(draft_quote, rep1, [silent])
    assert "to" in error.value.fields


@pytest.mark.django_db
def test_a_sent_quote_can_go_to_another_contact_without_changing_state(
    draft_quote, rep1, contact, account
):
    send(draft_quote, rep1, [contact])
    colleague_of_greta = factories.ContactFactory(account=account, email="jan@holm.example")
    again = send(draft_quote, rep1, [colleague_of_greta])
    assert again.state == "sent"
    assert OutgoingEmail.objects.count() == 2


@pytest.mark.django_db
def test_the_sent_email_reaches_the_backend_with_the_pdf(
    draft_quote, rep1, contact, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        send(draft_quote, rep1, [contact])
    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"{draft_quote.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


# Message templates ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_email_template_is_rendered_with_quote_contact_owner_and_link(
    draft_quote, rep1, contact
):
    TermsTemplate.objects.create(
        name="Standard",
        kind="email",
        is_default=True,
        body="Dear {{ contact.first_name }}, quote {{ quote }} from {{ owner }}: {{ link }}",
    )
    text = sending.render_message(quote=draft_quote, contact=contact, owner=rep1)
    assert (
        text
        == f"Dear Greta, quote {draft_quote.number} from Rita Rep: {acceptance_url(draft_quote)}"
    )


@pytest.mark.django_db
def test_an_email_template_sees_only_the_offered_fields(draft_quote, rep1, contact):
    template = TermsTemplate.objects.create(
        name="Nosy", kind="email", body="[{{ owner.password }}][{{ quote.internal_notes }}]"
    )
    text = sending.render_message(quote=draft_quote, contact=contact, owner=rep1, template=template)
    assert text == "[][]"


@pytest.mark.django_db
def test_without_an_email_template_the_built_in_message_has_the_link(draft_quote, rep1, contact):
    text = sending.render_message(quote=draft_quote, contact=contact, owner=rep1)
    assert text.startswith("Dear Greta Holm,")
    assert acceptance_url(draft_quote) in text


# API ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_send_sends_the_quote(api_for, draft_quote, rep1, contact):
    response = api_for(rep1).post(
        f"/api/v1/quotes/{draft_quote.pk}/send/",
        {"to": [contact.pk], "cc": [], "subject": "Quote", "message": "Hello"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "sent"
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_api_send_to_a_contact_of_another_customer_is_400(api_for, draft_quote, rep1):
    stranger = factories.ContactFactory(account=factories.AccountFactory(owner=rep1))
    response = api_for(rep1).post(
        f"/api/v1/quotes/{draft_quote.pk}/send/",
        {"to": [stranger.pk], "subject": "Quote", "message": "Hello"},
        format="json",
    )
    assert response.status_code == 400
    assert "to" in response.json()["fields"]
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_api_send_of_another_reps_quote_is_404(api_for, draft_quote, rep2, contact):
    response = api_for(rep2).post(
        f"/api/v1/quotes/{draft_quote.pk}/send/",
        {"to": [contact.pk], "subject": "Quote", "message": "Hello"},
        format="json",
    )
    assert response.status_code == 404


# Staff dialog -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dialog_ticks_the_quotes_contact_and_prefills_the_message(
    client_for, draft_quote, rep1, contact
):
    response = client_for(rep1).get(f"/quotes/{draft_quote.pk}/send/")
    form = response.context["form"]
    assert response.status_code == 200
    assert list(form.initial["to"]) == [contact]
    assert acceptance_url(draft_quote) in form.initial["message"]


@pytest.mark.django_db
def test_the_dialog_sends_and_returns_to_the_quote(client_for, draft_quote, rep1, contact):
    response = client_for(rep1).post(
        f"/quotes/{draft_quote.pk}/send/",
        {"to": [contact.pk], "subject": "Your quote", "message": "Hello Greta"},
    )
    assert response.status_code == 302
    assert Quote.objects.get(pk=draft_quote.pk).state == "sent"
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_the_dialog_of_another_reps_quote_is_404(client_for, draft_quote, rep2):
    assert client_for(rep2).get(f"/quotes/{draft_quote.pk}/send/").status_code == 404


@pytest.mark.django_db
def test_a_bare_post_from_a_send_button_opens_the_dialog(client_for, draft_quote, rep1):
    response = client_for(rep1).post(f"/quotes/{draft_quote.pk}/send/")
    assert response.status_code == 200
    assert Quote.objects.get(pk=draft_quote.pk).state == "draft"
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_the_dialog_shows_why_a_held_quote_was_not_sent(client_for, rep1, account, contact):
    ApprovalRule.objects.create(name="Big", max_total=Decimal("10"))
    held = services.quote_create(
        actor=rep1,
        data={"account": account, "contact": contact},
        lines=[{"description": "x", "quantity": Decimal(1), "unit_price": Decimal("100")}],
    )
    response = client_for(rep1).post(
        f"/quotes/{held.pk}/send/",
        {"to": [contact.pk], "subject": "Quote", "message": "Hello"},
        follow=True,
    )
    assert "needs approval before it can be sent (Big: total" in response.text
    assert OutgoingEmail.objects.count() == 0
