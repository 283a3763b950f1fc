"""Charts as inline SVG, drawn on the server: no script, no library, text stays text.

Years run continuously from the first to the last (a year without mentions is
a visible gap, not a missing column). Every bar carries a ``<title>`` so that
hovering it tells its count.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup


def year_range(years: list[str]) -> list[str]:
    nums = sorted(int(y) for y in years if y.isdigit())
    if not nums:
        return []
    return [str(y) for y in range(nums[0], nums[-1] + 1)]


def _tick_step(n: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50):
        if n / step <= 12:
            return step
    return 100


def _svg_start(css_class: str, width: int, height: int, label: str) -> list[str]:
    """An accessible SVG's opening: screen readers read the label, hovering shows it."""
    return [
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]


def bar_chart(counts: dict[str, int], *, label: str, unit: str = "mention") -> Markup:
    """Counts per year as vertical bars with a year axis."""
    years = year_range(list(counts))
    if not years:
        return Markup("")
    width, height = 460, 170
    left, right, top, bottom = 36, 8, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(counts.values()) or 1
    slot = plot_w / len(years)
    bar = max(2.0, min(36.0, slot * 0.7))
    step = _tick_step(len(years))
    parts = _svg_start("chart", width, height, label)
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        value = round(peak * frac)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for i, year in enumerate(years):
        n = counts.get(year, 0)
        x = left + slot * i + (slot - bar) / 2
        h = plot_h * n / peak
        noun = unit if n == 1 else unit + "s"
        if n:
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{year}: {n} {noun}</title></rect>'
            )
        if i % step == 0 or i == len(years) - 1:
            parts.append(
                f'<text class="axis" x="{x + bar / 2:.1f}" y="{height - 8}" '
                f'text-anchor="middle">{year}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def small_multiples(
    rows: list[tuple[str, str, dict[str, int]]], years: list[str], *, label: str
) -> Markup:
    """One row of bars per series (key, name, counts per year), sharing the year axis.

    Each row is scaled to the largest count of all rows, so rows compare.
    """
    years = year_range(years)
    if not rows or not years:
        return Markup("")
    row_h, label_w, right, top = 26, 190, 40, 8
    width = 720
    plot_w = width - label_w - right
    height = top + row_h * len(rows) + 24
    peak = max((max(c.values(), default=0) for _, _, c in rows), default=0) or 1
    slot = plot_w / len(years)
    bar = max(2.0, min(28.0, slot * 0.7))
    step = _tick_step(len(years))
    parts = _svg_start("chart multiples", width, height, label)
    for r, (key, name, counts) in enumerate(rows):
        base = top + row_h * (r + 1) - 4
        total = sum(counts.values())
        parts.append(
            f'<a href="/positions?issue={escape(key)}"><text class="row-label" x="{label_w - 10}" '
            f'y="{base - 4}" text-anchor="end">{escape(name)}</text></a>'
            f'<line class="baseline" x1="{label_w}" x2="{label_w + plot_w}" y1="{base}" y2="{base}"/>'
            f'<text class="axis" x="{label_w + plot_w + 6}" y="{base - 4}">{total}</text>'
        )
        for i, year in enumerate(years):
            n = counts.get(year, 0)
            if not n:
                continue
            h = (row_h - 8) * n / peak
            x = label_w + slot * i + (slot - bar) / 2
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                f'height="{max(h, 1.5):.1f}"><title>{escape(name)}, {year}: {n}</title></rect>'
            )
    axis_y = top + row_h * len(rows) + 16
    for i, year in enumerate(years):
        if i % step == 0 or i == len(years) - 1:
            x = label_w + slot * i + slot / 2
            parts.append(
                f'<text class="axis" x="{x:.1f}" y="{axis_y}" text-anchor="middle">{year}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
