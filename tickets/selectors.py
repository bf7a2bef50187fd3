"""Reads of tickets; every path starts from ``ticket_visible_to(user)`` or, in the portal,
``ticket_visible_to_contact(contact)``."""

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When

from sfa.core.access import Role, has_role, is_portal_user, is_staff_user, sees_all_customers
from sfa.core.filters import filtered_rows
from sfa.core.search import word_search
from sfa.customers.selectors import customer_record_quick_find, visible_account_ids
from tickets.filters import TicketFilter
from tickets.models import Ticket, TicketAttachment, TicketComment

TEXT_FIELDS = (
    "number", "subject", "description", "requester_email", "account__name", "account__code",
    "contact__last_name", "contact__email", "tags",
)  # fmt: skip


def ticket_visible_to(user) -> QuerySet[Ticket]:
    """Support and managers: every ticket; other staff: tickets of the customers they see and
    those assigned to or watched by them; portal users: none here (the portal reads
    ``ticket_visible_to_contact``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Ticket.objects.none()
    if is_portal_user(user) or not is_staff_user(user):
        return Ticket.objects.none()
    if sees_all_customers(user):
        return Ticket.objects.all()
    # Watching is a subquery, not a join: no DISTINCT that sorts every visible ticket.
    # The customers as one union of index scans (``visible_account_ids``): the OR of
    # ``account_visible_to`` made PostgreSQL test each of a million customers (3 s for a rep).
    watching = Ticket.watchers.through.objects.filter(ticket=OuterRef("pk"), user=user)
    customers = visible_account_ids(user)
    return Ticket.objects.filter(
        Q(account_id__in=customers) | Q(assignee=user) | Q(Exists(watching))
    )


def ticket_visible_to_contact(contact) -> QuerySet[Ticket]:
    """A portal contact's tickets: the account's when the contact manages the account's
    portal, else the contact's own; none without a contact."""
    if contact is None:
        return Ticket.objects.none()
    if contact.is_portal_manager:
        return Ticket.objects.filter(account_id=contact.account_id)
    return Ticket.objects.filter(account_id=contact.account_id, contact=contact)


def public_comments(ticket: Ticket) -> QuerySet[TicketComment]:
    """What the customer may read: never internal notes."""
    return ticket.comments.filter(is_public=True).select_related("author")


def public_attachments(ticket: Ticket) -> QuerySet[TicketAttachment]:
    """The files the customer may download: the request's and those of public comments."""
    return ticket.attachments.filter(Q(comment__isnull=True) | Q(comment__is_public=True))


def with_list_relations(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """What a list row shows: the customer, contact, assignee and team joined, the SLA policy
    (for the clocks) in a second query. PostgreSQL plans a join of seven tables for longer than
    it runs (12 ms to plan, under 1 ms to run); five tables plan in about 1 ms."""
    return queryset.select_related("account", "contact", "assignee", "team").prefetch_related(
        "sla_policy"
    )


def with_detail_relations(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """A ticket's own page: the list's relations, its category and product, its watchers."""
    return with_list_relations(queryset).prefetch_related("category", "product", "watchers")


def ticket_list(*, user, filters) -> QuerySet[Ticket]:
    """The ticket list of the staff UI and the API: the user's tickets filtered, searched and
    ordered by ``TicketFilter``; ``InvalidInput`` names a bad filter."""
    tickets = with_list_relations(ticket_visible_to(user))
    return filtered_rows(TicketFilter(filters, queryset=tickets, search=ticket_search))


def with_watchers(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.prefetch_related("watchers")


def ticket_search(queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    return word_search(queryset, text, TEXT_FIELDS)


def ticket_quick_find(queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """The global search box (``customer_record_quick_find``), newest first."""
    return customer_record_quick_find(
        queryset, text, contains=("subject",), order_by=("-created_at", "-pk")
    )


def my_queue(user) -> QuerySet[Ticket]:
    """Open tickets assigned to the user, unassigned in their teams or (for support) not routed
    to any team yet, most urgent first:
    the next SLA due time (first response while unanswered, else resolution) first."""
    teams = user.teams.values("pk")
    mine = Q(assignee=user) | Q(assignee__isnull=True, team__in=teams)
    if has_role(user, Role.SUPPORT_AGENT) or has_role(user, Role.SUPPORT_MANAGER):
        mine |= Q(assignee__isnull=True, team__isnull=True)  # not routed yet: every agent's
    return (
        ticket_visible_to(user)
        .filter(state__in=Ticket.OPEN_STATES)
        .filter(mine)
        .annotate(
            next_due=Case(
                When(first_responded_at__isnull=True, then=F("first_response_due")),
                default=F("resolution_due"),
            )
        )
        .order_by(F("next_due").asc(nulls_last=True), "created_at", "pk")
    )


def assignee_ids() -> QuerySet:
    """The users holding any ticket (support statistics filter by them); ids only."""
    return Ticket.objects.filter(assignee__isnull=False).values("assignee")
