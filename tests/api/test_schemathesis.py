"""Property-based test of the whole API against its own OpenAPI schema: never a 500.

schemathesis generates requests for every operation of ``/api/schema/`` (valid and invalid
ids, filters, bodies, page numbers...) and sends them in-process through the real WSGI
handler, authenticated as a sales manager, with some data present. Only
``not_a_server_error`` is checked: 4xx answers are the API doing its job.
"""

import re

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from rest_framework.authtoken.models import Token
from schemathesis.generation.meta import TestPhase
from werkzeug import Client

from sfa.core.access import Role
from sfa.customers.models import Contract, CustomFieldDefinition, DeletionRequest, Document
from tests import factories

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

# The ids of the records the fixture made, by resource ("accounts" → [pk, ...]); the
# path-parameter hook swaps some generated ids for these so detail endpoints see real records.
EXISTING: dict[str, list[int]] = {}
RESOURCE_IN_PATH = re.compile(r"^/api/v1/([a-z-]+)/\{")
JSON = "application/json"


class ClosingClient(Client):
    """Reads every response to the end and closes it, as a WSGI server does.

    schemathesis leaves responses open: a ``FileResponse`` would keep its file open and
    Django's ``request_finished`` would never fire.
    """

    def open(self, *args, **kwargs):
        kwargs["buffered"] = True
        return super().open(*args, **kwargs)


@schema.hook
def map_path_parameters(context, path_parameters):
    match = RESOURCE_IN_PATH.match(context.operation.path)
    ids = EXISTING.get(match.group(1)) if match else None
    value = path_parameters.get("id") if isinstance(path_parameters, dict) else None
    if ids and isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
        path_parameters["id"] = ids[value // 2 % len(ids)]
    return path_parameters


@schema.hook
def filter_case(context, case):
    """Keeps the coverage phase (every boundary and wrong-type value of every field) to the
    run time budget; the fuzzing phase still sends every method and media type.

    - JSON only where the operation takes JSON: the same values again as form or multipart
      data mostly retest the parsers and would triple the run time;
    - no ``PUT``: it is ``PATCH`` with every field required, through the same code.
    """
    meta = case.meta
    if meta is None or meta.phase.name != TestPhase.COVERAGE:
        return True
    if case.method == "PUT":
        return False
    takes_json = any(body.media_type == JSON for body in context.operation.body)
    return case.media_type in (None, JSON) or not takes_json


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The real WSGI handler closes the DB connection after each request (PostgreSQL: the
    test transaction's connection), which Django's test client avoids; do as it does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The token endpoint is throttled in the (local memory) cache; leave it as found."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager_token(db, rep1):
    manager = factories.UserFactory(username="st-manager", role=Role.SALES_MANAGER)
    return Token.objects.create(user=manager).key


@pytest.fixture
def data(db, rep1):
    """A little of everything, so that lists, filters and detail views have rows to show."""
    CF = CustomFieldDefinition.FieldType
    factories.CustomFieldFactory(key="employees", field_type=CF.NUMBER)
    factories.CustomFieldFactory(key="tier", field_type=CF.CHOICE, choices=["gold", "silver"])
    factories.CustomFieldFactory(key="founded", field_type=CF.DATE)
    factories.CustomFieldFactory(key="vip", field_type=CF.BOOLEAN)
    factories.CustomFieldFactory(key="motto", field_type=CF.TEXT)
    group = factories.CustomerGroupFactory()
    account = factories.AccountFactory(
        owner=rep1,
        group=group,
        custom_fields={"employees": 12, "tier": "gold", "founded": "2001-01-01", "vip": True},
    )
    account.types.set([factories.CustomerTypeFactory()])
    bare = factories.AccountFactory(owner=rep1)
    contact = factories.ContactFactory(account=account)
    document = Document(
        account=account, title="Offer", original_name="offer.txt", content_type="text/plain", size=5
    )
    document.file.save("offer.txt", ContentFile(b"offer"), save=False)
    document.save()
    contract = Contract.objects.create(
        account=account, number="CT-ST-1", title="Service", start_date="2026-01-01"
    )
    category = factories.ProductCategoryFactory(parent=factories.ProductCategoryFactory())
    product = factories.ProductFactory(category=category)
    price_list = factories.PriceListFactory(customer_group=group)
    factories.PriceListItemFactory(price_list=price_list, product=product, price="80.00")
    factories.PriceListItemFactory(price_list=price_list, category=category, discount_percent=5)
    deletion = DeletionRequest.objects.create(
        account=bare, account_label=str(bare), reason="duplicate", requested_by=rep1
    )
    EXISTING.clear()
    EXISTING.update(
        {
            "accounts": [account.pk, bare.pk],
            "contacts": [contact.pk],
            "addresses": [factories.ShipToFactory(account=account).pk],
            "reminders": [factories.ReminderFactory(account=account, contact=contact).pk],
            "activities": [factories.ActivityFactory(account=account, contact=contact).pk],
            "documents": [document.pk],
            "contracts": [contract.pk],
            "custom-fields": list(CustomFieldDefinition.objects.values_list("pk", flat=True)),
            "deletion-requests": [deletion.pk],
            "products": [product.pk],
            "product-categories": [category.pk, category.parent_id],
            "tax-rates": [product.tax_rate_id],
            "price-lists": [price_list.pk],
        }
    )
    yield
    EXISTING.clear()


@schema.parametrize()
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_with_a_server_error(case, data, manager_token):
    case.call_and_validate(
        session=ClosingClient(schema.app),
        headers={"Authorization": f"Token {manager_token}"},
        checks=[schemathesis.checks.not_a_server_error],
    )


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/api/v1/accounts/{id}/archive/", "NoteInputRequest"),
        ("/api/v1/accounts/{id}/restore/", "NoteInputRequest"),
        ("/api/v1/deletion-requests/{id}/approve/", "NoteInputRequest"),
        ("/api/v1/accounts/{id}/share/", "ShareInputRequest"),
    ],
)
def test_actions_document_their_own_input(path, component):
    body = schema.raw_schema["paths"][path]["post"]["requestBody"]
    assert body["content"][JSON]["schema"]["$ref"] == f"#/components/schemas/{component}"
