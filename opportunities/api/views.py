from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from leads.selectors import conversion_values, lead_visible_to
from opportunities import selectors, services
from opportunities.api import serializers as s
from opportunities.filters import OpportunityFilter, QuotaFilter
from opportunities.quotas import quota_visible_to
from sfa.core.api.mixins import (
    NoDeleteMixin,
    SelectorListMixin,
    ServiceViewSetMixin,
    expand_parameter,
    transition_action,
)
from sfa.core.fsm import ensure_state_allows


@extend_schema_view(list=extend_schema(parameters=[expand_parameter("lines")]))
class OpportunityViewSet(
    SelectorListMixin, NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet
):
    serializer_class = s.OpportunitySerializer
    list_serializer_class = s.OpportunityListSerializer
    list_selector = selectors.opportunity_list
    list_expansions = {"lines": selectors.with_lines}
    filterset_class = OpportunityFilter
    action_permissions = {
        name: ["opportunities.change_opportunity"] for name in ("move", "win", "lose", "reopen")
    }

    def get_queryset(self):
        return selectors.with_lines(
            selectors.with_list_relations(selectors.opportunity_visible_to(self.request.user))
        )

    move = transition_action(
        "move",
        service=services.opportunity_move,
        input_serializer=s.MoveInput,
        instance_arg="opportunity",
    )
    win = transition_action("win", service=services.opportunity_win, instance_arg="opportunity")
    lose = transition_action(
        "lose",
        service=services.opportunity_lose,
        input_serializer=s.LoseInput,
        instance_arg="opportunity",
    )
    reopen = transition_action(
        "reopen", service=services.opportunity_reopen, instance_arg="opportunity"
    )


class LeadConversionView(GenericAPIView):
    """``GET``: which customers and contacts the enquiry matches; ``POST``: convert it."""

    serializer_class = s.ConvertInput

    def get_queryset(self):  # the model permissions (add_opportunity) are read from it
        return selectors.opportunity_visible_to(self.request.user)

    def get_lead(self, pk: int):
        return get_object_or_404(lead_visible_to(self.request.user), pk=pk)

    @extend_schema(responses=s.ConversionPreviewSerializer)
    def get(self, request, pk: int):
        lead = self.get_lead(pk)
        found = selectors.conversion_candidates(lead=lead, user=request.user)
        creates = not lead.account_id and not found["accounts"]
        mapped = {
            target: {value.field: str(value.value) for value in values}
            for target, values in conversion_values(lead).items()
        }
        preview = {**found, "creates_account": creates, "mapped": mapped}
        return Response(s.ConversionPreviewSerializer(preview).data)

    @extend_schema(request=s.ConvertInput, responses={201: s.OpportunitySerializer})
    def post(self, request, pk: int):
        lead = self.get_lead(pk)
        ensure_state_allows(lead, "convert")  # converted already: 409 whatever the body
        args = s.ConvertInput(data=request.data, context={"request": request})
        args.is_valid(raise_exception=True)
        opportunity = services.lead_convert(lead=lead, actor=request.user, **args.validated_data)
        data = s.OpportunitySerializer(opportunity, context={"request": request}).data
        return Response(data, status=201)


class QuotaViewSet(viewsets.ModelViewSet):
    """Quotas per rep and period: sales managers set them, reps read their own."""

    serializer_class = s.QuotaSerializer
    filterset_class = QuotaFilter
    ordering_fields = ["period_start", "amount", "owner"]
    ordering = ["period_start", "owner_id", "pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return quota_visible_to(self.request.user)
