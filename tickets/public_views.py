"""The customer's rating page, reached from the e-mail sent on resolve (no login)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sfa.core.exceptions import DomainError
from tickets import services


@csrf_exempt  # the signed token in the address authorises; the form works without cookies
@require_http_methods(["GET", "POST"])
def rate(request, token: str):
    ticket = services.ticket_from_rating_token(token)
    if ticket is None:
        raise Http404("This link is not valid.")
    context = {"ticket": ticket, "scores": range(1, 6), "rating": getattr(ticket, "rating", None)}
    if request.method == "POST" and context["rating"] is None:
        try:
            context["rating"] = services.ticket_rate(
                ticket=ticket,
                score=request.POST.get("score"),
                comment=request.POST.get("comment", ""),
            )
            context["thanks"] = True
        except DomainError as error:
            context["error"] = error.detail if not error.fields else "Choose 1 to 5 stars."
            return render(request, "tickets/public/rate.html", context, status=error.status)
    return render(request, "tickets/public/rate.html", context)
