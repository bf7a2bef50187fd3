"""Tickets in the customer portal: scoping (the account's portal manager sees all of the
account's tickets, other contacts their own), opening a ticket, the public conversation only,
reply, close and reopen; files; follow-ups of tickets closed long ago; merged duplicates;
ratings; knowledge-base suggestions. Internal notes and articles never reach the portal."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sfa.core import knowledge
from sfa.core.exceptions import TransitionRefused
from sfa.core.models import TransitionLog
from tests import factories
from tickets import portal_services, services
from tickets.models import Ticket, TicketAttachment, TicketComment

pytestmark = pytest.mark.django_db
SUGGEST = "/portal/tickets/suggest/"


@pytest.fixture
def other_contact(account):
    """Another contact of the same customer, without portal access."""
    return factories.ContactFactory(account=account, first_name="Carl", last_name="Other")


def ticket_for(contact, actor=None, uploads=(), **data):
    data = {"subject": "Lathe stops", "account": contact.account, "contact": contact, **data}
    return services.ticket_create(actor=actor, data=data, uploads=uploads)


def pdf(name="manual.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 the manual", "application/pdf")


def closed_long_ago(ticket, agent) -> Ticket:
    """Resolved and closed longer ago than ``SFA_TICKET_REOPEN_DAYS``."""
    long_ago = timezone.now() - datetime.timedelta(days=30)
    services.ticket_resolve(ticket=ticket, actor=agent, now=long_ago)
    services.ticket_close(ticket=ticket, actor=agent)
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=long_ago)
    return Ticket.objects.get(pk=ticket.pk)


def test_contact_lists_only_their_own_tickets(client_for, portal_contact, other_contact):
    mine = ticket_for(portal_contact, subject="Mine")
    theirs = ticket_for(other_contact, subject="Colleague's")
    html = client_for(portal_contact.user).get("/portal/tickets/").content.decode()
    assert mine.number in html
    assert theirs.number not in html


def test_portal_manager_lists_all_of_the_accounts_tickets(
    client_for, portal_manager, other_contact
):
    mine = ticket_for(portal_manager)
    theirs = ticket_for(other_contact)
    html = client_for(portal_manager.user).get("/portal/tickets/").content.decode()
    assert mine.number in html
    assert theirs.number in html


def test_a_colleagues_ticket_is_404_for_a_contact(client_for, portal_contact, other_contact):
    theirs = ticket_for(other_contact)
    assert client_for(portal_contact.user).get(f"/portal/tickets/{theirs.pk}/").status_code == 404


def test_another_accounts_ticket_is_404(client_for, portal_manager):
    stranger = factories.ContactFactory(account=factories.AccountFactory())
    foreign = ticket_for(stranger)
    client = client_for(portal_manager.user)
    assert client.get(f"/portal/tickets/{foreign.pk}/").status_code == 404
    reply = client.post(f"/portal/tickets/{foreign.pk}/reply/", {"body": "Hello?"})
    assert reply.status_code == 404
    assert not TicketComment.objects.exists()


def test_open_a_ticket(client_for, portal_contact):
    response = client_for(portal_contact.user).post(
        "/portal/tickets/new/",
        {"subject": "Display dark", "description": "Since this morning.", "priority": "high"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == f"/portal/tickets/{ticket.pk}/"
    assert (ticket.account, ticket.contact, ticket.channel, ticket.priority) == (
        portal_contact.account,
        portal_contact,
        "portal",
        "high",
    )
    assert ticket.history.get().history_user == portal_contact.user


def test_a_customer_cannot_open_an_urgent_ticket(client_for, portal_contact):
    response = client_for(portal_contact.user).post(
        "/portal/tickets/new/", {"subject": "Now!", "description": "x", "priority": "urgent"}
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_internal_notes_never_show(client_for, portal_contact, support_agent):
    ticket = ticket_for(portal_contact)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="We sent a technician.")
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="Customer owes us money.", public=False
    )
    html = client_for(portal_contact.user).get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "We sent a technician." in html
    assert "Customer owes us money." not in html


def test_reply_reopens_a_pending_ticket(client_for, portal_contact, support_agent):
    ticket = ticket_for(portal_contact)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="Serial number, please?")
    services.ticket_wait_on_customer(ticket=ticket, actor=support_agent)
    response = client_for(portal_contact.user).post(
        f"/portal/tickets/{ticket.pk}/reply/", {"body": "It is SN-4411."}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "open"
    comment = TicketComment.objects.get(from_customer=True)
    assert (comment.body, comment.is_public) == ("It is SN-4411.", True)


def test_empty_reply_is_400(client_for, portal_contact):
    ticket = ticket_for(portal_contact)
    response = client_for(portal_contact.user).post(
        f"/portal/tickets/{ticket.pk}/reply/", {"body": ""}
    )
    assert response.status_code == 400
    assert not TicketComment.objects.exists()


def test_close_a_resolved_ticket(client_for, portal_contact, support_agent):
    ticket = ticket_for(portal_contact)
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    response = client_for(portal_contact.user).post(f"/portal/tickets/{ticket.pk}/close/")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "closed"


def test_closing_an_unresolved_ticket_is_409_and_changes_nothing(client_for, portal_contact):
    ticket = ticket_for(portal_contact)
    response = client_for(portal_contact.user).post(f"/portal/tickets/{ticket.pk}/close/")
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.state == "new"
    assert not TransitionLog.objects.exists()


def test_reopen_a_closed_ticket(client_for, portal_contact, support_agent):
    ticket = ticket_for(portal_contact)
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    services.ticket_close(ticket=ticket, actor=support_agent)
    client = client_for(portal_contact.user)
    assert "Reopen" in client.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    client.post(f"/portal/tickets/{ticket.pk}/reopen/")
    ticket.refresh_from_db()
    assert ticket.state == "open"


def test_staff_are_sent_to_the_portal_login(client_for, support_agent, portal_contact):
    ticket = ticket_for(portal_contact)
    response = client_for(support_agent).get(f"/portal/tickets/{ticket.pk}/")
    assert response.status_code == 302
    assert "/portal/login/" in response.url


def test_portal_menu_links_the_tickets(client_for, portal_contact):
    assert (
        'href="/portal/tickets/"'
        in client_for(portal_contact.user).get("/portal/").content.decode()
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_queries_do_not_grow_with_the_tickets(client_for, portal_manager, other_contact):
    client = client_for(portal_manager.user)
    ticket_for(portal_manager)
    few = _queries(client, "/portal/tickets/")
    for _ in range(6):
        ticket_for(other_contact)
    assert _queries(client, "/portal/tickets/") == few


def test_detail_queries_do_not_grow_with_the_comments(client_for, portal_contact, support_agent):
    ticket = ticket_for(portal_contact)
    client = client_for(portal_contact.user)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="One")
    few = _queries(client, f"/portal/tickets/{ticket.pk}/")
    for index in range(5):
        services.ticket_reply(ticket=ticket, actor=support_agent, body=f"More {index}")
        services.customer_reply(ticket=ticket, body=f"Answer {index}")
    assert _queries(client, f"/portal/tickets/{ticket.pk}/") == few


# Files -------------------------------------------------------------------------------------------


def test_the_customer_replies_with_a_file(client_for, portal_contact):
    ticket = ticket_for(portal_contact)
    response = client_for(portal_contact.user).post(
        f"/portal/tickets/{ticket.pk}/reply/", {"body": "Log attached.", "files": pdf("log.pdf")}
    )
    assert response.status_code == 302
    attachment = TicketAttachment.objects.get()
    assert (attachment.filename, attachment.from_customer) == ("log.pdf", True)


def test_the_customer_opens_a_ticket_with_a_file(client_for, portal_contact):
    response = client_for(portal_contact.user).post(
        "/portal/tickets/new/",
        {"subject": "Broken", "description": "See photo.", "priority": "normal", "files": pdf()},
    )
    assert response.status_code == 302
    attachment = TicketAttachment.objects.get()
    assert attachment.comment is None
    assert attachment.ticket.subject == "Broken"


def test_the_customer_downloads_the_file_of_a_public_reply(
    client_for, portal_contact, support_agent
):
    ticket = ticket_for(portal_contact)
    services.ticket_reply(ticket=ticket, actor=support_agent, body="See.", uploads=[pdf()])
    attachment = TicketAttachment.objects.get()
    response = client_for(portal_contact.user).get(
        f"/portal/tickets/{ticket.pk}/files/{attachment.pk}/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the manual"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_file_of_an_internal_note_is_404(client_for, portal_contact, support_agent):
    ticket = ticket_for(portal_contact)
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="Internal", public=False, uploads=[pdf()]
    )
    attachment = TicketAttachment.objects.get()
    response = client_for(portal_contact.user).get(
        f"/portal/tickets/{ticket.pk}/files/{attachment.pk}/"
    )
    assert response.status_code == 404


def test_another_customers_ticket_file_is_404(client_for, portal_contact, rep2):
    other = factories.ContactFactory(account=factories.AccountFactory(owner=rep2))
    foreign = ticket_for(other, uploads=[pdf()])
    attachment = TicketAttachment.objects.get()
    url = f"/portal/tickets/{foreign.pk}/files/{attachment.pk}/"
    assert client_for(portal_contact.user).get(url).status_code == 404


# Closed long ago: a message opens a follow-up ----------------------------------------------------


def test_writing_on_a_long_closed_ticket_opens_a_follow_up(
    client_for, portal_contact, support_agent
):
    ticket = closed_long_ago(ticket_for(portal_contact), support_agent)
    portal = client_for(portal_contact.user)
    page = portal.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "follow-up-hint" in page
    response = portal.post(f"/portal/tickets/{ticket.pk}/reply/", {"body": "It is back."})
    follow_up = Ticket.objects.get(follow_up_of=ticket)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/tickets/{follow_up.pk}/"
    assert (follow_up.description, follow_up.contact) == ("It is back.", portal_contact)
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CLOSED


def test_a_long_closed_ticket_is_not_reopened(client_for, portal_contact, support_agent):
    ticket = closed_long_ago(ticket_for(portal_contact), support_agent)
    response = client_for(portal_contact.user).post(f"/portal/tickets/{ticket.pk}/reopen/")
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CLOSED


def test_a_long_closed_ticket_offers_a_follow_up_instead_of_reopen(portal_contact, support_agent):
    ticket = closed_long_ago(ticket_for(portal_contact), support_agent)
    options = portal_services.ticket_portal_options(ticket=ticket, contact=portal_contact)
    assert (options.follow_up, options.can_reply, options.can_reopen) == (True, True, False)


def test_a_recently_closed_ticket_offers_reopen(portal_contact, support_agent):
    ticket = ticket_for(portal_contact)
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    ticket = services.ticket_close(ticket=ticket, actor=support_agent)
    options = portal_services.ticket_portal_options(ticket=ticket, contact=portal_contact)
    assert (options.follow_up, options.can_reply, options.can_reopen) == (False, False, True)


def test_the_portal_reply_service_opens_a_follow_up_of_a_long_closed_ticket(
    portal_contact, support_agent
):
    ticket = closed_long_ago(ticket_for(portal_contact), support_agent)
    reply = portal_services.ticket_portal_reply(
        ticket=ticket, contact=portal_contact, actor=portal_contact.user, body="Again."
    )
    assert reply.follow_up_of == ticket
    assert reply.ticket.follow_up_of_id == ticket.pk


def test_the_portal_reopen_service_refuses_a_long_closed_ticket(portal_contact, support_agent):
    ticket = closed_long_ago(ticket_for(portal_contact), support_agent)
    with pytest.raises(TransitionRefused):
        portal_services.ticket_portal_reopen(ticket=ticket, actor=portal_contact.user)
    assert not TransitionLog.objects.filter(transition="reopen").exists()


# Merged duplicates -------------------------------------------------------------------------------


def test_a_merged_duplicate_links_to_its_target_and_passes_replies_on(
    client_for, portal_contact, support_agent
):
    kept = ticket_for(portal_contact, subject="Jam")
    duplicate = ticket_for(portal_contact, subject="Jam!")
    services.ticket_merge(source=duplicate, target=kept, actor=support_agent)
    portal = client_for(portal_contact.user)
    page = portal.get(f"/portal/tickets/{duplicate.pk}/").content.decode()
    assert f'href="/portal/tickets/{kept.pk}/"' in page
    assert "/reopen/" not in page
    response = portal.post(f"/portal/tickets/{duplicate.pk}/reply/", {"body": "Any news?"})
    assert response["Location"] == f"/portal/tickets/{kept.pk}/"
    assert kept.comments.filter(from_customer=True, body="Any news?").exists()


def test_a_merge_target_the_contact_may_not_open_is_named_not_linked(
    client_for, portal_contact, other_contact, support_agent
):
    theirs = ticket_for(other_contact, subject="Jam")
    mine = ticket_for(portal_contact, subject="Jam!")
    services.ticket_merge(source=mine, target=theirs, actor=support_agent)
    portal = client_for(portal_contact.user)
    page = portal.get(f"/portal/tickets/{mine.pk}/").content.decode()
    assert theirs.number in page
    assert f'href="/portal/tickets/{theirs.pk}/"' not in page
    response = portal.post(f"/portal/tickets/{mine.pk}/reply/", {"body": "Any news?"})
    assert response["Location"] == f"/portal/tickets/{mine.pk}/"
    assert theirs.comments.filter(from_customer=True, body="Any news?").exists()


# Rating ------------------------------------------------------------------------------------------


def test_the_customer_rates_their_resolved_ticket(client_for, portal_manager, support_agent):
    ticket = ticket_for(portal_manager, actor=support_agent)
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    client = client_for(portal_manager.user)
    response = client.post(f"/portal/tickets/{ticket.pk}/rate/", {"score": "5"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).rating.channel == "portal"
    assert (
        "You rated our help 5 of 5" in client.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    )


# Knowledge-base suggestions and linked articles --------------------------------------------------


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


def test_typing_a_subject_suggests_matching_public_articles(client_for, portal_contact, public):
    html = (
        client_for(portal_contact.user).get(SUGGEST, {"q": "forgot my password"}).content.decode()
    )
    assert "Resetting your portal password" in html


def test_internal_articles_are_never_suggested(client_for, portal_contact, public, internal):
    response = client_for(portal_contact.user).get(SUGGEST, {"q": "password reset support"})
    html = response.content.decode()
    assert "Resetting your portal password" in html
    assert "support only" not in html
    assert f"/knowledgebase/{internal.pk}/" not in html


def test_suggestions_link_to_the_public_page_in_a_new_tab(client_for, portal_contact, public):
    html = client_for(portal_contact.user).get(SUGGEST, {"q": "password"}).content.decode()
    assert f'/kb/{public.slug}/" target="_blank" rel="noopener"' in html


def test_the_subject_field_itself_is_read_when_no_q_is_given(client_for, portal_contact, public):
    html = client_for(portal_contact.user).get(SUGGEST, {"subject": "password"}).content.decode()
    assert "Resetting your portal password" in html


def test_nothing_matching_suggests_nothing(client_for, portal_contact, public):
    html = client_for(portal_contact.user).get(SUGGEST, {"q": "gearbox"}).content.decode()
    assert html.strip() == ""


def test_new_ticket_page_asks_for_suggestions_as_the_subject_is_typed(client_for, portal_contact):
    html = client_for(portal_contact.user).get("/portal/tickets/new/").content.decode()
    assert f'hx-get="{SUGGEST}"' in html
    assert "from:#id_subject" in html
    assert "htmx" in html


def test_suggestions_need_a_portal_login(client, public):
    response = client.get(SUGGEST, {"q": "password"})
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_ticket_page_lists_only_the_linked_public_articles(
    client_for, portal_contact, support_agent, public, internal
):
    ticket = ticket_for(portal_contact, actor=support_agent, subject="Password")
    for article in (public, internal):
        knowledge.link(article.pk, ticket, actor=support_agent)
    html = client_for(portal_contact.user).get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "Resetting your portal password" in html
    assert "support only" not in html
