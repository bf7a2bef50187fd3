"""Customer and contact rows for the CSV / XLSX import (the framework is sfa.core.importing)."""

from django.contrib.auth import get_user_model

from sfa.core.importing import TRUE, RowError, decimal_cell
from sfa.core.models import Branch
from sfa.customers import services
from sfa.customers.models import Account, Contact, CustomerGroup, CustomerType, PaymentTerm
from sfa.customers.selectors import account_visible_to

ACCOUNT_TEXT = [
    "name",
    "email",
    "phone",
    "mobile",
    "fax",
    "website",
    "vat_id",
    "street",
    "street2",
    "postal_code",
    "city",
    "area",
    "region",
    "state",
    "country",
    "alert_message",
    "notes",
]
CONTACT_TEXT = [
    "first_name",
    "last_name",
    "title",
    "department",
    "email",
    "phone",
    "mobile",
    "salutation",
]


def _lookup(model, row: dict, column: str, **field):
    value = row.get(column, "")
    if not value:
        return None
    (lookup_field,) = field.values() if field else ("name",)
    found = model.objects.filter(**{f"{lookup_field}__iexact": value}).first()
    if found is None:
        raise RowError({column: [f"Unknown {column.replace('_', ' ')} “{value}”."]})
    return found


def _account_data(row: dict) -> tuple[dict, list]:
    data = {name: row[name] for name in ACCOUNT_TEXT if row.get(name)}
    if row.get("code"):
        data["code"] = row["code"]
    data["group"] = _lookup(CustomerGroup, row, "group", f="code")
    data["branch"] = _lookup(Branch, row, "branch", f="code")
    data["payment_terms"] = _lookup(PaymentTerm, row, "payment_terms")
    if row.get("owner"):
        data["owner"] = _lookup(get_user_model(), row, "owner", f="username")
    for name in ("credit_limit", "discount_privilege"):
        value = decimal_cell(row, name)
        if value is not None:
            data[name] = value
    custom = {k[3:]: v for k, v in row.items() if k.startswith("cf_") and v != ""}
    if custom:
        data["custom_fields"] = custom
    types = []
    for type_name in filter(None, (t.strip() for t in row.get("types", "").split("|"))):
        found = CustomerType.objects.filter(name__iexact=type_name).first()
        if found is None:
            raise RowError({"types": [f"Unknown customer type “{type_name}”."]})
        types.append(found)
    return {k: v for k, v in data.items() if v is not None}, types


def _import_account(row: dict, actor, seen: set) -> str:
    code, email = row.get("code", ""), row.get("email", "").lower()
    for key in (f"code:{code.lower()}" if code else "", f"email:{email}" if email else ""):
        if key and key in seen:
            raise RowError({key.split(":")[0]: ["Appears twice in this file."]})
        if key:
            seen.add(key)
    data, types = _account_data(row)
    existing = Account.objects.filter(code__iexact=code).first() if code else None
    if existing is not None:
        if not account_visible_to(actor).filter(pk=existing.pk).exists():
            raise RowError({"code": ["This code belongs to a customer you cannot see."]})
        if not actor.has_perm("customers.change_account"):
            raise RowError({"code": ["Exists already and you may not change customers."]})
        data.pop("code", None)
        services.account_update(account=existing, actor=actor, data=data, types=types or None)
        return "update"
    if email:
        twin = Account.objects.filter(email__iexact=email).first()
        if twin is not None:
            raise RowError({"email": [f"Duplicate: customer {twin.code} has this e-mail."]})
    if not data.get("name"):
        raise RowError({"name": ["This field is required."]})
    services.account_create(actor=actor, data=data, types=types)
    return "create"


def _import_contact(row: dict, actor, seen: set) -> str:
    account = account_visible_to(actor).filter(code__iexact=row.get("account_code", "")).first()
    if account is None:
        raise RowError({"account_code": ["No customer with this code that you can see."]})
    email = row.get("email", "").lower()
    if email:
        key = f"{account.pk}:{email}"
        if key in seen:
            raise RowError({"email": ["Appears twice in this file for the same customer."]})
        seen.add(key)
    contact = (
        Contact.objects.filter(account=account, email__iexact=email).first() if email else None
    )
    action = "update" if contact else "create"
    contact = contact or Contact(account=account)
    for name in CONTACT_TEXT:
        if row.get(name):
            setattr(contact, name, row[name].lower() if name == "salutation" else row[name])
    for flag in ("is_primary", "email_consent"):
        if row.get(flag):
            setattr(contact, flag, row[flag].lower() in TRUE)
    services.contact_save(actor=actor, contact=contact)
    return action


def register_customer_importers() -> None:
    from sfa.core.importing import register_importer

    register_importer("accounts", _import_account, "customers.import_account", "Customers")
    register_importer("contacts", _import_contact, "customers.add_contact", "Contacts")
