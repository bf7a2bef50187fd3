"""One fresh record of every workflow model, made through the services, and a way to put it
in any state (for tests that walk every state of every workflow)."""

from decimal import Decimal

from django.urls import get_resolver
from django.utils import timezone

from knowledgebase import services as kb_services
from knowledgebase.models import Article
from leads import services as lead_services
from leads.models import Lead
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from quotes import services as quote_services
from quotes.models import Quote
from sfa.core.fsm import state_field_name
from sfa.customers.models import Account, DeletionRequest
from tests import factories
from tickets import services as ticket_services
from tickets.models import Ticket

LINE = {"description": "Lathe", "quantity": Decimal(1), "unit_price": Decimal("100")}


def _account(owner, account):
    return factories.AccountFactory(owner=owner, branch=owner.branch)


def _deletion_request(owner, account):
    account = factories.AccountFactory(owner=owner, branch=owner.branch)  # one pending each
    return DeletionRequest.objects.create(
        account=account, account_label=str(account), reason="Duplicate", requested_by=owner
    )


def _lead(owner, account):
    return lead_services.lead_create(
        actor=owner, data={"company": "Prospect Ltd", "channel": "email"}
    )


def _opportunity(owner, account):
    return opportunity_services.opportunity_create(
        actor=owner, data={"title": "Lathes", "account": account}, lines=[LINE]
    )


def _quote(owner, account):
    return quote_services.quote_create(
        actor=owner, data={"account": account, "issue_date": timezone.localdate()}, lines=[LINE]
    )


def _ticket(owner, account):
    return ticket_services.ticket_create(
        actor=None, data={"account": account, "subject": "Lathe stops"}, acknowledge=False
    )


def _article(owner, account):
    return kb_services.article_create(
        actor=owner, data={"title": "Spindle runs hot", "body": "Oil it.", "visibility": "public"}
    )


# model → maker(owner, account): a new record in its first state
MAKERS = {
    Account: _account,
    DeletionRequest: _deletion_request,
    Lead: _lead,
    Opportunity: _opportunity,
    Quote: _quote,
    Ticket: _ticket,
    Article: _article,
}


def make_record(model, *, owner, account, state: str | None = None):
    """A new ``model`` record (owned by ``owner`` where it has an owner), moved to ``state``
    by a plain update (no transition runs), fresh from the database."""
    record = MAKERS[model](owner, account)
    if state is not None:
        model.objects.filter(pk=record.pk).update(**{state_field_name(record): state})
    return model.objects.get(pk=record.pk)


def states_of(model) -> list[str]:
    field = model._meta.get_field(state_field_name(model))
    return [value for value, _label in field.choices]


def transitions_of(model) -> list:
    """Every ``django_fsm`` transition of ``model`` (one per name and source)."""
    field = state_field_name(model)
    return list(getattr(model(), f"get_all_{field}_transitions")())


def transition_actions() -> list[tuple]:
    """``(viewset, action, transitions, url_name)`` of every transition action the API routes
    (``sfa.core.api.mixins.transition_action`` marks them with their transitions)."""
    found = {}

    def walk(patterns, namespace: str):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
                continue
            viewset = getattr(pattern.callback, "cls", None)
            for action in (getattr(pattern.callback, "actions", None) or {}).values():
                transitions = getattr(getattr(viewset, action, None), "transitions", None)
                if transitions and pattern.name:
                    found[(viewset, action)] = (transitions, f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return [(viewset, action, *rest) for (viewset, action), rest in found.items()]
