"""Public web lead forms: anonymous submissions become leads, bots and repeats do not."""

import threading
import time

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client

from leads import webforms
from leads.models import AssignmentRule, Lead, WebForm, WebFormField, WebFormSubmission
from sfa.core.access import Role
from sfa.core.models import OutgoingEmail
from tests import factories

Target = WebFormField.Target


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def web_form(rep1, products):
    form = WebForm.objects.create(
        name="Website contact",
        slug="contact",
        title="Ask for an offer",
        owner=rep1,
        source_detail="Website 2026",
        min_fill_seconds=3,
        max_per_hour_per_ip=5,
    )
    for position, (target, label, required) in enumerate(
        [
            (Target.COMPANY, "Company", False),
            (Target.FIRST_NAME, "First name", False),
            (Target.LAST_NAME, "Last name", True),
            (Target.EMAIL, "E-mail", True),
            (Target.REGION, "Region", False),
            (Target.PRODUCT, "Product", False),
            (Target.QUANTITY, "How many", False),
            (Target.REMARKS, "Message", False),
        ]
    ):
        WebFormField.objects.create(
            form=form, position=position, target=target, label=label, is_required=required
        )
    WebFormField.objects.create(
        form=form,
        position=20,
        target=Target.CUSTOM,
        key="employees",
        label="Employees",
        kind=WebFormField.Kind.CHOICE,
        choices=["1-50", "51-500", "500+"],
    )
    return form


def aged_token(form: WebForm, seconds: float = 10) -> str:
    """A token as if the form had been shown ``seconds`` ago."""
    return signing.dumps({"f": form.pk, "t": time.time() - seconds}, salt=webforms.TOKEN_SALT)


def answers(form, products=None, **extra):
    data = {
        "token": aged_token(form),
        "homepage": "",
        "company": "Visitor GmbH",
        "first_name": "Vera",
        "last_name": "Visitor",
        "email": "vera@visitor.example",
        "remarks": "Please send an offer.",
        "employees": "51-500",
    }
    if products:
        data.update(product=str(products[0].pk), quantity="3")
    data.update(extra)
    return data


def post(form, data, ip="203.0.113.7", **headers):
    return Client().post(f"/forms/{form.slug}/", data, REMOTE_ADDR=ip, **headers)


