"""Pages of a list without counting a large table: the staff lists and the API use it.

Counting every visible row costs as much as reading them (a million tickets: tens of ms per
request, for a number nobody reads exactly). :class:`CappedPaginator` counts at most
:data:`COUNT_CAP` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``); a longer list is
"10,000+" (``is_capped``), and its pages are still reachable: past the cap a page reads one
row more than it shows to know whether another page follows.
"""

import math
from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    count_cap = COUNT_CAP

    @cached_property
    def _counted(self) -> int:
        """Up to one row more than the cap: more than the cap means "cap+"."""
        rows = self.object_list
        if hasattr(rows, "query"):  # unordered: the planner may count from any index
            return rows.order_by()[: self.count_cap + 1].count()
        return len(rows)

    @cached_property
    def count(self) -> int:
        """The number of rows, exact up to ``count_cap``; ``count_cap`` for a longer list."""
        return min(self._counted, self.count_cap)

    @cached_property
    def is_capped(self) -> bool:
        return self._counted > self.count_cap

    @property
    def count_text(self) -> str:
        return f"{self.count:,}+" if self.is_capped else f"{self.count:,}"

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.count - self.orphans)
        return math.ceil(hits / self.per_page) + (1 if self.is_capped else 0)

    def validate_number(self, number) -> int:
        if not self.is_capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.is_capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return OpenEndedPage(
            rows[: self.per_page], number, self, has_more=len(rows) > self.per_page
        )


class OpenEndedPage(Page):
    """A page of a list longer than the count cap: it knows whether another page follows."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
