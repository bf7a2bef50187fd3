"""Support statistics: counts, backlog, business-hour medians and 90th percentiles, SLA
attainment and ratings match a hand computation on a fixed calendar (Monday to Friday 9–17 in
Berlin); the page is for support managers and administrators; the CSV has a row per ticket;
the queries do not grow with the tickets."""

import csv
import datetime
import io
import itertools
import random

import pytest

from tests import factories
from tickets import services
from tickets.business_hours import BusinessClock, Schedule, business_minutes_between
from tickets.models import (
    BusinessCalendar,
    SlaPolicy,
    Ticket,
    TicketCategory,
    TicketRating,
    WorkingHours,
)
from tickets.statistics import support_statistics
from tickets.support_metrics import Filters, format_minutes, percentile, ticket_figures

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=1))  # Berlin in winter
# Monday 2 February 2026 to Monday 9 February 2026; "now" is Wednesday 11 February, noon
PERIOD = Filters(datetime.date(2026, 2, 2), datetime.date(2026, 2, 9))
_numbers = itertools.count(1)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


NOW = at("2026-02-11 12:00")
TEN, ELEVEN = "2026-02-02 10:00", "2026-02-02 11:00"  # Monday
LATE = "2026-02-09 13:00"  # Monday 9 February, an hour after the first response was due
TUESDAY_5PM = "2026-02-03 17:00"


def make(created: str, **fields) -> Ticket:
    """A ticket as the services leave it; times are Berlin local ("2026-02-02 09:00")."""
    for name in ("responded", "resolved", "fr_due", "res_due"):
        if fields.get(name):
            fields[name] = at(fields[name])
    responded, resolved = fields.pop("responded", None), fields.pop("resolved", None)
    ticket = Ticket.objects.create(
        number=f"T-2026-{next(_numbers):05d}",
        subject=fields.pop("subject", "Lathe stops"),
        state=fields.pop("state", "resolved" if resolved else "open"),
        priority=fields.pop("priority", "high"),
        first_responded_at=responded,
        resolved_at=resolved,
        first_response_due=fields.pop("fr_due", None),
        resolution_due=fields.pop("res_due", None),
        **fields,
    )
    Ticket.objects.filter(pk=ticket.pk).update(created_at=at(created))
    return Ticket.objects.get(pk=ticket.pk)


def rate(ticket: Ticket, score: int, when: str, comment: str = "") -> TicketRating:
    rating = TicketRating.objects.create(ticket=ticket, score=score, comment=comment)
    TicketRating.objects.filter(pk=rating.pk).update(created_at=at(when))
    return rating


def stats_for(user, filters: Filters = PERIOD):
    return support_statistics(user=user, filters=filters, now=NOW)


# Percentiles and formatting ----------------------------------------------------------------------


def test_percentile_interpolates_between_ranks():
    assert percentile([40, 10, 30, 20], 0.5) == 25
    assert percentile([40, 10, 30, 20], 0.9) == pytest.approx(37)
    assert percentile([7], 0.9) == 7
    assert percentile([], 0.5) is None


def test_minutes_read_as_hours_and_minutes():
    assert format_minutes(200) == "3 h 20 min"
    assert format_minutes(45) == "45 min"
    assert format_minutes(120) == "2 h"
    assert format_minutes(None) == "—"


def test_the_business_clock_agrees_with_business_minutes_between():
    # split days, a holiday and the spring change to summer time (29 March 2026)
    schedule = Schedule(
        time_zone="Europe/Berlin",
        hours={day: ((datetime.time(8), datetime.time(12)), (datetime.time(13), datetime.time(17)))
               for day in range(6)},
        holidays=frozenset({datetime.date(2026, 4, 3)}),
    )  # fmt: skip
    clock, rng = BusinessClock(schedule), random.Random(6)
    for _ in range(500):
        start = at("2026-03-01 00:00") + datetime.timedelta(minutes=rng.randrange(60 * 24 * 60))
        end = start + datetime.timedelta(minutes=rng.choice([-30, 0, 45, 300, 3000, 20000]))
        assert clock.minutes_between(start, end) == business_minutes_between(schedule, start, end)


# Times in business hours -------------------------------------------------------------------------


