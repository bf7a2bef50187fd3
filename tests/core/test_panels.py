"""Record panels: what modules add to another module's record page (``sfa.core.panels``)."""

import pytest
from django.template import Engine, RequestContext
from django.test import RequestFactory

from sfa.core import panels
from sfa.core.panels import RecordPanel, panels_for, register_panel
from sfa.customers.models import Account, Contact


class User:
    def __init__(self, *perms: str) -> None:
        self.perms = set(perms)

    def has_perm(self, perm: str) -> bool:
        return perm in self.perms


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """A registry of the test's own, the apps' panels set aside."""
    monkeypatch.setattr(panels, "_PANELS", {})


def panel(key: str, **fields) -> RecordPanel:
    fields = {"label": key.title(), "model": "customers.Account", "template": "x.html", **fields}
    return RecordPanel(key=key, **fields)


def keys(user, record, slot: str = "main") -> list[str]:
    return [p.key for p in panels_for(user, record, slot)]


def test_panels_come_in_their_order_then_by_label():
    for key, order in (("zeta", 10), ("beta", 20), ("alpha", 20)):
        register_panel(panel(key, order=order))
    assert keys(User(), Account(pk=1)) == ["zeta", "alpha", "beta"]


def test_a_panel_shows_only_on_its_models_page():
    register_panel(panel("orders"))
    register_panel(panel("calls", model="customers.Contact"))
    assert keys(User(), Account(pk=1)) == ["orders"]
    assert keys(User(), Contact(pk=1)) == ["calls"]


def test_a_panel_needs_its_permission():
    register_panel(panel("quotes", permission="quotes.view_quote"))
    assert keys(User(), Account(pk=1)) == []
    assert keys(User("quotes.view_quote"), Account(pk=1)) == ["quotes"]


def test_actions_and_sections_are_apart():
    register_panel(panel("new-quote", slot="actions"))
    register_panel(panel("quotes"))
    assert keys(User(), Account(pk=1), "actions") == ["new-quote"]
    assert keys(User(), Account(pk=1)) == ["quotes"]


def test_an_unknown_slot_is_refused_at_registration():
    with pytest.raises(ValueError, match="slot"):
        panel("quotes", slot="sidebar")


def test_registering_the_same_key_again_replaces_the_panel():
    register_panel(panel("quotes", label="Old"))
    register_panel(panel("quotes", label="Quotes"))
    assert [p.label for p in panels_for(User(), Account(pk=1))] == ["Quotes"]


# The template tag ----------------------------------------------------------------------------

ENGINE = Engine(
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {
                "page.html": "{% load panels %}<h1>{{ title }}</h1>{% record_panels account %}"
                '|{% record_panels account "actions" %}',
                "count.html": "<p>{{ panel.label }} of {{ record.pk }} for {{ title }}: "
                "{{ n }}</p>",
                "button.html": "<button>{{ request.path }}</button>",
            },
        )
    ],
    libraries={"panels": "sfa.core.templatetags.panels"},
    context_processors=["django.template.context_processors.request"],
)


def render_page(user) -> str:
    request = RequestFactory().get("/customers/7/")
    request.user = user
    context = RequestContext(request, {"account": Account(pk=7), "title": "Acme"})
    return ENGINE.get_template("page.html").render(context)


def test_the_tag_renders_each_panel_with_its_context_and_the_pages():
    register_panel(panel("count", template="count.html", context=lambda request, r: {"n": 3}))
    register_panel(panel("button", template="button.html", slot="actions"))
    assert render_page(User()) == (
        "<h1>Acme</h1><p>Count of 7 for Acme: 3</p>|<button>/customers/7/</button>"
    )


def test_a_panel_whose_context_is_none_is_left_out():
    register_panel(panel("count", template="count.html", context=lambda request, r: None))
    assert render_page(User()) == "<h1>Acme</h1>|"


def test_the_panels_context_does_not_leak_into_the_page():
    register_panel(panel("count", template="count.html", context=lambda request, r: {"n": 3}))
    template = ENGINE.from_string("{% load panels %}{% record_panels account %}[{{ n }}]")
    request = RequestFactory().get("/")
    request.user = User()
    html = template.render(RequestContext(request, {"account": Account(pk=7)}))
    assert html.endswith("[]")
