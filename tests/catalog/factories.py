from decimal import Decimal

import factory

from sfa.catalog.models import PriceList, PriceListItem, Product, ProductCategory, TaxRate
from tests.customers.factories import CustomerGroupFactory


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
