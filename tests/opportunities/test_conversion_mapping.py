"""The administrator's conversion mapping decides what the converted records get."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from leads.models import ConversionMapping
from leads.selectors import conversion_values
from opportunities.services import lead_convert
from tests import factories
from tests.opportunities.test_conversion import qualified_prospect


@pytest.mark.django_db
def test_the_default_mapping_fills_customer_contact_and_opportunity(rep1, lathe):
    lead = qualified_prospect(
        rep1,
        lathe,
        phone="+49 431 1",
        region="Holstein",
        remarks="Needs delivery in March.",
        quote_due_date=datetime.date(2026, 12, 15),
    )
    deal = lead_convert(lead=lead, actor=rep1)
    account, contact = deal.account, deal.contact
    assert (account.name, account.city, account.region, account.phone) == (
        "Prospect Works",
        "Kiel",
        "Holstein",
        "+49 431 1",
    )
    assert (contact.first_name, contact.last_name, contact.email) == (
        "Pia",
        "Prospect",
        "pia@prospect.example",
    )
    assert deal.expected_close_date == datetime.date(2026, 12, 15)
    assert deal.notes == "Needs delivery in March."


@pytest.mark.django_db
def test_the_workflow_state_never_becomes_the_customers_province(rep1, lathe):
    deal = lead_convert(lead=qualified_prospect(rep1, lathe), actor=rep1)
    assert deal.account.state == ""


@pytest.mark.django_db
def test_a_custom_answer_maps_onto_a_customer_special_field(rep1, lathe):
    factories.CustomFieldFactory(key="employees", label="Employees", field_type="text")
    ConversionMapping.objects.create(
        source="custom_fields.employees", target="account", target_field="custom_fields.employees"
    )
    lead = qualified_prospect(rep1, lathe, custom_fields={"employees": "51-500"})
    deal = lead_convert(lead=lead, actor=rep1)
    assert deal.account.custom_fields == {"employees": "51-500"}


@pytest.mark.django_db
def test_a_custom_answer_can_fill_a_standard_field(rep1, lathe):
    ConversionMapping.objects.create(
        source="custom_fields.role", target="contact", target_field="title"
    )
    lead = qualified_prospect(rep1, lathe, custom_fields={"role": "Buyer"})
    assert lead_convert(lead=lead, actor=rep1).contact.title == "Buyer"


@pytest.mark.django_db
def test_an_inactive_mapping_line_is_not_applied(rep1, lathe):
    ConversionMapping.objects.filter(target="account", target_field="city").update(is_active=False)
    assert lead_convert(lead=qualified_prospect(rep1, lathe), actor=rep1).account.city == ""


@pytest.mark.django_db
def test_linking_an_existing_customer_fills_only_its_blanks(rep1, lathe):
    existing = factories.AccountFactory(owner=rep1, name="Works AG", city="Lübeck", phone="")
    lead = qualified_prospect(rep1, lathe, phone="+49 431 1")
    deal = lead_convert(lead=lead, actor=rep1, account=existing)
    existing.refresh_from_db()
    assert deal.account == existing
    assert (existing.name, existing.city, existing.phone) == ("Works AG", "Lübeck", "+49 431 1")


@pytest.mark.django_db
def test_an_overwriting_mapping_replaces_an_existing_customers_value(rep1, lathe):
    ConversionMapping.objects.filter(target="account", target_field="city").update(overwrite=True)
    existing = factories.AccountFactory(owner=rep1, name="Works AG", city="Lübeck")
    lead_convert(lead=qualified_prospect(rep1, lathe), actor=rep1, account=existing)
    existing.refresh_from_db()
    assert existing.city == "Kiel"


@pytest.mark.django_db
def test_an_existing_contact_with_the_lead_email_is_linked_not_duplicated(rep1, lathe):
    existing = factories.AccountFactory(owner=rep1)
    contact = factories.ContactFactory(
        account=existing, email="PIA@prospect.example", first_name="", last_name="P."
    )
    deal = lead_convert(lead=qualified_prospect(rep1, lathe), actor=rep1, account=existing)
    contact.refresh_from_db()
    assert deal.contact == contact
    assert existing.contacts.count() == 1
    assert (contact.first_name, contact.last_name) == ("Pia", "P.")


@pytest.mark.django_db
def test_the_preview_values_follow_the_mapping(rep1, lathe):
    lead = qualified_prospect(rep1, lathe)
    values = conversion_values(lead)
    assert {m.field: m.value for m in values["account"]}["name"] == "Prospect Works"
    assert {m.field for m in values["contact"]} >= {"first_name", "last_name", "email"}


@pytest.mark.django_db
def test_a_mapping_to_an_unknown_field_is_refused_naming_it():
    with pytest.raises(ValidationError) as error:
        ConversionMapping(source="email", target="contact", target_field="shoe_size").full_clean()
    assert "target_field" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        ConversionMapping(source="state", target="account", target_field="notes").full_clean()
    assert "source" in error.value.message_dict


@pytest.mark.django_db
def test_custom_fields_of_contacts_are_not_a_mapping_target():
    with pytest.raises(ValidationError) as error:
        ConversionMapping(
            source="email", target="contact", target_field="custom_fields.x"
        ).full_clean()
    assert "target_field" in error.value.message_dict


@pytest.mark.django_db
def test_the_conversion_page_shows_what_the_mapping_fills_in(client_for, rep1, lathe):
    lead = qualified_prospect(rep1, lathe)
    html = client_for(rep1).get(f"/opportunities/convert/{lead.pk}/").content.decode()
    assert "What the enquiry fills in" in html
    assert "<dt>City</dt><dd>Kiel</dd>" in html


@pytest.mark.django_db
def test_the_api_preview_lists_the_mapped_values(api_for, rep1, lathe):
    lead = qualified_prospect(rep1, lathe)
    body = api_for(rep1).get(f"/api/v1/leads/{lead.pk}/convert/").json()
    assert body["mapped"]["account"]["name"] == "Prospect Works"
    assert body["mapped"]["contact"]["email"] == "pia@prospect.example"
