"""Small request helpers shared by public endpoints."""

from django.conf import settings
from django.http import HttpRequest


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
