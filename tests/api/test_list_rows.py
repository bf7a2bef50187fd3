"""API lists show lean rows: a record without its children (lines, watchers); ``?expand=``
gives each row as on the record's own URL, with the same queries whatever the rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.services import lead_create
from opportunities.services import opportunity_create
from quotes.services import quote_create
from tests import factories
from tickets import services as tickets

pytestmark = pytest.mark.django_db


def _lead(owner, product):
    data = {"channel": "telephone", "enquiry_date": datetime.date(2026, 11, 23), "company": "P"}
    return lead_create(actor=owner, data=data, lines=[{"product": product, "quantity": 2}])


def _deal(owner, product):
    account = factories.AccountFactory(owner=owner, branch=owner.branch)
    lines = [{"product": product, "quantity": Decimal("1")}]
    return opportunity_create(actor=owner, data={"title": "Deal", "account": account}, lines=lines)


def _quote(owner, product):
    account = factories.AccountFactory(owner=owner, branch=owner.branch)
    lines = [{"product": product, "quantity": Decimal("1")}]
    return quote_create(actor=owner, data={"account": account}, lines=lines)


def _ticket(owner, product):
    ticket = factories.TicketFactory(account=factories.AccountFactory(owner=owner))
    tickets.ticket_watch(ticket=ticket, actor=owner)
    return ticket


CASES = [
    ("leads", "lines", _lead),
    ("opportunities", "lines", _deal),
    ("quotes", "lines", _quote),
    ("tickets", "watchers", _ticket),
]


@pytest.fixture
def user(sales_manager, support_manager, request):
    return (
        support_manager if request.node.callspec.params["resource"] == "tickets" else sales_manager
    )


@pytest.mark.parametrize(("resource", "child", "make"), CASES)
def test_a_list_row_leaves_out_the_records_children(api_for, user, resource, child, make):
    make(user, factories.ProductFactory())
    row = api_for(user).get(f"/api/v1/{resource}/").json()["results"][0]
    assert child not in row


@pytest.mark.parametrize(("resource", "child", "make"), CASES)
def test_an_expanded_row_is_the_record_as_on_its_own_url(api_for, user, resource, child, make):
    record = make(user, factories.ProductFactory())
    client = api_for(user)
    row = client.get(f"/api/v1/{resource}/", {"expand": child}).json()["results"][0]
    assert row == client.get(f"/api/v1/{resource}/{record.pk}/").json()
    assert row[child]


@pytest.mark.parametrize(("resource", "child", "make"), CASES)
def test_an_expanded_list_needs_the_same_queries_for_two_and_ten_rows(
    api_for, user, resource, child, make
):
    client = api_for(user)
    product = factories.ProductFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{resource}/", {"expand": child}).status_code == 200
        return len(queries)

    for _ in range(2):
        make(user, product)
    count()
    few = count()
    for _ in range(8):
        make(user, product)
    count()
    assert count() == few
