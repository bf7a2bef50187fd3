import threading
from decimal import Decimal

import pytest
from django.db import connection

from leads.models import Lead
from leads.services import lead_create, lead_qualify
from opportunities.models import Opportunity
from opportunities.services import lead_convert
from sfa.core.exceptions import TransitionRefused
from sfa.customers.models import Account, Contact
from tests import factories


def qualified_prospect(owner, product, **data):
    lead = lead_create(
        actor=owner,
        data={
            "channel": "telephone",
            "company": "Prospect Works",
            "first_name": "Pia",
            "last_name": "Prospect",
            "email": "pia@prospect.example",
            "city": "Kiel",
            **data,
        },
        lines=[{"product": product, "quantity": Decimal("2"), "discount_percent": Decimal("5")}],
    )
    return lead_qualify(lead=lead, actor=owner)


@pytest.mark.django_db
def test_converting_a_prospect_creates_customer_contact_and_opportunity(api_for, rep1, lathe):
    lead = qualified_prospect(rep1, lathe)
    response = api_for(rep1).post(f"/api/v1/leads/{lead.pk}/convert/", {}, format="json")
    body = response.json()
    assert response.status_code == 201, body
    account = Account.objects.get(pk=body["account"])
    assert (account.name, account.city, account.owner) == ("Prospect Works", "Kiel", rep1)
    assert Contact.objects.get(pk=body["contact"]).email == "pia@prospect.example"
    assert body["state"] == "qualification"
    assert body["amount"] == "1900.00"
    assert [line["product"] for line in body["lines"]] == [lathe.pk]
    lead.refresh_from_db()
    assert (lead.state, lead.account_id) == ("converted", account.pk)


@pytest.mark.django_db
def test_preview_offers_the_existing_contact_with_the_same_email(api_for, rep1, lathe):
    existing = factories.AccountFactory(owner=rep1, name="Prospect Works GmbH")
    contact = factories.ContactFactory(account=existing, email="pia@prospect.example")
    lead = qualified_prospect(rep1, lathe)
    preview = api_for(rep1).get(f"/api/v1/leads/{lead.pk}/convert/").json()
    assert [a["id"] for a in preview["accounts"]] == [existing.pk]
    assert [c["id"] for c in preview["contacts"]] == [contact.pk]
    assert preview["creates_account"] is False


@pytest.mark.django_db
def test_converting_onto_an_existing_customer_reuses_its_contact(api_for, rep1, lathe):
    existing = factories.AccountFactory(owner=rep1)
    contact = factories.ContactFactory(account=existing, email="pia@prospect.example")
    lead = qualified_prospect(rep1, lathe)
    body = (
        api_for(rep1)
        .post(f"/api/v1/leads/{lead.pk}/convert/", {"account": existing.pk}, format="json")
        .json()
    )
    assert (body["account"], body["contact"]) == (existing.pk, contact.pk)
    assert Account.objects.count() == 1
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_converting_twice_is_refused_and_creates_nothing_more(api_for, rep1, lathe):
    lead = qualified_prospect(rep1, lathe)
    client = api_for(rep1)
    client.post(f"/api/v1/leads/{lead.pk}/convert/", {}, format="json")
    again = client.post(f"/api/v1/leads/{lead.pk}/convert/", {}, format="json")
    assert again.status_code == 409
    assert Opportunity.objects.count() == 1
    assert Account.objects.count() == 1


@pytest.mark.django_db
def test_an_unqualified_enquiry_cannot_be_converted(api_for, rep1, lathe):
    lead = lead_create(actor=rep1, data={"channel": "fax", "company": "Early Stage"})
    response = api_for(rep1).post(f"/api/v1/leads/{lead.pk}/convert/", {}, format="json")
    assert response.status_code == 409
    assert not Opportunity.objects.exists()
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_a_failing_conversion_leaves_nothing_half_done(rep1, lathe, monkeypatch):
    lead = qualified_prospect(rep1, lathe)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("opportunities.services.opportunity_create", broken)
    with pytest.raises(RuntimeError):
        lead_convert(lead=lead, actor=rep1)
    assert not Account.objects.exists()
    assert not Contact.objects.exists()
    assert Lead.objects.get(pk=lead.pk).state == "qualified"


@pytest.mark.django_db
def test_a_rep_cannot_convert_another_reps_enquiry(api_for, rep1, rep2, lathe):
    lead = qualified_prospect(rep2, lathe)
    response = api_for(rep1).post(f"/api/v1/leads/{lead.pk}/convert/", {}, format="json")
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_conversions_make_exactly_one_opportunity(rep1, lathe):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    lead = qualified_prospect(rep1, lathe)
    barrier, outcomes = threading.Barrier(2), []

    def convert():
        try:
            barrier.wait(timeout=10)
            lead_convert(lead=Lead.objects.get(pk=lead.pk), actor=rep1)
            outcomes.append("converted")
        except TransitionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["converted", "refused"]
    assert Opportunity.objects.count() == 1
    assert Account.objects.count() == 1
