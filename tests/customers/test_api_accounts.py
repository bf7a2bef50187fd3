"""The accounts API: token auth, create with custom fields, search, filters, transitions,
deletion requests and sharing."""

import datetime

import pytest
from django.utils import timezone

from sfa.core.models import TransitionLog
from sfa.customers.models import Account, CustomFieldDefinition, DeletionRequest
from tests import factories

CF = CustomFieldDefinition.FieldType


@pytest.fixture
def custom_fields(db):
    """Four custom-field definitions, one per non-text type."""
    return {
        "employees": factories.CustomFieldFactory(key="employees", field_type=CF.NUMBER),
        "tier": factories.CustomFieldFactory(
            key="tier", field_type=CF.CHOICE, choices=["gold", "silver"]
        ),
        "founded": factories.CustomFieldFactory(key="founded", field_type=CF.DATE),
        "vip": factories.CustomFieldFactory(key="vip", field_type=CF.BOOLEAN),
    }


def account_codes(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return sorted(row["code"] for row in response.json()["results"])


def rep1_account(rep1, **values) -> Account:
    return factories.AccountFactory(owner=rep1, branch=rep1.branch, **values)


# Token ---------------------------------------------------------------------------------------


def test_token_endpoint_returns_a_token(api_for, rep1):
    response = api_for(None).post(
        "/api/v1/auth/token/", {"username": "rep1", "password": "secret-pass-123"}
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    me = api_for(None)
    me.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert me.get("/api/v1/me/").json()["username"] == "rep1"


def test_token_endpoint_refuses_bad_credentials_with_fields(api_for, rep1):
    response = api_for(None).post("/api/v1/auth/token/", {"username": "rep1", "password": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]
    assert body["fields"]


# Create --------------------------------------------------------------------------------------


def test_create_account_stores_typed_custom_field_values(api_for, rep1, custom_fields):
    response = api_for(rep1).post(
        "/api/v1/accounts/",
        {
            "code": "ACME",
            "name": "Acme Ltd",
            "custom_fields": {
                "employees": "42",
                "tier": "gold",
                "founded": "2001-05-01",
                "vip": "yes",
            },
        },
    )
    assert response.status_code == 201, response.json()
    expected = {"employees": 42, "tier": "gold", "founded": "2001-05-01", "vip": True}
    assert response.json()["custom_fields"] == expected
    account = Account.objects.get(code="ACME")
    assert account.custom_fields == expected
    assert account.owner == rep1
    assert account.branch == rep1.branch


def test_create_account_generates_code_when_blank(api_for, rep1):
    response = api_for(rep1).post("/api/v1/accounts/", {"code": "", "name": "No Code GmbH"})
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    assert code.startswith("C")
    assert Account.objects.get(pk=response.json()["id"]).code == code


def test_create_account_refuses_a_duplicate_code(api_for, rep1, account):
    response = api_for(rep1).post(
        "/api/v1/accounts/", {"code": account.code.lower(), "name": "Clash"}
    )
    assert response.status_code == 400
    assert "code" in response.json()["fields"]


def test_bad_custom_field_value_names_the_key(api_for, rep1, custom_fields):
    response = api_for(rep1).post(
        "/api/v1/accounts/",
        {"name": "Bad values", "custom_fields": {"employees": "many", "tier": "platinum"}},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]["custom_fields"]) == {"employees", "tier"}
    assert not Account.objects.filter(name="Bad values").exists()


@pytest.mark.parametrize("number", ["1e5000", "-1e400", "1" * 5000, 1e300])
def test_out_of_range_custom_number_is_refused(api_for, rep1, custom_fields, number):
    response = api_for(rep1).post(
        "/api/v1/accounts/", {"name": "Huge", "custom_fields": {"employees": number}}
    )
    assert response.status_code == 400
    assert "employees" in response.json()["fields"]["custom_fields"]


def test_out_of_range_custom_number_filter_matches_nothing(api_for, rep1, custom_fields):
    rep1_account(rep1, custom_fields={"employees": 5})
    response = api_for(rep1).get("/api/v1/accounts/", {"cf_employees_max": "1e5000"})
    assert account_codes(response) == []


def test_nul_character_in_a_custom_text_is_refused(api_for, rep1):
    factories.CustomFieldFactory(key="motto", field_type=CF.TEXT)
    response = api_for(rep1).post(
        "/api/v1/accounts/", {"name": "Nul", "custom_fields": {"motto": "a\x00b"}}
    )
    assert response.status_code == 400
    assert "motto" in response.json()["fields"]["custom_fields"]


def test_nul_character_in_a_type_name_is_refused(api_for, rep1):
    response = api_for(rep1).post("/api/v1/accounts/", {"name": "Nul", "types": ["a\x00b"]})
    assert response.status_code == 400
    assert "types" in response.json()["fields"]


def test_unknown_custom_field_is_refused(api_for, rep1, custom_fields):
    response = api_for(rep1).post(
        "/api/v1/accounts/", {"name": "Unknown", "custom_fields": {"shoe_size": 44}}
    )
    assert response.status_code == 400
    assert "shoe_size" in response.json()["fields"]["custom_fields"]


def test_update_account_checks_custom_fields(api_for, rep1, account, custom_fields):
    response = api_for(rep1).patch(
        f"/api/v1/accounts/{account.pk}/", {"custom_fields": {"founded": "yesterday"}}
    )
    assert response.status_code == 400
    assert "founded" in response.json()["fields"]["custom_fields"]


# Search --------------------------------------------------------------------------------------


@pytest.fixture
def searchable(rep1):
    acme = rep1_account(rep1, code="ACME1", name="Acme Tools", phone="+49 40 555123", city="Kiel")
    factories.ContactFactory(account=acme, email="jane.doe@acme-tools.example")
    other = rep1_account(rep1, code="ZED9", name="Zed Works", phone="+49 30 999", city="Berlin")
    factories.ContactFactory(account=other, email="max@zed.example")
    return acme


@pytest.mark.parametrize("text", ["acme1", "Acme Tools", "jane.doe", "555123", "kiel"])
def test_search_finds_account(api_for, rep1, searchable, text):
    response = api_for(rep1).get("/api/v1/accounts/", {"search": text})
    assert account_codes(response) == ["ACME1"]


def test_search_needs_every_word_to_match(api_for, rep1, searchable):
    response = api_for(rep1).get("/api/v1/accounts/", {"search": "acme berlin"})
    assert account_codes(response) == []


def test_search_does_not_reach_other_reps_accounts(api_for, rep1, rep2, searchable):
    factories.AccountFactory(owner=rep2, code="ACME2", name="Acme South")
    response = api_for(rep1).get("/api/v1/accounts/", {"search": "acme"})
    assert account_codes(response) == ["ACME1"]


# Filters -------------------------------------------------------------------------------------


@pytest.fixture
def typed_accounts(rep1):
    dealer = factories.CustomerTypeFactory(name="dealer")
    oem = factories.CustomerTypeFactory(name="oem")
    both = rep1_account(rep1, code="BOTH")
    both.types.set([dealer, oem])
    rep1_account(rep1, code="DEALER").types.set([dealer])
    rep1_account(rep1, code="OEM").types.set([oem])
    rep1_account(rep1, code="NONE")
    return dealer, oem


def test_filter_types_any(api_for, rep1, typed_accounts):
    dealer, oem = typed_accounts
    response = api_for(rep1).get("/api/v1/accounts/", {"types": [dealer.pk, oem.pk]})
    assert account_codes(response) == ["BOTH", "DEALER", "OEM"]


def test_filter_types_all(api_for, rep1, typed_accounts):
    dealer, oem = typed_accounts
    response = api_for(rep1).get(
        "/api/v1/accounts/", {"types": [dealer.pk, oem.pk], "types_match": "all"}
    )
    assert account_codes(response) == ["BOTH"]


def test_filter_group(api_for, rep1):
    group = factories.CustomerGroupFactory(code="VIP")
    rep1_account(rep1, code="IN", group=group)
    rep1_account(rep1, code="OUT")
    response = api_for(rep1).get("/api/v1/accounts/", {"group": group.pk})
    assert account_codes(response) == ["IN"]


def test_filter_owner(api_for, sales_manager, rep1, rep2):
    rep1_account(rep1, code="MINE")
    factories.AccountFactory(owner=rep2, code="THEIRS")
    response = api_for(sales_manager).get("/api/v1/accounts/", {"owner": rep2.pk})
    assert account_codes(response) == ["THEIRS"]


def test_filter_status(api_for, rep1):
    rep1_account(rep1, code="LIVE")
    archived = rep1_account(rep1, code="GONE")
    Account.objects.filter(pk=archived.pk).update(status=Account.Status.ARCHIVED)
    response = api_for(rep1).get("/api/v1/accounts/", {"status": "archived"})
    assert account_codes(response) == ["GONE"]


def test_filter_reminders_due(api_for, rep1):
    today = timezone.localdate()
    due = rep1_account(rep1, code="DUE")
    factories.ReminderFactory(account=due, due_date=today - datetime.timedelta(days=1))
    later = rep1_account(rep1, code="LATER")
    factories.ReminderFactory(account=later, due_date=today + datetime.timedelta(days=7))
    done = rep1_account(rep1, code="DONE")
    factories.ReminderFactory(account=done, due_date=today, is_done=True)
    client = api_for(rep1)
    assert account_codes(client.get("/api/v1/accounts/", {"reminders_due": "true"})) == ["DUE"]
    not_due = client.get("/api/v1/accounts/", {"reminders_due": "false"})
    assert account_codes(not_due) == ["DONE", "LATER"]


@pytest.fixture
def accounts_with_custom_values(rep1, custom_fields):
    rep1_account(rep1, code="SMALL", custom_fields={"employees": 5, "tier": "silver"})
    rep1_account(
        rep1,
        code="MID",
        custom_fields={"employees": 50, "tier": "gold", "founded": "1990-01-01", "vip": True},
    )
    rep1_account(
        rep1, code="BIG", custom_fields={"employees": 500, "founded": "2010-06-30", "vip": False}
    )


def test_filter_custom_field_exact_choice(api_for, rep1, accounts_with_custom_values):
    response = api_for(rep1).get("/api/v1/accounts/", {"cf_tier": "gold"})
    assert account_codes(response) == ["MID"]


def test_filter_custom_field_exact_boolean(api_for, rep1, accounts_with_custom_values):
    response = api_for(rep1).get("/api/v1/accounts/", {"cf_vip": "yes"})
    assert account_codes(response) == ["MID"]


def test_filter_custom_field_number_range(api_for, rep1, accounts_with_custom_values):
    response = api_for(rep1).get(
        "/api/v1/accounts/", {"cf_employees_min": "10", "cf_employees_max": "100"}
    )
    assert account_codes(response) == ["MID"]


def test_filter_custom_field_number_min_compares_numbers(
    api_for, rep1, accounts_with_custom_values
):
    response = api_for(rep1).get("/api/v1/accounts/", {"cf_employees_min": "6"})
    assert account_codes(response) == ["BIG", "MID"]


def test_filter_custom_field_date_range(api_for, rep1, accounts_with_custom_values):
    response = api_for(rep1).get("/api/v1/accounts/", {"cf_founded_min": "2000-01-01"})
    assert account_codes(response) == ["BIG"]


def test_filter_custom_field_bad_value_matches_nothing(api_for, rep1, accounts_with_custom_values):
    response = api_for(rep1).get("/api/v1/accounts/", {"cf_employees_min": "lots"})
    assert account_codes(response) == []


# Archive and restore -------------------------------------------------------------------------


def transition_logs(account) -> int:
    return TransitionLog.objects.filter(object_id=str(account.pk), transition="archive").count()


def test_archive_sets_status_archived(api_for, rep1, account):
    response = api_for(rep1).post(f"/api/v1/accounts/{account.pk}/archive/", {"note": "closed"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "archived"
    assert response.json()["available_transitions"] == ["restore"]
    account.refresh_from_db()
    assert account.status == Account.Status.ARCHIVED
    log = TransitionLog.objects.get(object_id=str(account.pk))
    assert (log.source, log.target, log.actor, log.note) == ("active", "archived", rep1, "closed")


def test_archive_twice_is_refused_and_changes_nothing(api_for, rep1, account):
    client = api_for(rep1)
    assert client.post(f"/api/v1/accounts/{account.pk}/archive/").status_code == 200
    account.refresh_from_db()
    updated_at, logs = account.updated_at, transition_logs(account)

    response = client.post(f"/api/v1/accounts/{account.pk}/archive/")

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    account.refresh_from_db()
    assert account.status == Account.Status.ARCHIVED
    assert account.updated_at == updated_at
    assert transition_logs(account) == logs == 1


def test_restore_brings_an_archived_account_back(api_for, rep1, account):
    client = api_for(rep1)
    client.post(f"/api/v1/accounts/{account.pk}/archive/")
    response = client.post(f"/api/v1/accounts/{account.pk}/restore/")
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    account.refresh_from_db()
    assert account.status == Account.Status.ACTIVE


def test_restore_an_active_account_is_refused(api_for, rep1, account):
    response = api_for(rep1).post(f"/api/v1/accounts/{account.pk}/restore/")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert not TransitionLog.objects.filter(object_id=str(account.pk)).exists()


def test_status_cannot_be_written_directly(api_for, rep1, account):
    response = api_for(rep1).patch(f"/api/v1/accounts/{account.pk}/", {"status": "archived"})
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.status == Account.Status.ACTIVE


# Delete and deletion requests ----------------------------------------------------------------


def test_delete_is_not_allowed(api_for, sales_manager, account):
    response = api_for(sales_manager).delete(f"/api/v1/accounts/{account.pk}/")
    assert response.status_code == 405
    assert response.json()["code"] == "delete_not_allowed"
    assert Account.objects.filter(pk=account.pk).exists()


def test_request_deletion_is_refused_while_a_contact_exists(api_for, rep1, account):
    factories.ContactFactory(account=account)
    response = api_for(rep1).post(
        f"/api/v1/accounts/{account.pk}/request-deletion/", {"reason": "duplicate"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "account_in_use"
    assert not DeletionRequest.objects.exists()


def test_request_deletion_without_references_is_accepted(api_for, rep1, account):
    response = api_for(rep1).post(
        f"/api/v1/accounts/{account.pk}/request-deletion/", {"reason": "duplicate"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "pending"
    assert body["account"] == account.pk
    assert body["available_transitions"] == []
    assert DeletionRequest.objects.get().requested_by == rep1


def test_request_deletion_needs_a_reason(api_for, rep1, account):
    response = api_for(rep1).post(
        f"/api/v1/accounts/{account.pk}/request-deletion/", {"reason": "  "}
    )
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_second_deletion_request_is_refused_while_one_is_pending(api_for, rep1, account):
    client = api_for(rep1)
    url = f"/api/v1/accounts/{account.pk}/request-deletion/"
    assert client.post(url, {"reason": "duplicate"}).status_code == 201
    response = client.post(url, {"reason": "again"})
    assert response.status_code == 409
    assert response.json()["code"] == "deletion_pending"
    assert DeletionRequest.objects.count() == 1


@pytest.fixture
def deletion_request(api_for, rep1, account):
    response = api_for(rep1).post(
        f"/api/v1/accounts/{account.pk}/request-deletion/", {"reason": "duplicate"}
    )
    assert response.status_code == 201
    return DeletionRequest.objects.get(pk=response.json()["id"])


def test_sales_manager_approval_deletes_the_account(
    api_for, sales_manager, account, deletion_request
):
    response = api_for(sales_manager).post(
        f"/api/v1/deletion-requests/{deletion_request.pk}/approve/", {"note": "ok"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved"
    assert response.json()["decided_by"] == sales_manager.pk
    assert not Account.objects.filter(pk=account.pk).exists()


def test_rep_cannot_approve_a_deletion(api_for, rep1, account, deletion_request):
    response = api_for(rep1).post(f"/api/v1/deletion-requests/{deletion_request.pk}/approve/")
    assert response.status_code == 403
    deletion_request.refresh_from_db()
    assert deletion_request.state == DeletionRequest.State.PENDING
    assert Account.objects.filter(pk=account.pk).exists()


def test_approval_is_refused_when_a_reference_appeared_meanwhile(
    api_for, sales_manager, account, deletion_request
):
    factories.ContactFactory(account=account)
    response = api_for(sales_manager).post(
        f"/api/v1/deletion-requests/{deletion_request.pk}/approve/"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "account_in_use"
    deletion_request.refresh_from_db()
    assert deletion_request.state == DeletionRequest.State.PENDING
    assert Account.objects.filter(pk=account.pk).exists()


def test_sales_manager_can_reject_a_deletion(api_for, sales_manager, account, deletion_request):
    response = api_for(sales_manager).post(
        f"/api/v1/deletion-requests/{deletion_request.pk}/reject/", {"note": "keep it"}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "rejected"
    assert Account.objects.filter(pk=account.pk).exists()


def test_deletion_requests_of_others_are_hidden_from_reps(
    api_for, colleague, account, deletion_request
):
    response = api_for(colleague).get(f"/api/v1/deletion-requests/{deletion_request.pk}/")
    assert response.status_code == 404


# Sharing and available transitions -----------------------------------------------------------


def test_share_with_a_user_makes_the_account_visible_to_them(api_for, rep1, colleague, account):
    client = api_for(colleague)
    assert client.get(f"/api/v1/accounts/{account.pk}/").status_code == 404

    response = api_for(rep1).post(f"/api/v1/accounts/{account.pk}/share/", {"user": colleague.pk})

    assert response.status_code == 200, response.json()
    assert client.get(f"/api/v1/accounts/{account.pk}/").status_code == 200
    assert account.pk in [row["id"] for row in client.get("/api/v1/accounts/").json()["results"]]


def test_share_with_a_team_makes_the_account_visible_to_its_members(
    api_for, rep1, colleague, account
):
    team = factories.TeamFactory()
    team.members.add(colleague)
    response = api_for(rep1).post(f"/api/v1/accounts/{account.pk}/share/", {"team": team.pk})
    assert response.status_code == 200
    assert api_for(colleague).get(f"/api/v1/accounts/{account.pk}/").status_code == 200


def test_share_needs_a_user_or_a_team(api_for, rep1, account):
    response = api_for(rep1).post(f"/api/v1/accounts/{account.pk}/share/", {})
    assert response.status_code == 400
    assert response.json()["fields"]


def test_only_the_owner_can_share(api_for, rep1, colleague, branch_manager, account):
    response = api_for(branch_manager).post(
        f"/api/v1/accounts/{account.pk}/share/", {"user": colleague.pk}
    )
    assert response.status_code == 403
    assert api_for(colleague).get(f"/api/v1/accounts/{account.pk}/").status_code == 404


def test_available_transitions_depend_on_the_user(api_for, rep1, support_agent, account):
    url = f"/api/v1/accounts/{account.pk}/"
    assert api_for(rep1).get(url).json()["available_transitions"] == ["archive"]
    assert api_for(support_agent).get(url).json()["available_transitions"] == []
