"""Merging a duplicate ticket into another: the conversation, files, e-mail threads and
watchers move; the duplicate is closed with a pointer; refusals are 409 and change nothing."""

import datetime

import pytest
from django.core.files.base import ContentFile

from sfa.core.exceptions import Conflict
from sfa.core.models import OutgoingEmail, TransitionLog
from tests import factories
from tickets import services
from tickets.models import Ticket, TicketAttachment, TicketComment, TicketMessageId

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def at(hours: float) -> datetime.datetime:
    return T0 + datetime.timedelta(hours=hours)


def make_ticket(actor, account=None, *, opened=T0, **data):
    data = {"subject": "Lathe stops", "account": account, **data}
    return services.ticket_create(actor=actor, data=data, now=opened)


@pytest.fixture
def pair(support_agent, account):
    """The original (opened first) and a duplicate of the same customer opened an hour later."""
    original = make_ticket(support_agent, account, subject="Lathe stops", opened=at(0))
    duplicate = make_ticket(
        support_agent,
        account,
        subject="Machine dead",
        description="Since this morning the lathe does nothing.",
        requester_email="plant@customer.example",
        opened=at(1),
    )
    return original, duplicate


def snapshot(*tickets):
    """What a refused merge must leave alone: rows, comments, log and outbox."""
    rows = []
    for ticket in tickets:
        ticket = Ticket.objects.get(pk=ticket.pk)
        rows.append(
            (
                ticket.state,
                ticket.merged_into_id,
                list(ticket.comments.values_list("pk", flat=True)),
                set(ticket.watchers.values_list("pk", flat=True)),
            )
        )
    return rows, TransitionLog.objects.count(), OutgoingEmail.objects.count()


def test_merge_closes_the_duplicate_with_a_pointer_and_logs_it(support_agent, pair):
    original, duplicate = pair
    services.ticket_merge(source=duplicate, target=original, actor=support_agent, now=at(5))
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into_id) == ("closed", original.pk)
    assert duplicate.closed_at == at(5)
    log = TransitionLog.objects.filter(transition="merge").get()
    assert (log.object_id, log.source, log.target) == (str(duplicate.pk), "new", "closed")
    assert log.note == f"into {original.number}"


def test_merge_moves_the_conversation_interleaved_by_time(support_agent, pair):
    original, duplicate = pair
    services.ticket_reply(ticket=original, actor=support_agent, body="First answer", now=at(2))
    services.customer_reply(ticket=duplicate, body="Still dead", now=at(3))
    services.ticket_reply(ticket=original, actor=support_agent, body="On our way", now=at(4))
    services.ticket_merge(source=duplicate, target=original, actor=support_agent, now=at(5))
    bodies = [c.body.split("\n")[0] for c in original.comments.order_by("created_at", "pk")]
    assert bodies == [
        f"Merged from {duplicate.number}: Machine dead (from plant@customer.example)",
        "First answer",
        "Still dead",
        "On our way",
        f"{duplicate.number} “Machine dead” was merged into this ticket by "
        f"{support_agent.get_full_name()}.",
    ]


def test_the_duplicates_request_becomes_an_internal_note_dated_when_it_was_opened(
    support_agent, pair
):
    original, duplicate = pair
    services.ticket_merge(source=duplicate, target=original, actor=support_agent, now=at(5))
    note = original.comments.get(body__startswith="Merged from")
    assert (note.is_public, note.via, note.created_at) == (False, "system", at(1))
    assert note.body.endswith("Since this morning the lathe does nothing.")


def test_the_duplicate_keeps_only_a_system_note_pointing_at_the_target(support_agent, pair):
    original, duplicate = pair
    services.customer_reply(ticket=duplicate, body="Still dead", now=at(3))
    services.ticket_merge(source=duplicate, target=original, actor=support_agent, now=at(5))
    notes = list(duplicate.comments.values_list("body", "via", "is_public"))
    assert notes == [
        (
            f"Merged into {original.number} “Lathe stops” by {support_agent.get_full_name()}.",
            "system",
            False,
        )
    ]


def test_merge_moves_attachments_and_email_message_ids(support_agent, pair):
    original, duplicate = pair
    comment = services.customer_reply(ticket=duplicate, body="Photo attached", now=at(2))
    attachment = TicketAttachment.objects.create(
        ticket=duplicate,
        comment=comment,
        file=ContentFile(b"jpeg", name="photo.jpg"),
        filename="photo.jpg",
        content_type="image/jpeg",
        size=4,
    )
    message_id = TicketMessageId.objects.create(
        ticket=duplicate, message_id="<abc@customer.example>", direction="in", comment=comment
    )
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    attachment.refresh_from_db()
    message_id.refresh_from_db()
    assert (attachment.ticket_id, attachment.comment_id) == (original.pk, comment.pk)
    assert message_id.ticket_id == original.pk


