import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.services import lead_create, lead_qualify
from opportunities.models import Opportunity
from opportunities.services import lead_convert, opportunity_create
from quotes.services import quote_from_opportunity
from sfa.customers.models import Account
from tests import factories

# The opportunity page: session, user, groups, 2 × permissions, the deal (with its source
# enquiry), lost reasons, lines, the quotes panel, activities, reminders, documents, the log.
QUERIES = 12


@pytest.fixture
def qualified(rep1):
    product = factories.ProductFactory(unit_price=Decimal("100.00"))
    lead = lead_create(
        actor=rep1,
        data={
            "channel": "email",
            "company": "Prospect Works",
            "last_name": "Prospect",
            "email": "pia@prospect.example",
        },
        lines=[{"product": product, "quantity": Decimal("3")}],
    )
    return lead_qualify(lead=lead, actor=rep1)


@pytest.mark.django_db
def test_conversion_page_offers_the_matching_customer_and_contact(client_for, rep1, qualified):
    existing = factories.AccountFactory(owner=rep1, name="Prospect Works GmbH")
    contact = factories.ContactFactory(
        account=existing, first_name="Pia", email="pia@prospect.example"
    )
    page = client_for(rep1).get(f"/opportunities/convert/{qualified.pk}/").content.decode()
    assert existing.name in page
    assert f'value="{contact.pk}"' in page
    assert "Create a new customer" in page


@pytest.mark.django_db
def test_converting_from_the_page_links_the_chosen_customer(client_for, rep1, qualified):
    existing = factories.AccountFactory(owner=rep1, name="Prospect Works GmbH")
    response = client_for(rep1).post(
        f"/opportunities/convert/{qualified.pk}/",
        {"account_choice": str(existing.pk), "contact_choice": "new"},
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response.url == f"/customers/{existing.pk}/"
    assert opportunity.account == existing
    assert opportunity.amount == Decimal("300.00")
    assert Account.objects.count() == 1


@pytest.mark.django_db
def test_a_converted_enquiry_sends_back_to_its_page_with_the_reason(client_for, rep1, qualified):
    client = client_for(rep1)
    client.post(f"/opportunities/convert/{qualified.pk}/", {"account_choice": "new"})
    again = client.post(
        f"/opportunities/convert/{qualified.pk}/", {"account_choice": "new"}, follow=True
    )
    assert again.redirect_chain[-1][0] == f"/enquiries/{qualified.pk}/"
    assert "only a qualified enquiry can be converted" in again.content.decode()
    assert Opportunity.objects.count() == 1


@pytest.mark.django_db
def test_another_reps_enquiry_has_no_conversion_page(client_for, rep2, qualified):
    assert client_for(rep2).get(f"/opportunities/convert/{qualified.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_customer_360_lists_its_opportunities(client_for, rep1, qualified):
    client = client_for(rep1)
    client.post(f"/opportunities/convert/{qualified.pk}/", {"account_choice": "new"})
    account = Opportunity.objects.get().account
    page = client.get(f"/customers/{account.pk}/?tab=opportunities").content.decode()
    assert qualified.number in page


@pytest.mark.django_db
def test_enquiry_detail_links_to_the_conversion_once_qualified(client_for, rep1, qualified):
    page = client_for(rep1).get(f"/enquiries/{qualified.pk}/").content.decode()
    assert f"/opportunities/convert/{qualified.pk}/" in page


@pytest.mark.django_db
def test_enquiry_detail_offers_no_conversion_to_who_may_not_convert(
    client_for, marketing, qualified
):
    page = client_for(marketing).get(f"/enquiries/{qualified.pk}/").content.decode()
    assert f"/opportunities/convert/{qualified.pk}/" not in page


@pytest.mark.django_db
def test_enquiry_detail_offers_no_conversion_before_it_is_qualified(client_for, rep1):
    lead = lead_create(actor=rep1, data={"channel": "email", "last_name": "Early"}, lines=[])
    page = client_for(rep1).get(f"/enquiries/{lead.pk}/").content.decode()
    assert f"/opportunities/convert/{lead.pk}/" not in page


@pytest.mark.django_db
def test_opportunity_detail_takes_a_fixed_number_of_queries_whatever_its_quotes(
    client_for, rep1, qualified, django_assert_num_queries
):
    deal = lead_convert(lead=qualified, actor=rep1)
    client = client_for(rep1)
    quote_from_opportunity(opportunity=deal, actor=rep1)
    client.get(f"/opportunities/{deal.pk}/")  # warm the caches (content types, stage settings)
    with django_assert_num_queries(QUERIES):
        assert client.get(f"/opportunities/{deal.pk}/").status_code == 200
    quote_from_opportunity(opportunity=deal, actor=rep1)
    with django_assert_num_queries(QUERIES):
        page = client.get(f"/opportunities/{deal.pk}/").content.decode()
    assert len(re.findall(r'href="/quotes/\d+/"', page)) == 2


# The list -------------------------------------------------------------------------------------


def _deal(owner, title, stage="prospecting", **data):
    account = factories.AccountFactory(owner=owner, branch=owner.branch)
    data = {"title": title, "account": account, **data}
    return opportunity_create(actor=owner, data=data, stage=stage)


def _titles(html: str) -> list[str]:
    return re.findall(r'href="/opportunities/\d+/">([^<]+)</a>', html)


@pytest.mark.django_db
def test_the_staff_list_and_the_api_take_the_same_parameters(
    client_for, api_for, rep1, rep2, sales_manager
):
    _deal(rep1, "Lathes for the hall", expected_close_date=datetime.date(2026, 12, 1))
    _deal(rep2, "Oil for a year", expected_close_date=datetime.date(2027, 3, 1))
    _deal(rep1, "Spare lathe", stage="qualification")
    staff, api = client_for(sales_manager), api_for(sales_manager)
    for params in (
        {"search": "lathe"},
        {"state": ["qualification"]},
        {"owner": rep2.pk},
        {"close_from": "2027-01-01"},
        {"ordering": "-expected_close_date"},
    ):
        html = staff.get("/opportunities/", params).content.decode()
        rows = api.get("/api/v1/opportunities/", params).json()["results"]
        assert _titles(html) == [row["title"] for row in rows], params
        assert rows


@pytest.mark.django_db
def test_the_staff_list_queries_do_not_grow_with_the_rows(client_for, rep1):
    client = client_for(rep1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/opportunities/").status_code == 200
        return len(queries)

    for index in range(5):
        _deal(rep1, f"Deal {index}")
    few = count()
    for index in range(5, 25):
        _deal(rep1, f"Deal {index}")
    assert count() == few
