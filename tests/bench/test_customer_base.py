"""How the customer base behaves at a realistic size (5,000 customers, 10,000 contacts)."""

from decimal import Decimal

import pytest
from django.db import connection

from sfa.catalog.services import resolve_price
from sfa.customers.models import Account, Contact
from tests import factories

N_ACCOUNTS = 5000


@pytest.fixture
def big_base(sales_manager, rep1):
    owners = [sales_manager, rep1]
    accounts = Account.objects.bulk_create(
        Account(
            code=f"B{n:06d}",
            name=f"Bench customer {n} GmbH",
            owner=owners[n % 2],
            branch=rep1.branch,
            city=["Hamburg", "Munich", "Kiel"][n % 3],
            email=f"info@bench{n}.example",
            phone=f"+49 40 {n:07d}",
        )
        for n in range(N_ACCOUNTS)
    )
    Contact.objects.bulk_create(
        Contact(
            account=account,
            first_name="Jo",
            last_name=f"Person{n}",
            email=f"jo.person{n}@bench{n}.example",
        )
        for n, account in enumerate(accounts * 2)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return accounts


@pytest.mark.django_db
def test_bench_account_api(big_base, sales_manager, rep1, api_for, timed):
    manager, rep = api_for(sales_manager), api_for(rep1)
    timed(
        "API accounts list, manager, page 1 of 5000",
        lambda: manager.get("/api/v1/accounts/").json(),
    )
    timed(
        "API accounts list, manager, page_size=200",
        lambda: manager.get("/api/v1/accounts/?page_size=200").json(),
    )
    timed("API accounts list, rep (owns half)", lambda: rep.get("/api/v1/accounts/").json())
    timed(
        "API accounts ?search=<contact e-mail part>",
        lambda: manager.get("/api/v1/accounts/?search=person4711").json(),
    )
    timed(
        "API accounts ?search=<two words>",
        lambda: manager.get("/api/v1/accounts/?search=bench+munich").json(),
    )


@pytest.mark.django_db
def test_bench_staff_search(big_base, sales_manager, client, timed):
    client.force_login(sales_manager)
    timed(
        "staff list search as you type (htmx partial)",
        lambda: client.get(
            "/customers/?q=person4711", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="account-results"
        ),
    )
    timed("global search box", lambda: client.get("/search/?q=bench47", HTTP_HX_REQUEST="true"))


@pytest.mark.django_db
def test_bench_price_resolution(timed):
    group = factories.CustomerGroupFactory()
    account = factories.AccountFactory(group=group)
    category = factories.ProductCategoryFactory()
    product = factories.ProductFactory(category=category)
    price_list = factories.PriceListFactory(customer_group=group)
    for quantity in (0, 10, 100):
        factories.PriceListItemFactory(
            price_list=price_list,
            category=category,
            discount_percent=Decimal(5 + quantity // 10),
            min_quantity=quantity,
        )
    timed(
        "resolve_price (category discount, volume breaks)",
        lambda: resolve_price(product=product, account=account, quantity=Decimal("25")),
        repeat=200,
    )
