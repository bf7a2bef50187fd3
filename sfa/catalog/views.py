from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from sfa.catalog import selectors
from sfa.catalog.filters import ProductFilter
from sfa.catalog.forms import PriceCheckForm, ProductForm
from sfa.catalog.models import PriceListItem, ProductCategory
from sfa.catalog.services import product_save, resolve_price
from sfa.core.lists import filtered_list, list_page
from sfa.customers.selectors import account_visible_to


@login_required
@permission_required("catalog.view_product", raise_exception=True)
@require_GET
def product_list(request):
    """The API's parameters and read path; active products unless ``is_active`` is given
    (empty: all of them)."""
    params = request.GET.copy()
    params.setdefault("is_active", "true")
    _form, products = filtered_list(
        selectors.product_list, ProductFilter, user=request.user, params=params
    )
    page, query = list_page(request, products, params=frozenset(ProductFilter.base_filters))
    context = {
        "page": page,
        "query": query,
        "params": params,
        "categories": ProductCategory.objects.all(),
    }
    if request.htmx and request.htmx.target == "product-results":
        return render(request, "catalog/partials/product_results.html", context)
    return render(request, "catalog/product_list.html", context)


@login_required
@permission_required("catalog.view_product", raise_exception=True)
@require_GET
def product_detail(request, pk: int):
    product = get_object_or_404(
        selectors.product_visible_to(request.user).select_related("category", "tax_rate"), pk=pk
    )
    form = PriceCheckForm(request.GET or None, accounts=account_visible_to(request.user))
    resolved = None
    if form.is_bound and form.is_valid():
        resolved = resolve_price(
            product=product,
            account=form.cleaned_data["account"],
            quantity=form.cleaned_data["quantity"] or 1,
        )
    items = PriceListItem.objects.filter(product=product).select_related(
        "price_list__customer_group"
    )
    history = product.history.select_related("history_user")[:30]
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "form": form,
            "resolved": resolved,
            "items": items,
            "history": history,
        },
    )


@login_required
def product_edit(request, pk: int | None = None):
    perm = "catalog.change_product" if pk else "catalog.add_product"
    if not request.user.has_perm(perm):
        return render(request, "403.html", status=403)
    product = get_object_or_404(selectors.product_visible_to(request.user), pk=pk) if pk else None
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        product = product_save(actor=request.user, product=form.instance)
        messages.success(request, f"Product {product.code} saved.")
        return redirect("catalog:detail", pk=product.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "catalog/product_form.html", {"form": form, "product": product}, status=status
    )


def product_search_provider(user, text: str, limit: int):
    if not user.has_perm("catalog.view_product"):
        return "Products", []
    products = selectors.product_search(selectors.product_visible_to(user), text)[:limit]
    return "Products", [
        (
            f"{p.code} · {p.name}",
            f"{p.unit_price} {p.currency} / {p.unit}",
            reverse("catalog:detail", args=[p.pk]),
        )
        for p in products
    ]