def test_first_response_median_and_p90_count_business_minutes(high, support_manager):
    make("2026-02-02 09:00", sla_policy=high, responded="2026-02-02 10:00")  # 60
    make("2026-02-02 09:00", sla_policy=high, responded="2026-02-02 11:00")  # 120
    make("2026-02-02 16:00", sla_policy=high, responded="2026-02-03 11:00")  # 60 + 120
    make("2026-02-06 16:00", sla_policy=high, responded="2026-02-09 13:00")  # Fri 60 + Mon 240
    stats = stats_for(support_manager)
    assert stats.first_response.count == 4
    assert stats.first_response.median == 150  # (120 + 180) / 2
    assert stats.first_response.p90 == pytest.approx(264)  # 180 + 0.7 × (300 − 180)
    assert (stats.first_response.median_text, stats.first_response.p90_text) == (
        "2 h 30 min",
        "4 h 24 min",
    )


def test_resolution_median_and_p90_leave_out_time_pending_on_the_customer(high, support_manager):
    make("2026-02-02 09:00", sla_policy=high, resolved="2026-02-02 15:00")  # 360
    # Monday 480 + Tuesday 180, of which 360 pending on the customer: 300
    make("2026-02-02 09:00", sla_policy=high, resolved="2026-02-03 12:00", paused_minutes=360)
    make("2026-02-02 16:00", sla_policy=high, resolved="2026-02-04 10:00")  # 60 + 480 + 60
    stats = stats_for(support_manager)
    assert stats.resolution.count == 3
    assert stats.resolution.median == 360
    assert stats.resolution.p90 == pytest.approx(552)  # 360 + 0.8 × (600 − 360)


def test_resolution_time_of_a_ticket_worked_through_the_services(high, account, support_manager):
    ticket = services.ticket_create(
        actor=None, data={"account": account, "subject": "Lathe stops", "priority": "high"},
        now=at("2026-02-02 09:00"),
    )  # fmt: skip
    services.ticket_wait_on_customer(ticket=ticket, actor=None, now=at("2026-02-02 12:00"))
    services.customer_reply(ticket=ticket, body="Here is the log.", now=at("2026-02-03 10:00"))
    services.ticket_resolve(ticket=ticket, actor=None, now=at("2026-02-03 12:00"))
    # 9–17 Monday and 9–12 Tuesday, less 12–17 Monday and 9–10 Tuesday pending
    assert stats_for(support_manager).resolution.median == 300


def test_tickets_without_a_policy_count_on_the_oldest_calendar(calendar, support_manager):
    always = BusinessCalendar.objects.create(name="Always", time_zone="UTC")
    WorkingHours.objects.create(
        calendar=always, weekday=0, start=datetime.time(0), end=datetime.time(23, 59)
    )
    make("2026-02-02 16:00", priority="low", responded="2026-02-03 10:00")
    stats = stats_for(support_manager)
    assert stats.first_response.median == 120  # Monday 16–17, Tuesday 9–10
    assert "Support DE" in stats.time_basis


def test_without_any_calendar_times_are_wall_clock(support_manager):
    make("2026-02-02 16:00", priority="low", responded="2026-02-03 10:00")
    stats = stats_for(support_manager)
    assert stats.first_response.median == 18 * 60
    assert "wall-clock" in stats.time_basis


# Counts and filters ------------------------------------------------------------------------------


def test_created_and_resolved_are_counted_per_day_of_the_period(high, support_manager):
    make("2026-02-02 09:00")
    make("2026-02-02 10:00", resolved="2026-02-04 10:00")
    make("2026-02-03 09:00")
    make("2026-01-30 09:00", resolved="2026-02-03 11:00")  # created before, resolved in it
    make("2026-02-10 09:00")  # after the period
    stats = stats_for(support_manager)
    assert (stats.created, stats.resolved) == (3, 2)
    days = {d.day.isoformat(): (d.created, d.resolved) for d in stats.per_day}
    assert len(days) == 8
    assert days["2026-02-02"] == (2, 0)
    assert days["2026-02-03"] == (1, 1)
    assert days["2026-02-04"] == (0, 1)
    assert days["2026-02-09"] == (0, 0)


def test_the_previous_period_is_counted_for_comparison(support_manager):
    make("2026-01-30 09:00")  # in 25 January to 1 February
    make("2026-02-02 09:00")
    make("2026-02-03 09:00")
    stats = stats_for(support_manager)
    assert (stats.created, stats.created_before, stats.created_change) == (2, 1, 1)


def test_merged_duplicates_are_left_out(support_manager):
    original = make("2026-02-02 09:00")
    duplicate = make("2026-02-02 09:05", state="closed")
    Ticket.objects.filter(pk=duplicate.pk).update(merged_into=original)
    stats = stats_for(support_manager)
    assert stats.created == 1


