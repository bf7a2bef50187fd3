from quotes.api import views
from sfa.core.api.routers import AppRouter

router = AppRouter()
router.register("quotes", views.QuoteViewSet, basename="quote")

urlpatterns = router.urls
