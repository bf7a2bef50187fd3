"""Inline SVG charts: proportional geometry, zero data, accessible markup."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from sfa.core.charts import Series, bar_chart, column_chart, compact, funnel_chart, scale


def test_scale_gives_half_the_length_to_half_the_max():
    assert scale([Decimal("100.00"), Decimal("50.00"), 0], 300) == [300.0, 150.0, 0.0]


def test_scale_of_all_zero_values_is_zero_without_dividing():
    assert scale([0, Decimal("0.00")], 300) == [0.0, 0.0]


def test_scale_draws_negative_values_as_zero():
    assert scale([10, -5], 100) == [100.0, 0.0]


def test_column_chart_bar_heights_are_proportional_to_the_values():
    chart = column_chart(
        key="c",
        title="Pipeline",
        categories=["2026-01", "2026-02"],
        series=[Series("Total", [Decimal("400"), Decimal("200")])],
        height=180,
    )
    tall, half = chart.bars
    assert (tall.height, half.height) == (180.0, 90.0)
    assert half.y - tall.y == 90.0  # bars stand on the same baseline


def test_column_chart_draws_one_bar_per_series_and_category_with_a_legend():
    chart = column_chart(
        key="c",
        title="Pipeline",
        categories=["2026-01", "2026-02", "2026-03"],
        series=[Series("Total", [3, 2, 1]), Series("Weighted", [1, 1, 1])],
    )
    assert len(chart.bars) == 6
    assert [swatch.label for swatch in chart.legend] == ["Total", "Weighted"]


def test_bar_chart_gives_half_the_length_to_half_the_max():
    chart = bar_chart(
        key="b",
        title="Attainment",
        categories=["Rita", "Rob"],
        series=[Series("Won", [Decimal("8000.00"), Decimal("4000.00")])],
        length=320,
    )
    assert [bar.width for bar in chart.bars] == [320.0, 160.0]
    assert {bar.x for bar in chart.bars} == {chart.bars[0].x}  # all start at the axis


def test_bar_chart_of_zero_values_has_empty_bars_and_zero_labels():
    chart = bar_chart(
        key="b",
        title="Attainment",
        categories=["Rita"],
        series=[Series("Quota", [0]), Series("Won", [Decimal("0.00")])],
    )
    assert [bar.width for bar in chart.bars] == [0.0, 0.0]
    assert [t.text for t in chart.texts].count("0") == 2


def test_bar_chart_draws_a_missing_value_as_an_empty_bar_with_a_dash():
    chart = bar_chart(
        key="b", title="Attainment", categories=["Rita", "Sam"], series=[Series("Quota", [5, None])]
    )
    assert chart.bars[1].width == 0.0
    assert "–" in [t.text for t in chart.texts]
    assert "Sam: Quota –" in chart.description


def test_bar_chart_shows_the_notes_beside_their_category():
    chart = bar_chart(
        key="b",
        title="Attainment",
        categories=["Rita", "Rob"],
        series=[Series("Won", [1, 2])],
        notes=["44.4 %", "no quota"],
    )
    texts = [t.text for t in chart.texts]
    assert texts.index("44.4 %") < texts.index("Rob") < texts.index("no quota")


def test_funnel_chart_centres_bars_narrowing_with_the_values():
    chart = funnel_chart(key="f", title="Funnel", steps=[("Enquiries", 8), ("Won", 2)], length=400)
    wide, narrow = chart.bars
    assert (wide.width, narrow.width) == (400.0, 100.0)
    assert narrow.x + narrow.width / 2 == wide.x + wide.width / 2


def test_funnel_chart_labels_each_step_with_its_share_of_the_previous():
    chart = funnel_chart(key="f", title="Funnel", steps=[("Qualified", 8), ("Converted", 2)])
    assert "2 (25.0 % of qualified)" in [t.text for t in chart.texts]


def test_funnel_chart_of_an_empty_funnel_has_no_share_and_no_division():
    chart = funnel_chart(key="f", title="Funnel", steps=[("Enquiries", 0), ("Won", 0)])
    assert [bar.width for bar in chart.bars] == [0.0, 0.0]
    assert chart.description == "Enquiries: 0; Won: 0."


def test_compact_labels_shorten_thousands_and_millions():
    values = [Decimal("950.40"), Decimal("12345.67"), 1000, Decimal("2500000"), -1500]
    assert [compact(v) for v in values] == ["950", "12.3k", "1k", "2.5M", "-1.5k"]


def test_compact_label_moves_to_the_next_unit_when_rounding_reaches_it():
    assert compact(Decimal("999999")) == "1M"


def test_chart_template_is_an_accessible_image_with_value_labels():
    chart = column_chart(
        key="chart-x", title="Pipeline by month", categories=["2026-01"], series=[Series("T", [5])]
    )
    html = render_to_string("core/chart.html", {"chart": chart})
    assert 'role="img"' in html
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in html
    assert '<title id="chart-x-title">Pipeline by month</title>' in html
    assert '<desc id="chart-x-desc">2026-01: T 5.</desc>' in html
    assert ">5</text>" in html


def test_chart_template_keeps_decimal_points_in_a_language_with_a_decimal_comma():
    chart = bar_chart(key="b", title="t", categories=["a", "b"], series=[Series("s", [3, 1])])
    with translation.override("de"):
        html = render_to_string("core/chart.html", {"chart": chart})
    assert 'width="106.7"' in html


def test_chart_template_says_when_there_is_nothing_to_chart():
    chart = column_chart(key="c", title="Pipeline", categories=[], series=[Series("T", [])])
    html = render_to_string("core/chart.html", {"chart": chart})
    assert "<svg" not in html
    assert "Nothing to chart." in html
