"""Domain errors. Services raise them; the API handler and staff views turn them into answers."""


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_detail = "The request cannot be carried out."

    def __init__(self, detail: str | None = None, *, code: str | None = None, fields=None):
        self.detail = detail or self.default_detail
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.detail)


class InvalidInput(DomainError):
    """Bad input found by a service; ``fields`` maps field names (nested) to messages."""

    status, code = 400, "invalid"
    default_detail = "Invalid input."


class ActionForbidden(DomainError):
    status, code = 403, "permission_denied"
    default_detail = "You do not have permission to do this."


class RecordNotFound(DomainError):
    status, code = 404, "not_found"
    default_detail = "Not found."


class MethodRefused(DomainError):
    status, code = 405, "method_not_allowed"
    default_detail = "This operation is not available."


class Conflict(DomainError):
    status, code = 409, "conflict"
    default_detail = "The record is in use."


class TransitionRefused(Conflict):
    code = "transition_not_allowed"
    default_detail = "This transition is not allowed in the record's current state."


class ConcurrentUpdate(Conflict):
    code = "concurrent_update"
    default_detail = "Someone else changed this record at the same time; reload and try again."


class RateLimited(DomainError):
    status, code = 429, "rate_limited"
    default_detail = "Too many requests; try again later."
