"""Canned responses: prepared replies with merge fields, everyone's, a team's or an agent's own.

Merge fields are a whitelist substituted by a regular expression over ``{{ name }}``, never
the Django template engine: a response's author cannot reach any attribute beyond the fields
below. An unknown field stays in the text as written (the agent sees it) and is reported;
saving a response with one is refused.

Empty values become "" except in greetings: ``{{ contact.first_name }}`` falls back to
"there" ("Hi there,") and ``{{ contact.name }}`` to "customer" ("Dear customer,") when the
ticket has no contact or the contact has no name; ``{{ contact.email }}`` falls back to the
requester's address, ``{{ agent.first_name }}`` to the agent's user name.

Reads (``responses_for``, ``manageable_by``) start every list, picker, page and API; the
writes (create, update, delete, use) are the services of this small module.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from sfa.core.access import is_staff_user
from sfa.core.exceptions import ActionForbidden, InvalidInput
from sfa.core.fsm import full_clean
from tickets.models import CannedResponse, Ticket

FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")
GREETING_FIRST_NAME = "there"
GREETING_NAME = "customer"
MANAGE_SHARED = "tickets.change_cannedresponse"


def _contact(ticket: Ticket):
    return ticket.contact if ticket.contact_id else None


def _agent_first_name(ticket: Ticket, agent) -> str:
    return (agent.first_name or agent.username) if agent else ""


@dataclass(frozen=True)
class MergeField:
    name: str
    help: str
    value: Callable[[Ticket, object], str]


MERGE_FIELDS = {
    field.name: field
    for field in (
        MergeField(
            "contact.first_name",
            f'The contact\'s first name, else "{GREETING_FIRST_NAME}"',
            lambda t, a: (_contact(t) and _contact(t).first_name) or GREETING_FIRST_NAME,
        ),
        MergeField(
            "contact.last_name",
            "The contact's last name",
            lambda t, a: (_contact(t) and _contact(t).last_name) or "",
        ),
        MergeField(
            "contact.name",
            f'The contact\'s full name, else "{GREETING_NAME}"',
            lambda t, a: (_contact(t) and _contact(t).full_name) or GREETING_NAME,
        ),
        MergeField(
            "contact.email",
            "The contact's e-mail address, else the requester's",
            lambda t, a: (_contact(t) and _contact(t).email) or t.requester_email,
        ),
        MergeField(
            "account.name",
            "The customer's name",
            lambda t, a: t.account.name if t.account_id else "",
        ),
        MergeField(
            "account.code",
            "The customer's number",
            lambda t, a: t.account.code if t.account_id else "",
        ),
        MergeField("ticket.number", "The ticket number (T-2026-00042)", lambda t, a: t.number),
        MergeField("ticket.subject", "The ticket's subject", lambda t, a: t.subject),
        MergeField("ticket.state", "The ticket's state", lambda t, a: t.get_state_display()),
        MergeField(
            "ticket.priority", "The ticket's priority", lambda t, a: t.get_priority_display()
        ),
        MergeField(
            "ticket.url",
            "The ticket's page in the customer portal",
            lambda t, a: settings.SFA_BASE_URL + reverse("portal:ticket", args=[t.pk]),
        ),
        MergeField("agent.first_name", "Your first name", _agent_first_name),
        MergeField("agent.last_name", "Your last name", lambda t, a: a.last_name if a else ""),
        MergeField("agent.name", "Your full name", lambda t, a: str(a) if a else ""),
        MergeField("agent.email", "Your e-mail address", lambda t, a: a.email if a else ""),
    )
}


# Rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    text: str
    unknown_fields: list[str]


def unknown_fields(body: str) -> list[str]:
    """The merge fields of ``body`` that are not in :data:`MERGE_FIELDS`, in order, once."""
    found = [m.group(1) for m in FIELD.finditer(body) if m.group(1) not in MERGE_FIELDS]
    return list(dict.fromkeys(found))


def merge(body: str, *, ticket: Ticket, agent) -> Merged:
    """``body`` with its merge fields filled in for ``ticket`` answered by ``agent``; unknown
    fields are left as written and listed. Values are inserted as they are (plain text) and
    never scanned for fields themselves."""

    def fill(match: re.Match) -> str:
        field = MERGE_FIELDS.get(match.group(1))
        if field is None:
            return match.group(0)
        return str(field.value(ticket, agent) or "")

    return Merged(text=FIELD.sub(fill, body), unknown_fields=unknown_fields(body))


def render_canned(response: CannedResponse, ticket: Ticket, agent) -> str:
    return merge(response.body, ticket=ticket, agent=agent).text


# Reads ----------------------------------------------------------------------------------------


def responses_for(user) -> QuerySet[CannedResponse]:
    """The active responses ``user`` may use: shared with everyone, shared with one of the
    user's teams, or the user's own. Another agent's personal responses never."""
    if not is_staff_user(user) or not user.is_active:
        return CannedResponse.objects.none()
    if not user.has_perm("tickets.view_cannedresponse"):
        return CannedResponse.objects.none()
    shared = Q(owner__isnull=True) & (Q(team__isnull=True) | Q(team__in=user.teams.values("pk")))
    return (
        CannedResponse.objects.filter(is_active=True)
        .filter(shared | Q(owner=user))
        .select_related("team", "owner")
    )


