from rest_framework.filters import SearchFilter


class SelectorSearchFilter(SearchFilter):
    """``?search=`` through the view's ``search_queryset(queryset, text)`` (a selector)."""

    def filter_queryset(self, request, queryset, view):
        search = getattr(view, "search_queryset", None)
        if search is None:
            return super().filter_queryset(request, queryset, view)
        text = request.query_params.get(self.search_param, "").strip()
        return search(queryset, text) if text else queryset

    def get_schema_operation_parameters(self, view):
        if getattr(view, "search_queryset", None) is None and not getattr(
            view, "search_fields", None
        ):
            return []
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": "Words to find (every word must match).",
                "schema": {"type": "string"},
            }
        ]
