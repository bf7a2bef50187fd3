import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.models import LostReason, Opportunity, StageSetting
from opportunities.services import opportunity_create, opportunity_update
from sfa.core.models import TransitionLog
from tests import factories


@pytest.fixture
def deal(api_for, rep1, account):
    response = api_for(rep1).post(
        "/api/v1/opportunities/",
        {
            "title": "Lathes for the new hall",
            "account": account.pk,
            "amount": "50000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.django_db
def test_new_opportunity_starts_prospecting_with_the_stage_probability(deal):
    assert (deal["state"], deal["probability"]) == ("prospecting", 10)
    assert deal["weighted_amount"] == "5000.00"


@pytest.mark.django_db
def test_moving_takes_the_default_probability_administrators_set(api_for, rep1, deal):
    StageSetting.objects.filter(stage="proposal").update(label="Offer out", default_probability=60)
    response = api_for(rep1).post(
        f"/api/v1/opportunities/{deal['id']}/move/", {"stage": "proposal"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["probability"]) == ("proposal", 60)


@pytest.mark.django_db
def test_moving_to_a_closed_stage_is_refused_naming_the_field(api_for, rep1, deal):
    response = api_for(rep1).post(
        f"/api/v1/opportunities/{deal['id']}/move/", {"stage": "won"}, format="json"
    )
    assert response.status_code == 400
    assert "stage" in response.json()["fields"]


@pytest.mark.django_db
def test_lost_needs_a_reason_and_reopening_returns_to_the_stage_and_is_logged(api_for, rep1, deal):
    client = api_for(rep1)
    client.post(
        f"/api/v1/opportunities/{deal['id']}/move/", {"stage": "negotiation"}, format="json"
    )
    no_reason = client.post(f"/api/v1/opportunities/{deal['id']}/lose/", {}, format="json")
    reason = LostReason.objects.get(name="Price too high")
    lost = client.post(
        f"/api/v1/opportunities/{deal['id']}/lose/", {"reason": reason.pk}, format="json"
    ).json()
    reopened = client.post(f"/api/v1/opportunities/{deal['id']}/reopen/").json()
    assert no_reason.status_code == 400
    assert (lost["state"], lost["probability"], lost["lost_reason"]) == ("lost", 0, reason.pk)
    assert (reopened["state"], reopened["probability"]) == ("negotiation", 75)
    assert TransitionLog.objects.filter(transition="reopen").count() == 1


@pytest.mark.django_db
def test_winning_twice_is_409_and_changes_nothing(api_for, rep1, deal):
    client = api_for(rep1)
    client.post(f"/api/v1/opportunities/{deal['id']}/win/")
    again = client.post(f"/api/v1/opportunities/{deal['id']}/win/")
    assert again.status_code == 409
    assert TransitionLog.objects.filter(transition="win").count() == 1
    assert Opportunity.objects.get(pk=deal["id"]).state == "won"


@pytest.mark.django_db
def test_a_closed_opportunity_cannot_be_edited(api_for, rep1, deal):
    client = api_for(rep1)
    client.post(f"/api/v1/opportunities/{deal['id']}/win/")
    response = client.patch(f"/api/v1/opportunities/{deal['id']}/", {"title": "x"}, format="json")
    assert response.status_code == 409


@pytest.mark.django_db
def test_amount_comes_from_the_lines_when_there_are_any(api_for, rep1, account):
    product = factories.ProductFactory(unit_price="200.00")
    body = (
        api_for(rep1)
        .post(
            "/api/v1/opportunities/",
            {
                "title": "Tools",
                "account": account.pk,
                "amount": "1.00",
                "lines": [{"product": product.pk, "quantity": "3", "discount_percent": "10"}],
            },
            format="json",
        )
        .json()
    )
    assert body["amount"] == "540.00"


@pytest.mark.django_db
def test_another_reps_opportunity_is_404(api_for, rep2, deal):
    assert api_for(rep2).get(f"/api/v1/opportunities/{deal['id']}/").status_code == 404


@pytest.mark.django_db
def test_opportunity_list_queries_do_not_grow_with_the_rows(api_for, rep1, account):
    client = api_for(rep1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/opportunities/?page_size=50").status_code == 200
        return len(queries)

    def make(n):
        for i in range(n):
            client.post(
                "/api/v1/opportunities/",
                {"title": f"Deal {i}", "account": account.pk},
                format="json",
            )

    make(2)
    few = count()
    make(15)
    assert count() == few


@pytest.mark.django_db
def test_giving_an_opportunity_to_another_owner_moves_it_to_their_branch(sales_manager, rep1, rep2):
    deal = opportunity_create(
        actor=sales_manager,
        data={
            "title": "Branch move",
            "account": factories.AccountFactory(owner=rep1),
            "owner": rep1,
        },
    )
    deal = opportunity_update(opportunity=deal, actor=sales_manager, data={"owner": rep2})
    assert deal.branch == rep2.branch
