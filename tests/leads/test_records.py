"""Activities, reminders and documents of an enquiry, also a prospect's: the quote reminder,
the panels of the enquiry page, and their move to the customer and opportunity on conversion."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.models import Lead
from leads.services import lead_create, lead_qualify, lead_update
from opportunities.models import Opportunity
from opportunities.services import lead_convert
from sfa.core.exceptions import Conflict
from sfa.customers import services as customer_services
from sfa.customers.models import Activity, Document, Reminder
from sfa.customers.regarding import regarding_of
from sfa.customers.selectors import activities_regarding
from tests import factories

TODAY = datetime.date(2026, 11, 23)
NOW = "2026-11-23T10:00"
HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


def prospect(owner, **data) -> Lead:
    data = {
        "channel": "telephone",
        "company": "Prospect Works",
        "last_name": "Prospect",
        "email": "pia@prospect.example",
        "enquiry_date": TODAY,
        **data,
    }
    return lead_create(actor=owner, data=data)


def quote_reminders(lead) -> list[Reminder]:
    return list(Reminder.objects.filter(regarding_of(lead), key="quote_due"))


@pytest.fixture
def lead(rep1):
    return prospect(rep1)


def log_everything(actor, lead) -> tuple[Activity, Reminder, Document]:
    return (
        customer_services.activity_log(actor=actor, regarding=lead, subject="First call"),
        customer_services.reminder_create(
            actor=actor, regarding=lead, subject="Send drawing", due_date=TODAY
        ),
        customer_services.document_upload(
            actor=actor, regarding=lead, upload=SimpleUploadedFile("spec.pdf", PDF)
        ),
    )


# The quote reminder -----------------------------------------------------------------------------


def test_prospect_enquiry_with_a_quote_due_date_gets_a_reminder_for_the_owner(rep1):
    lead = prospect(rep1, quote_due_date=TODAY + datetime.timedelta(days=5))
    [reminder] = quote_reminders(lead)
    assert (reminder.assignee, reminder.account) == (rep1, None)
    assert reminder.due_date == TODAY + datetime.timedelta(days=5)
    assert lead.number in reminder.subject


def test_changing_the_quote_due_date_moves_the_reminder_instead_of_adding_one(rep1):
    lead = prospect(rep1, quote_due_date=TODAY + datetime.timedelta(days=5))
    lead_update(lead=lead, actor=rep1, data={"quote_due_date": TODAY + datetime.timedelta(days=9)})
    lead_update(lead=lead, actor=rep1, data={"remarks": "Changed something else"})
    [reminder] = quote_reminders(lead)
    assert reminder.due_date == TODAY + datetime.timedelta(days=9)
    assert Reminder.objects.count() == 1


def test_the_quote_reminder_is_found_by_its_enquiry_not_by_its_subject(rep1):
    lead = prospect(rep1, quote_due_date=TODAY)
    Reminder.objects.update(subject="Renamed by hand")
    lead_update(lead=lead, actor=rep1, data={"quote_due_date": TODAY + datetime.timedelta(days=2)})
    assert Reminder.objects.count() == 1


def test_a_reminder_people_add_to_the_enquiry_is_not_the_quote_reminder(rep1):
    lead = prospect(rep1, quote_due_date=TODAY)
    customer_services.reminder_create(
        actor=rep1, regarding=lead, subject="Call back", due_date=TODAY
    )
    lead_update(lead=lead, actor=rep1, data={"quote_due_date": TODAY + datetime.timedelta(days=2)})
    assert Reminder.objects.get(subject="Call back").due_date == TODAY
    assert len(quote_reminders(lead)) == 1


def test_a_new_quote_due_date_reopens_a_done_quote_reminder(rep1):
    lead = prospect(rep1, quote_due_date=TODAY)
    [reminder] = quote_reminders(lead)
    customer_services.reminder_set_done(actor=rep1, reminder=reminder)
    lead_update(lead=lead, actor=rep1, data={"remarks": "Same date"})
    reminder.refresh_from_db()
    assert reminder.is_done
    lead_update(lead=lead, actor=rep1, data={"quote_due_date": TODAY + datetime.timedelta(days=3)})
    reminder.refresh_from_db()
    assert not reminder.is_done


def test_a_customers_enquiry_quote_reminder_belongs_to_the_customer_too(rep1, account):
    lead = lead_create(
        actor=rep1, data={"channel": "fax", "account": account, "quote_due_date": TODAY}
    )
    [reminder] = quote_reminders(lead)
    assert reminder.account == account


# The enquiry page -------------------------------------------------------------------------------


def test_the_enquiry_page_shows_the_three_panels_with_their_forms(client_for, rep1, lead):
    html = client_for(rep1).get(f"/enquiries/{lead.pk}/").content.decode()
    for panel in ("enquiry-activities", "enquiry-reminders", "enquiry-documents"):
        assert f'id="{panel}"' in html
    for url in ("activities", "reminders", "documents"):
        assert f'hx-post="/enquiries/{lead.pk}/{url}/"' in html
    assert 'name="contact"' not in html  # a prospect has no contacts to choose from


def test_logging_a_call_on_a_prospect_enquiry_from_its_page(client_for, rep1, lead):
    response = client_for(rep1).post(
        f"/enquiries/{lead.pk}/activities/",
        {"kind": "call", "subject": "Asked about lead times", "occurred_at": NOW},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Asked about lead times" in html
    assert "Activity logged." in html
    activity = Activity.objects.get()
    assert (activity.regarding, activity.account, activity.user) == (lead, None, rep1)
    assert activity.kind == "call"


def test_a_call_on_a_customers_enquiry_is_on_the_customer_too(client_for, rep1, account):
    lead = lead_create(actor=rep1, data={"channel": "fax", "account": account})
    contact = factories.ContactFactory(account=account)
    client_for(rep1).post(
        f"/enquiries/{lead.pk}/activities/",
        {"kind": "meeting", "subject": "On site", "contact": contact.pk, "occurred_at": NOW},
        **HTMX,
    )
    activity = Activity.objects.get()
    assert (activity.account, activity.contact, activity.regarding) == (account, contact, lead)


def test_an_invalid_activity_is_answered_in_place_with_400(client_for, rep1, lead):
    response = client_for(rep1).post(
        f"/enquiries/{lead.pk}/activities/", {"kind": "call", "subject": ""}, **HTMX
    )
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert not Activity.objects.exists()


def test_without_htmx_a_logged_activity_goes_back_to_the_page(client_for, rep1, lead):
    response = client_for(rep1).post(
        f"/enquiries/{lead.pk}/activities/",
        {"kind": "note", "subject": "Noted", "occurred_at": NOW},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/enquiries/{lead.pk}/#records"


def test_adding_a_reminder_to_a_prospect_enquiry_and_marking_it_done(client_for, rep1, lead):
    client = client_for(rep1)
    added = client.post(
        f"/enquiries/{lead.pk}/reminders/",
        {"subject": "Chase the drawing", "due_date": "2026-11-30"},
        **HTMX,
    )
    assert added.status_code == 200
    reminder = Reminder.objects.get()
    assert (reminder.regarding, reminder.assignee, reminder.account) == (lead, rep1, None)
    toggle = f"/enquiries/{lead.pk}/reminders/{reminder.pk}/toggle/"
    assert f'hx-post="{toggle}"' in added.content.decode()
    assert client.post(toggle, **HTMX).status_code == 200
    reminder.refresh_from_db()
    assert reminder.is_done


def test_uploading_a_document_to_a_prospect_enquiry_and_downloading_it(
    client_for, rep1, rep2, lead
):
    response = client_for(rep1).post(
        f"/enquiries/{lead.pk}/documents/",
        {"title": "Spec", "file": SimpleUploadedFile("spec.pdf", PDF)},
        **HTMX,
    )
    assert response.status_code == 200
    document = Document.objects.get()
    assert (document.regarding, document.account) == (lead, None)
    download = f"/customers/documents/{document.pk}/download/"
    assert download in response.content.decode()
    assert client_for(rep2).get(download).status_code == 404
    mine = client_for(rep1).get(download)
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF
    mine.close()  # last: closing ends the request, which closes the database connection


def test_a_refused_upload_is_answered_in_place(client_for, rep1, lead):
    response = client_for(rep1).post(
        f"/enquiries/{lead.pk}/documents/",
        {"file": SimpleUploadedFile("run.exe", b"MZ...")},
        **HTMX,
    )
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert not Document.objects.exists()


def test_another_rep_cannot_log_on_an_enquiry_they_do_not_see(client_for, rep2, lead):
    response = client_for(rep2).post(
        f"/enquiries/{lead.pk}/activities/", {"kind": "note", "subject": "Snooping"}, **HTMX
    )
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_a_user_without_the_permission_gets_403_in_place(client_for, rep1, lead, marketing):
    response = client_for(marketing).post(
        f"/enquiries/{lead.pk}/documents/",
        {"file": SimpleUploadedFile("spec.pdf", PDF)},
        **HTMX,
    )
    assert response.status_code == 403
    assert "You may not add this." in response.content.decode()
    assert not Document.objects.exists()


@pytest.fixture
def converted(rep1, products):
    lead = lead_create(
        actor=rep1,
        data={"channel": "telephone", "company": "Prospect Works", "last_name": "Prospect"},
        lines=[{"product": products[0], "quantity": Decimal("1")}],
    )
    lead_qualify(lead=lead, actor=rep1)
    lead_convert(lead=lead, actor=rep1)
    return Lead.objects.get(pk=lead.pk)


def test_a_converted_enquiry_shows_no_forms(client_for, rep1, converted):
    html = client_for(rep1).get(f"/enquiries/{converted.pk}/").content.decode()
    assert 'id="enquiry-activities"' in html
    assert f"/enquiries/{converted.pk}/activities/" not in html
    assert f"/enquiries/{converted.pk}/reminders/" not in html
    assert f"/enquiries/{converted.pk}/documents/" not in html


def test_a_converted_enquiry_refuses_a_posted_activity_with_409(client_for, rep1, converted):
    before = Activity.objects.count()
    response = client_for(rep1).post(
        f"/enquiries/{converted.pk}/activities/", {"kind": "note", "subject": "Late"}, **HTMX
    )
    assert response.status_code == 409
    assert "is converted" in response.content.decode()
    assert Activity.objects.count() == before


def test_the_service_refuses_an_activity_on_a_converted_enquiry(rep1, converted):
    with pytest.raises(Conflict):
        customer_services.activity_log(actor=rep1, regarding=converted, subject="Late")


def test_the_enquiry_page_queries_do_not_grow_with_its_records(client_for, rep1, lead):
    client = client_for(rep1)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/enquiries/{lead.pk}/").status_code == 200
        return len(queries)

    log_everything(rep1, lead)
    page_queries()  # warm caches (content types, permissions)
    few = page_queries()
    for _ in range(4):
        log_everything(rep1, lead)
    assert page_queries() == few


# Conversion ---------------------------------------------------------------------------------------


def qualified(owner, products, **data) -> Lead:
    lead = prospect(owner, **data)
    return lead_qualify(lead=lead, actor=owner)


def test_conversion_moves_activities_reminders_and_documents_to_the_customer_and_deal(
    rep1, products
):
    lead = qualified(rep1, products, quote_due_date=TODAY)
    rows = [*log_everything(rep1, lead), *quote_reminders(lead)]
    opportunity = lead_convert(lead=lead, actor=rep1)
    for row in rows:
        row.refresh_from_db()
        assert (row.account, row.regarding) == (opportunity.account, opportunity)
    assert not Reminder.objects.filter(regarding_of(lead)).exists()


def test_conversion_logs_converted_from_enquiry_once_on_the_customer(rep1, products):
    lead = qualified(rep1, products)
    opportunity = lead_convert(lead=lead, actor=rep1)
    note = opportunity.account.activities.get(kind=Activity.Kind.SYSTEM)
    assert note.subject == f"Converted from enquiry {lead.number}"
    assert note.regarding == opportunity


def test_a_conversion_failing_after_the_move_leaves_them_on_the_enquiry(
    rep1, products, monkeypatch
):
    lead = qualified(rep1, products)
    rows = log_everything(rep1, lead)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("opportunities.services.log_transition", broken)
    with pytest.raises(RuntimeError):
        lead_convert(lead=lead, actor=rep1)
    for row in rows:
        row.refresh_from_db()
        assert (row.account, row.regarding) == (None, lead)
    assert not Opportunity.objects.exists()
    assert not Activity.objects.filter(kind=Activity.Kind.SYSTEM).exists()


@pytest.mark.django_db(transaction=True)
def test_an_activity_logged_while_the_enquiry_converts_is_moved_or_refused(rep1, products):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    lead = qualified(rep1, products)
    barrier, outcomes = threading.Barrier(2), []

    def convert():
        try:
            barrier.wait(timeout=10)
            lead_convert(lead=Lead.objects.get(pk=lead.pk), actor=rep1)
        finally:
            connection.close()

    def log_a_call():
        try:
            barrier.wait(timeout=10)
            current = Lead.objects.get(pk=lead.pk)
            customer_services.activity_log(actor=rep1, regarding=current, subject="Call")
            outcomes.append("logged")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=convert), threading.Thread(target=log_a_call)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    opportunity = Opportunity.objects.get()
    assert not Activity.objects.filter(regarding_of(lead)).exists()
    moved = Activity.objects.filter(subject="Call", account=opportunity.account)
    assert moved.count() == (1 if outcomes == ["logged"] else 0)


@pytest.mark.django_db
def test_the_opportunity_page_shows_what_moved_from_the_enquiry(client_for, rep1, lead):
    log_everything(rep1, lead)
    deal = lead_convert(lead=lead_qualify(lead=lead, actor=rep1), actor=rep1)
    html = client_for(rep1).get(f"/opportunities/{deal.pk}/").content.decode()
    assert "First call" in html
    assert "Send drawing" in html
    assert "spec.pdf" in html


@pytest.mark.django_db
def test_another_rep_sees_nothing_of_what_moved_to_the_opportunity(rep1, rep2, lead):
    log_everything(rep1, lead)
    deal = lead_convert(lead=lead_qualify(lead=lead, actor=rep1), actor=rep1)
    assert list(activities_regarding(user=rep2, record=deal)) == []
    assert "First call" in [a.subject for a in activities_regarding(user=rep1, record=deal)]
