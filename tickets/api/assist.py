"""The API of an agent's helpers: canned responses (the caller's usable ones, filled in for a
ticket) and knowledge-base articles on a ticket (suggested, linked, unlinked) through
``sfa.core.knowledge``.

- ``GET /api/v1/tickets/canned-responses/``: the responses the caller may use;
- ``GET /api/v1/tickets/<id>/canned/<cid>/``: one filled in for the ticket (a preview);
- ``POST /api/v1/tickets/<id>/canned/<cid>/render/``: the same, counted as used;
- ``GET /api/v1/tickets/<id>/suggestions/?q=``: suggested articles (default: the ticket's
  subject and description);
- ``GET/POST /api/v1/tickets/<id>/articles/``: linked articles; link ``{"article": id}``;
- ``DELETE /api/v1/tickets/<id>/articles/<article_id>/``: unlink.

Tickets out of the caller's scope, other agents' personal responses and unknown links: 404.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from sfa.core import knowledge
from sfa.core.access import is_staff_user
from sfa.core.exceptions import InvalidInput
from sfa.core.search import word_search
from tickets import canned
from tickets.models import CannedResponse

BIGINT = 2**63 - 1
SUGGESTIONS = 10


# Canned responses -----------------------------------------------------------------------------


class CannedResponseSerializer(serializers.ModelSerializer):
    shared_with = serializers.SerializerMethodField(
        help_text='"personal" (yours), "team" (the team\'s members) or "everyone".'
    )

    class Meta:
        model = CannedResponse
        fields = ["id", "title", "body", "shared_with", "team", "times_used"]
        read_only_fields = fields

    def get_shared_with(self, obj) -> str:
        if obj.owner_id:
            return "personal"
        return "team" if obj.team_id else "everyone"


class CannedResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """The canned responses you may use: shared with everyone, with one of your teams, or
    your own. Merge fields (``{{ contact.first_name }}`` …) are filled in by
    ``/api/v1/tickets/<id>/canned/<cid>/``."""

    serializer_class = CannedResponseSerializer
    ordering_fields = ["title", "times_used", "created_at"]
    ordering = ["title", "pk"]

    def get_queryset(self):
        return canned.responses_for(self.request.user)

    def search_queryset(self, queryset, text):
        return word_search(queryset, text, ("title", "body"))


class RenderedSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField(help_text="The text with its merge fields filled in.")
    unknown_fields = serializers.ListField(
        child=serializers.CharField(), help_text="Merge fields left as written: not known."
    )


# Knowledge-base articles ------------------------------------------------------------------------


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="The article's staff page.")
    public_url = serializers.CharField(
        allow_null=True, help_text="The address customers can open; null: internal article."
    )
    is_public = serializers.BooleanField()
    snippet = serializers.CharField(help_text="Safe HTML, the matched words in <mark>.")


class LinkInput(serializers.Serializer):
    article = serializers.IntegerField(
        min_value=1, max_value=BIGINT, help_text="A published article's id."
    )


def needs(**by_method: str) -> type[BasePermission]:
    """Staff with the permission named for the request's method (``GET="app.perm"``); other
    methods pass on to their 405."""

    class Permission(BasePermission):
        def has_permission(self, request, view) -> bool:
            if not request.user or not is_staff_user(request.user):
                return False
            method = "GET" if request.method == "HEAD" else request.method
            perm = by_method.get(method)
            return perm is None or request.user.has_perm(perm)

    return Permission


def _pk(value) -> int:
    number = int(value)
    if number > BIGINT:
        raise Http404
    return number


RESPONSE_PK = OpenApiParameter("response_pk", int, OpenApiParameter.PATH)
ARTICLE_ID = OpenApiParameter("article_id", int, OpenApiParameter.PATH)


class TicketAssistMixin:
    """Actions of ``TicketViewSet``: canned responses and knowledge-base articles of a ticket.
    Each names its own permission per method (``needs``)."""

    def _canned(self, request, response_pk):
        ticket = self.get_object()
        response = canned.responses_for(request.user).filter(pk=_pk(response_pk)).first()
        if response is None:
            raise Http404
        return ticket, response

    @extend_schema(request=None, responses=RenderedSerializer, parameters=[RESPONSE_PK])
    @action(
        detail=True,
        methods=["get"],
        url_path=r"canned/(?P<response_pk>[0-9]+)",
        permission_classes=[needs(GET="tickets.view_ticket")],
    )
    def canned_preview(self, request, pk=None, response_pk=None):
        """A canned response filled in for this ticket (not counted as used)."""
        ticket, response = self._canned(request, response_pk)
        merged = canned.merge(response.body, ticket=ticket, agent=request.user)
        return Response(
            {"title": response.title, "body": merged.text, "unknown_fields": merged.unknown_fields}
        )

    @extend_schema(request=None, responses=RenderedSerializer, parameters=[RESPONSE_PK])
    @action(
        detail=True,
        methods=["post"],
        url_path=r"canned/(?P<response_pk>[0-9]+)/render",
        permission_classes=[needs(POST="tickets.add_ticketcomment")],
    )
    def canned_render(self, request, pk=None, response_pk=None):
        """A canned response filled in for this ticket, counted as used (it goes into a
        reply). Unknown merge fields stay as written and are listed."""
        ticket, response = self._canned(request, response_pk)
        merged = canned.canned_response_use(response=response, ticket=ticket, actor=request.user)
        return Response(
            {"title": response.title, "body": merged.text, "unknown_fields": merged.unknown_fields}
        )

    @extend_schema(
        request=None,
        responses=SuggestionSerializer(many=True),
        filters=False,
        parameters=[
            OpenApiParameter(
                "q", str, description="Words to look for; default: the subject and description."
            )
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[needs(GET="tickets.view_ticket")],
        pagination_class=None,
    )
    def suggestions(self, request, pk=None):
        """Published articles that may answer the ticket, best first (internal ones too: you
        are staff; check ``is_public`` before sending a link to the customer)."""
        ticket = self.get_object()
        text = request.query_params.get("q", "").strip()[:200]
        text = text or f"{ticket.subject} {ticket.description[:2000]}"
        found = knowledge.suggest(text, user=request.user, limit=SUGGESTIONS)
        return Response(SuggestionSerializer(found, many=True).data)

    @extend_schema(
        methods=["GET"], request=None, responses=SuggestionSerializer(many=True), filters=False
    )
    @extend_schema(methods=["POST"], request=LinkInput, responses={201: SuggestionSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[needs(GET="tickets.view_ticket", POST="tickets.change_ticket")],
        pagination_class=None,
    )
    def articles(self, request, pk=None):
        """The articles linked to the ticket; POST ``{"article": id}`` links a published one
        (linking it again changes nothing)."""
        ticket = self.get_object()
        if request.method == "GET":
            linked = knowledge.linked(ticket, user=request.user)
            return Response(SuggestionSerializer(linked, many=True).data)
        args = self.validated_input(LinkInput)
        found = knowledge.link(args["article"], ticket, actor=request.user)
        if found is None:
            raise InvalidInput(fields={"article": ["No published article with this id."]})
        return Response(SuggestionSerializer(found).data, status=201)

    @extend_schema(request=None, responses={204: None}, parameters=[ARTICLE_ID])
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"articles/(?P<article_id>[0-9]+)",
        permission_classes=[needs(DELETE="tickets.change_ticket")],
    )
    def article_unlink(self, request, pk=None, article_id=None):
        """Unlink the article from the ticket; 404 when it is not linked."""
        ticket = self.get_object()
        if not knowledge.unlink(_pk(article_id), ticket, actor=request.user):
            raise Http404
        return Response(status=204)
