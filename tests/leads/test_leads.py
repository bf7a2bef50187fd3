import datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.models import Lead
from leads.services import lead_create, lead_disqualify, lead_reassign
from sfa.core.models import TransitionLog
from sfa.customers.models import Reminder
from tests import factories

TODAY = datetime.date(2026, 11, 23)


def prospect_payload(products, **extra):
    return {
        "channel": "telephone",
        "enquiry_date": "2026-11-23",
        "company": "Prospect Works",
        "first_name": "Pia",
        "last_name": "Prospect",
        "email": "pia@prospect.example",
        "lines": [
            {"product": products[0].pk, "quantity": "2", "discount_percent": "10"},
            {"product": products[1].pk, "quantity": "4"},
        ],
        **extra,
    }


@pytest.mark.django_db
def test_enquiry_for_a_prospect_gets_a_number_and_computed_totals(api_for, rep1, products):
    response = api_for(rep1).post("/api/v1/leads/", prospect_payload(products), format="json")
    body = response.json()
    assert response.status_code == 201, body
    assert body["number"] == "ENQ-2026-00001"
    assert body["state"] == "new"
    assert [line["line_total"] for line in body["lines"]] == ["1800.00", "50.00"]
    assert (body["subtotal"], body["discount_total"], body["tax_total"], body["total"]) == (
        "2050.00",
        "200.00",
        "351.50",
        "2201.50",
    )


@pytest.mark.django_db
def test_line_prices_come_from_the_customers_price_list(rep1, products):
    group = factories.CustomerGroupFactory()
    account = factories.AccountFactory(owner=rep1, group=group)
    factories.PriceListItemFactory(
        price_list=factories.PriceListFactory(customer_group=group),
        product=products[0],
        price=Decimal("900.00"),
    )
    lead = lead_create(
        actor=rep1,
        data={"channel": "email", "account": account, "enquiry_date": TODAY},
        lines=[{"product": products[0], "quantity": Decimal("1")}],
    )
    assert lead.lines.get().unit_price == Decimal("900.00")


@pytest.mark.django_db
def test_lead_period_for_quotation_creates_a_reminder_for_the_owner(rep1, account, products):
    lead = lead_create(
        actor=rep1,
        data={
            "channel": "fax",
            "account": account,
            "quote_due_date": TODAY + datetime.timedelta(days=5),
        },
    )
    reminder = Reminder.objects.get(account=account)
    assert reminder.assignee == rep1
    assert reminder.due_date == TODAY + datetime.timedelta(days=5)
    assert lead.number in reminder.subject


@pytest.mark.django_db
def test_prospect_without_company_name_or_email_is_refused_naming_the_field(api_for, rep1):
    response = api_for(rep1).post("/api/v1/leads/", {"channel": "letter"}, format="json")
    assert response.status_code == 400
    assert "company" in response.json()["fields"]


