"""Writes of customer data: every create, change and transition goes through here."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from sfa.core.access import sees_all_customers
from sfa.core.exceptions import ActionForbidden, Conflict, InvalidInput, TransitionRefused
from sfa.core.fsm import ensure_transition, full_clean, transition_record
from sfa.core.mail import email_queue
from sfa.core.models import OutgoingEmail
from sfa.core.numbering import next_number, next_value
from sfa.customers.custom_fields import clean_custom_fields, definitions_for
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
from sfa.customers.regarding import regarding_kind, regarding_of
from sfa.customers.search import account_search_documents_refresh, search_document
from sfa.customers.selectors import account_references, reminders_due_for

ACCOUNT_FIELDS = {
    "code", "name", "group", "industry", "branch", "owner", "phone", "mobile", "fax", "email",
    "website", "vat_id", "credit_limit", "credit_hold", "payment_terms", "discount_privilege",
    "alert_message", "notes", "street", "street2", "postal_code", "city", "area", "region",
    "state", "country",
}  # fmt: skip
ACCOUNT_COUNTER = "account"  # the numbers of generated customer codes
# Executable and script signatures that never belong in a customer's documents.
FORBIDDEN_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
# File systems refuse names over 255 bytes; the storage may add a suffix to make them unique.
MAX_FILE_NAME_BYTES = 200


def _save(instance, *, actor) -> None:
    """Validate and save one row, recording ``actor`` in its history."""
    instance._history_user = actor
    full_clean(instance)
    instance.save()


def _check_owner(*, actor, owner) -> None:
    """Reps own what they assign (no owner would hide it from them too); branch managers
    assign within their branch; managers to anyone."""
    if owner == actor or sees_all_customers(actor):
        return
    in_branch = owner is not None and owner.branch_id == actor.branch_id
    if not (getattr(actor, "is_branch_manager", False) and in_branch):
        raise InvalidInput(fields={"owner": ["You can only assign customers to yourself."]})


def account_code(value: int) -> str:
    """The generated code of a customer numbered ``value`` (counter ``account``): C000042."""
    return f"C{value:06d}"


def generate_account_code() -> str:
    while True:
        code = account_code(next_value(kind=ACCOUNT_COUNTER))
        if not Account.objects.filter(code=code).exists():
            return code


def account_new(*, actor, data: dict, definitions_for=definitions_for) -> Account:
    """A new customer of ``data``, unsaved and not yet numbered (``code`` may be blank): only
    known fields; owner and branch default to the actor's; the owner rule; the special fields
    checked for the customer's industry. ``definitions_for(industry_id)`` gives the special
    fields that apply (a bulk create reads them once per industry)."""
    unknown = set(data) - ACCOUNT_FIELDS - {"custom_fields"}
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    values = dict(data)
    values.setdefault("owner", actor)
    values.setdefault("branch", getattr(actor, "branch", None))
    _check_owner(actor=actor, owner=values["owner"])
    industry_id = getattr(values.get("industry"), "pk", None)
    values["custom_fields"] = clean_custom_fields(
        values.get("custom_fields") or {},
        industry_id=industry_id,
        definitions=definitions_for(industry_id),
    )
    return Account(**values)


@transaction.atomic
def account_create(*, actor, data: dict, types=()) -> Account:
    """One new customer. Many at once (the import): ``sfa.customers.bulk``, same rules."""
    account = account_new(actor=actor, data=data)
    if not account.code:
        account.code = generate_account_code()
    account.search_document = search_document(account, ())  # no contacts yet
    _save(account, actor=actor)
    if types:
        account.types.set(types)
    return account


@transaction.atomic
def account_update(*, account: Account, actor, data: dict, types=None) -> Account:
    account = Account.objects.select_for_update().get(pk=account.pk)
    unknown = set(data) - ACCOUNT_FIELDS - {"custom_fields"}
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    if "owner" in data and data["owner"] != account.owner:
        _check_owner(actor=actor, owner=data["owner"])
    if "code" in data and not data["code"]:
        data = {**data, "code": account.code}
    for name, value in data.items():
        if name != "custom_fields":
            setattr(account, name, value)
    if "custom_fields" in data or "industry" in data:
        merged = data.get("custom_fields", account.custom_fields)
        account.custom_fields = clean_custom_fields(merged, industry_id=account.industry_id)
    account.search_document = search_document(account, account.contacts.order_by("pk"))
    _save(account, actor=actor)
    if types is not None:
        account.types.set(types)
    return account


def account_archive(*, account: Account, actor, note: str = "") -> Account:
    return transition_record(account, "archive", actor=actor, note=note)


def account_restore(*, account: Account, actor, note: str = "") -> Account:
    return transition_record(account, "restore", actor=actor, note=note)


@transaction.atomic
def account_share(*, account: Account, actor, user=None, team=None) -> AccountShare:
    if (user is None) == (team is None):
        raise InvalidInput("Share with one user or one team.", fields={"user": ["Choose one."]})
    if not can_share(account=account, actor=actor):
        raise ActionForbidden("Only the owner or a manager can share this customer.")
    share, _created = AccountShare.objects.get_or_create(
        account=account, user=user, team=team, defaults={"created_by": actor}
    )
    return share


def can_share(*, account: Account, actor) -> bool:
    return account.owner_id == actor.pk or sees_all_customers(actor)


def account_unshare(*, share: AccountShare, actor) -> None:
    if not can_share(account=share.account, actor=actor):
        raise ActionForbidden("Only the owner or a manager can change who sees this customer.")
    share.delete()


def _refuse_if_referenced(account: Account) -> None:
    references = account_references(account)
    if references:
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(references.items()))
        raise Conflict(
            f"The customer cannot be deleted while other records refer to it: {listed}. "
            "Archive it instead.",
            code="account_in_use",
        )


@transaction.atomic
def account_request_deletion(*, account: Account, actor, reason: str) -> DeletionRequest:
    if not reason.strip():
        raise InvalidInput(fields={"reason": ["Say why the customer should be deleted."]})
    account = Account.objects.select_for_update().get(pk=account.pk)
    _refuse_if_referenced(account)
    if DeletionRequest.objects.filter(
        account=account, state=DeletionRequest.State.PENDING
    ).exists():
        raise Conflict(
            "A deletion request for this customer is already pending.", code="deletion_pending"
        )
    return DeletionRequest.objects.create(
        account=account, account_label=str(account), reason=reason.strip(), requested_by=actor
    )


def deletion_request_approve(*, request: DeletionRequest, actor, note: str = "") -> DeletionRequest:
    """Approve and delete the customer, unless something came to refer to it meanwhile."""
    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
        ensure_transition(request.approve, actor)  # state and permission before references
        if request.account_id is None:
            raise TransitionRefused("The customer is already gone.")
        account = Account.objects.select_for_update().get(pk=request.account_id)
        _refuse_if_referenced(account)
        request = transition_record(
            request, "approve", actor=actor, note=note, by=actor, comment=note
        )
        account._history_user = actor
        account.delete()
    request.refresh_from_db()
    return request


def deletion_request_reject(*, request: DeletionRequest, actor, note: str = "") -> DeletionRequest:
    return transition_record(request, "reject", actor=actor, note=note, by=actor, comment=note)


# Ship-to addresses ---------------------------------------------------------------------------


@transaction.atomic
def ship_to_save(*, actor, address: ShipToAddress) -> ShipToAddress:
    """Create or update an address. One active address is the default: making one the default
    takes the flag from the others; deactivating the default hands it to another address."""
    others = ShipToAddress.objects.filter(account_id=address.account_id).exclude(pk=address.pk)
    if not address.is_active:
        address.is_default = False
    if address.is_default:
        others.filter(is_default=True).update(is_default=False)
    elif not others.filter(is_default=True).exists():
        successor = others.filter(is_active=True).order_by("pk").first()
        if successor is None and address.is_active:
            address.is_default = True
        elif successor is not None:
            _save(address, actor=actor)
            successor.is_default = True
            _save(successor, actor=actor)
            return address
    _save(address, actor=actor)
    return address


# Contacts ------------------------------------------------------------------------------------


@transaction.atomic
def contact_save(*, actor, contact: Contact) -> Contact:
    if contact.is_primary:
        Contact.objects.filter(account_id=contact.account_id, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)
    if contact.email_consent and contact.email_consent_at is None:
        contact.email_consent_at = timezone.now()
    if not contact.email_consent:
        contact.email_consent_at = None
    if contact.is_portal_manager and not contact.has_portal_access:
        raise InvalidInput(fields={"is_portal_manager": ["A portal manager needs portal access."]})
    moved_from = (
        Contact.objects.filter(pk=contact.pk).values_list("account_id", flat=True).first()
        if contact.pk
        else None
    )
    _save(contact, actor=actor)
    account_search_documents_refresh(account_ids=[contact.account_id, moved_from])
    return contact


@transaction.atomic
def contact_update_profile(
    *, contact: Contact, actor, first_name: str, last_name: str, phone: str, mobile: str
) -> Contact:
    """A portal customer edits their own name and phones; the login's name follows."""
    contact.first_name, contact.last_name = first_name, last_name
    contact.phone, contact.mobile = phone, mobile
    contact = contact_save(actor=actor, contact=contact)
    if contact.user_id:
        contact.user.first_name, contact.user.last_name = first_name, last_name
        contact.user.save(update_fields=["first_name", "last_name"])
    return contact


