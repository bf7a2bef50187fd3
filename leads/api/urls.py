from django.urls import path

from leads.api import views
from sfa.core.api.routers import AppRouter

router = AppRouter()
router.register("leads", views.LeadViewSet, basename="lead")

urlpatterns = [
    path("web-forms/<slug:slug>/", views.WebFormView.as_view(), name="api-web-form"),
    path(
        "web-forms/<slug:slug>/submit/",
        views.WebFormSubmitView.as_view(),
        name="api-web-form-submit",
    ),
    *router.urls,
]
