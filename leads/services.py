"""Writes of enquiries: create, change, move through the states, reassign."""

from django.db import transaction

from leads.models import Lead
from sfa.catalog.services import price_lines, replace_lines
from sfa.core.exceptions import ActionForbidden, Conflict, InvalidInput
from sfa.core.fsm import full_clean, transition_record
from sfa.core.numbering import next_number
from sfa.customers.models import Reminder

# No "state": on an enquiry that is the workflow state (it shadows the address's province).
LEAD_FIELDS = {
    "enquiry_date", "channel", "account", "contact", "company", "first_name", "last_name",
    "email", "phone", "street", "street2", "postal_code", "city", "area", "region",
    "country", "owner", "source", "source_detail", "delivery_period", "payment_terms",
    "quote_due_date", "delivery_point", "remarks", "currency",
}  # fmt: skip


def _check_parties(lead: Lead) -> None:
    errors = {}
    if lead.contact_id and lead.contact.account_id != lead.account_id:
        errors["contact"] = ["This contact belongs to another customer."]
    if not lead.account_id and not (lead.company or lead.last_name or lead.email):
        errors["company"] = ["Choose a customer, or give the prospect's company, name or e-mail."]
    if errors:
        raise InvalidInput(fields=errors)


def _set_totals(lead: Lead, totals) -> None:
    lead.subtotal, lead.discount_total = totals.subtotal, totals.discount_total
    lead.tax_total, lead.total = totals.tax_total, totals.total


def _quote_reminder(lead: Lead, actor) -> None:
    if lead.quote_due_date and lead.account_id:
        Reminder.objects.update_or_create(
            account=lead.account,
            assignee=lead.owner,
            subject=f"Quote owed for {lead.number}",
            defaults={
                "due_date": lead.quote_due_date,
                "created_by": actor,
                "is_done": False,
                "notes": "Lead period for quotation of the enquiry.",
            },
        )


def _apply(lead: Lead, data: dict) -> None:
    unknown = set(data) - LEAD_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(lead, name, value)


@transaction.atomic
def lead_create(*, actor, data: dict, lines: list[dict] = ()) -> Lead:
    lead = Lead(owner=actor)
    _apply(lead, data)
    lead.branch = lead.branch or getattr(lead.owner, "branch", None)
    _check_parties(lead)
    lead.number = next_number(kind="enquiry", year=lead.enquiry_date.year)
    priced = price_lines(account=lead.account, lines=list(lines), on=lead.enquiry_date)
    lead._history_user = actor
    full_clean(lead)
    lead.save()
    _set_totals(lead, replace_lines(document=lead, priced=priced))
    lead.save(update_fields=["subtotal", "discount_total", "tax_total", "total"])
    _quote_reminder(lead, actor)
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, actor, data: dict, lines: list[dict] | None = None) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if not lead.is_open:
        raise Conflict(
            f"An enquiry that is {lead.get_state_display().lower()} cannot be changed.",
            code="lead_read_only",
        )
    _apply(lead, data)
    _check_parties(lead)
    if lines is not None:
        priced = price_lines(account=lead.account, lines=list(lines), on=lead.enquiry_date)
        _set_totals(lead, replace_lines(document=lead, priced=priced))
    lead._history_user = actor
    full_clean(lead)
    lead.save()
    _quote_reminder(lead, actor)
    return lead


def lead_mark_contacted(*, lead: Lead, actor, note: str = "") -> Lead:
    return transition_record(lead, "mark_contacted", actor=actor, note=note)


def lead_qualify(*, lead: Lead, actor, note: str = "") -> Lead:
    return transition_record(lead, "qualify", actor=actor, note=note)


def lead_disqualify(*, lead: Lead, actor, reason: str, note: str = "") -> Lead:
    if not reason.strip():
        raise InvalidInput(fields={"reason": ["Say why the enquiry is disqualified."]})
    return transition_record(
        lead, "disqualify", actor=actor, note=note or reason, reason=reason.strip()
    )


def lead_recycle(*, lead: Lead, actor, note: str = "") -> Lead:
    return transition_record(lead, "recycle", actor=actor, note=note)


@transaction.atomic
def lead_reassign(*, lead: Lead, actor, owner, note: str = "") -> Lead:
    if not actor.has_perm("leads.reassign_lead") and lead.owner_id != actor.pk:
        raise ActionForbidden("Only the owner or a manager can give this enquiry to someone else.")
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    lead.owner, lead.branch = owner, owner.branch or lead.branch
    lead._history_user = actor
    lead._change_reason = note or f"reassigned to {owner}"
    lead.save(update_fields=["owner", "branch", "updated_at"])
    return lead
