from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from sfa.catalog.models import PriceList, PriceListItem, Product, ProductCategory, TaxRate
from sfa.core.access import Role
from sfa.core.models import Branch, Team, User
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


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"B{n}")
    name = factory.LazyAttribute(lambda o: f"Branch {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@staff.example")
    password = factory.django.Password("secret-pass-123")
    branch = factory.SubFactory(BranchFactory)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


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


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@customer.example")


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


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate
        django_get_or_create = ["name"]

    name = "Standard"
    rate = Decimal("19.00")
    is_default = True


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory

    name = factory.Sequence(lambda n: f"Category {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    unit_price = Decimal("100.00")
    tax_rate = factory.SubFactory(TaxRateFactory)


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList

    name = factory.Sequence(lambda n: f"Price list {n}")
    customer_group = factory.SubFactory(CustomerGroupFactory)


class PriceListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceListItem

    price_list = factory.SubFactory(PriceListFactory)


def portal_user_for(contact: Contact) -> User:
    user = UserFactory(
        username=f"portal-{contact.pk}", branch=None, role=Role.CUSTOMER, email=contact.email
    )
    contact.user, contact.has_portal_access = user, True
    contact.save()
    return user
