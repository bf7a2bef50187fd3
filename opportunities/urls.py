from django.urls import path

from opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("convert/<int:lead_pk>/", views.convert_lead, name="convert-lead"),
]
