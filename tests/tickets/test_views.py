"""The staff UI of tickets: list, "My queue", a new ticket, the ticket page (reply, note,
state buttons, triage), the customer 360 tab and the global search."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sfa.core.models import TransitionLog
from tests import factories
from tickets import services
from tickets.models import BusinessCalendar, SlaPolicy, Ticket, TicketComment, WorkingHours

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db
# priority → (first response, resolution) in business minutes
TARGETS = {"low": (480, 2400), "normal": (240, 1800), "high": (120, 600), "urgent": (60, 240)}


@pytest.fixture
def sla(db):
    """Every hour of every day is business time, so due times are now + the target."""
    calendar = BusinessCalendar.objects.create(name="Always", time_zone="UTC")
    for weekday in range(7):
        WorkingHours.objects.create(
            calendar=calendar,
            weekday=weekday,
            start=datetime.time(0),
            end=datetime.time(23, 59, 59),
        )
    for priority, (first, resolution) in TARGETS.items():
        SlaPolicy.objects.create(
            name=priority,
            priority=priority,
            calendar=calendar,
            first_response_minutes=first,
            resolution_minutes=resolution,
        )
    return calendar


def make_ticket(actor, account=None, **data):
    data = {"subject": "Lathe stops", "priority": "normal", "account": account, **data}
    return services.ticket_create(actor=actor, data=data)


def test_create_gives_a_number_and_sla_due_times(client_for, support_agent, sla, account):
    contact = factories.ContactFactory(account=account)
    response = client_for(support_agent).post(
        "/tickets/new/",
        {
            "account": account.pk,
            "contact": contact.pk,
            "subject": "Gearbox noise",
            "description": "Loud since Monday.",
            "channel": "phone",
            "priority": "high",
            "kind": "incident",
            "assignee": support_agent.pk,
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == f"/tickets/{ticket.pk}/"
    assert re.fullmatch(r"T-\d{4}-\d{5}", ticket.number)
    assert (ticket.contact, ticket.priority, ticket.assignee) == (contact, "high", support_agent)
    assert ticket.sla_policy.priority == "high"
    assert ticket.first_response_due is not None
    assert ticket.resolution_due is not None


def test_ticket_page_shows_due_times_and_sla_status(client_for, support_agent, sla, account):
    ticket = make_ticket(support_agent, account, priority="urgent")
    html = client_for(support_agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert ticket.number in html
    assert f"{ticket.first_response_due:%Y-%m-%d %H:%M}" in html
    assert f"{ticket.resolution_due:%Y-%m-%d %H:%M}" in html
    assert "On track" in html


def test_create_with_another_customers_contact_shows_the_field_error(
    client_for, support_agent, sla, account
):
    stranger = factories.ContactFactory(account=factories.AccountFactory())
    response = client_for(support_agent).post(
        "/tickets/new/",
        {
            "account": account.pk,
            "contact": stranger.pk,
            "subject": "Gearbox noise",
            "channel": "phone",
            "priority": "normal",
            "kind": "question",
        },
    )
    assert response.status_code == 400
    assert "This contact belongs to another customer." in response.content.decode()
    assert not Ticket.objects.exists()


def test_create_without_a_subject_is_400(client_for, support_agent, sla):
    response = client_for(support_agent).post(
        "/tickets/new/", {"subject": "", "channel": "phone", "priority": "normal"}
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_customer_picker_offers_the_chosen_customers_contacts(client_for, support_agent, account):
    contact = factories.ContactFactory(account=account, first_name="Greta", last_name="Holm")
    client = client_for(support_agent)
    found = client.get("/customers/pick/", {"customer_q": account.name[:4]}, **HTMX)
    assert f"?account={account.pk}" in found.content.decode()
    chosen = client.get("/customers/pick/", {"account": account.pk}, **HTMX)
    assert f'value="{contact.pk}"' in chosen.content.decode()


# My queue ----------------------------------------------------------------------------------------


def test_my_queue_puts_the_earliest_due_first(client_for, support_agent, sla, account, team):
    low = make_ticket(support_agent, account, priority="low", assignee=support_agent)
    urgent = make_ticket(support_agent, account, priority="urgent", team=team)
    normal = make_ticket(support_agent, account, priority="normal", assignee=support_agent)
    html = client_for(support_agent).get("/tickets/queue/").content.decode()
    positions = [html.index(t.number) for t in (urgent, normal, low)]
    assert positions == sorted(positions)


def test_my_queue_leaves_out_other_agents_and_finished_tickets(
    client_for, support_agent, agent2, sla, account, team
):
    theirs = make_ticket(support_agent, account, assignee=agent2, team=team)
    done = make_ticket(support_agent, account, assignee=support_agent)
    services.ticket_resolve(ticket=done, actor=support_agent)
    mine = make_ticket(support_agent, account, assignee=support_agent)
    html = client_for(support_agent).get("/tickets/queue/").content.decode()
    assert mine.number in html
    assert theirs.number not in html
    assert done.number not in html


# Conversation ------------------------------------------------------------------------------------


def test_public_reply_answers_the_customer_and_opens_the_ticket(
    client_for, support_agent, sla, account
):
    ticket = make_ticket(support_agent, account)
    client = client_for(support_agent)
    response = client.post(
        f"/tickets/{ticket.pk}/reply/", {"body": "We are on it.", "visibility": "public"}
    )
    assert response.status_code == 302
    comment = TicketComment.objects.get()
    assert (comment.is_public, comment.author) == (True, support_agent)
    ticket.refresh_from_db()
    assert ticket.state == "open"
    assert ticket.first_responded_at is not None
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert re.search(r"Public reply</span></header>\s*We are on it\.", html)


def test_internal_note_is_marked_and_leaves_the_first_response_open(
    client_for, support_agent, sla, account
):
    ticket = make_ticket(support_agent, account)
    client = client_for(support_agent)
    client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Known issue.", "visibility": "internal"})
    comment = TicketComment.objects.get()
    assert comment.is_public is False
    ticket.refresh_from_db()
    assert (ticket.state, ticket.first_responded_at) == ("new", None)
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert re.search(r'class="internal".*Internal note</span></header>\s*Known issue\.', html, re.S)


def test_empty_reply_is_400_and_adds_nothing(client_for, support_agent, sla, account):
    ticket = make_ticket(support_agent, account)
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/reply/", {"body": " ", "visibility": "public"}
    )
    assert response.status_code == 400
    assert not TicketComment.objects.exists()


# Transitions ------------------------------------------------------------------------------------


def test_page_offers_the_buttons_of_the_current_state(client_for, support_agent, sla, account):
    ticket = make_ticket(support_agent, account)
    html = client_for(support_agent).get(f"/tickets/{ticket.pk}/").content.decode()
    for name in ("open", "wait_on_customer", "resolve"):
        assert f"/tickets/{ticket.pk}/{name}/" in html
    for name in ("close", "reopen"):
        assert f"/tickets/{ticket.pk}/{name}/" not in html


def test_resolve_button_resolves_and_logs(client_for, support_agent, sla, account):
    ticket = make_ticket(support_agent, account)
    response = client_for(support_agent).post(f"/tickets/{ticket.pk}/resolve/", {"note": "fixed"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "resolved"
    log = TransitionLog.objects.get(object_id=str(ticket.pk))
    assert (log.transition, log.source, log.target, log.note) == (
        "resolve",
        "new",
        "resolved",
        "fixed",
    )


def test_refused_transition_answers_409_and_changes_nothing(
    client_for, support_agent, sla, account
):
    ticket = make_ticket(support_agent, account)
    response = client_for(support_agent).post(f"/tickets/{ticket.pk}/close/")
    assert response.status_code == 409
    assert "not allowed" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == "new"
    assert not TransitionLog.objects.exists()


def test_unknown_transition_is_404(client_for, support_agent, sla, account):
    ticket = make_ticket(support_agent, account)
    assert client_for(support_agent).post(f"/tickets/{ticket.pk}/delete/").status_code == 404


# Triage -------------------------------------------------------------------------------------------


def test_triage_raises_the_priority_and_moves_the_due_times(
    client_for, support_agent, sla, account
):
    ticket = make_ticket(support_agent, account, priority="low")
    before = ticket.first_response_due
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/triage/",
        {"priority": "urgent", "assignee": support_agent.pk, "tags": "vip, gearbox"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee, ticket.tags) == (
        "urgent",
        support_agent,
        "vip, gearbox",
    )
    assert ticket.first_response_due < before


def test_agent_cannot_hand_a_ticket_to_someone_else(
    client_for, support_agent, agent2, sla, account
):
    ticket = make_ticket(support_agent, account)
    response = client_for(support_agent).post(
        f"/tickets/{ticket.pk}/triage/", {"priority": "normal", "assignee": agent2.pk}
    )
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_support_manager_assigns_to_an_agent(
    client_for, support_manager, agent2, sla, account, team
):
    ticket = make_ticket(support_manager, account)
    client_for(support_manager).post(
        f"/tickets/{ticket.pk}/triage/",
        {"priority": "normal", "assignee": agent2.pk, "team": team.pk},
    )
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.team) == (agent2, team)


# Access -----------------------------------------------------------------------------------------


def test_rep_of_another_branch_gets_404(client_for, support_agent, rep2, sla, account):
    ticket = make_ticket(support_agent, account)
    client = client_for(rep2)
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404
    assert ticket.number not in client.get("/tickets/").content.decode()


def test_owner_rep_reads_the_ticket_but_cannot_answer(client_for, support_agent, rep1, account):
    ticket = make_ticket(support_agent, account)
    client = client_for(rep1)
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 200
    reply = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Hi", "visibility": "public"})
    assert reply.status_code == 403
    assert client.post(f"/tickets/{ticket.pk}/resolve/").status_code == 403
    assert not TicketComment.objects.exists()


def test_portal_user_cannot_open_staff_pages(client_for, portal_customer, support_agent, account):
    ticket = make_ticket(support_agent, account)
    response = client_for(portal_customer).get(f"/tickets/{ticket.pk}/")
    assert response.status_code in (302, 403, 404)
    assert ticket.number not in response.content.decode()


# List ---------------------------------------------------------------------------------------------


def test_list_searches_as_you_type_and_filters(client_for, support_agent, sla, account):
    gearbox = make_ticket(support_agent, account, subject="Gearbox noise", priority="high")
    other = make_ticket(support_agent, account, subject="Invoice question")
    client = client_for(support_agent)
    found = client.get("/tickets/", {"search": "gearbox"}, HTTP_HX_TARGET="ticket-results", **HTMX)
    html = found.content.decode()
    assert "<html" not in html
    assert gearbox.number in html
    assert other.number not in html
    high = client.get("/tickets/", {"priority": "high"}).content.decode()
    assert gearbox.number in high
    assert other.number not in high


def test_the_staff_list_and_the_api_take_the_same_parameters(
    client_for, api_for, support_agent, sla, account, team
):
    make_ticket(support_agent, account, subject="Gearbox noise", priority="high")
    make_ticket(support_agent, account, subject="Invoice", assignee=support_agent, team=team)
    make_ticket(support_agent, account, subject="Manual", priority="low")
    staff, api = client_for(support_agent), api_for(support_agent)
    for params in (
        {"search": "gearbox"},
        {"priority": ["high", "low"]},
        {"team": team.pk},
        {"assignee": support_agent.pk},
        {"unassigned": "true"},
        {"ordering": "number"},
    ):
        html = staff.get("/tickets/", params).content.decode()
        rows = api.get("/api/v1/tickets/", params).json()["results"]
        numbers = list(dict.fromkeys(re.findall(r"T-\d{4}-\d{5}", html)))
        assert numbers == [row["number"] for row in rows], params
        assert rows


def test_the_unassigned_box_of_the_staff_list_filters(client_for, support_agent, sla, account):
    mine = make_ticket(support_agent, account, assignee=support_agent)
    nobodys = make_ticket(support_agent, account)
    html = client_for(support_agent).get("/tickets/", {"unassigned": "on"}).content.decode()
    assert nobodys.number in html
    assert mine.number not in html


def test_list_shows_a_breached_badge(client_for, support_agent, sla, account):
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=3)
    services.ticket_create(
        actor=support_agent, data={"subject": "Old", "account": account}, now=long_ago
    )
    html = client_for(support_agent).get("/tickets/").content.decode()
    assert 'class="badge sla-breached"' in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/tickets/", "/tickets/queue/"])
def test_list_and_queue_queries_do_not_grow_with_the_rows(
    client_for, support_agent, sla, account, team, url
):
    client = client_for(support_agent)
    for _ in range(2):
        ticket = make_ticket(support_agent, account, assignee=support_agent, team=team)
        ticket.watchers.add(support_agent)
    _queries(client, url)  # the SLA calendar's schedule is cached from then on
    few = _queries(client, url)
    for index in range(8):
        other = factories.AccountFactory()
        contact = factories.ContactFactory(account=other)
        make_ticket(
            support_agent,
            other,
            contact=contact,
            priority=list(TARGETS)[index % 4],
            assignee=support_agent,
        )
    _queries(client, url)  # new staff users: the pickers read the table again, then cache it
    assert _queries(client, url) == few


# Hooks into the base ----------------------------------------------------------------------------


def test_customer_360_tab_lists_the_tickets_and_counts_the_open_ones(
    client_for, support_agent, sla, account
):
    open_one = make_ticket(support_agent, account)
    done = make_ticket(support_agent, account)
    services.ticket_resolve(ticket=done, actor=support_agent)
    elsewhere = make_ticket(support_agent, factories.AccountFactory())
    client = client_for(support_agent)
    page = client.get(f"/customers/{account.pk}/").content.decode()
    assert re.search(r'\?tab=tickets"[^>]*>Tickets <span class="count">1</span>', page)
    tab = client.get(f"/customers/{account.pk}/?tab=tickets", HTTP_HX_TARGET="tab-panel", **HTMX)
    html = tab.content.decode()
    assert open_one.number in html
    assert done.number in html
    assert elsewhere.number not in html
    assert f"/tickets/new/?account={account.pk}" in html


def test_menu_and_global_search_find_tickets(client_for, support_agent, rep2, sla, account):
    ticket = make_ticket(support_agent, account, subject="Zebra crossing broken")
    client = client_for(support_agent)
    assert 'href="/tickets/"' in client.get("/tickets/queue/").content.decode()
    html = client.get("/search/", {"q": "zebra"}, **HTMX).content.decode()
    assert f"/tickets/{ticket.pk}/" in html
    assert ticket.number not in client_for(rep2).get("/search/", {"q": "zebra"}).content.decode()
