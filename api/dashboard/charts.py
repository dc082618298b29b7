"""Horizontal bar charts laid out on the server, drawn as inline SVG by the templates."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 300
VALUE_WIDTH = 48
BAR_HEIGHT = 22
GAP = 10
TOP = 6


LABEL_CHARACTERS = 40
"""What fits the label column at the chart's font; a longer label is cut with an
ellipsis there and read whole in the bar's tooltip and accessible name."""


@dataclass(frozen=True)
class Bar:
    key: str  # the code the bar counts (a ground, a region, an office)
    label: str
    value: int
    href: str
    y: int
    width: int  # of the bar itself, at least 2 so that a small value still shows

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARACTERS:
            return self.label
        return self.label[: LABEL_CHARACTERS - 1].rstrip() + "\u2026"

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 8


@dataclass(frozen=True)
class BarChart:
    name: str  # a stable id for tests and styles
    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP * 2 + len(self.bars) * (BAR_HEIGHT + GAP)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def bar_chart(name: str, title: str, items: list[tuple[str, str, int, str]]) -> BarChart:
    """``items`` are (key, label, value, link); bars are sorted largest first, then by
    label, and scaled to the largest value."""
    ordered = sorted(items, key=lambda item: (-item[2], item[1]))
    largest = max((value for _, _, value, _ in ordered), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            key=key,
            label=label,
            value=value,
            href=href,
            y=TOP + index * (BAR_HEIGHT + GAP),
            width=max(2, round(room * value / largest)) if largest else 2,
        )
        for index, (key, label, value, href) in enumerate(ordered)
    ]
    return BarChart(name=name, title=title, bars=bars)
