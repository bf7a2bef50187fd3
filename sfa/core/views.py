from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from sfa.core.access import is_portal_user
from sfa.core.navigation import search_providers


class StaffLoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        if is_portal_user(self.request.user):
            return reverse("portal:home")
        return super().get_success_url()


@login_required
@require_GET
def global_search(request):
    """Results as you type across customers, contacts, products and every module."""
    text = request.GET.get("q", "").strip()
    groups = []
    if len(text) >= 2:
        for provider in search_providers():
            heading, rows = provider(request.user, text, 6)
            if rows:
                groups.append({"heading": heading, "rows": rows})
    template = "core/partials/search_results.html" if request.htmx else "core/search.html"
    return render(request, template, {"q": text, "groups": groups})


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
