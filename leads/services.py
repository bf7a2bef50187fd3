"""Writes of enquiries: create, change, move through the states, reassign."""

from django.db import transaction

from leads.assignment import Facts, owner_by_rules
from leads.models import Lead
from sfa.catalog.services import price_lines, replace_lines
from sfa.core.exceptions import ActionForbidden, Conflict, InvalidInput
from sfa.core.fsm import full_clean, transition_record
from sfa.core.numbering import next_number
from sfa.customers.services import reminder_schedule

# No "state": on an enquiry that is the workflow state (it shadows the address's province).
LEAD_FIELDS = {
    "enquiry_date", "channel", "account", "contact", "company", "first_name", "last_name",
    "email", "phone", "street", "street2", "postal_code", "city", "area", "region",
    "country", "owner", "source", "source_detail", "delivery_period", "payment_terms",
    "quote_due_date", "delivery_point", "remarks", "currency", "custom_fields",
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
    """The owner's reminder that a quote is owed by the lead period for quotation, also for a
    prospect: one per enquiry (found by the enquiry it regards), moved when the date moves."""
    if lead.quote_due_date:
        reminder_schedule(
            actor=actor,
            regarding=lead,
            key="quote_due",
            account=lead.account if lead.account_id else None,
            assignee=lead.owner,
            subject=f"Quote owed for {lead.number}",
            due_date=lead.quote_due_date,
            notes="Lead period for quotation of the enquiry.",
        )


def _assign_by_rules(lead: Lead, lines, web_form) -> None:
    facts = Facts(
        channel=lead.channel,
        region=lead.region,
        country=lead.country,
        products=[line["product"] for line in lines if line.get("product")],
        web_form_id=getattr(web_form, "pk", None),
    )
    found = owner_by_rules(facts)
    if found is not None:
        lead.owner, rule = found
        lead._change_reason = f"assigned by rule “{rule}”"


def _apply(lead: Lead, data: dict) -> None:
    unknown = set(data) - LEAD_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    if "custom_fields" in data:
        _check_custom_fields(data["custom_fields"])
    for name, value in data.items():
        setattr(lead, name, value)


def _check_custom_fields(value) -> None:
    scalar = (str, int, float, bool, type(None))
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and key and isinstance(item, scalar) for key, item in value.items()
    ):
        raise InvalidInput(
            fields={"custom_fields": ["Give an object of keys to texts, numbers or yes/no."]}
        )


@transaction.atomic
def lead_create(
    *,
    actor,
    data: dict,
    lines: list[dict] = (),
    assign_by_rules: bool = False,
    web_form=None,
) -> Lead:
    """A new enquiry owned by ``data["owner"]``, else by the assignment rules (when asked),
    else by the actor — or, for an anonymous web form submission, by the form's owner."""
    lead = Lead(owner=actor if actor is not None else getattr(web_form, "owner", None))
    _apply(lead, data)
    if assign_by_rules and "owner" not in data:
        _assign_by_rules(lead, lines, web_form)
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
    if lead.is_open:
        _quote_reminder(lead, actor)  # the new owner owes the quote now
    return lead
