"""Knowledge-base articles on other records (tickets) without either app importing the other.

Two small registries meet here:

- the knowledge base registers one **provider** (``register(provider)`` in its
  ``AppConfig.ready()``) that suggests published articles for a text and links articles to
  records;
- apps whose records articles are linked to register a **record type**
  (``register_record_type(...)``): how to find the records a user may see and their URL, so
  the article's page can list them without importing those apps.

Callers use the module functions; with no provider registered they suggest nothing, link
nothing and list nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Suggestion:
    """An article as other apps see it. ``url`` is the staff page; ``public_url`` the absolute
    address customers can open, or None for an internal article. ``snippet`` is safe HTML
    (the matched words in ``<mark>``)."""

    id: int
    title: str
    url: str
    public_url: str | None
    snippet: str = ""

    @property
    def is_public(self) -> bool:
        return self.public_url is not None


class KnowledgeProvider(Protocol):
    def suggest(
        self, text: str, *, user=None, public_only: bool = False, limit: int = 5
    ) -> list[Suggestion]: ...

    def link(self, article_id: int, record: Model, *, actor) -> Suggestion | None: ...

    def unlink(self, article_id: int, record: Model, *, actor) -> bool: ...

    def linked(
        self, record: Model, *, user=None, public_only: bool = False
    ) -> list[Suggestion]: ...


_provider: list[KnowledgeProvider] = []


def register(provider: KnowledgeProvider) -> None:
    """Make ``provider`` the knowledge base (the last registration wins)."""
    _provider[:] = [provider]


def unregister() -> None:
    _provider.clear()


def provider() -> KnowledgeProvider | None:
    return _provider[0] if _provider else None


def is_available() -> bool:
    return bool(_provider)


def suggest(text: str, *, user=None, public_only: bool = False, limit: int = 5) -> list[Suggestion]:
    """Published articles matching ``text``, best first: those ``user`` may read (internal
    ones for staff), or only public ones with ``public_only`` or without a user."""
    if not _provider or not text.strip():
        return []
    return _provider[0].suggest(text, user=user, public_only=public_only, limit=limit)


def link(article_id: int, record: Model, *, actor) -> Suggestion | None:
    """Link a published article ``actor`` may read to ``record`` (once; linking again changes
    nothing). None when there is no such article or no knowledge base."""
    if not _provider:
        return None
    return _provider[0].link(article_id, record, actor=actor)


def unlink(article_id: int, record: Model, *, actor) -> bool:
    """Remove the link; False when there was none."""
    if not _provider:
        return False
    return _provider[0].unlink(article_id, record, actor=actor)


def linked(record: Model, *, user=None, public_only: bool = False) -> list[Suggestion]:
    """The articles linked to ``record`` that ``user`` may read (public ones only with
    ``public_only``), in the order they were linked."""
    if not _provider:
        return []
    return _provider[0].linked(record, user=user, public_only=public_only)


# Record types articles are linked to ---------------------------------------------------------


@dataclass(frozen=True)
class RecordType:
    """``visible_to(user)`` → the records the user may see; ``url(record)`` → its page."""

    model: type[Model]
    label: str
    visible_to: Callable[..., QuerySet]
    url: Callable[[Model], str]


_record_types: dict[str, RecordType] = {}


def register_record_type(
    model: type[Model], *, label: str, visible_to: Callable[..., QuerySet], url: Callable
) -> None:
    _record_types[model._meta.label_lower] = RecordType(model, label, visible_to, url)


def record_type(model: type[Model]) -> RecordType | None:
    return _record_types.get(model._meta.label_lower)


def record_types() -> list[RecordType]:
    return list(_record_types.values())
