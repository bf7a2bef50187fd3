"""Administrator-defined customer fields: checking values and filtering by them."""

import pytest

from sfa.core.exceptions import InvalidInput
from sfa.customers.custom_fields import MAX_TEXT, clean_custom_fields, filter_by_custom_fields
from sfa.customers.models import Account, CustomFieldDefinition
from tests import factories

FieldType = CustomFieldDefinition.FieldType

pytestmark = pytest.mark.django_db


def field(key: str, field_type=FieldType.TEXT, **options) -> CustomFieldDefinition:
    return factories.CustomFieldFactory(key=key, field_type=field_type, **options)


def errors_of(values, industry_id=None) -> dict:
    with pytest.raises(InvalidInput) as raised:
        clean_custom_fields(values, industry_id=industry_id)
    return raised.value.fields["custom_fields"]


# Values by type --------------------------------------------------------------------------------


def test_text_is_trimmed():
    field("motto")
    assert clean_custom_fields({"motto": "  Carpe diem "}, industry_id=None) == {
        "motto": "Carpe diem"
    }


def test_text_at_the_length_limit_is_accepted():
    field("motto")
    assert clean_custom_fields({"motto": "x" * MAX_TEXT}, industry_id=None)["motto"]


def test_text_over_the_length_limit_is_refused():
    field("motto")
    assert list(errors_of({"motto": "x" * (MAX_TEXT + 1)})) == ["motto"]


@pytest.mark.parametrize(
    ("raw", "stored"), [("12", 12), (" 7.5 ", 7.5), (3, 3), ("1e2", 100), ("-4", -4)]
)
def test_number_is_stored_as_a_json_number(raw, stored):
    field("staff", FieldType.NUMBER)
    assert clean_custom_fields({"staff": raw}, industry_id=None) == {"staff": stored}


@pytest.mark.parametrize("raw", ["many", "NaN", "Infinity", True])
def test_number_refuses_what_is_not_a_finite_number(raw):
    field("staff", FieldType.NUMBER)
    assert errors_of({"staff": raw}) == {"staff": ["Enter a number."]}


def test_date_is_stored_in_iso_format():
    field("founded", FieldType.DATE)
    assert clean_custom_fields({"founded": "2001-02-03"}, industry_id=None) == {
        "founded": "2001-02-03"
    }


@pytest.mark.parametrize("raw", ["03.02.2001", "2001-02-30", "yesterday"])
def test_date_refuses_anything_but_a_valid_iso_date(raw):
    field("founded", FieldType.DATE)
    assert errors_of({"founded": raw}) == {"founded": ["Enter a valid date (YYYY-MM-DD)."]}


def test_choice_accepts_a_listed_value():
    field("tier", FieldType.CHOICE, choices=["gold", "silver"])
    assert clean_custom_fields({"tier": "gold"}, industry_id=None) == {"tier": "gold"}


def test_choice_refuses_an_unlisted_value():
    field("tier", FieldType.CHOICE, choices=["gold", "silver"])
    assert errors_of({"tier": "bronze"}) == {"tier": ["Select one of: gold, silver."]}


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("yes", True), ("Y", True), ("on", True), ("1", True), (True, True)]
    + [("no", False), ("OFF", False), ("0", False), ("false", False), (False, False)],
)
def test_boolean_understands_yes_and_no_words(raw, stored):
    field("vip", FieldType.BOOLEAN)
    assert clean_custom_fields({"vip": raw}, industry_id=None) == {"vip": stored}


def test_boolean_refuses_other_words():
    field("vip", FieldType.BOOLEAN)
    assert errors_of({"vip": "maybe"}) == {"vip": ["Enter yes or no."]}


def test_blank_value_is_dropped():
    field("motto")
    assert clean_custom_fields({"motto": "  "}, industry_id=None) == {}


# Required, unknown, applicability --------------------------------------------------------------


def test_required_field_must_be_given():
    field("tier", FieldType.CHOICE, choices=["gold"], is_required=True)
    assert errors_of({}) == {"tier": ["This field is required."]}


def test_required_field_given_blank_is_missing():
    field("motto", is_required=True)
    assert errors_of({"motto": ""}) == {"motto": ["This field is required."]}


def test_unknown_key_is_refused():
    assert errors_of({"shoe_size": "44"}) == {"shoe_size": ["Unknown field for this customer."]}


def test_inactive_definition_counts_as_unknown():
    field("motto", is_active=False)
    assert list(errors_of({"motto": "hi"})) == ["motto"]


def test_every_bad_field_is_named_at_once():
    field("staff", FieldType.NUMBER)
    field("vip", FieldType.BOOLEAN)
    assert sorted(errors_of({"staff": "x", "vip": "x", "nope": 1})) == ["nope", "staff", "vip"]


