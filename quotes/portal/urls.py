"""Mounted by the portal at ``/portal/quotes/`` in its ``portal`` namespace."""

from django.urls import path

from quotes.portal import views

urlpatterns = [
    path("", views.quote_list, name="quotes"),
    path("<int:pk>/", views.quote_detail, name="quote"),
    path("<int:pk>/pdf/", views.quote_pdf, name="quote-pdf"),
    path("<int:pk>/accept/", views.quote_accept, name="quote-accept"),
    path("<int:pk>/reject/", views.quote_reject, name="quote-reject"),
]
