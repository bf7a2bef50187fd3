"""Staff UI of the knowledge base: list and search, editor with a preview, detail with the
review workflow, revisions and attachments. Reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knowledgebase import selectors, services
from knowledgebase.filters import ArticleFilter
from knowledgebase.forms import ArticleForm, AttachmentForm
from knowledgebase.models import Article, ArticleAttachment
from knowledgebase.rendering import render_markdown
from sfa.core.exceptions import DomainError
from sfa.core.forms import apply_domain_error
from sfa.core.fsm import available_transitions, transition_history
from sfa.core.lists import filtered_list, list_page

LIST_PARAMS = frozenset(ArticleFilter.base_filters)
TRANSITIONS = {
    "submit": (services.article_submit, "Submit for review"),
    "publish": (services.article_publish, "Publish"),
    "archive": (services.article_archive, "Archive"),
    "restore": (services.article_restore, "Restore to draft"),
}


def visible_article_or_404(request, pk: int) -> Article:
    queryset = selectors.with_list_relations(selectors.article_visible_to(request.user))
    return get_object_or_404(queryset, pk=pk)


def article_search_provider(user, text: str, limit: int):
    if not user.has_perm("knowledgebase.view_article"):
        return "Knowledge base", []
    found = selectors.article_search(selectors.article_visible_to(user), text)[:limit]
    return "Knowledge base", [
        (a.title, a.get_state_display(), reverse("knowledgebase:detail", args=[a.pk]))
        for a in found.select_related("category")
    ]


@login_required
@permission_required("knowledgebase.view_article", raise_exception=True)
@require_GET
def article_list(request):
    form, articles = filtered_list(
        selectors.article_list, ArticleFilter, user=request.user, params=request.GET
    )
    page, query = list_page(request, articles, params=LIST_PARAMS)
    text = request.GET.get("search", "").strip()
    for article in page:
        article.snippet = selectors.snippet_of(article, text) if text else ""
    context = {"filter_form": form, "page": page, "query": query}
    return render(request, "knowledgebase/article_list.html", context)


def _editor(request, form, article=None, status=200):
    preview = None
    if form.is_bound and form.data.get("body") is not None:
        preview = render_markdown(form.data.get("body", ""))
    context = {"form": form, "article": article, "preview": preview}
    return render(request, "knowledgebase/article_form.html", context, status=status)


def _save(request, form, article=None):
    """Validate and save, or answer with the editor (``preview`` only renders)."""
    if "preview" in request.POST:
        form.is_valid()
        return _editor(request, form, article)
    if not form.is_valid():
        return _editor(request, form, article, status=400)
    data, tags = form.service_args()
    try:
        if article is None:
            article = services.article_create(actor=request.user, data=data, tags=tags)
        else:
            article = services.article_update(
                article=article, actor=request.user, data=data, tags=tags
            )
    except DomainError as error:
        apply_domain_error(form, error)
        return _editor(request, form, article, status=error.status)
    messages.success(request, f"“{article.title}” saved.")
    return redirect("knowledgebase:detail", pk=article.pk)


@login_required
@permission_required("knowledgebase.add_article", raise_exception=True)
@require_http_methods(["GET", "POST"])
def article_create(request):
    if request.method == "POST":
        return _save(request, ArticleForm(request.POST))
    return _editor(request, ArticleForm())


@login_required
@permission_required("knowledgebase.change_article", raise_exception=True)
@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int):
    article = visible_article_or_404(request, pk)
    if request.method == "POST":
        return _save(request, ArticleForm(request.POST), article)
    return _editor(request, ArticleForm(initial=ArticleForm.initial_for(article)), article)


def detail_context(request, article: Article, **extra) -> dict:
    names = available_transitions(article, request.user)
    if article.author_id == request.user.pk and "publish" in names:
        names.remove("publish")  # another reviewer publishes
    return {
        "article": article,
        "transitions": [(name, TRANSITIONS[name][1]) for name in names if name in TRANSITIONS],
        "revisions": selectors.revisions_of(article),
        "log_entries": transition_history(article),
        "attachments": article.attachments.all(),
        "attachment_form": extra.pop("attachment_form", AttachmentForm()),
        "related": selectors.related_articles(article, user=request.user),
        "linked_records": selectors.article_links(article, user=request.user),
        "can_edit": request.user.has_perm("knowledgebase.change_article")
        and article.state != Article.State.ARCHIVED,
        **extra,
    }


@login_required
@permission_required("knowledgebase.view_article", raise_exception=True)
@require_GET
def article_detail(request, pk: int):
    article = visible_article_or_404(request, pk)
    return render(request, "knowledgebase/article_detail.html", detail_context(request, article))


@login_required
@permission_required("knowledgebase.view_article", raise_exception=True)
@require_POST
def article_transition(request, pk: int, name: str):
    article = visible_article_or_404(request, pk)
    if name not in TRANSITIONS:
        raise Http404
    service, label = TRANSITIONS[name]
    try:
        service(article=article, actor=request.user, note=request.POST.get("note", "").strip())
    except DomainError as error:
        messages.error(request, error.detail)
        article = visible_article_or_404(request, pk)
        context = detail_context(request, article)
        return render(request, "knowledgebase/article_detail.html", context, status=error.status)
    messages.success(request, f"“{article.title}”: {label.lower()} done.")
    if name == "archive" and not request.user.has_perm("knowledgebase.archive_article"):
        return redirect("knowledgebase:list")
    return redirect("knowledgebase:detail", pk=article.pk)


@login_required
@permission_required("knowledgebase.view_article", raise_exception=True)
@require_GET
def revision_detail(request, pk: int, number: int):
    article = visible_article_or_404(request, pk)
    revision = get_object_or_404(selectors.revisions_of(article), number=number)
    context = {"article": article, "revision": revision, "html": render_markdown(revision.body)}
    return render(request, "knowledgebase/revision_detail.html", context)


@login_required
@permission_required("knowledgebase.add_articleattachment", raise_exception=True)
@require_POST
def attachment_upload(request, pk: int):
    article = visible_article_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(article=article, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Attachment added.")
            return redirect("knowledgebase:detail", pk=article.pk)
    context = detail_context(request, article, attachment_form=form)
    return render(request, "knowledgebase/article_detail.html", context, status=400)


def attachment_response(attachment: ArticleAttachment) -> FileResponse:
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename
    )


@login_required
@permission_required("knowledgebase.view_article", raise_exception=True)
@require_GET
def attachment_download(request, pk: int, attachment_pk: int):
    article = visible_article_or_404(request, pk)
    return attachment_response(get_object_or_404(article.attachments, pk=attachment_pk))
