from django.urls import include, path
from rest_framework.routers import DefaultRouter

from knowledgebase.api import views as knowledgebase
from leads.api import views as leads
from opportunities.api import views as opportunities
from quotes.api import views as quotes
from sfa.catalog.api import views as catalog
from sfa.core.api.views import MeView, TokenView
from sfa.core.api.webhooks import InboundEmailWebhook, TrackingWebhook
from sfa.customers.api import views as customers
from tickets.api import assist as ticket_assist
from tickets.api import views as tickets

router = DefaultRouter()
router.register("accounts", customers.AccountViewSet, basename="account")
router.register("contacts", customers.ContactViewSet, basename="contact")
router.register("addresses", customers.ShipToAddressViewSet, basename="address")
router.register("reminders", customers.ReminderViewSet, basename="reminder")
router.register("activities", customers.ActivityViewSet, basename="activity")
router.register("documents", customers.DocumentViewSet, basename="document")
router.register("contracts", customers.ContractViewSet, basename="contract")
router.register("custom-fields", customers.CustomFieldDefinitionViewSet, basename="customfield")
router.register("deletion-requests", customers.DeletionRequestViewSet, basename="deletionrequest")
router.register("leads", leads.LeadViewSet, basename="lead")
router.register("opportunities", opportunities.OpportunityViewSet, basename="opportunity")
router.register("quotas", opportunities.QuotaViewSet, basename="quota")
router.register("quotes", quotes.QuoteViewSet, basename="quote")
# before "tickets": its detail route would take "canned-responses" for a ticket id
router.register(
    "tickets/canned-responses", ticket_assist.CannedResponseViewSet, basename="canned-response"
)
router.register("tickets", tickets.TicketViewSet, basename="ticket")
router.register("products", catalog.ProductViewSet, basename="product")
router.register("product-categories", catalog.ProductCategoryViewSet, basename="productcategory")
router.register("tax-rates", catalog.TaxRateViewSet, basename="taxrate")
router.register("price-lists", catalog.PriceListViewSet, basename="pricelist")
router.register("kb/articles", knowledgebase.ArticleViewSet, basename="kb-article")
router.register("kb/categories", knowledgebase.CategoryViewSet, basename="kb-category")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path(
        "leads/<int:pk>/convert/",
        opportunities.LeadConversionView.as_view(),
        name="api-lead-convert",
    ),
    path("web-forms/<slug:slug>/", leads.WebFormView.as_view(), name="api-web-form"),
    path(
        "web-forms/<slug:slug>/submit/",
        leads.WebFormSubmitView.as_view(),
        name="api-web-form-submit",
    ),
    path("email/<str:esp>/inbound/", InboundEmailWebhook.as_view(), name="api-email-inbound"),
    path("email/<str:esp>/tracking/", TrackingWebhook.as_view(), name="api-email-tracking"),
    path("", include(router.urls)),
]