def test_the_team_filter_keeps_the_teams_tickets(support_manager):
    first, second = factories.TeamFactory(name="First line"), factories.TeamFactory()
    make("2026-02-02 09:00", team=first)
    make("2026-02-02 09:00", team=second)
    make("2026-02-02 09:00")
    stats = stats_for(support_manager, Filters(PERIOD.start, PERIOD.end, team=first))
    assert stats.created == 1
    assert [row.label for row in stats.teams] == ["First line"]


def test_the_agent_filter_keeps_the_agents_tickets(support_manager, support_agent, agent2):
    make("2026-02-02 09:00", assignee=support_agent)
    make("2026-02-02 09:00", assignee=agent2)
    make("2026-02-03 09:00", assignee=agent2)
    stats = stats_for(support_manager, Filters(PERIOD.start, PERIOD.end, agent=agent2))
    assert stats.created == 2
    assert [row.label for row in stats.agents] == ["Bea Berg"]


# SLA attainment ----------------------------------------------------------------------------------


def test_first_response_attainment_counts_targets_decided_in_the_period(high, support_manager):
    # met; answered late; never answered; due after the period (not counted)
    make("2026-02-02 09:00", sla_policy=high, fr_due="2026-02-02 13:00", responded=TEN)
    make("2026-02-06 16:00", sla_policy=high, fr_due="2026-02-09 12:00", responded=LATE)
    make("2026-02-02 09:00", sla_policy=high, fr_due="2026-02-02 13:00")
    make("2026-02-09 15:00", sla_policy=high, fr_due="2026-02-10 11:00")
    sla = stats_for(support_manager).first_response_sla
    assert (sla.met, sla.breached, sla.percent) == (1, 2, 33.3)


def test_resolving_without_a_reply_in_time_meets_the_first_response_target(high, support_manager):
    make(
        "2026-02-02 10:00", sla_policy=high, fr_due="2026-02-02 14:00", resolved="2026-02-02 11:00"
    )
    sla = stats_for(support_manager).first_response_sla
    assert (sla.met, sla.breached) == (1, 0)


def test_a_target_not_yet_due_is_not_decided(high, support_manager):
    make("2026-02-11 10:00", sla_policy=high, fr_due="2026-02-11 14:00")
    stats = stats_for(support_manager, Filters(PERIOD.start, datetime.date(2026, 2, 11)))
    assert stats.first_response_sla.decided == 0
    assert stats.first_response_sla.percent is None


def test_resolution_attainment_counts_late_and_overdue_tickets(high, support_manager):
    # due Tuesday 17:00: resolved Monday (met), Wednesday (late), still open (overdue)
    make("2026-02-02 09:00", sla_policy=high, res_due=TUESDAY_5PM, resolved="2026-02-02 15:00")
    make("2026-02-02 09:00", sla_policy=high, res_due=TUESDAY_5PM, resolved="2026-02-04 10:00")
    make("2026-02-02 09:00", sla_policy=high, res_due=TUESDAY_5PM)
    stats = stats_for(support_manager)
    sla = stats.resolution_sla
    assert (sla.met, sla.breached, sla.percent) == (1, 2, 33.3)
    assert stats.breaches == 2


def test_a_ticket_pending_on_the_customer_is_not_breached(high, support_manager):
    make("2026-02-02 09:00", sla_policy=high, res_due=TUESDAY_5PM, state="pending")
    assert stats_for(support_manager).resolution_sla.decided == 0


# Backlog -----------------------------------------------------------------------------------------


def test_backlog_is_counted_by_state_and_priority(support_manager):
    make("2026-02-02 09:00", state="new", priority="high")
    make("2026-02-02 09:00", state="new", priority="high")
    make("2026-02-02 09:00", state="open", priority="normal")
    make("2026-02-02 09:00", state="pending", priority="low")
    make("2026-02-02 09:00", state="closed", resolved="2026-02-02 10:00")
    stats = stats_for(support_manager)
    assert stats.backlog == 4
    matrix = {row.state: (row.by_priority, row.total) for row in stats.backlog_by_state}
    # priorities: low, normal, high, urgent
    assert matrix == {
        "new": ([0, 0, 2, 0], 2),
        "open": ([0, 1, 0, 0], 1),
        "pending": ([1, 0, 0, 0], 1),
    }
    assert stats.backlog_by_priority == [1, 1, 2, 0]


