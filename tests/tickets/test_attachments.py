"""Files of tickets: agents and customers attach them to messages; customers never reach the
files of internal notes; downloads are checked like the ticket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets import services
from tickets.models import TicketAttachment

pytestmark = pytest.mark.django_db


def pdf(name="manual.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 the manual", "application/pdf")


def test_an_agent_replies_with_files_in_the_staff_ui(client_for, support_agent, ticket):
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "Here is the manual.", "visibility": "public", "files": [pdf(), pdf("b.pdf")]},
    )
    assert response.status_code == 302
    comment = ticket.comments.get()
    assert sorted(a.filename for a in comment.attachments.all()) == ["b.pdf", "manual.pdf"]


def test_a_refused_file_type_is_a_field_error_and_no_reply(client_for, support_agent, ticket):
    bad = SimpleUploadedFile("run.sh", b"#!/bin/sh\nrm -rf /", "text/x-sh")
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/reply/", {"body": "Run it.", "visibility": "public", "files": bad}
    )
    assert response.status_code == 400
    assert not ticket.comments.exists()


def test_the_files_of_an_internal_note_are_listed_to_agents_only(
    client_for, portal_contact, ticket, support_agent
):
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="Internal", public=False, uploads=[pdf()]
    )
    staff_page = client_for(support_agent).get(f"/tickets/{ticket.pk}/").content.decode()
    portal_page = (
        client_for(portal_contact.user).get(f"/portal/tickets/{ticket.pk}/").content.decode()
    )
    assert "manual.pdf" in staff_page
    assert "manual.pdf" not in portal_page


def test_the_api_uploads_lists_and_downloads_files(api_for, support_agent, ticket):
    api = api_for(support_agent)
    created = api.post(
        f"/api/v1/tickets/{ticket.pk}/attachments/", {"file": pdf()}, format="multipart"
    )
    assert created.status_code == 201, created.content
    listed = api.get(f"/api/v1/tickets/{ticket.pk}/attachments/").json()
    assert [row["filename"] for row in listed] == ["manual.pdf"]
    download = api.get(listed[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 the manual"


def test_the_api_refuses_a_program_with_a_field_error(api_for, support_agent, ticket):
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf")
    response = api_for(support_agent).post(
        f"/api/v1/tickets/{ticket.pk}/attachments/", {"file": bad}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_a_file_of_a_ticket_the_user_cannot_see_is_404_in_the_api(api_for, rep2, ticket):
    stored = TicketAttachment.objects.create(
        ticket=ticket, filename="x.pdf", content_type="application/pdf", size=1, file="x.pdf"
    )
    response = api_for(rep2).get(f"/api/v1/tickets/{ticket.pk}/attachments/{stored.pk}/")
    assert response.status_code == 404
