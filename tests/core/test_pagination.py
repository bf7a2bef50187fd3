import pytest
from django.core.paginator import EmptyPage

from sfa.core.models import Branch
from sfa.core.pagination import CappedPaginator
from tests import factories


class SmallCap(CappedPaginator):
    count_cap = 5


@pytest.fixture
def branches(db):
    return [factories.BranchFactory(code=f"B{n:02d}") for n in range(12)]


def rows():
    return Branch.objects.order_by("code")


def test_a_list_within_the_cap_is_counted_exactly(branches):
    paginator = CappedPaginator(rows(), 5)
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (12, False, 3)


def test_a_list_beyond_the_cap_counts_as_the_cap_plus(branches):
    paginator = SmallCap(rows(), 2)
    assert (paginator.count, paginator.is_capped, paginator.count_text) == (5, True, "5+")


def test_pages_beyond_the_cap_stay_reachable(branches):
    page = SmallCap(rows(), 2).page(5)
    assert [b.code for b in page] == ["B08", "B09"]
    assert page.has_next()


def test_the_last_page_beyond_the_cap_has_no_next(branches):
    page = SmallCap(rows(), 5).page(3)
    assert [b.code for b in page] == ["B10", "B11"]
    assert not page.has_next()


def test_a_page_past_the_end_of_a_capped_list_is_empty(branches):
    with pytest.raises(EmptyPage):
        SmallCap(rows(), 5).page(4)


def test_counting_reads_at_most_one_row_more_than_the_cap(branches, django_assert_num_queries):
    paginator = SmallCap(rows(), 2)
    with django_assert_num_queries(1) as captured:
        assert paginator.is_capped
    assert "LIMIT 6" in captured.captured_queries[0]["sql"]
