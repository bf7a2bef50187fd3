"""One exception handler for the whole API: every error is ``{"detail", "code"}``.

A 400 adds ``"fields": {name: [messages]}``, nested where the input is nested.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sfa.core.exceptions import ConcurrentUpdate, Conflict, DomainError, TransitionRefused

NON_FIELD_ERRORS_KEY = "non_field_errors"  # DRF's name for Django's "__all__"


def _first_code(codes) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict):
        codes = list(codes.values())
    for item in codes or []:
        code = _first_code(item)
        if code:
            return code
    return "error"


def _django_validation_fields(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: [
                str(m) for e in errors for m in e.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return {NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}


def _response(status_code: int, detail: str, code: str, fields=None, headers=None) -> Response:
    body = {"detail": detail, "code": code}
    if fields:
        body["fields"] = fields
    return Response(body, status=status_code, headers=headers)


def _translate(exc):
    """Map Django, django-fsm and our domain errors onto DRF-style exceptions or a response."""
    if isinstance(exc, TransitionNotAllowed):
        exc = TransitionRefused(str(exc) or None)
    elif isinstance(exc, ConcurrentTransition):
        exc = ConcurrentUpdate()
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict("Other records refer to this one.", code="in_use")
    if isinstance(exc, DomainError):
        return _response(exc.status, exc.detail, exc.code, exc.fields or None)
    if isinstance(exc, DjangoValidationError):
        fields = _django_validation_fields(exc)
        return _response(400, "Invalid input.", "invalid", fields)
    return None


def exception_handler(exc, context):
    translated = _translate(exc)
    if translated is not None:
        return translated
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"detail": "Invalid input.", "code": "invalid", "fields": fields}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = detail if isinstance(detail, str) else str(detail)
        response.data = {"detail": message, "code": _first_code(exc.get_codes())}
    return response
