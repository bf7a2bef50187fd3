"""The customer search document (sfa.customers.search): what it holds, who keeps it current,
and how the search ranks and bounds what it finds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sfa.customers import search, services
from sfa.customers.models import Account, Contact
from sfa.customers.selectors import account_visible_to
from tests import factories


def document_of(account: Account) -> str:
    return Account.objects.get(pk=account.pk).search_document


def found(user, text: str) -> list[str]:
    return [a.code for a in search.account_search(account_visible_to(user), text)]


@pytest.fixture
def acme(rep1):
    account = services.account_create(
        actor=rep1,
        data={"code": "ACME1", "name": "Acme Tools", "phone": "+49 (40) 555-123", "city": "Kiel"},
    )
    services.contact_save(
        actor=rep1,
        contact=Contact(account=account, first_name="Jane", last_name="Doe", email="Jane@Acme.io"),
    )
    return account


def test_the_document_holds_the_customer_and_its_contacts_in_lower_case(acme):
    document = document_of(acme)
    for part in ("acme1", "acme tools", "kiel", "jane", "doe", "jane@acme.io"):
        assert part in document


def test_the_document_holds_phones_as_typed_and_as_digits(acme):
    document = document_of(acme)
    assert "+49 (40) 555-123" in document
    assert "4940555123" in document


def test_a_phone_typed_with_punctuation_is_searched_as_its_digits(acme, rep1):
    assert found(rep1, "40-555 123") == ["ACME1"]
    assert search.search_terms("040/555-12 Kiel") == ["04055512", "kiel"]


def test_updating_the_customer_refreshes_its_document(acme, rep1):
    services.account_update(account=acme, actor=rep1, data={"name": "Zenith Pumps"})
    assert found(rep1, "zenith") == ["ACME1"]
    assert found(rep1, "tools") == []


def test_a_contact_moved_to_another_customer_takes_its_words_along(acme, rep1):
    other = services.account_create(actor=rep1, data={"code": "OTHER", "name": "Other"})
    contact = acme.contacts.get()
    contact.account = other
    services.contact_save(actor=rep1, contact=contact)
    assert found(rep1, "jane@acme") == ["OTHER"]


def test_the_rebuild_writes_what_the_services_write(acme, rep1, db):
    factories.ContactFactory(account=acme, first_name="", last_name="Ödegaard", phone="")
    services.account_create(actor=rep1, data={"name": "No Contacts", "fax": "0-1"})
    before = dict(Account.objects.values_list("pk", "search_document"))
    Account.objects.update(search_document="")
    search.account_search_documents_rebuild()
    assert dict(Account.objects.values_list("pk", "search_document")) == before


def test_the_exact_code_comes_first_then_codes_and_names_that_start_with_the_text(rep1):
    for code, name in [("X-9", "Alpha Kiel"), ("KIEL", "Zeta"), ("KIEL2", "Beta"),
                       ("K-1", "Kiel Pumps"), ("A-1", "Aaron in Kiel")]:  # fmt: skip
        services.account_create(actor=rep1, data={"code": code, "name": name})
    assert found(rep1, "kiel") == ["KIEL", "KIEL2", "K-1", "A-1", "X-9"]


def test_every_word_must_be_in_the_document(acme, rep1):
    assert found(rep1, "acme kiel") == ["ACME1"]
    assert found(rep1, "acme berlin") == []


def test_the_search_sees_only_the_customers_the_user_sees(acme, rep2):
    assert found(rep2, "acme") == []


def test_a_broad_term_ranks_a_bounded_number_of_customers(rep1, monkeypatch):
    for n in range(6):
        services.account_create(actor=rep1, data={"code": f"C{n}", "name": f"Firm {n} Kiel"})
    services.account_create(actor=rep1, data={"code": "KIEL", "name": "Zeta"})
    monkeypatch.setattr(search, "MAX_MATCHES", 2)
    codes = found(rep1, "kiel")
    assert codes[0] == "KIEL"
    assert len(codes) <= 3  # the code match and at most two others, not all seven


def test_a_list_page_of_a_search_looks_through_the_documents_once(acme, rep1, api_for):
    with CaptureQueriesContext(connection) as queries:
        response = api_for(rep1).get("/api/v1/accounts/", {"search": "acme"})
    assert [row["code"] for row in response.json()["results"]] == ["ACME1"]
    assert response.json()["count"] == 1
    searching = [q for q in queries.captured_queries if "search_document" in q["sql"]]
    assert len([q for q in searching if "LIKE" in q["sql"]]) == 1
