"""Panels that a module adds to another module's record page.

The page's app does not know them: quotes add the "Quotes" panel and the "New quote" button
to the opportunity page, opportunities the "Convert…" button to an enquiry's (and billing,
later, its panels to quotes and opportunities). Register from ``AppConfig.ready()``::

    from sfa.core.panels import RecordPanel, register_panel
    register_panel(RecordPanel(key="quotes", label="Quotes", model="opportunities.Opportunity",
                               template="quotes/panels/opportunity_quotes.html",
                               context=opportunity_quotes, order=100,
                               permission="quotes.view_quote"))

The record's page shows them where its template says, with ``{% load panels %}``:
``{% record_panels deal %}`` the sections (slot ``"main"``), ``{% record_panels deal "actions"
%}`` the buttons in the page head (slot ``"actions"``).

``context(request, record)`` returns the template's extra context, or ``None`` to leave the
panel out (a closed deal takes no new quote); it reads through the module's selectors, with
the prefetches its template needs. The template sees the page's context (``request``,
``perms``, ``csrf_token``) plus ``record``, ``panel`` and what ``context`` returned.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Model

SLOTS = ("main", "actions")


@dataclass(frozen=True)
class RecordPanel:
    key: str
    label: str
    model: str  # the page's model label, "opportunities.Opportunity"
    template: str
    context: Callable = field(default=lambda request, record: {})
    order: int = 100
    permission: str | None = None
    slot: str = "main"

    def __post_init__(self) -> None:
        if self.slot not in SLOTS:
            raise ValueError(f"Panel {self.key!r}: slot {self.slot!r} is not one of {SLOTS}.")
        if self.model.count(".") != 1:
            raise ValueError(f"Panel {self.key!r}: model {self.model!r} is not app_label.Model.")


_PANELS: dict[tuple[str, str], RecordPanel] = {}


def register_panel(panel: RecordPanel) -> None:
    """Add (or replace, by model and key) a panel of a model's record page."""
    _PANELS[(panel.model.lower(), panel.key)] = panel


def panels_for(user, record: Model, slot: str = "main") -> list[RecordPanel]:
    """The panels of ``record``'s page in ``slot`` that ``user`` may see, in order."""
    model = record._meta.label_lower
    panels = [p for (label, _), p in _PANELS.items() if label == model and p.slot == slot]
    panels.sort(key=lambda p: (p.order, p.label))
    return [p for p in panels if not p.permission or user.has_perm(p.permission)]


def panel_contexts(
    request, record: Model, slot: str = "main"
) -> Iterator[tuple[RecordPanel, dict]]:
    """Each panel to show with its context; panels whose ``context`` says None are left out."""
    for panel in panels_for(request.user, record, slot):
        extra = panel.context(request, record)
        if extra is not None:
            yield panel, extra
