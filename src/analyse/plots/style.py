"""One house style for every figure of the reports.

- Size for an A4 text column: 16 cm wide (6.3 x 3.9 inch for line charts), fonts 8-11 pt at that size.
- Colours by role, the same in every figure (:class:`Roles`, :func:`series_styles`): the municipality of the
  run always :data:`HIGHLIGHT` (whatever its name: no region name is written in the code), the country a
  neutral grey, the comparison regions fixed colours in the order the settings name them, the municipalities
  of the same size a light grey. Groups keep one fixed colour each (:data:`GROUP_STYLES`); ordered categories
  (age groups, education levels) a sequential scale, never a rainbow. Every colour of a line, bar or marker has
  WCAG 3:1 contrast on white (:data:`MIN_CONTRAST`); text 4.5:1 (:func:`readable_on_white`).
- Dutch labels and Dutch number notation on axes and annotations (via
  :func:`analyse.text.notation.format_number`, never the machine locale), "%" on percentage axes, a title and
  a source line under the figure, the legend in its own row below the plot.
- Figures are :class:`matplotlib.figure.Figure` objects rendered with the Agg canvas: no display and no
  pyplot state is needed. seaborn draws on those figures' axes (bars, the position among peers) or on the
  figure itself (small multiples, :mod:`seaborn.objects`), under the same rc settings (:data:`HOUSE_RC`,
  :func:`seaborn_theme`).
- Every text is drawn literally: mathtext is off for every text object (``text.parse_math`` False while
  a figure is built and saved), so ``Turks $x^2$`` or ``<script>`` in a label appears as typed.

The axes show the differences the text talks about, without inventing them (:func:`analyse.figures.y_range`,
:func:`scale_y`): bars start at 0; a line starts at 0 when the data fill at least a third of such an axis, and
otherwise spans the data with a minimum span and a break mark on the axis (rule 8 of :mod:`analyse.figures`).

Every year of a span of at most 12 years gets a tick (:func:`year_axis`), so gaps between measurements read
as gaps.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
import warnings
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator

from analyse import figures
from analyse.text.notation import format_number

WIDTH = 6.3  # inch, 16 cm: the width of an A4 text column
HEIGHT = 3.9
FONT = 9
FONT_SMALL = 8.5
FONT_SOURCE = 8
FONT_TITLE = 11
GRID_COLOUR = "#DDDDDD"
TEXT_COLOUR = "#333333"
MAX_TICK_YEARS = 12
LEGEND_WIDTH = 440.0  # points available for the legend row
LEGEND_WRAP = 34  # characters: longer legend labels wrap, so the legend can have two columns
BREAK_LABEL = "breuk in de reeks"
BREAK_COLOUR = "#555555"
PLAIN_TEXT = {"text.parse_math": False}
"""rc settings while a figure is built and saved: no mathtext, every text is drawn as typed."""

# Okabe & Ito (2008), colour-blind safe; their orange, sky blue and yellow have less than 3:1 contrast on white
# and are not used for lines, bars or text.
BLACK, BLUE, VERMILLION, GREEN, PURPLE = "#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7"

HIGHLIGHT = BLUE
"""The municipality of the run, in every figure, whatever its name."""
REFERENCE_COLOUR = "#666666"
"""Neutral grey: the national figure, and the average of a breakdown (``totaal`` of a share or rate)."""
PEER_COLOUR = "#949494"
"""Light grey: the municipalities of the same size."""
OTHER_AREA_COLOUR = "#4D6A80"
"""An area without a role (a wijk) in a bar chart: one colour for all of them."""
COMPARISON_STYLES = ((VERMILLION, "s"), (GREEN, "D"), (PURPLE, "^"), ("#9E6A00", "P"), ("#882255", "X"))
"""(colour, marker) of the comparison regions, in the order the settings name them."""
HIGHLIGHT_WIDTH, LINE_WIDTH = 2.4, 1.6
MIN_CONTRAST = 3.0
"""WCAG 2.1 contrast on white for lines, bars and markers (graphical objects); text needs 4.5:1."""

GROUP_STYLES: dict[str, tuple[str, str]] = {
    "nederlands": ("#332288", "s"),
    "migratieachtergrond": ("#AA4499", "D"),
    "westers": ("#117733", "^"),
    "niet_westers": (VERMILLION, "v"),
    "eerste_generatie": ("#882255", "P"),
    "tweede_generatie": ("#007A5E", "X"),
    "tweede_generatie_twee_ouders": ("#9E6A00", "d"),
    "turks": ("#CC6677", "o"),
    "marokkaans": ("#117733", "s"),
    "surinaams": ("#9E6A00", "D"),
    "antilliaans": ("#882255", "^"),
    "overig_niet_westers": ("#AA4499", "v"),
    "pools": ("#007A5E", "P"),
    "nieuwe_eu": ("#B35900", "X"),
    "statushouders": ("#AA4499", "o"),
    "herkomst_nederland": ("#332288", "s"),
    "herkomst_europa": ("#117733", "^"),
    "herkomst_buiten_europa": (VERMILLION, "v"),
    "man": ("#332288", "s"),
    "vrouw": ("#B35900", "D"),
}
"""Fixed (colour, marker) per group code, the same in every figure; each has 3:1 contrast on white."""
SEQUENTIAL = "crest"
"""The seaborn colour map for ordered categories (age groups, education levels): one hue, light to dark."""
SEQUENTIAL_RANGE = (0.35, 1.0)
"""The part of :data:`SEQUENTIAL` with 3:1 contrast on white."""

# Paul Tol's "muted" and "bright" colours with 3:1 contrast on white, for keys without a fixed colour.
_FALLBACK_COLOURS = ("#332288", "#117733", "#882255", "#AA4499", "#CC6677", "#9E6A00", "#007A5E", "#B35900",
                     VERMILLION)
_FALLBACK_MARKERS = ("o", "s", "D", "^", "v", "P", "X")

AXIS_LABELS = {
    "aantal": "Aantal", "procent": "Procent", "per_100": "Per 100", "per_1000": "Per 1.000",
    "per_10000": "Per 10.000", "rapportcijfer": "Rapportcijfer", "index": "Index",
    "score": "Score", "rang": "Rang", "euro": "Euro", "jaren": "Jaren",
}
MISSING_LABEL = "geen gegevens"

HOUSE_RC = {
    "font.size": FONT, "axes.titlesize": FONT, "axes.labelsize": FONT, "legend.fontsize": FONT_SMALL,
    "xtick.labelsize": FONT_SMALL, "ytick.labelsize": FONT_SMALL, "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR, "xtick.color": "#888888", "ytick.color": "#888888",
    "xtick.labelcolor": TEXT_COLOUR, "ytick.labelcolor": TEXT_COLOUR, "axes.edgecolor": "#888888",
    "axes.spines.top": False, "axes.spines.right": False, "axes.facecolor": "white", "figure.facecolor": "white",
    "axes.grid": False, "grid.color": GRID_COLOUR, "grid.linewidth": 0.8, "lines.linewidth": LINE_WIDTH,
    "axes.prop_cycle": matplotlib.cycler(color=list(_FALLBACK_COLOURS)), "legend.frameon": False,
}
"""The house style as rc settings: every figure is built under them, matplotlib and seaborn alike."""


@dataclass(frozen=True)
class Roles:
    """The part every area plays in the figures of a run: colours follow the part, never the name.

    The municipality of the run is always :data:`HIGHLIGHT`, the country :data:`REFERENCE_COLOUR`, the
    comparison regions :data:`COMPARISON_STYLES` in the order of ``comparisons`` (the order the settings name
    them), peers :data:`PEER_COLOUR`. An area with no part (a wijk) gets a neutral colour.
    """

    region: str | None = None
    comparisons: tuple[str, ...] = ()
    national: tuple[str, ...] = ()
    peers: tuple[str, ...] = ()

    def style(self, area) -> SeriesStyle | None:
        """The style of ``area`` by its part; None for an area without one."""
        if area is None:
            return None
        if area == self.region:
            return SeriesStyle(HIGHLIGHT, "o", HIGHLIGHT_WIDTH, 4.0)
        if area in self.comparisons:
            colour, marker = COMPARISON_STYLES[self.comparisons.index(area) % len(COMPARISON_STYLES)]
            return SeriesStyle(colour, marker, LINE_WIDTH, 3.0)
        if area in self.national:
            return SeriesStyle(REFERENCE_COLOUR, "v", LINE_WIDTH, 2.5)
        if area in self.peers:
            return SeriesStyle(PEER_COLOUR, "o", 1.0, 1.0)
        return None


class SeriesStyle(NamedTuple):
    """How one series (a line, a bar colour, a panel) is drawn."""

    colour: str
    marker: str
    width: float = LINE_WIDTH
    zorder: float = 3.0


def _key_hash(key: str) -> int:
    return zlib.crc32(str(key).encode("utf-8"))


def _fallback(key) -> SeriesStyle:
    """A deterministic colour and marker (independent of the run) for a key without a fixed style."""
    return SeriesStyle(_FALLBACK_COLOURS[_key_hash(key) % len(_FALLBACK_COLOURS)],
                       _FALLBACK_MARKERS[(_key_hash(key) // len(_FALLBACK_COLOURS)) % len(_FALLBACK_MARKERS)])


def category_colours(categories, *, roles: Roles = Roles(), area=None) -> dict:
    """One colour per bar category: an area with a role keeps its colour; every other category (a group of
    ``area``, a wijk) has the colour of ``area`` (:data:`OTHER_AREA_COLOUR` without one): one colour, since the
    labels name the categories and a rainbow would mean nothing."""
    own = roles.style(area) or SeriesStyle(OTHER_AREA_COLOUR, "o")
    return {key: (roles.style(key) or own).colour for key in categories}


def sequential(n: int) -> list[str]:
    """``n`` colours of the ordered scale (:data:`SEQUENTIAL`), light to dark, each with 3:1 contrast on white."""
    if n < 1:
        return []
    import seaborn

    scale = seaborn.color_palette(SEQUENTIAL, as_cmap=True)
    low, high = SEQUENTIAL_RANGE
    return [matplotlib.colors.to_hex(scale(low + (high - low) * i / max(1, n - 1))) for i in range(n)]


def series_styles(keys, *, roles: Roles = Roles(), area=None, distinct: bool = True) -> dict:
    """The style of every series key (group code or area) of one figure.

    - An area with a part in ``roles`` keeps the colour of its part (:class:`Roles`).
    - A single group of one area (``area``) is that area's series: the area's colour.
    - ``totaal`` next to other groups is the average of the breakdown: :data:`REFERENCE_COLOUR`.
    - Ordered categories (:func:`analyse.figures.is_ordered`: age groups, education levels) get a sequential
      scale in their order, never a rainbow; other groups their fixed colour (:data:`GROUP_STYLES`).
    - Any other key gets a deterministic palette colour when ``distinct`` (lines must be told apart), else the
      colour of ``area`` or :data:`OTHER_AREA_COLOUR` (bars of wijken: one colour, the labels name them).
    Two keys without a part never share a colour in one figure: the later one gets the first free colour.
    """
    keys = list(keys)
    own = roles.style(area) or SeriesStyle(OTHER_AREA_COLOUR, "o")
    if len(keys) == 1 and roles.style(keys[0]) is None:
        return {keys[0]: own}
    groups = [k for k in keys if k != figures.TOTAL and roles.style(k) is None]
    ordered = figures.order_groups(groups) if figures.is_ordered(groups) else []
    shades = dict(zip(ordered, sequential(len(ordered))))
    result, used = {}, set()
    for key in keys:
        if (style := roles.style(key)) is not None:
            result[key] = style
            continue
        if key == figures.TOTAL:
            style = SeriesStyle(REFERENCE_COLOUR, "o", LINE_WIDTH, 2.5)
        elif key in shades:
            style = SeriesStyle(shades[key], _FALLBACK_MARKERS[ordered.index(key) % len(_FALLBACK_MARKERS)])
        elif key in GROUP_STYLES:
            style = SeriesStyle(*GROUP_STYLES[key])
        elif distinct:
            style = _fallback(key)
        else:
            style = own
        if distinct and style.colour in used and key not in shades:
            free = next((c for c in _FALLBACK_COLOURS if c not in used), style.colour)
            style = style._replace(colour=free)
        result[key] = style
        used.add(style.colour)
    return result


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


def label_of(labels: Mapping[str, str] | None, key) -> str:
    return (labels or {}).get(key, str(key))


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else text


def new_figure(height: float) -> tuple[Figure, matplotlib.axes.Axes]:
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    style_axes(ax)
    return fig, ax


SOURCE_WRAP = 110  # characters of the source line per line at FONT_SOURCE across WIDTH


def title_and_source(fig: Figure, title: str, bron: str) -> None:
    """Title and source line at the figure's left edge, both wrapped to its width.

    Aligned with the figure rather than the axes, so the long category labels of a bar chart never push the
    title past the right edge; a long source line wraps instead of widening the saved image.
    """
    fig.suptitle(wrap(title, 62), x=0.0, ha="left", fontsize=FONT_TITLE, fontweight="bold", color="#000000")
    fig.supxlabel(wrap(bron, SOURCE_WRAP), x=0.0, ha="left", fontsize=FONT_SOURCE, color="#555555")


def legend_row(fig: Figure, handles, legend_labels, place) -> None:
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


def decorate(fig: Figure, ax, *, title: str, bron: str, handles=None, legend_labels=None) -> None:
    """Title above the axes; legend (in its own row, so it never covers data) and source line below.

    The figure grows by the height of the legend, so the plot keeps its size.
    """
    if handles:
        def place(height: float):
            grid = fig.add_gridspec(2, 1, height_ratios=[fig.get_figheight() - height, height])
            ax.set_subplotspec(grid[0])
            return fig.add_subplot(grid[1])
        legend_row(fig, handles, legend_labels, place)
    title_and_source(fig, title, bron)


def text_width(text: str) -> float:
    """Width in points of ``text`` in the legend font (widest line)."""
    return max(TextPath((0, 0), line, size=FONT_SMALL).get_extents().width for line in text.split("\n"))


def _legend_layout(labels: list[str]) -> tuple[list[str], int]:
    """Labels (long ones wrapped when that buys a second column) and the number of legend columns."""
    def columns(texts):
        widest = max(text_width(t) for t in texts) + 45  # handle, padding and column spacing
        return max(1, min(len(texts), int(LEGEND_WIDTH // widest)))

    def balanced(ncols):  # as few rows as possible, filled evenly: 3+2 rather than 4+1
        return math.ceil(len(labels) / math.ceil(len(labels) / ncols))

    ncols = columns(labels)
    if ncols == 1 and len(labels) > 2:
        wrapped = [wrap(label, LEGEND_WRAP) for label in labels]
        if columns(wrapped) > 1:
            return wrapped, balanced(columns(wrapped))
    return labels, balanced(ncols)


def check_columns(data: pd.DataFrame, *columns) -> None:
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        raise ValueError(f"Kolom(men) ontbreken in de data: {', '.join(missing)}.")


class Drawn(NamedTuple):
    """What every figure function returns: the figure and its alt text (one Dutch sentence)."""

    figure: Figure
    alt: str


def plain_text(draw):
    """Build the figure under the house rc settings with mathtext off, then lay it out once and freeze the layout.

    The layout draw creates the tick labels while mathtext is off, and every text object of the
    figure gets ``parse_math`` False, so a later draw (also outside this module) shows them as typed.
    Freezing the layout here saves :func:`save_figure` a second layout pass.
    """
    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> Drawn:
        with matplotlib.rc_context({**HOUSE_RC, **PLAIN_TEXT}), warnings.catch_warnings():
            # seaborn 0.13 still uses arguments that newer matplotlib and pandas deprecate; nothing for a reader
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="seaborn")
            fig, alt = draw(*args, **kwargs)
            _finish(fig)
        return Drawn(fig, alt)
    return wrapper


def seaborn_theme() -> dict:
    """seaborn's plain "ticks" style under the house rc settings (for :meth:`seaborn.objects.Plot.theme`, whose
    default would be seaborn's grey grid)."""
    import seaborn

    return {**seaborn.axes_style("ticks"), **HOUSE_RC, **PLAIN_TEXT}


