"""Who sees and changes which customer records through the API (DESIGN §5).

Customer records are private to their owner; branch managers see their branch; managers and
support see all; portal customers are kept out of the staff API; a record the user may not
see is a 404, a change the user may not make a 403.
"""

import datetime

import pytest
from django.core.files.base import ContentFile

from sfa.customers.models import Contract, Document
from tests import factories

RESOURCES = [
    "accounts",
    "contacts",
    "addresses",
    "reminders",
    "activities",
    "documents",
    "contracts",
]
PATCHABLE = ["accounts", "contacts", "addresses", "reminders", "contracts"]
READ_ONLY_AFTER_CREATE = ["activities", "documents"]
# A harmless change per resource, valid for whoever may make it.
PATCHES = {
    "accounts": {"notes": "changed"},
    "contacts": {"notes": "changed"},
    "addresses": {"recipient": "changed"},
    "reminders": {"notes": "changed"},
    "contracts": {"notes": "changed"},
}


def make_records(account) -> dict:
    """One record of every customer-owned resource, for ``account``; ids by resource."""
    document = Document(
        account=account,
        title="Offer",
        original_name="offer.txt",
        content_type="text/plain",
        size=5,
    )
    document.file.save("offer.txt", ContentFile(b"offer"), save=False)
    document.save()
    contract = Contract.objects.create(
        account=account,
        number=f"CT-TEST-{account.pk}",
        title="Service",
        start_date=datetime.date(2026, 1, 1),
    )
    return {
        "accounts": account.pk,
        "contacts": factories.ContactFactory(account=account).pk,
        "addresses": factories.ShipToFactory(account=account).pk,
        "reminders": factories.ReminderFactory(account=account).pk,
        "activities": factories.ActivityFactory(account=account).pk,
        "documents": document.pk,
        "contracts": contract.pk,
    }


@pytest.fixture
def south_records(rep2):
    """rep2's customer (South branch) and everything hanging off it."""
    return make_records(factories.AccountFactory(owner=rep2, branch=rep2.branch))


@pytest.fixture
def north_records(colleague):
    """A customer of rep1's colleague (North branch) and everything hanging off it."""
    return make_records(factories.AccountFactory(owner=colleague, branch=colleague.branch))


@pytest.fixture
def own_records(account):
    return make_records(account)


def detail(resource: str, pk: int) -> str:
    return f"/api/v1/{resource}/{pk}/"


def listed_ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


