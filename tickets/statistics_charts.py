"""The support statistics' charts, drawn from the figures by ``sfa.core.charts``.

Created and resolved tickets over time get a compact column chart of their own: a month of
days side by side must fit the page, so its bars are narrow, days are labelled every few
bars and the values live in each bar's tooltip, the chart's description and the table below
it. Longer periods are drawn per week (up to half a year) or per month.
"""

import datetime
import math
from collections.abc import Sequence

from sfa.core.charts import MUTED, PALETTE, Chart, Rect, Series, Text, bar_chart, scale
from tickets.statistics import DayCount, SupportStatistics

WIDTH = 760  # drawing width of the time chart (SVG units)
HEIGHT = 160  # height of its tallest bar
LABELS = 12  # at most this many category labels under the time chart
COLOURS = (PALETTE[0], PALETTE[3])  # created blue, resolved green


def volume_buckets(days: Sequence[DayCount]) -> tuple[str, list[tuple[str, int, int]]]:
    """``(unit, [(label, created, resolved), …])``: per day up to two months, per week
    (starting Monday) up to half a year, else per month."""
    if len(days) <= 62:
        return "day", [(f"{d.day:%m-%d}", d.created, d.resolved) for d in days]
    buckets: dict[datetime.date, list[int]] = {}
    weekly = len(days) <= 183
    for d in days:
        key = d.day - datetime.timedelta(days=d.day.weekday()) if weekly else d.day.replace(day=1)
        bucket = buckets.setdefault(key, [0, 0])
        bucket[0] += d.created
        bucket[1] += d.resolved
    fmt = "%m-%d" if weekly else "%Y-%m"
    unit = "week" if weekly else "month"
    return unit, [(f"{key:{fmt}}", c, r) for key, (c, r) in buckets.items()]


def created_resolved(days: Sequence[DayCount]) -> Chart:
    unit, buckets = volume_buckets(days)
    series = [
        Series("Created", [b[1] for b in buckets]),
        Series("Resolved", [b[2] for b in buckets]),
    ]
    left, top, bottom = 34, 34, 22
    group = WIDTH / max(len(buckets), 1)
    bar = max(min((group * 0.75) / 2, 30), 1)
    heights = scale([v for one in series for v in one.values], HEIGHT)
    chart = Chart(
        key="chart-volume",
        title=f"Tickets created and resolved per {unit}",
        description="; ".join(f"{b[0]}: created {b[1]}, resolved {b[2]}" for b in buckets) + "."
        if buckets
        else "No data.",
        width=left + WIDTH + 8,
        height=top + HEIGHT + bottom,
    )
    x = 8.0
    for number, one in enumerate(series):
        chart.legend.append(Rect(x, 6, 12, 12, COLOURS[number], one.name))
        chart.texts.append(Text(x + 16, 16, one.name))
        x += 16 + 7 * len(one.name) + 16
    top_value = max((v for one in series for v in one.values), default=0)
    chart.texts.append(Text(left - 6, top + 4, str(top_value), "end", MUTED))
    chart.texts.append(Text(left - 6, top + HEIGHT, "0", "end", MUTED))
    every = math.ceil(len(buckets) / LABELS) or 1
    labelled = bar >= 12  # room for a value above each bar
    for index, (label, *_values) in enumerate(buckets):
        x0 = left + index * group + (group - 2 * bar) / 2
        for number, one in enumerate(series):
            value = one.values[index]
            length = heights[number * len(buckets) + index]
            x, y = x0 + number * bar, top + HEIGHT - length
            tip = f"{label} {one.name.lower()}: {value}"
            chart.bars.append(Rect(x, y, bar, length, COLOURS[number], tip))
            if labelled:
                chart.texts.append(Text(x + bar / 2, y - 3, str(value), "middle"))
        if index % every == 0:
            middle = left + index * group + group / 2
            chart.texts.append(Text(middle, top + HEIGHT + 15, label, "middle", MUTED))
    return chart


def backlog_by_priority(stats: SupportStatistics) -> Chart:
    return bar_chart(
        key="chart-backlog-priority",
        title="Open tickets by priority",
        categories=[label for _, label in stats.priorities],
        series=[Series("Open", stats.backlog_by_priority)],
        length=260,
    )


def backlog_by_state(stats: SupportStatistics) -> Chart:
    return bar_chart(
        key="chart-backlog-state",
        title="Open tickets by state",
        categories=[row.label.split(" (")[0] for row in stats.backlog_by_state],
        series=[Series("Open", [row.total for row in stats.backlog_by_state], PALETTE[1])],
        length=260,
    )


def age(stats: SupportStatistics) -> Chart:
    return bar_chart(
        key="chart-age",
        title="Age of open tickets",
        categories=[label for label, _ in stats.age],
        series=[Series("Open", [n for _, n in stats.age], PALETTE[2])],
        length=260,
    )


def ratings(stats: SupportStatistics) -> Chart:
    total = stats.ratings.count
    counts = list(stats.rating_distribution.items())
    return bar_chart(
        key="chart-ratings",
        title="Customer ratings given in the period",
        categories=[f"{score} ★" for score, _ in counts],
        series=[Series("Ratings", [n for _, n in counts], PALETTE[3])],
        notes=[f"{round(100 * n / total)} %" if total else "" for _, n in counts],
        length=260,
    )


def charts_for(stats: SupportStatistics) -> dict[str, Chart]:
    return {
        "volume": created_resolved(stats.per_day),
        "priority": backlog_by_priority(stats),
        "state": backlog_by_state(stats),
        "age": age(stats),
        "ratings": ratings(stats),
    }
