"""The "Quotes" section of the customer portal (registered in ``quotes.apps``)."""