def may_manage_shared(user) -> bool:
    return is_staff_user(user) and user.has_perm(MANAGE_SHARED)


def manageable_by(user) -> QuerySet[CannedResponse]:
    """The responses ``user`` may change (active or not): their own; support managers also
    every shared and team response."""
    if not is_staff_user(user) or not user.has_perm("tickets.view_cannedresponse"):
        return CannedResponse.objects.none()
    mine = Q(owner=user)
    if may_manage_shared(user):
        mine |= Q(owner__isnull=True)
    return CannedResponse.objects.filter(mine).select_related("team", "owner")


def listed_for(user) -> QuerySet[CannedResponse]:
    """The management page: what the user may use plus what they may change."""
    usable = responses_for(user).values("pk")
    editable = manageable_by(user).values("pk")
    return (
        CannedResponse.objects.filter(Q(pk__in=usable) | Q(pk__in=editable))
        .select_related("team", "owner")
        .order_by("title", "pk")
    )


# Writes ---------------------------------------------------------------------------------------

FIELDS = {"title", "body", "team", "is_active", "personal"}


def _apply(response: CannedResponse, *, actor, data: dict) -> None:
    unknown = set(data) - FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    data = dict(data)
    personal = data.pop("personal", response.owner_id is not None or not response.pk)
    for name, value in data.items():
        setattr(response, name, value)
    if personal:
        response.owner = response.owner if response.owner_id else actor
        response.team = None
    else:
        if not may_manage_shared(actor):
            raise ActionForbidden("Only support managers maintain shared responses.")
        response.owner = None
    problems = unknown_fields(response.body or "")
    if problems:
        names = ", ".join("{{ " + name + " }}" for name in problems)
        raise InvalidInput(
            fields={"body": [f"Unknown merge fields: {names}. Use the fields listed below."]}
        )
    full_clean(response)


@transaction.atomic
def canned_response_create(*, actor, data: dict) -> CannedResponse:
    """A new response: personal (``personal`` true, the default) or shared with everyone or
    a ``team`` (support managers)."""
    response = CannedResponse()
    _apply(response, actor=actor, data=data)
    response.save()
    return response


@transaction.atomic
def canned_response_update(*, response: CannedResponse, actor, data: dict) -> CannedResponse:
    response = CannedResponse.objects.select_for_update().get(pk=response.pk)
    if not manageable_by(actor).filter(pk=response.pk).exists():
        raise ActionForbidden("You may not change this response.")
    _apply(response, actor=actor, data=data)
    response.save()
    return response


def canned_response_delete(*, response: CannedResponse, actor) -> None:
    if not manageable_by(actor).filter(pk=response.pk).exists():
        raise ActionForbidden("You may not delete this response.")
    response.delete()


def canned_response_use(*, response: CannedResponse, ticket: Ticket, actor) -> Merged:
    """The response rendered for ``ticket``, counted as used (it goes into a reply)."""
    CannedResponse.objects.filter(pk=response.pk).update(times_used=F("times_used") + 1)
    return merge(response.body, ticket=ticket, agent=actor)
