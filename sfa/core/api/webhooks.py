"""The e-mail service provider's webhooks: inbound mail and delivery tracking.

anymail parses each ESP's format and checks its security (basic auth from
``ANYMAIL_WEBHOOK_SECRET``, plus the ESP's signature where it signs, e.g. Mailgun's with
``ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY``); these views put its handlers under the API, in
the schema, and refuse to run open to the world: without a webhook secret they answer 404
(switched off).

Inbound messages go out as anymail's ``inbound`` signal (the support desk turns them into
tickets), tracking events as its ``tracking`` signal (the outbox records delivery, bounces,
opens and clicks).
"""

import logging

from anymail.exceptions import AnymailError
from anymail.webhooks import (
    amazon_ses,
    brevo,
    mailersend,
    mailgun,
    mailjet,
    mailtrap,
    postal,
    postmark,
    resend,
    sendgrid,
    sparkpost,
)
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

log = logging.getLogger(__name__)

# ESP (as in the URL) → (inbound handler, tracking handler)
HANDLERS = {
    "amazon_ses": (
        amazon_ses.AmazonSESInboundWebhookView,
        amazon_ses.AmazonSESTrackingWebhookView,
    ),
    "brevo": (brevo.BrevoInboundWebhookView, brevo.BrevoTrackingWebhookView),
    "mailersend": (
        mailersend.MailerSendInboundWebhookView,
        mailersend.MailerSendTrackingWebhookView,
    ),
    "mailgun": (mailgun.MailgunInboundWebhookView, mailgun.MailgunTrackingWebhookView),
    "mailjet": (mailjet.MailjetInboundWebhookView, mailjet.MailjetTrackingWebhookView),
    "mailtrap": (mailtrap.MailtrapInboundWebhookView, mailtrap.MailtrapTrackingWebhookView),
    "postal": (postal.PostalInboundWebhookView, postal.PostalTrackingWebhookView),
    "postmark": (postmark.PostmarkInboundWebhookView, postmark.PostmarkTrackingWebhookView),
    "resend": (resend.ResendInboundWebhookView, resend.ResendTrackingWebhookView),
    "sendgrid": (sendgrid.SendGridInboundWebhookView, sendgrid.SendGridTrackingWebhookView),
    "sparkpost": (sparkpost.SparkPostInboundWebhookView, sparkpost.SparkPostTrackingWebhookView),
}
ESP_PARAMETER = OpenApiParameter(
    "esp",
    str,
    OpenApiParameter.PATH,
    enum=sorted(HANDLERS),
    description="The e-mail service provider whose format the body is in.",
)
RESPONSES = {
    200: OpenApiResponse(description="Accepted (also for a message delivered again)."),
    400: OpenApiResponse(description="Bad basic auth or signature, or not the ESP's format."),
    404: OpenApiResponse(description="Unknown ESP, or webhooks off (no ANYMAIL_WEBHOOK_SECRET)."),
}


class _WebhookView(APIView):
    kind = ""
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    direction = 0  # index into HANDLERS' pairs

    def post(self, request, esp: str):
        handlers = HANDLERS.get(esp)
        if handlers is None:
            return Response({"detail": "Unknown e-mail provider.", "code": "not_found"}, 404)
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            return Response(
                {
                    "detail": "E-mail webhooks are off: set ANYMAIL_WEBHOOK_SECRET.",
                    "code": "not_configured",
                },
                404,
            )
        handler = handlers[self.direction].as_view()
        try:
            return handler(request._request)
        except (AnymailError, SuspiciousOperation, ValueError, KeyError, TypeError) as error:
            # anymail's own refusals (auth, signature) and payloads not in the ESP's format;
            # logged in full, since a fault of ours would also land here
            log.warning("%s webhook for %s refused: %r", self.kind, esp, error, exc_info=True)
            return Response({"detail": str(error)[:300], "code": "invalid_webhook"}, 400)


def _documented(summary: str, description: str):
    """The schema of a webhook: any ESP's body (anymail parses it), basic auth, no token."""
    return extend_schema(
        tags=["e-mail webhooks"],
        summary=summary,
        description=description,
        parameters=[ESP_PARAMETER],
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": OpenApiTypes.OBJECT,
        },
        responses=RESPONSES,
        auth=[],
    )


class InboundEmailWebhook(_WebhookView):
    direction, kind = 0, "inbound"

    @_documented(
        "Inbound e-mail (a customer's message to the support address)",
        "Configure this URL as the ESP's inbound webhook, with basic auth "
        "`https://user:password@host/api/v1/email/<esp>/inbound/` matching "
        "`ANYMAIL_WEBHOOK_SECRET`. A reply lands on its ticket (by In-Reply-To/References, "
        "else by the ticket number in the subject); a new message opens a ticket and is "
        "acknowledged; the same message delivered twice changes nothing; automatic "
        "replies and bounces open no ticket. Attachments are kept.",
    )
    def post(self, request, esp: str):
        return super().post(request, esp)


class TrackingWebhook(_WebhookView):
    direction, kind = 1, "tracking"

    @_documented(
        "Delivery tracking (delivered, bounced, opened, clicked, complained)",
        "Configure this URL as the ESP's tracking (event) webhook, with basic auth as for "
        "inbound mail. Each event updates the outbox e-mail it is about (found by the id "
        "sent in its metadata, else the ESP's message id): delivered, bounced with the "
        "reason, first open and click. A bounce of a ticket e-mail notes it on the ticket.",
    )
    def post(self, request, esp: str):
        return super().post(request, esp)
