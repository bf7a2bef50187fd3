from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from sfa.core import views as core_views
from sfa.customers import views as customer_views
from tickets import public_views as ticket_public_views

urlpatterns = [
    path("", customer_views.dashboard, name="home"),
    path("login/", core_views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", core_views.global_search, name="global-search"),
    path("health/", core_views.health, name="health"),
    path("customers/", include("sfa.customers.urls")),
    path("products/", include("sfa.catalog.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("enquiries/", include("leads.urls")),
    path("quotes/", include("quotes.urls")),
    path("tickets/", include("tickets.urls")),
    path("forms/", include("leads.public_urls")),
    path("q/", include("quotes.public_urls")),
    path("knowledgebase/", include("knowledgebase.urls")),
    path("kb/", include("knowledgebase.public_urls")),
    path("portal/", include("sfa.portal.urls")),
    path("rate/<str:token>/", ticket_public_views.rate, name="ticket-rate"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("sfa.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = "sfa administration"
admin.site.site_title = "sfa admin"
