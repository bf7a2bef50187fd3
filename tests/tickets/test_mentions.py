"""@mentions in replies and internal notes: the colleague watches the ticket and gets one
e-mail per comment; the conversation shows the mention marked (and everything escaped)."""

import pytest

from sfa.core.access import Role
from sfa.core.models import OutgoingEmail
from tests import factories
from tickets import mentions, selectors, services

pytestmark = pytest.mark.django_db


def mention_mails():
    return OutgoingEmail.objects.filter(kind="tickets.mention").order_by("pk")


def note(ticket, actor, body, public=False):
    return services.ticket_reply(ticket=ticket, actor=actor, body=body, public=public)


def test_mention_emails_the_colleague_once_and_makes_them_a_watcher(support_agent, agent2, ticket):
    note(ticket, support_agent, "@agent2 can you check? Thanks @Agent2!")
    assert [m.to for m in mention_mails()] == [["agent2@staff.example"]]
    assert list(ticket.watchers.all()) == [agent2]


def test_each_comment_mentions_anew(support_agent, agent2, ticket):
    note(ticket, support_agent, "@agent2 look")
    note(ticket, support_agent, "@agent2 again")
    assert mention_mails().count() == 2
    assert ticket.watchers.count() == 1


def test_mentions_match_usernames_case_insensitively(support_agent, agent2, ticket):
    note(ticket, support_agent, "Over to @AGENT2.")
    assert mention_mails().count() == 1


def test_the_author_is_never_mentioned(support_agent, ticket):
    note(ticket, support_agent, "Note to self @agent1")
    assert not mention_mails().exists()
    assert not ticket.watchers.exists()


def test_email_addresses_are_no_mentions(support_agent, agent2, ticket):
    note(ticket, support_agent, "Customer wrote from x@agent2 and mail@agent2.example")
    assert not mention_mails().exists()


def test_unknown_portal_and_inactive_users_are_not_mentioned(
    support_agent, portal_customer, ticket
):
    factories.UserFactory(username="gone", role=Role.SUPPORT_AGENT, is_active=False)
    note(ticket, support_agent, f"@nobody @gone @{portal_customer.username}")
    assert not mention_mails().exists()
    assert not ticket.watchers.exists()


def test_staff_without_access_to_tickets_are_not_mentioned(support_agent, marketing, ticket):
    note(ticket, support_agent, "@marketing1 fyi")
    assert not mention_mails().exists()


def test_a_mention_in_a_public_reply_also_notifies(support_agent, agent2, ticket):
    note(ticket, support_agent, "We asked @agent2 to call you.", public=True)
    assert mention_mails().count() == 1


def test_a_mentioned_rep_who_could_not_see_the_ticket_now_can(support_agent, rep2, ticket):
    assert not selectors.ticket_visible_to(rep2).filter(pk=ticket.pk).exists()
    note(ticket, support_agent, "@rep2 your customer? ")
    assert selectors.ticket_visible_to(rep2).filter(pk=ticket.pk).exists()


def test_the_assignee_is_emailed_but_not_made_a_watcher(support_agent, agent2, account):
    ticket = services.ticket_create(
        actor=support_agent, data={"subject": "Lathe", "account": account, "assignee": agent2}
    )
    note(ticket, support_agent, "@agent2 please")
    assert mention_mails().count() == 1
    assert not ticket.watchers.exists()


def test_the_mention_email_names_the_author_and_links_the_comment(
    support_agent, agent2, ticket, settings
):
    comment = note(ticket, support_agent, "@agent2 the spindle is worn")
    mail = mention_mails().get()
    assert support_agent.get_full_name() in mail.subject
    assert ticket.number in mail.subject
    assert "the spindle is worn" in mail.body_text
    assert f"{settings.SFA_BASE_URL}/tickets/{ticket.pk}/#comment-{comment.pk}" in mail.body_text


# Parsing and display ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@alex please", ["alex"]),
        ("(@Alex.Agent), @bob.", ["alex.agent", "bob"]),
        ("mail me: a@b.example", []),
        ("@alex @ALEX @alex", ["alex"]),
        ("@ alone", []),
    ],
)
def test_mentioned_names(text, names):
    assert mentions.mentioned_names(text) == names


def test_highlight_marks_known_mentions_and_escapes_the_rest():
    html = mentions.highlight("<b>@agent2</b> & @nobody\nbye", frozenset({"agent2"}))
    assert html == ('&lt;b&gt;<mark class="mention">@agent2</mark>&lt;/b&gt; &amp; @nobody<br>bye')


def test_ticket_page_marks_mentions_in_the_conversation(client_for, support_agent, agent2, ticket):
    note(ticket, support_agent, "@agent2 <script>alert(1)</script>")
    html = client_for(support_agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert '<mark class="mention">@agent2</mark> &lt;script&gt;' in html
    assert '<option value="agent2">' in html  # the picker's list of colleagues