def freeze_layout(fig: Figure) -> None:
    """Lay ``fig`` out once and drop its layout engine (not for a placeholder: with any engine, even
    "none", every ``savefig`` draws the whole figure twice more just to lay it out again)."""
    if fig.get_layout_engine() is None:
        return
    fig.draw_without_rendering()
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _finish(fig: Figure) -> None:
    freeze_layout(fig)
    for text in fig.findobj(Text):
        text.set_parse_math(False)


def subject_of(title: str) -> str:
    """A title as the subject of a sentence: without its trailing years, first letter lower case
    unless the first word is a name or abbreviation ("Maassluis", "CITO")."""
    subject = re.sub(r",\s*\d{4}(\s*-\s*\d{4})?\s*$", "", title.strip())
    first = subject.split(" ", 1)[0]
    if not first or first[1:] != first[1:].lower():
        return subject
    return subject[:1].lower() + subject[1:]


def per_word(column: str | None) -> str:
    return {"groep": "groep", "regio": "regio"}.get(column or "", column or "reeks")


def keys_of(data: pd.DataFrame, column: str | None) -> list:
    return list(pd.unique(data[column])) if column else [None]


def subset_of(data: pd.DataFrame, column: str | None, key) -> pd.DataFrame:
    return data if column is None else data[data[column] == key]