def test_non_mapping_is_refused():
    with pytest.raises(InvalidInput) as raised:
        clean_custom_fields(["motto"], industry_id=None)
    assert raised.value.fields == {"custom_fields": ["Expected an object of field keys to values."]}


def test_field_of_an_industry_applies_to_customers_of_that_industry():
    mining = factories.IndustryFactory(name="Mining")
    field("mine_count", FieldType.NUMBER).industries.add(mining)
    assert clean_custom_fields({"mine_count": "3"}, industry_id=mining.pk) == {"mine_count": 3}


def test_field_of_an_industry_is_unknown_for_other_industries():
    mining = factories.IndustryFactory(name="Mining")
    retail = factories.IndustryFactory(name="Retail")
    field("mine_count", FieldType.NUMBER).industries.add(mining)
    assert list(errors_of({"mine_count": "3"}, industry_id=retail.pk)) == ["mine_count"]


def test_field_of_an_industry_is_unknown_without_an_industry():
    mining = factories.IndustryFactory(name="Mining")
    field("mine_count", FieldType.NUMBER).industries.add(mining)
    assert list(errors_of({"mine_count": "3"})) == ["mine_count"]


def test_required_field_of_an_industry_is_not_required_elsewhere():
    mining = factories.IndustryFactory(name="Mining")
    retail = factories.IndustryFactory(name="Retail")
    field("mine_count", FieldType.NUMBER, is_required=True).industries.add(mining)
    assert clean_custom_fields({}, industry_id=retail.pk) == {}
    assert list(errors_of({}, industry_id=mining.pk)) == ["mine_count"]


def test_field_for_several_industries_is_offered_once():
    mining = factories.IndustryFactory(name="Mining")
    retail = factories.IndustryFactory(name="Retail")
    field("motto", is_required=True).industries.add(mining, retail)
    assert clean_custom_fields({"motto": "x"}, industry_id=mining.pk) == {"motto": "x"}


# Filtering -------------------------------------------------------------------------------------


@pytest.fixture
def customers():
    field("tier", FieldType.CHOICE, choices=["gold", "silver"])
    field("staff", FieldType.NUMBER)
    field("founded", FieldType.DATE)
    field("vip", FieldType.BOOLEAN)
    return {
        "small": factories.AccountFactory(
            custom_fields={"tier": "silver", "staff": 5, "founded": "1999-05-01", "vip": False}
        ),
        "medium": factories.AccountFactory(
            custom_fields={"tier": "gold", "staff": 50, "founded": "2010-01-01", "vip": True}
        ),
        "large": factories.AccountFactory(
            custom_fields={"tier": "gold", "staff": 500.5, "founded": "2020-12-31"}
        ),
        "bare": factories.AccountFactory(custom_fields={}),
    }


def names(customers, params) -> set[str]:
    found = set(filter_by_custom_fields(Account.objects.all(), params))
    return {name for name, account in customers.items() if account in found}


def test_filter_by_choice_is_exact(customers):
    assert names(customers, {"cf_tier": "gold"}) == {"medium", "large"}


def test_filter_by_number_is_exact(customers):
    assert names(customers, {"cf_staff": "50"}) == {"medium"}


def test_filter_by_boolean_word(customers):
    assert names(customers, {"cf_vip": "yes"}) == {"medium"}


def test_filter_by_number_minimum(customers):
    assert names(customers, {"cf_staff_min": "50"}) == {"medium", "large"}


def test_filter_by_number_maximum(customers):
    assert names(customers, {"cf_staff_max": "50"}) == {"small", "medium"}


def test_filter_by_number_range_with_a_fraction(customers):
    assert names(customers, {"cf_staff_min": "6", "cf_staff_max": "500.5"}) == {
        "medium",
        "large",
    }


def test_filter_by_date_range(customers):
    params = {"cf_founded_min": "2000-01-01", "cf_founded_max": "2015-06-30"}
    assert names(customers, params) == {"medium"}


def test_filters_combine(customers):
    assert names(customers, {"cf_tier": "gold", "cf_staff_max": "100"}) == {"medium"}


def test_min_max_on_a_choice_field_is_ignored(customers):
    assert names(customers, {"cf_tier_min": "gold"}) == set(customers)


def test_unknown_filter_key_is_ignored(customers):
    assert names(customers, {"cf_shoe_size": "44"}) == set(customers)


def test_empty_filter_value_is_ignored(customers):
    assert names(customers, {"cf_tier": ""}) == set(customers)


def test_filter_value_that_does_not_fit_finds_nothing(customers):
    assert names(customers, {"cf_staff_min": "many"}) == set()
