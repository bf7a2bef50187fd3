"""Reads of customer data. Every path starts from one of the ``*_visible_to(user)`` functions."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

import sfa.core.lookups  # noqa: F401 - registers id__any_of
from sfa.core.access import Role, has_role, is_portal_user, is_staff_user, sees_all_customers
from sfa.core.filters import filtered_rows
from sfa.core.models import TransitionLog
from sfa.core.resources import records_by_lower
from sfa.core.search import word_search
from sfa.customers import filters as list_filters
from sfa.customers.models import (
    Account,
    AccountShare,
    Activity,
    Contact,
    Contract,
    DeletionRequest,
    Document,
    Reminder,
    SavedFilter,
    ShipToAddress,
)
from sfa.customers.regarding import (
    account_records_q,
    record_link,
    regarding_of,
    regarding_visible_q,
)
from sfa.customers.search import account_search, ranked_account_ids

CONTACT_TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "mobile")


def portal_contact_of(user) -> Contact | None:
    """The active contact with portal access that ``user`` logs in as, if any."""
    return (
        Contact.objects.select_related("account")
        .filter(user=user, has_portal_access=True, is_active=True)
        .first()
    )


def account_code_taken(code: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another customer already has this code. Codes are unique across every
    customer, so this looks beyond what the user sees (and says only yes or no)."""
    clash = Account.objects.filter(code__iexact=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    return clash.exists()


def portal_account_id(user) -> int | None:
    contact = portal_contact_of(user)
    return contact.account_id if contact else None


def _is_active_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def account_visible_to(user) -> QuerySet[Account]:
    """The customers a user may see: own, shared, branch (branch managers) or all (managers)."""
    accounts = Account.objects.all()
    if not _is_active_user(user):
        return accounts.none()
    if is_portal_user(user):
        return accounts.filter(pk=portal_account_id(user) or 0)
    if sees_all_customers(user):
        return accounts
    # Own, shared or the branch's: a page walks the list's index checking these, a count
    # combines the owner and primary-key indexes (the shared ids as one array on PostgreSQL).
    shared = AccountShare.objects.filter(Q(user=user) | Q(team__members=user))
    if connection.vendor == "postgresql":
        scope = Q(owner=user) | Q(pk__any_of=ArraySubquery(shared.values("account_id")))
    else:
        scope = Q(owner=user) | Q(Exists(shared.filter(account=OuterRef("pk"))))
    if user.is_branch_manager and user.branch_id:
        scope |= Q(branch_id=user.branch_id)
    return accounts.filter(scope)


def visible_account_ids(user) -> QuerySet:
    """The ids of the customers of a user without the all-customers view: one union of index
    scans (owned, shared, the branch's). Other records' scopes ask ``account_id IN (…)`` of
    it; the OR of ``account_visible_to`` in a subquery would read every customer. Unordered:
    the customers' default order (by name) would sort a rep's tens of thousands of ids, and
    read each row's name, for every query of a sales record."""
    ids = Account.objects.filter(owner=user).order_by().values("pk")
    ids = ids.union(
        AccountShare.objects.filter(Q(user=user) | Q(team__members=user)).values("account_id")
    )
    if user.is_branch_manager and user.branch_id:
        ids = ids.union(Account.objects.filter(branch_id=user.branch_id).order_by().values("pk"))
    return ids


def sales_record_visible_to(queryset: QuerySet, user) -> QuerySet:
    """Scope for sales records with ``owner``, ``branch`` and ``account`` (enquiries,
    opportunities, quotes…): own records, records of customers the user sees, the branch's for
    branch managers, and all of them for managers and marketing."""
    if not is_staff_user(user) or not user.is_active:
        return queryset.none()
    if sees_all_customers(user) or has_role(user, Role.MARKETING_MANAGER):
        return queryset
    scope = Q(owner=user) | Q(account_id__in=visible_account_ids(user))
    if user.is_branch_manager and user.branch_id:
        scope |= Q(branch_id=user.branch_id)
    return queryset.filter(scope)


def _owned_by_visible_accounts(queryset: QuerySet, user) -> QuerySet:
    return queryset.filter(account__in=account_visible_to(user).values("pk"))


def contact_visible_to(user) -> QuerySet[Contact]:
    return _owned_by_visible_accounts(Contact.objects.all(), user)


def ship_to_visible_to(user) -> QuerySet[ShipToAddress]:
    return _owned_by_visible_accounts(ShipToAddress.objects.all(), user)


def _of_visible_accounts_or_records(queryset: QuerySet, user) -> QuerySet:
    """Rows of customers the user sees, and (staff only) rows about a record the user sees,
    such as an enquiry of a prospect (``sfa.customers.regarding``). One query: subqueries."""
    if not _is_active_user(user):
        return queryset.none()
    if is_portal_user(user):  # the portal shows none of what regards enquiries or deals
        return _owned_by_visible_accounts(queryset, user).filter(regarding_type__isnull=True)
    visible = account_visible_to(user).values("pk")
    return queryset.filter(Q(account__in=visible) | regarding_visible_q(user))


def activity_visible_to(user) -> QuerySet[Activity]:
    return _of_visible_accounts_or_records(Activity.objects.all(), user)


def document_visible_to(user) -> QuerySet[Document]:
    return _of_visible_accounts_or_records(Document.objects.all(), user)


def contract_visible_to(user) -> QuerySet[Contract]:
    return _owned_by_visible_accounts(Contract.objects.all(), user)


def reminder_visible_to(user) -> QuerySet[Reminder]:
    """Reminders of visible customers or about records the user sees (an enquiry), plus any
    reminder assigned to the user."""
    if not _is_active_user(user) or is_portal_user(user):
        return Reminder.objects.none()
    visible = account_visible_to(user).values("pk")
    return Reminder.objects.filter(
        Q(account__in=visible) | Q(assignee=user) | regarding_visible_q(user)
    )


def activities_regarding(*, user, record) -> QuerySet[Activity]:
    """What was logged about one record (an enquiry), newest first, as far as the user sees."""
    return activity_visible_to(user).filter(regarding_of(record)).select_related("user", "contact")


def reminders_regarding(*, user, record) -> QuerySet[Reminder]:
    return (
        reminder_visible_to(user).filter(regarding_of(record)).select_related("assignee", "contact")
    )


def documents_regarding(*, user, record) -> QuerySet[Document]:
    return document_visible_to(user).filter(regarding_of(record)).select_related("uploaded_by")


def deletion_request_visible_to(user) -> QuerySet[DeletionRequest]:
    if not _is_active_user(user) or is_portal_user(user):
        return DeletionRequest.objects.none()
    if user.has_perm("customers.approve_account_deletion"):
        return DeletionRequest.objects.all()
    return DeletionRequest.objects.filter(requested_by=user)


def saved_filter_visible_to(user) -> QuerySet[SavedFilter]:
    return (
        SavedFilter.objects.filter(user=user)
        if user.is_authenticated
        else SavedFilter.objects.none()
    )


def account_list(*, user, filters) -> QuerySet[Account]:
    """The customer list of the staff UI, its exports and the API: the customers the user
    sees, filtered (custom fields too), searched and ordered by ``AccountFilter``;
    ``InvalidInput`` names a bad filter."""
    accounts = with_list_relations(account_visible_to(user))
    filterset = list_filters.AccountFilter(filters, queryset=accounts, search=account_search)
    return filtered_rows(filterset)


def contact_list(*, user, filters) -> QuerySet[Contact]:
    """The contact list of the API: contacts of the customers the user sees, filtered,
    searched and ordered by ``ContactFilter``; ``InvalidInput`` names a bad filter."""
    contacts = contact_visible_to(user)
    filterset = list_filters.ContactFilter(
        filters, queryset=contacts, search=contact_search, user=user
    )
    return filtered_rows(filterset)


def contact_search(queryset: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    """Every word in the contact's names, e-mail or phones, or in its customer's code or name.

    Each column has a trigram index, and the customers come first as a short list of ids (one
    query per word), so PostgreSQL combines indexes instead of joining every contact to its
    customer."""
    return word_search(queryset, text, (_of_customers_named, *CONTACT_TEXT_FIELDS))


CUSTOMERS_PER_WORD = 200


def _of_customers_named(word: str) -> Q:
    # Unordered: in the customers' order (by name) PostgreSQL walked the name index testing
    # every customer until 200 matched (160 ms for "gross" at a million customers).
    named = Account.objects.filter(Q(code__icontains=word) | Q(name__icontains=word)).order_by()
    return Q(account_id__in=list(named.values_list("pk", flat=True)[:CUSTOMERS_PER_WORD]))


def account_ids_matching(text: str, *, limit: int = 50) -> list[int]:
    """The best-matching customers' ids, for finding other records by their customer (the
    global search box): a few ids make an indexed ``account_id IN (…)`` for the caller."""
    return ranked_account_ids(Account.objects.all(), text)[:limit]


def customer_record_quick_find(
    queryset: QuerySet, text: str, *, contains: tuple[str, ...], order_by: tuple[str, ...]
) -> QuerySet:
    """The global search box's find among records with a ``number`` and an ``account``
    (enquiries, quotes, tickets): a number that starts with the text, one of the ``contains``
    fields that contains it, or a record of one of the best-matching customers; every
    condition has its index, so PostgreSQL combines them instead of scanning."""
    phrase = " ".join(text.split())
    if not phrase:
        return queryset.none()
    match = Q(number__startswith=phrase.upper()) | Q(account_id__in=account_ids_matching(phrase))
    for field in contains:
        match |= Q(**{f"{field}__icontains": phrase})
    return queryset.filter(match).order_by(*order_by)


def contact_quick_find(queryset: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    """The global search box: every word in a contact's name, e-mail or phone, each column
    with its trigram index (the customer's own name is the customers' search)."""
    return word_search(queryset, text, ("first_name", "last_name", "email", "phone"))


def reminders_due_q(day=None) -> Q:
    return Q(is_done=False, due_date__lte=day or timezone.localdate())


def with_list_relations(queryset: QuerySet[Account]) -> QuerySet[Account]:
    """What lists show of a customer: its related rows, not its (long) search document."""
    return (
        queryset.defer("search_document")
        .select_related("group", "branch", "owner", "industry", "payment_terms")
        .prefetch_related("types")
    )


def reminders_due_for(user, day=None) -> QuerySet[Reminder]:
    """The user's open reminders due today or earlier, oldest first."""
    return (
        reminder_visible_to(user)
        .filter(reminders_due_q(day), assignee=user)
        .select_related("account", "contact")
        .prefetch_related("regarding")
        .order_by("due_date", "pk")
    )


def account_references(account: Account) -> dict[str, int]:
    """What still refers to a customer, by kind, across every installed app.

    Its own ship-to addresses, shares and deletion requests do not count; anything else does.
    """
    own = {"ship_to", "shares", "deletion_requests"}
    found: dict[str, int] = {}
    for relation in account._meta.related_objects:
        accessor = relation.get_accessor_name()
        if accessor in own or relation.related_model.__name__.startswith("Historical"):
            continue
        if relation.many_to_many or relation.one_to_many or relation.one_to_one:
            count = relation.related_model._base_manager.filter(
                **{relation.field.name: account}
            ).count()
            if count:
                found[str(relation.related_model._meta.verbose_name_plural)] = count
    return found


@dataclass(frozen=True)
class TimelineEntry:
    at: object  # datetime
    activity: Activity | None = None
    change: TransitionLog | None = None
    label: str = ""  # the record a change happened to
    url: str = ""


def account_timeline(*, account: Account, user, limit: int = 100) -> list[TimelineEntry]:
    """The customer's activities and the state changes of the customer itself and of its
    records in other apps (enquiries, opportunities…), newest first. Three queries."""
    activities = list(
        activity_visible_to(user)
        .filter(account=account)
        .select_related("user", "contact")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    own = Q(content_type=ContentType.objects.get_for_model(Account), object_id=str(account.pk))
    changes = list(
        TransitionLog.objects.filter(own | account_records_q(account, user))
        .select_related("actor", "content_type")
        .prefetch_related("record")
        .order_by("-created_at", "-pk")[:limit]
    )
    entries = [TimelineEntry(at=a.occurred_at, activity=a) for a in activities]
    for change in changes:
        label, url = record_link(change.record) if change.record is not None else ("", "")
        entries.append(TimelineEntry(at=change.created_at, change=change, label=label, url=url))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def accounts_by_code(codes, *, user=None) -> dict[str, Account]:
    """The customers with these codes (ignoring case), keyed by the lower-cased code: all of
    them, or those ``user`` may see."""
    accounts = Account.objects.all() if user is None else account_visible_to(user)
    return records_by_lower(accounts, "code", codes)


def accounts_by_email(emails) -> dict[str, Account]:
    """The customers with these e-mail addresses (ignoring case), keyed by the lower-cased
    address (the first customer where several share one)."""
    return records_by_lower(Account.objects.all(), "email", emails)


def contact_by_email(account: Account, email: str) -> Contact | None:
    return Contact.objects.filter(account=account, email__iexact=email).order_by("pk").first()
