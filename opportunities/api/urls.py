from django.urls import path

from opportunities.api import views
from sfa.core.api.routers import AppRouter

router = AppRouter()
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
router.register("quotas", views.QuotaViewSet, basename="quota")

urlpatterns = [
    # An enquiry's conversion lives here, where it makes the opportunity.
    path("leads/<int:pk>/convert/", views.LeadConversionView.as_view(), name="api-lead-convert"),
    *router.urls,
]
