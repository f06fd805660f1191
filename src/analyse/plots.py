"""One house style for every figure of the reports.

- Size for an A4 text column: 16 cm wide (6.3 x 3.9 inch for line charts), fonts 8-11 pt at that size.
- Colour-blind-safe colours (Okabe-Ito, Paul Tol's "muted") with one fixed colour and marker per
  origin group and per region (:data:`STYLES`); any other key gets a deterministic colour from the
  "muted" palette; two keys in one figure never share a colour (:func:`colours_for`).
- Dutch labels and Dutch number notation on axes and annotations (via :func:`analyse.text.format_number`,
  never the machine locale), "%" on percentage axes, a title and a source line under the figure.
- Figures are :class:`matplotlib.figure.Figure` objects rendered with the Agg canvas: no display and no
  pyplot state is needed. :func:`save_figure` writes a 300 dpi PNG and a byte-for-byte reproducible SVG.
- Every text is drawn literally: mathtext is off for every text object (``text.parse_math`` False while
  a figure is built and saved), so ``Turks $x^2$`` or ``<script>`` in a label appears as typed.
- Every figure function returns :class:`Drawn` ``(figure, alt)``: the figure and one Dutch sentence
  that says what it shows (for screen readers and the index page). The ``describe_*`` functions give
  the same sentence without drawing (for a figure that is cached and not redrawn).

Which figure a set of rows gets (tile, line, bars, 100% bar, small multiples, ranking table) is
decided in :mod:`analyse.figures`; its thresholds (three points for a line, five for a trend) are
also enforced here, so a figure drawn directly obeys them too. Figure functions: :func:`series_figure`
(lines), :func:`bar_figure`, :func:`tile_figure` (key figure), :func:`stacked_share_figure` (one 100%
bar), :func:`small_multiples_figure`, and :func:`draw`, which draws a :class:`analyse.figures.FigurePlan`.

Line charts (:func:`series_figure`, :func:`small_multiples_figure`) draw a marker at every measured
year. A line connects two measurements only when no measurement is missing in between and both belong
to the same *reeks* (data contract v2): the line breaks where a series skips more years than its own
smallest step (a series measured every two years stays connected; a series 2009-2013, 2016-2018 is
drawn as two pieces), where the value is missing (NaN), and where the reeks changes (a definition
break, marked by a dotted vertical line labelled "breuk in de reeks"). A reeks of only two
measurements is connected only when they are in consecutive years: one interval does not tell its
step, and a line across nine years would claim nine years of data. Every year of a span of at most
12 years gets a tick, so gaps between measurements read as gaps. A row with ``status`` ``schatting``
has an open marker, ``voorlopig`` a half-filled one, each with a legend entry.

The y axis never makes a small difference look large (:func:`analyse.figures.y_range`):

- Units with a true zero (:data:`ZERO_BASED_UNITS`: counts, percentages, rates, euros, years) start
  at 0, as bar charts always do. A change from 1,70% to 1,80% is then drawn as the small change it is;
  the exact values are in the key messages and tables.
- Other units (scores, report marks, indices) have no meaningful zero and are scaled to the data,
  but the axis spans at least a tenth of the largest value and, for report marks and scores, at
  least 2 points (a 6,8 against a 7,0 does not fill the height); a report mark stays within 1-10.
  A break mark on the y axis shows that it does not start at 0.

Trend lines (dashed) are drawn only for a reeks with at least
:data:`analyse.figures.MIN_TREND_POINTS` measurements and only over the years of that reeks; their
95% bands for at most :data:`MAX_TREND_BANDS` series (with more, the bands would cover each other and
the data, so only the dashed lines are drawn).
"""

from __future__ import annotations

import functools
import io
import math
import re
import textwrap
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator

from . import figures
from .text import (alt_sentence, format_number, format_value, join_words, published_decimals, span_text,
                   value_text, years_text)

PNG_DPI = 300
WIDTH = 6.3  # inch, 16 cm: the width of an A4 text column
HEIGHT = 3.9
FONT = 9
FONT_SMALL = 8.5
FONT_SOURCE = 8
FONT_TITLE = 11
GRID_COLOUR = "#DDDDDD"
TEXT_COLOUR = "#333333"
SVG_HASHSALT = "integratie-analyse"
MIN_SPAN_FRACTION = figures.MIN_SPAN_FRACTION
MAX_TREND_BANDS = figures.MAX_TREND_BANDS
MAX_TICK_YEARS = 12
LEGEND_WIDTH = 440.0  # points available for the legend row
LEGEND_WRAP = 34  # characters: longer legend labels wrap, so the legend can have two columns
BREAK_LABEL = "breuk in de reeks"
BREAK_COLOUR = "#555555"
BENCHMARK_COLOUR = "#8C8C8C"
PLAIN_TEXT = {"text.parse_math": False}
"""rc settings while a figure is built and saved: no mathtext, every text is drawn as typed."""

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
    _style_axes(ax)
    return fig, ax


SOURCE_WRAP = 110  # characters of the source line per line at FONT_SOURCE across WIDTH


def _title_and_source(fig: Figure, title: str, bron: str) -> None:
    """Title and source line at the figure's left edge, both wrapped to its width.

    Aligned with the figure rather than the axes, so the long category labels of a bar chart never push the
    title past the right edge; a long source line wraps instead of widening the saved image.
    """
    fig.suptitle(_wrap(title, 62), x=0.0, ha="left", fontsize=FONT_TITLE, fontweight="bold", color="#000000")
    fig.supxlabel(_wrap(bron, SOURCE_WRAP), x=0.0, ha="left", fontsize=FONT_SOURCE, color="#555555")


def _legend_row(fig: Figure, handles, legend_labels, place) -> None:
    """The legend in its own row below the plot, so it never covers data; the figure grows by the row's height.

    ``place(height)`` makes room for the row in the figure's grid and returns the axes for it.
    """
    legend_labels, ncols = _legend_layout(legend_labels)
    rows = math.ceil(len(handles) / ncols)
    extra_lines = sum(label.count("\n") for label in legend_labels)
    height = 0.2 * rows + 0.14 * extra_lines + 0.05
    fig.set_figheight(fig.get_figheight() + height)
    legend_ax = place(height)
    legend_ax.set_axis_off()
    legend_ax.legend(handles, legend_labels, loc="upper center", ncols=ncols, frameon=False,
                     fontsize=FONT_SMALL, handlelength=2.2, borderaxespad=0,
                     handler_map={tuple: HandlerTuple(ndivide=None, pad=0)})


def _decorate(fig: Figure, ax, *, title: str, bron: str, handles=None, legend_labels=None) -> None:
    """Title above the axes; legend (in its own row, so it never covers data) and source line below.

    The figure grows by the height of the legend, so the plot keeps its size.
    """
    if handles:
        def place(height: float):
            grid = fig.add_gridspec(2, 1, height_ratios=[fig.get_figheight() - height, height])
            ax.set_subplotspec(grid[0])
            return fig.add_subplot(grid[1])
        _legend_row(fig, handles, legend_labels, place)
    _title_and_source(fig, title, bron)


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


class Drawn(NamedTuple):
    """What every figure function returns: the figure and its alt text (one Dutch sentence)."""

    figure: Figure
    alt: str


def _plain_text(draw):
    """Build the figure with mathtext off, then lay it out once and freeze the layout.

    The layout draw creates the tick labels while mathtext is off, and every text object of the
    figure gets ``parse_math`` False, so a later draw (also outside this module) shows them as typed.
    Freezing the layout here saves :func:`save_figure` a second layout pass.
    """
    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> Drawn:
        with matplotlib.rc_context(PLAIN_TEXT):
            fig, alt = draw(*args, **kwargs)
            _finish(fig)
        return Drawn(fig, alt)
    return wrapper


