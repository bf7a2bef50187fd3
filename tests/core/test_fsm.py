"""``sfa.core.fsm.transition_record``: dated moves, checks before the move, customers' moves."""

import datetime

import pytest
from django.utils import timezone
from django_fsm import ConcurrentTransition

from sfa.core.exceptions import ActionForbidden, Conflict
from sfa.core.fsm import transition_history, transition_record
from sfa.core.models import TransitionLog
from sfa.customers.models import Account
from tests.workflows import make_record
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
EARLIER = timezone.now() - datetime.timedelta(days=3)


def test_a_move_at_an_earlier_moment_dates_the_record_and_its_log(support_agent, account):
    ticket = make_record(Ticket, owner=support_agent, account=account, state="open")
    moved = transition_record(ticket, "resolve", actor=support_agent, at=EARLIER)
    assert (moved.resolved_at, moved.state_changed_at) == (EARLIER, EARLIER)
    assert transition_history(moved).get().created_at == EARLIER


def test_a_move_without_a_moment_is_dated_now(support_agent, account):
    ticket = make_record(Ticket, owner=support_agent, account=account, state="open")
    before = timezone.now()
    moved = transition_record(ticket, "resolve", actor=support_agent)
    assert moved.resolved_at >= before
    assert transition_history(moved).get().created_at >= before


def test_a_refusal_in_prepare_leaves_the_record_and_the_log_unchanged(rep1, account):
    def refuse(locked):
        raise Conflict("Not today.")

    with pytest.raises(Conflict):
        transition_record(account, "archive", actor=rep1, prepare=refuse)
    account.refresh_from_db()
    assert account.status == "active"
    assert not TransitionLog.objects.exists()


def test_prepare_sees_the_locked_record_before_the_move(rep1, account):
    seen = []
    transition_record(account, "archive", actor=rep1, prepare=lambda r: seen.append(r.status))
    assert seen == ["active"]


def test_a_move_without_permission_is_forbidden_unless_it_is_the_customers_own(
    portal_customer, support_agent, account
):
    ticket = make_record(Ticket, owner=support_agent, account=account, state="resolved")
    with pytest.raises(ActionForbidden):
        transition_record(ticket, "close", actor=portal_customer)
    closed = transition_record(ticket, "close", actor=portal_customer, check_permission=False)
    assert closed.state == "closed"
    assert transition_history(closed).get().actor == portal_customer


def test_the_history_names_the_actor_of_the_move(rep1, account):
    transition_record(account, "archive", actor=rep1)
    assert account.history.latest("history_date").history_user == rep1


def test_a_model_names_its_state_fields_once():
    assert [f.name for f in Account().state_fields] == ["status"]
    assert Account().state_fields is Account().state_fields


def test_saving_a_state_another_save_changed_since_the_row_was_read_is_refused(account):
    first, second = Account.objects.get(pk=account.pk), Account.objects.get(pk=account.pk)
    first.archive()
    first.save()
    second.archive()
    with pytest.raises(ConcurrentTransition):
        second.save()
