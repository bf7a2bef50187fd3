"""Staff UI of the customer base: list, search, 360 page and its tabs."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sfa.core.access import is_portal_user
from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error
from sfa.core.fsm import available_transitions
from sfa.core.lists import filtered_list
from sfa.core.pagination import CappedPaginator
from sfa.customers import exports, selectors, services
from sfa.customers.filters import AccountFilter
from sfa.customers.forms import (
    AccountForm,
    DecisionForm,
    DeletionRequestForm,
    SavedFilterForm,
)
from sfa.customers.models import (
    Account,
    CustomFieldDefinition,
    DeletionRequest,
)
from sfa.customers.tabs import get_tab, tabs_for

LIST_PARAMS = frozenset(AccountFilter.base_filters)
# The list's names before it took the API's (``?q=``, ``?sort=``), still in saved filters and
# bookmarks: read as their new names. name → (new name, {old value: new value}).
LEGACY_PARAMS = {"q": ("search", {}), "sort": ("ordering", {"-updated": "-updated_at"})}


@login_required
def dashboard(request):
    if is_portal_user(request.user):
        return redirect("portal:home")
    user = request.user
    approvals = 0
    if user.has_perm("customers.approve_account_deletion"):
        approvals = (
            selectors.deletion_request_visible_to(user)
            .filter(state=DeletionRequest.State.PENDING)
            .count()
        )
    return render(
        request,
        "customers/dashboard.html",
        {
            "reminders_due": selectors.reminders_due_for(user)[:10],
            "recent_accounts": selectors.account_visible_to(user)
            .select_related("owner")
            .order_by("-updated_at", "-pk")[:8],
            "pending_deletions": approvals,
        },
    )


def special_filters(params) -> list[dict]:
    """The special fields as filter inputs, with the values currently asked for."""
    rows = []
    for definition in CustomFieldDefinition.objects.filter(is_active=True):
        name = f"cf_{definition.key}"
        rows.append(
            {
                "definition": definition,
                "name": name,
                "value": params.get(name, ""),
                "min": params.get(f"{name}_min", ""),
                "max": params.get(f"{name}_max", ""),
            }
        )
    return rows


def list_params(request):
    """The list's parameters, the legacy names read as the API's."""
    params = request.GET.copy()
    for old, (new, values) in LEGACY_PARAMS.items():
        if old in params:
            renamed = [values.get(value, value) for value in params.pop(old)]
            if new not in params:
                params.setlist(new, renamed)
    return params


def _filtered_accounts(request):
    """The filter form and the customers: the API's parameters and read path, active
    customers unless a status is asked for."""
    params = list_params(request)
    if "status" not in params:
        params["status"] = Account.Status.ACTIVE
    return filtered_list(selectors.account_list, AccountFilter, user=request.user, params=params)


@login_required
@permission_required("customers.view_account", raise_exception=True)
@require_GET
def account_list(request):
    form, queryset = _filtered_accounts(request)
    page = CappedPaginator(queryset, 25).get_page(request.GET.get("page"))
    params = list_params(request)
    query = {k: v for k, v in params.lists() if k in LIST_PARAMS or k.startswith("cf_")}
    context = {
        "filter_form": form,
        "params": params,
        "page": page,
        "query": urlencode(query, doseq=True),
        "saved_filters": selectors.saved_filter_visible_to(request.user),
        "special_filters": special_filters(request.GET),
        "save_form": SavedFilterForm(initial={"query": urlencode(query, doseq=True)}),
    }
    if request.htmx and request.htmx.target == "account-results":
        return render(request, "customers/partials/account_results.html", context)
    return render(request, "customers/account_list.html", context)


@login_required
@permission_required("customers.export_account", raise_exception=True)
@require_GET
def account_export(request, fmt: str):
    _filter, queryset = _filtered_accounts(request)
    return exports.accounts_response(queryset, fmt)


@login_required
@require_POST
def saved_filter_save(request):
    form = SavedFilterForm(request.POST)
    saved = None
    if form.is_valid():
        try:
            saved = services.saved_filter_save(actor=request.user, **form.cleaned_data)
        except DomainError:  # a name of blanks
            pass
    if saved is None:
        messages.error(request, "Give the filter a name.")
    else:
        messages.success(request, f"Filter “{saved.name}” saved.")
    return redirect(f"{reverse('customers:list')}?{form.data.get('query', '')}")


@login_required
@require_POST
def saved_filter_delete(request, pk: int):
    saved = get_object_or_404(selectors.saved_filter_visible_to(request.user), pk=pk)
    services.saved_filter_delete(actor=request.user, saved_filter=saved)
    messages.success(request, "Saved filter removed.")
    return redirect("customers:list")


@login_required
@permission_required("customers.add_account", raise_exception=True)
def account_create(request):
    form = AccountForm(
        request.POST or None, initial={"owner": request.user, "branch": request.user.branch}
    )
    if request.method == "POST" and form.is_valid():
        # Blank owner / branch fall back to the service's defaults (the user and their branch):
        # a rep must not create a customer nobody owns, which they then could not open.
        data = {k: v for k, v in form.cleaned_data.items() if k != "types" and v is not None}
        try:
            account = services.account_create(
                actor=request.user, data=data, types=form.cleaned_data["types"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Customer {account.code} created.")
            return redirect(account_url(account, "special"))
    return render(request, "customers/account_form.html", {"form": form}, status=form_status(form))


@login_required
@permission_required("customers.change_account", raise_exception=True)
def account_edit(request, pk: int):
    account = visible_account_or_404(request, pk)
    form = AccountForm(
        request.POST or None, instance=selectors.account_visible_to(request.user).get(pk=account.pk)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data if k != "types"}
        types = form.cleaned_data["types"] if "types" in form.changed_data else None
        try:
            services.account_update(account=account, actor=request.user, data=data, types=types)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Customer saved.")
            return redirect(account_url(account))
    context = {"form": form, "account": account}
    return render(request, "customers/account_form.html", context, status=form_status(form))


def form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def visible_account_or_404(request, pk: int) -> Account:
    return get_object_or_404(
        selectors.with_list_relations(selectors.account_visible_to(request.user)), pk=pk
    )


def account_url(account: Account, tab: str = "main") -> str:
    return reverse("customers:detail", args=[account.pk]) + (f"?tab={tab}" if tab != "main" else "")


@login_required
@permission_required("customers.view_account", raise_exception=True)
@require_GET
def account_detail(request, pk: int):
    account = visible_account_or_404(request, pk)
    tab = get_tab(request.user, request.GET.get("tab", "main")) or get_tab(request.user, "main")
    context = tab_context(request, account, tab)
    if request.htmx and request.htmx.target == "tab-panel":
        return render(request, tab.template, context)
    return render(request, "customers/account_detail.html", context)


def tab_context(request, account: Account, tab, **extra) -> dict:
    context = {
        "account": account,
        "tab": tab,
        "tabs": [
            (t, t.count(request, account) if t.count else None) for t in tabs_for(request.user)
        ],
        "transitions": available_transitions(account, request.user),
        "can_change": request.user.has_perm("customers.change_account"),
    }
    context.update(tab.context(request, account))
    context.update(extra)
    return context


def render_tab(request, account: Account, key: str, status: int = 200, **forms):
    tab = get_tab(request.user, key)
    context = tab_context(request, account, tab, **forms)
    template = tab.template if request.htmx else "customers/account_detail.html"
    return render(request, template, context, status=status)


def after_tab_post(request, account: Account, key: str, message: str):
    messages.success(request, message)
    if request.htmx:
        return render_tab(request, account, key)
    return redirect(account_url(account, key))


@login_required
@require_POST
def account_transition(request, pk: int, name: str):
    account = visible_account_or_404(request, pk)
    service = {"archive": services.account_archive, "restore": services.account_restore}.get(name)
    if service is None:
        raise Http404
    try:
        service(account=account, actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"Customer {name}d.")
    return redirect(account_url(account))


@login_required
@permission_required("customers.add_deletionrequest", raise_exception=True)
def account_request_deletion(request, pk: int):
    account = visible_account_or_404(request, pk)
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_request_deletion(
                account=account, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, "Deletion requested; a manager will decide.")
        return redirect(account_url(account))
    return render(
        request, "customers/deletion_request_form.html", {"form": form, "account": account}
    )


# Lists outside a customer --------------------------------------------------------------------


@login_required
@require_GET
def reminders(request):
    """My reminders: due today or earlier first, then upcoming."""
    mine = (
        selectors.reminder_visible_to(request.user)
        .filter(assignee=request.user)
        .select_related("account", "contact")
        .prefetch_related("regarding")
    )
    return render(
        request,
        "customers/reminders.html",
        {
            "due": mine.filter(selectors.reminders_due_q()).order_by("due_date", "pk"),
            "upcoming": mine.filter(is_done=False)
            .exclude(selectors.reminders_due_q())
            .order_by("due_date", "pk")[:50],
        },
    )


@login_required
@require_GET
def deletion_requests(request):
    queryset = selectors.deletion_request_visible_to(request.user).select_related(
        "requested_by", "decided_by", "account"
    )
    return render(
        request,
        "customers/deletion_requests.html",
        {
            "pending": queryset.filter(state=DeletionRequest.State.PENDING),
            "decided": queryset.exclude(state=DeletionRequest.State.PENDING)[:50],
            "form": DecisionForm(),
            "can_decide": request.user.has_perm("customers.approve_account_deletion"),
        },
    )


@login_required
@permission_required("customers.approve_account_deletion", raise_exception=True)
@require_POST
def deletion_request_decide(request, pk: int, decision: str):
    deletion = get_object_or_404(selectors.deletion_request_visible_to(request.user), pk=pk)
    service = {
        "approve": services.deletion_request_approve,
        "reject": services.deletion_request_reject,
    }.get(decision)
    if service is None:
        raise Http404
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service(request=deletion, actor=request.user, note=note)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"Deletion of {deletion.account_label} {decision}d.")
    return redirect("customers:deletion-requests")


def account_search_provider(user, text: str, limit: int):
    if not user.has_perm("customers.view_account"):
        return "Customers", []
    accounts = selectors.account_search(selectors.account_visible_to(user), text).order_by(
        "status", "search_rank", "name", "pk"
    )[:limit]
    return "Customers", [
        (
            f"{a.code} · {a.name}",
            ", ".join(p for p in [a.city, a.email] if p),
            reverse("customers:detail", args=[a.pk]),
        )
        for a in accounts
    ]


def contact_search_provider(user, text: str, limit: int):
    if not user.has_perm("customers.view_contact"):
        return "Contacts", []
    contacts = (
        selectors.contact_quick_find(selectors.contact_visible_to(user), text)
        .select_related("account")
        .filter(is_active=True)[:limit]
    )
    return "Contacts", [
        (c.full_name, f"{c.email} · {c.account.name}", account_url(c.account, "contacts"))
        for c in contacts
    ]


@login_required
@permission_required("customers.view_account", raise_exception=True)
@require_GET
def pick_customer(request):
    """The customer picker of every document form (enquiry, opportunity, quote, ticket):
    customers matching the typed text, or the chosen one with its active contacts."""
    if "account" in request.GET:
        account = None
        if request.GET["account"].isdigit():
            account = get_object_or_404(
                selectors.account_visible_to(request.user), pk=request.GET["account"]
            )
        contacts = account.contacts.filter(is_active=True) if account is not None else []
        response = render(
            request,
            "customers/partials/customer_picker.html",
            {"account": account, "contacts": contacts, "contact_id": ""},
        )
        response["HX-Trigger-After-Swap"] = "lines-changed"  # line prices depend on the customer
        return response
    text = request.GET.get("customer_q", "").strip()
    matches = []
    if len(text) >= 2:
        matches = selectors.account_search(selectors.account_visible_to(request.user), text)[:10]
    return render(
        request, "customers/partials/customer_matches.html", {"matches": matches, "text": text}
    )
