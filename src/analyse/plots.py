"""One house style for every figure of the reports.

- Size for an A4 text column: 16 cm wide (6.3 x 3.9 inch for line charts), fonts 8-11 pt at that size.
- Colour-blind-safe colours (Okabe-Ito, Paul Tol's "muted") with one fixed colour and marker per
  origin group and per region (:data:`STYLES`); any other key gets a deterministic colour from the
  "muted" palette; two keys in one figure never share a colour (:func:`colours_for`).
- Dutch labels and Dutch number notation on axes and annotations (via :func:`analyse.text.format_number`,
  never the machine locale), "%" on percentage axes, a title and a source line under the figure.
- Figures are :class:`matplotlib.figure.Figure` objects rendered with the Agg canvas: no display and no
  pyplot state is needed. :func:`save_figure` writes a 300 dpi PNG and a byte-for-byte reproducible SVG.

Line charts (:func:`series_figure`) draw a marker at every measured year. A line connects two
measurements only when no measurement is missing in between: the line breaks where a series skips
more years than its own smallest step (a series measured every two years stays connected; a series
2009-2013, 2016-2018 is drawn as two pieces), and where the value is missing (NaN). Every year of a
span of at most 12 years gets a tick, so gaps between measurements read as gaps.

The y axis never makes a small difference look large:

- Units with a true zero (:data:`ZERO_BASED_UNITS`: counts, percentages, rates, euros, years) start
  at 0, as bar charts always do. A change from 1,70% to 1,80% is then drawn as the small change it is;
  the exact values are in the key messages and tables.
- Other units (scores, report marks, indices) have no meaningful zero and are scaled to the data,
  but the axis spans at least a tenth of the largest value (a CITO score of 534,9 against 535,6 does
  not fill the whole height), and a break mark on the y axis shows that it does not start at 0.

Trend bands (95% intervals) are drawn for at most :data:`MAX_TREND_BANDS` series; with more series the
bands would cover each other and the data, so only the dashed trend lines are drawn.
"""

from __future__ import annotations

import math
import textwrap
import zlib
from collections.abc import Mapping
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator

from .text import format_number, format_value

WIDTH = 6.3  # inch, 16 cm: the width of an A4 text column
HEIGHT = 3.9
FONT = 9
FONT_SMALL = 8.5
FONT_SOURCE = 8
FONT_TITLE = 11
GRID_COLOUR = "#DDDDDD"
TEXT_COLOUR = "#333333"
SVG_HASHSALT = "integratie-analyse"
ZERO_BASED_UNITS = frozenset({"aantal", "procent", "per_100", "per_1000", "per_10000", "euro", "jaren"})
MIN_SPAN_FRACTION = 0.1  # an axis not starting at 0 spans at least this fraction of the largest value
MAX_TREND_BANDS = 3
MAX_TICK_YEARS = 12
LEGEND_WIDTH = 440.0  # points available for the legend row
LEGEND_WRAP = 34  # characters: longer legend labels wrap, so the legend can have two columns

# Okabe & Ito (2008), colour-blind safe.
_BLACK, _ORANGE, _SKY, _GREEN, _YELLOW, _BLUE, _VERMILLION, _PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")

STYLES: dict[str, tuple[str, str]] = {
    # origin groups
    "totaal": (_BLACK, "o"),
    "nederlands": (_BLUE, "s"),
    "migratieachtergrond": (_ORANGE, "D"),
    "westers": (_SKY, "^"),
    "niet_westers": (_VERMILLION, "v"),
    "eerste_generatie": ("#999933", "P"),
    "tweede_generatie": (_PURPLE, "X"),
    "turks": ("#CC6677", "o"),
    "marokkaans": ("#332288", "s"),
    "surinaams": ("#DDCC77", "D"),
    "antilliaans": ("#117733", "^"),
    "overig_niet_westers": ("#88CCEE", "v"),
    "pools": ("#882255", "P"),
    "nieuwe_eu": ("#44AA99", "X"),
    "statushouders": ("#AA4499", "o"),
    "man": (_BLUE, "s"),
    "vrouw": (_ORANGE, "D"),
    # regions
    "Maassluis": (_BLUE, "o"),
    "Vlaardingen": (_ORANGE, "s"),
    "Schiedam": (_GREEN, "D"),
    "Rotterdam": (_PURPLE, "^"),
    "Nederland": ("#666666", "v"),
    "Groot-Rijnmond": (_SKY, "P"),
    "Politie-eenheid Rotterdam": (_VERMILLION, "X"),
}
"""Fixed (colour, marker) per origin group code and per region name, the same in every figure."""

