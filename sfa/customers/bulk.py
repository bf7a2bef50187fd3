"""Many new customers at once, each made as ``account_create`` makes one (the staff import).

:class:`AccountBulkCreate` checks each new customer in Python, against what it reads once for
many: which of the codes it will meet are taken (one query per ``batch_size`` codes) and the
special fields of each industry (one query per industry). Checking a customer costs no query.
It then writes a batch at a time, in a few statements whatever the batch's size:

- blank codes are numbered from one block of the ``account`` counter (``next_values``),
  skipping codes taken in the database or given to another customer of this run, as
  ``generate_account_code`` skips taken ones;
- each customer's search document is computed in Python (``search.search_document``);
- the customers are inserted with ``bulk_create``, and their "created" history rows, by the
  actor, copied from them in one statement (``sfa.core.history_bulk``: the rows
  simple-history writes for a save, for a quarter less time than its
  ``bulk_create_with_history``);
- customer types are linked in one insert; as ``account.types.set()`` records it (through
  simple-history's ``m2m_changed`` receiver), each customer with types gets a second history
  row ("changed", by the actor) holding its types in the m2m history (one insert each).

What else ``account_create`` does, and where it is here: unknown fields, owner and branch
defaults, the owner rule and the special fields are ``services.account_new``, which both use;
the field checks are ``full_clean`` (except foreign keys, see ``RELATIONS``; the unique code
is checked for many codes at once). Nothing else happens when a customer is created: no
activity, transition or audit row besides the history; no signal receiver of the project
listens to customers (simple-history's, which a bulk insert does not fire, are replaced by
the rows above); there are no contacts yet, so the search document is the customer's own
fields.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sfa.core.fsm import full_clean
from sfa.core.history_bulk import history_rows_create
from sfa.core.numbering import next_values
from sfa.customers.custom_fields import definitions_for
from sfa.customers.models import Account, CustomerType, CustomFieldDefinition
from sfa.customers.search import search_document
from sfa.customers.services import ACCOUNT_COUNTER, account_code, account_new

# Foreign keys are not checked row by row (``ForeignKey.validate`` asks the database once per
# field and row): their values are records the caller read (the import resolves each column's
# values once per file) or the actor's, and the database's foreign keys refuse a vanished one.
RELATIONS = tuple(field.name for field in Account._meta.concrete_fields if field.is_relation)


class AccountBulkCreate:
    """New customers of one actor, checked one by one and written ``batch_size`` at a time.

    ``codes``: the codes the rows will give, so that which are taken is read in batches (a
    code not announced costs a query of its own). ``check()`` answers as ``account_create``
    would, without writing: ``InvalidInput`` for unknown fields, the owner rule and special
    fields, ``ValidationError`` for fields (a taken code: "Account with this Code already
    exists.", also when an earlier customer of this run has it). ``add()`` checks and queues
    a customer, writing the queue when it holds ``batch_size``; ``flush()`` writes the rest.
    Call them inside the transaction that keeps the customers (``flush`` is atomic itself).
    """

    def __init__(self, *, actor, codes: Iterable[str] = (), batch_size: int = 1000):
        self.actor = actor
        self.batch_size = batch_size
        self._queue: list[tuple[Account, list[CustomerType]]] = []
        self._looked_up: set[str] = set()  # codes whose presence in the database is known
        self._taken: set[str] = set()  # of those, the ones in the database or used here
        self._reserved: set[str] = set()  # lower-cased codes a generated code must avoid
        self._definitions: dict[int | None, list[CustomFieldDefinition]] = {}
        self.expect_codes(codes)

    def expect_codes(self, codes: Iterable[str]) -> None:
        """Read which of ``codes`` are taken: one query per ``batch_size`` codes."""
        wanted = sorted({code for code in codes if code} - self._looked_up)
        for start in range(0, len(wanted), self.batch_size):
            chunk = wanted[start : start + self.batch_size]
            self._taken.update(
                Account.objects.filter(code__in=chunk).values_list("code", flat=True)
            )
        self._looked_up.update(wanted)
        self._reserved.update(code.lower() for code in wanted)

    def _definitions_for(self, industry_id: int | None) -> list[CustomFieldDefinition]:
        if industry_id not in self._definitions:
            self._definitions[industry_id] = definitions_for(industry_id)
        return self._definitions[industry_id]

    def check(self, *, data: dict) -> Account:
        """The new customer of ``data``, checked and unsaved; its code (when given) is
        reserved for it, so a later customer of this run with the same code is refused."""
        account = account_new(actor=self.actor, data=data, definitions_for=self._definitions_for)
        code = account.code
        if code and code not in self._looked_up:
            self.expect_codes([code])
        errors: dict = {}
        exclude = RELATIONS if code else (*RELATIONS, "code")  # a blank one is numbered later
        try:
            full_clean(account, exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if code and "code" not in errors and code in self._taken:
            errors["code"] = [account.unique_error_message(Account, ("code",))]
        if errors:
            raise ValidationError(errors)
        if code:
            self._taken.add(code)
            self._reserved.add(code.lower())
        return account

    def add(self, *, data: dict, types: Iterable[CustomerType] = ()) -> Account:
        """Check the customer of ``data`` and queue it with its ``types``."""
        account = self.check(data=data)
        self._queue.append((account, list({t.pk: t for t in types}.values())))
        if len(self._queue) >= self.batch_size:
            self.flush()
        return account

    def flush(self) -> list[Account]:
        """Write the queued customers: numbers, documents, rows, history, types."""
        queue, self._queue = self._queue, []
        return self._write(queue) if queue else []

    @transaction.atomic
    def _write(self, queue: list[tuple[Account, list[CustomerType]]]) -> list[Account]:
        accounts = [account for account, _types in queue]
        self._number([account for account in accounts if not account.code])
        for account in accounts:
            account.search_document = search_document(account, ())  # no contacts yet
        now = timezone.now()
        Account.objects.bulk_create(accounts, batch_size=self.batch_size)
        history_rows_create(accounts, history_type="+", user=self.actor, date=now)
        self._link_types(queue, now)
        return accounts

    def _number(self, accounts: list[Account]) -> None:
        while accounts:
            block = next_values(kind=ACCOUNT_COUNTER, count=len(accounts))
            candidates = [account_code(value) for value in block]
            in_use = set(Account.objects.filter(code__in=candidates).values_list("code", flat=True))
            free = [c for c in candidates if c not in in_use and c.lower() not in self._reserved]
            for account, code in zip(accounts, free, strict=False):
                account.code = code
                self._taken.add(code)
                self._reserved.add(code.lower())
            accounts = accounts[len(free) :]

    def _link_types(self, queue: list[tuple[Account, list[CustomerType]]], now) -> None:
        through = Account.types.through
        links = [
            through(account_id=account.pk, customertype_id=kind.pk)
            for account, types in queue
            for kind in types
        ]
        if not links:
            return
        through.objects.bulk_create(links, batch_size=self.batch_size)
        typed = [account for account, types in queue if types]
        record_of = history_rows_create(typed, history_type="~", user=self.actor, date=now)
        if not record_of:  # history is off (SIMPLE_HISTORY_ENABLED)
            return
        m2m_history = Account.history.model.types.model  # simple-history's HistoricalAccount_types
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    history_id=record_of[link.account_id],
                    id=link.pk,
                    account_id=link.account_id,
                    customertype_id=link.customertype_id,
                )
                for link in links
            ],
            batch_size=self.batch_size,
        )
