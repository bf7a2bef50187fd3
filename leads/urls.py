from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_create, name="create"),
    path("preview/", views.preview, name="preview"),
    path("line/", views.line_row, name="line-row"),
    path("pick/customer/", views.pick_customer, name="pick-customer"),
    path("pick/product/", views.pick_product, name="pick-product"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/edit/", views.lead_edit, name="edit"),
    path("<int:pk>/reassign/", views.lead_reassign, name="reassign"),
    path("<int:pk>/<str:name>/", views.lead_transition, name="transition"),
]
