"""Staff page of the web lead forms: their links, embed snippets and how they perform.

Forms are built in the admin (``leads.admin.WebFormAdmin``); this page is where marketing
copies a link or snippet and sees what each form brings in.
"""

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from leads import selectors
from leads.webforms import embed_code, webform_url


@login_required
@permission_required("leads.view_webform", raise_exception=True)
def web_form_list(request):
    since = timezone.now() - datetime.timedelta(days=30)
    forms = list(selectors.web_forms_with_figures(since))
    for form in forms:
        form.url = webform_url(form)
        form.embed = embed_code(form)
    return render(request, "leads/web_forms.html", {"web_forms": forms})
