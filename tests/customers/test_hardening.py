"""Edge cases found while testing the foundation: each one was a bug."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from sfa.catalog.models import Product
from sfa.core.exceptions import ActionForbidden, InvalidInput
from sfa.core.importing import run_import
from sfa.customers.models import Contract, DeletionRequest
from sfa.customers.services import contract_save
from tests import factories


@pytest.mark.django_db
def test_discount_privilege_above_100_percent_is_refused(api_for, rep1):
    response = api_for(rep1).post(
        "/api/v1/accounts/", {"name": "Too generous", "discount_privilege": "150"}, format="json"
    )
    assert response.status_code == 400
    assert "discount_privilege" in response.json()["fields"]


@pytest.mark.parametrize(
    "resource", ["contacts", "addresses", "reminders", "activities", "documents", "contracts"]
)
@pytest.mark.django_db
def test_filtering_a_child_list_by_another_reps_customer_looks_like_a_missing_one(
    api_for, rep1, rep2, resource
):
    hidden = factories.AccountFactory(owner=rep2)
    client = api_for(rep1)
    other = client.get(f"/api/v1/{resource}/?account={hidden.pk}")
    missing = client.get(f"/api/v1/{resource}/?account=987654321")
    assert other.status_code == missing.status_code == 400
    assert other.json()["fields"].keys() == missing.json()["fields"].keys() == {"account"}


@pytest.mark.django_db
def test_filtering_a_child_list_by_a_visible_customer_works(api_for, rep1, account):
    factories.ContactFactory(account=account, last_name="Visible")
    response = api_for(rep1).get(f"/api/v1/contacts/?account={account.pk}")
    assert response.status_code == 200
    assert [c["last_name"] for c in response.json()["results"]] == ["Visible"]


@pytest.mark.django_db
def test_a_contract_that_fails_validation_leaves_no_file_behind(account, rep1, settings):
    contract = Contract(account=account, title="", start_date=datetime.date(2026, 1, 1))
    upload = SimpleUploadedFile("terms.pdf", b"%PDF-1.4 terms", content_type="application/pdf")
    with pytest.raises(Exception):  # noqa: B017, PT011 - the model's ValidationError
        contract_save(actor=rep1, contract=contract, upload=upload)
    root = settings.PRIVATE_MEDIA_ROOT / "contracts"
    stored = [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
    assert stored == []
    assert not Contract.objects.exists()


@pytest.mark.django_db
def test_import_is_refused_to_a_user_without_the_importers_permission(support_agent):
    with pytest.raises(ActionForbidden):
        run_import(
            kind="accounts",
            dataset=tablib.Dataset(["X"], headers=["name"]),
            actor=support_agent,
            commit=False,
        )


@pytest.mark.django_db
def test_product_created_through_the_api_records_who_in_its_history(api_for, sales_manager):
    tax = factories.TaxRateFactory()
    response = api_for(sales_manager).post(
        "/api/v1/products/",
        {"code": "NEW-1", "name": "New", "unit_price": "10.00", "tax_rate": tax.pk},
        format="json",
    )
    assert response.status_code == 201
    assert Product.objects.get(code="NEW-1").history.get().history_user == sales_manager


@pytest.mark.django_db
def test_invalid_input_names_the_field(account, rep1):
    with pytest.raises(InvalidInput) as refused:
        contract_save(
            actor=rep1,
            contract=Contract(account=account, title="x", start_date=datetime.date(2026, 1, 1)),
            upload=SimpleUploadedFile("virus.exe", b"MZ..."),
        )
    assert "file" in refused.value.fields


@pytest.mark.django_db
def test_deletion_requests_filter_by_several_states(api_for, sales_manager, rep1):
    for reason in ("a", "b", "c"):
        DeletionRequest.objects.create(
            account=None, account_label=reason, reason=reason, requested_by=rep1
        )
    rejected = DeletionRequest.objects.get(reason="b")
    rejected.reject(by=sales_manager)
    rejected.save()
    client = api_for(sales_manager)
    both = client.get("/api/v1/deletion-requests/?state=pending&state=rejected").json()
    only = client.get("/api/v1/deletion-requests/?state=rejected").json()
    assert both["count"] == 3
    assert [r["reason"] for r in only["results"]] == ["b"]