def contact_archive(*, actor, contact: Contact) -> Contact:
    contact.is_active = False
    contact.has_portal_access = contact.is_portal_manager = False
    return contact_save(actor=actor, contact=contact)


# Reminders, activities and documents ----------------------------------------------------------
# Each belongs to a customer (``account``), regards a record registered in
# ``sfa.customers.regarding`` (an enquiry, also a prospect's), or both.


def _lock_regarding(regarding):
    """Lock the record new rows are about (a conversion of it waits, and then moves them too)
    and refuse when it takes none any more: a converted enquiry is 409."""
    if regarding is None:
        return None
    kind = regarding_kind(regarding)
    if kind is None:
        raise InvalidInput(fields={"regarding": ["Nothing can be logged on this kind of record."]})
    locked = type(regarding)._default_manager.select_for_update().get(pk=regarding.pk)
    if kind.accepts is not None and not kind.accepts(locked):
        raise Conflict(
            f"{locked} takes no more activities, reminders or documents.",
            code="regarding_closed",
        )
    return locked


@transaction.atomic
def reminder_create(
    *,
    actor,
    subject: str,
    due_date,
    account: Account | None = None,
    regarding=None,
    assignee=None,
    contact=None,
    notes: str = "",
) -> Reminder:
    reminder = Reminder(
        account=account,
        regarding=_lock_regarding(regarding),
        contact=contact,
        subject=subject,
        due_date=due_date,
        assignee=assignee or actor,
        created_by=actor,
        notes=notes,
    )
    reminder.full_clean()
    reminder.save()
    return reminder


