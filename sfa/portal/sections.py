"""The sections of the customer portal: each module contributes its pages; the shell hosts them.

A module registers its section from its ``AppConfig.ready()`` without the portal importing it::

    from sfa.portal.sections import PortalSection, register_section
    register_section(PortalSection(key="tickets", label="Tickets", urls="tickets.portal.urls",
                                   order=10, home_template="tickets/portal/_home.html"))

The portal mounts the URL module at ``/portal/<key>/`` inside its ``portal`` namespace, so
the module's URL names are reversed as ``portal:<name>`` (``portal:ticket``). The menu links
``portal:<url_name>`` (the key unless given); the overview includes ``home_template``. A
contact for whom ``visible(contact)`` is false sees neither, and the section's pages are 404
to them. The portal login applies to every page of a section.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

# The shell's own first path segments: a section cannot take them over.
RESERVED_KEYS = frozenset({"login", "logout", "profile", "password-reset"})


def _everyone(contact) -> bool:
    return True


@dataclass(frozen=True)
class PortalSection:
    key: str  # the path segment under /portal/ and the section's name
    label: str  # the menu entry
    urls: str  # dotted path of the section's URL module (a flat ``urlpatterns``)
    order: int = 100
    visible: Callable = field(default=_everyone)  # visible(contact) -> bool
    url_name: str = ""  # the page the menu links (``portal:<url_name>``); default: the key
    home_template: str | None = None  # a paragraph for the overview page

    @property
    def menu_url_name(self) -> str:
        return f"portal:{self.url_name or self.key}"


_SECTIONS: dict[str, PortalSection] = {}


def register_section(section: PortalSection) -> None:
    if section.key in RESERVED_KEYS or not section.key or "/" in section.key:
        raise ImproperlyConfigured(f"A portal section cannot be called {section.key!r}.")
    _SECTIONS[section.key] = section


def all_sections() -> list[PortalSection]:
    """Every registered section in menu order, whoever looks (the portal's URLs)."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.label))


def sections_for(contact) -> list[PortalSection]:
    """The sections this portal contact sees, in menu order (none without a contact)."""
    if contact is None:
        return []
    return [s for s in all_sections() if s.visible(contact)]
