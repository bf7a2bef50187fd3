from sfa.catalog.api import views
from sfa.core.api.routers import AppRouter

router = AppRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("product-categories", views.ProductCategoryViewSet, basename="productcategory")
router.register("tax-rates", views.TaxRateViewSet, basename="taxrate")
router.register("price-lists", views.PriceListViewSet, basename="pricelist")

urlpatterns = router.urls
