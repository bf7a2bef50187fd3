"""Charts as inline SVG drawn on the server: no JavaScript, no external assets.

A chart function turns labelled values into a :class:`Chart` (rectangles and text labels in
SVG user units); ``{% include "core/chart.html" with chart=… %}`` draws it. The table beside
a chart stays the data source: the chart carries a title and a text description for screen
readers, and every bar shows its value as a label.

    chart = column_chart(key="pipeline", title="Pipeline by month", categories=["2026-01"],
                         series=[Series("Total", [Decimal("3000")]),
                                 Series("Weighted", [Decimal("1100")])])

Lengths are proportional to the largest value of the chart (``scale``); an all-zero chart
draws empty bars.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

Number = Decimal | int | float
# A missing value (None) is drawn as an empty bar labelled with a dash.
MISSING = "–"

# Accent of the stylesheet first; colours distinguishable in greyscale and for common colour
# blindness (blue / light blue / orange / green).
PALETTE = ("#2457c5", "#9db4e8", "#d97706", "#067647", "#7c3aed")
TEXT = "#1d2430"
MUTED = "#667085"
FONT = 11
LABEL_CHARS = 24  # longer category labels are shortened with an ellipsis


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]
    colour: str = ""


class _Rounded:
    """Coordinates to one decimal, so the SVG reads ``12.5``, not ``12.500000000000002``."""

    def __post_init__(self) -> None:
        for name in ("x", "y", "width", "height"):
            if hasattr(self, name):
                object.__setattr__(self, name, _round(getattr(self, name)))


@dataclass(frozen=True)
class Rect(_Rounded):
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str  # the bar's tooltip (<title>)


@dataclass(frozen=True)
class Text(_Rounded):
    x: float
    y: float
    text: str
    anchor: str = "start"  # SVG text-anchor: start, middle, end
    fill: str = TEXT
    bold: bool = False


@dataclass
class Chart:
    key: str  # unique on the page: the ids of <title> and <desc> derive from it
    title: str
    description: str
    width: float
    height: float
    bars: list[Rect] = field(default_factory=list)  # one per value: category by category
    legend: list[Rect] = field(default_factory=list)  # one swatch per series
    texts: list[Text] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.bars


def scale(values: Sequence[Number | None], length: float) -> list[float]:
    """Lengths proportional to the largest value: the largest gets ``length``, a value half
    as large half of it. Negative and missing (None) values and an all-zero series get 0 (no
    division by 0)."""
    clean = [max(Decimal(str(v or 0)), Decimal(0)) for v in values]
    top = max(clean, default=Decimal(0))
    if top == 0:
        return [0.0 for _ in clean]
    return [_round(float(v / top) * length) for v in clean]


UNITS = ((Decimal(1), "", Decimal(1)), (Decimal(1000), "k", Decimal("0.1")),
         (Decimal(10**6), "M", Decimal("0.1")), (Decimal(10**9), "B", Decimal("0.1")))  # fmt: skip


def compact(value: Number | None) -> str:
    """A short label: 950 → "950", 12345.67 → "12.3k", 999999 → "1M", 2500000 → "2.5M"."""
    if value is None:
        return MISSING
    number = Decimal(str(value))
    negative, number = number < 0, abs(number)
    index = max(i for i, (divisor, _, _) in enumerate(UNITS) if i == 0 or number >= divisor)
    while True:
        divisor, suffix, step = UNITS[index]
        short = (number / divisor).quantize(step, rounding=ROUND_HALF_UP)
        if short < 1000 or index == len(UNITS) - 1:
            sign = "-" if negative and short else ""
            return f"{sign}{short:f}".removesuffix(".0") + suffix
        index += 1


def column_chart(
    *,
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    height: float = 180,
    label: Callable[[Number | None], str] = compact,
) -> Chart:
    """Vertical bars, one group per category (months), one bar per series in each group."""
    bar, inner, gap, left, top, bottom = 30, 2, 18, 8, 40, 24
    group = len(series) * (bar + inner) - inner + gap
    heights = scale([v for s in series for v in s.values], height)
    chart = Chart(
        key=key,
        title=title,
        description=_describe(categories, series),
        width=max(left * 2 + group * len(categories), 240),
        height=top + height + bottom,
    )
    _legend(chart, series)
    for index, category in enumerate(categories):
        x0 = left + index * group
        for number, one in enumerate(series):
            value = one.values[index]
            length = heights[number * len(categories) + index]
            x, y = x0 + number * (bar + inner), top + height - length
            chart.bars.append(Rect(x, y, bar, length, _colour(one, number), _tip(one, value)))
            chart.texts.append(Text(x + bar / 2, y - 4, label(value), "middle"))
        middle = x0 + (group - gap) / 2
        chart.texts.append(Text(middle, top + height + 16, _short(category), "middle", MUTED))
    return chart


def bar_chart(
    *,
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    notes: Sequence[str] = (),
    length: float = 320,
    label: Callable[[Number | None], str] = compact,
) -> Chart:
    """Horizontal bars, one group per category (reps), one bar per series in each group;
    ``notes`` adds a text per category at the right (attainment %)."""
    bar, inner, gap, left, top = 14, 2, 12, 160, 28
    group = len(series) * (bar + inner) - inner + gap
    lengths = scale([v for s in series for v in s.values], length)
    note_x = left + length + 56
    chart = Chart(
        key=key,
        title=title,
        description=_describe(categories, series, notes),
        width=note_x + (64 if notes else 0),
        height=top + group * len(categories),
    )
    _legend(chart, series)
    for index, category in enumerate(categories):
        y0 = top + index * group
        for number, one in enumerate(series):
            value = one.values[index]
            size = lengths[number * len(categories) + index]
            y = y0 + number * (bar + inner)
            chart.bars.append(Rect(left, y, size, bar, _colour(one, number), _tip(one, value)))
            chart.texts.append(Text(left + size + 4, y + bar - 3, label(value)))
        middle = y0 + (group - gap) / 2 + FONT / 2 - 1
        chart.texts.append(Text(left - 8, middle, _short(category), "end"))
        if index < len(notes) and notes[index]:
            chart.texts.append(Text(note_x, middle, notes[index], bold=True))
    return chart


def funnel_chart(
    *,
    key: str,
    title: str,
    steps: Sequence[tuple[str, Number]],
    length: float = 360,
    colour: str = PALETTE[0],
) -> Chart:
    """Centred bars, one per step, narrowing as the values fall; each step is labelled with
    its value and its share of the previous step."""
    bar, gap, left, top = 28, 8, 110, 4
    lengths = scale([value for _, value in steps], length)
    chart = Chart(
        key=key,
        title=title,
        description="",
        width=left + length + 150,
        height=top + (bar + gap) * len(steps),
    )
    described = []
    previous: Number | None = None
    for index, ((name, value), size) in enumerate(zip(steps, lengths, strict=True)):
        y = top + index * (bar + gap)
        share = _share(value, previous) if index else ""
        text = f"{value}" + (f" ({share} of {steps[index - 1][0].lower()})" if share else "")
        chart.bars.append(Rect(left + (length - size) / 2, y, size, bar, colour, f"{name}: {text}"))
        chart.texts.append(Text(left - 8, y + bar / 2 + FONT / 2 - 1, _short(name), "end"))
        chart.texts.append(Text(left + length + 8, y + bar / 2 + FONT / 2 - 1, text))
        described.append(f"{name}: {text}")
        previous = value
    chart.description = ("; ".join(described) + ".") if described else "No data."
    return chart


def _share(value: Number, previous: Number | None) -> str:
    if not previous:
        return ""
    percent = Decimal(100) * Decimal(str(value)) / Decimal(str(previous))
    return f"{percent.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


def _legend(chart: Chart, series: Sequence[Series]) -> None:
    if len(series) < 2:
        return
    x = 8.0
    for number, one in enumerate(series):
        chart.legend.append(Rect(x, 6, 12, 12, _colour(one, number), one.name))
        chart.texts.append(Text(x + 16, 16, one.name))
        x += 16 + 7 * len(one.name) + 16


def _describe(
    categories: Sequence[str], series: Sequence[Series], notes: Sequence[str] = ()
) -> str:
    parts = []
    for index, category in enumerate(categories):
        values = ", ".join(f"{one.name} {_plain(one.values[index])}" for one in series)
        note = f" ({notes[index]})" if index < len(notes) and notes[index] else ""
        parts.append(f"{category}: {values}{note}")
    return ("; ".join(parts) + ".") if parts else "No data."


def _colour(one: Series, number: int) -> str:
    return one.colour or PALETTE[number % len(PALETTE)]


def _tip(one: Series, value: Number | None) -> str:
    return f"{one.name}: {_plain(value)}"


def _plain(value: Number | None) -> str:
    return MISSING if value is None else str(value)


def _short(text: str) -> str:
    text = str(text)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _round(number: float) -> float:
    return round(number, 1)
