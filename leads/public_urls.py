from django.urls import path

from leads import public_views

app_name = "webforms"

urlpatterns = [
    path("<slug:slug>/", public_views.form_page, name="form"),
    path("<slug:slug>/thanks/", public_views.thanks, name="thanks"),
]