def test_open_tickets_are_bucketed_by_age(support_manager):
    for hours in (2, 2 * 24, 5 * 24, 10 * 24, 40 * 24):
        created = NOW - datetime.timedelta(hours=hours)
        make(created.replace(tzinfo=None).isoformat(sep=" "))
    make("2026-02-10 09:00", resolved="2026-02-10 10:00")  # not open
    stats = stats_for(support_manager)
    assert [n for _, n in stats.age] == [1, 1, 1, 1, 1]
    assert [label for label, _ in stats.age] == [
        "< 1 day",
        "1–3 days",
        "3–7 days",
        "1–4 weeks",
        "older",
    ]


def test_backlog_by_category_counts_open_created_and_resolved(support_manager):
    hardware = TicketCategory.objects.create(name="Hardware")
    make("2026-02-02 09:00", category=hardware)
    make("2026-02-02 09:00", category=hardware, resolved="2026-02-03 09:00")
    make("2026-02-02 09:00")
    categories = stats_for(support_manager).categories
    rows = {row.label: (row.open, row.created, row.resolved) for row in categories}
    assert rows == {"Hardware": (1, 2, 1), "No category": (1, 1, 0)}


# Agents, teams and ratings -----------------------------------------------------------------------


@pytest.fixture
def worked(high, support_agent, agent2):
    """Two agents' tickets of one team."""
    team = factories.TeamFactory(name="First line")
    mine = {"sla_policy": high, "team": team, "assignee": support_agent}
    targets = {"fr_due": "2026-02-02 13:00", "res_due": TUESDAY_5PM}
    # both targets met; both answered in time, resolved late; answered late, open
    a = make("2026-02-02 09:00", **mine, **targets, responded=TEN, resolved="2026-02-02 15:00")
    make("2026-02-02 09:00", **mine, **targets, responded=ELEVEN, resolved="2026-02-04 10:00")
    theirs = {"sla_policy": high, "team": team, "assignee": agent2}
    make("2026-02-06 16:00", **theirs, fr_due="2026-02-09 12:00", responded=LATE)
    rate(a, 5, "2026-02-03 08:00", "Quick and friendly")
    return team


def test_each_agent_has_resolved_times_sla_and_rating(worked, support_manager, support_agent):
    rows = {row.label: row for row in stats_for(support_manager).agents}
    first, second = rows[str(support_agent)], rows["Bea Berg"]
    assert (first.open, first.resolved) == (0, 2)
    assert first.first_response.median_text == "1 h 30 min"  # 60 and 120
    assert (first.first_response_sla.percent, first.resolution_sla.percent) == (100.0, 50.0)
    assert first.sla.percent == 75.0
    assert (first.ratings.average, first.ratings.count) == (5.0, 1)
    assert (second.open, second.resolved, second.first_response_sla.percent) == (1, 0, 0.0)
    assert second.ratings.average is None


def test_the_team_row_sums_its_agents(worked, support_manager):
    [row] = stats_for(support_manager).teams
    assert (row.label, row.open, row.created, row.resolved) == ("First line", 1, 3, 2)
    assert (row.sla.met, row.sla.decided) == (3, 5)
    assert row.first_response.median == 120  # 60, 120 and 300


def test_ratings_of_the_period_give_average_distribution_and_comments(support_manager):
    tickets = [make("2026-02-02 09:00", resolved="2026-02-02 12:00") for _ in range(4)]
    rate(tickets[0], 5, "2026-02-02 13:00", "Great")
    rate(tickets[1], 4, "2026-02-03 13:00")
    rate(tickets[2], 2, "2026-02-04 13:00", "Slow")
    rate(tickets[3], 1, "2026-02-10 13:00", "After the period")
    stats = stats_for(support_manager)
    assert (stats.ratings.count, stats.ratings.average) == (3, 3.67)
    assert stats.rating_distribution == {5: 1, 4: 1, 3: 0, 2: 1, 1: 0}
    assert stats.satisfied_percent == 66.7
    assert [c.comment for c in stats.rating_comments] == ["Slow", "Great"]


# Queries -----------------------------------------------------------------------------------------


def _busy_desk(count: int, agents, teams) -> None:
    """``count`` tickets on a calendar, policy and category of their own, two thirds resolved
    and rated."""
    category = TicketCategory.objects.create(name=f"Category {count}")
    other = BusinessCalendar.objects.create(name=f"Calendar {count}", time_zone="UTC")
    WorkingHours.objects.create(
        calendar=other, weekday=1, start=datetime.time(8), end=datetime.time(12)
    )
    policy = SlaPolicy.objects.create(
        name=f"Policy {count}", priority="high", calendar=other,
        customer_group=factories.CustomerGroupFactory(),
        first_response_minutes=60, resolution_minutes=240,
    )  # fmt: skip
    for n in range(count):
        ticket = make(
            "2026-02-02 09:00", sla_policy=policy, team=teams[n % 2], assignee=agents[n % 2],
            category=category, fr_due="2026-02-02 13:00", responded="2026-02-03 10:00",
            res_due="2026-02-03 17:00", resolved="2026-02-04 10:00" if n % 3 else None,
        )  # fmt: skip
        if n % 3:
            rate(ticket, n % 5 + 1, "2026-02-05 10:00", f"Comment {n}")