def test_merge_adds_the_duplicates_watchers_and_assignee_as_watchers(
    support_agent, agent2, rep1, pair
):
    original, duplicate = pair
    services.ticket_update(ticket=duplicate, actor=support_agent, data={"assignee": support_agent})
    services.ticket_watch(ticket=duplicate, actor=rep1)
    services.ticket_watch(ticket=original, actor=agent2)
    services.ticket_merge(source=duplicate, target=original, actor=agent2)
    assert set(original.watchers.values_list("username", flat=True)) == {
        "agent1",
        "agent2",
        "rep1",
    }


def test_merge_emails_nobody(support_agent, pair):
    original, duplicate = pair
    before = OutgoingEmail.objects.count()
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    assert OutgoingEmail.objects.count() == before


def test_tickets_without_a_customer_merge(support_agent):
    original = make_ticket(support_agent, requester_email="a@example.com")
    duplicate = make_ticket(support_agent, requester_email="a@example.com", opened=at(1))
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == original.pk


def test_a_resolved_duplicate_merges(support_agent, pair):
    original, duplicate = pair
    services.ticket_resolve(ticket=duplicate, actor=support_agent)
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    assert Ticket.objects.get(pk=duplicate.pk).state == "closed"


def test_earlier_duplicates_follow_to_the_new_target(support_agent, account, pair):
    original, duplicate = pair
    third = make_ticket(support_agent, account, opened=at(2))
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    services.ticket_merge(source=original, target=third, actor=support_agent)
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == third.pk


def test_a_merged_duplicate_cannot_be_reopened(support_agent, pair):
    original, duplicate = pair
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    with pytest.raises(Conflict):
        services.ticket_reopen(ticket=duplicate, actor=support_agent)
    assert Ticket.objects.get(pk=duplicate.pk).state == "closed"


def test_a_customer_reply_to_the_duplicate_lands_on_the_target(support_agent, pair):
    original, duplicate = pair
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    comment = services.customer_reply(ticket=duplicate, body="Any news?")
    assert comment.ticket_id == original.pk
    assert Ticket.objects.get(pk=duplicate.pk).state == "closed"


def test_the_duplicates_sla_clocks_stop(support_agent, pair):
    original, duplicate = pair
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    duplicate.refresh_from_db()
    assert services.sla_status(duplicate) == {"first_response": "none", "resolution": "none"}


# Refusals ---------------------------------------------------------------------------------------


def test_merging_into_itself_is_409_and_changes_nothing(support_agent, pair):
    _original, duplicate = pair
    before = snapshot(duplicate)
    with pytest.raises(Conflict) as refused:
        services.ticket_merge(source=duplicate, target=duplicate, actor=support_agent)
    assert (refused.value.status, refused.value.code) == (409, "merge_into_itself")
    assert snapshot(duplicate) == before


def test_merging_into_a_merged_ticket_is_409_and_changes_nothing(support_agent, account, pair):
    original, duplicate = pair
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    third = make_ticket(support_agent, account, opened=at(2))
    before = snapshot(third, duplicate, original)
    with pytest.raises(Conflict) as refused:
        services.ticket_merge(source=third, target=duplicate, actor=support_agent)
    assert refused.value.code == "target_merged"
    assert snapshot(third, duplicate, original) == before


def test_merging_a_closed_ticket_is_409_and_changes_nothing(support_agent, pair):
    original, duplicate = pair
    services.ticket_resolve(ticket=duplicate, actor=support_agent)
    services.ticket_close(ticket=duplicate, actor=support_agent)
    before = snapshot(duplicate, original)
    with pytest.raises(Conflict) as refused:
        services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    assert refused.value.code == "source_closed"
    assert snapshot(duplicate, original) == before


def test_merging_into_a_closed_ticket_is_409(support_agent, pair):
    original, duplicate = pair
    services.ticket_resolve(ticket=original, actor=support_agent)
    services.ticket_close(ticket=original, actor=support_agent)
    with pytest.raises(Conflict) as refused:
        services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    assert refused.value.code == "target_closed"


def test_merging_across_customers_is_409_and_changes_nothing(support_agent, account, pair):
    _original, duplicate = pair
    other = make_ticket(support_agent, factories.AccountFactory(), opened=at(2))
    services.customer_reply(ticket=duplicate, body="Still dead")
    before = snapshot(duplicate, other)
    with pytest.raises(Conflict) as refused:
        services.ticket_merge(source=duplicate, target=other, actor=support_agent)
    assert refused.value.code == "different_customers"
    assert snapshot(duplicate, other) == before


def test_a_ticket_without_customer_does_not_merge_into_a_customers_ticket(support_agent, pair):
    original, _duplicate = pair
    stray = make_ticket(support_agent, requester_email="someone@example.com")
    with pytest.raises(Conflict):
        services.ticket_merge(source=stray, target=original, actor=support_agent)


# API --------------------------------------------------------------------------------------------


def test_api_merges_by_number_and_answers_with_the_closed_duplicate(api_for, support_agent, pair):
    original, duplicate = pair
    response = api_for(support_agent).post(
        f"/api/v1/tickets/{duplicate.pk}/merge/", {"into": original.number}, format="json"
    )
    body = response.json()
    assert response.status_code == 200, body
    assert (body["state"], body["merged_into"]) == ("closed", original.pk)


