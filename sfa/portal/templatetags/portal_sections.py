"""``{% portal_sections contact as sections %}``: the registered sections the contact sees."""

from django import template

from sfa.portal.sections import sections_for

register = template.Library()


@register.simple_tag
def portal_sections(contact):
    return sections_for(contact)
