from sfa.core.api.routers import AppRouter
from tickets.api import assist, views

router = AppRouter()
# before "tickets": its detail route would take "canned-responses" for a ticket id
router.register(
    "tickets/canned-responses", assist.CannedResponseViewSet, basename="canned-response"
)
router.register("tickets", views.TicketViewSet, basename="ticket")

urlpatterns = router.urls
