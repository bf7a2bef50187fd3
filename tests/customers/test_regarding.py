"""Activities, reminders and documents about a record (an enquiry, also a prospect's) instead of,
or besides, a customer: the model's checks, visibility, the services, the API and the lists."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from leads.models import Lead
from leads.services import lead_create
from sfa.customers import services
from sfa.customers.models import Activity, Reminder
from sfa.customers.selectors import (
    activity_visible_to,
    document_visible_to,
    reminder_visible_to,
)
from sfa.customers.tasks import reminder_digest_task
from tests import factories

TODAY = datetime.date(2026, 11, 23)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


def enquiry(owner, **data) -> Lead:
    data = {"channel": "telephone", "company": "Prospect Works", "enquiry_date": TODAY, **data}
    return lead_create(actor=owner, data=data)


@pytest.fixture
def lead(rep1):
    """A prospect's enquiry (no customer) owned by rep1, North branch."""
    return enquiry(rep1)


@pytest.fixture
def call(rep1, lead):
    return services.activity_log(actor=rep1, regarding=lead, subject="Asked for a price")


# The model ------------------------------------------------------------------------------------


def test_a_row_without_customer_or_record_is_invalid(rep1):
    with pytest.raises(ValidationError) as refused:
        Activity(subject="Lost", user=rep1).full_clean()
    assert "account" in refused.value.message_dict


def test_the_database_refuses_a_row_without_customer_or_record(rep1):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(subject="Lost", due_date=TODAY, assignee=rep1)


def test_a_row_about_an_enquiry_needs_no_customer(call, lead):
    assert call.account is None
    assert call.regarding == lead


def test_a_prospects_enquiry_document_is_stored_under_the_enquiry(rep1, lead):
    upload = SimpleUploadedFile("drawing.pdf", PDF)
    document = services.document_upload(actor=rep1, regarding=lead, upload=upload)
    assert document.file.name.startswith(f"documents/leads.lead/{lead.pk}/")
    assert document.account is None


# Visibility -------------------------------------------------------------------------------------


def test_the_owner_of_the_enquiry_sees_its_activity(call, rep1):
    assert list(activity_visible_to(rep1)) == [call]


def test_another_rep_does_not_see_the_activity_of_an_enquiry(call, rep2):
    assert not activity_visible_to(rep2).exists()


def test_the_branch_manager_of_the_enquiry_sees_its_activity(call, branch_manager):
    assert list(activity_visible_to(branch_manager)) == [call]


def test_a_portal_user_sees_nothing_about_enquiries(rep1, account, portal_customer, call):
    own = enquiry(rep1, account=account, company="")
    services.activity_log(actor=rep1, account=account, regarding=own, subject="Internal")
    services.reminder_create(
        actor=rep1, account=account, regarding=own, subject="Chase", due_date=TODAY
    )
    assert not activity_visible_to(portal_customer).exists()
    assert not reminder_visible_to(portal_customer).exists()
    assert not document_visible_to(portal_customer).exists()


def test_reminders_of_an_enquiry_follow_the_enquiry_not_only_the_assignee(
    rep1, rep2, colleague, lead
):
    reminder = services.reminder_create(
        actor=rep1, regarding=lead, subject="Send the drawing", due_date=TODAY, assignee=colleague
    )
    assert list(reminder_visible_to(rep1)) == [reminder]
    assert list(reminder_visible_to(colleague)) == [reminder]  # assigned to them
    assert not reminder_visible_to(rep2).exists()


def test_documents_of_an_enquiry_follow_the_enquiry(rep1, rep2, lead):
    upload = SimpleUploadedFile("drawing.pdf", PDF)
    document = services.document_upload(actor=rep1, regarding=lead, upload=upload)
    assert list(document_visible_to(rep1)) == [document]
    assert not document_visible_to(rep2).exists()


def test_what_an_enquiry_logs_on_a_customer_is_seen_by_the_enquirys_owner(rep1, rep2):
    """rep2 owns the enquiry, rep1 the customer: both see the call logged on the enquiry."""
    customer = factories.AccountFactory(owner=rep1, branch=rep1.branch)
    theirs = enquiry(rep2, account=customer, company="")
    logged = services.activity_log(
        actor=rep2, account=customer, regarding=theirs, subject="Visited"
    )
    other = factories.ActivityFactory(account=customer)
    assert list(activity_visible_to(rep2)) == [logged]
    assert set(activity_visible_to(rep1)) == {logged, other}


@pytest.mark.parametrize(
    "selector", [activity_visible_to, reminder_visible_to, document_visible_to]
)
def test_each_selector_is_one_query(selector, rep1, call, django_assert_num_queries):
    list(selector(rep1))  # the user's roles and the content types are cached from here on
    with django_assert_num_queries(1):
        list(selector(rep1))


# Services ---------------------------------------------------------------------------------------


