from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sfa.catalog import selectors
from sfa.catalog.api import serializers as s
from sfa.catalog.filters import ProductFilter
from sfa.catalog.models import PriceList, ProductCategory, TaxRate
from sfa.catalog.services import product_save, resolve_price
from sfa.core.api.mixins import NoDeleteMixin, SelectorListMixin
from sfa.core.exceptions import InvalidInput
from sfa.customers.selectors import account_visible_to


class ProductViewSet(SelectorListMixin, NoDeleteMixin, viewsets.ModelViewSet):
    serializer_class = s.ProductSerializer
    list_selector = selectors.product_list
    filterset_class = ProductFilter

    def get_queryset(self):
        return selectors.product_visible_to(self.request.user).select_related(
            "category", "tax_rate"
        )

    def perform_create(self, serializer):
        product = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = product_save(actor=self.request.user, product=product)

    def perform_update(self, serializer):
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        product_save(actor=self.request.user, product=serializer.instance)

    @extend_schema(parameters=[s.PriceQuery], responses=s.ResolvedPriceSerializer)
    @action(detail=True, methods=["get"])
    def price(self, request, pk=None):
        """The price for a customer and quantity, from its group's price list."""
        query = s.PriceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        account = None
        if args.get("account") is not None:
            account = account_visible_to(request.user).filter(pk=args["account"]).first()
            if account is None:
                raise InvalidInput(fields={"account": ["No such customer."]})
        product = self.get_object()
        resolved = resolve_price(
            product=product, account=account, quantity=args["quantity"], on=args.get("date")
        )
        return Response(
            s.ResolvedPriceSerializer(
                {
                    "product": product.pk,
                    "account": getattr(account, "pk", None),
                    "quantity": args["quantity"],
                    "unit_price": resolved.unit_price,
                    "discount_percent": resolved.discount_percent,
                    "net_unit_price": resolved.net_unit_price,
                    "tax_rate": resolved.tax_rate,
                    "source": resolved.source,
                }
            ).data
        )


class ProductCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProductCategorySerializer
    queryset = ProductCategory.objects.all()
    pagination_class = None


class TaxRateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TaxRateSerializer
    queryset = TaxRate.objects.all()
    pagination_class = None


class PriceListViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PriceListSerializer
    queryset = PriceList.objects.prefetch_related("items")
    filterset_fields = ["customer_group", "is_active"]
