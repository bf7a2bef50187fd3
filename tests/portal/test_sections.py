"""Modules contribute portal sections: the registry puts them in the menu and under
``/portal/<key>/``; a section hidden from a contact is neither in their menu nor open (404)."""

import types

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path, reverse

import sfa.urls
from sfa.portal import sections
from sfa.portal.sections import PortalSection, all_sections, register_section
from sfa.portal.urls import build_urlpatterns, section_urlpatterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def install_section(settings, monkeypatch):
    """Register a "Warranty" section (``tests.portal.section_urls``) and serve the portal's
    URLs built afresh from the registry."""

    def install(**extra) -> PortalSection:
        fields = {"key": "warranty", "label": "Warranty", "urls": "tests.portal.section_urls"}
        section = PortalSection(**fields, order=5, **extra)
        monkeypatch.setitem(sections._SECTIONS, section.key, section)
        urlconf = types.ModuleType("portal_sections_test_urls")
        staff = [p for p in sfa.urls.urlpatterns if str(p.pattern) != "portal/"]
        portal = path("portal/", include((build_urlpatterns(all_sections()), "portal")))
        urlconf.urlpatterns = [*staff, portal]
        settings.ROOT_URLCONF = urlconf
        return section

    return install


def menu(client) -> str:
    html = client.get("/portal/").content.decode()
    return html[html.index('<nav class="mainnav"') : html.index("</nav>")]


def test_the_modules_sections_keep_their_urls_and_names():
    assert [s.key for s in all_sections()][:2] == ["tickets", "quotes"]
    assert reverse("portal:tickets") == "/portal/tickets/"
    assert reverse("portal:ticket", args=[7]) == "/portal/tickets/7/"
    assert reverse("portal:ticket-file", args=[7, 3]) == "/portal/tickets/7/files/3/"
    assert reverse("portal:quote-pdf", args=[7]) == "/portal/quotes/7/pdf/"
    assert reverse("portal:quote-reject", args=[7]) == "/portal/quotes/7/reject/"


def test_the_menu_lists_the_modules_sections_in_order(client_for, portal_customer):
    nav = menu(client_for(portal_customer))
    assert nav.index("Overview") < nav.index("Tickets") < nav.index("Quotes")
    assert nav.index("Quotes") < nav.index("My profile")


def test_a_registered_section_is_in_the_menu(install_section, client_for, portal_customer):
    install_section()
    nav = menu(client_for(portal_customer))
    assert '<a href="/portal/warranty/">Warranty</a>' in nav
    assert nav.index("Warranty") < nav.index("Tickets")


def test_a_registered_sections_pages_resolve(install_section, client_for, portal_customer):
    install_section()
    assert reverse("portal:warranty-item", args=[3]) == "/portal/warranty/3/"
    response = client_for(portal_customer).get("/portal/warranty/3/")
    assert response.status_code == 200
    assert response.content.decode().startswith("Warranty 3 of")


def test_a_sections_pages_need_the_portal_login(install_section, client):
    install_section()
    response = client.get("/portal/warranty/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/?next=/portal/warranty/"


def test_a_hidden_section_is_not_in_the_menu(install_section, client_for, portal_customer):
    install_section(visible=lambda contact: contact.is_portal_manager)
    assert "Warranty" not in menu(client_for(portal_customer))


def test_a_hidden_sections_pages_are_404(install_section, client_for, portal_customer):
    install_section(visible=lambda contact: contact.is_portal_manager)
    client = client_for(portal_customer)
    assert client.get("/portal/warranty/").status_code == 404
    assert client.get("/portal/warranty/3/").status_code == 404


def test_a_section_shows_to_the_contacts_it_is_for(install_section, client_for, portal_manager):
    install_section(visible=lambda contact: contact.is_portal_manager)
    client = client_for(portal_manager.user)
    assert "Warranty" in menu(client)
    assert client.get("/portal/warranty/").status_code == 200


@pytest.mark.parametrize("key", ["login", "profile", "password-reset", "", "a/b"])
def test_a_section_cannot_take_a_shell_path(key):
    with pytest.raises(ImproperlyConfigured):
        register_section(PortalSection(key=key, label="X", urls="tests.portal.section_urls"))


def test_a_section_lists_its_pages_flat():
    nested = PortalSection(key="nested", label="Nested", urls="sfa.urls")
    with pytest.raises(ImproperlyConfigured):
        section_urlpatterns(nested)
