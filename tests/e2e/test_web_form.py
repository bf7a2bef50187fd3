"""A visitor fills a web lead form embedded in another site; the lead reaches its owner."""

import pytest
from playwright.sync_api import expect

from leads.models import AssignmentRule, Lead, WebForm, WebFormField
from leads.webforms import embed_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# The dealer's website: another origin, answered by Playwright (nothing listens there).
DEALER_SITE = "http://dealer.example/"


@pytest.fixture
def web_form(rep1):
    form = WebForm.objects.create(
        name="Website contact",
        slug="contact",
        title="Ask for an offer",
        owner=rep1,
        min_fill_seconds=1,
        thank_you_text="Thanks, we will call you.",
    )
    for position, (target, label, required) in enumerate(
        [
            ("company", "Company", True),
            ("last_name", "Last name", True),
            ("email", "E-mail", True),
            ("region", "Region", False),
        ]
    ):
        WebFormField.objects.create(
            form=form, position=position, target=target, label=label, is_required=required
        )
    return form


def test_a_visitor_sends_the_embedded_form_and_the_rule_picks_the_owner(
    new_page, live_server, settings, web_form, rep2
):
    settings.SFA_BASE_URL = live_server.url
    AssignmentRule.objects.create(name="Bavaria", regions="Bavaria", user=rep2)
    page = new_page()
    dealer_site = f"<!doctype html><h1>Dealer site</h1>{embed_code(web_form)}"
    page.route(
        DEALER_SITE,
        lambda route: route.fulfill(body=dealer_site, content_type="text/html"),
    )
    page.goto(DEALER_SITE)
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("button", name="Send")).to_be_visible()
    frame.get_by_label("Company").fill("Holm Maschinenbau")
    frame.get_by_label("Last name").fill("Holm")
    frame.get_by_label("E-mail").fill("greta@holm.example")
    frame.get_by_label("Region").fill("Bavaria")
    page.wait_for_timeout(1100)  # a person takes longer than the form's minimum fill time
    frame.get_by_role("button", name="Send").click()
    expect(frame.get_by_text("Thanks, we will call you.")).to_be_visible()
    lead = Lead.objects.get()
    assert (lead.company, lead.owner, lead.channel) == ("Holm Maschinenbau", rep2, "web_form")


def test_a_visitor_who_forgets_a_required_answer_keeps_the_others(new_page, live_server, web_form):
    page = new_page()
    page.goto(f"{live_server.url}/forms/contact/")
    page.get_by_label("Company").fill("Holm Maschinenbau")
    page.get_by_label("E-mail").fill("greta@holm.example")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    expect(page.get_by_label("Company")).to_have_value("Holm Maschinenbau")
    assert Lead.objects.count() == 0
