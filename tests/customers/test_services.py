"""Writes of customer data: accounts, addresses, contacts, documents, contracts, deletion."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from sfa.core.exceptions import (
    ActionForbidden,
    ConcurrentUpdate,
    Conflict,
    InvalidInput,
    TransitionRefused,
)
from sfa.core.fsm import transition_history, transition_record
from sfa.core.models import TransitionLog, User
from sfa.customers import services
from sfa.customers.models import Account, Contact, Contract, DeletionRequest, ShipToAddress
from sfa.customers.selectors import account_visible_to
from tests import factories

# Accounts --------------------------------------------------------------------------------------


def test_account_code_is_generated_when_blank(rep1):
    first = services.account_create(actor=rep1, data={"name": "Acme"})
    second = services.account_create(actor=rep1, data={"name": "Beta", "code": ""})
    assert (first.code, second.code) == ("C000001", "C000002")


def test_generated_account_code_skips_codes_already_taken(rep1):
    factories.AccountFactory(code="C000001", owner=rep1)
    account = services.account_create(actor=rep1, data={"name": "Acme"})
    assert account.code == "C000002"


def test_given_account_code_is_kept(rep1):
    account = services.account_create(actor=rep1, data={"name": "Acme", "code": "ACME-1"})
    assert account.code == "ACME-1"


def test_account_code_cannot_be_blanked_by_an_update(rep1, account):
    code = account.code
    updated = services.account_update(account=account, actor=rep1, data={"code": ""})
    assert updated.code == code


def test_account_owner_and_branch_default_to_the_actor(rep1):
    account = services.account_create(actor=rep1, data={"name": "Acme"})
    assert (account.owner, account.branch) == (rep1, rep1.branch)


def test_unknown_account_field_is_refused(rep1):
    with pytest.raises(InvalidInput) as raised:
        services.account_create(actor=rep1, data={"name": "Acme", "colour": "red"})
    assert list(raised.value.fields) == ["colour"]


def test_rep_cannot_create_a_customer_for_someone_else(rep1, colleague):
    with pytest.raises(InvalidInput) as raised:
        services.account_create(actor=rep1, data={"name": "Acme", "owner": colleague})
    assert list(raised.value.fields) == ["owner"]
    assert not Account.objects.exists()


def test_rep_cannot_hand_a_customer_to_someone_else(rep1, colleague, account):
    with pytest.raises(InvalidInput) as raised:
        services.account_update(account=account, actor=rep1, data={"owner": colleague})
    assert list(raised.value.fields) == ["owner"]
    account.refresh_from_db()
    assert account.owner == rep1


def test_rep_cannot_create_a_customer_without_owner(rep1):
    with pytest.raises(InvalidInput) as raised:
        services.account_create(actor=rep1, data={"name": "Acme", "owner": None})
    assert list(raised.value.fields) == ["owner"]


def test_rep_cannot_remove_the_owner_of_a_customer(rep1, account):
    with pytest.raises(InvalidInput) as raised:
        services.account_update(account=account, actor=rep1, data={"owner": None})
    assert list(raised.value.fields) == ["owner"]
    assert account_visible_to(rep1).filter(pk=account.pk).exists()


def test_sales_manager_can_assign_a_customer_to_a_rep(sales_manager, rep2):
    account = services.account_create(actor=sales_manager, data={"name": "Acme", "owner": rep2})
    assert account.owner == rep2


def test_branch_manager_can_assign_within_own_branch(branch_manager, colleague):
    account = services.account_create(
        actor=branch_manager, data={"name": "Acme", "owner": colleague}
    )
    assert account.owner == colleague


def test_branch_manager_cannot_leave_a_customer_without_owner(branch_manager):
    with pytest.raises(InvalidInput):
        services.account_create(actor=branch_manager, data={"name": "Acme", "owner": None})


def test_branch_manager_cannot_assign_to_another_branch(branch_manager, rep2):
    with pytest.raises(InvalidInput) as raised:
        services.account_create(actor=branch_manager, data={"name": "Acme", "owner": rep2})
    assert list(raised.value.fields) == ["owner"]


def test_account_history_records_the_creating_user(rep1):
    account = services.account_create(actor=rep1, data={"name": "Acme"})
    record = account.history.get()
    assert (record.history_type, record.history_user) == ("+", rep1)


def test_account_history_records_the_changing_user(sales_manager, account):
    services.account_update(account=account, actor=sales_manager, data={"name": "Renamed"})
    latest = account.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.name) == (
        "~",
        sales_manager,
        "Renamed",
    )


def test_contact_history_records_the_acting_user(rep1, account):
    contact = services.contact_save(
        actor=rep1, contact=Contact(account=account, last_name="Lovelace")
    )
    assert contact.history.get().history_user == rep1


def test_only_owner_or_manager_can_share_a_customer(colleague, rep2, account):
    with pytest.raises(ActionForbidden):
        services.account_share(account=account, actor=colleague, user=rep2)


def test_owner_shares_a_customer_with_a_user(rep1, rep2, account):
    services.account_share(account=account, actor=rep1, user=rep2)
    assert account_visible_to(rep2).filter(pk=account.pk).exists()


# Ship-to addresses -----------------------------------------------------------------------------


def save_address(actor, account, label, *, is_default=False) -> ShipToAddress:
    return services.ship_to_save(
        actor=actor,
        address=ShipToAddress(account=account, label=label, is_default=is_default),
    )


def test_first_ship_to_address_becomes_the_default(rep1, account):
    address = save_address(rep1, account, "Main")
    assert address.is_default


def test_further_ship_to_address_leaves_the_default_alone(rep1, account):
    main = save_address(rep1, account, "Main")
    save_address(rep1, account, "Depot")
    main.refresh_from_db()
    assert main.is_default
    assert account.ship_to.filter(is_default=True).count() == 1


def test_new_default_ship_to_address_takes_the_flag(rep1, account):
    main = save_address(rep1, account, "Main")
    depot = save_address(rep1, account, "Depot", is_default=True)
    main.refresh_from_db()
    assert (main.is_default, depot.is_default) == (False, True)


def test_existing_ship_to_address_made_default_takes_the_flag(rep1, account):
    main = save_address(rep1, account, "Main")
    depot = save_address(rep1, account, "Depot")
    depot.is_default = True
    services.ship_to_save(actor=rep1, address=depot)
    assert list(account.ship_to.filter(is_default=True)) == [depot]
    main.refresh_from_db()
    assert not main.is_default


def test_only_ship_to_address_stays_the_default(rep1, account):
    main = save_address(rep1, account, "Main")
    main.is_default = False
    services.ship_to_save(actor=rep1, address=main)
    main.refresh_from_db()
    assert main.is_default


def test_default_ship_to_of_another_account_is_untouched(rep1, account):
    other = factories.AccountFactory(owner=rep1)
    theirs = save_address(rep1, other, "Theirs")
    save_address(rep1, account, "Mine", is_default=True)
    theirs.refresh_from_db()
    assert theirs.is_default


# Contacts --------------------------------------------------------------------------------------


def save_contact(actor, account, last_name, **fields) -> Contact:
    return services.contact_save(
        actor=actor, contact=Contact(account=account, last_name=last_name, **fields)
    )


def test_new_primary_contact_takes_the_flag(rep1, account):
    first = save_contact(rep1, account, "First", is_primary=True)
    second = save_contact(rep1, account, "Second", is_primary=True)
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


def test_email_consent_is_timestamped(rep1, account):
    contact = save_contact(rep1, account, "Consenting", email_consent=True)
    assert contact.email_consent_at is not None


def test_email_consent_timestamp_is_kept_on_later_saves(rep1, account):
    contact = save_contact(rep1, account, "Consenting", email_consent=True)
    stamp = contact.email_consent_at
    contact.phone = "+49 40 1234"
    services.contact_save(actor=rep1, contact=contact)
    contact.refresh_from_db()
    assert contact.email_consent_at == stamp


def test_withdrawn_email_consent_clears_the_timestamp(rep1, account):
    contact = save_contact(rep1, account, "Consenting", email_consent=True)
    contact.email_consent = False
    services.contact_save(actor=rep1, contact=contact)
    contact.refresh_from_db()
    assert contact.email_consent_at is None


def test_portal_manager_without_portal_access_is_refused(rep1, account):
    with pytest.raises(InvalidInput) as raised:
        save_contact(rep1, account, "Boss", is_portal_manager=True)
    assert list(raised.value.fields) == ["is_portal_manager"]


def test_contact_archive_closes_portal_access(rep1, account, portal_customer):
    contact = Contact.objects.get(user=portal_customer)
    services.contact_archive(actor=rep1, contact=contact)
    contact.refresh_from_db()
    assert (contact.is_active, contact.has_portal_access) == (False, False)
    assert not account_visible_to(portal_customer).exists()


def test_contact_archive_of_a_portal_manager_closes_portal_access(rep1, account, portal_customer):
    contact = Contact.objects.get(user=portal_customer)
    contact.is_portal_manager = True
    contact.save()
    services.contact_archive(actor=rep1, contact=contact)
    contact.refresh_from_db()
    assert (contact.is_active, contact.has_portal_access, contact.is_portal_manager) == (
        False,
        False,
        False,
    )


# Documents -------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def upload_error(rep1, account, file) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        services.document_upload(actor=rep1, account=account, upload=file)
    assert account.documents.count() == 0
    return raised.value.fields["file"]


def test_document_upload_stores_file_and_metadata(rep1, account):
    document = services.document_upload(
        actor=rep1, account=account, upload=upload("offer.pdf", b"%PDF-1.4 offer")
    )
    document.refresh_from_db()
    assert (document.title, document.content_type, document.size, document.uploaded_by) == (
        "offer.pdf",
        "application/pdf",
        14,
        rep1,
    )
    with document.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 offer"


def test_document_upload_refuses_unlisted_extension(rep1, account):
    messages = upload_error(rep1, account, upload("tool.exe", b"harmless"))
    assert "not accepted" in messages[0]


def test_document_upload_refuses_file_without_extension(rep1, account):
    messages = upload_error(rep1, account, upload("README", b"hello"))
    assert "not accepted" in messages[0]


def test_document_upload_refuses_oversized_file(rep1, account, settings):
    settings.SFA_DOCUMENT_MAX_BYTES = 1024 * 1024
    messages = upload_error(rep1, account, upload("big.pdf", b"%" * (1024 * 1024 + 1)))
    assert "larger than 1 MB" in messages[0]


def test_document_upload_refuses_empty_file(rep1, account):
    messages = upload_error(rep1, account, upload("empty.pdf", b""))
    assert messages == ["The file is empty."]


@pytest.mark.parametrize(
    "head", [b"MZ\x90\x00", b"\x7fELF\x02\x01", b"#!/bin/sh\n", b"\xcf\xfa\xed\xfe\x07"]
)
def test_document_upload_refuses_executables_behind_a_harmless_extension(rep1, account, head):
    messages = upload_error(rep1, account, upload("invoice.pdf", head + b"payload"))
    assert messages == ["Programs and scripts are not accepted."]


# Contracts -------------------------------------------------------------------------------------


def save_contract(actor, account, start: datetime.date) -> Contract:
    return services.contract_save(
        actor=actor, contract=Contract(account=account, title="Service", start_date=start)
    )


def test_contract_numbers_count_up_per_start_year(rep1, account):
    numbers = [
        save_contract(rep1, account, datetime.date(2026, 3, 1)).number,
        save_contract(rep1, account, datetime.date(2026, 9, 1)).number,
        save_contract(rep1, account, datetime.date(2025, 1, 1)).number,
    ]
    assert numbers == ["CT-2026-00001", "CT-2026-00002", "CT-2025-00001"]


def test_contract_keeps_its_number_when_saved_again(rep1, account):
    contract = save_contract(rep1, account, datetime.date(2026, 3, 1))
    contract.title = "Renamed"
    services.contract_save(actor=rep1, contract=contract)
    contract.refresh_from_db()
    assert contract.number == "CT-2026-00001"


def test_contract_ending_before_it_starts_is_refused(rep1, account):
    contract = Contract(
        account=account,
        title="Backwards",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError, match="customers_contract_dates_ordered"):
        services.contract_save(actor=rep1, contract=contract)
    assert not Contract.objects.exists()


# Deletion requests -----------------------------------------------------------------------------


def test_deletion_request_keeps_the_account_label(rep1, account):
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    assert (request.state, request.account_label, request.requested_by) == (
        "pending",
        str(account),
        rep1,
    )


def test_deletion_request_needs_a_reason(rep1, account):
    with pytest.raises(InvalidInput) as raised:
        services.account_request_deletion(account=account, actor=rep1, reason="  ")
    assert list(raised.value.fields) == ["reason"]


def test_deletion_request_is_refused_while_the_account_is_referenced(rep1, account):
    factories.ContactFactory(account=account)
    with pytest.raises(Conflict) as raised:
        services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    assert raised.value.code == "account_in_use"
    assert "contacts" in raised.value.detail
    assert not DeletionRequest.objects.exists()


def test_own_ship_to_addresses_do_not_block_deletion(rep1, account):
    factories.ShipToFactory(account=account)
    request = services.account_request_deletion(account=account, actor=rep1, reason="Gone")
    assert request.state == "pending"


def test_second_pending_deletion_request_is_refused(rep1, account):
    services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    with pytest.raises(Conflict) as raised:
        services.account_request_deletion(account=account, actor=rep1, reason="Again")
    assert raised.value.code == "deletion_pending"
    assert DeletionRequest.objects.count() == 1


def test_new_deletion_request_is_allowed_after_a_rejection(rep1, sales_manager, account):
    first = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    services.deletion_request_reject(request=first, actor=sales_manager, note="Still active")
    second = services.account_request_deletion(account=account, actor=rep1, reason="Really")
    assert second.state == "pending"


def test_approved_deletion_deletes_the_account_and_keeps_the_request(rep1, sales_manager, account):
    label = str(account)
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    approved = services.deletion_request_approve(request=request, actor=sales_manager, note="ok")
    assert not Account.objects.filter(pk=account.pk).exists()
    assert (approved.state, approved.account, approved.account_label) == ("approved", None, label)
    assert (approved.decided_by, approved.decision_note) == (sales_manager, "ok")


def test_approved_deletion_is_logged_as_a_transition(rep1, sales_manager, account):
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    services.deletion_request_approve(request=request, actor=sales_manager)
    log = transition_history(request).get()
    assert (log.transition, log.source, log.target, log.actor) == (
        "approve",
        "pending",
        "approved",
        sales_manager,
    )


def test_approval_is_refused_when_the_account_became_referenced(rep1, sales_manager, account):
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    factories.ContactFactory(account=account)
    with pytest.raises(Conflict) as raised:
        services.deletion_request_approve(request=request, actor=sales_manager)
    assert raised.value.code == "account_in_use"
    request.refresh_from_db()
    assert request.state == "pending"
    assert Account.objects.filter(pk=account.pk).exists()


def test_rep_cannot_approve_a_deletion_request(rep1, colleague, account):
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    with pytest.raises(ActionForbidden):
        services.deletion_request_approve(request=request, actor=colleague)
    request.refresh_from_db()
    assert request.state == "pending"
    assert Account.objects.filter(pk=account.pk).exists()


def test_rep_approving_a_referenced_customer_is_forbidden_not_told_why(rep1, colleague, account):
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    factories.ContactFactory(account=account)
    with pytest.raises(ActionForbidden):
        services.deletion_request_approve(request=request, actor=colleague)


def test_rejected_deletion_keeps_the_account(rep1, sales_manager, account):
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    rejected = services.deletion_request_reject(request=request, actor=sales_manager, note="no")
    assert rejected.state == "rejected"
    assert rejected.decided_by == sales_manager
    assert Account.objects.filter(pk=account.pk).exists()


def test_decided_deletion_request_cannot_be_approved(rep1, sales_manager, account):
    request = services.account_request_deletion(account=account, actor=rep1, reason="Duplicate")
    services.deletion_request_reject(request=request, actor=sales_manager)
    with pytest.raises(TransitionRefused):
        services.deletion_request_approve(request=request, actor=sales_manager)
    assert Account.objects.filter(pk=account.pk).exists()


# Archive and restore ---------------------------------------------------------------------------


def test_archive_moves_the_account_to_archived(rep1, account):
    archived = services.account_archive(account=account, actor=rep1, note="Closed down")
    account.refresh_from_db()
    assert (archived.status, account.status) == ("archived", "archived")


def test_archive_is_logged_with_actor_and_note(rep1, account):
    services.account_archive(account=account, actor=rep1, note="Closed down")
    log = transition_history(account).get()
    assert (log.transition, log.source, log.target, log.actor, log.note) == (
        "archive",
        "active",
        "archived",
        rep1,
        "Closed down",
    )


def test_restore_brings_an_archived_account_back(rep1, account):
    services.account_archive(account=account, actor=rep1)
    restored = services.account_restore(account=account, actor=rep1)
    assert restored.status == "active"
    assert [log.transition for log in transition_history(account).order_by("pk")] == [
        "archive",
        "restore",
    ]


def test_restoring_an_active_account_is_refused_and_changes_nothing(rep1, account):
    with pytest.raises(TransitionRefused):
        transition_record(account, "restore", actor=rep1)
    account.refresh_from_db()
    assert account.status == "active"
    assert not TransitionLog.objects.exists()


def test_archiving_an_archived_account_is_refused_and_logs_nothing_more(rep1, account):
    services.account_archive(account=account, actor=rep1)
    with pytest.raises(TransitionRefused):
        transition_record(account, "archive", actor=rep1)
    account.refresh_from_db()
    assert account.status == "archived"
    assert TransitionLog.objects.count() == 1


def test_archive_without_permission_is_forbidden_and_changes_nothing(support_agent, account):
    with pytest.raises(ActionForbidden):
        transition_record(account, "archive", actor=support_agent)
    account.refresh_from_db()
    assert account.status == "active"
    assert not TransitionLog.objects.exists()


def test_wrong_state_is_reported_before_missing_permission(support_agent, account):
    with pytest.raises(TransitionRefused):
        transition_record(account, "restore", actor=support_agent)


def test_archive_from_a_stale_copy_is_refused(rep1, account):
    stale = Account.objects.get(pk=account.pk)
    services.account_archive(account=account, actor=rep1)
    with pytest.raises(TransitionRefused):
        services.account_archive(account=stale, actor=rep1)
    assert TransitionLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_archive_lets_exactly_one_win(rep1, account):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def archive():
        try:
            actor = User.objects.get(pk=rep1.pk)
            copy = Account.objects.get(pk=account.pk)
            barrier.wait(timeout=10)
            services.account_archive(account=copy, actor=actor)
            outcomes.append("archived")
        except (TransitionRefused, ConcurrentUpdate) as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=archive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) in (
        ["archived", "transition_not_allowed"],
        ["archived", "concurrent_update"],
    )
    account.refresh_from_db()
    assert account.status == "archived"
    assert TransitionLog.objects.count() == 1