def _freeze_layout(fig: Figure) -> None:
    """Lay ``fig`` out once and drop its layout engine (not for a placeholder: with any engine, even
    "none", every ``savefig`` draws the whole figure twice more just to lay it out again)."""
    if fig.get_layout_engine() is None:
        return
    fig.draw_without_rendering()
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _finish(fig: Figure) -> None:
    _freeze_layout(fig)
    for text in fig.findobj(Text):
        text.set_parse_math(False)


def _subject(title: str) -> str:
    """A title as the subject of a sentence: without its trailing years, first letter lower case
    unless the first word is a name or abbreviation ("Maassluis", "CITO")."""
    subject = re.sub(r",\s*\d{4}(\s*-\s*\d{4})?\s*$", "", title.strip())
    first = subject.split(" ", 1)[0]
    if not first or first in STYLES or first[1:] != first[1:].lower():
        return subject
    return subject[:1].lower() + subject[1:]


def _per_word(column: str | None) -> str:
    return {"groep": "groep", "regio": "regio"}.get(column or "", column or "reeks")


# --------------------------------------------------------------------------- series: pieces, breaks, statuses

_STATUS_MARKERS = {
    "schatting": {"markerfacecolor": "white"},
    "voorlopig": {"fillstyle": "left", "markerfacecoloralt": "white"},
}


def _segment_indices(xs: np.ndarray, ys: np.ndarray) -> list[list[int]]:
    """Indices of the connected pieces of one reeks (sorted by x), by the rules of the module docstring."""
    measured = ~np.isnan(ys)
    n = int(measured.sum())
    step = np.diff(xs[measured]).min() if n > 2 else 1
    pieces, current = [], []
    for i in range(len(xs)):
        if current and (not measured[i] or xs[i] - xs[current[-1]] > step):
            pieces.append(current)
            current = []
        if measured[i]:
            current.append(i)
    if current:
        pieces.append(current)
    return pieces


