import pytest

from sfa.customers.models import AccountShare, CustomFieldDefinition
from tests import factories

FieldType = CustomFieldDefinition.FieldType


def main_tab(client, account):
    return client.get(f"/customers/{account.pk}/?tab=main")


@pytest.mark.django_db
def test_owner_shares_a_customer_with_a_colleague_from_the_main_tab(
    client, account, rep1, colleague
):
    client.force_login(rep1)
    response = client.post(
        f"/customers/{account.pk}/shares/", {"user": colleague.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert AccountShare.objects.filter(account=account, user=colleague).exists()
    assert str(colleague) in response.content.decode()


@pytest.mark.django_db
def test_shared_colleague_then_finds_the_customer(client, account, rep1, colleague):
    client.force_login(rep1)
    client.post(f"/customers/{account.pk}/shares/", {"user": colleague.pk})
    client.force_login(colleague)
    assert main_tab(client, account).status_code == 200


@pytest.mark.django_db
def test_sharing_with_neither_user_nor_team_is_a_form_error(client, account, rep1):
    client.force_login(rep1)
    response = client.post(f"/customers/{account.pk}/shares/", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Choose a colleague or a team." in response.content.decode()


@pytest.mark.django_db
def test_a_colleague_the_customer_is_shared_with_cannot_reshare_or_unshare(
    client, account, rep1, colleague
):
    share = AccountShare.objects.create(account=account, user=colleague)
    third = factories.UserFactory(role="sales rep", branch=rep1.branch)
    client.force_login(colleague)
    refused = client.post(
        f"/customers/{account.pk}/shares/", {"user": third.pk}, HTTP_HX_REQUEST="true"
    )
    removed = client.post(
        f"/customers/{account.pk}/shares/{share.pk}/remove/", HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 403
    assert removed.status_code == 403
    assert list(AccountShare.objects.filter(account=account)) == [share]


@pytest.mark.django_db
def test_owner_removes_a_share(client, account, rep1, colleague):
    share = AccountShare.objects.create(account=account, user=colleague)
    client.force_login(rep1)
    response = client.post(f"/customers/{account.pk}/shares/{share.pk}/remove/")
    assert response.status_code == 302
    assert not AccountShare.objects.exists()


@pytest.fixture
def special_fields(db):
    return [
        factories.CustomFieldFactory(
            key="tier", label="Tier", field_type=FieldType.CHOICE, choices=["gold", "silver"]
        ),
        factories.CustomFieldFactory(key="staff", label="Staff", field_type=FieldType.NUMBER),
        factories.CustomFieldFactory(key="machines", label="Machines", field_type=FieldType.TEXT),
    ]


@pytest.mark.django_db
def test_customer_list_offers_a_filter_input_per_special_field(client, rep1, special_fields):
    client.force_login(rep1)
    page = client.get("/customers/").content.decode()
    assert 'name="cf_tier"' in page
    assert 'name="cf_staff_min"' in page
    assert 'name="cf_staff_max"' in page
    assert 'name="cf_machines"' in page


@pytest.mark.django_db
def test_text_special_field_filters_by_part_of_the_value(client, rep1, special_fields):
    factories.AccountFactory(
        owner=rep1, name="Lathe shop", custom_fields={"machines": "Five CNC lathes"}
    )
    factories.AccountFactory(owner=rep1, name="Press shop", custom_fields={"machines": "Press"})
    client.force_login(rep1)
    page = client.get("/customers/?cf_machines=cnc").content.decode()
    assert "Lathe shop" in page
    assert "Press shop" not in page


@pytest.mark.django_db
def test_choice_and_number_range_filters_combine(client, rep1, special_fields):
    factories.AccountFactory(
        owner=rep1, name="Big gold", custom_fields={"tier": "gold", "staff": 500}
    )
    factories.AccountFactory(
        owner=rep1, name="Small gold", custom_fields={"tier": "gold", "staff": 5}
    )
    factories.AccountFactory(
        owner=rep1, name="Big silver", custom_fields={"tier": "silver", "staff": 900}
    )
    client.force_login(rep1)
    page = client.get("/customers/?cf_tier=gold&cf_staff_min=100").content.decode()
    assert "Big gold" in page
    assert "Small gold" not in page
    assert "Big silver" not in page
