"""The API convention for workflow records (DESIGN §4).

Serializers show ``state`` and ``available_transitions`` for the requesting user; a transition
is ``POST /api/v1/<resource>/<id>/<transition>/`` with its arguments in the body and answers
with the record as it is afterwards. A refused transition is a 409: the record's state is
checked before the body, the rest by the service.
"""

from collections.abc import Callable, Mapping

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sfa.core.exceptions import InvalidInput, MethodRefused
from sfa.core.fsm import available_transitions, ensure_state_allows

NEVER_DELETED = (
    "Customers, contacts and products are never deleted: archive them, or request the "
    "deletion of a customer for a manager to approve."
)


class StateMachineSerializerMixin(serializers.Serializer):
    available_transitions = serializers.SerializerMethodField()

    def get_available_transitions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return available_transitions(obj, request.user)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ServiceViewSetMixin:
    """Thin-view helpers: validate an input serializer, answer with the fresh record."""

    def validated_input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, serializer_class, instance, status: int = 200) -> Response:
        context = self.get_serializer_context()
        return Response(serializer_class(instance, context=context).data, status=status)

    def detail_response(self, instance=None, status: int = 200) -> Response:
        instance = self.get_queryset().get(pk=(instance or self.get_object()).pk)
        return Response(self.get_serializer(instance).data, status=status)


def transition_action(
    name: str,
    *,
    service: Callable,
    input_serializer=NoteInput,
    instance_arg: str = "instance",
    transitions: tuple[str, ...] = (),
):
    """An ``@action`` that runs ``service(<instance_arg>=record, actor=user, **input)``.

    ``transitions``: the model transitions the action makes (default: the one called
    ``name``). Unless one of them may leave the record's state the answer is 409 before the
    body is looked at: a refused transition is 409 whatever its body (404 comes first).
    """
    transitions = tuple(transitions) or (name,)

    def handler(self, request, pk=None):
        record = self.get_object()
        ensure_state_allows(record, *transitions)
        args = self.validated_input(input_serializer) if input_serializer else {}
        result = service(**{instance_arg: record}, actor=request.user, **args)
        return self.detail_response(result if result is not None else record)

    handler.__name__ = name
    handler.__doc__ = f"Transition: {name.replace('_', ' ')}. Refused with 409 in a wrong state."
    handler.transitions = transitions
    # ``extend_schema`` goes on top: ``@action`` replaces the function's ``kwargs``, where
    # drf-spectacular keeps the schema, so applied first it would be lost.
    routed = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(handler)
    return extend_schema(request=input_serializer)(routed)


class NoDeleteMixin:
    """``DELETE`` answers 405 with a way forward; records are archived instead.

    Refused before the model permissions are checked: nobody but the administrator holds
    ``delete_*``, and everyone else should learn the way forward, not a bare 403.
    """

    def check_permissions(self, request):
        if getattr(self, "action", None) == "destroy" and request.user.is_authenticated:
            raise MethodRefused(NEVER_DELETED, code="delete_not_allowed")
        super().check_permissions(request)

    def destroy(self, request, *args, **kwargs):
        raise MethodRefused(NEVER_DELETED, code="delete_not_allowed")


class SelectorListMixin:
    # The list reads through the model's ``<model>_list(*, user, filters)`` selector, like the
    # staff list and the exports: the same filters, ``search`` and ``ordering``, and a 400 that
    # names a bad parameter. ``filterset_class`` (the selector's FilterSet) documents the
    # parameters. A record's own URL is found by id in ``get_queryset()``; list parameters do
    # not apply there. (No docstring: drf-spectacular would show it for viewsets without one.)
    #
    # ``list_serializer_class`` is the list's row: the fields a list shows, without the
    # record's nested children, so that a page costs little to build. ``list_expansions``
    # names what ``?expand=<name>`` adds (a function that prefetches it); with it, each row is
    # the record as on its own URL.

    list_selector: Callable | None = None
    list_serializer_class: type[serializers.Serializer] | None = None
    list_expansions: Mapping[str, Callable[[QuerySet], QuerySet]] = {}
    filter_backends = [DjangoFilterBackend]

    def list(self, request, *args, **kwargs):
        rows = type(self).list_selector(user=request.user, filters=request.query_params)
        for name in self.expanded():
            rows = self.list_expansions[name](rows)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class and not self.expanded():
            return self.list_serializer_class
        return super().get_serializer_class()

    def expanded(self) -> "list[str]":  # (``list`` is the action here)
        """The names in ``?expand=a,b``; ``InvalidInput`` (400) names an unknown one."""
        request = getattr(self, "request", None)
        if request is None or not hasattr(request, "query_params"):
            return []
        names = [
            name.strip()
            for value in request.query_params.getlist("expand")
            for name in value.split(",")
            if name.strip()
        ]
        unknown = sorted(set(names) - set(self.list_expansions))
        if unknown:
            known = ", ".join(sorted(self.list_expansions)) or "nothing"
            message = f"Cannot expand {', '.join(unknown)}; this list expands {known}."
            raise InvalidInput(message, fields={"expand": [message]})
        return names

    def filter_queryset(self, queryset):
        return queryset


def expand_parameter(*names: str) -> OpenApiParameter:
    """The schema of a list's ``?expand=`` (see ``SelectorListMixin``)."""
    return OpenApiParameter(
        "expand",
        str,
        enum=list(names),
        description="Each row as on the record's own URL, with this included.",
    )
