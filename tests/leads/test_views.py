"""The staff UI of enquiries: list, one-form logging with lines, detail, states, 360 tab."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.models import Lead
from leads.services import lead_create, lead_disqualify, lead_mark_contacted
from tests import factories

TODAY = datetime.date(2026, 11, 23)
HTMX = {"HTTP_HX_REQUEST": "true"}
# The lines editor's live totals, priced for the enquiry date, as the enquiry form calls them.
PREVIEW = "/products/lines/preview/?date_field=enquiry_date"
pytestmark = pytest.mark.django_db


def make_lead(owner, products=(), **data):
    data = {"channel": "telephone", "enquiry_date": TODAY, "company": "Prospect Works", **data}
    lines = [{"product": p, "quantity": Decimal("1")} for p in products]
    return lead_create(actor=owner, data=data, lines=lines)


def form_data(owner, lines=(), **fields):
    data = {
        "enquiry_date": "2026-11-23",
        "channel": "telephone",
        "owner": str(owner.pk),
        "source": "other",
        "account": "",
        "contact": "",
        "company": "Prospect Works",
        "first_name": "Pia",
        "last_name": "Prospect",
        "email": "pia@prospect.example",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value
    return data


def two_lines(products):
    return [
        {"product": products[0].pk, "quantity": "2", "discount_percent": "10"},
        {"product": products[1].pk, "quantity": "4"},
    ]


def row_html(html: str, index: int) -> str:
    start = html.index(f'id="lines-{index}-row"')
    return html[start : html.index("</tr>", start)]


def field_html(html: str, name: str) -> str:
    """The ``<div class="field">`` around the input called ``name``."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="field', 0, at)
    return html[start : html.index("</div>", at)]


# List -----------------------------------------------------------------------------------------


def test_list_shows_own_enquiries_with_state_and_total(client_for, rep1, rep2, products):
    mine = make_lead(rep1, products, company="Mine GmbH")
    theirs = make_lead(rep2, products, company="Theirs AG")
    response = client_for(rep1).get("/enquiries/")
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.number in html
    assert "Mine GmbH" in html
    assert str(mine.total) in html
    assert theirs.number not in html
    assert 'class="badge badge-new"' in html
    assert "New enquiry" in html
    assert 'href="/enquiries/"' in html


