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
    items = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items


def search_providers():
    return list(_SEARCH)


_SEARCH: list = []


def register_search(provider) -> None:
    """``provider(user, text, limit) -> (heading, [(label, detail, url), ...])``."""
    if provider not in _SEARCH:
        _SEARCH.append(provider)
