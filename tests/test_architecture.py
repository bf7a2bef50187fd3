"""The import graph follows DESIGN §2: every edge points upstream, through public modules.

The rules are data: an app that joins the suite adds its line to ``UPSTREAM``; its
dependants then reach it only through ``PUBLIC_MODULES``. Each rule is its own test case, so
a failure names the rule that an edge breaks.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SFA_APPS = frozenset({"sfa.core", "sfa.customers", "sfa.catalog"})
DOMAIN_APPS = frozenset(
    {"leads", "opportunities", "quotes", "billing", "tickets", "knowledgebase", "campaigns"}
)

# The base every module builds on ("sfa.*"): the shared apps and the portal shell.
BASE = SFA_APPS | {"sfa.portal"}

# Which apps each app may import from (besides itself). DESIGN §2: "an app may import only
# from those to its right": billing → quotes → opportunities → leads → sfa.*, and tickets,
# knowledgebase, campaigns → sfa.*. The portal shell is base too: it imports no module (the
# modules register their sections with it) and is reached only through SEALED's entries.
UPSTREAM: dict[str, frozenset[str]] = {
    "sfa.core": frozenset(),
    "sfa.customers": frozenset({"sfa.core"}),
    "sfa.catalog": frozenset({"sfa.core", "sfa.customers"}),
    "sfa.portal": SFA_APPS,
    "leads": BASE,
    "opportunities": BASE | {"leads"},
    "quotes": BASE | {"leads", "opportunities"},
    "billing": BASE | {"leads", "opportunities", "quotes"},
    "tickets": BASE,
    "knowledgebase": BASE,
    "campaigns": BASE,
}
# Shared building blocks: every module of these may be imported by the apps above them.
LIBRARIES = frozenset({"sfa.core"})
# From any other upstream app only these modules (STYLE "App layout"); ``models`` may be a
# package. Views, API, forms, admin and the rest stay private to their app.
# tabs: the 360 registry; regarding: what activities, reminders and documents may be about;
# forms: the staff forms of those, reused on other records' pages (an enquiry's).
PUBLIC_MODULES = frozenset(
    {"services", "selectors", "models", "exceptions", "fields", "tabs", "regarding", "forms"}
)
# Project wiring (settings, URL confs, WSGI, Celery app) may import any app's views and API.
WIRING = frozenset(
    {"sfa", "sfa.settings", "sfa.urls", "sfa.api_urls", "sfa.wsgi", "sfa.asgi", "sfa.celery"}
)
# Wiring modules an app may import (the Celery app, for task decorators).
IMPORTABLE_WIRING = frozenset({"sfa.celery"})
# Packages nobody else may import (string references such as include() are fine) except
# their entry modules: the portal's section registry and its login check for modules' pages.
SEALED: dict[str, frozenset[str]] = {
    "sfa.portal": frozenset({"sfa.portal.sections", "sfa.portal.access"}),
}
# Inside one app: (module, must not import) — "models.py never imports services".
INTERNAL_FORBIDDEN = (("models", "services"), ("models", "selectors"))

FIRST_PARTY_TOPS = ("sfa", *sorted(DOMAIN_APPS))


@dataclass(frozen=True)
class Edge:
    source: str  # importing module, e.g. sfa.catalog.importing
    target: str  # imported module, e.g. sfa.customers.importing
    line: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def app_of(module: str) -> str | None:
    """The app a module belongs to (longest matching package), or None for wiring."""
    candidates = [app for app in UPSTREAM if module == app or module.startswith(app + ".")]
    return max(candidates, key=len, default=None)


def module_files() -> Iterator[tuple[str, Path]]:
    for top in FIRST_PARTY_TOPS:
        base = ROOT / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def is_first_party(name: str) -> bool:
    return name.split(".")[0] in FIRST_PARTY_TOPS


def imported_modules(module: str, path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield (candidate if is_module(candidate) else base), node.lineno


def first_party_edges() -> list[Edge]:
    edges = {
        Edge(module, target, line)
        for module, path in module_files()
        for target, line in imported_modules(module, path)
        if is_first_party(target)
    }
    return sorted(edges, key=str)


EDGES = first_party_edges()


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def edge_problem(edge: Edge) -> tuple[str, str] | None:
    """``(rule, explanation)`` when an edge breaks DESIGN §2 / STYLE, else None."""
    for sealed, entries in SEALED.items():
        if inside(edge.target, sealed) and not inside(edge.source, sealed):
            if edge.target not in entries:
                allowed = ", ".join(sorted(entries))
                return "sealed", f"from {sealed} import only {allowed}"
    source_app, target_app = app_of(edge.source), app_of(edge.target)
    if source_app is None:  # project wiring may reach every app
        if edge.source in WIRING:
            return None
        return "placement", "a module outside every app: move it into one or list it in WIRING"
    if target_app is None:
        if edge.target in IMPORTABLE_WIRING:
            return None
        return "wiring", "apps do not import project wiring"
    if source_app == target_app:
        return internal_problem(source_app, edge)
    return upstream_problem(source_app, target_app, edge)


def upstream_problem(source_app: str, target_app: str, edge: Edge) -> tuple[str, str] | None:
    if target_app not in UPSTREAM[source_app]:
        return "direction", f"{source_app} may not depend on {target_app}"
    if target_app in LIBRARIES or edge.target in SEALED.get(target_app, ()):
        return None
    public = edge.target.removeprefix(target_app).lstrip(".").split(".")[0]
    if public not in PUBLIC_MODULES:
        allowed = "/".join(sorted(PUBLIC_MODULES))
        return "public_modules", f"from {target_app} import only its {allowed} modules"
    return None


def internal_problem(app: str, edge: Edge) -> tuple[str, str] | None:
    source = edge.source.removeprefix(app).lstrip(".").split(".")[0]
    target = edge.target.removeprefix(app).lstrip(".").split(".")[0]
    for importer, forbidden in INTERNAL_FORBIDDEN:
        if source == importer and target == forbidden:
            return "internal", f"{app}.{importer} must not import {app}.{forbidden}"
    return None


RULES = ("direction", "sealed", "public_modules", "internal", "wiring", "placement")


# The checker itself ----------------------------------------------------------------------------


def test_every_app_package_is_scanned():
    scanned = {app_of(edge.source) for edge in EDGES}
    assert {"sfa.core", "sfa.customers", "sfa.catalog", "sfa.portal"} <= scanned


def test_relative_imports_are_resolved(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("from .models import Account\nfrom .. import core\n")
    found = {name for name, _ in imported_modules("sfa.customers.views", module)}
    assert found == {"sfa.customers.models", "sfa.core"}


@pytest.mark.parametrize(
    ("source", "target", "broken"),
    [
        ("sfa.core.fsm", "sfa.customers.models", True),
        ("sfa.core.views", "sfa.catalog.services", True),
        ("sfa.customers.services", "sfa.catalog.models", True),
        ("sfa.customers.views", "sfa.portal.access", True),
        ("sfa.catalog.views", "sfa.customers.api.serializers", True),
        ("sfa.catalog.views", "sfa.customers.views", True),
        ("sfa.catalog.services", "sfa.customers.selectors", False),
        ("sfa.catalog.models", "sfa.customers.models", False),
        ("sfa.customers.models", "sfa.customers.services", True),
        ("sfa.customers.views", "sfa.customers.services", False),
        ("sfa.portal.views", "sfa.customers.selectors", False),
        ("sfa.portal.views", "sfa.customers.views", True),
        ("sfa.portal.views", "tickets.selectors", True),
        ("sfa.portal.urls", "quotes.portal.urls", True),
        ("tickets.portal.views", "sfa.portal.access", False),
        ("tickets.apps", "sfa.portal.sections", False),
        ("tickets.portal.views", "sfa.portal.views", True),
        ("sfa.catalog.views", "sfa.portal.sections", True),
        ("sfa.urls", "sfa.customers.views", False),
        ("sfa.urls", "sfa.portal.views", True),
        ("leads.services", "sfa.core.numbering", False),
        ("leads.services", "opportunities.models", True),
        ("quotes.services", "leads.services", False),
        ("billing.tasks", "quotes.selectors", False),
        ("tickets.services", "quotes.models", True),
        ("campaigns.services", "leads.models", True),
        ("sfa.customers.tasks", "sfa.celery", False),
        ("sfa.customers.services", "sfa.urls", True),
        ("sfa.helpers", "sfa.core.models", True),
    ],
)
def test_rules_judge_edges(source, target, broken):
    found = edge_problem(Edge(source, target, 1))
    assert (found is not None) == broken
    assert found is None or found[0] in RULES


# The code base ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_import_graph_follows_the_design(rule):
    problems = [
        f"{edge}: {found[1]}"
        for edge in EDGES
        if (found := edge_problem(edge)) is not None and found[0] == rule
    ]
    assert problems == []


# Templates and URL names across modules --------------------------------------------------------
# A domain module's templates and code use only its own templates and URL names and the base's
# (``templates/``, ``sfa/*``): another module's page is reached through that module's
# ``get_absolute_url()`` or a registry of the base (record panels, 360 tabs, menu). A URL name
# belongs to the app of the view it resolves to (the admin's pages to the admin site).

TEMPLATE_TAG = re.compile(r"""\{%\s*(?:include|extends)\s+(["'])(?P<name>[^"']+)\1""")
URL_TAG = re.compile(r"""\{%\s*url\s+(["'])(?P<name>[^"']+)\1""")
REVERSING = frozenset({"reverse", "reverse_lazy", "redirect", "resolve_url"})
# Known exceptions, each with its reason: (app, "template" or "url", name). None today: the
# enquiry page's "Convert…" and the opportunity page's quotes are record panels
# (``sfa.core.panels``); quotes link their opportunity, opportunities their enquiry through
# ``get_absolute_url()``; the lines editor and the form field partial are the base's.
CROSS_MODULE_ALLOWED: frozenset[tuple[str, str, str]] = frozenset()


@dataclass(frozen=True)
class Use:
    app: str  # the domain module whose file uses the name
    kind: str  # "template" or "url"
    name: str  # "leads/partials/lines.html", "quotes:detail"
    where: str  # file:line

    def __str__(self) -> str:
        return f"{self.where} uses {self.kind} {self.name!r}"


def template_dirs() -> Iterator[tuple[str | None, Path]]:
    """``(app, templates dir)``: each app's own, then the project's (``None``, the base)."""
    for app in sorted(UPSTREAM):
        path = ROOT.joinpath(*app.split("."), "templates")
        if path.is_dir():
            yield app, path
    yield None, ROOT / "templates"


def template_owners() -> dict[str, str | None]:
    """Template name → the app whose templates dir holds it (``None``: project templates)."""
    owners: dict[str, str | None] = {}
    for app, base in template_dirs():
        for path in base.rglob("*"):
            if path.is_file():
                owners.setdefault(path.relative_to(base).as_posix(), app)
    return owners


def view_app(callback) -> str | None:
    """The app of a URL pattern's view: its class for class-based and DRF views."""
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return app_of(view.__module__)


def url_owners() -> dict[str, frozenset[str | None]]:
    """Each URL name (``namespace:name``) of the URLconf → the apps of the views it names."""
    from django.urls import URLResolver, get_resolver

    found: dict[str, set[str | None]] = {}

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, set()).add(view_app(pattern.callback))

    walk(get_resolver().url_patterns, "")
    return {name: frozenset(apps) for name, apps in found.items()}


def template_uses(app: str, path: Path, text: str) -> Iterator[Use]:
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path.relative_to(ROOT)}:{number}"
        for found in TEMPLATE_TAG.finditer(line):
            yield Use(app, "template", found["name"], where)
        for found in URL_TAG.finditer(line):
            yield Use(app, "url", found["name"], where)


def python_uses(app: str, path: Path, text: str, url_names, template_names) -> Iterator[Use]:
    """Template names and URL names in a module's code: the first argument of ``reverse()``
    and friends, and any string that is a namespaced URL name or a template name (handed to
    ``render()``, a registry, a ``MenuItem``)."""
    tree = ast.parse(text, filename=str(path))
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in REVERSING and isinstance(first, ast.Constant):
                if isinstance(first.value, str) and ":" not in first.value:
                    yield Use(app, "url", first.value, where)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if ":" in node.value and node.value in url_names:
                yield Use(app, "url", node.value, where)
            elif node.value in template_names:
                yield Use(app, "template", node.value, where)


def domain_uses(url_names, template_names) -> list[Use]:
    """Every template and URL name used by a domain module's templates and code."""
    uses: list[Use] = []
    for app in sorted(DOMAIN_APPS):
        base = ROOT / app
        if not base.is_dir():
            continue
        templates = base / "templates"
        for path in sorted(templates.rglob("*") if templates.is_dir() else []):
            if path.is_file():
                uses += template_uses(app, path, path.read_text(encoding="utf-8"))
        for path in sorted(base.rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                text = path.read_text(encoding="utf-8")
                uses += python_uses(app, path, text, url_names, template_names)
    return uses


def use_problem(use: Use, url_names, template_names) -> str | None:
    """Why a use reaches into another domain module, or None."""
    if (use.app, use.kind, use.name) in CROSS_MODULE_ALLOWED:
        return None
    if use.kind == "template":
        owners = {template_names.get(use.name)}
    else:
        owners = set(url_names.get(use.name, ()))
    foreign = sorted(o for o in owners if o in DOMAIN_APPS and o != use.app)
    if not foreign or use.app in owners:
        return None
    return f"{use}, which belongs to {', '.join(foreign)}"


@pytest.fixture(scope="module")
def url_names():
    return url_owners()


@pytest.fixture(scope="module")
def template_names():
    return template_owners()


def test_every_domain_template_and_url_name_has_an_owner(url_names, template_names):
    assert {template_names["leads/lead_detail.html"], template_names["base.html"]} == {
        "leads",
        None,
    }
    assert url_names["opportunities:detail"] == {"opportunities"}
    assert url_names["catalog:lines-preview"] == {"sfa.catalog"}
    assert url_names["admin:leads_lead_changelist"] == {None}  # the admin site's


@pytest.mark.parametrize(
    ("app", "kind", "name", "broken"),
    [
        ("opportunities", "template", "leads/lead_form.html", True),
        ("quotes", "template", "catalog/partials/lines.html", False),
        ("quotes", "template", "includes/field.html", False),
        ("quotes", "template", "quotes/partials/lines.html", False),
        ("leads", "url", "opportunities:convert-lead", True),
        ("quotes", "url", "opportunities:detail", True),
        ("opportunities", "url", "quotes:create", True),
        ("quotes", "url", "quotes:detail", False),
        ("quotes", "url", "customers:detail", False),
        ("tickets", "url", "catalog:pick-product", False),
        ("opportunities", "url", "admin:leads_conversionmapping_changelist", False),
        ("leads", "url", "no-such-name", False),
    ],
)
def test_cross_module_rules_judge_uses(app, kind, name, broken, url_names, template_names):
    found = use_problem(Use(app, kind, name, "x.html:1"), url_names, template_names)
    assert (found is not None) == broken


def test_uses_are_found_in_templates_and_code():
    page = ROOT / "x" / "templates" / "page.html"
    text = (
        "{% extends 'base.html' %}{% include \"leads/partials/records.html\" with x=1 %}\n"
        "<a href=\"{% url 'quotes:detail' q.pk %}\">"
    )
    found = {(u.kind, u.name) for u in template_uses("x", page, text)}
    assert found == {
        ("template", "base.html"),
        ("template", "leads/partials/records.html"),
        ("url", "quotes:detail"),
    }
    code = (
        'redirect("home")\nrender(request, "leads/lead_form.html", {})\n'
        'MenuItem("Quotes", "quotes:list")\n"""Docs on ``quotes:list``."""\n'
    )
    names = {"quotes:list": frozenset({"quotes"}), "home": frozenset({"sfa.customers"})}
    templates = {"leads/lead_form.html": "leads"}
    module = ROOT / "x.py"
    found = {(u.kind, u.name) for u in python_uses("x", module, code, names, templates)}
    assert found == {
        ("url", "home"),
        ("template", "leads/lead_form.html"),
        ("url", "quotes:list"),
    }


def test_modules_use_no_other_modules_templates(url_names, template_names):
    problems = [
        problem
        for use in domain_uses(url_names, template_names)
        if use.kind == "template" and (problem := use_problem(use, url_names, template_names))
    ]
    assert problems == []


def test_modules_reverse_no_other_modules_url_names(url_names, template_names):
    problems = [
        problem
        for use in domain_uses(url_names, template_names)
        if use.kind == "url" and (problem := use_problem(use, url_names, template_names))
    ]
    assert problems == []
