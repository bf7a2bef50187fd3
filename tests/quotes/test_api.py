"""The quotes API: nested lines, computed totals, transitions with 409, access."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.services import opportunity_create
from quotes.models import ApprovalRule, Quote
from tests import factories


def payload(account, products, **extra):
    return {
        "account": account.pk,
        "lines": [
            {"kind": "section", "description": "Machines"},
            {"product": products[0].pk, "quantity": "2", "discount_percent": "10"},
            {"product": products[1].pk, "quantity": "4"},
        ],
        **extra,
    }


@pytest.mark.django_db
def test_creating_a_quote_prices_the_lines_and_computes_the_totals(
    api_for, rep1, account, products
):
    response = api_for(rep1).post("/api/v1/quotes/", payload(account, products), format="json")
    body = response.json()
    assert response.status_code == 201, body
    assert body["state"] == "draft"
    assert [line["kind"] for line in body["lines"]] == ["section", "item", "item"]
    assert [line["line_total"] for line in body["lines"]] == ["0.00", "1800.00", "50.00"]
    assert (body["subtotal"], body["discount_total"], body["tax_total"], body["total"]) == (
        "2050.00",
        "200.00",
        "351.50",
        "2201.50",
    )
    assert body["tax_summary"] == [{"rate": "19.00", "base": "1850.00", "tax": "351.50"}]
    assert "mark_sent" in body["available_transitions"]


@pytest.mark.django_db
def test_totals_sent_by_the_client_are_ignored(api_for, rep1, account, products):
    response = api_for(rep1).post(
        "/api/v1/quotes/", payload(account, products, total="1.00"), format="json"
    )
    assert response.json()["total"] == "2201.50"


@pytest.mark.django_db
def test_a_line_error_names_the_line(api_for, rep1, account):
    response = api_for(rep1).post(
        "/api/v1/quotes/",
        {"account": account.pk, "lines": [{"kind": "item", "description": "No price"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "unit_price" in response.json()["fields"]["lines"]["0"]


@pytest.mark.django_db
def test_editing_a_sent_quote_is_409_and_changes_nothing(api_for, rep1, account, products):
    client = api_for(rep1)
    quote = client.post("/api/v1/quotes/", payload(account, products), format="json").json()
    sent = client.post(f"/api/v1/quotes/{quote['id']}/mark-sent/", {}, format="json")
    assert sent.json()["state"] == "sent"
    response = client.patch(
        f"/api/v1/quotes/{quote['id']}/", {"title": "changed", "lines": []}, format="json"
    )
    assert response.status_code == 409
    stored = Quote.objects.get(pk=quote["id"])
    assert (stored.title, stored.lines.count()) == ("", 3)


@pytest.mark.django_db
def test_a_quote_held_for_approval_is_approved_by_a_manager_only(
    api_for, rep1, sales_manager, account, products
):
    ApprovalRule.objects.create(name="Discount", max_line_discount_percent=Decimal("5"))
    quote = api_for(rep1).post("/api/v1/quotes/", payload(account, products), format="json")
    quote_id = quote.json()["id"]
    held = api_for(rep1).post(f"/api/v1/quotes/{quote_id}/mark-sent/", {}, format="json")
    assert held.json()["state"] == "pending_approval"
    assert held.json()["approval_reasons"] == ["Discount: discount 10.00 % is above 5.00 %"]
    assert api_for(rep1).post(f"/api/v1/quotes/{quote_id}/approve/", {}).status_code == 403
    approved = api_for(sales_manager).post(
        f"/api/v1/quotes/{quote_id}/approve/", {"note": "ok"}, format="json"
    )
    assert approved.json()["state"] == "approved"


@pytest.mark.django_db
def test_accepting_twice_through_the_api_is_409(api_for, rep1, account, products):
    client = api_for(rep1)
    quote_id = client.post("/api/v1/quotes/", payload(account, products), format="json").json()[
        "id"
    ]
    client.post(f"/api/v1/quotes/{quote_id}/mark-sent/", {}, format="json")
    first = client.post(f"/api/v1/quotes/{quote_id}/accept/", {"name": "Ann"}, format="json")
    again = client.post(f"/api/v1/quotes/{quote_id}/accept/", {"name": "Bob"}, format="json")
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.json()["code"] == "transition_not_allowed"
    assert Quote.objects.get(pk=quote_id).answered_by_name == "Ann"


@pytest.mark.django_db
def test_another_reps_quote_is_404(api_for, rep1, rep2, account, products):
    quote_id = api_for(rep1).post("/api/v1/quotes/", payload(account, products), format="json")
    assert api_for(rep2).get(f"/api/v1/quotes/{quote_id.json()['id']}/").status_code == 404


@pytest.mark.django_db
def test_a_quote_for_a_customer_the_user_may_not_see_is_refused(api_for, rep2, account, products):
    response = api_for(rep2).post("/api/v1/quotes/", payload(account, products), format="json")
    assert response.status_code == 400
    assert "account" in response.json()["fields"]


@pytest.mark.django_db
def test_a_quote_from_an_opportunity_through_the_api(api_for, rep1, account, products):
    deal = opportunity_create(
        actor=rep1,
        data={"title": "Lathes", "account": account},
        lines=[{"product": products[0], "quantity": Decimal(3)}],
    )
    response = api_for(rep1).post(
        "/api/v1/quotes/from-opportunity/", {"opportunity": deal.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["opportunity"] == deal.pk
    assert response.json()["lines"][0]["quantity"] == "3.000"


@pytest.mark.django_db
def test_revise_through_the_api_answers_with_the_old_version_superseded(
    api_for, rep1, account, products
):
    client = api_for(rep1)
    quote_id = client.post("/api/v1/quotes/", payload(account, products), format="json").json()[
        "id"
    ]
    client.post(f"/api/v1/quotes/{quote_id}/mark-sent/", {}, format="json")
    response = client.post(f"/api/v1/quotes/{quote_id}/revise/", {}, format="json")
    assert response.status_code == 200
    versions = list(Quote.objects.order_by("version").values_list("version", "state"))
    assert versions == [(1, "superseded"), (2, "draft")]


@pytest.mark.django_db
def test_deleting_a_quote_is_405(api_for, rep1, account, products):
    quote_id = api_for(rep1).post("/api/v1/quotes/", payload(account, products), format="json")
    response = api_for(rep1).delete(f"/api/v1/quotes/{quote_id.json()['id']}/")
    assert response.status_code == 405


@pytest.mark.django_db
def test_the_list_needs_the_same_queries_for_two_and_ten_quotes(api_for, rep1, account, products):
    client = api_for(rep1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/quotes/").status_code == 200
        return len(queries)

    for _ in range(2):
        client.post("/api/v1/quotes/", payload(account, products), format="json")
    few = count()
    for _ in range(8):
        client.post(
            "/api/v1/quotes/",
            payload(factories.AccountFactory(owner=rep1), products),
            format="json",
        )
    assert count() == few


@pytest.mark.django_db
def test_the_list_shows_each_quote_without_its_lines(api_for, rep1, account, products):
    client = api_for(rep1)
    client.post("/api/v1/quotes/", payload(account, products), format="json")
    row = client.get("/api/v1/quotes/").json()["results"][0]
    assert (row["total"], row["account"]) == ("2201.50", account.pk)
    assert not {"lines", "tax_summary"} & set(row)


@pytest.mark.django_db
def test_an_unknown_expansion_is_a_400_naming_the_parameter(api_for, rep1):
    response = api_for(rep1).get("/api/v1/quotes/?expand=lines,owner")
    assert response.status_code == 400
    assert response.json()["fields"]["expand"] == ["Cannot expand owner; this list expands lines."]


@pytest.mark.django_db
def test_search_finds_a_quote_by_product_code_and_customer_code(api_for, rep1, account, products):
    client = api_for(rep1)
    client.post("/api/v1/quotes/", payload(account, products), format="json")
    other = factories.AccountFactory(owner=rep1)
    client.post(
        "/api/v1/quotes/",
        {"account": other.pk, "lines": [{"description": "Service", "unit_price": "5"}]},
        format="json",
    )
    by_product = client.get("/api/v1/quotes/?search=OIL-5").json()["results"]
    by_customer = client.get(f"/api/v1/quotes/?search={other.code}").json()["results"]
    assert [q["account"] for q in by_product] == [account.pk]
    assert [q["account"] for q in by_customer] == [other.pk]
