"""What opportunities add to other modules' record pages (``sfa.core.panels``, registered in
``OpportunitiesConfig.ready()``): the "Convert…" button of a qualified enquiry."""

from sfa.core.fsm import available_transitions


def lead_convert_action(request, lead) -> dict | None:
    """The conversion page (``opportunities:convert-lead``) when the user may convert it."""
    return {} if "convert" in available_transitions(lead, request.user) else None
