"""The tabs of the customer 360 page.

Other apps add theirs from ``AppConfig.ready()`` without this app importing them::

    from sfa.customers.tabs import AccountTab, register_tab
    register_tab(AccountTab(key="quotes", label="Quotes", template="quotes/account_tab.html",
                            context=quotes_for_account, order=210,
                            permission="quotes.view_quote"))

``context(request, account)`` returns the template's extra context; ``count(request, account)``
(optional) the number shown beside the label.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccountTab:
    key: str
    label: str
    template: str
    context: Callable = field(default=lambda request, account: {})
    order: int = 100
    permission: str | None = None
    count: Callable | None = None


_TABS: dict[str, AccountTab] = {}


def register_tab(tab: AccountTab) -> None:
    _TABS[tab.key] = tab


def tabs_for(user) -> list[AccountTab]:
    tabs = sorted(_TABS.values(), key=lambda t: (t.order, t.label))
    return [t for t in tabs if not t.permission or user.has_perm(t.permission)]


def get_tab(user, key: str) -> AccountTab | None:
    return next((t for t in tabs_for(user) if t.key == key), None)
