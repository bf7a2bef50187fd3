"""Every list reads through its ``<model>_list`` selector: a bad parameter is a 400 that
names it (docs/api-filters.md), a record's own URL ignores list parameters, and ties in an
asked-for order fall back to the list's default order."""

import pytest

from sfa.customers.models import Account
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("resource", "params", "bad"),
    [
        ("accounts", {"status": "gone"}, "status"),
        ("contacts", {"account": "abc"}, "account"),
        ("leads", {"state": "lost"}, "state"),
        ("opportunities", {"close_from": "soon"}, "close_from"),
        ("quotes", {"issue_date_to": "2026-13-01"}, "issue_date_to"),
        ("tickets", {"priority": "whenever"}, "priority"),
        ("kb/articles", {"visibility": "secret"}, "visibility"),
        ("products", {"category": "tools"}, "category"),
        ("leads", {"ordering": "-colour"}, "ordering"),
    ],
)
def test_an_invalid_filter_is_a_400_naming_the_parameter(
    api_for, administrator, resource, params, bad
):
    response = api_for(administrator).get(f"/api/v1/{resource}/", params)
    body = response.json()
    assert response.status_code == 400
    assert (body["code"], list(body["fields"])) == ("invalid", [bad])
    assert body["detail"] == f"Invalid filter: {bad}."


def test_a_records_own_url_ignores_list_parameters(api_for, rep1, account):
    response = api_for(rep1).get(f"/api/v1/accounts/{account.pk}/", {"status": "archived"})
    assert (response.status_code, response.json()["id"]) == (200, account.pk)


def test_ties_in_the_asked_for_order_fall_back_to_the_default_order(api_for, rep1):
    for name in ("Zeta", "Alpha", "Mu"):
        factories.AccountFactory(owner=rep1, name=name, city="Hamburg")
    response = api_for(rep1).get("/api/v1/accounts/", {"ordering": "city"})
    assert [row["name"] for row in response.json()["results"]] == ["Alpha", "Mu", "Zeta"]


def test_several_orderings_apply_in_turn(api_for, rep1):
    for name, city in (("Alpha", "Kiel"), ("Beta", "Bonn"), ("Gamma", "Kiel")):
        factories.AccountFactory(owner=rep1, name=name, city=city)
    response = api_for(rep1).get("/api/v1/accounts/", {"ordering": "-city,-name"})
    assert [row["name"] for row in response.json()["results"]] == ["Gamma", "Alpha", "Beta"]


def test_the_staff_list_keeps_to_active_customers_the_api_lists_all(
    api_for, client_for, rep1, account
):
    archived = factories.AccountFactory(owner=rep1, status=Account.Status.ARCHIVED)
    api_ids = [row["id"] for row in api_for(rep1).get("/api/v1/accounts/").json()["results"]]
    staff = client_for(rep1).get("/customers/").context["page"]
    assert sorted(api_ids) == sorted([account.pk, archived.pk])
    assert [a.pk for a in staff] == [account.pk]


def test_a_filter_of_the_users_customers_is_built_for_each_user(api_for, administrator, rep1, rep2):
    # The filter forms are built once per list, but not the customers a user may pick.
    others = factories.AccountFactory(owner=rep2)
    factories.ContactFactory(account=others)
    admin_view = api_for(administrator).get("/api/v1/contacts/", {"account": others.pk})
    rep_view = api_for(rep1).get("/api/v1/contacts/", {"account": others.pk})
    assert admin_view.status_code == 200
    assert (rep_view.status_code, list(rep_view.json()["fields"])) == (400, ["account"])


def test_the_filter_form_keeps_the_order_of_the_filters(rep1):
    from sfa.customers.filters import ContactFilter

    for _ in range(2):  # built, then reused
        filterset = ContactFilter({}, user=rep1)
        assert list(filterset.form.fields) == list(filterset.filters)
