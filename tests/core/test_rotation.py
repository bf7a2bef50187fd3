import pytest

from sfa.core.models import Branch
from sfa.core.rotation import next_in_turn
from tests import factories


@pytest.fixture
def three(db):
    return [factories.BranchFactory(code=code) for code in ("A", "B", "C")]


def test_the_first_turn_goes_to_the_lowest_id(three):
    assert next_in_turn(Branch.objects.all(), last_id=None) == three[0]


def test_the_next_turn_goes_to_the_one_after_the_last(three):
    assert next_in_turn(Branch.objects.all(), last_id=three[0].pk) == three[1]


def test_after_the_last_candidate_the_turn_wraps_round(three):
    assert next_in_turn(Branch.objects.all(), last_id=three[2].pk) == three[0]


def test_a_last_one_who_left_is_skipped(three):
    others = Branch.objects.exclude(pk=three[1].pk)
    assert next_in_turn(others, last_id=three[1].pk) == three[2]


def test_nobody_to_take_a_turn_is_none(db):
    assert next_in_turn(Branch.objects.none(), last_id=7) is None
