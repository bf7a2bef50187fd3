"""Quotes: totals, approval, sending, the customer's answer, versions."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from opportunities.services import opportunity_create
from quotes import services
from quotes.models import ApprovalRule, Quote
from sfa.core.exceptions import Conflict, InvalidInput, TransitionRefused
from sfa.core.models import TransitionLog
from tests import factories

TODAY = timezone.localdate()


@pytest.fixture
def rates(db):
    return factories.TaxRateFactory(rate=Decimal("19.00")), factories.TaxRateFactory(
        name="reduced", rate=Decimal("7.00")
    )


def draft(owner, account, lines=None, **data):
    return services.quote_create(
        actor=owner,
        data={"account": account, "issue_date": TODAY, **data},
        lines=lines
        or [{"description": "Service", "quantity": Decimal(1), "unit_price": Decimal("100")}],
    )


@pytest.mark.django_db
def test_a_quote_gets_a_number_version_one_and_defaults(rep1, account):
    quote = draft(rep1, account)
    assert (quote.number, quote.version, quote.state) == (f"Q-{TODAY.year}-00001", 1, "draft")
    assert quote.valid_until == TODAY + datetime.timedelta(days=30)
    assert account.name in quote.bill_to


@pytest.mark.django_db
def test_totals_match_a_hand_computation_with_mixed_rates_and_discounts(rep1, account):
    lines = [
        # 3 × 99.99 = 299.97; −10 % = 29.997 → 30.00; net 269.97
        {"description": "Pump", "quantity": "3", "unit_price": "99.99",
         "discount_percent": "10", "tax_rate": "19"},
        {"kind": "section", "description": "Consumables"},
        # 7 × 12.35 = 86.45; net 86.45
        {"description": "Filter", "quantity": "7", "unit_price": "12.35", "tax_rate": "7"},
        {"kind": "text", "description": "Delivered in two parts."},
    ]  # fmt: skip
    quote = draft(
        rep1,
        account,
        lines,
        document_discount_percent=Decimal("5"),
        shipping=Decimal("25.00"),
        shipping_tax_rate=Decimal("19"),
        adjustment=Decimal("-0.50"),
    )
    # document discount 5 %: 269.97 → 13.4985 → 13.50 (base 256.47); 86.45 → 4.3225 → 4.32
    # (base 82.13). Tax: 256.47 × 19 % = 48.7293 → 48.73; 82.13 × 7 % = 5.7491 → 5.75;
    # shipping 25.00 × 19 % = 4.75.
    assert quote.subtotal == Decimal("386.42")  # 299.97 + 86.45
    assert quote.discount_total == Decimal("47.82")  # 30.00 + 13.50 + 4.32
    assert quote.tax_total == Decimal("59.23")  # 48.73 + 5.75 + 4.75
    # 386.42 − 47.82 + 25.00 + 59.23 − 0.50
    assert quote.total == Decimal("422.33")
    assert quote.tax_summary == [
        {"rate": "7.00", "base": "82.13", "tax": "5.75"},
        {"rate": "19.00", "base": "281.47", "tax": "53.48"},
    ]
    kinds = list(quote.lines.values_list("kind", "line_total"))
    assert kinds == [
        ("item", Decimal("269.97")),
        ("section", Decimal("0.00")),
        ("item", Decimal("86.45")),
        ("text", Decimal("0.00")),
    ]


@pytest.mark.django_db
def test_a_line_error_names_the_line_and_the_field(rep1, account):
    with pytest.raises(InvalidInput) as error:
        draft(rep1, account, [{"description": "ok", "unit_price": "1"}, {"kind": "section"}])
    assert error.value.fields == {
        "lines": {"1": {"description": ["Give the heading or the text."]}}
    }


@pytest.mark.django_db
def test_a_draft_without_risk_is_sent_directly(rep1, account):
    quote = services.quote_mark_sent(quote=draft(rep1, account), actor=rep1)
    assert quote.state == "sent"
    assert quote.sent_at is not None


@pytest.mark.django_db
def test_a_discount_above_the_rule_holds_the_quote_for_approval(rep1, account):
    ApprovalRule.objects.create(name="Discount", max_line_discount_percent=Decimal("20"))
    quote = draft(
        rep1,
        account,
        [{"description": "x", "unit_price": "100", "discount_percent": "30"}],
    )
    assert quote.approval_reasons == ["Discount: discount 30.00 % is above 20.00 %"]
    held = services.quote_mark_sent(quote=quote, actor=rep1)
    assert held.state == "pending_approval"
    assert held.sent_at is None


@pytest.mark.django_db
def test_a_sales_manager_approves_and_the_rep_sends(rep1, sales_manager, account):
    ApprovalRule.objects.create(name="Big", max_total=Decimal("50"))
    quote = services.quote_submit(quote=draft(rep1, account), actor=rep1)
    quote = services.quote_approve(quote=quote, actor=sales_manager, note="fine")
    assert (quote.state, quote.approved_by) == ("approved", sales_manager)
    assert services.quote_mark_sent(quote=quote, actor=rep1).state == "sent"
    notes = list(TransitionLog.objects.order_by("pk").values_list("transition", "note"))
    assert notes[0] == ("submit", "Big: total 100.00 is above 50.00")
    assert notes[1] == ("approve", "fine")


@pytest.mark.django_db
def test_a_rep_cannot_approve(rep1, account):
    from sfa.core.exceptions import ActionForbidden

    ApprovalRule.objects.create(name="Big", max_total=Decimal("50"))
    quote = services.quote_submit(quote=draft(rep1, account), actor=rep1)
    with pytest.raises(ActionForbidden):
        services.quote_approve(quote=quote, actor=rep1)


@pytest.mark.django_db
def test_a_customer_on_credit_hold_needs_approval(rep1, account):
    ApprovalRule.objects.create(name="Credit", check_credit=True)
    account.credit_hold = True
    account.save()
    assert draft(rep1, account).approval_reasons == [f"Credit: {account.name} is on credit hold"]


@pytest.mark.django_db
def test_a_sent_quote_cannot_be_edited(rep1, account):
    quote = services.quote_mark_sent(quote=draft(rep1, account), actor=rep1)
    with pytest.raises(Conflict):
        services.quote_update(quote=quote, actor=rep1, data={"title": "changed"})
    quote.refresh_from_db()
    assert quote.title == ""


@pytest.mark.django_db
def test_accepting_twice_is_refused_and_changes_nothing(rep1, account):
    quote = services.quote_mark_sent(quote=draft(rep1, account), actor=rep1)
    services.quote_accept(quote=quote, name="Ann Buyer", ip="203.0.113.5")
    with pytest.raises(TransitionRefused):
        services.quote_accept(quote=quote, name="Someone else")
    quote.refresh_from_db()
    assert (quote.state, quote.answered_by_name, quote.answer_ip) == (
        "accepted",
        "Ann Buyer",
        "203.0.113.5",
    )


@pytest.mark.django_db
def test_accepting_after_the_validity_is_refused(rep1, account):
    quote = services.quote_mark_sent(
        quote=draft(rep1, account, issue_date=TODAY - datetime.timedelta(days=40),
                    valid_until=TODAY + datetime.timedelta(days=1)),
        actor=rep1,
    )  # fmt: skip
    Quote.objects.filter(pk=quote.pk).update(valid_until=TODAY - datetime.timedelta(days=1))
    with pytest.raises(TransitionRefused) as error:
        services.quote_accept(quote=quote, name="Late Larry")
    assert error.value.code == "quote_expired"
    quote.refresh_from_db()
    assert quote.state == "sent"


@pytest.mark.django_db
def test_accepting_the_last_open_quote_wins_the_opportunity(rep1, account):
    deal = opportunity_create(actor=rep1, data={"title": "Deal", "account": account})
    quote = services.quote_from_opportunity(opportunity=deal, actor=rep1)
    services.quote_mark_sent(quote=quote, actor=rep1)
    services.quote_accept(quote=quote, name="Ann")
    deal.refresh_from_db()
    assert deal.state == "won"


@pytest.mark.django_db
def test_accepting_while_another_quote_is_open_leaves_the_opportunity_open(rep1, account):
    deal = opportunity_create(actor=rep1, data={"title": "Deal", "account": account})
    first = services.quote_from_opportunity(opportunity=deal, actor=rep1)
    services.quote_from_opportunity(opportunity=deal, actor=rep1)  # an alternative, still draft
    services.quote_mark_sent(quote=first, actor=rep1)
    services.quote_accept(quote=first, name="Ann")
    deal.refresh_from_db()
    assert deal.is_open


@pytest.mark.django_db
def test_a_quote_from_an_opportunity_copies_its_lines(rep1, account, products):
    deal = opportunity_create(
        actor=rep1,
        data={"title": "Lathes", "account": account},
        lines=[{"product": products[0], "quantity": Decimal(2)}],
    )
    quote = services.quote_from_opportunity(opportunity=deal, actor=rep1)
    line = quote.lines.get()
    assert (quote.opportunity, line.product, line.quantity) == (deal, products[0], 2)


@pytest.mark.django_db
def test_revising_a_sent_quote_makes_a_draft_v2_and_supersedes_v1(rep1, account):
    v1 = services.quote_mark_sent(quote=draft(rep1, account), actor=rep1)
    v2 = services.quote_revise(quote=v1, actor=rep1)
    v1.refresh_from_db()
    assert (v2.number, v2.version, v2.state) == (v1.number, 2, "draft")
    assert v2.previous_version == v1
    assert v1.state == "superseded"
    assert v2.lines.count() == 1
    assert str(v2) == f"{v1.number} v2"


@pytest.mark.django_db
def test_a_draft_cannot_be_revised(rep1, account):
    with pytest.raises(TransitionRefused):
        services.quote_revise(quote=draft(rep1, account), actor=rep1)


@pytest.mark.django_db
def test_the_daily_job_expires_sent_quotes_past_their_date(rep1, account):
    quote = services.quote_mark_sent(quote=draft(rep1, account), actor=rep1)
    assert services.expire_due_quotes(today=quote.valid_until) == 0
    assert services.expire_due_quotes(today=quote.valid_until + datetime.timedelta(days=1)) == 1
    quote.refresh_from_db()
    assert quote.state == "expired"


@pytest.mark.django_db
def test_a_duplicate_gets_a_new_number_and_the_same_lines(rep1, account):
    quote = draft(rep1, account)
    copy = services.quote_duplicate(quote=quote, actor=rep1)
    assert copy.number == f"Q-{TODAY.year}-00002"
    assert copy.lines.count() == 1
    assert copy.total == quote.total
