"""Assignment rules: which new leads go to whom, and round-robin within a team."""

import pytest
from django.core.exceptions import ValidationError

from leads.assignment import Facts, matches, owner_by_rules
from leads.models import AssignmentRule, Lead
from leads.services import lead_create
from tests import factories


@pytest.fixture
def sales_team(rep1, colleague):
    team = factories.TeamFactory(name="North sales")
    team.members.set([rep1, colleague])
    return team


def rule(**fields) -> AssignmentRule:
    fields.setdefault("name", "rule")
    return AssignmentRule.objects.create(**fields)


@pytest.mark.django_db
def test_a_region_rule_matches_the_region_or_the_country_ignoring_case(rep1):
    by_region = rule(regions="Bavaria, AT", user=rep1)
    assert matches(by_region, Facts(region="bavaria"))
    assert matches(by_region, Facts(country="at"))
    assert not matches(by_region, Facts(region="Saxony", country="DE"))
    assert not matches(by_region, Facts())


@pytest.mark.django_db
def test_a_category_rule_matches_products_of_its_subcategories(rep1):
    machines = factories.ProductCategoryFactory(name="Machines")
    lathes = factories.ProductCategoryFactory(name="Lathes", parent=machines)
    lathe = factories.ProductFactory(category=lathes)
    oil = factories.ProductFactory(category=factories.ProductCategoryFactory(name="Oils"))
    machine_rule = rule(product_category=machines, user=rep1)
    assert matches(machine_rule, Facts(products=[oil, lathe]))
    assert not matches(machine_rule, Facts(products=[oil]))
    assert not matches(machine_rule, Facts())


@pytest.mark.django_db
def test_a_channel_rule_matches_only_its_channel(rep1):
    tenders = rule(channel=Lead.Channel.TENDER, user=rep1)
    assert matches(tenders, Facts(channel="tender"))
    assert not matches(tenders, Facts(channel="telephone"))


@pytest.mark.django_db
def test_the_first_matching_rule_by_priority_wins(rep1, rep2):
    rule(name="late", priority=20, user=rep2)
    rule(name="early", priority=10, regions="DE", user=rep1)
    assert owner_by_rules(Facts(country="DE"))[0] == rep1
    assert owner_by_rules(Facts(country="FR"))[0] == rep2


@pytest.mark.django_db
def test_inactive_rules_are_skipped(rep1):
    rule(user=rep1, is_active=False)
    assert owner_by_rules(Facts()) is None


@pytest.mark.django_db
def test_round_robin_takes_the_team_members_in_turn_and_wraps(sales_team, rep1, colleague):
    rule(team=sales_team)
    owners = [owner_by_rules(Facts())[0] for _ in range(3)]
    assert owners == [rep1, colleague, rep1]


@pytest.mark.django_db
def test_round_robin_skips_inactive_members(sales_team, rep1, colleague):
    colleague.is_active = False
    colleague.save()
    rule(team=sales_team)
    assert [owner_by_rules(Facts())[0] for _ in range(2)] == [rep1, rep1]


@pytest.mark.django_db
def test_a_rule_with_an_empty_team_passes_to_the_next_rule(rep2):
    rule(name="empty", priority=1, team=factories.TeamFactory())
    rule(name="fallback", priority=2, user=rep2)
    assert owner_by_rules(Facts())[0] == rep2


@pytest.mark.django_db
def test_a_rule_needs_a_team_or_a_user_but_not_both(sales_team, rep1):
    with pytest.raises(ValidationError) as both:
        AssignmentRule(name="x", team=sales_team, user=rep1).full_clean()
    assert "team" in both.value.message_dict
    with pytest.raises(ValidationError):
        AssignmentRule(name="x").full_clean()


@pytest.mark.django_db
def test_an_enquiry_without_an_owner_goes_by_the_rules_and_says_so(marketing, rep2):
    rule(name="South", regions="Bavaria", user=rep2)
    lead = lead_create(
        actor=marketing,
        data={"channel": "telephone", "company": "Alpen AG", "region": "Bavaria"},
        assign_by_rules=True,
    )
    assert lead.owner == rep2
    assert lead.branch == rep2.branch
    assert lead.history.first().history_change_reason == "assigned by rule “South”"


@pytest.mark.django_db
def test_an_enquiry_no_rule_matches_stays_with_its_author(marketing, rep2):
    rule(regions="Bavaria", user=rep2)
    lead = lead_create(
        actor=marketing, data={"channel": "telephone", "company": "Nord AG"}, assign_by_rules=True
    )
    assert lead.owner == marketing


@pytest.mark.django_db
def test_a_chosen_owner_beats_the_rules(marketing, rep1, rep2):
    rule(user=rep2)
    lead = lead_create(
        actor=marketing,
        data={"channel": "telephone", "company": "Nord AG", "owner": rep1},
        assign_by_rules=True,
    )
    assert lead.owner == rep1


@pytest.mark.django_db
def test_the_api_assigns_by_rules_when_asked(api_for, marketing, rep2):
    rule(user=rep2)
    response = api_for(marketing).post(
        "/api/v1/leads/",
        {"channel": "email", "company": "Rule GmbH", "assign_by_rules": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == rep2.pk


@pytest.mark.django_db
def test_the_staff_form_with_no_owner_chosen_assigns_by_rules(client_for, marketing, rep2):
    rule(user=rep2)
    response = client_for(marketing).post(
        "/enquiries/new/",
        {
            "enquiry_date": "2026-11-23",
            "channel": "telephone",
            "owner": "",
            "source": "other",
            "company": "Form GmbH",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Lead.objects.get().owner == rep2
