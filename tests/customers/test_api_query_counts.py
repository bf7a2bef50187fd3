"""Every list endpoint runs a fixed number of queries, however many rows it returns.

Each row gets its own related records (owner, user, contact, category...) so that a missing
``select_related`` / ``prefetch_related`` shows up as one more query per row.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sfa.core.access import Role
from sfa.customers.models import Contract, DeletionRequest, Document, Reminder
from tests import factories

FEW, MANY = 3, 25


def rep_of(viewer):
    """A fresh rep of the viewer's branch, for per-row users."""
    return factories.UserFactory(role=Role.SALES_REP, branch=viewer.branch)


def new_account(viewer, index: int):
    account = factories.AccountFactory(
        owner=viewer,
        branch=viewer.branch,
        group=factories.CustomerGroupFactory(),
        industry=factories.IndustryFactory(),
    )
    account.types.set([factories.CustomerTypeFactory(), factories.CustomerTypeFactory()])
    return account


def new_contact(viewer, index: int):
    return factories.ContactFactory(account=new_account(viewer, index))


def new_address(viewer, index: int):
    return factories.ShipToFactory(account=new_account(viewer, index))


def new_reminder(viewer, index: int):
    account = new_account(viewer, index)
    return factories.ReminderFactory(
        account=account,
        contact=factories.ContactFactory(account=account),
        assignee=viewer,
        created_by=rep_of(viewer),
    )


def new_activity(viewer, index: int):
    account = new_account(viewer, index)
    return factories.ActivityFactory(
        account=account, contact=factories.ContactFactory(account=account), user=rep_of(viewer)
    )


def new_document(viewer, index: int):
    document = Document(
        account=new_account(viewer, index),
        title=f"Doc {index}",
        original_name="doc.txt",
        content_type="text/plain",
        size=3,
        uploaded_by=rep_of(viewer),
    )
    document.file.save("doc.txt", ContentFile(b"doc"), save=False)
    document.save()
    return document


def new_contract(viewer, index: int):
    return Contract.objects.create(
        account=new_account(viewer, index),
        number=f"CT-QC-{index:03d}",
        title="Service",
        start_date=datetime.date(2026, 1, 1),
    )


def new_product(viewer, index: int):
    parent = factories.ProductCategoryFactory()
    return factories.ProductFactory(
        category=factories.ProductCategoryFactory(parent=parent),
        tax_rate=factories.TaxRateFactory(name=f"Rate {index}", rate=Decimal("7.00")),
    )


def new_deletion_request(viewer, index: int):
    account = new_account(viewer, index)
    return DeletionRequest.objects.create(
        account=account, account_label=str(account), reason="duplicate", requested_by=viewer
    )


def new_price_list(viewer, index: int):
    price_list = factories.PriceListFactory()
    product = factories.ProductFactory()
    factories.PriceListItemFactory(price_list=price_list, product=product, price=Decimal("9"))
    factories.PriceListItemFactory(
        price_list=price_list,
        category=factories.ProductCategoryFactory(),
        discount_percent=Decimal("5"),
    )
    return price_list


ENDPOINTS = {
    "accounts": new_account,
    "contacts": new_contact,
    "addresses": new_address,
    "reminders": new_reminder,
    "activities": new_activity,
    "documents": new_document,
    "contracts": new_contract,
    "products": new_product,
    "deletion-requests": new_deletion_request,
    "price-lists": new_price_list,
}


def count_list_queries(client, resource: str) -> tuple[int, int]:
    """(rows, queries) of one list request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{resource}/", {"page_size": MANY})
    assert response.status_code == 200, response.json()
    return response.json()["count"], len(queries)


@pytest.mark.parametrize(
    ("resource", "actor"),
    [
        *[(resource, "rep1") for resource in ENDPOINTS],
        *[(resource, "sales_manager") for resource in ENDPOINTS],
    ],
)
def test_list_query_count_does_not_grow_with_rows(request, db, api_for, resource, actor):
    viewer = request.getfixturevalue(actor)
    client = api_for(viewer)
    make = ENDPOINTS[resource]
    for index in range(FEW):
        make(viewer, index)
    rows_few, queries_few = count_list_queries(client, resource)
    for index in range(FEW, MANY):
        make(viewer, index)
    rows_many, queries_many = count_list_queries(client, resource)

    assert (rows_few, rows_many) == (FEW, MANY)
    assert queries_many == queries_few


def test_account_list_query_count_is_exact(api_for, rep1, django_assert_num_queries):
    for index in range(MANY):
        new_account(rep1, index)
    client = api_for(rep1)
    # token, roles, user and group permissions (available transitions), count, rows, types
    with django_assert_num_queries(7):
        response = client.get("/api/v1/accounts/")
    assert len(response.json()["results"]) == MANY


def test_due_reminders_query_count_does_not_grow_with_rows(api_for, rep1):
    client = api_for(rep1)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def add_due_reminders(count: int) -> None:
        for index in range(count):
            Reminder.objects.filter(pk=new_reminder(rep1, index).pk).update(due_date=yesterday)

    def due_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/reminders/due/", {"page_size": MANY})
        assert response.status_code == 200
        return response.json()["count"], len(queries)

    add_due_reminders(FEW)
    rows_few, queries_few = due_queries()
    add_due_reminders(MANY - FEW)
    rows_many, queries_many = due_queries()

    assert (rows_few, rows_many) == (FEW, MANY)
    assert queries_many == queries_few
