"""The staff UI of quotes: the builder (lines of three kinds, reorder, live totals), the list
with search as you type, the detail page's decisions, and the hooks into the base."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opportunities.services import opportunity_create, opportunity_win
from quotes import services
from quotes.models import ApprovalRule, Quote, TermsTemplate
from sfa.core.models import TransitionLog
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def make_quote(owner, account, lines=None, **data):
    lines = lines if lines is not None else [{"description": "Service", "unit_price": "100"}]
    return services.quote_create(
        actor=owner, data={"account": account, "issue_date": TODAY, **data}, lines=lines
    )


def form_data(account=None, lines=(), **fields):
    data = {
        "account": str(account.pk) if account else "",
        "contact": "",
        "opportunity": "",
        "title": "New hall",
        "issue_date": TODAY.isoformat(),
        "valid_until": "",
        "payment_terms": "",
        "delivery_period": "",
        "delivery_point": "",
        "bill_to": "",
        "ship_to": "",
        "introduction": "",
        "terms": "",
        "internal_notes": "",
        "document_discount_percent": "0",
        "shipping": "0",
        "shipping_tax_rate": "0",
        "adjustment": "0",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, line in enumerate(lines):
        data[f"lines-{index}-ORDER"] = str(index + 1)
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value
    return data


def three_kinds(products):
    """A heading, 2 lathes at 1000.00 less 10 % (19 %), a text line, 4 oils at 12.50 (7 %)."""
    return [
        {"kind": "section", "description": "Machines"},
        {"kind": "item", "product": products[0].pk, "quantity": "2", "discount_percent": "10"},
        {"kind": "text", "description": "Delivered in two parts."},
        {"kind": "item", "product": products[1].pk, "quantity": "4", "tax_rate": "7"},
    ]


def row_html(html: str, index: int) -> str:
    start = html.index(f'id="lines-{index}-row"')
    return html[start : html.index("</tr>", start)]


def totals(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)">(?:<strong>)?(-?[\d.]+)', html))


# The builder ------------------------------------------------------------------------------------


def test_builder_creates_a_quote_with_item_heading_and_text_lines(
    client_for, rep1, account, products
):
    data = form_data(account, three_kinds(products), shipping="20.00", shipping_tax_rate="19")
    response = client_for(rep1).post("/quotes/new/", data)
    assert response.status_code == 302, response.content.decode()
    quote = Quote.objects.get()
    assert response["Location"] == f"/quotes/{quote.pk}/"
    assert (quote.owner, quote.state, quote.title) == (rep1, "draft", "New hall")
    lines = list(quote.lines.order_by("position").values_list("kind", "description", "line_total"))
    assert lines == [
        ("section", "Machines", Decimal("0.00")),
        ("item", "Lathe", Decimal("1800.00")),
        ("text", "Delivered in two parts.", Decimal("0.00")),
        ("item", "Oil", Decimal("50.00")),
    ]
    # 1800.00 × 19 % = 342.00; 50.00 × 7 % = 3.50; shipping 20.00 × 19 % = 3.80
    assert (quote.subtotal, quote.discount_total, quote.tax_total, quote.total) == (
        Decimal("2050.00"),
        Decimal("200.00"),
        Decimal("349.30"),
        Decimal("2219.30"),
    )
    assert quote.tax_summary == [
        {"rate": "7.00", "base": "50.00", "tax": "3.50"},
        {"rate": "19.00", "base": "1820.00", "tax": "345.80"},
    ]
    assert account.name in quote.bill_to  # left blank: filled in by the service


def test_the_detail_page_shows_headings_totals_and_the_tax_summary(
    client_for, rep1, account, products
):
    response = client_for(rep1).post("/quotes/new/", form_data(account, three_kinds(products)))
    html = client_for(rep1).get(response["Location"]).content.decode()
    assert '<tr class="line-section"><th colspan="7" scope="rowgroup">Machines</th></tr>' in html
    assert "Delivered in two parts." in html
    assert totals(html) == {
        "subtotal": "2050.00",
        "discount_total": "200.00",
        "tax_total": "345.50",
        "total": "2195.50",
    }
    assert "Tax summary" in html
    assert "State history" in html


def test_a_line_error_shows_in_its_row(client_for, rep1, account, products):
    lines = [
        {"kind": "item", "product": products[0].pk, "quantity": "1"},
        {"kind": "item", "description": "Special tooling", "quantity": "1"},  # no price
    ]
    response = client_for(rep1).post("/quotes/new/", form_data(account, lines))
    html = response.content.decode()
    assert response.status_code == 400
    assert not Quote.objects.exists()
    assert "Give a unit price for a free-text line." in row_html(html, 1)
    assert "Give a unit price" not in row_html(html, 0)
    assert 'value="Special tooling"' in row_html(html, 1)


def test_reordered_lines_are_saved_in_their_new_order(client_for, rep1, account, products):
    lines = three_kinds(products)
    data = form_data(account, lines)
    data.update({"lines-0-ORDER": "2", "lines-1-ORDER": "1"})  # the lathe above its heading
    response = client_for(rep1).post("/quotes/new/", data)
    assert response.status_code == 302, response.content.decode()
    stored = Quote.objects.get().lines.order_by("position")
    assert list(stored.values_list("position", "kind", "description")) == [
        (0, "item", "Lathe"),
        (1, "section", "Machines"),
        (2, "text", "Delivered in two parts."),
        (3, "item", "Oil"),
    ]


def test_the_builder_offers_move_buttons_and_the_three_kinds_of_line(client_for, rep1, account):
    html = client_for(rep1).get(f"/quotes/new/?account={account.pk}").content.decode()
    assert f'name="account" value="{account.pk}"' in html
    assert 'data-move="up" aria-label="Move line up"' in html
    assert 'name="lines-0-ORDER"' in html
    for kind in ("item", "section", "text"):
        assert f"/quotes/line/?kind={kind}" in html


def test_a_new_heading_row_comes_with_the_next_index(client_for, rep1):
    params = {"kind": "section", "lines-TOTAL_FORMS": "3"}
    html = client_for(rep1).get("/quotes/line/", params, **HTMX).content.decode()
    assert 'id="lines-3-row"' in html
    assert 'name="lines-3-kind" value="section"' in html
    assert 'name="lines-3-ORDER" value="4"' in html
    assert 'name="lines-TOTAL_FORMS" value="4"' in html
    assert "autofocus" in html
    bad = client_for(rep1).get("/quotes/line/", {"kind": "evil", "lines-TOTAL_FORMS": "1"})
    assert bad.status_code == 404


def test_preview_totals_the_unsaved_quote_on_the_server(client_for, rep1, account, products):
    data = form_data(
        account,
        three_kinds(products),
        document_discount_percent="10",
        adjustment="-0.50",
        total="1.00",  # ignored: the server computes
    )
    response = client_for(rep1).post("/quotes/preview/", data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    # 1800.00 − 180.00 = 1620.00 × 19 % = 307.80; 50.00 − 5.00 = 45.00 × 7 % = 3.15
    assert totals(html) == {
        "subtotal": "2050.00",
        "discount_total": "385.00",
        "tax_total": "310.95",
        "adjustment": "-0.50",
        "total": "1975.45",
    }
    assert 'id="lines-1-amount" hx-swap-oob="true"><strong>1800.00</strong>' in html
    assert '<td class="num">7.00 %</td><td class="num">45.00</td>' in html
    assert not Quote.objects.exists()


def test_preview_warns_when_an_approval_rule_fires(client_for, rep1, account, products):
    ApprovalRule.objects.create(name="Discounts", max_line_discount_percent=Decimal("20"))
    lines = [{"kind": "item", "product": products[1].pk, "quantity": "1", "discount_percent": "30"}]
    html = client_for(rep1).post("/quotes/preview/", form_data(account, lines), **HTMX)
    assert "Discounts: discount 30.00 % is above 20.00 %" in html.content.decode()


def test_a_terms_template_fills_the_terms_field(client_for, rep1):
    template = TermsTemplate.objects.create(name="Export", body="Ex works Hamburg.")
    client = client_for(rep1)
    html = client.get("/quotes/text/", {"field": "terms", "template": template.pk}).content
    assert b'name="terms"' in html
    assert b"Ex works Hamburg." in html
    assert client.get("/quotes/text/", {"field": "terms", "template": ""}).status_code == 204
    assert client.get("/quotes/text/", {"field": "title", "template": "1"}).status_code == 404


def test_the_opportunity_select_offers_the_customers_open_deals(client_for, rep1, rep2, account):
    deal = opportunity_create(actor=rep1, data={"title": "Lathes", "account": account})
    other = factories.AccountFactory(owner=rep1, branch=rep1.branch)
    opportunity_create(actor=rep1, data={"title": "Elsewhere", "account": other})
    html = client_for(rep1).get("/quotes/pick/opportunity/", {"account": account.pk}).content
    assert f'<option value="{deal.pk}">Lathes'.encode() in html
    assert b"Elsewhere" not in html
    foreign = client_for(rep2).get("/quotes/pick/opportunity/", {"account": account.pk})
    assert b"Lathes" not in foreign.content


def test_edit_replaces_the_lines_and_keeps_the_number(client_for, rep1, account, products):
    quote = make_quote(rep1, account)
    client = client_for(rep1)
    html = client.get(f"/quotes/{quote.pk}/edit/").content.decode()
    assert 'value="Service"' in html
    assert f'name="account" value="{account.pk}"' in html
    data = form_data(account, [{"kind": "item", "product": products[1].pk, "quantity": "2"}])
    data.update(bill_to="Somewhere else 1", valid_until=quote.valid_until.isoformat())
    response = client.post(f"/quotes/{quote.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    quote.refresh_from_db()
    assert (quote.bill_to, quote.subtotal, quote.number) == (
        "Somewhere else 1",
        Decimal("25.00"),
        f"Q-{TODAY.year}-00001",
    )


def test_edit_of_a_sent_quote_is_refused_with_a_message(client_for, rep1, account, products):
    quote = services.quote_mark_sent(quote=make_quote(rep1, account), actor=rep1)
    client = client_for(rep1)
    assert f"/quotes/{quote.pk}/edit/" not in client.get(f"/quotes/{quote.pk}/").content.decode()
    data = form_data(account, [{"kind": "item", "product": products[0].pk}], title="Changed")
    response = client.post(f"/quotes/{quote.pk}/edit/", data, follow=True)
    assert "only a draft can be changed; revise it" in response.content.decode()
    quote.refresh_from_db()
    assert (quote.title, quote.total, quote.lines.count()) == ("", Decimal("100.00"), 1)


def test_a_quote_from_an_opportunity_copies_its_lines_and_opens_the_builder(
    client_for, rep1, account, products
):
    deal = opportunity_create(
        actor=rep1,
        data={"title": "Lathes", "account": account},
        lines=[{"product": products[0], "quantity": Decimal(2)}],
    )
    client = client_for(rep1)
    confirm = client.get(f"/quotes/new/?opportunity={deal.pk}")
    assert confirm.status_code == 200
    assert not Quote.objects.exists()  # a GET changes nothing
    response = client.post(f"/quotes/new/?opportunity={deal.pk}")
    quote = Quote.objects.get()
    assert response["Location"] == f"/quotes/{quote.pk}/edit/"
    assert (quote.opportunity, quote.lines.get().product) == (deal, products[0])
    page = client.get(f"/opportunities/{deal.pk}/").content.decode()
    assert f'action="/quotes/new/?opportunity={deal.pk}"' in page
    assert f'href="/quotes/{quote.pk}/"' in page


def test_a_won_opportunity_lists_its_quotes_but_offers_no_new_one(client_for, rep1, account):
    deal = opportunity_create(actor=rep1, data={"title": "Lathes", "account": account}, lines=[])
    quote = services.quote_from_opportunity(opportunity=deal, actor=rep1)
    deal = opportunity_win(opportunity=deal, actor=rep1)
    page = client_for(rep1).get(f"/opportunities/{deal.pk}/").content.decode()
    assert f'href="/quotes/{quote.pk}/"' in page
    assert "/quotes/new/?opportunity=" not in page


# Detail and decisions ---------------------------------------------------------------------------


def test_another_reps_quote_is_404(client_for, rep1, rep2, account):
    quote = make_quote(rep1, account)
    client = client_for(rep2)
    assert client.get(f"/quotes/{quote.pk}/").status_code == 404
    assert client.get(f"/quotes/{quote.pk}/edit/").status_code == 404
    assert client.post(f"/quotes/{quote.pk}/send/").status_code == 404
    assert client.post(f"/quotes/{quote.pk}/duplicate/").status_code == 404
    assert quote.number not in client.get("/quotes/").content.decode()


def test_detail_offers_send_and_says_a_risky_quote_needs_approval(client_for, rep1, account):
    ApprovalRule.objects.create(name="Discounts", max_line_discount_percent=Decimal("20"))
    lines = [{"description": "x", "unit_price": "100", "discount_percent": "30"}]
    quote = make_quote(rep1, account, lines)
    page = client_for(rep1).get(f"/quotes/{quote.pk}/").content.decode()
    assert f'<form method="post" action="/quotes/{quote.pk}/send/"' in page
    assert 'id="send-button"' in page
    assert "Sending holds this quote for a sales manager" in page
    assert "Discounts: discount 30.00 % is above 20.00 %" in page
    assert f'href="/quotes/{quote.pk}/pdf/"' in page


def test_approve_needs_the_permission(client_for, rep1, sales_manager, account):
    ApprovalRule.objects.create(name="Big", max_total=Decimal("50"))
    quote = services.quote_submit(quote=make_quote(rep1, account), actor=rep1)
    rep_page = client_for(rep1).get(f"/quotes/{quote.pk}/").content.decode()
    assert f"/quotes/{quote.pk}/approve/" not in rep_page
    response = client_for(rep1).post(f"/quotes/{quote.pk}/approve/", {"note": "me"})
    assert response.status_code == 403
    quote.refresh_from_db()
    assert quote.state == "pending_approval"
    manager = client_for(sales_manager)
    assert f"/quotes/{quote.pk}/approve/" in manager.get(f"/quotes/{quote.pk}/").content.decode()
    assert manager.post(f"/quotes/{quote.pk}/approve/", {"note": "fine"}).status_code == 302
    quote.refresh_from_db()
    assert (quote.state, quote.approved_by) == ("approved", sales_manager)
    assert TransitionLog.objects.filter(transition="approve", note="fine").exists()


def test_send_back_needs_a_reason(client_for, rep1, sales_manager, account):
    ApprovalRule.objects.create(name="Big", max_total=Decimal("50"))
    quote = services.quote_submit(quote=make_quote(rep1, account), actor=rep1)
    client = client_for(sales_manager)
    response = client.post(f"/quotes/{quote.pk}/send_back/", {"reason": " "})
    assert response.status_code == 400
    assert "Say what has to change." in response.content.decode()
    quote.refresh_from_db()
    assert quote.state == "pending_approval"
    client.post(f"/quotes/{quote.pk}/send_back/", {"reason": "Discount too high"})
    quote.refresh_from_db()
    assert quote.state == "draft"
    assert "Discount too high" in client.get(f"/quotes/{quote.pk}/").content.decode()


def test_acceptance_by_phone_is_recorded(client_for, rep1, account):
    quote = services.quote_mark_sent(quote=make_quote(rep1, account), actor=rep1)
    response = client_for(rep1).post(
        f"/quotes/{quote.pk}/accept/", {"name": "Ann Buyer", "comment": "Called at 10"}
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.state, quote.answered_by_name, quote.answer_channel) == (
        "accepted",
        "Ann Buyer",
        "phone",
    )


def test_a_refused_decision_is_a_409_message_and_changes_nothing(client_for, rep1, account):
    quote = services.quote_mark_sent(quote=make_quote(rep1, account), actor=rep1)
    services.quote_accept(quote=quote, name="Ann")
    logged = TransitionLog.objects.count()
    response = client_for(rep1).post(
        f"/quotes/{quote.pk}/reject/", {"name": "Bob", "reason": "Too late"}
    )
    assert response.status_code == 409
    assert "not allowed from the current state" in response.content.decode()
    quote.refresh_from_db()
    assert (quote.state, quote.answered_by_name) == ("accepted", "Ann")
    assert TransitionLog.objects.count() == logged


def test_revise_opens_the_new_version_and_lists_both(
    client_for, rep1, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the PDF is stored after the commit
        v1 = services.quote_mark_sent(quote=make_quote(rep1, account), actor=rep1)
    client = client_for(rep1)
    response = client.post(f"/quotes/{v1.pk}/revise/")
    v2 = Quote.objects.get(version=2)
    assert response["Location"] == f"/quotes/{v2.pk}/edit/"
    v1.refresh_from_db()
    assert v1.state == "superseded"
    html = client.get(f"/quotes/{v2.pk}/").content.decode()
    assert f'href="/quotes/{v1.pk}/"' in html
    assert f'href="/quotes/{v1.pk}/pdf/">as sent' in html


def test_duplicate_opens_the_copy_in_the_builder(client_for, rep1, account):
    quote = make_quote(rep1, account)
    response = client_for(rep1).post(f"/quotes/{quote.pk}/duplicate/")
    copy = Quote.objects.exclude(pk=quote.pk).get()
    assert response["Location"] == f"/quotes/{copy.pk}/edit/"
    assert copy.total == quote.total


def test_unknown_decision_is_404(client_for, rep1, account):
    quote = make_quote(rep1, account)
    assert client_for(rep1).post(f"/quotes/{quote.pk}/expire/").status_code == 404


# List -----------------------------------------------------------------------------------------


def test_list_searches_by_product_code_and_by_customer_code(client_for, rep1, account, products):
    lathe = make_quote(rep1, account, [{"product": products[0]}])
    other = factories.AccountFactory(owner=rep1, branch=rep1.branch, code="ZX-9")
    oil = make_quote(rep1, other, [{"product": products[1]}])
    client = client_for(rep1)

    def numbers(text):
        response = client.get("/quotes/", {"search": text}, HTTP_HX_TARGET="quote-results", **HTMX)
        assert "<html" not in response.content.decode()
        return set(re.findall(r"Q-\d{4}-\d{5}", response.content.decode()))

    assert numbers("LAT-1") == {lathe.number}
    assert numbers("zx-9") == {oil.number}
    assert numbers(oil.number) == {oil.number}


def test_list_filters_by_states_owner_and_dates(client_for, rep1, colleague, sales_manager):
    mine = make_quote(rep1, factories.AccountFactory(owner=rep1, branch=rep1.branch))
    sent = services.quote_mark_sent(
        quote=make_quote(rep1, factories.AccountFactory(owner=rep1, branch=rep1.branch)),
        actor=rep1,
    )
    earlier = make_quote(
        colleague,
        factories.AccountFactory(owner=colleague, branch=colleague.branch),
        issue_date=TODAY - datetime.timedelta(days=40),
    )
    client = client_for(sales_manager)

    def numbers(**params):
        html = client.get("/quotes/", params).content.decode()
        return set(re.findall(r"Q-\d{4}-\d{5}", html))

    assert numbers(state=["draft", "sent"]) == {mine.number, sent.number, earlier.number}
    assert numbers(state="sent") == {sent.number}
    assert numbers(owner=colleague.pk) == {earlier.number}
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert numbers(issue_date_to=yesterday) == {earlier.number}
    assert numbers(issue_date_from=TODAY.isoformat()) == {mine.number, sent.number}


def test_the_staff_list_and_the_api_take_the_same_parameters(
    client_for, api_for, rep1, colleague, sales_manager, products
):
    make_quote(rep1, factories.AccountFactory(owner=rep1), [{"product": products[0]}])
    make_quote(colleague, factories.AccountFactory(owner=colleague, name="Zeta Works"))
    services.quote_mark_sent(quote=make_quote(rep1, factories.AccountFactory()), actor=rep1)
    staff, api = client_for(sales_manager), api_for(sales_manager)
    for params in (
        {"search": "zeta"},
        {"state": ["draft"]},
        {"owner": colleague.pk},
        {"product": products[0].pk, "issue_date_from": TODAY.isoformat()},
        {"ordering": "number"},
    ):
        html = staff.get("/quotes/", params).content.decode()
        rows = api.get("/api/v1/quotes/", params).json()["results"]
        assert re.findall(r"Q-\d{4}-\d{5}", html) == [row["number"] for row in rows], params
        assert rows


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_quotes(client_for, rep1, account):
    client = client_for(rep1)
    for _ in range(2):
        make_quote(rep1, account)
    _count_queries(client, "/quotes/")  # the session and the pickers are cached from then on
    few = _count_queries(client, "/quotes/")
    for _ in range(8):
        make_quote(rep1, factories.AccountFactory(owner=rep1, branch=rep1.branch))
    _count_queries(client, "/quotes/")  # new staff users: the pickers are read again
    assert _count_queries(client, "/quotes/") == few


def test_detail_queries_do_not_grow_with_the_lines(client_for, rep1, account, products):
    client = client_for(rep1)
    few = make_quote(
        rep1, account, [{"product": products[0]}, {"kind": "section", "description": "A"}]
    )
    many = make_quote(
        rep1,
        account,
        [{"product": products[i % 2]} for i in range(8)]
        + [{"kind": "text", "description": "B"}] * 2,
    )
    _count_queries(client, f"/quotes/{few.pk}/")  # the session is cached from then on
    assert _count_queries(client, f"/quotes/{few.pk}/") == _count_queries(
        client, f"/quotes/{many.pk}/"
    )


# Hooks into the base ----------------------------------------------------------------------------


def test_customer_360_tab_lists_the_customers_quotes(client_for, rep1, account):
    quote = make_quote(rep1, account)
    services.quote_mark_sent(quote=make_quote(rep1, account), actor=rep1)
    services.quote_accept(quote=Quote.objects.get(state="sent"), name="Ann")
    elsewhere = make_quote(rep1, factories.AccountFactory(owner=rep1, branch=rep1.branch))
    client = client_for(rep1)
    page = client.get(f"/customers/{account.pk}/").content.decode()
    assert re.search(r'\?tab=quotes"[^>]*>Quotes <span class="count">1</span>', page)
    tab = client.get(f"/customers/{account.pk}/?tab=quotes", HTTP_HX_TARGET="tab-panel", **HTMX)
    html = tab.content.decode()
    assert quote.number in html
    assert f"Q-{TODAY.year}-00002" in html  # accepted: listed, not counted as open
    assert elsewhere.number not in html
    assert f"/quotes/new/?account={account.pk}" in html


def test_menu_and_global_search_find_quotes(client_for, rep1, rep2, account):
    quote = make_quote(rep1, account, title="Zebra crossing")
    html = client_for(rep1).get("/search/", {"q": "zebra"}, **HTMX).content.decode()
    assert quote.number in html
    assert f"/quotes/{quote.pk}/" in html
    assert quote.number not in client_for(rep2).get("/search/", {"q": "zebra"}).content.decode()
    assert 'href="/quotes/"' in client_for(rep1).get("/").content.decode()


def test_support_agent_has_no_quotes(client_for, support_agent):
    assert client_for(support_agent).get("/quotes/").status_code == 403