def test_the_report_takes_the_same_queries_for_many_tickets(
    support_manager, support_agent, agent2, django_assert_max_num_queries
):
    agents = [support_agent, agent2]
    teams = [factories.TeamFactory(), factories.TeamFactory()]
    _busy_desk(2, agents, teams)
    with django_assert_max_num_queries(15):
        few = stats_for(support_manager)
    _busy_desk(30, agents, teams)  # more tickets, calendars, categories and ratings
    with django_assert_max_num_queries(15):
        many = stats_for(support_manager)
    assert (few.created, many.created) == (2, 32)


def test_the_export_takes_the_same_queries_for_many_tickets(
    support_manager, support_agent, agent2, django_assert_max_num_queries
):
    _busy_desk(40, [support_agent, agent2], [None, None])
    with django_assert_max_num_queries(5):
        rows = list(ticket_figures(user=support_manager, filters=PERIOD, now=NOW))
    assert len(rows) == 40


# The page and the export -------------------------------------------------------------------------

URL = "/tickets/statistics/"
QUERY = {"start": "2026-02-02", "end": "2026-02-09"}


@pytest.mark.parametrize(
    ("actor", "status"),
    [("support_manager", 200), ("administrator", 200), ("support_agent", 403),
     ("sales_manager", 403)],
)  # fmt: skip
def test_the_page_is_for_support_managers_and_administrators(actor, status, request, client_for):
    user = request.getfixturevalue(actor)
    assert client_for(user).get(URL).status_code == status


def test_the_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_page_shows_key_figures_charts_and_tables(worked, support_manager, client_for):
    response = client_for(support_manager).get(URL, QUERY)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="figure" id="kpi-first-response">2 h</div>' in html  # 60, 120, 300
    assert '<div class="figure" id="kpi-created">3</div>' in html
    assert 'id="chart-volume-title"' in html
    assert 'id="chart-ratings-title"' in html
    assert "Bea Berg" in html
    assert "First line" in html
    assert "Quick and friendly" in html


def test_the_menu_and_the_queue_link_to_the_page_for_managers(support_manager, client_for):
    html = client_for(support_manager).get("/tickets/queue/").content.decode()
    assert html.count(f'href="{URL}"') == 2  # the menu and the queue's button


def test_only_the_statistics_entry_of_the_menu_is_active_on_the_page(support_manager, client_for):
    html = client_for(support_manager).get(URL).content.decode()
    assert html.count('aria-current="page"') == 1
    assert f'href="{URL}" class="active"' in html


def test_agents_see_no_link_to_the_page(support_agent, client_for):
    html = client_for(support_agent).get("/tickets/queue/").content.decode()
    assert URL not in html


def test_a_period_ending_before_it_starts_is_refused(support_manager, client_for):
    response = client_for(support_manager).get(URL, {"start": "2026-02-09", "end": "2026-02-02"})
    assert response.status_code == 400
    assert "The end is before the start." in response.content.decode()


def test_the_csv_has_a_row_per_ticket_with_business_minutes_and_sla(
    worked, support_manager, support_agent, client_for
):
    make("2026-01-05 09:00")  # nothing happened to it in the period
    response = client_for(support_manager).get(URL, {**QUERY, "format": "csv"})
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "support-statistics-2026-02-02-2026-02-09.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    first = rows[0]
    assert (first["agent"], first["team"]) == (str(support_agent), "First line")
    assert first["created"] == "2026-02-02 08:00"  # UTC, the site's time zone
    assert first["first_response_business_minutes"] == "60.0"
    assert first["resolution_business_minutes"] == "360.0"
    assert (first["first_response_sla"], first["resolution_sla"]) == ("met", "met")
    assert first["rating"] == "5"
    late = next(row for row in rows if row["agent"] == "Bea Berg")
    assert late["first_response_business_minutes"] == "300.0"
    assert late["first_response_sla"] == "breached"


def test_the_csv_neutralises_formulas(support_manager, client_for):
    make("2026-02-02 09:00", subject="=HYPERLINK(evil)")
    response = client_for(support_manager).get(URL, {**QUERY, "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in text
