from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination
from rest_framework.response import Response

from sfa.core.pagination import CappedPaginator


class PageNumberPagination(BasePageNumberPagination):
    """Pages of 25 (``page_size`` up to 200). ``count`` is exact up to 10,000 rows; a longer
    list answers 10,000 with ``count_is_capped: true`` and its pages stay reachable through
    ``next`` (``sfa.core.pagination``)."""

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_capped": self.page.paginator.is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"] = {
            "count": {
                "type": "integer",
                "example": 123,
                "description": "Rows in the list, exact up to 10,000 (then 10,000).",
            },
            "count_is_capped": {
                "type": "boolean",
                "description": "True when the list has more rows than ``count`` says.",
            },
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        return response
