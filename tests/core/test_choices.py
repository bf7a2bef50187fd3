"""Pickers of the list filter forms read their choices from the cache (``sfa.core.choices``)
and see a saved or deleted row at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sfa.core.models import Branch
from sfa.customers.filters import AccountFilter
from tests import factories

pytestmark = pytest.mark.django_db


def branch_choices() -> list[str]:
    form = AccountFilter({}).form
    return [label for value, label in form.fields["branch"].choices if value != ""]


def test_a_picker_reads_its_table_once(rep1):
    branch_choices()
    with CaptureQueriesContext(connection) as queries:
        choices = branch_choices()
    assert Branch.objects.get(pk=rep1.branch_id).name in choices
    assert not [q for q in queries.captured_queries if "core_branch" in q["sql"]]


def test_a_saved_row_shows_in_the_picker_at_once(rep1):
    branch_choices()
    factories.BranchFactory(code="HH", name="Hamburg harbour")
    assert "Hamburg harbour" in branch_choices()


def test_a_renamed_row_shows_its_new_name(rep1):
    branch_choices()
    branch = Branch.objects.get(pk=rep1.branch_id)
    branch.name = "Kiel fjord"
    branch.save()
    assert "Kiel fjord" in branch_choices()


def test_a_deleted_row_leaves_the_picker(rep1):
    gone = factories.BranchFactory(code="XX", name="Closed branch")
    branch_choices()
    gone.delete()
    assert "Closed branch" not in branch_choices()


def test_without_a_shared_cache_a_picker_reads_its_table(rep1, settings):
    settings.SFA_CACHE_SHARED = False
    branch_choices()
    with CaptureQueriesContext(connection) as queries:
        branch_choices()
    assert [q for q in queries.captured_queries if "core_branch" in q["sql"]]