def year_axis(ax, years: set[float], *, max_ticks: int | None = None) -> None:
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


def scale_y(ax, values: list[float], eenheid: str) -> None:
    """Y limits by the rules of the module docstring; a break mark when the axis does not start at 0."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return
    low, high = figures.y_range(eenheid, min(finite), max(finite))
    span = (high - low) or 1.0
    bottom = low if low == 0 else low - 0.08 * span
    if bottom < 0 and (min(finite) >= 0 or eenheid in figures.ZERO_BASED_UNITS):
        bottom = 0.0  # never a negative axis for values that cannot be negative (a trend band may dip below 0)
    top = high + 0.08 * span
    scale = figures.scale_limits(eenheid)
    if scale is not None:  # a closed scale: a little room for the markers, never far beyond it
        bottom, top = max(bottom, scale[0] - 0.02 * span), min(top, scale[1] + 0.02 * span)
    ax.set_ylim(bottom, top)
    if bottom > 0:
        axis_break(ax)
        # no tick label next to the break mark
        ticks = MaxNLocator(nbins=7, steps=[1, 2, 5, 10]).tick_values(bottom, top)  # 6,0 6,5 7,0, not 6,25
        ax.yaxis.set_major_locator(FixedLocator(
            [t for t in ticks if bottom + 0.07 * (top - bottom) <= t <= top]))


def axis_break(ax) -> None:
    """Two short slanted strokes across the bottom of the y axis: the axis does not start at 0."""
    dx, dy, gap = 0.012, 0.012, 0.014
    vertices, codes = [], []
    for offset in (0.02, 0.02 + gap):
        vertices += [(-dx, offset - dy), (dx, offset + dy)]
        codes += [MplPath.MOVETO, MplPath.LINETO]
    ax.add_patch(PathPatch(MplPath(vertices, codes), transform=ax.transAxes, clip_on=False,
                           edgecolor="#555555", linewidth=1.0, fill=False, zorder=5))


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of a colour."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                for c in matplotlib.colors.to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    return "#000000" if _contrast("#000000", colour) >= _contrast("#FFFFFF", colour) else "#FFFFFF"


def readable_on_white(colour: str, minimum: float = 3.0) -> str:
    """``colour`` when it has the WCAG contrast for large text on white (3:1), else near-black."""
    return colour if _contrast(colour, "#FFFFFF") >= minimum else "#000000"


def style_axes(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    for spine in ax.spines.values():
        spine.set_color("#888888")
    ax.tick_params(labelsize=FONT_SMALL, colors=TEXT_COLOUR, color="#888888")
