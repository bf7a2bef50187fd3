import os
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from sfa.core.access import Role
from tests import factories

TEST_DB = os.environ.get("TEST_DB", "pg-proc")
# `make test` and CI set this: a missing service (Redis, Chromium) fails instead of skipping.
REQUIRE_SERVICES = os.environ.get("SFA_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    if TEST_DB.startswith("pg"):
        fixture = "postgresql_proc" if TEST_DB == "pg-proc" else "postgresql_noproc"
        proc = request.getfixturevalue(fixture)
        from django.conf import settings

        settings.DATABASES["default"].update(
            HOST=proc.host,
            PORT=proc.port,
            USER=proc.user,
            PASSWORD=proc.password or "",
            NAME=proc.dbname,
        )
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: a cached schedule or rate-limit counter of an
    earlier test (its rows rolled back) must not leak into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def close_streamed_responses(monkeypatch):
    """Close what a test client streamed and the test did not read (a PDF or a file download).

    An unread ``FileResponse`` keeps its file open until the garbage collector finds it,
    and the ``ResourceWarning`` then fails whichever test happens to be running. Closing
    fires ``request_finished``; like Django's client, keep it from closing the test's
    database connection.
    """
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test.client import Client

    streamed = []
    request = Client.request

    def recording_request(self, **kwargs):
        response = request(self, **kwargs)
        if getattr(response, "streaming", False):
            streamed.append(response)
        return response

    monkeypatch.setattr(Client, "request", recording_request)
    yield
    request_finished.disconnect(close_old_connections)
    try:
        for response in streamed:
            response.close()
    finally:
        request_finished.connect(close_old_connections)


def skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (SFA_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture
def branch_north(db):
    return factories.BranchFactory(code="N", name="North")


@pytest.fixture
def branch_south(db):
    return factories.BranchFactory(code="S", name="South")


@pytest.fixture
def rep1(branch_north):
    return factories.UserFactory(username="rep1", role=Role.SALES_REP, branch=branch_north)


@pytest.fixture
def rep2(branch_south):
    return factories.UserFactory(username="rep2", role=Role.SALES_REP, branch=branch_south)


@pytest.fixture
def colleague(branch_north):
    """Another rep of rep1's branch."""
    return factories.UserFactory(username="rep3", role=Role.SALES_REP, branch=branch_north)


@pytest.fixture
def branch_manager(branch_north):
    return factories.UserFactory(
        username="northboss", role=Role.SALES_REP, branch=branch_north, is_branch_manager=True
    )


@pytest.fixture
def sales_manager(branch_north):
    return factories.UserFactory(
        username="salesmanager", role=Role.SALES_MANAGER, branch=branch_north
    )


@pytest.fixture
def support_agent(branch_north):
    return factories.UserFactory(username="agent1", role=Role.SUPPORT_AGENT, branch=branch_north)


@pytest.fixture
def agent2(branch_south):
    return factories.UserFactory(
        username="agent2", first_name="Bea", last_name="Berg", role=Role.SUPPORT_AGENT,
        branch=branch_south,
    )  # fmt: skip


@pytest.fixture
def support_manager(branch_north):
    return factories.UserFactory(
        username="supportmanager", role=Role.SUPPORT_MANAGER, branch=branch_north
    )


@pytest.fixture
def marketing(branch_north):
    return factories.UserFactory(
        username="marketing1", role=Role.MARKETING_MANAGER, branch=branch_north
    )


@pytest.fixture
def products(db):
    """A lathe (1000.00) and oil (12.50), both at the standard 19 % tax rate."""
    tax = factories.TaxRateFactory()
    return [
        factories.ProductFactory(
            code="LAT-1", name="Lathe", unit_price=Decimal("1000.00"), tax_rate=tax
        ),
        factories.ProductFactory(
            code="OIL-5", name="Oil", unit_price=Decimal("12.50"), tax_rate=tax
        ),
    ]


@pytest.fixture
def administrator(branch_north):
    return factories.UserFactory(
        username="admin",
        role=Role.ADMINISTRATOR,
        branch=branch_north,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def account(rep1):
    """A customer owned by rep1 (North branch)."""
    return factories.AccountFactory(owner=rep1, branch=rep1.branch)


@pytest.fixture
def contact(account):
    """Greta Holm of ``account`` (greta@holm.example), without a portal login."""
    return factories.ContactFactory(
        account=account, first_name="Greta", last_name="Holm", email="greta@holm.example"
    )


@pytest.fixture
def portal_contact(contact):
    """``contact`` with a portal login (``portal_contact.user``), not the portal manager."""
    factories.portal_user_for(contact)
    return contact


@pytest.fixture
def portal_manager(account):
    """Max Boss, the portal manager of ``account``, with a portal login."""
    contact = factories.ContactFactory(
        account=account, first_name="Max", last_name="Boss", is_portal_manager=True
    )
    factories.portal_user_for(contact)
    return contact


@pytest.fixture
def south_account(rep2):
    """A customer owned by rep2 (South branch)."""
    return factories.AccountFactory(owner=rep2, branch=rep2.branch)


@pytest.fixture
def portal_customer(account):
    contact = factories.ContactFactory(account=account)
    return factories.portal_user_for(contact)


@pytest.fixture
def publish(support_agent, support_manager):
    """``publish(title, body, visibility="public")`` → an article written by agent1 and
    published by the support manager."""
    from knowledgebase import services as kb

    def make(title, body, visibility="public"):
        article = kb.article_create(
            actor=support_agent, data={"title": title, "body": body, "visibility": visibility}
        )
        kb.article_submit(article=article, actor=support_agent)
        return kb.article_publish(article=article, actor=support_manager)

    return make


@pytest.fixture
def anymail_backend(settings):
    """Mail goes through anymail's test backend (``anymail.backends.test.EmailBackend``)."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


@pytest.fixture
def api_for():
    """``api_for(user)`` → an APIClient authenticated with the user's token."""

    def make(user):
        from rest_framework.authtoken.models import Token

        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def client_for():
    """``client_for(user)`` → a Django test client logged in as the user."""

    def make(user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client

    return make
