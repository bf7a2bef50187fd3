"""Staff UI: the actions of the customer 360 tabs (forms that answer with the tab)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error
from sfa.customers import selectors, services
from sfa.customers.forms import (
    ActivityForm,
    ContactForm,
    ContractForm,
    CustomFieldsForm,
    DocumentForm,
    ReminderForm,
    ShareForm,
    ShipToEditForm,
    ShipToForm,
)
from sfa.customers.models import (
    AccountShare,
    Contact,
    ShipToAddress,
)
from sfa.customers.views import (
    account_url,
    after_tab_post,
    form_status,
    render_tab,
    visible_account_or_404,
)


def _tab_form_post(request, pk, *, key, perm, form, save, message):
    """The common shape of a tab form: validate, call the service, answer with the tab."""
    account = visible_account_or_404(request, pk)
    if not request.user.has_perm(perm):
        messages.error(request, "You may not change this.")
        return render_tab(request, account, key, status=403)
    bound = form(account)
    status = 400
    if bound.is_valid():
        try:
            save(account, bound)
        except DomainError as error:
            apply_domain_error(bound, error)
            status = error.status
        else:
            return after_tab_post(request, account, key, message)
    return render_tab(request, account, key, status=status, form=bound)


@login_required
@require_POST
def custom_fields_save(request, pk: int):
    def save(account, form):
        services.account_update(
            account=account, actor=request.user, data={"custom_fields": form.values()}
        )

    return _tab_form_post(
        request,
        pk,
        key="special",
        perm="customers.change_account",
        form=lambda account: CustomFieldsForm(request.POST, account=account),
        save=save,
        message="Special fields saved.",
    )


@login_required
@require_POST
def share_add(request, pk: int):
    def save(account, form):
        services.account_share(
            account=account,
            actor=request.user,
            user=form.cleaned_data["user"],
            team=form.cleaned_data["team"],
        )

    return _tab_form_post(
        request,
        pk,
        key="main",
        perm="customers.change_account",
        form=lambda account: ShareForm(request.POST, account=account),
        save=save,
        message="Shared.",
    )


@login_required
@require_POST
def share_remove(request, pk: int, share_pk: int):
    account = visible_account_or_404(request, pk)
    share = get_object_or_404(AccountShare, pk=share_pk, account=account)
    try:
        services.account_unshare(share=share, actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
        return render_tab(request, account, "main", status=error.status)
    return after_tab_post(request, account, "main", "No longer shared.")


@login_required
@require_POST
def ship_to_add(request, pk: int):
    def save(account, form):
        address = form.instance  # the cleaned data, saved by the service
        address.account = account
        services.ship_to_save(actor=request.user, address=address)

    return _tab_form_post(
        request,
        pk,
        key="ship-to",
        perm="customers.add_shiptoaddress",
        form=lambda account: ShipToForm(request.POST),
        save=save,
        message="Ship-to address added.",
    )


@login_required
@require_POST
def ship_to_make_default(request, pk: int, address_pk: int):
    account = visible_account_or_404(request, pk)
    address = get_object_or_404(ShipToAddress, pk=address_pk, account=account)
    if request.user.has_perm("customers.change_shiptoaddress"):
        address.is_default = True
        services.ship_to_save(actor=request.user, address=address)
        return after_tab_post(request, account, "ship-to", f"“{address.label}” is the default.")
    return render_tab(request, account, "ship-to", status=403)


@login_required
@require_POST
def contact_add(request, pk: int):
    def save(account, form):
        contact = form.instance
        contact.account = account
        services.contact_save(actor=request.user, contact=contact)

    return _tab_form_post(
        request,
        pk,
        key="contacts",
        perm="customers.add_contact",
        form=lambda account: ContactForm(request.POST),
        save=save,
        message="Contact added.",
    )


def _edit_child(request, pk: int, *, queryset, child_pk, form_class, perm, save, tab, noun):
    """A full-page edit form for one record of a customer (contact, ship-to address)."""
    account = visible_account_or_404(request, pk)
    record = get_object_or_404(queryset, pk=child_pk, account=account)
    if not request.user.has_perm(perm):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{noun} saved.")
            return redirect(account_url(account, tab))
    context = {
        "form": form,
        "account": account,
        "noun": noun,
        "record": record,
        "back": account_url(account, tab),
    }
    return render(request, "customers/child_form.html", context, status=form_status(form))


@login_required
def contact_edit(request, pk: int, contact_pk: int):
    return _edit_child(
        request,
        pk,
        queryset=selectors.contact_visible_to(request.user),
        child_pk=contact_pk,
        form_class=ContactForm,
        perm="customers.change_contact",
        tab="contacts",
        noun="Contact",
        save=lambda contact: services.contact_save(actor=request.user, contact=contact),
    )


@login_required
def ship_to_edit(request, pk: int, address_pk: int):
    return _edit_child(
        request,
        pk,
        queryset=selectors.ship_to_visible_to(request.user),
        child_pk=address_pk,
        form_class=ShipToEditForm,
        perm="customers.change_shiptoaddress",
        tab="ship-to",
        noun="Ship-to address",
        save=lambda address: services.ship_to_save(actor=request.user, address=address),
    )


@login_required
@require_POST
def contact_archive(request, pk: int, contact_pk: int):
    account = visible_account_or_404(request, pk)
    contact = get_object_or_404(Contact, pk=contact_pk, account=account)
    if not request.user.has_perm("customers.change_contact"):
        return render_tab(request, account, "contacts", status=403)
    services.contact_archive(actor=request.user, contact=contact)
    return after_tab_post(request, account, "contacts", f"{contact} archived.")


@login_required
@require_POST
def reminder_add(request, pk: int):
    def save(account, form):
        data = form.cleaned_data
        services.reminder_create(
            actor=request.user,
            account=account,
            subject=data["subject"],
            due_date=data["due_date"],
            assignee=data["assignee"],
            contact=data["contact"],
            notes=data["notes"],
        )

    return _tab_form_post(
        request,
        pk,
        key="reminders",
        perm="customers.add_reminder",
        form=lambda account: ReminderForm(request.POST, account=account),
        save=save,
        message="Reminder added.",
    )


@login_required
@require_POST
def reminder_toggle(request, reminder_pk: int):
    reminder = get_object_or_404(selectors.reminder_visible_to(request.user), pk=reminder_pk)
    if reminder.assignee_id != request.user.pk and not request.user.has_perm(
        "customers.change_reminder"
    ):
        return HttpResponse(status=403)
    services.reminder_set_done(actor=request.user, reminder=reminder, done=not reminder.is_done)
    if request.GET.get("from") == "account" and reminder.account_id:
        return after_tab_post(request, reminder.account, "reminders", "Reminder updated.")
    messages.success(request, "Reminder updated.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("customers:reminders")
    return redirect(next_url)


@login_required
@require_POST
def activity_add(request, pk: int):
    def save(account, form):
        data = form.cleaned_data
        services.activity_log(actor=request.user, account=account, **data)

    return _tab_form_post(
        request,
        pk,
        key="activities",
        perm="customers.add_activity",
        form=lambda account: ActivityForm(request.POST, account=account),
        save=save,
        message="Activity logged.",
    )


@login_required
@require_POST
def document_upload(request, pk: int):
    def save(account, form):
        services.document_upload(
            actor=request.user,
            account=account,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )

    return _tab_form_post(
        request,
        pk,
        key="documents",
        perm="customers.add_document",
        form=lambda account: DocumentForm(request.POST, request.FILES),
        save=save,
        message="Document uploaded.",
    )


@login_required
@require_GET
def document_download(request, document_pk: int):
    document = get_object_or_404(selectors.document_visible_to(request.user), pk=document_pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@login_required
@require_POST
def contract_add(request, pk: int):
    def save(account, form):
        contract = form.instance
        contract.account = account
        services.contract_save(
            actor=request.user, contract=contract, upload=form.cleaned_data.get("file")
        )

    return _tab_form_post(
        request,
        pk,
        key="contracts",
        perm="customers.add_contract",
        form=lambda account: ContractForm(request.POST, request.FILES),
        save=save,
        message="Contract added.",
    )


@login_required
@require_GET
def contract_download(request, contract_pk: int):
    contract = get_object_or_404(selectors.contract_visible_to(request.user), pk=contract_pk)
    if not contract.file:
        raise Http404
    return FileResponse(
        contract.file.open("rb"), as_attachment=True, filename=contract.file.name.rsplit("/", 1)[-1]
    )
