"""The staff menu. Apps add entries from their ``AppConfig.ready()`` with :func:`register`."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None
    order: int = 100


_ITEMS: list[MenuItem] = []


def register(item: MenuItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)


def menu_for(user, path: str) -> list[dict]:
    """The user's entries; the one whose URL is the longest prefix of ``path`` is active
    (``/tickets/statistics/`` marks "Support statistics", not "Tickets" too)."""
    items = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "active": False})
    matches = [
        i for i in items if (path == i["url"] if i["url"] == "/" else path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items


def search_providers():
    return list(_SEARCH)


_SEARCH: list = []


def register_search(provider) -> None:
    """``provider(user, text, limit) -> (heading, [(label, detail, url), ...])``."""
    if provider not in _SEARCH:
        _SEARCH.append(provider)
