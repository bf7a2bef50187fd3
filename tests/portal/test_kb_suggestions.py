"""The portal's new-ticket page suggests public knowledge-base articles while the customer
types the subject; the ticket page lists the public articles an agent linked. Internal
articles never reach the portal."""

import pytest

from knowledgebase import services as kb
from sfa.core import knowledge
from sfa.core.access import Role
from tests import factories
from tickets import services

pytestmark = pytest.mark.django_db
SUGGEST = "/portal/tickets/suggest/"


@pytest.fixture
def support_manager(branch_north):
    return factories.UserFactory(
        username="supportmanager", role=Role.SUPPORT_MANAGER, branch=branch_north
    )


@pytest.fixture
def publish(support_agent, support_manager):
    def make(title, body, visibility="public"):
        article = kb.article_create(
            actor=support_agent, data={"title": title, "body": body, "visibility": visibility}
        )
        kb.article_submit(article=article, actor=support_agent)
        return kb.article_publish(article=article, actor=support_manager)

    return make


@pytest.fixture
def public(publish):
    return publish("Resetting your portal password", "Use the password reset link.")


@pytest.fixture
def internal(publish):
    return publish(
        "Password reset by hand (support only)",
        "Internal: reset a customer's portal password in the admin.",
        visibility="internal",
    )


@pytest.fixture
def customer(portal_customer):
    return portal_customer


def test_typing_a_subject_suggests_matching_public_articles(client_for, customer, public):
    html = client_for(customer).get(SUGGEST, {"q": "forgot my password"}).content.decode()
    assert "Resetting your portal password" in html


def test_internal_articles_are_never_suggested_in_the_portal(
    client_for, customer, public, internal
):
    html = client_for(customer).get(SUGGEST, {"q": "password reset support"}).content.decode()
    assert "Resetting your portal password" in html
    assert "support only" not in html
    assert f"/knowledgebase/{internal.pk}/" not in html


def test_suggestions_link_to_the_public_page_in_a_new_tab(client_for, customer, public):
    html = client_for(customer).get(SUGGEST, {"q": "password"}).content.decode()
    assert f'/kb/{public.slug}/" target="_blank" rel="noopener"' in html


def test_the_subject_field_itself_is_read_when_no_q_is_given(client_for, customer, public):
    html = client_for(customer).get(SUGGEST, {"subject": "password"}).content.decode()
    assert "Resetting your portal password" in html


def test_nothing_matching_suggests_nothing(client_for, customer, public):
    html = client_for(customer).get(SUGGEST, {"q": "gearbox"}).content.decode()
    assert html.strip() == ""


def test_new_ticket_page_asks_for_suggestions_as_the_subject_is_typed(client_for, customer):
    html = client_for(customer).get("/portal/tickets/new/").content.decode()
    assert f'hx-get="{SUGGEST}"' in html
    assert "from:#id_subject" in html
    assert "htmx" in html


def test_suggestions_need_a_portal_login(client, public):
    response = client.get(SUGGEST, {"q": "password"})
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_ticket_page_lists_only_the_linked_public_articles(
    client_for, customer, support_agent, public, internal
):
    contact = customer.contact
    ticket = services.ticket_create(
        actor=support_agent,
        data={"subject": "Password", "account": contact.account, "contact": contact},
    )
    for article in (public, internal):
        knowledge.link(article.pk, ticket, actor=support_agent)
    html = client_for(customer).get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "Resetting your portal password" in html
    assert "support only" not in html
