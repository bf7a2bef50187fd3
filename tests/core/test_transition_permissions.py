"""``available_transitions(record, user)`` is exactly what the user may do, for every workflow
model, role and state: each transition that some role may not make carries a permission,
and the API asks the same permission for the action."""

import pytest
from django_fsm import TransitionNotAllowed

from knowledgebase.models import Article
from leads.models import Lead
from opportunities.models import Opportunity
from quotes.models import Quote
from sfa.core.access import Role
from sfa.core.exceptions import ActionForbidden, TransitionRefused
from sfa.core.fsm import available_transitions, ensure_transition
from sfa.customers.models import Account, DeletionRequest
from tests import factories
from tests.workflows import make_record, states_of, transition_actions, transitions_of
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

WORKFLOWS = [Account, DeletionRequest, Lead, Opportunity, Quote, Ticket, Article]
ROLES = [*Role]


def user_of(role: Role):
    if role == Role.CUSTOMER:
        return factories.portal_user_for(factories.ContactFactory())
    return factories.UserFactory(role=role)


def allowed_by_the_service(record, user) -> list[str]:
    """The transitions ``ensure_transition`` (what every service runs) lets ``user`` make."""
    allowed = set()
    for transition in transitions_of(type(record)):
        try:
            ensure_transition(getattr(record, transition.name), user)
        except (TransitionRefused, ActionForbidden, TransitionNotAllowed):
            continue
        allowed.add(transition.name)
    return sorted(allowed)


@pytest.mark.parametrize("model", WORKFLOWS, ids=lambda model: model._meta.label)
def test_available_transitions_are_those_the_services_allow(model, rep1, account):
    users = {role: user_of(role) for role in ROLES}
    for state in states_of(model):
        record = make_record(model, owner=rep1, account=account, state=state)
        for role, user in users.items():
            found = available_transitions(record, user)
            assert found == allowed_by_the_service(record, user), (state, role)


@pytest.mark.parametrize("model", WORKFLOWS, ids=lambda model: model._meta.label)
def test_every_transition_carries_a_permission(model):
    """No role but the staff roles that hold it may move a record (customers hold none)."""
    assert [t.name for t in transitions_of(model) if not t.permission] == []


@pytest.mark.parametrize(
    ("model", "state", "role", "expected"),
    [
        (Quote, "pending_approval", Role.SALES_REP, []),
        (Quote, "pending_approval", Role.SALES_MANAGER, ["approve", "send_back"]),
        (Quote, "draft", Role.SALES_REP, ["send", "submit"]),
        (Quote, "sent", Role.SALES_REP, ["accept", "reject", "supersede"]),
        (Quote, "sent", Role.BILLING_CLERK, []),
        (Quote, "sent", Role.CUSTOMER, []),
        (Ticket, "open", Role.SUPPORT_AGENT, ["merge", "resolve", "wait_on_customer"]),
        (Ticket, "resolved", Role.SUPPORT_AGENT, ["close", "merge", "reopen"]),
        (Ticket, "open", Role.SALES_REP, []),
        (Ticket, "resolved", Role.CUSTOMER, []),
        (Opportunity, "prospecting", Role.MARKETING_MANAGER, []),
        (Opportunity, "prospecting", Role.SALES_REP, ["lose", "move", "win"]),
        (Lead, "new", Role.BILLING_CLERK, []),
        (Lead, "new", Role.MARKETING_MANAGER, ["disqualify", "mark_contacted", "qualify"]),
        (Article, "draft", Role.SALES_REP, []),
        (Article, "draft", Role.SUPPORT_AGENT, ["submit"]),
        (Article, "in_review", Role.SUPPORT_AGENT, []),
        (Article, "in_review", Role.SUPPORT_MANAGER, ["archive", "publish"]),
    ],
)
def test_available_transitions_for_key_roles(model, state, role, expected, rep1, account):
    record = make_record(model, owner=rep1, account=account, state=state)
    assert available_transitions(record, user_of(role)) == expected


def test_a_portal_customer_gets_no_transitions_from_the_staff_api(api_for, portal_customer, rep1):
    quote = make_record(Quote, owner=rep1, account=portal_customer.contact.account, state="sent")
    client = api_for(portal_customer)
    assert client.get(f"/api/v1/quotes/{quote.pk}/").status_code == 403
    response = client.post(f"/api/v1/quotes/{quote.pk}/accept/", {"name": "Eva"}, format="json")
    assert response.status_code == 403
    assert Quote.objects.get(pk=quote.pk).state == "sent"


TRANSITION_ACTIONS = transition_actions()


def test_the_api_routes_transition_actions_of_every_workflow():
    models = {viewset.serializer_class.Meta.model for viewset, *_rest in TRANSITION_ACTIONS}
    assert models == set(WORKFLOWS)


@pytest.mark.parametrize(
    ("viewset", "action", "transitions", "url_name"),
    TRANSITION_ACTIONS,
    ids=[f"{row[0].__name__}.{row[1]}" for row in TRANSITION_ACTIONS],
)
def test_the_api_asks_the_permission_of_the_transition(viewset, action, transitions, url_name):
    """Whoever the API lets through may make the transition, and nobody else."""
    model = viewset.serializer_class.Meta.model
    opts = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
    gate = [perm % opts for perm in viewset.action_permissions[action]]
    for role in ROLES:
        user = user_of(role)
        for transition in transitions_of(model):
            if transition.name in transitions:
                lets_through = user.has_perms(gate)
                assert user.has_perm(transition.permission) == lets_through, (role, transition)
