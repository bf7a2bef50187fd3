"""The forecast page's charts, drawn from the report figures by ``sfa.core.charts``."""

from opportunities.reports import FUNNEL_STEPS
from sfa.core.charts import PALETTE, Chart, Series, bar_chart, column_chart, funnel_chart


def pipeline_by_month(pipeline: dict) -> Chart:
    months = list(pipeline["by_month"])
    buckets = list(pipeline["by_month"].values())
    return column_chart(
        key="chart-pipeline",
        title="Open pipeline by expected close month: total and weighted",
        categories=months,
        series=[
            Series("Total", [b.amount for b in buckets], colour=PALETTE[1]),
            Series("Weighted", [b.weighted for b in buckets], colour=PALETTE[0]),
        ],
    )


def attainment_by_rep(attainment: dict) -> Chart:
    rows = attainment["rows"]
    return bar_chart(
        key="chart-attainment",
        title="Quota and won amount per rep",
        categories=[row.rep for row in rows],
        series=[
            Series("Quota", [row.quota for row in rows], colour=PALETTE[1]),
            Series("Won", [row.won for row in rows], colour=PALETTE[3]),
        ],
        notes=[f"{row.percent} %" if row.percent is not None else "no quota" for row in rows],
    )


def funnel(totals: dict[str, int]) -> Chart:
    return funnel_chart(
        key="chart-funnel",
        title="Enquiries to won deals",
        steps=[(step.capitalize(), totals[step]) for step in FUNNEL_STEPS],
    )
