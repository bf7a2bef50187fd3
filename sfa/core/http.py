"""Small request helpers shared by public endpoints."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: the socket's, or the entry ``SFA_PROXY_COUNT`` proxies from the
    right of X-Forwarded-For (entries further left are the client's word and can be forged)."""
    proxies = settings.SFA_PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def file_download(field_file, *, filename: str, content_type: str = "") -> FileResponse:
    """A stored file as a download (never shown inline, so an uploaded HTML or SVG cannot run
    in our origin); 404 when the storage lost it."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from the storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
