"""Customer 360: accounts, contacts, addresses, custom fields and what happens around them.

- ``accounts``: customers, their types, groups, industries, payment terms, ship-to addresses,
  sharing and administrator-defined special fields;
- ``contacts``: the people of a customer (portal access included);
- ``records``: the "regarding" subsystem every module uses — reminders, activities and
  documents about a customer and/or another record (``sfa.customers.regarding``);
- ``contracts``; ``housekeeping``: deletion requests and saved list filters;
- ``files``: private storage and upload paths.
"""

from sfa.customers.models.accounts import (
    Account,
    AccountShare,
    AddressFields,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    Industry,
    PaymentTerm,
    ShipToAddress,
)
from sfa.customers.models.contacts import Contact
from sfa.customers.models.contracts import Contract
from sfa.customers.models.files import contract_upload_to, document_upload_to, private_storage
from sfa.customers.models.housekeeping import DeletionRequest, SavedFilter
from sfa.customers.models.records import (
    Activity,
    Document,
    RegardingFields,
    Reminder,
    check_contact_of_account,
    regarding_checks,
    regarding_index,
)

__all__ = [
    "Account",
    "AccountShare",
    "Activity",
    "AddressFields",
    "Contact",
    "Contract",
    "CustomFieldDefinition",
    "CustomerGroup",
    "CustomerType",
    "DeletionRequest",
    "Document",
    "Industry",
    "PaymentTerm",
    "RegardingFields",
    "Reminder",
    "SavedFilter",
    "ShipToAddress",
    "check_contact_of_account",
    "contract_upload_to",
    "document_upload_to",
    "private_storage",
    "regarding_checks",
    "regarding_index",
]
