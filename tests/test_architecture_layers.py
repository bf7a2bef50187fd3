"""Thin layers stay thin (DESIGN §2, STYLE "Where logic lives").

Views, API, forms, admin, template tags, models, signals, URL confs and the registries'
contributions (panels, tabs, app wiring) read through selectors and write through services:

- they call no write (``save``, ``create``, ``update``, ``delete``, ``bulk_*``,
  ``get_or_create``, ``update_or_create``) on a record, a manager or a queryset;
- they never touch ``<Model>.objects`` of a scoped model (one with a ``*_visible_to``
  selector): that read starts from the selector, so no path can leak.

Everything else in an app is domain code: services by concern (``services``, ``tasks``,
``selectors`` and the modules that do one service's job, such as ``tickets/merging.py``),
demo loaders, management commands and migrations.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.test_architecture import FIRST_PARTY_TOPS, ROOT

# A module is a thin layer when its own name or one of its packages is one of these.
THIN_NAMES = frozenset(
    {"views", "api", "forms", "admin", "templatetags", "models", "signals", "urls", "panels",
     "tabs", "apps", "wiring", "portal", "public_views", "api_urls"}
)  # fmt: skip
THIN_SUFFIXES = ("_views", "_urls")
WRITE_METHODS = frozenset(
    {"save", "create", "delete", "bulk_create", "bulk_update", "get_or_create",
     "update_or_create"}
)  # fmt: skip
# Writes a thin layer may make, and why (module, receiver as written).
ALLOWED_WRITES = {
    ("sfa.portal.views", "password_form"): "Django's PasswordChangeForm sets the password",
    ("knowledgebase.public_views", "request.session"): "the session, not a record",
    ("sfa.customers.import_views", "storages['private']"): "the uploaded file, not a record",
}


@dataclass(frozen=True)
class Finding:
    module: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.text}"


def modules() -> Iterator[tuple[str, ast.Module]]:
    for top in FIRST_PARTY_TOPS:
        base = ROOT / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "management" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_thin(module: str) -> bool:
    parts = module.split(".")
    return any(p in THIN_NAMES or p.endswith(THIN_SUFFIXES) for p in parts[1:] or parts)


def is_model_method_override(node: ast.Call) -> bool:
    return isinstance(node.func.value, ast.Call) and ast.unparse(node.func.value) == "super()"


def is_unsaved(node: ast.Call) -> bool:
    """``form.save(commit=False)`` builds an instance for a service to write."""
    return any(
        k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
        for k in node.keywords
    )


def writes_in(module: str, tree: ast.Module) -> Iterator[Finding]:
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, ast.unparse(node.func.value)
        if method == "update":  # dict.update is fine; a queryset's or a manager's is a write
            if "objects" not in receiver and not isinstance(node.func.value, ast.Call):
                continue
        elif method not in WRITE_METHODS:
            continue
        if is_model_method_override(node) or (module, receiver) in ALLOWED_WRITES:
            continue
        if is_unsaved(node):
            continue
        yield Finding(module, node.lineno, f"{receiver}.{method}(...)")


def scoped_models() -> frozenset[str]:
    """Models with a ``*_visible_to`` selector returning ``QuerySet[Model]``."""
    found = set()
    for module, tree in modules():
        if module.split(".")[-1] != "selectors" and ".selectors." not in f".{module}.":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.endswith("visible_to"):
                returns = node.returns
                if isinstance(returns, ast.Subscript) and ast.unparse(returns.value) == "QuerySet":
                    found.add(ast.unparse(returns.slice))
    return frozenset(found)


SCOPED = scoped_models()


def scoped_reads_in(module: str, tree: ast.Module) -> Iterator[Finding]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in SCOPED
        ):
            yield Finding(module, node.lineno, f"{node.value.id}.objects")


THIN_MODULES = [(module, tree) for module, tree in modules() if is_thin(module)]


def test_scoped_models_are_found():
    assert {"Account", "Contact", "Lead", "Opportunity", "Quote", "Ticket", "Article"} <= SCOPED


@pytest.mark.parametrize(
    ("module", "thin"),
    [
        ("tickets.views", True),
        ("tickets.portal.views", True),
        ("quotes.builder_views", True),
        ("sfa.customers.api.serializers", True),
        ("leads.models.lead", True),
        ("tickets.services", False),
        ("tickets.services.lifecycle", False),
        ("tickets.merging", False),
        ("quotes.tasks", False),
    ],
)
def test_thin_layers_are_recognised(module, thin):
    assert is_thin(module) is thin


def test_a_queryset_update_in_a_view_is_a_write():
    tree = ast.parse(
        "Quote.objects.filter(pk=1).update(title='x')\ncontext.update(a=1)\n"
        "form.save(commit=False)\n"
    )
    assert [f.text for f in writes_in("quotes.views", tree)] == [
        "Quote.objects.filter(pk=1).update(...)"
    ]


def test_thin_layers_write_only_through_services():
    assert [str(f) for module, tree in THIN_MODULES for f in writes_in(module, tree)] == []


def test_thin_layers_read_scoped_models_only_through_selectors():
    assert [str(f) for module, tree in THIN_MODULES for f in scoped_reads_in(module, tree)] == []
