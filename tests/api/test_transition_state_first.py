"""A refused transition is 409 whatever its body: the API checks the record's state before it
validates the body (DESIGN §4), for every transition action, and the record, its log and the
outbox stay as they were."""

import pytest
from django.urls import reverse

from leads.models import Lead
from quotes.models import Quote
from sfa.core.fsm import state_field_name
from sfa.core.models import OutgoingEmail, TransitionLog
from tests.workflows import make_record, states_of, transition_actions, transitions_of
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

TRANSITION_ACTIONS = transition_actions()
BODIES = {
    "empty": {},
    "invalid": {
        "note": {"not": "text"},
        "name": "",
        "reason": "",
        "stage": "nowhere",
        "comment": ["x"],
        "to": "nobody",
        "into": "",
    },
}


def wrong_state(model, transitions) -> str:
    """A state that none of ``transitions`` may leave."""
    sources = {t.source for t in transitions_of(model) if t.name in transitions}
    return next(state for state in states_of(model) if not sources & {state, "*", "+"})


def snapshot(record):
    return (
        getattr(type(record).objects.get(pk=record.pk), state_field_name(record)),
        TransitionLog.objects.count(),
        OutgoingEmail.objects.count(),
    )


def test_every_workflow_api_has_transition_actions():
    assert len(TRANSITION_ACTIONS) >= 25


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
@pytest.mark.parametrize(
    ("viewset", "action", "transitions", "url_name"),
    TRANSITION_ACTIONS,
    ids=[f"{row[0].__name__}.{row[1]}" for row in TRANSITION_ACTIONS],
)
def test_a_transition_from_a_wrong_state_is_409_whatever_the_body(
    api_for, administrator, account, viewset, action, transitions, url_name, body
):
    model = viewset.serializer_class.Meta.model
    state = wrong_state(model, transitions)
    record = make_record(model, owner=administrator, account=account, state=state)
    before = snapshot(record)
    response = api_for(administrator).post(reverse(url_name, args=[record.pk]), body, format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "transition_not_allowed"
    assert snapshot(record) == before


# Transition actions written by hand ---------------------------------------------------------


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_sending_an_accepted_quote_is_409_whatever_the_body(api_for, administrator, account, body):
    quote = make_record(Quote, owner=administrator, account=account, state="accepted")
    before = snapshot(quote)
    response = api_for(administrator).post(f"/api/v1/quotes/{quote.pk}/send/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")
    assert snapshot(quote) == before


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_merging_a_closed_ticket_is_409_whatever_the_body(api_for, administrator, account, body):
    ticket = make_record(Ticket, owner=administrator, account=account, state="closed")
    before = snapshot(ticket)
    response = api_for(administrator).post(
        f"/api/v1/tickets/{ticket.pk}/merge/", body, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "source_closed")
    assert snapshot(ticket) == before


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_converting_a_new_enquiry_is_409_whatever_the_body(api_for, administrator, account, body):
    lead = make_record(Lead, owner=administrator, account=account, state="new")
    before = snapshot(lead)
    response = api_for(administrator).post(
        f"/api/v1/leads/{lead.pk}/convert/", {**body, "account": "x"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")
    assert snapshot(lead) == before


def test_accepting_a_draft_quote_without_a_name_is_409(api_for, administrator, account):
    """Was 400 ("name" missing) before the state was checked first."""
    quote = make_record(Quote, owner=administrator, account=account, state="draft")
    response = api_for(administrator).post(f"/api/v1/quotes/{quote.pk}/accept/", {}, format="json")
    assert response.status_code == 409


def test_a_sent_quote_accepted_without_a_name_is_still_400(api_for, administrator, account):
    quote = make_record(Quote, owner=administrator, account=account, state="sent")
    response = api_for(administrator).post(f"/api/v1/quotes/{quote.pk}/accept/", {}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["fields"]