@transaction.atomic
def reminder_schedule(
    *,
    actor,
    regarding,
    key: str,
    subject: str,
    due_date,
    assignee,
    account: Account | None = None,
    notes: str = "",
) -> Reminder:
    """Create or move the one reminder ``key`` of a record, e.g. the quote owed for an enquiry.

    It is found by the record it regards and its key, never by its text; a new date reopens it.
    """
    regarding = _lock_regarding(regarding)
    reminder = Reminder.objects.select_for_update().filter(regarding_of(regarding), key=key).first()
    if reminder is None:
        reminder = Reminder(regarding=regarding, key=key, created_by=actor)
    elif reminder.due_date != due_date:
        reminder.is_done, reminder.done_at = False, None
    reminder.account, reminder.assignee = account, assignee
    reminder.subject, reminder.due_date, reminder.notes = subject, due_date, notes
    if reminder.contact_id and reminder.contact.account_id != getattr(account, "pk", None):
        reminder.contact = None
    reminder.full_clean()
    reminder.save()
    return reminder


REMINDER_FIELDS = {"account", "contact", "subject", "notes", "due_date", "assignee"}


@transaction.atomic
def reminder_update(*, actor, reminder: Reminder, data: dict) -> Reminder:
    """Change a reminder's fields (``REMINDER_FIELDS``); ``is_done`` in ``data`` ticks it off
    or reopens it (``reminder_set_done``)."""
    data = dict(data)
    done = data.pop("is_done", None)
    unknown = set(data) - REMINDER_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    for name, value in data.items():
        setattr(reminder, name, value)
    reminder.full_clean()
    reminder.save()
    if done is not None and done != reminder.is_done:
        reminder_set_done(actor=actor, reminder=reminder, done=done)
    return reminder


def reminder_set_done(*, actor, reminder: Reminder, done: bool = True) -> Reminder:
    reminder.is_done = done
    reminder.done_at = timezone.now() if done else None
    reminder.save(update_fields=["is_done", "done_at", "updated_at"])
    return reminder


