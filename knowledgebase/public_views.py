"""The public knowledge base: browsable and searchable without login.

Only published public articles exist here (``selectors.public_articles``); an internal or
unpublished article is a 404 whoever asks, staff included (they use /knowledgebase/).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from knowledgebase import selectors, services
from knowledgebase.filters import category_and_descendants
from knowledgebase.forms import VoteForm
from knowledgebase.models import Article, Category
from knowledgebase.views import attachment_response

PAGE_SIZE = 20


def _article_or_404(slug: str) -> Article:
    queryset = selectors.with_list_relations(selectors.public_articles())
    return get_object_or_404(queryset.prefetch_related("attachments"), slug=slug)


@require_GET
def kb_home(request):
    text = request.GET.get("q", "").strip()[:200]
    articles = selectors.with_list_relations(selectors.public_articles())
    category = None
    if request.GET.get("category"):
        category = get_object_or_404(Category, slug=request.GET["category"])
        articles = articles.filter(category__in=category_and_descendants(category))
    if text:
        articles = selectors.article_search(articles, text)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    for article in page:
        article.snippet = selectors.snippet_of(article, text) if text else ""
    query = {k: v for k, v in (("q", text), ("category", request.GET.get("category"))) if v}
    context = {
        "categories": selectors.category_tree(selectors.public_articles()),
        "category": category,
        "text": text,
        "page": page,
        "query": urlencode(query),
        "popular": []
        if text or category
        else selectors.public_articles().order_by("-view_count")[:5],
    }
    return render(request, "knowledgebase/public/home.html", context)


@require_GET
def kb_article(request, slug: str):
    article = _article_or_404(slug)
    services.article_record_view(article=article)
    article.view_count += 1
    context = {
        "article": article,
        "related": selectors.related_articles(article),
        "vote_form": VoteForm(),
        "voted": request.session.get(f"kb_voted_{article.pk}"),
        "categories": selectors.category_tree(selectors.public_articles()),
    }
    return render(request, "knowledgebase/public/article.html", context)


@require_POST
def kb_vote(request, slug: str):
    article = _article_or_404(slug)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose yes or no.")
        return redirect("kb:article", slug=slug)
    helpful = form.cleaned_data["helpful"]
    user = request.user if request.user.is_authenticated else None
    if user is None and not request.session.session_key:
        request.session.save()
    services.article_vote(
        article=article, helpful=helpful, user=user, session_key=request.session.session_key or ""
    )
    request.session[f"kb_voted_{article.pk}"] = "yes" if helpful else "no"
    messages.success(request, "Thank you for your feedback.")
    return redirect("kb:article", slug=slug)


@require_GET
def kb_attachment(request, slug: str, attachment_pk: int):
    article = _article_or_404(slug)
    return attachment_response(get_object_or_404(article.attachments, pk=attachment_pk))