# Paul Tol's "muted" scheme (colour-blind safe) for keys without a fixed colour.
_FALLBACK_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
                     "#DDCC77", "#CC6677", "#882255", "#AA4499")
_FALLBACK_MARKERS = ("o", "s", "D", "^", "v", "P", "X")

_AXIS_LABELS = {
    "aantal": "Aantal", "procent": "Procent", "per_100": "Per 100", "per_1000": "Per 1.000",
    "per_10000": "Per 10.000", "rapportcijfer": "Rapportcijfer", "index": "Index",
    "score": "Score", "rang": "Rang", "euro": "Euro", "jaren": "Jaren",
}
_MISSING_LABEL = "geen gegevens"


def _key_hash(key: str) -> int:
    return zlib.crc32(str(key).encode("utf-8"))


def colour_for(key: str) -> str:
    """The colour of a group or region; deterministic (independent of the run) for unknown keys."""
    if key in STYLES:
        return STYLES[key][0]
    return _FALLBACK_COLOURS[_key_hash(key) % len(_FALLBACK_COLOURS)]


def marker_for(key: str) -> str:
    """The marker of a group or region; deterministic for unknown keys."""
    if key in STYLES:
        return STYLES[key][1]
    return _FALLBACK_MARKERS[(_key_hash(key) // len(_FALLBACK_COLOURS)) % len(_FALLBACK_MARKERS)]


def colours_for(keys) -> dict:
    """Colours for the keys of one figure: :func:`colour_for`, except that a key whose colour is
    already taken in this figure gets the first free colour of the palettes. Keys with a fixed
    colour are served first (in order), so they keep their colour unless two of them share one.
    """
    keys = list(keys)
    candidates = [_BLUE, _ORANGE, _GREEN, _VERMILLION, _PURPLE, _SKY, _BLACK, *_FALLBACK_COLOURS]
    result, used = {}, set()
    for key in [k for k in keys if k in STYLES] + [k for k in keys if k not in STYLES]:
        colour = colour_for(key)
        if colour in used:
            colour = next((c for c in candidates if c not in used), colour)
        result[key] = colour
        used.add(colour)
    return {key: result[key] for key in keys}


class DutchFormatter(Formatter):
    """Tick labels in Dutch notation, with the same number of decimals on every tick of the axis
    (``0,5  1,0  1,5``), "%" for ``procent`` and "€ " for ``euro``."""

    def __init__(self, eenheid: str | None = None):
        self.prefix = "€ " if eenheid == "euro" else ""
        self.suffix = "%" if eenheid == "procent" else ""
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        self.decimals = next(
            (d for d in range(5)
             if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in locs)), 5)

    def __call__(self, x, pos=None):
        return f"{self.prefix}{format_number(x, self.decimals)}{self.suffix}"


def _year_formatter() -> FuncFormatter:
    """Years without a thousands point (2018, not 2.018); no label between whole years."""
    return FuncFormatter(lambda x, pos: str(int(round(x))) if abs(x - round(x)) < 1e-9 else "")


def _label(labels: Mapping[str, str] | None, key) -> str:
    return (labels or {}).get(key, str(key))


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else text


def _new_figure(height: float) -> tuple[Figure, matplotlib.axes.Axes]:
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    for spine in ax.spines.values():
        spine.set_color("#888888")
    ax.tick_params(labelsize=FONT_SMALL, colors=TEXT_COLOUR, color="#888888")
    return fig, ax


def _decorate(fig: Figure, ax, *, title: str, bron: str, handles=None, legend_labels=None) -> None:
    """Title above the axes; legend (in its own row, so it never covers data) and source line below.

    The figure grows by the height of the legend, so the plot keeps its size.
    """
    ax.set_title(_wrap(title, 62), loc="left", fontsize=FONT_TITLE, fontweight="bold",
                 color="#000000", pad=10)
    if handles:
        legend_labels, ncols = _legend_layout(legend_labels)
        rows = math.ceil(len(handles) / ncols)
        extra_lines = sum(label.count("\n") for label in legend_labels)
        legend_height = 0.2 * rows + 0.14 * extra_lines + 0.05
        fig.set_figheight(fig.get_figheight() + legend_height)
        grid = fig.add_gridspec(2, 1, height_ratios=[fig.get_figheight() - legend_height, legend_height])
        ax.set_subplotspec(grid[0])
        legend_ax = fig.add_subplot(grid[1])
        legend_ax.set_axis_off()
        legend_ax.legend(handles, legend_labels, loc="upper center", ncols=ncols, frameon=False,
                         fontsize=FONT_SMALL, handlelength=2.2, borderaxespad=0,
                         handler_map={tuple: HandlerTuple(ndivide=None, pad=0)})
    fig.supxlabel(bron, x=0.0, ha="left", fontsize=FONT_SOURCE, color="#555555")


def _text_width(text: str) -> float:
    """Width in points of ``text`` in the legend font (widest line)."""
    return max(TextPath((0, 0), line, size=FONT_SMALL).get_extents().width for line in text.split("\n"))


def _legend_layout(labels: list[str]) -> tuple[list[str], int]:
    """Labels (long ones wrapped when that buys a second column) and the number of legend columns."""
    def columns(texts):
        widest = max(_text_width(t) for t in texts) + 45  # handle, padding and column spacing
        return max(1, min(len(texts), int(LEGEND_WIDTH // widest)))

    def balanced(ncols):  # as few rows as possible, filled evenly: 3+2 rather than 4+1
        return math.ceil(len(labels) / math.ceil(len(labels) / ncols))

    ncols = columns(labels)
    if ncols == 1 and len(labels) > 2:
        wrapped = [_wrap(label, LEGEND_WRAP) for label in labels]
        if columns(wrapped) > 1:
            return wrapped, balanced(columns(wrapped))
    return labels, balanced(ncols)


def _check_columns(data: pd.DataFrame, *columns) -> None:
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        raise ValueError(f"Kolom(men) ontbreken in de data: {', '.join(missing)}.")


def _segments(xs: np.ndarray, ys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split a sorted series where a value is missing or more years are skipped than its smallest step."""
    measured = ~np.isnan(ys)
    step = np.diff(xs[measured]).min() if measured.sum() > 1 else 0
    pieces, current = [], []
    for i in range(len(xs)):
        if current and (not measured[i] or xs[i] - xs[current[-1]] > step):
            pieces.append(current)
            current = []
        if measured[i]:
            current.append(i)
    if current:
        pieces.append(current)
    return [(xs[idx], ys[idx]) for idx in pieces]


def _keys(data: pd.DataFrame, column: str | None) -> list:
    return list(pd.unique(data[column])) if column else [None]


def _subset(data: pd.DataFrame, column: str | None, key) -> pd.DataFrame:
    return data if column is None else data[data[column] == key]


def draws_trend_bands(n_trends: int) -> bool:
    """Whether a line chart with ``n_trends`` fitted trends shades their 95% bands (see the module docstring)."""
    return n_trends <= MAX_TREND_BANDS


def series_figure(data: pd.DataFrame, *, x: str = "jaar", y: str = "waarde", hue: str | None = "groep",
                  labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
                  trend: pd.DataFrame | None = None, doel: tuple[int, float] | None = None,
                  ylabel: str | None = None) -> Figure:
    """Line chart of one indicator over the years, one line per ``hue`` value (``None``: one line).

    - ``labels`` maps hue keys (group codes, region names) to legend labels.
    - ``trend``: columns ``x``, ``gefit``, ``ondergrens``, ``bovengrens`` (and ``hue``): drawn as a
      dashed line with a shaded 95% band in the colour of its series.
    - ``doel``: ``(jaar, waarde)``, drawn as a star with a dotted reference line, labelled
      "Doel 2021: 90%".
    - ``ylabel``: y-axis label; default the unit ("Procent", "Per 1.000", ...).
    One value per (hue, x) is required.
    """
    _check_columns(data, x, y, hue)
    if data.duplicated([c for c in (hue, x) if c]).any():
        raise ValueError(f"Meer dan één waarde per {x} in één reeks; kies één bron per reeks.")
    fig, ax = _new_figure(HEIGHT)
    handles, legend_labels = [], []
    years: set[float] = set()
    values: list[float] = []
    colours = colours_for(_keys(data, hue)) if hue else {None: _BLUE}
    for key in _legend_order(data, x, y, hue):
        part = _subset(data, hue, key).sort_values(x)
        xs = part[x].to_numpy(dtype=float)
        ys = part[y].to_numpy(dtype=float)
        colour, marker = colours[key], marker_for(key) if hue else "o"
        for px, py in _segments(xs, ys):
            ax.plot(px, py, color=colour, marker=marker, markersize=5, linewidth=1.8, zorder=3)
            years.update(px)
            values.extend(py)
        handles.append(Line2D([], [], color=colour, marker=marker, markersize=5, linewidth=1.8))
        legend_labels.append(_label(labels, key) if hue else (labels or {}).get(y, "Meting"))
    if trend is not None:
        _check_columns(trend, x, "gefit", "ondergrens", "bovengrens", hue)
        trend_keys = _keys(trend, hue)
        bands = draws_trend_bands(len(trend_keys))
        for key in trend_keys:
            part = _subset(trend, hue, key).sort_values(x)
            colour = colours.get(key, colour_for(key))
            if bands:
                ax.fill_between(part[x], part["ondergrens"], part["bovengrens"], color=colour,
                                alpha=0.15, linewidth=0, zorder=1)
                values.extend(part["ondergrens"].tolist() + part["bovengrens"].tolist())
            ax.plot(part[x], part["gefit"], color=colour, linestyle="--", linewidth=1.2, zorder=2)
            values.extend(part["gefit"].tolist())
        line = Line2D([], [], color="#666666", linestyle="--", linewidth=1.2)
        handles.append((Patch(color="#999999", alpha=0.3, linewidth=0), line) if bands else line)
        legend_labels.append("Trend met 95%-interval" if bands else "Trend")
    if doel is not None:
        doel_jaar, doel_waarde = doel
        values.append(float(doel_waarde))
        ax.axhline(doel_waarde, color="#666666", linestyle=":", linewidth=1, zorder=1)
        ax.plot([doel_jaar], [doel_waarde], marker="*", markersize=11, color=_BLACK,
                linestyle="none", zorder=4)
        years.add(float(doel_jaar))
        handles.append(Line2D([], [], color="#666666", linestyle=":", linewidth=1, marker="*",
                              markersize=11, markerfacecolor=_BLACK, markeredgecolor=_BLACK))
        legend_labels.append(f"Doel {doel_jaar}: {format_value(doel_waarde, eenheid)}")
    if years:
        first, last = min(years), max(years)
        ax.set_xlim(first - 0.5, last + 0.5)
        if last - first < MAX_TICK_YEARS:
            ax.xaxis.set_major_locator(FixedLocator(np.arange(first, last + 1)))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _scale_y(ax, values, eenheid)
    ax.xaxis.set_major_formatter(_year_formatter())
    ax.yaxis.set_major_formatter(DutchFormatter(eenheid))
    ax.set_ylabel(ylabel or _AXIS_LABELS.get(eenheid, ""), fontsize=FONT, color=TEXT_COLOUR)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    show_legend = hue is not None or trend is not None or doel is not None
    _decorate(fig, ax, title=title, bron=bron,
              handles=handles if show_legend else None, legend_labels=legend_labels)
    return fig


def _legend_order(data: pd.DataFrame, x: str, y: str, hue: str | None) -> list:
    """Series keys from the highest to the lowest last measured value, so the legend reads in the
    order of the lines; series without a value last, in data order."""
    keys = _keys(data, hue)
    if hue is None:
        return keys

    def last_value(key):
        part = _subset(data, hue, key).dropna(subset=[y]).sort_values(x)
        return -float(part[y].iloc[-1]) if not part.empty else math.inf

    return sorted(keys, key=last_value)


def _scale_y(ax, values: list[float], eenheid: str) -> None:
    """Y limits by the rules of the module docstring; a break mark when the axis does not start at 0."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return
    low, high = min(finite), max(finite)
    if eenheid in ZERO_BASED_UNITS:
        low, high = min(0.0, low), max(0.0, high)
    else:
        least = MIN_SPAN_FRACTION * max(abs(low), abs(high))
        if high - low < least:
            pad = (least - (high - low)) / 2
            low, high = low - pad, high + pad
    span = (high - low) or 1.0
    bottom = low if low == 0 else low - 0.08 * span
    if bottom < 0 <= min(finite):  # no negative values: never a negative axis
        bottom = 0.0
    top = high + 0.08 * span
    ax.set_ylim(bottom, top)
    if bottom > 0:
        _axis_break(ax)
        # no tick label next to the break mark
        ticks = MaxNLocator().tick_values(bottom, top)
        ax.yaxis.set_major_locator(FixedLocator(
            [t for t in ticks if bottom + 0.07 * (top - bottom) <= t <= top]))


def _axis_break(ax) -> None:
    """Two short slanted strokes across the bottom of the y axis: the axis does not start at 0."""
    dx, dy, gap = 0.012, 0.012, 0.014
    vertices, codes = [], []
    for offset in (0.02, 0.02 + gap):
        vertices += [(-dx, offset - dy), (dx, offset + dy)]
        codes += [MplPath.MOVETO, MplPath.LINETO]
    ax.add_patch(PathPatch(MplPath(vertices, codes), transform=ax.transAxes, clip_on=False,
                           edgecolor="#555555", linewidth=1.0, fill=False, zorder=5))


def _annotation(value, eenheid: str, decimals: int | None) -> str:
    if eenheid in ("procent", "euro"):
        return format_value(value, eenheid, decimals)
    return format_number(value, decimals)


def bar_figure(data: pd.DataFrame, *, category: str, value: str = "waarde",
               labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
               hue: str | None = None, annotate: bool = True, decimals: int | None = None,
               xlabel: str | None = None) -> Figure:
    """Horizontal bar chart for a comparison in one year (regions, groups).

    Bars in the order of the data, from top to bottom, coloured per category (or per ``hue`` value,
    grouped, with a legend). ``labels`` maps category and hue keys to labels. ``annotate`` writes
    each value at the end of its bar in Dutch notation with ``decimals`` decimals (``None``: none
    when all values are whole, otherwise one); a missing value is marked "geen gegevens".
    """
    _check_columns(data, category, value, hue)
    if data.duplicated([c for c in (category, hue) if c]).any():
        raise ValueError("Meer dan één waarde per categorie; kies één jaar en één bron.")
    categories = list(pd.unique(data[category]))
    hues = _keys(data, hue)
    n_bars = len(categories) * len(hues)
    fig, ax = _new_figure(min(8.0, max(2.4, 1.5 + 0.3 * n_bars + (0.3 if hue else 0))))
    height = 0.8 / len(hues)
    values = data[value].to_numpy(dtype=float)
    finite = values[~np.isnan(values)]
    low, high = min(0.0, finite.min(initial=0.0)), max(0.0, finite.max(initial=0.0))
    span = (high - low) or 1.0
    if decimals is None:  # the same number of decimals on every bar: 10,0% next to 12,5%
        decimals = 0 if all(float(v).is_integer() for v in finite) else 1
    handles = []
    colours = colours_for(hues if hue else categories)
    for j, key in enumerate(hues):
        part = _subset(data, hue, key).set_index(category)
        colour = colours[key] if hue else None
        for i, cat in enumerate(categories):
            if cat not in part.index:
                continue
            v = float(part.at[cat, value])
            pos = i + (j - (len(hues) - 1) / 2) * height
            bar_colour = colour or colours[cat]
            if np.isnan(v):
                ax.text(0.01 * span, pos, _MISSING_LABEL, va="center", ha="left", fontsize=FONT_SMALL,
                        color="#666666", fontstyle="italic")
                continue
            ax.barh(pos, v, height=height * 0.9, color=bar_colour, zorder=2)
            if annotate:
                ax.text(v + (0.01 if v >= 0 else -0.01) * span, pos, _annotation(v, eenheid, decimals),
                        va="center", ha="left" if v >= 0 else "right", fontsize=FONT_SMALL,
                        color=TEXT_COLOUR)
        if hue:
            handles.append(Patch(color=colour))
    margin = 0.15 * span if annotate else 0.02 * span
    ax.set_xlim(low - (margin if low < 0 else 0), high + margin)
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.set_yticks(range(len(categories)),
                  [_wrap(_label(labels, c), 30) for c in categories], fontsize=FONT_SMALL)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_formatter(DutchFormatter(eenheid))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.set_xlabel(xlabel or _AXIS_LABELS.get(eenheid, ""), fontsize=FONT, color=TEXT_COLOUR)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    _decorate(fig, ax, title=title, bron=bron, handles=handles or None,
              legend_labels=[_label(labels, k) for k in hues])
    return fig


def rank_figure(data: pd.DataFrame, *, category: str, rank: str = "waarde",
                labels: Mapping[str, str] | None = None, title: str, bron: str) -> Figure:
    """An ordered list for rankings (1 = most frequent), e.g. the most common grounds of discrimination.

    Ranks are ordinal: each item is shown as its rank number in a circle followed by its label, from
    rank 1 at the top; equal ranks share a number. No bars, because a rank carries no size.
    """
    _check_columns(data, category, rank)
    ranks = data[rank].to_numpy(dtype=float)
    if np.isnan(ranks).any() or (ranks < 1).any() or (ranks != np.round(ranks)).any():
        raise ValueError("Een rang moet een geheel getal van 1 of hoger zijn.")
    ordered = data.assign(_rank=ranks).sort_values("_rank", kind="stable")
    n = len(ordered)
    fig, ax = _new_figure(min(8.0, max(1.8, 1.1 + 0.36 * n)))
    ax.set_axis_off()
    for i, (cat, r) in enumerate(zip(ordered[category], ordered["_rank"])):
        ax.plot(0.3, i, marker="o", markersize=16, color=_BLUE, linestyle="none")
        ax.text(0.3, i, format_number(int(r)), ha="center", va="center", fontsize=FONT,
                fontweight="bold", color="white")
        ax.text(0.75, i, _label(labels, cat), ha="left", va="center", fontsize=FONT, color="#000000")
    ax.set_xlim(0, 10)
    ax.set_ylim(n - 0.5, -0.5)
    _decorate(fig, ax, title=title, bron=bron)
    return fig


def save_figure(fig: Figure, directory: Path, name: str) -> dict[str, Path]:
    """Write ``<name>.png`` (300 dpi) and ``<name>.svg`` to ``directory`` (created when needed).

    Tight bounding box, so nothing is clipped. The SVG is reproducible: the layout is computed once
    and then frozen, ``svg.hashsalt`` is fixed and there is no date, so a rerun gives identical bytes.
    Closes the figure; returns ``{'png': ..., 'svg': ...}``.
    """
    # Constrained layout moves the axes by fractions of a point on every draw; lay out once and
    # freeze, so that every save of this figure (and of a rebuilt one) has the same geometry.
    if fig.get_layout_engine() is not None:
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"png": directory / f"{name}.png", "svg": directory / f"{name}.svg"}
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(paths["png"], dpi=300, bbox_inches="tight", facecolor="white")
        fig.savefig(paths["svg"], bbox_inches="tight", facecolor="white", metadata={"Date": None})
    return paths
