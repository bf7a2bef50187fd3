import pytest

from sfa.customers.models import ShipToAddress
from tests import factories


@pytest.mark.django_db
def test_owner_edits_a_contacts_email(client, rep1, account):
    contact = factories.ContactFactory(account=account, last_name="Doe", email="old@x.example")
    client.force_login(rep1)
    url = f"/customers/{account.pk}/contacts/{contact.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"last_name": "Doe", "email": "new@x.example"})
    contact.refresh_from_db()
    assert response.status_code == 302
    assert contact.email == "new@x.example"
    assert contact.history.first().history_user == rep1


@pytest.mark.django_db
def test_contact_edit_with_a_bad_email_shows_the_error(client, rep1, account):
    contact = factories.ContactFactory(account=account)
    client.force_login(rep1)
    response = client.post(
        f"/customers/{account.pk}/contacts/{contact.pk}/edit/",
        {"last_name": "Doe", "email": "not-an-address"},
    )
    assert response.status_code == 400
    assert "valid email" in response.content.decode()


@pytest.mark.django_db
def test_another_reps_contact_edit_page_is_404(client, rep2, account):
    contact = factories.ContactFactory(account=account)
    client.force_login(rep2)
    assert client.get(f"/customers/{account.pk}/contacts/{contact.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_read_only_role_cannot_edit_a_contact(client, support_agent, account):
    contact = factories.ContactFactory(account=account)
    client.force_login(support_agent)
    url = f"/customers/{account.pk}/contacts/{contact.pk}/edit/"
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_deactivating_the_default_ship_to_hands_the_default_to_another(client, rep1, account):
    first = factories.ShipToFactory(account=account, label="Main", is_default=True)
    second = factories.ShipToFactory(account=account, label="Second")
    client.force_login(rep1)
    response = client.post(
        f"/customers/{account.pk}/ship-to/{first.pk}/edit/",
        {"label": "Main", "city": "Bremen", "is_default": "on", "is_active": ""},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert response.status_code == 302
    assert (first.is_active, first.is_default) == (False, False)
    assert second.is_default is True


@pytest.mark.django_db
def test_editing_a_ship_to_label_keeps_it_default(client, rep1, account):
    only = factories.ShipToFactory(account=account, label="Main", is_default=True)
    client.force_login(rep1)
    client.post(
        f"/customers/{account.pk}/ship-to/{only.pk}/edit/",
        {"label": "Head office", "is_active": "on"},
    )
    only.refresh_from_db()
    assert (only.label, only.is_default) == ("Head office", True)
    assert ShipToAddress.objects.filter(account=account, is_default=True).count() == 1
