"""Global search scoping: a rep finds only the customers they may see."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "search-results"}


@pytest.fixture
def other_account(rep2):
    return factories.AccountFactory(owner=rep2, name="Southern Secret GmbH", code="SECRET1")


def page_text(response) -> str:
    return response.content.decode()


# Global search -------------------------------------------------------------------------------


def test_global_search_never_returns_another_reps_customers(client_for, rep1, other_account):
    factories.ContactFactory(account=other_account, last_name="Hiddenperson")
    client = client_for(rep1)
    for text in [other_account.name, other_account.code, "Hiddenperson"]:
        response = client.get("/search/", {"q": text}, **HTMX)
        html = page_text(response)
        assert response.status_code == 200
        assert f"/customers/{other_account.pk}/" not in html
        assert "<li>" not in html
        assert f"Nothing found for “{text}”." in html


def test_global_search_finds_own_customer_by_contact_email(client_for, rep1, account):
    factories.ContactFactory(account=account, email="purchasing@own-customer.example")
    response = client_for(rep1).get("/search/", {"q": "own-customer"}, **HTMX)
    html = page_text(response)
    assert f"/customers/{account.pk}/" in html
    assert "<html" not in html


def test_global_search_lets_a_sales_manager_find_every_customer(
    client_for, sales_manager, other_account
):
    response = client_for(sales_manager).get("/search/", {"q": other_account.code})
    assert f"/customers/{other_account.pk}/" in page_text(response)


def test_global_search_ignores_a_single_character(client_for, rep1, account):
    response = client_for(rep1).get("/search/", {"q": "C"}, **HTMX)
    assert page_text(response).strip() == ""


# Quick find of records that belong to a customer ----------------------------------------------


@pytest.fixture
def ticket_of_account(account, support_agent):
    return factories.TicketFactory(account=account, subject="Spindle noise at night")


def test_global_search_finds_a_ticket_by_its_number_prefix(
    client_for, support_agent, ticket_of_account
):
    number = ticket_of_account.number
    html = page_text(client_for(support_agent).get("/search/", {"q": number[:-1].lower()}, **HTMX))
    assert number in html


def test_global_search_finds_a_ticket_by_part_of_its_subject(
    client_for, support_agent, ticket_of_account
):
    html = page_text(client_for(support_agent).get("/search/", {"q": "spindle"}, **HTMX))
    assert ticket_of_account.number in html


def test_global_search_finds_a_ticket_by_its_customers_name(
    client_for, support_agent, ticket_of_account, account
):
    html = page_text(client_for(support_agent).get("/search/", {"q": account.name}, **HTMX))
    assert ticket_of_account.number in html
