"""The "Tickets" section of the customer portal (registered in ``tickets.apps``)."""
