from sfa.core.api.routers import AppRouter
from sfa.customers.api import views

router = AppRouter()
router.register("accounts", views.AccountViewSet, basename="account")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("addresses", views.ShipToAddressViewSet, basename="address")
router.register("reminders", views.ReminderViewSet, basename="reminder")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("custom-fields", views.CustomFieldDefinitionViewSet, basename="customfield")
router.register("deletion-requests", views.DeletionRequestViewSet, basename="deletionrequest")

urlpatterns = router.urls