def _segments(xs: np.ndarray, ys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split a sorted series where a value is missing or more years are skipped than its smallest step."""
    return [(xs[idx], ys[idx]) for idx in _segment_indices(xs, ys)]


class _Piece(NamedTuple):
    xs: np.ndarray
    ys: np.ndarray
    status: np.ndarray
    reeks: str


def _pieces(part: pd.DataFrame, x: str, y: str) -> tuple[list[_Piece], list[float]]:
    """The connected pieces of one series and the x positions of its definition breaks.

    Reeksen are taken in the order of their first measured year; a break lies halfway between the
    last measurement of one reeks and the first of the next.
    """
    part = part.assign(_reeks=figures.reeks_column(part), _status=figures.status_column(part),
                       _y=pd.to_numeric(part[y], errors="coerce"))
    measured = part[part["_y"].notna()]
    order = list(measured.groupby("_reeks", sort=False)[x].min().sort_values(kind="stable").index)
    order += [r for r in pd.unique(part["_reeks"]) if r not in order]
    pieces, breaks, previous_last = [], [], None
    for reeks in order:
        rows = part[part["_reeks"] == reeks].sort_values(x, kind="stable")
        xs, ys = rows[x].to_numpy(dtype=float), rows["_y"].to_numpy(dtype=float)
        status = rows["_status"].to_numpy(dtype=object)
        for idx in _segment_indices(xs, ys):
            pieces.append(_Piece(xs[idx], ys[idx], status[idx], reeks))
        years = xs[~np.isnan(ys)]
        if len(years):
            if previous_last is not None:
                breaks.append((previous_last + years.min()) / 2)
            previous_last = years.max()
    return pieces, breaks


def _draw_pieces(ax, pieces: list[_Piece], *, colour: str, marker: str, markersize: float = 5,
                 linewidth: float = 1.8, zorder: float = 3) -> set[str]:
    """Draw connected pieces: one line per piece with filled markers on final values, and open or
    half-filled markers on estimates. Returns the statuses drawn."""
    statuses = set()
    for piece in pieces:
        final = piece.status == ""
        if final.all():
            ax.plot(piece.xs, piece.ys, color=colour, marker=marker, markersize=markersize,
                    linewidth=linewidth, zorder=zorder)
            continue
        if len(piece.xs) > 1 or final.any():
            ax.plot(piece.xs, piece.ys, color=colour, marker=marker, markersize=markersize,
                    linewidth=linewidth, markevery=[int(i) for i in np.flatnonzero(final)], zorder=zorder)
        for status, style in _STATUS_MARKERS.items():
            mask = piece.status == status
            if mask.any():
                statuses.add(status)
                ax.plot(piece.xs[mask], piece.ys[mask], linestyle="none", marker=marker,
                        markersize=markersize + 1, color=colour, markeredgecolor=colour,
                        markeredgewidth=1.3, zorder=zorder + 0.1, **style)
    return statuses


def _status_handles(statuses) -> list[tuple[Line2D, str]]:
    return [(Line2D([], [], linestyle="none", marker="o", markersize=6, color=BREAK_COLOUR,
                    markeredgecolor=BREAK_COLOUR, markeredgewidth=1.3, **_STATUS_MARKERS[s]),
             figures.STATUS_LABELS[s]) for s in figures.ESTIMATE_STATUSES if s in statuses]


def _break_handle() -> Line2D:
    return Line2D([], [], color=BREAK_COLOUR, linestyle=":", linewidth=1.2)


def _draw_breaks(ax, breaks, *, label: bool) -> None:
    """A dotted vertical line at every definition break, labelled above the plot (never over data)."""
    left, right = ax.get_xlim()
    for bx in sorted({round(b, 6) for b in breaks}):
        ax.axvline(bx, color=BREAK_COLOUR, linestyle=":", linewidth=1.2, zorder=1.5)
        if label:
            at_right = (bx - left) / (right - left) > 0.7
            ax.annotate(BREAK_LABEL, xy=(bx, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(-3 if at_right else 3, 2), textcoords="offset points",
                        ha="right" if at_right else "left", va="bottom", fontsize=FONT_SOURCE,
                        color=BREAK_COLOUR, annotation_clip=False)


def _trend_pieces(trend: pd.DataFrame, data: pd.DataFrame, *, x: str, y: str) -> list[tuple[pd.DataFrame, int]]:
    """The parts of one series' fitted trend that may be drawn, with the number of measurements of
    their reeks: only within the years of the reeks it was fitted on, and only for a reeks with
    :data:`analyse.figures.MIN_TREND_POINTS` measurements. A trend whose years cover two reeksen was
    fitted across a definition break: refused."""
    measured = data[pd.to_numeric(data[y], errors="coerce").notna()]
    measured = measured.assign(_reeks=figures.reeks_column(measured))
    spans = measured.groupby("_reeks")[x].agg(["min", "max", "nunique"])
    if spans.empty:
        return []
    trend = trend.assign(_reeks=figures.reeks_column(trend))
    if not set(trend["_reeks"]) <= set(spans.index):
        # the trend names its source, not the data's reeks: place it by its years
        def reeks_at(year):
            inside = spans[(spans["min"] <= year) & (year <= spans["max"])]
            return inside.index[0] if len(inside) == 1 else None
        placed = trend[x].map(reeks_at)
        for _, fitted in trend.groupby("_reeks", sort=False):
            if placed[fitted.index].dropna().nunique() > 1:
                raise ValueError("Een trend is over een breuk in de reeks geschat; een trend hoort bij één "
                                 "reeks (één definitie).")
        trend = trend.assign(_reeks=placed)
    parts = []
    for reeks, fitted in trend.dropna(subset=["_reeks"]).groupby("_reeks", sort=False):
        low, high, n = spans.loc[reeks, ["min", "max", "nunique"]]
        fitted = fitted[(fitted[x] >= low) & (fitted[x] <= high)].sort_values(x)
        if len(fitted) and figures.draws_trend(int(n)):
            parts.append((fitted, int(n)))
    return parts


def _draw_trend(ax, fitted: pd.DataFrame, *, x: str, colour: str, band: bool) -> list[float]:
    if band:
        ax.fill_between(fitted[x], fitted["ondergrens"], fitted["bovengrens"], color=colour,
                        alpha=0.15, linewidth=0, zorder=1)
    ax.plot(fitted[x], fitted["gefit"], color=colour, linestyle="--", linewidth=1.2, zorder=2)
    values = fitted["gefit"].tolist()
    if band:
        values += fitted["ondergrens"].tolist() + fitted["bovengrens"].tolist()
    return values


def _keys(data: pd.DataFrame, column: str | None) -> list:
    return list(pd.unique(data[column])) if column else [None]


def _subset(data: pd.DataFrame, column: str | None, key) -> pd.DataFrame:
    return data if column is None else data[data[column] == key]


def draws_trend_bands(n_trends: int) -> bool:
    """Whether a line chart with ``n_trends`` fitted trends shades their 95% bands (see the module docstring)."""
    return figures.draws_bands(n_trends)


def _check_unique(data: pd.DataFrame, *columns) -> None:
    keys = [c for c in columns if c]
    if "reeks" in data.columns:
        keys.append("reeks")
    if data.duplicated(keys).any():
        raise ValueError(f"Meer dan één waarde per {columns[-1]} in één reeks; kies één bron per reeks.")


def _year_axis(ax, years: set[float], *, max_ticks: int | None = None) -> None:
    if not years:
        return
    first, last = min(years), max(years)
    ax.set_xlim(first - 0.5, last + 0.5)
    if max_ticks is not None and last - first + 1 > max_ticks:
        step = math.ceil((last - first) / (max_ticks - 1))
        ax.xaxis.set_major_locator(FixedLocator(np.arange(last, first - 1, -step)[::-1]))
    elif last - first < MAX_TICK_YEARS:
        ax.xaxis.set_major_locator(FixedLocator(np.arange(first, last + 1)))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(_year_formatter())


# --------------------------------------------------------------------------- line chart

@_plain_text
def series_figure(data: pd.DataFrame, *, x: str = "jaar", y: str = "waarde", hue: str | None = "groep",
                  labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
                  trend: pd.DataFrame | None = None, doel: tuple[int, float] | None = None,
                  ylabel: str | None = None, subject: str | None = None) -> Drawn:
    """Line chart of one indicator over the years, one line per ``hue`` value (``None``: one line).

    - ``data``: columns ``x``, ``y`` (and ``hue``); optional ``reeks`` (a change of reeks within a
      series is a definition break: two separately connected parts and a dotted line labelled
      "breuk in de reeks"; a row without reeks belongs to the reeks of its ``bron``) and ``status``
      (``schatting``: open marker, ``voorlopig``: half-filled marker, each with a legend entry).
    - ``labels`` maps hue keys (group codes, region names) to legend labels.
    - ``trend``: columns ``x``, ``gefit``, ``ondergrens``, ``bovengrens`` (and ``hue``; ``reeks`` or
      ``bron`` to say which reeks it was fitted on): drawn as a dashed line with a shaded 95% band
      in the colour of its series, only for a reeks with
      :data:`analyse.figures.MIN_TREND_POINTS` measurements and only over that reeks' years.
    - ``doel``: ``(jaar, waarde)``, drawn as a star with a dotted reference line, labelled
      "Doel 2021: 90%".
    - ``ylabel``: y-axis label; default the unit ("Procent", "Per 1.000", ...).
    - ``subject``: the subject of the alt text ("het aantal inwoners van Maassluis"); default from the title.
    One value per (hue, x, reeks) is required.
    """
    _check_columns(data, x, y, hue)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    _check_unique(data, hue, x)
    fig, ax = _new_figure(HEIGHT)
    handles, legend_labels = [], []
    years: set[float] = set()
    values: list[float] = []
    breaks: list[float] = []
    statuses: set[str] = set()
    colours = colours_for(_keys(data, hue)) if hue else {None: _BLUE}
    for key in _legend_order(data, x, y, hue):
        part = _subset(data, hue, key)
        colour, marker = colours[key], marker_for(key) if hue else "o"
        pieces, part_breaks = _pieces(part, x, y)
        statuses |= _draw_pieces(ax, pieces, colour=colour, marker=marker)
        breaks += part_breaks
        for piece in pieces:
            years.update(piece.xs)
            values.extend(piece.ys)
        joined = any(len(piece.xs) > 1 for piece in pieces)  # only points: no line in the legend either
        handles.append(Line2D([], [], color=colour, marker=marker, markersize=5, linewidth=1.8,
                              linestyle="-" if joined else "none"))
        legend_labels.append(_label(labels, key) if hue else (labels or {}).get(y, "Meting"))
    trend_drawn = 0
    if trend is not None:
        _check_columns(trend, x, "gefit", "ondergrens", "bovengrens", hue)
        parts = [(key, fitted) for key in _keys(trend, hue)
                 for fitted, _ in _trend_pieces(_subset(trend, hue, key), _subset(data, hue, key), x=x, y=y)]
        bands = draws_trend_bands(len({key for key, _ in parts}))
        for key, fitted in parts:
            values.extend(_draw_trend(ax, fitted, x=x, colour=colours.get(key, colour_for(key)), band=bands))
        if parts:
            trend_drawn = len({key for key, _ in parts})
            line = Line2D([], [], color="#666666", linestyle="--", linewidth=1.2)
            handles.append((Patch(color="#999999", alpha=0.3, linewidth=0), line) if bands else line)
            legend_labels.append("Trend met 95%-interval" if bands else "Trend")
    for handle, text in _status_handles(statuses):
        handles.append(handle)
        legend_labels.append(text)
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
    _year_axis(ax, years)
    _scale_y(ax, values, eenheid)
    _draw_breaks(ax, breaks, label=True)
    ax.yaxis.set_major_formatter(DutchFormatter(eenheid))
    ax.set_ylabel(ylabel or _AXIS_LABELS.get(eenheid, ""), fontsize=FONT, color=TEXT_COLOUR)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    show_legend = hue is not None or len(handles) > 1
    _decorate(fig, ax, title=title, bron=bron, handles=handles if show_legend else None,
              legend_labels=legend_labels)
    alt = describe_series(data, x=x, y=y, hue=hue, labels=labels, eenheid=eenheid, title=title,
                          subject=subject, doel=doel, trends=trend_drawn)
    return fig, alt


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


def _decimals(values) -> int:
    """The decimals to show every value of one series with: the most any of them was published with."""
    return max((published_decimals(v) or 0 for v in values if pd.notna(v)), default=0)


def _series_facts(part: pd.DataFrame, x: str, y: str, eenheid: str) -> dict:
    """First and last measurement, breaks and estimate years of one series, for alt texts."""
    measured = part.assign(_y=pd.to_numeric(part[y], errors="coerce")).dropna(subset=["_y"]).sort_values(x)
    _, breaks = _pieces(part, x, y)
    status = figures.status_column(measured)
    decimals = _decimals(measured["_y"])
    facts = {"n": len(measured)}
    if len(measured):
        first, last = measured.iloc[0], measured.iloc[-1]
        facts.update(first=(int(first[x]), format_value(first["_y"], eenheid, decimals)),
                     last=(int(last[x]), format_value(last["_y"], eenheid, decimals)))
    facts["breaks"] = [(int(math.floor(b)), int(math.ceil(b))) if b != int(b) else (int(b), int(b))
                       for b in breaks]
    facts["estimates"] = {s: measured.loc[status == s, x].astype(int).tolist() for s in figures.ESTIMATE_STATUSES
                          if (status == s).any()}
    return facts


def _estimate_notes(estimates: Mapping[str, list[int]]) -> list[str]:
    words = {"schatting": ("een schatting", "schattingen"), "voorlopig": ("voorlopig", "voorlopig")}
    notes = []
    for status, years in estimates.items():
        one, many = words[status]
        notes.append(f"{years_text(years)} {'is' if len(set(years)) == 1 else 'zijn'} "
                     f"{one if len(set(years)) == 1 else many}")
    return notes


def _break_note(breaks) -> list[str]:
    return [f"breuk in de reeks (nieuwe definitie) tussen {a} en {b}" if a != b else
            f"breuk in de reeks (nieuwe definitie) in {a}" for a, b in dict.fromkeys(breaks)]


def describe_series(data: pd.DataFrame, *, x: str = "jaar", y: str = "waarde", hue: str | None = "groep",
                    labels: Mapping[str, str] | None = None, eenheid: str, title: str,
                    subject: str | None = None, doel: tuple[int, float] | None = None, trends: int = 0,
                    kind: str = "lijn", benchmark: str | None = None) -> str:
    """The alt text of :func:`series_figure` (and, with ``kind="kleine_veelvouden"``, of
    :func:`small_multiples_figure`), without drawing: one Dutch sentence, e.g.
    "Lijn van het aantal inwoners van Maassluis, 2009-2018: van 31.390 naar 32.518."."""
    subject = subject or _subject(title)
    measured = data[pd.to_numeric(data[y], errors="coerce").notna()]
    span = span_text(measured[x].min(), measured[x].max()) if len(measured) else ""
    keys = (_keys(data, hue) if kind == "kleine_veelvouden" else _legend_order(data, x, y, hue)) if hue else [None]
    facts = {key: _series_facts(_subset(data, hue, key), x, y, eenheid) for key in keys}
    if kind == "kleine_veelvouden":
        head = f"Kleine figuren van {subject}, één per {_per_word(hue)}, {span}"
    elif len(keys) > 1:
        head = f"Lijnen van {subject} per {_per_word(hue)}, {span}"
    else:
        head = f"Lijn van {subject}, {span}" if facts[keys[0]]["n"] > 1 else f"Punt van {subject}, {span}"
    details = []
    for key, fact in facts.items():
        name = f"{_label(labels, key)} " if hue and len(keys) > 1 or kind == "kleine_veelvouden" else ""
        if fact["n"] == 0:
            details.append(f"{name}geen gegevens")
        elif fact["n"] == 1:
            details.append(f"{name}{fact['last'][1]} in {fact['last'][0]}")
        elif len(keys) == 1 and kind != "kleine_veelvouden":
            details.append(f"van {fact['first'][1]} naar {fact['last'][1]}")
        else:
            details.append(f"{name}van {fact['first'][1]} ({fact['first'][0]}) naar {fact['last'][1]} "
                           f"({fact['last'][0]})")
    per_note: dict[str, list] = {}  # a note shared by every series is said once, without names
    for key, fact in facts.items():
        for note in _break_note(fact["breaks"]) + _estimate_notes(fact["estimates"]):
            per_note.setdefault(note, []).append(_label(labels, key))
    notes = [note if len(names) == len(keys) else f"{join_words(names)}: {note}" for note, names in per_note.items()]
    if benchmark:
        notes.append(f"in elk paneel ter vergelijking {benchmark} (grijs)")
    if trends:
        notes.append("met de geschatte trend" if trends == 1 else "met de geschatte trends")
    if doel is not None:
        notes.append(f"doel {format_value(doel[1], eenheid)} in {doel[0]}")
    return alt_sentence(head, details, notes)


def _scale_y(ax, values: list[float], eenheid: str) -> None:
    """Y limits by the rules of the module docstring; a break mark when the axis does not start at 0."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return
    low, high = figures.y_range(eenheid, min(finite), max(finite))
    span = (high - low) or 1.0
    bottom = low if low == 0 else low - 0.08 * span
    if bottom < 0 <= min(finite):  # no negative values: never a negative axis
        bottom = 0.0
    top = high + 0.08 * span
    scale = figures.scale_limits(eenheid)
    if scale is not None:  # a closed scale: a little room for the markers, never far beyond it
        bottom, top = max(bottom, scale[0] - 0.02 * span), min(top, scale[1] + 0.02 * span)
    ax.set_ylim(bottom, top)
    if bottom > 0:
        _axis_break(ax)
        # no tick label next to the break mark
        ticks = MaxNLocator(nbins=7, steps=[1, 2, 5, 10]).tick_values(bottom, top)  # 6,0 6,5 7,0, not 6,25
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


# --------------------------------------------------------------------------- bars

@_plain_text
def bar_figure(data: pd.DataFrame, *, category: str, value: str = "waarde",
               labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
               hue: str | None = None, annotate: bool = True, decimals: int | None = None,
               xlabel: str | None = None, subject: str | None = None) -> Drawn:
    """Horizontal bar chart for a comparison in one year (regions, groups).

    Bars in the order of the data, from top to bottom, coloured per category (or per ``hue`` value,
    grouped, with a legend). ``labels`` maps category and hue keys to labels. ``annotate`` writes
    each value at the end of its bar in Dutch notation with ``decimals`` decimals (``None``: none
    when all values are whole, otherwise one); a missing value is marked "geen gegevens". A row with
    ``status`` ``schatting`` or ``voorlopig`` gets a hatched bar and "ca." or "(voorlopig)" at its value.
    """
    _check_columns(data, category, value, hue)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
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
    handles, legend_labels = [], []
    colours = colours_for(hues if hue else categories)
    status_all = figures.status_column(data)
    statuses = set()
    for j, key in enumerate(hues):
        part = _subset(data, hue, key)
        status = status_all[part.index]
        part = part.assign(_status=status).set_index(category)
        colour = colours[key] if hue else None
        for i, cat in enumerate(categories):
            if cat not in part.index:
                continue
            v = float(part.at[cat, value])
            mark = part.at[cat, "_status"]
            pos = i + (j - (len(hues) - 1) / 2) * height
            bar_colour = colour or colours[cat]
            if np.isnan(v):  # missing, or hidden by the small-numbers rule (column 'verborgen' holds the mark)
                hidden = str(part.at[cat, "verborgen"]) if "verborgen" in part.columns else ""
                shown = f"{hidden} (kleine aantallen)" if hidden and hidden != "nan" else _MISSING_LABEL
                ax.text(0.01 * span, pos, shown, va="center", ha="left", fontsize=FONT_SMALL,
                        color="#666666", fontstyle="italic")
                continue
            if mark:
                statuses.add(mark)
                ax.barh(pos, v, height=height * 0.9, facecolor="white", edgecolor=bar_colour, hatch="///",
                        linewidth=1.2, zorder=2)
            else:
                ax.barh(pos, v, height=height * 0.9, color=bar_colour, zorder=2)
            if annotate:
                shown = _annotation(v, eenheid, decimals)
                shown = f"ca. {shown}" if mark == "schatting" else f"{shown} (voorlopig)" if mark else shown
                ax.text(v + (0.01 if v >= 0 else -0.01) * span, pos, shown,
                        va="center", ha="left" if v >= 0 else "right", fontsize=FONT_SMALL,
                        color=TEXT_COLOUR)
        if hue:
            handles.append(Patch(color=colour))
            legend_labels.append(_label(labels, key))
    for status in figures.ESTIMATE_STATUSES:
        if status in statuses:
            handles.append(Patch(facecolor="white", edgecolor=BREAK_COLOUR, hatch="///"))
            legend_labels.append(figures.STATUS_LABELS[status])
    margin = (0.22 if statuses else 0.15) * span if annotate else 0.02 * span
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
    _decorate(fig, ax, title=title, bron=bron, handles=handles or None, legend_labels=legend_labels)
    alt = describe_bars(data, category=category, value=value, labels=labels, eenheid=eenheid, title=title,
                        hue=hue, subject=subject)
    return fig, alt


def describe_bars(data: pd.DataFrame, *, category: str, value: str = "waarde",
                  labels: Mapping[str, str] | None = None, eenheid: str, title: str, hue: str | None = None,
                  subject: str | None = None) -> str:
    """The alt text of :func:`bar_figure`: "Staafdiagram van <onderwerp>: Maassluis 7,1; Nederland 6,3."."""
    subject = subject or _subject(title)
    status = figures.status_column(data)
    decimals = _decimals(pd.to_numeric(data[value], errors="coerce"))
    details = []
    for (_, row), mark in zip(data.iterrows(), status):
        name = _label(labels, row[category]) + (f", {_label(labels, row[hue])}" if hue else "")
        hidden = row.get("verborgen") if pd.isna(row[value]) else None
        shown = str(hidden) if isinstance(hidden, str) and hidden else format_value(row[value], eenheid, decimals)
        details.append(f"{name} {'ca. ' if mark == 'schatting' else ''}{shown}"
                       f"{' (voorlopig)' if mark == 'voorlopig' else ''}")
    years = data["jaar"].dropna().unique() if "jaar" in data.columns else []
    head = f"Staafdiagram van {subject}" + (f", {years_text(years)}" if len(years) and
                                            str(int(max(years))) not in subject else "")
    return alt_sentence(head, details)


# --------------------------------------------------------------------------- rankings (kept for old callers)

@_plain_text
def rank_figure(data: pd.DataFrame, *, category: str, rank: str = "waarde",
                labels: Mapping[str, str] | None = None, title: str, bron: str) -> Drawn:
    """An ordered list for rankings (1 = most frequent), e.g. the most common grounds of discrimination.

    Prefer :func:`analyse.figures.ranking_table` (rule 6 of :mod:`analyse.figures`): a ranking is a
    table. This drawing stays for callers that need an image. Each item is shown as its rank number
    in a circle followed by its label, from rank 1 at the top; equal ranks share a number.
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
    alt = alt_sentence(f"Rangorde van {_subject(title)}",
                       [f"{format_number(int(r))} {_label(labels, c)}"
                        for c, r in zip(ordered[category], ordered["_rank"])])
    return fig, alt


# --------------------------------------------------------------------------- key-figure tile

TILE_HEIGHT = 2.1
TILE_VALUE_SIZE = 30
_WORD_UNITS = frozenset({"per_100", "per_1000", "per_10000", "jaren"})


def _tile_value(value: float, eenheid: str, status: str) -> str:
    shown = (format_number(value, published_decimals(value)) if eenheid in _WORD_UNITS
             else value_text(value, eenheid))
    return f"ca. {shown}" if status == "schatting" else shown


def _benchmark_lines(benchmarks: pd.DataFrame | None, *, key: str, year: int, x: str, y: str,
                     eenheid: str, labels) -> list[tuple[str, str]]:
    """(line, status) per benchmark key: the value of the same year, else the newest."""
    if benchmarks is None or benchmarks.empty:
        return []
    rows = benchmarks.assign(_status=figures.status_column(benchmarks),
                             _y=pd.to_numeric(benchmarks[y], errors="coerce")).dropna(subset=["_y"])
    lines = []
    for name in pd.unique(rows[key]):
        own = rows[rows[key] == name]
        same = own[own[x] == year]
        row = (same if len(same) else own.sort_values(x)).iloc[-1]
        mark = row["_status"]
        shown = ("ca. " if mark == "schatting" else "") + value_text(row["_y"], eenheid)
        shown += " (voorlopig)" if mark == "voorlopig" else ""
        lines.append((f"{_label(labels, name)}: {shown} ({int(row[x])})", mark))
    return lines


@_plain_text
def tile_figure(data: pd.DataFrame, *, title: str, label: str, eenheid: str, bron: str,
                x: str = "jaar", y: str = "waarde", key: str | None = None, period: str | None = None,
                benchmarks: pd.DataFrame | None = None, benchmark_key: str = "regio",
                labels: Mapping[str, str] | None = None, doel: tuple[int, float] | None = None,
                missing_benchmark: bool = False, subject: str | None = None) -> Drawn:
    """A key-figure tile: the newest value large, with year, label, source line and benchmarks.

    For a series with fewer than three measurements (rule 1 of :mod:`analyse.figures`).

    - ``data``: the rows of one series: ``x``, ``y``, optional ``status``. The newest measured row is
      the big value; the earlier ones are listed as "Eerder: 31.390 (2009)", never joined by a line.
      A ``schatting`` reads "ca. 250" in grey with "schatting, geen meting"; ``voorlopig`` says
      "voorlopig cijfer".
    - ``label``: what the number counts, under it ("inwoners van Maassluis", "inwoners met een
      niet-westerse migratieachtergrond"; a rate gets its unit in front: "per 1.000 ...").
      ``period``: shown instead of the year ("aug 2016 - jan 2019").
    - ``key``: group or region code for the colour of the value (default: the house blue).
    - ``benchmarks``: rows of the comparison regions or reference group (see
      :func:`analyse.figures.benchmark_rows`): ``benchmark_key``, ``x``, ``y``, optional ``status``;
      one line per key, "Nederland: 8,1% (2018)", the same year when there is one, else the newest.
    - ``doel``: (year, value) of a policy target, listed as "Doel 2021: 10".
    - ``missing_benchmark``: say "Geen vergelijkingscijfer beschikbaar" when there are no benchmarks.
    The height follows the content.
    """
    _check_columns(data, x, y)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    rows = data.assign(_status=figures.status_column(data),
                       _y=pd.to_numeric(data[y], errors="coerce")).dropna(subset=["_y"]).sort_values(x)
    if rows.empty:
        raise ValueError("Geen meting voor de tegel.")
    newest = rows.iloc[-1]
    year, value, status = int(newest[x]), float(newest["_y"]), newest["_status"]
    unit_word = {"per_100": "per 100", "per_1000": "per 1.000", "per_10000": "per 10.000",
                 "jaren": "jaar"}.get(eenheid)
    text_label = label if not unit_word or unit_word in label else f"{unit_word} {label}"
    tag = {"schatting": "schatting, geen meting", "voorlopig": "voorlopig cijfer"}.get(status)
    # left column: (text, size, weight, colour, style, height in points)
    left = [(_tile_value(value, eenheid, status), TILE_VALUE_SIZE, "bold",
             "#666666" if status == "schatting" else _readable_on_white(colour_for(key) if key else _BLUE),
             "normal", 38)]
    wrapped = _wrap(text_label, 44)
    left.append((wrapped, FONT, "normal", "#000000", "normal", 12 * (wrapped.count("\n") + 1) + 4))
    left.append((period or str(year), FONT, "bold", "#000000", "normal", 13))
    if tag:
        left.append((tag, FONT, "normal", "#555555", "italic", 13))
    earlier = rows.iloc[:-1]
    if len(earlier):
        items = [f"{_tile_value(v, eenheid, s)}{' ' + unit_word if unit_word else ''} ({int(j)})"
                 for j, v, s in zip(earlier[x], earlier["_y"], earlier["_status"])]
        line = _wrap(f"Eerder: {'; '.join(items)}", 44)
        left.append((line, FONT, "normal", TEXT_COLOUR, "normal", 12 * (line.count("\n") + 1)))
    right_lines = [line for line, _ in _benchmark_lines(benchmarks, key=benchmark_key, year=year, x=x, y=y,
                                                         eenheid=eenheid, labels=labels)]
    if doel is not None:
        right_lines.append(f"Doel {doel[0]}: {format_value(doel[1], eenheid)}")
    if not right_lines and missing_benchmark:
        right_lines.append("Geen vergelijkingscijfer beschikbaar")
    right = []
    if right_lines:
        right.append(("Ter vergelijking", FONT, "bold", "#000000", "normal", 16))
        for line in right_lines:
            wrapped = _wrap(line, 46)
            right.append((wrapped, FONT, "normal", TEXT_COLOUR, "normal", 12 * (wrapped.count("\n") + 1) + 2))
    content = max(sum(item[-1] for item in left), sum(item[-1] for item in right))
    fig, ax = _new_figure(content / 72 + 0.68)
    ax.set_axis_off()
    for column, x0 in ((left, 0.0), (right, 0.56)):
        cursor = 0.0
        for text_, size, weight, colour, style, height in column:
            ax.annotate(text_, xy=(x0, 1.0), xycoords="axes fraction", xytext=(0, -cursor),
                        textcoords="offset points", ha="left", va="top", fontsize=size, fontweight=weight,
                        color=colour, fontstyle=style)
            cursor += height
    if right:
        ax.plot([0.53, 0.53], [0.0, 1.0], color=GRID_COLOUR, linewidth=1.0, transform=ax.transAxes)
    _decorate(fig, ax, title=title, bron=bron)
    alt = describe_tile(data, label=label, eenheid=eenheid, title=title, x=x, y=y, period=period,
                        benchmarks=benchmarks, benchmark_key=benchmark_key, labels=labels, doel=doel,
                        missing_benchmark=missing_benchmark, subject=subject)
    return fig, alt


def describe_tile(data: pd.DataFrame, *, label: str, eenheid: str, title: str, x: str = "jaar",
                  y: str = "waarde", period: str | None = None, benchmarks: pd.DataFrame | None = None,
                  benchmark_key: str = "regio", labels: Mapping[str, str] | None = None,
                  doel: tuple[int, float] | None = None, missing_benchmark: bool = False,
                  subject: str | None = None) -> str:
    """The alt text of :func:`tile_figure`, e.g. "Kerncijfer van inwoners van Maassluis: 32.518
    inwoners in 2018; eerder 31.390 in 2009."."""
    rows = data.assign(_status=figures.status_column(data),
                       _y=pd.to_numeric(data[y], errors="coerce")).dropna(subset=["_y"]).sort_values(x)
    newest = rows.iloc[-1]
    status = newest["_status"]
    shown = ("ca. " if status == "schatting" else "") + value_text(newest["_y"], eenheid)
    when = period or str(int(newest[x]))
    first = f"{shown} {label} in {when}" if eenheid not in ("procent", "euro") else f"{label} {shown} in {when}"
    if status:
        first += " (een schatting, geen meting)" if status == "schatting" else " (voorlopig cijfer)"
    details = [first]
    if len(rows) > 1:
        details.append("eerder " + join_words(f"{value_text(v, eenheid)} in {int(j)}"
                                              for j, v in zip(rows[x].iloc[:-1], rows["_y"].iloc[:-1])))
    lines = _benchmark_lines(benchmarks, key=benchmark_key, year=int(newest[x]), x=x, y=y, eenheid=eenheid,
                             labels=labels)
    if lines:
        details.append("ter vergelijking " + join_words(line for line, _ in lines))
    elif missing_benchmark:
        details.append("geen vergelijkingscijfer beschikbaar")
    if doel is not None:
        details.append(f"doel {format_value(doel[1], eenheid)} in {doel[0]}")
    return alt_sentence(f"Kerncijfer van {subject or _subject(title)}", details)


# --------------------------------------------------------------------------- one 100% bar

BAR_POINTS = (WIDTH - 0.4) * 72  # about the width of a 100% bar in points


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of a colour."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                for c in matplotlib.colors.to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    return "#000000" if _contrast("#000000", colour) >= _contrast("#FFFFFF", colour) else "#FFFFFF"


def _readable_on_white(colour: str, minimum: float = 3.0) -> str:
    """``colour`` when it has the WCAG contrast for large text on white (3:1), else near-black."""
    return colour if _contrast(colour, "#FFFFFF") >= minimum else "#000000"


def _shares(rows: pd.DataFrame, *, category: str, value: str) -> tuple[list, list[float], float]:
    values = pd.to_numeric(rows[value], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ValueError("Een aandeel ontbreekt of is negatief; een balk van 100% kan dan niet.")
    return list(rows[category]), values.tolist(), float(values.sum())


@_plain_text
def stacked_share_figure(data: pd.DataFrame, *, category: str = "groep", value: str = "waarde",
                         bar: str | None = None, labels: Mapping[str, str] | None = None, title: str,
                         bron: str, remainder_label: str | None = None, subject: str | None = None) -> Drawn:
    """One 100% bar of complementary shares (rule 5 of :mod:`analyse.figures`): man/vrouw, a group
    and its complement.

    - ``data``: ``category``, ``value`` (percentages), optional ``status`` and ``bar`` (one bar per
      value of that column, e.g. ``"jaar"`` or ``"regio"``, from top to bottom; ``None``: one bar).
    - Shares that add up to 100% within rounding (:data:`analyse.figures.ROUNDING_TOLERANCE` per
      category) fill the bar; the labels keep the published values. Shares that add up to less get
      a rest segment: the missing member of a known pair ("Vrouw" next to "Man 75%", see
      :func:`analyse.figures.complement_of`), else ``remainder_label`` or "Overig"; its label says
      "rest tot 100%". More than 100% is refused.
    - Each segment is labelled inside when it is wide enough; the legend lists every segment with
      its share. Estimates are hatched.
    """
    _check_columns(data, category, value, bar)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    bars = _keys(data, bar)
    categories = list(pd.unique(data[category]))
    complement = figures.complement_of(categories)
    rest_key = complement or "_rest"
    rest_name = _label(labels, complement) if complement else (remainder_label or "Overig")
    all_keys = categories + [rest_key]
    colours = colours_for(all_keys)
    colours["_rest"] = "#BBBBBB"
    fig, ax = _new_figure(0.95 + 0.5 * len(bars))
    tolerance = figures.ROUNDING_TOLERANCE * max(2, len(categories) + (complement is not None))
    legend: dict = {}
    has_rest = False
    status_all = figures.status_column(data)
    statuses = set()
    for i, bar_key in enumerate(bars):
        rows = _subset(data, bar, bar_key)
        keys, shares, total = _shares(rows, category=category, value=value)
        marks = list(status_all[rows.index])
        if total > 100 + tolerance:
            raise ValueError(f"De aandelen tellen op tot {format_number(total, 1)}%: meer dan 100%, dus geen "
                             "delen van één geheel.")
        widths = list(shares)
        if total < 100 - tolerance:
            keys, shares, widths, marks = keys + [rest_key], shares + [100 - total], widths + [100 - total], marks + [""]
            has_rest = True
        else:
            widths = [w * 100 / total for w in widths]
        left = 0.0
        for key, share, width, mark in zip(keys, shares, widths, marks):
            colour = colours[key]
            is_rest = key == rest_key and has_rest and key not in categories
            if mark:
                statuses.add(mark)
                ax.barh(i, width, left=left, height=0.6, facecolor="white", edgecolor=colour, hatch="///",
                        linewidth=1.2, zorder=2)
            else:
                ax.barh(i, width, left=left, height=0.6, color=colour, edgecolor="white", linewidth=1.0,
                        zorder=2, hatch="..." if is_rest and not complement else None)
            shown = ("ca. " if mark == "schatting" else "") + value_text(share, "procent")
            if _text_width(shown) * FONT / FONT_SMALL + 8 <= width / 100 * BAR_POINTS:  # fits inside
                ax.text(left + width / 2, i, shown, ha="center", va="center", fontsize=FONT,
                        fontweight="bold", color="#000000" if mark else _text_colour_on(colour), zorder=3)
            name = rest_name + " (rest tot 100%)" if is_rest else _label(labels, key)
            legend.setdefault(key, (colour, name, [], mark))[2].append(shown)
            left += width
    handles, legend_labels = [], []
    for key, (colour, name, shown, mark) in legend.items():
        handles.append(Patch(facecolor="white", edgecolor=colour, hatch="///") if mark else Patch(color=colour))
        legend_labels.append(f"{name}: {' / '.join(shown)}" if len(bars) == 1 else name)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.set_xticks([])  # every segment carries its share; an axis would only repeat them
    ax.spines["bottom"].set_visible(False)
    if bar:
        ax.set_yticks(range(len(bars)), [str(_label(labels, b)) for b in bars], fontsize=FONT_SMALL)
    else:
        ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    _decorate(fig, ax, title=title, bron=bron, handles=handles, legend_labels=legend_labels)
    alt = describe_stacked(data, category=category, value=value, bar=bar, labels=labels, title=title,
                           remainder_label=remainder_label, subject=subject)
    return fig, alt


def describe_stacked(data: pd.DataFrame, *, category: str = "groep", value: str = "waarde",
                     bar: str | None = None, labels: Mapping[str, str] | None = None, title: str,
                     remainder_label: str | None = None, subject: str | None = None) -> str:
    """The alt text of :func:`stacked_share_figure`: "Balk van 100% voor ...: Man 75%, Vrouw 25% (rest tot 100%)."."""
    categories = list(pd.unique(data[category]))
    complement = figures.complement_of(categories)
    rest_name = _label(labels, complement) if complement else (remainder_label or "overig")
    tolerance = figures.ROUNDING_TOLERANCE * max(2, len(categories) + (complement is not None))
    details = []
    for bar_key in _keys(data, bar):
        rows = _subset(data, bar, bar_key)
        keys, shares, total = _shares(rows, category=category, value=value)
        parts = [f"{_label(labels, k)} {value_text(v, 'procent')}" for k, v in zip(keys, shares)]
        if total < 100 - tolerance:
            parts.append(f"{rest_name} {value_text(round(100 - total, 6), 'procent')} (rest tot 100%)")
        details.append((f"{_label(labels, bar_key)}: " if bar else "") + join_words(parts))
    head = f"Balk{'en' if bar else ''} van 100% voor {subject or _subject(title)}"
    return alt_sentence(head, details)


# --------------------------------------------------------------------------- small multiples

SMALL_MULTIPLE_HEIGHT = 1.75  # inch per row of panels
SMALL_MULTIPLE_TICKS = 4  # at most this many year ticks per panel


@_plain_text
def small_multiples_figure(data: pd.DataFrame, *, facet: str = "groep", x: str = "jaar", y: str = "waarde",
                           labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
                           benchmark: pd.DataFrame | None = None, benchmark_label: str | None = None,
                           trend: pd.DataFrame | None = None, ncols: int = 3, ylabel: str | None = None,
                           subject: str | None = None) -> Drawn:
    """One small line chart per ``facet`` value (group or region) on shared axes (rule 9 of
    :mod:`analyse.figures`), with the same line rules as :func:`series_figure`: gaps and
    definition breaks not connected, estimates marked, trend only within its reeks.

    - ``data``: ``facet``, ``x``, ``y``, optional ``reeks`` and ``status``. Panels in data order,
      ``ncols`` per row, each in the colour of its group or region.
    - ``benchmark``: rows of one reference series (``x``, ``y``; e.g. the reference group or
      Nederland), drawn in grey in every panel and named ``benchmark_label`` in the legend.
    - ``trend``: as in :func:`series_figure`, with a ``facet`` column; one trend per panel, with band.

    Drawn with matplotlib, not seaborn: seaborn's figure-level facets (``relplot``, ``FacetGrid``)
    create their figures through pyplot; ``seaborn.objects`` can draw on our own Figure, but the line
    rules above (no line across a gap or a definition break, half-filled markers, break marks, a
    trend only within its reeks, the axis rules of :func:`analyse.figures.y_range`) are not seaborn
    marks and would have to be written a second time in its vocabulary, next to
    :func:`series_figure`. One drawing helper for both keeps the rules in one place.
    """
    _check_columns(data, facet, x, y)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    _check_unique(data, facet, x)
    keys = _keys(data, facet)
    ncols = max(1, min(ncols, len(keys)))
    nrows = math.ceil(len(keys) / ncols)
    fig = Figure(figsize=(WIDTH, 0.75 + SMALL_MULTIPLE_HEIGHT * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[1.0] * nrows + [0.001])
    axes = []
    for i in range(len(keys)):
        share = axes[0] if axes else None
        axes.append(fig.add_subplot(grid[i // ncols, i % ncols], sharex=share, sharey=share))
    colours = colours_for(keys)
    years: set[float] = set()
    values: list[float] = []
    breaks_any, statuses, trend_drawn = False, set(), 0
    if benchmark is not None and not benchmark.empty:
        bench_pieces, bench_breaks = _pieces(benchmark, x, y)
        for piece in bench_pieces:
            years.update(piece.xs)
            values.extend(piece.ys)
    else:
        bench_pieces, bench_breaks = [], []
    for ax, key in zip(axes, keys):
        _style_axes(ax)
        part = _subset(data, facet, key)
        if bench_pieces:
            _draw_pieces(ax, bench_pieces, colour=BENCHMARK_COLOUR, marker="o", markersize=3, linewidth=1.2,
                         zorder=2)
        pieces, breaks = _pieces(part, x, y)
        statuses |= _draw_pieces(ax, pieces, colour=colours[key], marker=marker_for(key), markersize=4.5,
                                 linewidth=1.8)
        for piece in pieces:
            years.update(piece.xs)
            values.extend(piece.ys)
        if trend is not None:
            _check_columns(trend, x, "gefit", "ondergrens", "bovengrens", facet)
            for fitted, _ in _trend_pieces(_subset(trend, facet, key), part, x=x, y=y):
                values.extend(_draw_trend(ax, fitted, x=x, colour=colours[key], band=True))
                trend_drawn += 1
        ax._analyse_breaks = breaks + bench_breaks
        breaks_any |= bool(breaks or bench_breaks)
        ax.set_title(_wrap(_label(labels, key), 30), loc="left", fontsize=FONT, color="#000000", pad=4)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        ax.set_axisbelow(True)
    _year_axis(axes[0], years, max_ticks=SMALL_MULTIPLE_TICKS)
    _scale_y(axes[0], values, eenheid)
    axes[0].yaxis.set_major_formatter(DutchFormatter(eenheid))
    for i, ax in enumerate(axes[:len(keys)]):
        _draw_breaks(ax, ax._analyse_breaks, label=False)
        ax.tick_params(labelbottom=i + ncols >= len(keys),  # years under the lowest panel of a column
                       labelleft=i % ncols == 0)
        if i % ncols == 0:
            ax.set_ylabel(ylabel or _AXIS_LABELS.get(eenheid, ""), fontsize=FONT_SMALL, color=TEXT_COLOUR)
    if axes[0].get_ylim()[0] > 0:  # the axis break mark on every panel's y axis
        for ax in axes[1:len(keys)]:
            _axis_break(ax)
    handles, legend_labels = [], []
    if bench_pieces:
        handles.append(Line2D([], [], color=BENCHMARK_COLOUR, marker="o", markersize=3, linewidth=1.2))
        legend_labels.append(benchmark_label or "Ter vergelijking")
    if trend_drawn:
        handles.append((Patch(color="#999999", alpha=0.3, linewidth=0),
                        Line2D([], [], color="#666666", linestyle="--", linewidth=1.2)))
        legend_labels.append("Trend met 95%-interval")
    for handle, text in _status_handles(statuses):
        handles.append(handle)
        legend_labels.append(text)
    if breaks_any:
        handles.append(_break_handle())
        legend_labels.append(BREAK_LABEL[:1].upper() + BREAK_LABEL[1:])
    _decorate_grid(fig, grid, nrows, title=title, bron=bron, handles=handles, legend_labels=legend_labels)
    alt = describe_series(data, x=x, y=y, hue=facet, labels=labels, eenheid=eenheid, title=title,
                          subject=subject, trends=trend_drawn, kind="kleine_veelvouden",
                          benchmark=benchmark_label if bench_pieces else None)
    return fig, alt


def _style_axes(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    for spine in ax.spines.values():
        spine.set_color("#888888")
    ax.tick_params(labelsize=FONT_SMALL, colors=TEXT_COLOUR, color="#888888")


def _decorate_grid(fig: Figure, grid, nrows: int, *, title: str, bron: str, handles, legend_labels) -> None:
    """Title above, legend (own row of the grid) and source line below a grid of panels."""
    if handles:
        def place(height: float):
            grid.set_height_ratios([SMALL_MULTIPLE_HEIGHT] * nrows + [height])
            return fig.add_subplot(grid[nrows, :])
        _legend_row(fig, handles, legend_labels, place)
    _title_and_source(fig, title, bron)


# --------------------------------------------------------------------------- one call for a plan

def draw(plan: figures.FigurePlan, rows: pd.DataFrame, *, per: str, title: str, eenheid: str, bron: str,
         labels: Mapping[str, str] | None = None, label: str | None = None,
         benchmarks: pd.DataFrame | None = None, benchmark_label: str | None = None,
         trend: pd.DataFrame | None = None, doel: tuple[int, float] | None = None,
         subject: str | None = None, x: str = "jaar") -> Drawn:
    """Draw ``rows`` as :func:`analyse.figures.choose` planned (``plan.kind``).

    - ``rows``: the rows the plan was made for; ``per``: their series column (``groep``/``regio``).
    - ``benchmarks``: rows of :func:`analyse.figures.benchmark_rows` (same columns). Lines and bars
      draw them as one more series; a tile lists them; small multiples repeat them in grey in every
      panel (``benchmark_label`` names them in the legend).
    - ``label``: what the tile's number counts (default: the subject or the title).
    - ``trend`` is passed on only when ``plan.trend``; ``doel`` to lines and tiles.
    A ranking (``rangorde``) is a table, not a figure: use :func:`analyse.figures.ranking_table`.
    """
    bench = benchmarks if benchmarks is not None and not benchmarks.empty else None
    trend = trend if plan.trend else None
    if plan.kind == "rangorde":
        raise ValueError("Een rangorde is een tabel: gebruik figures.ranking_table.")
    if plan.kind == "tegel":
        measured = rows[pd.to_numeric(rows["waarde"], errors="coerce").notna()].sort_values(x, kind="stable")
        key = measured[per].iloc[-1]
        # a benchmark differs from the own rows by region (comparison regions) or else by group (reference group)
        bench_key = "regio" if bench is not None and set(bench["regio"]) - set(rows["regio"]) else "groep"
        return tile_figure(rows[rows[per] == key], title=title, label=label or subject or _subject(title),
                           eenheid=eenheid, bron=bron, x=x, key=key, benchmarks=bench, benchmark_key=bench_key,
                           labels=labels, doel=doel, missing_benchmark=bench is None, subject=subject)
    one_year = (lambda frame: frame[frame[x] == plan.year]) if plan.year is not None else (lambda frame: frame)
    if plan.kind == "gestapeld":
        return stacked_share_figure(one_year(rows), category=per, labels=labels, title=title, bron=bron,
                                    subject=subject)
    with_bench = rows if bench is None else pd.concat([rows, bench], ignore_index=True)
    if plan.kind == "staaf":
        shown = one_year(with_bench)
        return bar_figure(shown, category=per, labels=labels, title=title, eenheid=eenheid, bron=bron,
                          subject=subject)
    if plan.kind == "kleine_veelvouden":
        reference = None
        if bench is not None:  # one reference series: the first benchmark key
            first = bench[per].iloc[0]
            reference = bench[bench[per] == first]
            benchmark_label = benchmark_label or _label(labels, first)
        return small_multiples_figure(rows, facet=per, labels=labels, title=title, eenheid=eenheid, bron=bron,
                                      benchmark=reference, benchmark_label=benchmark_label, trend=trend,
                                      subject=subject)
    return series_figure(with_bench, hue=per, labels=labels, title=title, eenheid=eenheid, bron=bron, trend=trend,
                         doel=doel, subject=subject)


def describe(*, plan: figures.FigurePlan, rows: pd.DataFrame, per: str, title: str, eenheid: str,
             labels: Mapping[str, str] | None = None, label: str | None = None,
             benchmarks: pd.DataFrame | None = None, benchmark_label: str | None = None,
             trend: pd.DataFrame | None = None, doel: tuple[int, float] | None = None,
             subject: str | None = None, x: str = "jaar", **_) -> str:
    """The alt text of what :func:`draw` would draw for the same arguments, without drawing (a cached
    figure still needs its alt text)."""
    bench = benchmarks if benchmarks is not None and not benchmarks.empty else None
    if plan.kind == "tegel":
        measured = rows[pd.to_numeric(rows["waarde"], errors="coerce").notna()].sort_values(x, kind="stable")
        key = measured[per].iloc[-1]
        bench_key = "regio" if bench is not None and set(bench["regio"]) - set(rows["regio"]) else "groep"
        return describe_tile(rows[rows[per] == key], label=label or subject or _subject(title), eenheid=eenheid,
                             title=title, x=x, benchmarks=bench, benchmark_key=bench_key, labels=labels, doel=doel,
                             missing_benchmark=bench is None, subject=subject)
    one_year = rows if plan.year is None else rows[rows[x] == plan.year]
    if plan.kind == "gestapeld":
        return describe_stacked(one_year, category=per, labels=labels, title=title, subject=subject)
    with_bench = rows if bench is None else pd.concat([rows, bench], ignore_index=True)
    if plan.kind == "staaf":
        shown = with_bench if plan.year is None else with_bench[with_bench[x] == plan.year]
        return describe_bars(shown, category=per, labels=labels, eenheid=eenheid, title=title, subject=subject)
    n_trends = 0 if trend is None or not plan.trend else trend[per].nunique()
    return describe_series(with_bench if plan.kind == "lijn" else rows, hue=per, labels=labels, eenheid=eenheid,
                           title=title, subject=subject, doel=doel, trends=n_trends, kind=plan.kind,
                           benchmark=benchmark_label)


def draw_rows(rows: pd.DataFrame, *, plan: figures.FigurePlan, **arguments) -> Drawn:
    """:func:`draw` with the rows first, the form :class:`analyse.writer.ReportWriter` calls."""
    return draw(plan, rows, **arguments)


# --------------------------------------------------------------------------- saving

def save_figure(fig: Figure | Drawn, directory: Path, name: str) -> dict[str, Path]:
    """Write ``<name>.png`` (300 dpi) and ``<name>.svg`` to ``directory`` (created when needed).

    Accepts a figure or the :class:`Drawn` a figure function returns. Tight bounding box, so nothing
    is clipped; it is computed once and used for both formats (a "tight" save computes it again per
    format). The SVG is reproducible: the layout is computed once and then frozen, ``svg.hashsalt``
    is fixed and there is no date, so a rerun gives identical bytes. Mathtext is off while saving, so
    tick labels created now are drawn literally too. Returns ``{'png': ..., 'svg': ...}``.
    """
    if isinstance(fig, Drawn):
        fig = fig.figure
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"png": directory / f"{name}.png", "svg": directory / f"{name}.svg"}
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT, **PLAIN_TEXT}):
        # Constrained layout moves the axes by fractions of a point on every draw; lay out once and
        # freeze, so that every save of this figure (and of a rebuilt one) has the same geometry.
        _freeze_layout(fig)
        bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
        _write_png(fig, paths["png"], bbox)
        fig.savefig(paths["svg"], bbox_inches=bbox, facecolor="white", metadata={"Date": None})
    return paths


def _write_png(fig: Figure, path: Path, bbox) -> None:
    """``fig`` cropped to ``bbox`` as a 300 dpi PNG without an alpha channel.

    The background is opaque white, so the alpha channel matplotlib writes would carry nothing: as RGB the
    file is smaller, quicker to write, and LibreOffice embeds it in the PDF without a soft mask.
    """
    from PIL import Image, PngImagePlugin

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    pixels = io.BytesIO()
    fig.savefig(pixels, format="rgba", dpi=PNG_DPI, bbox_inches=bbox, facecolor="white")
    width, height = int(canvas.renderer.width), int(canvas.renderer.height)
    if len(pixels.getbuffer()) != width * height * 4:  # never write an image of the wrong shape
        raise RuntimeError(f"figuur {path.name}: {len(pixels.getbuffer())} bytes voor {width} x {height} pixels")
    image = Image.frombuffer("RGBA", (width, height), pixels.getbuffer(), "raw", "RGBA", 0, 1).convert("RGB")
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/")
    image.save(path, format="png", dpi=(PNG_DPI, PNG_DPI), pnginfo=info)
