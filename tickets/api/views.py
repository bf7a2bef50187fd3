import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sfa.core.api.mixins import NoDeleteMixin, ServiceViewSetMixin, transition_action
from tickets import selectors, services
from tickets.api import serializers as s
from tickets.models import Ticket


class TicketFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=Ticket.State.choices)
    priority = django_filters.MultipleChoiceFilter(choices=Ticket.Priority.choices)
    created_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Ticket
        fields = ["account", "contact", "assignee", "team", "category", "channel", "kind"]


class TicketViewSet(NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet):
    """Support tickets with their SLA status; transitions refuse a wrong state with 409."""

    serializer_class = s.TicketSerializer
    filterset_class = TicketFilter
    ordering_fields = ["created_at", "number", "priority", "first_response_due", "resolution_due"]
    ordering = ["-created_at", "-pk"]
    action_permissions = {
        **{
            name: ["tickets.change_ticket"]
            for name in ("open", "wait_on_customer", "resolve", "close", "reopen")
        },
        "comments": ["tickets.add_ticketcomment"],
    }

    def get_queryset(self):
        return selectors.with_list_relations(selectors.ticket_visible_to(self.request.user))

    def search_queryset(self, queryset, text):
        return selectors.ticket_search(queryset, text)

    open = transition_action("open", service=services.ticket_open, instance_arg="ticket")
    wait_on_customer = transition_action(
        "wait_on_customer", service=services.ticket_wait_on_customer, instance_arg="ticket"
    )
    resolve = transition_action("resolve", service=services.ticket_resolve, instance_arg="ticket")
    close = transition_action("close", service=services.ticket_close, instance_arg="ticket")
    reopen = transition_action("reopen", service=services.ticket_reopen, instance_arg="ticket")

    @extend_schema(methods=["GET"], request=None, responses=s.TicketCommentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.CommentInput, responses={201: s.TicketCommentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """The conversation (public replies, internal notes, customer messages); POST adds a
        public reply or, with ``"public": false``, an internal note."""
        ticket = self.get_object()
        if request.method == "GET":
            rows = ticket.comments.select_related("author")
            return Response(s.TicketCommentSerializer(rows, many=True).data)
        args = self.validated_input(s.CommentInput)
        comment = services.ticket_reply(
            ticket=ticket, actor=request.user, body=args["body"], public=args["public"]
        )
        return Response(s.TicketCommentSerializer(comment).data, status=201)