@pytest.mark.django_db
def test_the_form_page_shows_the_questions_and_a_hidden_honeypot(web_form):
    response = Client().get("/forms/contact/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ask for an offer" in html
    assert 'name="employees"' in html
    assert 'class="hp" aria-hidden="true"' in html
    assert 'name="token"' in html


@pytest.mark.django_db
def test_a_visitor_submission_creates_a_web_lead_owned_by_the_forms_owner(web_form, rep1, products):
    response = post(web_form, answers(web_form, products))
    assert response.status_code == 302
    assert response["Location"] == "/forms/contact/thanks/"
    lead = Lead.objects.get()
    assert lead.owner == rep1
    assert lead.branch == rep1.branch
    assert lead.channel == Lead.Channel.WEB_FORM
    assert (lead.source, lead.source_detail) == (Lead.Source.WEB_FORM, "Website 2026")
    assert (lead.company, lead.last_name, lead.email) == (
        "Visitor GmbH",
        "Visitor",
        "vera@visitor.example",
    )
    assert lead.custom_fields == {"employees": "51-500"}
    line = lead.lines.get()
    assert (line.product, line.quantity) == (products[0], 3)
    assert str(lead.total) != "0.00"


@pytest.mark.django_db
def test_the_submission_is_kept_with_the_visitors_address(web_form):
    post(web_form, answers(web_form), HTTP_USER_AGENT="Firefox")
    submission = WebFormSubmission.objects.get()
    assert submission.outcome == WebFormSubmission.Outcome.CREATED
    assert submission.ip_address == "203.0.113.7"
    assert submission.user_agent == "Firefox"
    assert "token" not in submission.data
    assert submission.data["email"] == "vera@visitor.example"


@pytest.mark.django_db
def test_the_same_email_again_joins_the_open_lead_instead_of_a_second_one(web_form):
    post(web_form, answers(web_form))
    again = answers(web_form, email="VERA@visitor.example", remarks="Any news?")
    response = post(web_form, again)
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert "Any news?" in lead.remarks
    assert "Please send an offer." in lead.remarks
    assert list(WebFormSubmission.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "created",
        "attached",
    ]


@pytest.mark.django_db
def test_the_same_email_after_the_lead_was_disqualified_makes_a_new_lead(web_form, rep1):
    post(web_form, answers(web_form))
    Lead.objects.update(state=Lead.State.DISQUALIFIED)
    post(web_form, answers(web_form))
    assert Lead.objects.count() == 2


@pytest.mark.django_db
def test_a_bot_that_fills_the_honeypot_gets_thanks_but_no_lead(web_form):
    response = post(web_form, answers(web_form, homepage="http://spam.example"))
    assert response.status_code == 302
    assert Lead.objects.count() == 0
    assert WebFormSubmission.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_a_submission_faster_than_the_minimum_fill_time_is_refused_with_answers_kept(web_form):
    response = post(web_form, answers(web_form, token=aged_token(web_form, seconds=1)))
    assert response.status_code == 400
    assert Lead.objects.count() == 0
    html = response.content.decode()
    assert "please check your answers" in html
    assert 'value="vera@visitor.example"' in html


@pytest.mark.django_db
def test_a_forged_token_is_refused(web_form):
    response = post(web_form, answers(web_form, token="forged"))
    assert response.status_code == 400
    assert Lead.objects.count() == 0


@pytest.mark.django_db
def test_a_token_of_another_form_is_refused(web_form, rep1):
    other = WebForm.objects.create(name="Other", slug="other", title="Other", owner=rep1)
    response = post(web_form, answers(web_form, token=aged_token(other)))
    assert response.status_code == 400
    assert Lead.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_required_answer_is_named_and_nothing_is_created(web_form):
    response = post(web_form, answers(web_form, last_name=""))
    assert response.status_code == 400
    assert response.context["visitor_form"].errors["last_name"]
    assert Lead.objects.count() == 0


@pytest.mark.django_db
def test_one_address_sending_too_often_is_refused_with_429(web_form):
    for number in range(5):
        assert post(web_form, answers(web_form, email=f"v{number}@x.example")).status_code == 302
    response = post(web_form, answers(web_form, email="v9@x.example"))
    assert response.status_code == 429
    assert Lead.objects.count() == 5
    assert post(web_form, answers(web_form), ip="198.51.100.1").status_code == 302


@pytest.mark.django_db
def test_the_limit_counts_each_form_apart(web_form, rep1):
    other = WebForm.objects.create(
        name="Other", slug="other", title="Other", owner=rep1, max_per_hour_per_ip=5
    )
    WebFormField.objects.create(form=other, target=Target.EMAIL, label="E-mail", is_required=True)
    for number in range(6):
        post(web_form, answers(web_form, email=f"v{number}@x.example"))
    assert post(web_form, answers(web_form)).status_code == 429
    assert post(other, {"email": "o@x.example", "token": aged_token(other)}).status_code == 302


@pytest.mark.django_db
def test_the_api_refuses_one_address_sending_too_often_with_429(web_form, api_for):
    web_form.max_per_hour_per_ip = 1
    web_form.save()
    codes = []
    for number in range(2):
        data = answers(web_form, email=f"v{number}@x.example")
        token = data.pop("token")
        response = api_for(None).post(
            "/api/v1/web-forms/contact/submit/",
            {"token": token, "answers": data},
            format="json",
            REMOTE_ADDR="203.0.113.9",
        )
        codes.append(response.status_code)
    assert codes == [202, 429]
    assert response.json()["code"] == "rate_limited"


@pytest.mark.django_db
def test_the_visitor_gets_an_acknowledgement_and_the_owner_a_notification(web_form, rep1):
    post(web_form, answers(web_form))
    lead = Lead.objects.get()
    ack = OutgoingEmail.objects.get(kind="web_form_acknowledgement")
    assert ack.to == ["vera@visitor.example"]
    assert lead.number in ack.subject
    assert "Vera Visitor" in ack.body_text
    note = OutgoingEmail.objects.get(kind="web_form_notification")
    assert note.to == [rep1.email]
    assert "Employees: 51-500" in note.body_text


@pytest.mark.django_db
def test_an_inactive_form_answers_404(web_form):
    web_form.is_active = False
    web_form.save()
    assert Client().get("/forms/contact/").status_code == 404
    assert post(web_form, answers(web_form)).status_code == 404


@pytest.mark.django_db
def test_the_form_can_be_embedded_only_by_the_listed_sites(web_form):
    web_form.embed_origins = "https://www.dealer.example\nhttps://shop.dealer.example/"
    web_form.save()
    response = Client().get("/forms/contact/?embed=1")
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == (
        "frame-ancestors 'self' https://www.dealer.example https://shop.dealer.example"
    )


@pytest.mark.django_db
def test_an_assignment_rule_for_the_form_round_robins_its_team(web_form, rep1, colleague):
    team = factories.TeamFactory()
    team.members.set([rep1, colleague])
    AssignmentRule.objects.create(name="Web → North team", web_form=web_form, team=team)
    for number in range(3):
        post(web_form, answers(web_form, email=f"v{number}@x.example"))
    owners = list(Lead.objects.order_by("pk").values_list("owner__username", flat=True))
    assert owners == ["rep1", "rep3", "rep1"]


@pytest.mark.django_db
def test_a_form_without_assignment_rules_ignores_them(web_form, rep1, colleague):
    AssignmentRule.objects.create(name="Everything to rep3", user=colleague)
    web_form.use_assignment_rules = False
    web_form.save()
    post(web_form, answers(web_form))
    assert Lead.objects.get().owner == rep1


# API -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_describes_a_form_with_its_questions_and_a_token(web_form, api_for, products):
    response = api_for(None).get("/api/v1/web-forms/contact/")
    body = response.json()
    assert response.status_code == 200
    names = [field["name"] for field in body["fields"]]
    assert names[:4] == ["company", "first_name", "last_name", "email"]
    email = body["fields"][3]
    assert (email["kind"], email["required"]) == ("email", True)
    employees = next(f for f in body["fields"] if f["name"] == "employees")
    assert [o["value"] for o in employees["options"]] == ["1-50", "51-500", "500+"]
    assert body["token"]


@pytest.mark.django_db
def test_the_api_takes_a_submission_without_login(web_form, api_for):
    data = answers(web_form)
    token = data.pop("token")
    data.pop("homepage")
    response = api_for(None).post(
        "/api/v1/web-forms/contact/submit/",
        {"token": token, "answers": data},
        format="json",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 202, response.json()
    assert Lead.objects.get().email == "vera@visitor.example"


@pytest.mark.django_db
def test_the_api_names_a_missing_answer(web_form, api_for):
    data = answers(web_form, email="")
    token = data.pop("token")
    response = api_for(None).post(
        "/api/v1/web-forms/contact/submit/", {"token": token, "answers": data}, format="json"
    )
    assert response.status_code == 400
    assert "email" in response.json()["fields"]


@pytest.mark.django_db
def test_the_api_of_an_unknown_form_is_404(api_for):
    assert api_for(None).get("/api/v1/web-forms/nope/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_parallel_submissions_of_one_email_make_one_lead(rep1):
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks need PostgreSQL")
    form = WebForm.objects.create(name="W", slug="w", title="W", owner=rep1, min_fill_seconds=0)
    WebFormField.objects.create(form=form, target=Target.EMAIL, label="E-mail", is_required=True)
    barrier, errors = threading.Barrier(2), []

    def send(ip):
        try:
            barrier.wait(timeout=10)
            webforms.submit(
                form,
                {"email": "twin@x.example", "token": aged_token(form)},
                webforms.Visitor(ip=ip),
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(f"192.0.2.{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Lead.objects.count() == 1
    assert WebFormSubmission.objects.count() == 2


@pytest.mark.django_db
def test_marketing_managers_may_build_web_forms(marketing):
    assert marketing.has_perm("leads.add_webform")
    assert marketing.has_perm("leads.change_webformfield")
    assert not factories.UserFactory(role=Role.SALES_REP).has_perm("leads.add_webform")


@pytest.mark.django_db
def test_the_staff_page_lists_forms_with_link_snippet_and_figures(web_form, client_for, marketing):
    post(web_form, answers(web_form))
    response = client_for(marketing).get("/enquiries/web-forms/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{settings.SFA_BASE_URL}/forms/contact/"' in html
    assert "&lt;iframe src=" in html
    form = response.context["web_forms"][0]
    assert (form.recent, form.leads_made, form.converted) == (1, 1, 0)


@pytest.mark.django_db
def test_the_staff_page_is_not_for_sales_reps(client_for, rep2):
    assert client_for(rep2).get("/enquiries/web-forms/").status_code == 403
