"""Import-export resources of customers and contacts: the columns of the CSV / XLSX import and
of the customer export (one resource, so an exported file imports back as it is).

Rows are written by ``sfa.customers.services`` (code numbering, history, owner rules and
special-field checks as in the UI), new customers a batch at a time by ``sfa.customers.bulk``
(the same rules); the framework is ``sfa.core.importing``.
"""

from django.contrib.auth import get_user_model
from import_export import fields, widgets

from sfa.core.models import Branch
from sfa.core.resources import (
    DecimalWidget,
    LookupListWidget,
    LookupWidget,
    LowerWidget,
    ServiceResource,
    YesNoWidget,
    refuse,
)
from sfa.customers import bulk, selectors, services
from sfa.customers.models import (
    Account,
    Contact,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    PaymentTerm,
)

CUSTOM_PREFIX = "cf_"


def _column(dataset, name: str) -> list:
    return dataset.get_col(dataset.headers.index(name)) if name in dataset.headers else []


class CustomFieldColumn(fields.Field):
    """One special field (``custom_fields[key]``) as the column ``cf_<key>``."""

    def __init__(self, key: str):
        super().__init__(attribute="custom_fields", column_name=f"{CUSTOM_PREFIX}{key}")
        self.key = key

    def get_value(self, instance):
        return (instance.custom_fields or {}).get(self.key)


class AccountResource(ServiceResource):
    """Customers by ``code``: a known code updates that customer, a new or blank one creates
    one (a blank code is numbered). Special fields are the ``cf_<key>`` columns.

    New customers go through ``bulk.AccountBulkCreate``: each row is checked as
    ``account_create`` checks it, without a query (codes, e-mails and every lookup column are
    read for the whole file first), and the commit writes them 1,000 at a time. Updates of
    existing customers stay on the per-row service ``account_update`` (each in its savepoint):
    they are the rare rows of an import, and an update reads the customer's contacts for its
    search document anyway.
    """

    status = fields.Field(attribute="status", readonly=True)
    types = fields.Field(
        attribute="types", widget=LookupListWidget(CustomerType, "name", "customer type")
    )
    group = fields.Field(attribute="group", widget=LookupWidget(CustomerGroup, "code", "group"))
    branch = fields.Field(attribute="branch", widget=LookupWidget(Branch, "code", "branch"))
    owner = fields.Field(
        attribute="owner", widget=LookupWidget(get_user_model(), "username", "owner")
    )
    credit_limit = fields.Field(attribute="credit_limit", widget=DecimalWidget())
    payment_terms = fields.Field(
        attribute="payment_terms", widget=LookupWidget(PaymentTerm, "name", "payment terms")
    )
    discount_privilege = fields.Field(attribute="discount_privilege", widget=DecimalWidget())

    class Meta:
        model = Account
        fields = (
            "code", "name", "status", "types", "group", "branch", "owner", "email", "phone",
            "mobile", "fax", "website", "vat_id", "street", "street2", "postal_code", "city",
            "area", "region", "state", "country", "credit_limit", "payment_terms",
            "discount_privilege", "alert_message", "notes",
        )  # fmt: skip
        use_bulk = True  # no savepoint per row (ServiceResource): new rows are only checked
        batch_size = 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for key in CustomFieldDefinition.objects.filter(is_active=True).values_list(
            "key", flat=True
        ):
            self.fields[f"{CUSTOM_PREFIX}{key}"] = CustomFieldColumn(key)
        self.existing: dict[str, Account] = {}
        self.visible: set[int] = set()
        self.emails: dict[str, Account] = {}
        self.new_accounts = bulk.AccountBulkCreate(actor=self.actor)
        self.blank: Account | None = None

    def before_import(self, dataset, **kwargs):
        for column in dataset.headers:
            if column.startswith(CUSTOM_PREFIX) and column not in self.fields:
                self.fields[column] = CustomFieldColumn(column.removeprefix(CUSTOM_PREFIX))
        codes = _column(dataset, "code")
        self.existing = selectors.accounts_by_code(codes)
        self.new_accounts = bulk.AccountBulkCreate(
            actor=self.actor,
            codes=[code for code in codes if code.lower() not in self.existing],
            batch_size=self._meta.batch_size,
        )
        pks = [account.pk for account in self.existing.values()]
        self.visible = set(
            selectors.account_visible_to(self.actor).filter(pk__in=pks).values_list("pk", flat=True)
        )
        self.emails = selectors.accounts_by_email(_column(dataset, "email"))
        self.preload_lookups(dataset)

    def _check_unique_in_file(self, row) -> None:
        for column in ("code", "email"):
            value = row.get(column, "").lower()
            if value and (column, value) in self.seen:
                raise refuse(column, "Appears twice in this file.")
            if value:
                self.seen.add((column, value))

    def init_instance(self, row=None):
        """A new row's instance is only its marker (``write`` builds the customer from the
        row's values and never sets them on it): one blank instance serves every row."""
        if self.blank is None:
            self.blank = Account()
        return self.blank

    def get_instance(self, instance_loader, row):
        self._check_unique_in_file(row)
        existing = self.existing.get(row.get("code", "").lower())
        if existing is None:
            return None
        if existing.pk not in self.visible:
            raise refuse("code", "This code belongs to a customer you cannot see.")
        if not self.actor.has_perm("customers.change_account"):
            raise refuse("code", "Exists already and you may not change customers.")
        return existing

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance._state.adding:
            twin = self.emails.get(str(self.changes.get("email", "")).lower())
            if twin is not None:
                errors.setdefault("email", [f"Duplicate: customer {twin.code} has this e-mail."])
            if not self.changes.get("name"):
                errors.setdefault("name", ["This field is required."])
        super().validate_instance(instance, errors, validate_unique)

    def write(self, instance, *, is_create, changes):
        data = dict(changes)
        types = data.pop("types", None)
        if is_create:
            if self.keeps_writes():
                self.new_accounts.add(data=data, types=types or ())
            else:  # a dry run, or an import that is rolled back: check only
                self.new_accounts.check(data=data)
            return
        data.pop("code", None)
        if "custom_fields" in data:  # the columns given change; the others stay
            data["custom_fields"] = {**instance.custom_fields, **data["custom_fields"]}
        services.account_update(account=instance, actor=self.actor, data=data, types=types)

    def after_import(self, dataset, result, **kwargs):
        """Write the last batch of new customers, unless the import is rolled back."""
        if self.keeps_writes() and not result.has_errors():
            self.new_accounts.flush()


class AccountCodeWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.code


class ContactResource(ServiceResource):
    """Contacts by ``account_code`` (a customer the importer sees) and ``email``: a contact of
    that customer with this e-mail is updated, otherwise one is added."""

    account = fields.Field(
        attribute="account", column_name="account_code", widget=AccountCodeWidget(), readonly=True
    )
    salutation = fields.Field(attribute="salutation", widget=LowerWidget())
    is_primary = fields.Field(attribute="is_primary", widget=YesNoWidget())
    email_consent = fields.Field(attribute="email_consent", widget=YesNoWidget())

    class Meta:
        model = Contact
        fields = (
            "account", "salutation", "first_name", "last_name", "title", "department",
            "email", "phone", "mobile", "is_primary", "email_consent",
        )  # fmt: skip

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.accounts: dict[str, Account] = {}
        self.row_account: Account | None = None

    def before_import(self, dataset, **kwargs):
        codes = _column(dataset, "account_code")
        self.accounts = selectors.accounts_by_code(codes, user=self.actor)

    def get_instance(self, instance_loader, row):
        account = self.accounts.get(row.get("account_code", "").lower())
        if account is None:
            raise refuse("account_code", "No customer with this code that you can see.")
        self.row_account = account
        email = row.get("email", "").lower()
        if not email:
            return None
        if (account.pk, email) in self.seen:
            raise refuse("email", "Appears twice in this file for the same customer.")
        self.seen.add((account.pk, email))
        return selectors.contact_by_email(account, email)

    def init_instance(self, row=None):
        return Contact(account=self.row_account)

    def write(self, instance, *, is_create, changes):
        for name, value in changes.items():
            setattr(instance, name, value)
        services.contact_save(actor=self.actor, contact=instance)


def register_customer_importers() -> None:
    from sfa.core.importing import register_importer

    register_importer("accounts", AccountResource, "customers.import_account", "Customers")
    register_importer("contacts", ContactResource, "customers.add_contact", "Contacts")
