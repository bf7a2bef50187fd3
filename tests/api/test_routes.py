"""The API's routes are a contract: the schema's operations and the URL names under
``/api/v1/`` only change when these snapshot files change with them.

Regenerate after an intended change (and review the diff):
``SNAPSHOT_UPDATE=1 .venv/bin/pytest -q -p no:xdist tests/api/test_routes.py``
"""

import ast
import os
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SCHEMA_PATHS = HERE / "schema_paths.txt"
URL_NAMES = HERE / "url_names.txt"
API_PREFIX = "api/v1/"
METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


def schema_operations() -> list[str]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return sorted(
        f"{method.upper()} {path}"
        for path, item in paths.items()
        for method in item
        if method in METHODS
    )


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, route


def api_url_names() -> list[str]:
    """``name route`` of every named URL under /api/v1/ (format-suffix variants included)."""
    return sorted({f"{name} {route}" for name, route in _walk(get_resolver().url_patterns)})


def _api_only(lines: list[str]) -> list[str]:
    return [line for line in lines if line.split(" ", 1)[1].startswith(API_PREFIX)]


def _compare(actual: list[str], snapshot: Path) -> None:
    if os.environ.get("SNAPSHOT_UPDATE"):
        snapshot.write_text("\n".join(actual) + "\n")
    expected = snapshot.read_text().splitlines()
    assert sorted(set(actual) - set(expected)) == [], "new: update the snapshot knowingly"
    assert sorted(set(expected) - set(actual)) == [], "gone: update the snapshot knowingly"
    assert actual == expected


def test_schema_operations_match_the_snapshot():
    _compare(schema_operations(), SCHEMA_PATHS)


def test_api_url_names_and_routes_match_the_snapshot():
    _compare(_api_only(api_url_names()), URL_NAMES)


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("account-list", {}, "/api/v1/accounts/"),
        ("ticket-detail", {"pk": 7}, "/api/v1/tickets/7/"),
        ("canned-response-list", {}, "/api/v1/tickets/canned-responses/"),
        ("api-lead-convert", {"pk": 3}, "/api/v1/leads/3/convert/"),
        ("api-token", {}, "/api/v1/auth/token/"),
        ("api-root", {}, "/api/v1/"),
    ],
)
def test_api_names_reverse_to_their_paths(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/tickets/canned-responses/", "canned-response-list"),  # not a ticket id
        ("/api/v1/leads/3/convert/", "api-lead-convert"),
        ("/api/v1/web-forms/contact-us/submit/", "api-web-form-submit"),
    ],
)
def test_paths_resolve_to_their_own_route(path, name):
    assert resolve(path).url_name == name


def test_the_api_urlconf_only_includes_the_apps_routes():
    tree = ast.parse((ROOT / "sfa" / "api_urls.py").read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"django.urls"}


ROOT_LINKS = [
    "accounts", "contacts", "addresses", "reminders", "activities", "documents", "contracts",
    "custom-fields", "deletion-requests", "leads", "opportunities", "quotas", "quotes",
    "tickets/canned-responses", "tickets", "products", "product-categories", "tax-rates",
    "price-lists", "kb/articles", "kb/categories",
]  # fmt: skip


def test_api_root_links_every_resource_list(api_for, rep1):
    body = api_for(rep1).get("/api/v1/").json()
    assert list(body) == ROOT_LINKS
    assert body["kb/articles"] == "http://testserver/api/v1/kb/articles/"