# Another rep's records -----------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_rep_gets_404_for_another_reps_record(api_for, rep1, south_records, resource):
    response = api_for(rep1).get(detail(resource, south_records[resource]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("resource", PATCHABLE)
def test_rep_gets_404_when_changing_another_reps_record(api_for, rep1, south_records, resource):
    response = api_for(rep1).patch(detail(resource, south_records[resource]), PATCHES[resource])
    assert response.status_code == 404


@pytest.mark.parametrize("resource", READ_ONLY_AFTER_CREATE)
def test_activities_and_documents_cannot_be_changed(api_for, rep1, own_records, resource):
    response = api_for(rep1).patch(detail(resource, own_records[resource]), {"title": "x"})
    assert response.status_code == 405


@pytest.mark.parametrize("resource", RESOURCES)
def test_rep_list_leaves_out_another_reps_records(
    api_for, rep1, own_records, south_records, resource
):
    ids = listed_ids(api_for(rep1).get(f"/api/v1/{resource}/"))
    assert ids == {own_records[resource]}


@pytest.mark.parametrize("resource", RESOURCES)
def test_rep_sees_own_record(api_for, rep1, own_records, resource):
    assert api_for(rep1).get(detail(resource, own_records[resource])).status_code == 200


@pytest.mark.parametrize("resource", PATCHABLE)
def test_rep_can_change_own_record(api_for, rep1, own_records, resource):
    response = api_for(rep1).patch(detail(resource, own_records[resource]), PATCHES[resource])
    assert response.status_code == 200, response.json()


# Managers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_sales_manager_sees_another_branchs_record(api_for, sales_manager, south_records, resource):
    assert api_for(sales_manager).get(detail(resource, south_records[resource])).status_code == 200


@pytest.mark.parametrize("resource", PATCHABLE)
def test_sales_manager_can_change_any_record(api_for, sales_manager, south_records, resource):
    response = api_for(sales_manager).patch(
        detail(resource, south_records[resource]), PATCHES[resource]
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("resource", RESOURCES)
def test_branch_manager_sees_own_branchs_record(api_for, branch_manager, north_records, resource):
    response = api_for(branch_manager).get(detail(resource, north_records[resource]))
    assert response.status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
def test_branch_manager_gets_404_for_another_branchs_record(
    api_for, branch_manager, south_records, resource
):
    response = api_for(branch_manager).get(detail(resource, south_records[resource]))
    assert response.status_code == 404


@pytest.mark.parametrize("resource", RESOURCES)
def test_branch_manager_list_is_the_branch(
    api_for, branch_manager, north_records, south_records, resource
):
    ids = listed_ids(api_for(branch_manager).get(f"/api/v1/{resource}/"))
    assert ids == {north_records[resource]}


@pytest.mark.parametrize("resource", RESOURCES)
def test_colleague_gets_404_for_a_record_of_the_same_branch(
    api_for, colleague, own_records, resource
):
    assert api_for(colleague).get(detail(resource, own_records[resource])).status_code == 404


# Support agent: read-only on customers ------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_support_agent_can_read_any_record(api_for, support_agent, south_records, resource):
    assert api_for(support_agent).get(detail(resource, south_records[resource])).status_code == 200


def test_support_agent_cannot_create_accounts(api_for, support_agent):
    response = api_for(support_agent).post("/api/v1/accounts/", {"name": "Not mine to add"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_support_agent_cannot_change_accounts(api_for, support_agent, account):
    response = api_for(support_agent).patch(f"/api/v1/accounts/{account.pk}/", {"name": "x"})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.name != "x"


def test_support_agent_cannot_archive_accounts(api_for, support_agent, account):
    response = api_for(support_agent).post(f"/api/v1/accounts/{account.pk}/archive/")
    assert response.status_code == 403


# Portal customers and anonymous callers ------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_portal_customer_gets_403_on_the_staff_api(api_for, portal_customer, resource):
    response = api_for(portal_customer).get(f"/api/v1/{resource}/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_portal_customer_gets_403_on_own_account_detail(api_for, portal_customer, account):
    response = api_for(portal_customer).get(f"/api/v1/accounts/{account.pk}/")
    assert response.status_code == 403


@pytest.mark.parametrize("resource", [*RESOURCES, "products", "deletion-requests"])
def test_anonymous_gets_401(api_for, db, resource):
    response = api_for(None).get(f"/api/v1/{resource}/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_anonymous_detail_gets_401_not_404(api_for, account):
    assert api_for(None).get(f"/api/v1/accounts/{account.pk}/").status_code == 401


def test_bad_token_gets_401(api_for, db):
    client = api_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/accounts/").status_code == 401


# Creating records for a customer one cannot see -------------------------------------------


@pytest.mark.parametrize(
    ("resource", "payload"),
    [
        ("contacts", {"last_name": "Sneaky"}),
        ("addresses", {"label": "Back door"}),
        ("reminders", {"subject": "Sneaky", "due_date": "2026-03-01"}),
        ("activities", {"subject": "Sneaky", "kind": "note"}),
        ("contracts", {"title": "Sneaky", "start_date": "2026-03-01"}),
    ],
)
def test_creating_for_an_invisible_account_is_a_400_on_account(
    api_for, rep1, account, south_account, resource, payload
):
    client = api_for(rep1)
    hidden = client.post(f"/api/v1/{resource}/", {**payload, "account": south_account.pk})
    assert hidden.status_code == 400
    assert set(hidden.json()["fields"]) == {"account"}
    own = client.post(f"/api/v1/{resource}/", {**payload, "account": account.pk})
    assert own.status_code == 201, own.json()


def test_hidden_account_reads_like_a_missing_one(api_for, rep1, south_account):
    client = api_for(rep1)
    hidden = client.post("/api/v1/contacts/", {"last_name": "X", "account": south_account.pk})
    missing = client.post("/api/v1/contacts/", {"last_name": "X", "account": 999_999})
    assert hidden.json()["fields"]["account"] == [
        m.replace("999999", str(south_account.pk)) for m in missing.json()["fields"]["account"]
    ]


def test_moving_a_contact_to_an_invisible_account_is_refused(api_for, rep1, account, south_account):
    contact = factories.ContactFactory(account=account)
    response = api_for(rep1).patch(f"/api/v1/contacts/{contact.pk}/", {"account": south_account.pk})
    assert response.status_code == 400
    assert "account" in response.json()["fields"]
    contact.refresh_from_db()
    assert contact.account == account


def test_reminder_for_an_invisible_contact_is_refused(api_for, rep1, account, south_account):
    south_contact = factories.ContactFactory(account=south_account)
    response = api_for(rep1).post(
        "/api/v1/reminders/",
        {
            "account": account.pk,
            "contact": south_contact.pk,
            "subject": "x",
            "due_date": "2026-03-01",
        },
    )
    assert response.status_code == 400
    assert "contact" in response.json()["fields"]


@pytest.mark.parametrize(
    ("resource", "payload"),
    [
        ("reminders", {"subject": "x", "due_date": "2026-03-01"}),
        ("activities", {"subject": "x", "kind": "call"}),
    ],
)
def test_contact_of_another_customer_is_refused(api_for, rep1, account, resource, payload):
    other_account = factories.AccountFactory(owner=rep1)
    stranger = factories.ContactFactory(account=other_account)
    response = api_for(rep1).post(
        f"/api/v1/{resource}/", {**payload, "account": account.pk, "contact": stranger.pk}
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["contact"]


def test_rep_cannot_give_an_account_to_another_rep(api_for, rep1, rep2, account):
    response = api_for(rep1).patch(f"/api/v1/accounts/{account.pk}/", {"owner": rep2.pk})
    assert response.status_code == 400
    assert "owner" in response.json()["fields"]
    account.refresh_from_db()
    assert account.owner == rep1
