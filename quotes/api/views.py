from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action

from opportunities.selectors import opportunity_visible_to
from quotes import selectors, sending, services
from quotes.api import serializers as s
from quotes.api.sending import QuoteSendInput
from quotes.filters import QuoteFilter
from quotes.pdf_views import PdfNegotiation, pdf_response
from sfa.core.api.mixins import (
    NoDeleteMixin,
    SelectorListMixin,
    ServiceViewSetMixin,
    expand_parameter,
    transition_action,
)


def _accept(*, quote, actor, name, comment=""):
    return services.quote_accept(
        quote=quote, actor=actor, name=name, comment=comment, channel="staff"
    )


def _reject(*, quote, actor, name, reason, comment=""):
    return services.quote_reject(
        quote=quote, actor=actor, name=name, reason=reason, comment=comment, channel="staff"
    )


@extend_schema_view(list=extend_schema(parameters=[expand_parameter("lines")]))
class QuoteViewSet(SelectorListMixin, NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet):
    """Quotes with their lines; only drafts change. Totals are computed by the server."""

    serializer_class = s.QuoteSerializer
    list_serializer_class = s.QuoteListSerializer
    list_selector = selectors.quote_list
    list_expansions = {"lines": selectors.with_lines}
    filterset_class = QuoteFilter
    action_permissions = {
        **{
            name: ["quotes.change_quote"]
            for name in ("submit", "mark_sent", "send", "accept", "reject", "revise", "duplicate")
        },
        "approve": ["quotes.approve_quote"],
        "send_back": ["quotes.approve_quote"],
        "from_opportunity": ["quotes.add_quote"],
    }

    def get_queryset(self):
        return selectors.with_lines(
            selectors.with_list_relations(selectors.quote_visible_to(self.request.user))
        )

    submit = transition_action("submit", service=services.quote_submit, instance_arg="quote")
    approve = transition_action("approve", service=services.quote_approve, instance_arg="quote")
    send_back = transition_action(
        "send_back",
        service=services.quote_send_back,
        input_serializer=s.ReasonInput,
        instance_arg="quote",
    )
    mark_sent = transition_action(
        "mark_sent",
        service=services.quote_mark_sent,
        instance_arg="quote",
        transitions=("send", "send_approved"),
    )
    accept = transition_action(
        "accept", service=_accept, input_serializer=s.AnswerInput, instance_arg="quote"
    )
    reject = transition_action(
        "reject", service=_reject, input_serializer=s.RejectInput, instance_arg="quote"
    )
    revise = transition_action(
        "revise", service=services.quote_revise, instance_arg="quote", transitions=("supersede",)
    )

    @extend_schema(request=QuoteSendInput, responses={200: s.QuoteSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """E-mail the quote with its PDF to contacts of its customer; it becomes sent. A quote
        that needs approval is held instead (``pending_approval``, see ``approval_reasons``)
        and nothing is sent."""
        quote = self.get_object()  # another's quote is 404 before its input is looked at
        sending.ensure_sendable(quote)  # and a wrong state 409
        args = self.validated_input(QuoteSendInput)
        quote = sending.quote_send(quote=quote, actor=request.user, **args)
        return self.detail_response(quote)

    @extend_schema(request=None, responses={201: s.QuoteSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        """A new quote (new number, draft) with the same customer, texts and lines."""
        copy = services.quote_duplicate(quote=self.get_object(), actor=request.user)
        return self.detail_response(copy, status=201)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=PdfNegotiation)
    def pdf(self, request, pk=None):
        """The quote as PDF: a sent version's stored file (never changes), a draft rendered
        now with the DRAFT mark."""
        return pdf_response(self.get_object())

    @extend_schema(request=s.FromOpportunityInput, responses={201: s.QuoteSerializer})
    @action(detail=False, methods=["post"], url_path="from-opportunity")
    def from_opportunity(self, request):
        """A draft quote with the opportunity's customer, contact and lines."""
        args = self.validated_input(s.FromOpportunityInput)
        opportunity = get_object_or_404(
            opportunity_visible_to(request.user), pk=args["opportunity"]
        )
        quote = services.quote_from_opportunity(opportunity=opportunity, actor=request.user)
        return self.detail_response(quote, status=201)