@transaction.atomic
def activity_log(
    *,
    actor,
    subject: str,
    account: Account | None = None,
    regarding=None,
    kind: str = Activity.Kind.NOTE,
    body: str = "",
    contact=None,
    occurred_at=None,
) -> Activity:
    activity = Activity(
        account=account,
        regarding=_lock_regarding(regarding),
        contact=contact,
        kind=kind,
        subject=subject,
        body=body,
        occurred_at=occurred_at or timezone.now(),
        user=actor,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def reattach_regarding(*, actor, source, account: Account, regarding, summary: str = "") -> int:
    """Move every activity, reminder and document about ``source`` to ``account`` and make
    them regard ``regarding`` instead: on conversion, an enquiry's go to the customer and the
    new opportunity. Contacts of another customer are dropped from them. With ``summary``,
    the customer gets one system activity saying so (not a second one). Returns how many moved.
    """
    target = ContentType.objects.get_for_model(regarding)
    moved = 0
    for model in (Activity, Reminder, Document):
        rows = model.objects.filter(regarding_of(source))
        changes = {"account": account, "regarding_type": target, "regarding_id": regarding.pk}
        if model is Reminder:
            changes["updated_at"] = timezone.now()
        if model is not Document:
            rows.filter(contact__isnull=False).exclude(contact__account=account).update(
                contact=None
            )
        moved += rows.update(**changes)
    system = Activity.Kind.SYSTEM
    if summary and not account.activities.filter(kind=system, subject=summary).exists():
        note = Activity(
            account=account, regarding=regarding, kind=system, subject=summary, user=actor
        )
        note.full_clean()
        note.save()
    return moved


# Documents and contracts ---------------------------------------------------------------------


def check_upload(upload) -> str:
    """Refuse oversized, unlisted or executable files; return the content type to store."""
    name = Path(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.SFA_DOCUMENT_EXTENSIONS:
        allowed = ", ".join(settings.SFA_DOCUMENT_EXTENSIONS)
        raise InvalidInput(fields={"file": [f"Files of this type are not accepted ({allowed})."]})
    if len(name.encode()) > MAX_FILE_NAME_BYTES:
        raise InvalidInput(fields={"file": ["The file name is too long."]})
    if upload.size > settings.SFA_DOCUMENT_MAX_BYTES:
        limit = settings.SFA_DOCUMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(fields={"file": [f"The file is larger than {limit} MB."]})
    if upload.size == 0:
        raise InvalidInput(fields={"file": ["The file is empty."]})
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(FORBIDDEN_MAGIC):
        raise InvalidInput(fields={"file": ["Programs and scripts are not accepted."]})
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@transaction.atomic
def document_upload(
    *, actor, upload, account: Account | None = None, regarding=None, title: str = ""
) -> Document:
    content_type = check_upload(upload)
    name = Path(upload.name).name
    document = Document(
        account=account,
        regarding=_lock_regarding(regarding),
        title=title.strip() or name,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(name, upload, save=False)
    try:
        full_clean(document)
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def contract_save(*, actor, contract: Contract, upload=None) -> Contract:
    """Create or update a contract; a new file replaces the old one only if the save works."""
    previous = contract.file.name if contract.pk and contract.file else ""
    if upload is not None:
        check_upload(upload)
        contract.file.save(Path(upload.name).name, upload, save=False)
    try:
        with transaction.atomic():
            if not contract.number:
                contract.number = next_number(kind="contract", year=contract.start_date.year)
            _save(contract, actor=actor)
    except Exception:
        if upload is not None:
            contract.file.delete(save=False)
            contract.file.name = previous
        raise
    return contract


# Reminder digest ----------------------------------------------------------------------------

DIGEST_KIND = "customers.reminder_digest"


def reminder_digests_queue(*, day) -> int:
    """Queue today's digest for every user with due reminders who has not had one yet."""
    due = Reminder.objects.filter(is_done=False, due_date__lte=day)
    users = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=due.values("assignee_id"))
        .exclude(email="")
    )
    queued = 0
    for user in users:
        if reminder_digest_send(user=user, day=day) is not None:
            queued += 1
    return queued


@transaction.atomic
def reminder_digest_send(*, user, day) -> OutgoingEmail | None:
    already = OutgoingEmail.objects.filter(
        kind=DIGEST_KIND,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        metadata__day=day.isoformat(),
    )
    reminders = list(reminders_due_for(user, day))
    if not reminders or already.exists():
        return None
    return email_queue(
        kind=DIGEST_KIND,
        to=[user.email],
        template="customers/emails/reminder_digest",
        context={
            "user": user,
            "day": day,
            "reminders": reminders,
            "base_url": settings.SFA_BASE_URL,
        },
        related=user,
        metadata={"day": day.isoformat()},
    )


# Saved filters ------------------------------------------------------------------------------


def saved_filter_save(*, actor, name: str, query: str) -> SavedFilter:
    """The user's filter ``name`` (created, or its query replaced when the name is taken)."""
    name = name.strip()
    if not name:
        raise InvalidInput(fields={"name": ["Give the filter a name."]})
    saved, _created = SavedFilter.objects.update_or_create(
        user=actor, name=name[:120], defaults={"query": query[:2000]}
    )
    return saved


def saved_filter_delete(*, actor, saved_filter: SavedFilter) -> None:
    """Only its user removes a saved filter."""
    if saved_filter.user_id != actor.pk:
        raise ActionForbidden("This is another user's saved filter.")
    saved_filter.delete()
