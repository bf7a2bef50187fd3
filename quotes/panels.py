"""What quotes add to other modules' record pages (``sfa.core.panels``, registered in
``QuotesConfig.ready()``): an opportunity's quotes and its "New quote" button."""

from quotes import selectors


def opportunity_quotes(request, deal) -> dict:
    """The deal's quotes the user sees, newest first: one query."""
    quotes = (
        selectors.quote_visible_to(request.user)
        .filter(opportunity=deal)
        .select_related("owner")
        .order_by("-issue_date", "-pk")
    )
    return {"quotes": quotes}


def opportunity_new_quote(request, deal) -> dict | None:
    """A draft quote from the deal (``quotes:create?opportunity=``), while it is open."""
    return {} if deal.is_open else None
