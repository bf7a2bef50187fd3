"""The customer rates a resolved ticket once: by the e-mailed link or in the portal."""

import re

import pytest
from django.test import Client

from sfa.core.exceptions import Conflict
from sfa.core.models import OutgoingEmail
from tickets import services
from tickets.models import TicketRating


@pytest.fixture
def resolved(contact, support_agent):
    ticket = services.ticket_create(
        actor=support_agent, data={"contact": contact, "subject": "Printer jams"}
    )
    return services.ticket_resolve(ticket=ticket, actor=support_agent)


def link() -> str:
    mail = OutgoingEmail.objects.get(kind="tickets.rating_request")
    return re.search(r"/rate/\S+/", mail.body_text).group(0)


@pytest.mark.django_db
def test_resolving_sends_the_customer_a_rating_link(resolved):
    mail = OutgoingEmail.objects.get(kind="tickets.rating_request")
    assert mail.to == ["greta@holm.example"]
    assert "/rate/" in mail.body_text


@pytest.mark.django_db
def test_the_link_takes_a_rating_once(resolved):
    client = Client()
    assert client.get(link()).status_code == 200
    response = client.post(link(), {"score": "4", "comment": "Quick help"})
    assert "Thank you for your rating" in response.content.decode()
    again = client.post(link(), {"score": "1"})
    assert "rated already" in again.content.decode()
    rating = TicketRating.objects.get()
    assert (rating.score, rating.comment, rating.channel) == (4, "Quick help", "link")


@pytest.mark.django_db
def test_a_score_outside_one_to_five_is_refused(resolved):
    response = Client().post(link(), {"score": "9"})
    assert response.status_code == 400
    assert not TicketRating.objects.exists()


@pytest.mark.django_db
def test_a_forged_link_is_404(resolved):
    assert Client().get("/rate/forged-token/").status_code == 404


@pytest.mark.django_db
def test_an_open_ticket_cannot_be_rated(contact, support_agent):
    ticket = services.ticket_create(actor=support_agent, data={"contact": contact, "subject": "x"})
    with pytest.raises(Conflict):
        services.ticket_rate(ticket=ticket, score=5)
