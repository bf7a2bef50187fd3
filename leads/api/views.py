from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from leads import selectors, services, webforms
from leads.api import serializers as s
from leads.filters import LeadFilter
from leads.models import WebForm
from sfa.core.api.mixins import (
    NoDeleteMixin,
    SelectorListMixin,
    ServiceViewSetMixin,
    expand_parameter,
    transition_action,
)
from sfa.core.exceptions import RecordNotFound


@extend_schema_view(list=extend_schema(parameters=[expand_parameter("lines")]))
class LeadViewSet(SelectorListMixin, NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet):
    """Enquiries. Converted ones are read-only; disqualified ones can be recycled."""

    serializer_class = s.LeadSerializer
    list_serializer_class = s.LeadListSerializer
    list_selector = selectors.lead_list
    list_expansions = {"lines": selectors.with_lines}
    filterset_class = LeadFilter
    action_permissions = {
        name: ["leads.change_lead"]
        for name in ("mark_contacted", "qualify", "disqualify", "recycle", "reassign")
    }

    def get_queryset(self):
        return selectors.with_lines(
            selectors.with_record_relations(selectors.lead_visible_to(self.request.user))
        )

    mark_contacted = transition_action(
        "mark_contacted", service=services.lead_mark_contacted, instance_arg="lead"
    )
    qualify = transition_action("qualify", service=services.lead_qualify, instance_arg="lead")
    disqualify = transition_action(
        "disqualify",
        service=services.lead_disqualify,
        input_serializer=s.DisqualifyInput,
        instance_arg="lead",
    )
    recycle = transition_action("recycle", service=services.lead_recycle, instance_arg="lead")

    @extend_schema(request=s.ReassignInput, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Give the enquiry to another owner (logged in its history)."""
        args = self.validated_input(s.ReassignInput)
        services.lead_reassign(lead=self.get_object(), actor=request.user, **args)
        return self.detail_response()


class PublicWebFormMixin:
    """No login, no session (so no CSRF): protection is the form's token, honeypot and limit."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_form(self, slug: str) -> WebForm:
        form = WebForm.objects.filter(slug=slug, is_active=True).first()
        if form is None:
            raise RecordNotFound("No such form.")
        return form


class WebFormView(PublicWebFormMixin, APIView):
    @extend_schema(responses=s.WebFormSerializer, tags=["web forms (public)"])
    def get(self, request, slug: str):
        """A public lead form's questions and a token to send the answers with."""
        return Response(webforms.describe(self.get_form(slug)))


class WebFormSubmitView(PublicWebFormMixin, APIView):
    @extend_schema(
        request=s.WebFormSubmitInput,
        responses={202: s.WebFormReceipt},
        tags=["web forms (public)"],
    )
    def post(self, request, slug: str):
        """Send a visitor's answers. 400 names the fields; 429 when one address sends too many.

        The answer is the same whether a new enquiry was made or an open one of the same e-mail
        address was added to (and for suspected bots).
        """
        form = self.get_form(slug)
        body = s.WebFormSubmitInput(data=request.data)
        body.is_valid(raise_exception=True)
        payload = {
            **body.validated_data["answers"],
            webforms.TOKEN: body.validated_data["token"],
            webforms.HONEYPOT: body.validated_data.get("homepage", ""),
        }
        webforms.submit(form, payload, webforms.visitor_of(request))
        return Response({"detail": form.thank_you_text}, status=status.HTTP_202_ACCEPTED)
