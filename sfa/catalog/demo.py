"""Demo catalogue: 50 products in a small category tree, tax rates and group price lists."""

from decimal import Decimal

from sfa.catalog.models import PriceList, PriceListItem, Product, ProductCategory, TaxRate
from sfa.core.demo import DemoContext
from sfa.customers.models import CustomerGroup

CATEGORIES = {
    "Machines": ["Lathes", "Milling machines", "Presses"],
    "Tools": ["Cutting tools", "Measuring tools"],
    "Consumables": ["Lubricants", "Filters"],
    "Services": ["Maintenance", "Training"],
}


def load_demo_catalog(ctx: DemoContext) -> None:
    rng = ctx.rng
    standard, _ = TaxRate.objects.get_or_create(
        name="Standard", defaults={"rate": Decimal("19.00"), "is_default": True}
    )
    reduced, _ = TaxRate.objects.get_or_create(name="Reduced", defaults={"rate": Decimal("7.00")})
    TaxRate.objects.get_or_create(name="Zero", defaults={"rate": Decimal("0.00")})
    leaves = []
    for parent_name, children in CATEGORIES.items():
        parent, _ = ProductCategory.objects.get_or_create(name=parent_name, parent=None)
        leaves += [
            ProductCategory.objects.get_or_create(name=c, parent=parent)[0] for c in children
        ]
    created = 0
    for index in range(1, 51):
        code = f"P-{index:04d}"
        if Product.objects.filter(code=code).exists():
            continue
        category = leaves[index % len(leaves)]
        base = {
            "Lathes": 18000,
            "Milling machines": 26000,
            "Presses": 41000,
            "Cutting tools": 45,
            "Measuring tools": 120,
            "Lubricants": 18,
            "Filters": 35,
            "Maintenance": 95,
            "Training": 650,
        }[category.name]
        price = (Decimal(base) * Decimal(rng.randint(80, 160)) / 100).quantize(Decimal("1.00"))
        product = Product(
            code=code,
            category=category,
            unit_price=price,
            name=f"{category.name.rstrip('s')} {rng.choice(['S', 'M', 'L', 'XL'])}"
            f"-{rng.randint(100, 999)}",
            unit="h" if category.parent.name == "Services" else "pc",
            tax_rate=reduced if category.name == "Training" else standard,
            description=f"{category.name} for demanding production use.",
        )
        product.save()
        created += 1
    _price_lists()
    ctx.log(f"  products: {created} created")


def _price_lists() -> None:
    dealers = CustomerGroup.objects.get(code="DLR")
    key = CustomerGroup.objects.get(code="KEY")
    dealer_list, new = PriceList.objects.get_or_create(name="Dealer prices", customer_group=dealers)
    if new:
        for category in ProductCategory.objects.filter(parent__isnull=True):
            PriceListItem.objects.create(
                price_list=dealer_list, category=category, discount_percent=Decimal("12.00")
            )
        for product in Product.objects.filter(category__name="Lathes")[:3]:
            PriceListItem.objects.create(
                price_list=dealer_list,
                product=product,
                price=(product.unit_price * Decimal("0.8")).quantize(Decimal("1.00")),
            )
    key_list, new = PriceList.objects.get_or_create(name="Key account prices", customer_group=key)
    if new:
        for category in ProductCategory.objects.filter(parent__isnull=True):
            PriceListItem.objects.create(
                price_list=key_list, category=category, discount_percent=Decimal("8.00")
            )
            PriceListItem.objects.create(
                price_list=key_list,
                category=category,
                discount_percent=Decimal("15.00"),
                min_quantity=Decimal("10"),
            )
