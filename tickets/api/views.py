from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sfa.core.api.mixins import (
    NoDeleteMixin,
    SelectorListMixin,
    ServiceViewSetMixin,
    expand_parameter,
    transition_action,
)
from sfa.core.exceptions import InvalidInput
from tickets import merging, routing, selectors, services
from tickets.api import serializers as s
from tickets.api.assist import TicketAssistMixin
from tickets.api.attachments import TicketAttachmentsMixin
from tickets.filters import TicketFilter


@extend_schema_view(list=extend_schema(parameters=[expand_parameter("watchers")]))
class TicketViewSet(
    SelectorListMixin,
    TicketAttachmentsMixin,
    TicketAssistMixin,
    NoDeleteMixin,
    ServiceViewSetMixin,
    viewsets.ModelViewSet,
):
    """Support tickets with their SLA status; transitions refuse a wrong state with 409."""

    serializer_class = s.TicketSerializer
    list_serializer_class = s.TicketListSerializer
    list_selector = selectors.ticket_list
    list_expansions = {"watchers": selectors.with_watchers}
    filterset_class = TicketFilter
    action_permissions = {
        **{
            name: ["tickets.change_ticket"]
            for name in ("open", "wait_on_customer", "resolve", "close", "reopen")
        },
        "comments": ["tickets.add_ticketcomment"],
        "attachments": ["tickets.view_ticket"],  # uploading also needs add_ticketcomment
        "attachment": ["tickets.view_ticket"],
        "merge": ["tickets.change_ticket"],
        **{name: ["tickets.view_ticket"] for name in ("watch", "unwatch", "availability")},
    }

    def get_queryset(self):
        return selectors.with_detail_relations(selectors.ticket_visible_to(self.request.user))

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
            rows = ticket.comments.select_related("author").prefetch_related("attachments")
            return Response(s.TicketCommentSerializer(rows, many=True).data)
        args = self.validated_input(s.CommentInput)
        comment = services.ticket_reply(
            ticket=ticket, actor=request.user, body=args["body"], public=args["public"]
        )
        return Response(s.TicketCommentSerializer(comment).data, status=201)

    # Merging, watchers, availability (tickets.merging, tickets.watching, tickets.routing)

    @extend_schema(request=s.MergeInput, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this ticket (the duplicate) into ``into`` (id or number): its conversation,
        files and e-mail threads move there; it is closed, pointing at the target. 409 when
        either is merged or closed, or they belong to different customers; 400 for an
        unknown target."""
        source = self.get_object()
        merging.check_source_mergeable(source)  # a closed duplicate: 409 whatever the body
        args = self.validated_input(s.MergeInput)
        target = merging.ticket_by_reference(request.user, args["into"])
        if target is None:
            raise InvalidInput(fields={"into": ["No such ticket."]})
        services.ticket_merge(source=source, target=target, actor=request.user)
        return self.detail_response(source)

    @extend_schema(request=s.WatchInput, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def watch(self, request, pk=None):
        """Follow the ticket (e-mails when the customer writes); ``user``: add someone else."""
        ticket = self.get_object()
        args = self.validated_input(s.WatchInput)
        services.ticket_watch(ticket=ticket, actor=request.user, user=args.get("user"))
        return self.detail_response(ticket)

    @extend_schema(request=s.WatchInput, responses={200: s.TicketSerializer, 204: None})
    @action(detail=True, methods=["post"])
    def unwatch(self, request, pk=None):
        """Stop following the ticket; 204 when you no longer see it afterwards."""
        ticket = self.get_object()
        args = self.validated_input(s.WatchInput)
        services.ticket_unwatch(ticket=ticket, actor=request.user, user=args.get("user"))
        if not self.get_queryset().filter(pk=ticket.pk).exists():
            return Response(status=204)
        return self.detail_response(ticket)

    @extend_schema(methods=["GET"], request=None, responses=s.AvailabilitySerializer)
    @extend_schema(
        methods=["POST"], request=s.AvailabilitySerializer, responses=s.AvailabilitySerializer
    )
    @action(detail=False, methods=["get", "post"])
    def availability(self, request):
        """Whether routing gives you new tickets of your teams; POST to be available or away."""
        if request.method == "POST":
            args = self.validated_input(s.AvailabilitySerializer)
            routing.agent_availability_set(
                agent=request.user, is_available=args["is_available"], actor=request.user
            )
        return Response({"is_available": routing.agent_is_available(request.user)})
