"""Writes of opportunities, and the conversion of a qualified enquiry into one."""

from django.db import transaction

from leads.models import Lead
from leads.selectors import MappedValue, conversion_values
from opportunities.models import (
    OPEN_STAGES,
    LostReason,
    Opportunity,
    Stage,
    StageSetting,
)
from sfa.catalog.services import price_lines, replace_lines
from sfa.core.exceptions import Conflict, InvalidInput
from sfa.core.fsm import ensure_transition, full_clean, log_transition, transition_record
from sfa.customers import services as customer_services
from sfa.customers.models import Account, Contact

OPPORTUNITY_FIELDS = {
    "title", "account", "contact", "owner", "amount", "currency", "probability",
    "expected_close_date", "next_step", "next_step_date", "competitors", "notes",
}  # fmt: skip


def stage_probability(stage: str) -> int:
    setting = StageSetting.objects.filter(stage=stage).first()
    return setting.default_probability if setting else 0


def _set_lines(opportunity: Opportunity, lines: list[dict]) -> None:
    totals = replace_lines(
        document=opportunity, priced=price_lines(account=opportunity.account, lines=lines)
    )
    if lines:
        opportunity.amount = totals.subtotal - totals.discount_total


def _apply(opportunity: Opportunity, data: dict) -> None:
    unknown = set(data) - OPPORTUNITY_FIELDS
    if unknown:
        raise InvalidInput(fields={name: ["Unknown field."] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(opportunity, name, value)
    if opportunity.contact_id and opportunity.contact.account_id != opportunity.account_id:
        raise InvalidInput(fields={"contact": ["This contact belongs to another customer."]})


@transaction.atomic
def opportunity_create(
    *, actor, data: dict, lines: list[dict] = (), source_lead=None, stage: str = Stage.PROSPECTING
) -> Opportunity:
    opportunity = Opportunity(owner=actor, source_lead=source_lead)
    _apply(opportunity, data)
    opportunity.branch = getattr(opportunity.owner, "branch", None)
    if stage != Stage.PROSPECTING:
        opportunity.move(stage=stage)
    if "probability" not in data:
        opportunity.probability = stage_probability(opportunity.state)
    opportunity._history_user = actor
    full_clean(opportunity)
    opportunity.save()
    if lines:
        _set_lines(opportunity, list(lines))
        opportunity.save(update_fields=["amount"])
    return opportunity


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, actor, data: dict, lines: list[dict] | None = None
) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not opportunity.is_open:
        raise Conflict(
            "A closed opportunity cannot be changed; reopen it first.", code="opportunity_closed"
        )
    owner_before = opportunity.owner_id
    _apply(opportunity, data)
    if opportunity.owner_id != owner_before:
        opportunity.branch = getattr(opportunity.owner, "branch", None) or opportunity.branch
    if lines is not None:
        _set_lines(opportunity, list(lines))
    opportunity._history_user = actor
    full_clean(opportunity)
    opportunity.save()
    return opportunity


def opportunity_move(*, opportunity: Opportunity, actor, stage: str, note: str = "") -> Opportunity:
    if stage not in OPEN_STAGES:
        raise InvalidInput(fields={"stage": ["Move to an open stage; use win or lose to close."]})
    if stage == opportunity.state:
        raise Conflict("The opportunity is already in this stage.", code="transition_not_allowed")
    return transition_record(
        opportunity,
        "move",
        actor=actor,
        note=note,
        stage=stage,
        probability=stage_probability(stage),
    )


def opportunity_win(
    *, opportunity: Opportunity, actor, note: str = "", check_permission: bool = True
) -> Opportunity:
    """Won. ``check_permission=False``: won by the customer's acceptance of its quote (the
    customer holds no staff permission)."""
    return transition_record(
        opportunity, "win", actor=actor, note=note, check_permission=check_permission
    )


def opportunity_lose(
    *, opportunity: Opportunity, actor, reason: LostReason, detail: str = "", note: str = ""
) -> Opportunity:
    return transition_record(
        opportunity, "lose", actor=actor, note=note or str(reason), reason=reason, detail=detail
    )


def opportunity_reopen(*, opportunity: Opportunity, actor, note: str = "") -> Opportunity:
    stage = opportunity.lost_from or Stage.PROSPECTING
    return transition_record(
        opportunity,
        "reopen",
        actor=actor,
        note=note or "reopened",
        probability=stage_probability(stage),
    )


# Conversion ----------------------------------------------------------------------------------


def _split(values: list[MappedValue]) -> tuple[dict, dict, set[str]]:
    """Mapped values → (model fields, custom fields, names — or custom keys — that overwrite)."""
    fields, custom, overwrite = {}, {}, set()
    for mapped in values:
        name = mapped.custom_key or mapped.field
        (custom if mapped.custom_key else fields)[name] = mapped.value
        if mapped.overwrite:
            overwrite.add(name)
    return fields, custom, overwrite


def _fill(record, fields: dict, overwrite: set[str]) -> dict:
    """The mapped values an existing record takes: its blanks, and overwriting mappings."""
    return {
        name: value
        for name, value in fields.items()
        if name in overwrite or getattr(record, name) in (None, "")
    }


def _account_for(lead: Lead, actor, account: Account | None, mapped) -> Account:
    fields, custom, overwrite = _split(mapped)
    account = account or lead.account
    if account is None:
        data = {**fields, "owner": lead.owner, "custom_fields": custom}
        data.setdefault("name", lead.display_name)
        return customer_services.account_create(actor=actor, data=data)
    data = _fill(account, fields, overwrite)
    wanted = {
        key: value
        for key, value in custom.items()
        if key in overwrite or account.custom_fields.get(key) in (None, "")
    }
    if wanted:
        data["custom_fields"] = {**account.custom_fields, **wanted}
    if data:
        account = customer_services.account_update(account=account, actor=actor, data=data)
    return account


def _contact_for(
    lead: Lead, actor, account: Account, contact: Contact | None, mapped
) -> Contact | None:
    fields, _custom, overwrite = _split(mapped)
    if contact is not None and contact.account_id != account.pk:
        raise InvalidInput(fields={"contact": ["This contact belongs to another customer."]})
    if contact is None and lead.contact_id and lead.contact.account_id == account.pk:
        contact = lead.contact
    if contact is None and lead.email:
        contact = account.contacts.filter(email__iexact=lead.email, is_active=True).first()
    if contact is None:
        if not (fields.get("last_name") or fields.get("email")):
            return None
        fields.setdefault("last_name", fields.get("email", ""))
        contact = Contact(account=account)
        changes = fields
    else:
        changes = _fill(contact, fields, overwrite)
        if not changes:
            return contact
    for name, value in changes.items():
        setattr(contact, name, value)
    return customer_services.contact_save(actor=actor, contact=contact)


def lead_convert(
    *,
    lead: Lead,
    actor,
    account: Account | None = None,
    contact: Contact | None = None,
    title: str = "",
    expected_close_date=None,
    note: str = "",
) -> Opportunity:
    """Qualified enquiry → customer (found or created), contact, opportunity with its lines.

    All or nothing; a second conversion (also a concurrent one) is refused with 409.
    """
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        ensure_transition(lead.convert, actor)
        mapped = conversion_values(lead)
        account = _account_for(lead, actor, account, mapped["account"])
        contact = _contact_for(lead, actor, account, contact, mapped["contact"])
        deal_fields = _split(mapped["opportunity"])[0]
        lines = [
            {
                "product": line.product,
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "tax_rate": line.tax_rate,
            }
            for line in lead.lines.select_related("product")
        ]
        opportunity = opportunity_create(
            actor=actor,
            source_lead=lead,
            stage=Stage.QUALIFICATION,
            lines=lines,
            data={
                **deal_fields,
                "title": title or deal_fields.get("title") or f"{lead.number} {lead.display_name}",
                "account": account,
                "contact": contact,
                "owner": lead.owner,
                **({"expected_close_date": expected_close_date} if expected_close_date else {}),
            },
        )
        customer_services.reattach_regarding(
            actor=actor,
            source=lead,
            account=account,
            regarding=opportunity,
            summary=f"Converted from enquiry {lead.number}",
        )
        source = lead.state
        lead.account, lead.contact = account, contact
        lead.convert()
        lead._history_user = actor
        lead.save()
        log_transition(
            lead,
            actor=actor,
            source=source,
            transition="convert",
            note=note or f"→ opportunity {opportunity.pk}",
        )
    return opportunity
