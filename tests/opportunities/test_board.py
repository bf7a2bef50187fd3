import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opportunities import board_views
from opportunities.models import LostReason, Opportunity
from opportunities.services import opportunity_create, opportunity_win
from sfa.core.models import TransitionLog


@pytest.fixture
def deal(rep1, account):
    return opportunity_create(
        actor=rep1, data={"title": "Press line", "account": account, "amount": "1000.00"}
    )


@pytest.mark.django_db
def test_board_shows_each_open_stage_with_its_cards(client_for, rep1, deal):
    page = client_for(rep1).get("/opportunities/board/").content.decode()
    for label in ("Prospecting", "Qualification", "Proposal", "Negotiation", "Won"):
        assert label in page
    assert "Press line" in page


@pytest.mark.django_db
def test_dropping_a_card_moves_the_deal_and_returns_the_board(client_for, rep1, deal):
    response = client_for(rep1).post(
        f"/opportunities/{deal.pk}/move/", {"stage": "proposal"}, HTTP_HX_REQUEST="true"
    )
    deal.refresh_from_db()
    assert response.status_code == 200
    assert (deal.state, deal.probability) == ("proposal", 50)
    assert 'class="board"' in response.content.decode()


@pytest.mark.django_db
def test_a_refused_move_is_409_with_the_reason_and_the_deal_unchanged(client_for, rep1, deal):
    opportunity_win(opportunity=deal, actor=rep1)
    response = client_for(rep1).post(
        f"/opportunities/{deal.pk}/move/", {"stage": "proposal"}, HTTP_HX_REQUEST="true"
    )
    deal.refresh_from_db()
    assert response.status_code == 409
    assert "stays where it is" in response.content.decode()
    assert deal.state == "won"
    assert TransitionLog.objects.filter(transition="move").count() == 0


@pytest.mark.django_db
def test_dropping_on_won_wins_the_deal(client_for, rep1, deal):
    client_for(rep1).post(f"/opportunities/{deal.pk}/move/", {"stage": "won"})
    assert Opportunity.objects.get(pk=deal.pk).state == "won"


@pytest.mark.django_db
def test_a_deal_idle_longer_than_its_stage_allows_is_flagged(client_for, rep1, deal):
    Opportunity.objects.filter(pk=deal.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=45)
    )
    page = client_for(rep1).get("/opportunities/board/").content.decode()
    assert "idle-badge" in page


@pytest.mark.django_db
def test_another_reps_deals_are_not_on_the_board_and_their_pages_are_404(client_for, rep2, deal):
    client = client_for(rep2)
    assert "Press line" not in client.get("/opportunities/board/").content.decode()
    assert client.get(f"/opportunities/{deal.pk}/").status_code == 404
    assert client.post(f"/opportunities/{deal.pk}/move/", {"stage": "proposal"}).status_code == 404


@pytest.mark.django_db
def test_detail_page_marks_a_deal_lost_with_a_reason_and_reopens_it(client_for, rep1, deal):
    client = client_for(rep1)
    reason = LostReason.objects.first()
    client.post(f"/opportunities/{deal.pk}/", {"transition": "lose"})
    assert Opportunity.objects.get(pk=deal.pk).state == "prospecting"
    client.post(f"/opportunities/{deal.pk}/", {"transition": "lose", "reason": reason.pk})
    assert Opportunity.objects.get(pk=deal.pk).state == "lost"
    client.post(f"/opportunities/{deal.pk}/", {"transition": "reopen"})
    assert Opportunity.objects.get(pk=deal.pk).state == "prospecting"


@pytest.mark.django_db
def test_list_filters_by_several_stages(client_for, rep1, deal, account):
    other = opportunity_create(actor=rep1, data={"title": "Won deal", "account": account})
    opportunity_win(opportunity=other, actor=rep1)
    page = client_for(rep1).get("/opportunities/?state=won").content.decode()
    assert "Won deal" in page
    assert "Press line" not in page


@pytest.mark.django_db
def test_won_column_shows_only_the_last_months_wins(client_for, rep1, account):
    old = opportunity_create(actor=rep1, data={"title": "Old win", "account": account})
    opportunity_win(opportunity=old, actor=rep1)
    Opportunity.objects.filter(pk=old.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=31)
    )
    fresh = opportunity_create(actor=rep1, data={"title": "Fresh win", "account": account})
    opportunity_win(opportunity=fresh, actor=rep1)
    page = client_for(rep1).get("/opportunities/board/").content.decode()
    assert "Fresh win" in page
    assert "Old win" not in page


@pytest.mark.django_db
def test_board_runs_a_constant_number_of_queries(client_for, rep1, account):
    client = client_for(rep1)
    for index in range(3):
        opportunity_create(actor=rep1, data={"title": f"D{index}", "account": account})
    with CaptureQueriesContext(connection) as few:
        client.get("/opportunities/board/")
    for index in range(15):
        opportunity_create(actor=rep1, data={"title": f"E{index}", "account": account})
    with CaptureQueriesContext(connection) as many:
        client.get("/opportunities/board/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_a_column_shows_its_first_cards_and_counts_every_deal(
    client_for, rep1, account, monkeypatch
):
    monkeypatch.setattr(board_views, "BOARD_CARDS", 2)
    for index, day in enumerate([3, 1, 2]):
        opportunity_create(
            actor=rep1,
            data={
                "title": f"Deal {index}",
                "account": account,
                "amount": Decimal("100.00"),
                "expected_close_date": datetime.date(2027, 1, day),
            },
        )
    page = client_for(rep1).get("/opportunities/board/").content.decode()
    assert "Deal 1" in page  # the two closing soonest
    assert "Deal 2" in page
    assert "Deal 0" not in page
    assert "1 more in the list" in page
    request = RequestFactory().get("/opportunities/board/")
    request.user = rep1
    column = next(c for c in board_views.board_context(request)["columns"] if c["count"])
    assert (column["count"], column["total"], column["more"]) == (3, Decimal("300.00"), 1)


@pytest.mark.django_db
def test_a_columns_weighted_total_rounds_each_deal_before_adding(rep1, account):
    for index in range(2):
        opportunity_create(
            actor=rep1,
            data={"title": f"Small {index}", "account": account, "amount": Decimal("0.05")},
        )  # prospecting, 10 %: 0.005 each, half a cent up
    request = RequestFactory().get("/opportunities/board/")
    request.user = rep1
    column = next(c for c in board_views.board_context(request)["columns"] if c["count"])
    assert (column["total"], column["weighted"]) == (Decimal("0.10"), Decimal("0.02"))


@pytest.mark.django_db
def test_a_card_links_to_its_deal_and_is_moved_through_its_own_url(client_for, rep1, deal):
    page = client_for(rep1).get("/opportunities/board/").content.decode()
    assert f'href="/opportunities/{deal.pk}/"' in page
    assert f'data-move-url="/opportunities/{deal.pk}/move/"' in page