def test_reattaching_moves_every_row_to_the_customer_and_the_new_record(rep1, lead, call):
    reminder = services.reminder_create(actor=rep1, regarding=lead, subject="Quote", due_date=TODAY)
    document = services.document_upload(
        actor=rep1, regarding=lead, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    customer = factories.AccountFactory(owner=rep1, branch=rep1.branch)
    target = factories.AccountFactory(owner=rep1)  # any model instance will do as the record
    moved = services.reattach_regarding(actor=rep1, source=lead, account=customer, regarding=target)
    assert moved == 3
    for row in (call, reminder, document):
        row.refresh_from_db()
        assert (row.account, row.regarding) == (customer, target)


def test_reattaching_drops_contacts_of_another_customer(rep1, account, lead):
    other = factories.AccountFactory(owner=rep1)
    mine = enquiry(rep1, account=account, company="")
    contact = factories.ContactFactory(account=account)
    logged = services.activity_log(
        actor=rep1, account=account, regarding=mine, subject="Call", contact=contact
    )
    services.reattach_regarding(actor=rep1, source=mine, account=other, regarding=lead)
    logged.refresh_from_db()
    assert (logged.account, logged.contact) == (other, None)


def test_reattaching_logs_the_summary_on_the_customer_once(rep1, account, lead):
    for _ in range(2):
        services.reattach_regarding(
            actor=rep1, source=lead, account=account, regarding=lead, summary="Converted"
        )
    note = account.activities.get(subject="Converted")
    assert (note.kind, note.user) == (Activity.Kind.SYSTEM, rep1)


def test_a_contact_needs_a_customer(rep1, lead, account):
    contact = factories.ContactFactory(account=account)
    with pytest.raises(ValidationError) as refused:
        services.activity_log(actor=rep1, regarding=lead, subject="Call", contact=contact)
    assert "contact" in refused.value.message_dict


# API ------------------------------------------------------------------------------------------


def test_api_shows_what_an_activity_regards(api_for, rep1, call, lead):
    rows = api_for(rep1).get("/api/v1/activities/").json()["results"]
    assert [(r["id"], r["account"], r["regarding"]) for r in rows] == [
        (call.pk, None, {"type": "leads.lead", "id": lead.pk})
    ]


def test_api_shows_no_regarding_on_a_customers_reminder(api_for, rep1, account):
    factories.ReminderFactory(account=account, assignee=rep1)
    row = api_for(rep1).get("/api/v1/reminders/").json()["results"][0]
    assert (row["account"], row["regarding"]) == (account.pk, None)


@pytest.mark.parametrize("account_value", [None, "missing"])
def test_api_still_creates_activities_only_for_a_customer(api_for, rep1, account_value):
    data = {"subject": "Call", "kind": "call"}
    if account_value is None:
        data["account"] = None
    response = api_for(rep1).post("/api/v1/activities/", data, format="json")
    assert response.status_code == 400
    assert "account" in response.json()["fields"]
    assert not Activity.objects.exists()


def test_api_cannot_set_what_a_reminder_regards(api_for, rep1, account, lead):
    response = api_for(rep1).post(
        "/api/v1/reminders/",
        {
            "account": account.pk,
            "subject": "Call",
            "due_date": "2026-11-30",
            "regarding": {"type": "leads.lead", "id": lead.pk},
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["regarding"] is None


def test_api_downloads_the_document_of_a_visible_enquiry_only(api_for, rep1, rep2, lead):
    document = services.document_upload(
        actor=rep1, regarding=lead, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    assert api_for(rep2).get(f"/api/v1/documents/{document.pk}/download/").status_code == 404
    mine = api_for(rep1).get(f"/api/v1/documents/{document.pk}/download/")
    assert mine.status_code == 200
    mine.close()  # last: closing ends the request, which closes the database connection


# Lists and the digest ---------------------------------------------------------------------------


@pytest.fixture
def quote_due(rep1, lead):
    return services.reminder_create(
        actor=rep1, regarding=lead, subject="Quote owed", due_date=TODAY
    )


def test_my_reminders_link_a_reminder_without_customer_to_its_enquiry(
    client_for, rep1, lead, quote_due
):
    response = client_for(rep1).get("/customers/reminders/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quote owed" in html
    assert f'href="/enquiries/{lead.pk}/"' in html
    assert f"{lead.number} · Prospect Works" in html


def test_the_dashboard_shows_a_reminder_without_customer(client_for, rep1, lead, quote_due):
    response = client_for(rep1).get("/")
    assert response.status_code == 200
    assert f'href="/enquiries/{lead.pk}/"' in response.content.decode()


def test_the_digest_names_the_enquiry_of_a_reminder_without_customer(
    rep1, lead, quote_due, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_digest_task.apply(kwargs={"day": TODAY.isoformat()}).get() == 1
    body = mail.outbox[0].body
    assert "Quote owed" in body
    assert lead.number in body
    assert f"{settings.SFA_BASE_URL}/enquiries/{lead.pk}/" in body


def test_marking_a_reminder_without_customer_done_from_my_list(client_for, rep1, quote_due):
    response = client_for(rep1).post(
        f"/customers/reminders/{quote_due.pk}/toggle/?from=account",
        {"next": "/customers/reminders/"},
    )
    assert response.status_code == 302
    quote_due.refresh_from_db()
    assert quote_due.is_done


def test_the_customer_360_reminders_tab_still_toggles_in_place(client_for, rep1, account):
    reminder = factories.ReminderFactory(account=account, assignee=rep1)
    html = client_for(rep1).get(f"/customers/{account.pk}/?tab=reminders").content.decode()
    assert f'hx-post="/customers/reminders/{reminder.pk}/toggle/?from=account"' in html
    assert 'hx-target="#tab-panel"' in html
