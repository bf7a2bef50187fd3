"""Writes behind the customer list's saved filters and the reminders API, in the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sfa.core.exceptions import ActionForbidden, InvalidInput
from sfa.customers import services
from sfa.customers.models import SavedFilter
from tests import factories

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def test_saving_a_filter_under_a_taken_name_replaces_its_query(rep1):
    first = services.saved_filter_save(actor=rep1, name="Hamburg", query="q=Hamburg")
    again = services.saved_filter_save(actor=rep1, name="Hamburg", query="q=Hamburg&status=all")
    assert again.pk == first.pk
    assert SavedFilter.objects.get().query == "q=Hamburg&status=all"


def test_a_filter_needs_a_name(rep1):
    with pytest.raises(InvalidInput) as error:
        services.saved_filter_save(actor=rep1, name="  ", query="q=x")
    assert "name" in error.value.fields
    assert not SavedFilter.objects.exists()


def test_only_its_user_deletes_a_saved_filter(rep1, rep2):
    saved = services.saved_filter_save(actor=rep1, name="Mine", query="q=x")
    with pytest.raises(ActionForbidden):
        services.saved_filter_delete(actor=rep2, saved_filter=saved)
    services.saved_filter_delete(actor=rep1, saved_filter=saved)
    assert not SavedFilter.objects.exists()


def test_a_reminder_update_changes_its_fields_and_ticks_it_off(rep1, account):
    reminder = factories.ReminderFactory(account=account, assignee=rep1)
    updated = services.reminder_update(
        actor=rep1, reminder=reminder, data={"subject": "Call back", "is_done": True}
    )
    reminder.refresh_from_db()
    assert (reminder.subject, reminder.is_done) == ("Call back", True)
    assert reminder.done_at is not None
    assert updated.pk == reminder.pk


def test_a_reminder_update_refuses_unknown_fields(rep1, account):
    reminder = factories.ReminderFactory(account=account, assignee=rep1)
    with pytest.raises(InvalidInput) as error:
        services.reminder_update(actor=rep1, reminder=reminder, data={"created_by": rep1})
    assert "created_by" in error.value.fields


def test_a_reminder_update_is_validated_and_changes_nothing_when_invalid(rep1, account):
    reminder = factories.ReminderFactory(account=account, assignee=rep1, subject="Call")
    with pytest.raises(ValidationError):
        services.reminder_update(actor=rep1, reminder=reminder, data={"subject": ""})
    reminder.refresh_from_db()
    assert reminder.subject == "Call"


def test_the_api_updates_a_reminder_and_ticks_it_off(api_for, rep1, account):
    reminder = factories.ReminderFactory(account=account, assignee=rep1)
    response = api_for(rep1).patch(
        f"/api/v1/reminders/{reminder.pk}/",
        {"due_date": TOMORROW.isoformat(), "is_done": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    reminder.refresh_from_db()
    assert (reminder.due_date, reminder.is_done) == (TOMORROW, True)
    assert response.json()["done_at"] is not None
