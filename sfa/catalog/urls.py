from django.urls import path

from sfa.catalog import line_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_edit, name="create"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    # The lines editor of document forms (sfa.catalog.line_views).
    path("lines/row/", line_views.line_row, name="line-row"),
    path("lines/product/", line_views.pick_product, name="pick-product"),
    path("lines/preview/", line_views.preview, name="lines-preview"),
]