def test_api_merges_by_id(api_for, support_agent, pair):
    original, duplicate = pair
    response = api_for(support_agent).post(
        f"/api/v1/tickets/{duplicate.pk}/merge/", {"into": original.pk}, format="json"
    )
    assert response.status_code == 200
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == original.pk


def test_api_refused_merge_is_409_and_changes_nothing(api_for, support_agent, pair):
    _original, duplicate = pair
    before = snapshot(duplicate)
    response = api_for(support_agent).post(
        f"/api/v1/tickets/{duplicate.pk}/merge/", {"into": duplicate.number}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "merge_into_itself"
    assert snapshot(duplicate) == before


@pytest.mark.parametrize("into", ["T-1999-99999", "99999999", "", "x\x00"])
def test_api_merge_into_an_unknown_ticket_is_400(api_for, support_agent, pair, into):
    _original, duplicate = pair
    response = api_for(support_agent).post(
        f"/api/v1/tickets/{duplicate.pk}/merge/", {"into": into}, format="json"
    )
    assert response.status_code == 400
    assert "into" in response.json()["fields"]


@pytest.fixture
def rep_who_may_change_tickets(rep2):
    """A rep of the South branch who may change tickets: sees only his customers' ones."""
    from django.contrib.auth.models import Permission

    rep2.user_permissions.add(Permission.objects.get(codename="change_ticket"))
    return rep2


def test_api_merge_of_a_ticket_the_user_cannot_see_is_404(
    api_for, rep_who_may_change_tickets, pair
):
    original, duplicate = pair
    response = api_for(rep_who_may_change_tickets).post(
        f"/api/v1/tickets/{duplicate.pk}/merge/", {"into": original.number}, format="json"
    )
    assert response.status_code == 404
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id is None


def test_api_merge_into_a_ticket_the_user_cannot_see_is_400(
    api_for, rep_who_may_change_tickets, support_agent, pair
):
    original, _duplicate = pair
    own = make_ticket(support_agent, factories.AccountFactory(owner=rep_who_may_change_tickets))
    response = api_for(rep_who_may_change_tickets).post(
        f"/api/v1/tickets/{own.pk}/merge/", {"into": original.number}, format="json"
    )
    assert response.status_code == 400
    assert Ticket.objects.get(pk=own.pk).state == "new"


def test_api_merge_needs_the_change_permission(api_for, rep1, pair):
    original, duplicate = pair
    response = api_for(rep1).post(
        f"/api/v1/tickets/{duplicate.pk}/merge/", {"into": original.number}, format="json"
    )
    assert response.status_code == 403


def test_api_offers_merge_as_a_transition(api_for, support_agent, pair):
    _original, duplicate = pair
    body = api_for(support_agent).get(f"/api/v1/tickets/{duplicate.pk}/").json()
    assert "merge" in body["available_transitions"]


# Staff UI ---------------------------------------------------------------------------------------


def test_merge_page_shows_both_tickets_before_merging(client_for, support_agent, pair):
    original, duplicate = pair
    response = client_for(support_agent).get(
        f"/tickets/{duplicate.pk}/merge/", {"into": original.number.lower()}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Merge {duplicate.number} into {original.number}" in html
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id is None


def test_merge_page_refuses_a_ticket_of_another_customer_up_front(client_for, support_agent, pair):
    _original, duplicate = pair
    other = make_ticket(support_agent, factories.AccountFactory())
    response = client_for(support_agent).get(
        f"/tickets/{duplicate.pk}/merge/", {"into": other.number}
    )
    assert response.status_code == 409
    assert 'id="merge-confirm"' not in response.content.decode()


def test_confirming_merges_and_shows_the_target(client_for, support_agent, pair):
    original, duplicate = pair
    client = client_for(support_agent)
    response = client.post(f"/tickets/{duplicate.pk}/merge/", {"into": original.number})
    assert response.status_code == 302
    assert response.url == f"/tickets/{original.pk}/"
    html = client.get(response.url).content.decode()
    assert 'id="merged-from"' in html
    assert duplicate.number in html


def test_the_merged_tickets_page_points_at_the_target(client_for, support_agent, pair):
    original, duplicate = pair
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    html = client_for(support_agent).get(f"/tickets/{duplicate.pk}/").content.decode()
    assert 'id="merged-into"' in html
    assert f'href="/tickets/{original.pk}/"' in html
    assert 'id="merge-form"' not in html


def test_ticket_page_offers_the_merge_form(client_for, support_agent, pair):
    _original, duplicate = pair
    html = client_for(support_agent).get(f"/tickets/{duplicate.pk}/").content.decode()
    assert 'id="merge-form"' in html


def test_merge_keeps_comment_times(support_agent, pair):
    original, duplicate = pair
    comment = services.customer_reply(ticket=duplicate, body="Still dead", now=at(3))
    services.ticket_merge(source=duplicate, target=original, actor=support_agent)
    assert TicketComment.objects.get(pk=comment.pk).created_at == at(3)
