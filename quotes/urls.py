from django.urls import path

from quotes import builder_views, pdf_views, send_views, views

app_name = "quotes"

urlpatterns = [
    path("", views.quote_list, name="list"),
    path("new/", builder_views.quote_create, name="create"),
    path("preview/", builder_views.preview, name="preview"),
    path("line/", builder_views.line_row, name="line-row"),
    path("pick/opportunity/", builder_views.pick_opportunity, name="pick-opportunity"),
    path("text/", builder_views.template_text, name="template-text"),
    path("<int:pk>/", views.quote_detail, name="detail"),
    path("<int:pk>/edit/", builder_views.quote_edit, name="edit"),
    path("<int:pk>/send/", send_views.quote_send_view, name="send"),
    path("<int:pk>/pdf/", pdf_views.quote_pdf, name="pdf"),
    path("<int:pk>/<str:name>/", views.quote_action, name="action"),
]
