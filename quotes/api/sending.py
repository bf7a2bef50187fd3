"""Input of ``POST /api/v1/quotes/<id>/send/``."""

from rest_framework import serializers

from quotes.sending import MESSAGE_MAX_LENGTH
from sfa.customers.fields import VisibleContactField


class QuoteSendInput(serializers.Serializer):
    to = VisibleContactField(many=True, help_text="Contact ids of the quote's customer.")
    cc = VisibleContactField(many=True, required=False, help_text="More contacts, in copy.")
    subject = serializers.CharField(max_length=300)
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
