"""``sfa.core.search.word_search``: every word in one of the fields."""

import pytest
from django.db.models import Q

from sfa.core.models import User
from sfa.core.search import word_search
from tests.factories import BranchFactory, UserFactory

FIELDS = ("first_name", "last_name", "branch__name")

pytestmark = pytest.mark.django_db


def names(text: str, fields=FIELDS, **kwargs) -> set[str]:
    found = word_search(User.objects.all(), text, fields, **kwargs)
    return set(found.values_list("username", flat=True))


@pytest.fixture
def people():
    berlin, hamburg = BranchFactory(name="Berlin"), BranchFactory(name="Hamburg")
    UserFactory(username="anna", first_name="Anna", last_name="Berg", branch=berlin)
    UserFactory(username="bert", first_name="Bert", last_name="Berg", branch=hamburg)
    UserFactory(username="carl", first_name="Carl", last_name="Lund", branch=berlin)


def test_every_word_must_match_one_of_the_fields(people):
    assert names("berg berlin") == {"anna"}


def test_a_word_matches_part_of_a_field_whatever_the_case(people):
    assert names("ERG") == {"anna", "bert"}


def test_no_text_keeps_every_row(people):
    assert names("   ") == {"anna", "bert", "carl"}


def test_words_beyond_the_limit_are_ignored(people):
    assert names("berg zebra", max_words=1) == {"anna", "bert"}
    assert names("berg zebra") == set()


def test_a_field_may_be_a_function_of_the_word(people):
    def username_starts(word: str) -> Q:
        return Q(username__startswith=word.lower())

    assert names("C", fields=(username_starts,)) == {"carl"}