@pytest.mark.django_db
def test_contact_of_another_customer_is_refused(api_for, rep1, account):
    other = factories.AccountFactory(owner=rep1)
    contact = factories.ContactFactory(account=other)
    response = api_for(rep1).post(
        "/api/v1/leads/",
        {"channel": "email", "account": account.pk, "contact": contact.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "contact" in response.json()["fields"]


@pytest.mark.django_db
def test_free_text_line_needs_a_price(api_for, rep1, products):
    payload = prospect_payload(products, lines=[{"description": "Custom fixture"}])
    response = api_for(rep1).post("/api/v1/leads/", payload, format="json")
    assert response.status_code == 400
    assert "lines" in response.json()["fields"]


@pytest.mark.django_db
def test_qualifying_moves_the_state_and_logs_it(api_for, rep1, products):
    client = api_for(rep1)
    lead = client.post("/api/v1/leads/", prospect_payload(products), format="json").json()
    response = client.post(
        f"/api/v1/leads/{lead['id']}/qualify/", {"note": "budget ok"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "qualified"
    log = TransitionLog.objects.get()
    assert (log.source, log.target, log.note, log.actor) == ("new", "qualified", "budget ok", rep1)


@pytest.mark.django_db
def test_illegal_transition_is_409_and_changes_nothing(api_for, rep1, products):
    client = api_for(rep1)
    lead = client.post("/api/v1/leads/", prospect_payload(products), format="json").json()
    response = client.post(f"/api/v1/leads/{lead['id']}/recycle/")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert Lead.objects.get(pk=lead["id"]).state == "new"
    assert not TransitionLog.objects.exists()


@pytest.mark.django_db
def test_disqualify_needs_a_reason_and_recycle_brings_it_back(api_for, rep1, products):
    client = api_for(rep1)
    lead = client.post("/api/v1/leads/", prospect_payload(products), format="json").json()
    missing = client.post(f"/api/v1/leads/{lead['id']}/disqualify/", {}, format="json")
    done = client.post(
        f"/api/v1/leads/{lead['id']}/disqualify/", {"reason": "no budget"}, format="json"
    )
    back = client.post(f"/api/v1/leads/{lead['id']}/recycle/")
    assert missing.status_code == 400
    assert done.json()["disqualify_reason"] == "no budget"
    assert back.json()["state"] == "new"


@pytest.mark.django_db
def test_a_disqualified_enquiry_cannot_be_edited(api_for, rep1, products):
    client = api_for(rep1)
    lead = client.post("/api/v1/leads/", prospect_payload(products), format="json").json()
    lead_disqualify(lead=Lead.objects.get(pk=lead["id"]), actor=rep1, reason="spam")
    response = client.patch(f"/api/v1/leads/{lead['id']}/", {"remarks": "x"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "lead_read_only"


@pytest.mark.django_db
def test_another_reps_enquiry_is_404(api_for, rep1, rep2, products):
    lead = api_for(rep2).post("/api/v1/leads/", prospect_payload(products), format="json").json()
    assert api_for(rep1).get(f"/api/v1/leads/{lead['id']}/").status_code == 404


@pytest.mark.django_db
def test_sales_manager_reassigns_an_enquiry(api_for, rep1, rep2, sales_manager, products):
    lead = api_for(rep1).post("/api/v1/leads/", prospect_payload(products), format="json").json()
    response = api_for(sales_manager).post(
        f"/api/v1/leads/{lead['id']}/reassign/", {"owner": rep2.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["owner"] == rep2.pk
    assert api_for(rep2).get(f"/api/v1/leads/{lead['id']}/").status_code == 200


@pytest.mark.django_db
def test_list_filters_by_several_states_and_searches_by_product_code(api_for, rep1, products):
    client = api_for(rep1)
    first = client.post("/api/v1/leads/", prospect_payload(products), format="json").json()
    client.post("/api/v1/leads/", prospect_payload(products, lines=[]), format="json")
    client.post(f"/api/v1/leads/{first['id']}/qualify/")
    both = client.get("/api/v1/leads/?state=new&state=qualified").json()["count"]
    by_product = client.get("/api/v1/leads/?search=LAT-1").json()
    assert both == 2
    assert [lead["id"] for lead in by_product["results"]] == [first["id"]]


@pytest.mark.django_db
def test_lead_list_runs_the_same_queries_for_3_and_for_20_enquiries(api_for, rep1, products):
    client = api_for(rep1)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/leads/?page_size=50").status_code == 200
        return len(queries)

    for _ in range(3):
        client.post("/api/v1/leads/", prospect_payload(products), format="json")
    few = count_queries()
    for _ in range(17):
        client.post("/api/v1/leads/", prospect_payload(products), format="json")
    assert count_queries() == few


@pytest.mark.django_db
def test_quote_reminders_made_before_the_link_are_linked_to_their_enquiry(rep1):
    migration = import_module("leads.migrations.0004_link_quote_reminders")
    account = factories.AccountFactory(owner=rep1)
    lead = lead_create(actor=rep1, data={"channel": "email", "account": account})
    legacy = Reminder.objects.create(
        account=account,
        assignee=rep1,
        subject=f"Quote owed for {lead.number}",
        due_date=TODAY,
    )
    migration.link(apps, None)
    legacy.refresh_from_db()
    assert (legacy.regarding, legacy.key) == (lead, "quote_due")


@pytest.mark.django_db
def test_reassigning_an_enquiry_gives_its_quote_reminder_to_the_new_owner(rep1, sales_manager):
    other = factories.UserFactory(role="sales rep", branch=rep1.branch)
    lead = lead_create(
        actor=rep1, data={"channel": "email", "company": "Q GmbH", "quote_due_date": TODAY}
    )
    lead_reassign(lead=lead, actor=sales_manager, owner=other)
    assert Reminder.objects.get().assignee == other
