"""The article list's parameters, the same for the staff list and the API
(docs/api-filters.md)."""

import django_filters
from django import forms

from knowledgebase.models import Article, Category
from sfa.core.filters import ListFilterSet, ListOrdering


def category_and_descendants(category: Category) -> list[int]:
    """The ids of the category and of every category below it."""
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        ids.extend(pk for pk in frontier if pk not in ids)
    return ids


class ArticleFilter(ListFilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=Article.State.choices, widget=forms.CheckboxSelectMultiple
    )
    visibility = django_filters.ChoiceFilter(choices=Article.Visibility.choices, empty_label="Any")
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        method="filter_category",
        help_text="Articles in this category or in one below it.",
    )
    tag = django_filters.CharFilter(
        field_name="tags__slug", distinct=True, help_text="A tag's slug."
    )
    ordering = ListOrdering(
        fields=("published_at", "title", "view_count", "created_at", "updated_at")
    )

    # without ?ordering=: the best match first for a search, else the newest published
    default_ordering = ("-published_at", "-pk")

    class Meta:
        model = Article
        fields = ["state", "visibility", "category", "tag"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(category__in=category_and_descendants(value))
