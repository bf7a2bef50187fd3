"""Writes of opportunities, and the conversion of a qualified enquiry into one."""

from django.db import transaction

from leads.models import Lead
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
    _apply(opportunity, data)
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


def opportunity_win(*, opportunity: Opportunity, actor, note: str = "") -> Opportunity:
    return transition_record(opportunity, "win", actor=actor, note=note)


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


def _account_for(lead: Lead, actor, account: Account | None) -> Account:
    if account is not None:
        return account
    if lead.account_id:
        return lead.account
    data = {
        name: getattr(lead, name)
        for name in (
            "email",
            "phone",
            "street",
            "street2",
            "postal_code",
            "city",
            "area",
            "region",
            "state",
            "country",
        )
        if getattr(lead, name)
    }
    data["name"] = lead.company or f"{lead.first_name} {lead.last_name}".strip() or lead.email
    data["owner"] = lead.owner
    return customer_services.account_create(actor=actor, data=data)


def _contact_for(lead: Lead, actor, account: Account, contact: Contact | None) -> Contact | None:
    if contact is not None:
        if contact.account_id != account.pk:
            raise InvalidInput(fields={"contact": ["This contact belongs to another customer."]})
        return contact
    if lead.contact_id and lead.contact.account_id == account.pk:
        return lead.contact
    if not (lead.last_name or lead.email):
        return None
    if lead.email:
        existing = account.contacts.filter(email__iexact=lead.email, is_active=True).first()
        if existing is not None:
            return existing
    return customer_services.contact_save(
        actor=actor,
        contact=Contact(
            account=account,
            first_name=lead.first_name,
            last_name=lead.last_name or lead.email,
            email=lead.email,
            phone=lead.phone,
        ),
    )


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
        account = _account_for(lead, actor, account)
        contact = _contact_for(lead, actor, account, contact)
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
                "title": title or f"{lead.number} {lead.display_name}",
                "account": account,
                "contact": contact,
                "owner": lead.owner,
                "expected_close_date": expected_close_date or lead.quote_due_date,
            },
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
