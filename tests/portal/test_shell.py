"""The customer portal shell: login, overview, profile, password reset, and the separation of
portal and staff. The sections modules add: ``tests/portal/test_sections.py``."""

import re

import pytest

from sfa.customers.models import Contact
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's password


@pytest.fixture
def customer_contact(portal_customer) -> Contact:
    """The contact behind ``portal_customer``."""
    return Contact.objects.select_related("account").get(user=portal_customer)


@pytest.fixture
def portal_client(client_for, portal_customer):
    return client_for(portal_customer)


def page_text(response) -> str:
    return response.content.decode()


# Login ---------------------------------------------------------------------------------------


def test_portal_login_page_renders_the_form(client):
    response = client.get("/portal/login/")
    assert response.status_code == 200
    html = page_text(response)
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "/portal/password-reset/" in html


def test_portal_login_with_the_right_password_opens_the_portal(client, portal_customer):
    response = client.post(
        "/portal/login/", {"username": portal_customer.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_portal_login_refuses_a_staff_user(client, rep1):
    response = client.post("/portal/login/", {"username": rep1.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "This login is for customers with portal access" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_portal_login_refuses_a_contact_without_portal_access(client, customer_contact):
    Contact.objects.filter(pk=customer_contact.pk).update(has_portal_access=False)
    response = client.post(
        "/portal/login/", {"username": customer_contact.user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# Home and profile ----------------------------------------------------------------------------


def test_portal_home_shows_the_contacts_own_account(portal_client, customer_contact):
    response = portal_client.get("/portal/")
    assert response.status_code == 200
    html = page_text(response)
    assert customer_contact.account.name in html
    assert customer_contact.account.code in html


def test_portal_home_shows_nothing_of_other_accounts(portal_client, rep1, rep2):
    # A code no random token (CSRF) can contain.
    other_account = factories.AccountFactory(
        owner=rep2, name="Southern Secret GmbH", code="SOUTH-SECRET-1"
    )
    neighbour = factories.AccountFactory(owner=rep1, name="Neighbour Of The Customer")
    html = page_text(portal_client.get("/portal/"))
    assert other_account.name not in html
    assert other_account.code not in html
    assert neighbour.name not in html


def test_portal_profile_update_saves_the_contact(portal_client, customer_contact):
    response = portal_client.post(
        "/portal/profile/",
        {"profile": "1", "first_name": "Jo", "last_name": "Customer", "phone": "+49 40 123"},
        follow=True,
    )
    assert "Your details are saved." in page_text(response)
    customer_contact.refresh_from_db()
    assert (customer_contact.first_name, customer_contact.last_name) == ("Jo", "Customer")
    assert customer_contact.phone == "+49 40 123"
    assert customer_contact.user.last_name == "Customer"


def test_portal_profile_update_needs_a_last_name(portal_client, customer_contact):
    before = customer_contact.last_name
    response = portal_client.post("/portal/profile/", {"profile": "1", "last_name": ""})
    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    customer_contact.refresh_from_db()
    assert customer_contact.last_name == before


def test_portal_password_change_keeps_the_user_logged_in(portal_client, portal_customer):
    response = portal_client.post(
        "/portal/profile/",
        {
            "password": "1",
            "old_password": PASSWORD,
            "new_password1": "a-much-better-one-42",
            "new_password2": "a-much-better-one-42",
        },
        follow=True,
    )
    assert "Your password is changed." in page_text(response)
    portal_customer.refresh_from_db()
    assert portal_customer.check_password("a-much-better-one-42")
    assert portal_client.get("/portal/").status_code == 200


def test_portal_password_change_with_a_wrong_old_password_is_refused(
    portal_client, portal_customer
):
    response = portal_client.post(
        "/portal/profile/",
        {
            "password": "1",
            "old_password": "wrong",
            "new_password1": "a-much-better-one-42",
            "new_password2": "a-much-better-one-42",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in page_text(response)
    portal_customer.refresh_from_db()
    assert portal_customer.check_password(PASSWORD)


# Password reset ------------------------------------------------------------------------------


def test_password_reset_mails_a_working_portal_link(client, portal_customer, mailoutbox):
    response = client.post("/portal/password-reset/", {"email": portal_customer.email})
    assert response.status_code == 302
    assert response["Location"] == "/portal/password-reset/sent/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [portal_customer.email]
    link = re.search(r"https?://[^/\s]+(/portal/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in page_text(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-and-fresh-77", "new_password2": "reset-and-fresh-77"},
    )
    assert done["Location"] == "/portal/password-reset/complete/"
    portal_customer.refresh_from_db()
    assert portal_customer.check_password("reset-and-fresh-77")


def test_password_reset_link_works_only_once(client, portal_customer, mailoutbox):
    client.post("/portal/password-reset/", {"email": portal_customer.email})
    path = re.search(r"(/portal/password-reset/[^/\s]+/[^/\s]+/)", mailoutbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    new = {"new_password1": "reset-and-fresh-77", "new_password2": "reset-and-fresh-77"}
    client.post(form_page.redirect_chain[-1][0], new)
    again = client.get(path, follow=True)
    assert "This link has expired" in page_text(again)


def test_password_reset_for_an_unknown_address_sends_nothing(client, mailoutbox):
    response = client.post("/portal/password-reset/", {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_in_the_portal_ignores_staff_addresses(client, rep1, mailoutbox):
    response = client.post("/portal/password-reset/", {"email": rep1.email})
    assert response.status_code == 302
    assert mailoutbox == []


# Portal and staff stay apart -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/customers/", "/", "/products/", "/search/?q=abc"])
def test_portal_user_visiting_staff_pages_is_redirected_to_the_portal(portal_client, path):
    response = portal_client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_staff_user_visiting_the_portal_is_sent_to_the_portal_login(client_for, rep1):
    response = client_for(rep1).get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/?next=/portal/"


def test_staff_user_sees_the_portal_login_form_instead_of_a_redirect_loop(client_for, rep1):
    response = client_for(rep1).get("/portal/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/portal/login/?next=/portal/", 302)]
    assert 'name="password"' in page_text(response)


def test_anonymous_visitor_of_the_portal_is_sent_to_the_portal_login(client):
    response = client.get("/portal/profile/")
    assert response["Location"] == "/portal/login/?next=/portal/profile/"
