"""The base's own API routes: the token, who am I, the e-mail webhooks and the root."""

from django.urls import path
from rest_framework.urlpatterns import format_suffix_patterns

from sfa.core.api.root import ApiRootView
from sfa.core.api.views import MeView, TokenView
from sfa.core.api.webhooks import InboundEmailWebhook, TrackingWebhook

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("email/<str:esp>/inbound/", InboundEmailWebhook.as_view(), name="api-email-inbound"),
    path("email/<str:esp>/tracking/", TrackingWebhook.as_view(), name="api-email-tracking"),
    *format_suffix_patterns([path("", ApiRootView.as_view(), name="api-root")]),
]
