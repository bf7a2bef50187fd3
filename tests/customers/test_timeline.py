"""The customer's activity timeline shows the state changes of its enquiries and deals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.services import lead_create, lead_qualify
from opportunities.services import lead_convert
from sfa.customers import services
from sfa.customers.selectors import account_timeline
from tests import factories


def enquiry(owner, account):
    return lead_create(actor=owner, data={"channel": "email", "account": account})


@pytest.mark.django_db
def test_the_timeline_holds_activities_and_enquiry_state_changes_newest_first(rep1, account):
    services.activity_log(actor=rep1, account=account, subject="Called the buyer")
    lead_qualify(lead=enquiry(rep1, account), actor=rep1)
    entries = account_timeline(account=account, user=rep1)
    assert entries[0].change.target == "qualified"
    assert entries[0].label.startswith("ENQ-")
    assert entries[0].url.startswith("/enquiries/")
    assert entries[1].activity.subject == "Called the buyer"


@pytest.mark.django_db
def test_the_timeline_shows_the_opportunity_made_by_converting(rep1, account):
    lead = lead_qualify(lead=enquiry(rep1, account), actor=rep1)
    deal = lead_convert(lead=lead, actor=rep1)
    targets = {
        (e.change.content_type.model, e.change.target)
        for e in account_timeline(account=account, user=rep1)
        if e.change
    }
    assert ("lead", "converted") in targets
    assert deal.account == account


@pytest.mark.django_db
def test_the_timeline_shows_archiving_the_customer(rep1, sales_manager):
    customer = factories.AccountFactory(owner=rep1)
    services.account_archive(account=customer, actor=sales_manager)
    entries = account_timeline(account=customer, user=sales_manager)
    assert [(e.label, e.change.target) for e in entries if e.change] == [("", "archived")]


@pytest.mark.django_db
def test_changes_of_another_customers_enquiries_stay_out(rep1, account):
    other = factories.AccountFactory(owner=rep1)
    lead_qualify(lead=enquiry(rep1, other), actor=rep1)
    assert [e for e in account_timeline(account=account, user=rep1) if e.change] == []


@pytest.mark.django_db
def test_the_activities_tab_needs_the_same_few_queries_for_many_changes(client_for, rep1, account):
    client = client_for(rep1)
    url = f"/customers/{account.pk}/?tab=activities"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
        return len(queries)

    lead_qualify(lead=enquiry(rep1, account), actor=rep1)
    count()  # the session is cached from then on
    few = count()
    for _ in range(4):
        lead_qualify(lead=enquiry(rep1, account), actor=rep1)
    assert count() == few
