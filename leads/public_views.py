"""The public side of web lead forms: the page visitors fill in, on our site or in an iframe.

No login and no CSRF cookie (a third-party iframe often gets no cookies): the signed token in
the form, the honeypot and the rate limit in ``leads.webforms`` take its place.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from leads import webforms
from leads.models import WebForm
from sfa.core.exceptions import InvalidInput, RateLimited


def _active_form(slug: str) -> WebForm:
    form = WebForm.objects.filter(slug=slug, is_active=True).select_related("product_category")
    form = form.first()
    if form is None:
        raise Http404("No such form.")
    return form


def _framing(response: HttpResponse, form: WebForm) -> HttpResponse:
    """Embeddable by the form's listed origins (any site when none are listed)."""
    response.xframe_options_exempt = True
    ancestors = " ".join(["'self'", *form.origins()]) if form.origins() else "*"
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    return response


def _page(request, form: WebForm, template: str, context: dict, status: int = 200):
    context = {"web_form": form, "embed": request.GET.get("embed") == "1", **context}
    return _framing(render(request, template, context, status=status), form)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, slug: str) -> HttpResponse:
    form = _active_form(slug)
    fields = list(form.fields.all())
    form_class = webforms.visitor_form_class(form, fields)
    status = 200
    if request.method == "POST":
        try:
            webforms.submit(form, request.POST, webforms.visitor_of(request))
        except RateLimited as error:
            return _page(request, form, "leads/public/message.html", {"message": error.detail}, 429)
        except InvalidInput as error:
            status = 400
            data = request.POST.copy()
            data[webforms.TOKEN] = webforms.issue_token(form)  # a fresh one for the retry
            visitor_form = form_class(data=data)
            visitor_form.is_valid()
            for name, errors in error.fields.items():
                if name in visitor_form.fields and name not in visitor_form.errors:
                    for text in errors:
                        visitor_form.add_error(name if name != webforms.TOKEN else None, text)
        else:
            if form.redirect_url:
                return redirect(form.redirect_url)
            thanks = reverse("webforms:thanks", args=[form.slug])
            return redirect(f"{thanks}?embed=1" if request.GET.get("embed") == "1" else thanks)
    else:
        visitor_form = form_class(initial={webforms.TOKEN: webforms.issue_token(form)})
    return _page(
        request,
        form,
        "leads/public/form.html",
        {"visitor_form": visitor_form, "honeypot": webforms.HONEYPOT},
        status,
    )


@require_http_methods(["GET"])
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    form = _active_form(slug)
    return _page(request, form, "leads/public/message.html", {"message": form.thank_you_text})