def test_search_as_you_type_returns_the_results_partial(client_for, rep1, products):
    lathe = make_lead(rep1, products[:1], company="Alpha")
    oil = make_lead(rep1, products[1:], company="Beta")
    response = client_for(rep1).get(
        "/enquiries/", {"search": "LAT"}, HTTP_HX_TARGET="lead-results", **HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert lathe.number in html
    assert oil.number not in html
    by_number = client_for(rep1).get("/enquiries/", {"search": oil.number}).content.decode()
    assert oil.number in by_number
    assert lathe.number not in by_number


def test_filters_by_several_states_channel_source_owner_and_dates(
    client_for, rep1, rep2, sales_manager
):
    new = make_lead(rep1, company="New one")
    contacted = lead_mark_contacted(lead=make_lead(rep1, company="Called"), actor=rep1)
    gone = make_lead(rep1, company="Gone")
    lead_disqualify(lead=gone, actor=rep1, reason="No budget")
    by_mail = make_lead(
        rep2, channel="email", source="referral", enquiry_date=datetime.date(2026, 10, 1)
    )
    client = client_for(sales_manager)

    def numbers(**params):
        html = client.get("/enquiries/", params).content.decode()
        return set(re.findall(r"ENQ-\d{4}-\d{5}", html))

    assert numbers(state=["new", "contacted"]) == {new.number, contacted.number, by_mail.number}
    assert numbers(state="disqualified") == {gone.number}
    assert numbers(channel="email") == {by_mail.number}
    assert numbers(source="referral") == {by_mail.number}
    assert numbers(owner=rep2.pk) == {by_mail.number}
    assert numbers(enquiry_date_from="2026-11-01") == {new.number, contacted.number, gone.number}
    assert numbers(enquiry_date_to="2026-10-31") == {by_mail.number}


def test_the_staff_list_and_the_api_take_the_same_parameters(
    client_for, api_for, rep1, rep2, sales_manager, products
):
    make_lead(rep1, products[:1], company="Alpha Works")
    make_lead(rep2, channel="email", source="referral", enquiry_date=datetime.date(2026, 10, 1))
    make_lead(rep1, channel="fax", company="Gamma Works")
    staff, api = client_for(sales_manager), api_for(sales_manager)
    for params in (
        {"search": "works"},
        {"channel": ["email", "fax"]},
        {"owner": rep2.pk},
        {"enquiry_date_from": "2026-11-01", "product": products[0].pk},
        {"ordering": "number"},
    ):
        html = staff.get("/enquiries/", params).content.decode()
        rows = api.get("/api/v1/leads/", params).json()["results"]
        assert re.findall(r"ENQ-\d{4}-\d{5}", html) == [row["number"] for row in rows], params
        assert rows


def test_an_invalid_filter_shows_on_the_list_and_lists_nothing(client_for, rep1):
    make_lead(rep1)
    response = client_for(rep1).get("/enquiries/", {"enquiry_date_from": "someday"})
    html = response.content.decode()
    assert "From: Enter a valid date." in html
    assert "No enquiries match." in html


def test_the_list_queries_do_not_grow_with_the_rows(client_for, rep1, products):
    client = client_for(rep1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/enquiries/").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            account = factories.AccountFactory(owner=rep1, branch=rep1.branch)
            make_lead(rep1, products, account=account, company="")

    add(5)
    count()  # the session and the pickers are cached from the first request on
    few = count()
    add(20)
    count()  # new staff users: the pickers read the table again, then cache it
    assert count() == few


def test_support_agent_has_no_enquiries(client_for, support_agent):
    assert client_for(support_agent).get("/enquiries/").status_code == 403


# Logging an enquiry ----------------------------------------------------------------------------


def test_new_enquiry_form_shows_the_lines_editor(client_for, rep1):
    html = client_for(rep1).get("/enquiries/new/").content.decode()
    assert 'id="lines-0-row"' in html
    assert 'name="lines-TOTAL_FORMS"' in html
    assert "given when saved" in html
    assert f'<option value="{rep1.pk}" selected>' in html  # owner defaults to me


def test_prospect_enquiry_with_two_product_lines_through_the_form(client_for, rep1, products):
    client = client_for(rep1)
    response = client.post("/enquiries/new/", form_data(rep1, two_lines(products)))
    assert response.status_code == 302, response.content.decode()
    lead = Lead.objects.get()
    assert response["Location"] == f"/enquiries/{lead.pk}/"
    assert lead.number == "ENQ-2026-00001"
    assert (lead.company, lead.owner, lead.channel) == ("Prospect Works", rep1, "telephone")
    lines = list(lead.lines.order_by("position"))
    assert [line.unit_price for line in lines] == [Decimal("1000.00"), Decimal("12.50")]
    assert [line.line_total for line in lines] == [Decimal("1800.00"), Decimal("50.00")]
    assert (lead.subtotal, lead.discount_total, lead.tax_total, lead.total) == (
        Decimal("2050.00"),
        Decimal("200.00"),
        Decimal("351.50"),
        Decimal("2201.50"),
    )
    html = client.get(response["Location"]).content.decode()
    assert "Enquiry ENQ-2026-00001 saved." in html
    assert "2201.50" in html
    assert "Lathe" in html


def test_removed_and_empty_lines_are_left_out(client_for, rep1, products):
    lines = [*two_lines(products), {"description": "", "quantity": "1"}]
    lines[1]["DELETE"] = "on"
    response = client_for(rep1).post("/enquiries/new/", form_data(rep1, lines))
    assert response.status_code == 302
    assert Lead.objects.get().lines.count() == 1


def test_enquiry_for_a_customer_takes_the_price_list(client_for, rep1, products):
    group = factories.CustomerGroupFactory()
    account = factories.AccountFactory(owner=rep1, group=group)
    contact = factories.ContactFactory(account=account)
    factories.PriceListItemFactory(
        price_list=factories.PriceListFactory(customer_group=group),
        product=products[0],
        price=Decimal("900.00"),
    )
    data = form_data(
        rep1,
        [{"product": products[0].pk, "quantity": "1"}],
        account=str(account.pk),
        contact=str(contact.pk),
        company="",
    )
    response = client_for(rep1).post("/enquiries/new/", data)
    assert response.status_code == 302, response.content.decode()
    lead = Lead.objects.get()
    assert (lead.account, lead.contact) == (account, contact)
    assert lead.lines.get().unit_price == Decimal("900.00")


def test_line_error_from_the_service_shows_in_its_row(client_for, rep1, products):
    lines = [
        {"product": products[0].pk, "quantity": "1"},
        {"description": "Special tooling", "quantity": "1"},  # free text without a price
    ]
    response = client_for(rep1).post("/enquiries/new/", form_data(rep1, lines))
    html = response.content.decode()
    assert response.status_code == 400
    assert not Lead.objects.exists()
    assert "Give a unit price for a free-text line." in row_html(html, 1)
    assert "Give a unit price" not in row_html(html, 0)
    assert 'value="Special tooling"' in row_html(html, 1)  # what was typed stays


def test_party_error_shows_next_to_the_company_field(client_for, rep1, products):
    data = form_data(rep1, two_lines(products), company="", first_name="", last_name="", email="")
    response = client_for(rep1).post("/enquiries/new/", data)
    assert response.status_code == 400
    assert "give the prospect" in field_html(response.content.decode(), "company")


def test_form_field_error_shows_in_place(client_for, rep1, products):
    data = form_data(rep1, two_lines(products), channel="pigeon")
    response = client_for(rep1).post("/enquiries/new/", data)
    assert response.status_code == 400
    assert "Select a valid choice" in field_html(response.content.decode(), "channel")


def test_another_reps_customer_cannot_be_chosen(client_for, rep1, rep2, products):
    foreign = factories.AccountFactory(owner=rep2, branch=rep2.branch)
    data = form_data(rep1, two_lines(products), account=str(foreign.pk))
    response = client_for(rep1).post("/enquiries/new/", data)
    assert response.status_code == 400
    assert not Lead.objects.exists()


def test_edit_an_open_enquiry_replaces_its_lines(client_for, rep1, products):
    lead = make_lead(rep1, products)
    client = client_for(rep1)
    html = client.get(f"/enquiries/{lead.pk}/edit/").content.decode()
    assert lead.number in html
    assert "LAT-1 · Lathe" in html
    assert 'id="lines-1-row"' in html
    data = form_data(
        rep1, [{"product": products[1].pk, "quantity": "10"}], remarks="Call back Monday"
    )
    response = client.post(f"/enquiries/{lead.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    lead.refresh_from_db()
    assert lead.remarks == "Call back Monday"
    assert lead.total == Decimal("148.75")  # 10 × 12.50 + 19 % tax
    assert lead.number == "ENQ-2026-00001"


def test_edit_is_refused_once_disqualified(client_for, rep1, products):
    lead = lead_disqualify(lead=make_lead(rep1, products), actor=rep1, reason="Duplicate")
    client = client_for(rep1)
    detail = client.get(f"/enquiries/{lead.pk}/").content.decode()
    assert f"/enquiries/{lead.pk}/edit/" not in detail
    response = client.post(f"/enquiries/{lead.pk}/edit/", form_data(rep1, remarks="x"), follow=True)
    assert "cannot be changed" in response.content.decode()
    lead.refresh_from_db()
    assert lead.remarks == ""


# Pieces fetched with htmx (the lines editor's, tests/catalog/test_lines_editor.py) -----------


def test_the_enquiry_form_prices_its_lines_for_the_enquiry_date(client_for, rep1):
    html = client_for(rep1).get("/enquiries/new/").content.decode()
    assert f'hx-post="{PREVIEW}"' in html
    assert 'hx-get="/products/lines/row/"' in html


def test_recalculate_prices_and_totals_on_the_server(client_for, rep1, products):
    data = form_data(rep1, two_lines(products), total="1.00", subtotal="1.00")
    response = client_for(rep1).post(PREVIEW, data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    totals = dict(re.findall(r'data-total="(\w+)">(?:<strong>)?([\d.]+)', html))
    assert totals == {
        "subtotal": "2050.00",
        "discount_total": "200.00",
        "tax_total": "351.50",
        "total": "2201.50",
    }
    assert 'id="lines-0-amount" hx-swap-oob="true"><strong>1800.00</strong>' in html
    assert "4 × 12.50" in html


def test_recalculate_uses_the_chosen_customers_prices(client_for, rep1, products):
    group = factories.CustomerGroupFactory()
    account = factories.AccountFactory(owner=rep1, group=group)
    factories.PriceListItemFactory(
        price_list=factories.PriceListFactory(customer_group=group),
        product=products[0],
        discount_percent=Decimal("5"),
    )
    data = form_data(rep1, [{"product": products[0].pk, "quantity": "1"}], account=account.pk)
    html = client_for(rep1).post(PREVIEW, data, **HTMX).content.decode()
    assert 'data-total="discount_total">50.00' in html


def test_recalculate_shows_line_problems(client_for, rep1):
    data = form_data(rep1, [{"description": "Free text", "quantity": "1"}])
    html = client_for(rep1).post(PREVIEW, data, **HTMX).content.decode()
    assert "Give a unit price for a free-text line." in html
    assert 'data-total="total"><strong>0.00' in html


def test_customer_picker_finds_visible_customers_and_offers_contacts(client_for, rep1, rep2):
    mine = factories.AccountFactory(owner=rep1, name="Nordic Tools")
    factories.ContactFactory(account=mine, first_name="Anna", last_name="Lind")
    factories.AccountFactory(owner=rep2, branch=rep2.branch, name="Nordic Foods")
    client = client_for(rep1)
    html = client.get("/customers/pick/", {"customer_q": "nordic"}, **HTMX)
    assert "Nordic Tools" in html.content.decode()
    assert "Nordic Foods" not in html.content.decode()
    chosen = client.get("/customers/pick/", {"account": mine.pk}, **HTMX)
    assert f'name="account" value="{mine.pk}"' in chosen.content.decode()
    assert "Anna Lind" in chosen.content.decode()
    assert chosen["HX-Trigger-After-Swap"] == "lines-changed"


# Detail and states ------------------------------------------------------------------------------


def test_detail_shows_everything_and_the_available_buttons(client_for, rep1, products):
    lead = make_lead(rep1, products, remarks="Needs delivery by March", delivery_point="Dock 4")
    html = client_for(rep1).get(f"/enquiries/{lead.pk}/").content.decode()
    for text in [lead.number, "Prospect Works", "Needs delivery by March", "Dock 4", "LAT-1"]:
        assert text in html
    assert str(lead.total) in html
    assert f"/enquiries/{lead.pk}/edit/" in html
    for name in ["mark_contacted", "qualify", "disqualify"]:
        assert f"/enquiries/{lead.pk}/{name}/" in html
    assert f"/enquiries/{lead.pk}/recycle/" not in html
    assert "State history" in html
    assert "Reassign" in html


def test_each_transition_button_moves_the_enquiry(client_for, rep1):
    lead = make_lead(rep1)
    client = client_for(rep1)
    for name, state in [
        ("mark_contacted", "contacted"),
        ("qualify", "qualified"),
        ("disqualify", "disqualified"),
        ("recycle", "new"),
    ]:
        response = client.post(f"/enquiries/{lead.pk}/{name}/", {"reason": "No budget"})
        assert response.status_code == 302, (name, response.content.decode())
        lead.refresh_from_db()
        assert lead.state == state
    html = client.get(f"/enquiries/{lead.pk}/").content.decode()
    assert "mark_contacted" in html
    assert "recycle" in html


def test_a_refused_transition_shows_a_message_with_409(client_for, rep1):
    lead = lead_mark_contacted(lead=make_lead(rep1), actor=rep1)
    response = client_for(rep1).post(f"/enquiries/{lead.pk}/mark_contacted/")
    assert response.status_code == 409
    assert "not allowed from the current state" in response.content.decode()
    lead.refresh_from_db()
    assert lead.state == "contacted"


def test_disqualify_needs_a_reason(client_for, rep1):
    lead = make_lead(rep1)
    client = client_for(rep1)
    response = client.post(f"/enquiries/{lead.pk}/disqualify/", {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the enquiry is disqualified." in field_html(response.content.decode(), "reason")
    lead.refresh_from_db()
    assert lead.state == "new"
    client.post(f"/enquiries/{lead.pk}/disqualify/", {"reason": "Went to a competitor"})
    lead.refresh_from_db()
    assert (lead.state, lead.disqualify_reason) == ("disqualified", "Went to a competitor")
    assert "Went to a competitor" in client.get(f"/enquiries/{lead.pk}/").content.decode()


def test_unknown_transition_is_404(client_for, rep1):
    lead = make_lead(rep1)
    assert client_for(rep1).post(f"/enquiries/{lead.pk}/convert/").status_code == 404


def test_another_reps_enquiry_is_404(client_for, rep1, rep2):
    lead = make_lead(rep1)
    client = client_for(rep2)
    assert client.get(f"/enquiries/{lead.pk}/").status_code == 404
    assert client.get(f"/enquiries/{lead.pk}/edit/").status_code == 404
    assert client.post(f"/enquiries/{lead.pk}/qualify/").status_code == 404
    assert client.post(f"/enquiries/{lead.pk}/reassign/", {"owner": rep2.pk}).status_code == 404


def test_owner_reassigns_and_the_history_shows_it(client_for, rep1, colleague, sales_manager):
    lead = make_lead(rep1)
    response = client_for(rep1).post(f"/enquiries/{lead.pk}/reassign/", {"owner": colleague.pk})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.owner == colleague
    html = client_for(sales_manager).get(f"/enquiries/{lead.pk}/").content.decode()
    assert str(colleague) in html
    assert "changed" in html


def test_a_rep_who_is_not_the_owner_cannot_reassign(client_for, rep1, branch_manager):
    lead = make_lead(rep1)  # the branch manager sees it (same branch) but does not own it
    client = client_for(branch_manager)
    assert "Reassign" not in client.get(f"/enquiries/{lead.pk}/").content.decode()
    response = client.post(f"/enquiries/{lead.pk}/reassign/", {"owner": branch_manager.pk})
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.owner == rep1


# Hooks into the base ----------------------------------------------------------------------------


def test_customer_360_tab_lists_the_customers_enquiries(client_for, rep1, account, products):
    lead = make_lead(rep1, products, account=account, company="")
    other = make_lead(rep1, products)
    client = client_for(rep1)
    page = client.get(f"/customers/{account.pk}/").content.decode()
    assert re.search(r'\?tab=enquiries"[^>]*>Enquiries <span class="count">1</span>', page)
    tab = client.get(f"/customers/{account.pk}/?tab=enquiries", HTTP_HX_TARGET="tab-panel", **HTMX)
    html = tab.content.decode()
    assert lead.number in html
    assert other.number not in html
    assert f"/enquiries/new/?account={account.pk}" in html


def test_new_enquiry_from_the_360_tab_starts_with_the_customer(client_for, rep1, account):
    html = client_for(rep1).get(f"/enquiries/new/?account={account.pk}").content.decode()
    assert f'name="account" value="{account.pk}"' in html
    assert account.name in html


def test_global_search_finds_enquiries(client_for, rep1, rep2):
    lead = make_lead(rep1, company="Zebra Works")
    html = client_for(rep1).get("/search/", {"q": "zebra"}, **HTMX).content.decode()
    assert lead.number in html
    assert f"/enquiries/{lead.pk}/" in html
    assert lead.number not in client_for(rep2).get("/search/", {"q": "zebra"}).content.decode()
