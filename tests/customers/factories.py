import factory

from sfa.core.access import Role
from sfa.core.models import User
from sfa.customers.models import (
    Account,
    Activity,
    Contact,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    Industry,
    Reminder,
    ShipToAddress,
)
from sfa.customers.search import account_search_documents_refresh
from tests.core.factories import UserFactory


class CustomerTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerType
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"type{n}")


class CustomerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerGroup
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.LazyAttribute(lambda o: f"Group {o.code}")


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Industry {n}")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Customer {n} Ltd")
    owner = factory.SubFactory(UserFactory, role=Role.SALES_REP)
    branch = factory.LazyAttribute(lambda o: o.owner.branch if o.owner else None)
    email = factory.LazyAttribute(lambda o: f"info@{o.code.lower()}.example")
    city = "Hamburg"
    country = "DE"

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:  # the services keep the search document; a factory writes around them
            account_search_documents_refresh(account_ids=[instance.pk])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@customer.example")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            account_search_documents_refresh(account_ids=[instance.account_id])


class ShipToFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShipToAddress

    account = factory.SubFactory(AccountFactory)
    label = factory.Sequence(lambda n: f"Warehouse {n}")
    city = "Bremen"


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    account = factory.SubFactory(AccountFactory)
    subject = "Call back"
    due_date = factory.Faker("date_this_month")
    assignee = factory.LazyAttribute(lambda o: o.account.owner)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    account = factory.SubFactory(AccountFactory)
    subject = "Phone call"
    kind = Activity.Kind.CALL


class CustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomFieldDefinition
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"field{n}")
    label = factory.LazyAttribute(lambda o: o.key.title())
    field_type = CustomFieldDefinition.FieldType.TEXT


def portal_user_for(contact: Contact) -> User:
    """Give the contact a portal login (a customer user with the contact's e-mail)."""
    user = UserFactory(
        username=f"portal-{contact.pk}", branch=None, role=Role.CUSTOMER, email=contact.email
    )
    contact.user, contact.has_portal_access = user, True
    contact.save()
    return user
