"""``{% record_panels record [slot] %}``: the panels other modules registered for the record's
page (``sfa.core.panels``), rendered in order."""

from django import template
from django.utils.safestring import mark_safe

from sfa.core.panels import panel_contexts

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context, record, slot: str = "main"):
    """Render like ``{% include %}``: each panel's template with the page's context, plus
    ``record``, ``panel`` and the panel's own context."""
    parts = []
    for panel, extra in panel_contexts(context.request, record, slot):
        found = context.template.engine.get_template(panel.template)
        with context.push(record=record, panel=panel, **extra):
            parts.append(found.render(context))
    return mark_safe("".join(parts))  # rendered (and escaped) by the templates
