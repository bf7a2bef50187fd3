from django.urls import path

from quotes import public_views

app_name = "quote_public"

urlpatterns = [
    path("<str:token>/", public_views.quote_page, name="page"),
    path("<str:token>/pdf/", public_views.quote_pdf, name="pdf"),
    path("<str:token>/accept/", public_views.quote_accept, name="accept"),
    path("<str:token>/reject/", public_views.quote_reject, name="reject"),
]
