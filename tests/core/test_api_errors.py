"""The API's one exception handler: every error becomes ``{"detail", "code"[, "fields"]}``."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions

from sfa.core.api.errors import exception_handler
from sfa.core.exceptions import (
    ActionForbidden,
    ConcurrentUpdate,
    Conflict,
    DomainError,
    InvalidInput,
    MethodRefused,
    RecordNotFound,
    TransitionRefused,
)


def handle(exc):
    response = exception_handler(exc, {})
    assert response is not None
    return response.status_code, response.data


# Domain errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (DomainError(), 400, "invalid"),
        (InvalidInput(), 400, "invalid"),
        (ActionForbidden(), 403, "permission_denied"),
        (RecordNotFound(), 404, "not_found"),
        (MethodRefused(), 405, "method_not_allowed"),
        (Conflict(), 409, "conflict"),
        (TransitionRefused(), 409, "transition_not_allowed"),
        (ConcurrentUpdate(), 409, "concurrent_update"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_domain_errors_keep_their_status_and_code(exc, status, code):
    assert handle(exc) == (status, {"detail": exc.default_detail, "code": code})


def test_domain_error_subclass_of_an_app_keeps_its_code():
    class CreditLimitExceeded(Conflict):
        code = "credit_limit_exceeded"

    assert handle(CreditLimitExceeded("Over the limit.")) == (
        409,
        {"detail": "Over the limit.", "code": "credit_limit_exceeded"},
    )


def test_domain_error_with_an_explicit_code_answers_with_it():
    exc = Conflict("Referenced.", code="account_in_use")
    assert handle(exc) == (409, {"detail": "Referenced.", "code": "account_in_use"})


def test_invalid_input_carries_nested_fields():
    exc = InvalidInput(fields={"custom_fields": {"staff": ["Enter a number."]}})
    assert handle(exc) == (
        400,
        {
            "detail": "Invalid input.",
            "code": "invalid",
            "fields": {"custom_fields": {"staff": ["Enter a number."]}},
        },
    )


# django-fsm ------------------------------------------------------------------------------------


def test_fsm_transition_not_allowed_is_a_409():
    status, body = handle(TransitionNotAllowed("Can't switch from state 'active'"))
    assert (status, body["code"]) == (409, "transition_not_allowed")
    assert body["detail"] == "Can't switch from state 'active'"


def test_fsm_transition_not_allowed_without_message_has_a_detail():
    assert handle(TransitionNotAllowed()) == (
        409,
        {"detail": TransitionRefused.default_detail, "code": "transition_not_allowed"},
    )


def test_fsm_concurrent_transition_is_a_409():
    assert handle(ConcurrentTransition("stale")) == (
        409,
        {"detail": ConcurrentUpdate.default_detail, "code": "concurrent_update"},
    )


# Django ----------------------------------------------------------------------------------------


def test_django_validation_error_by_field_lists_the_fields():
    exc = DjangoValidationError({"email": ["Enter a valid email address."], "name": ["Too long."]})
    assert handle(exc) == (
        400,
        {
            "detail": "Invalid input.",
            "code": "invalid",
            "fields": {"email": ["Enter a valid email address."], "name": ["Too long."]},
        },
    )


def test_django_validation_error_without_field_is_a_non_field_error():
    status, body = handle(DjangoValidationError("Dates are in the wrong order."))
    assert (status, body["fields"]) == (
        400,
        {"non_field_errors": ["Dates are in the wrong order."]},
    )


def test_django_whole_record_error_is_a_non_field_error():
    exc = DjangoValidationError({NON_FIELD_ERRORS: ["Constraint is violated."]})
    assert handle(exc)[1]["fields"] == {"non_field_errors": ["Constraint is violated."]}


def test_django_validation_error_messages_are_formatted():
    exc = DjangoValidationError(
        {"code": [DjangoValidationError("%(value)s is taken.", params={"value": "C1"})]}
    )
    assert handle(exc)[1]["fields"] == {"code": ["C1 is taken."]}


def test_http404_is_not_found():
    assert handle(Http404("No Account matches the given query.")) == (
        404,
        {"detail": "Not found.", "code": "not_found"},
    )


def test_django_permission_denied_is_forbidden():
    status, body = handle(PermissionDenied())
    assert (status, body["code"]) == (403, "permission_denied")
    assert set(body) == {"detail", "code"}


def test_protected_error_is_a_conflict():
    exc = ProtectedError("protected", set())
    assert handle(exc) == (
        409,
        {"detail": "Other records refer to this one.", "code": "in_use"},
    )


# Django REST framework -------------------------------------------------------------------------


def test_drf_validation_error_keeps_nested_fields():
    exc = exceptions.ValidationError(
        {"name": ["This field is required."], "lines": [{}, {"quantity": ["Must be positive."]}]}
    )
    status, body = handle(exc)
    assert (status, body["detail"], body["code"]) == (400, "Invalid input.", "invalid")
    assert body["fields"] == {
        "name": ["This field is required."],
        "lines": [{}, {"quantity": ["Must be positive."]}],
    }


def test_drf_validation_error_of_a_whole_record_is_a_non_field_error():
    status, body = handle(exceptions.ValidationError("Choose one user or one team."))
    assert (status, body["fields"]) == (400, {"non_field_errors": ["Choose one user or one team."]})


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.AuthenticationFailed(), 401, "authentication_failed"),
        (exceptions.PermissionDenied(), 403, "permission_denied"),
        (exceptions.NotFound(), 404, "not_found"),
        (exceptions.MethodNotAllowed("DELETE"), 405, "method_not_allowed"),
        (exceptions.ParseError(), 400, "parse_error"),
        (exceptions.UnsupportedMediaType("text/xml"), 415, "unsupported_media_type"),
        (exceptions.Throttled(wait=30), 429, "throttled"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_drf_errors_answer_with_detail_and_code(exc, status, code):
    response = exception_handler(exc, {})
    assert (response.status_code, response.data) == (
        status,
        {"detail": str(exc.detail), "code": code},
    )


def test_throttled_keeps_the_retry_after_header():
    response = exception_handler(exceptions.Throttled(wait=30), {})
    assert response["Retry-After"] == "30"


def test_unexpected_errors_are_left_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None
