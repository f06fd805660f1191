"""One small line chart per group or region on shared axes (:func:`small_multiples_figure`, rule 9 of
:mod:`analyse.figures`); its alt text is :func:`analyse.plots.lines.describe_series`."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analyse import figures
from analyse.plots.lines import describe_series
from analyse.plots.pieces import (break_handle, check_unique, connected_pieces, draw_breaks, draw_pieces,
                                  draw_trend, status_handles, trend_pieces)
from analyse.plots.style import (AXIS_LABELS, BENCHMARK_COLOUR, BREAK_LABEL, FONT, FONT_SMALL, GRID_COLOUR,
                                 TEXT_COLOUR, WIDTH, Drawn, DutchFormatter, axis_break, check_columns, colours_for,
                                 keys_of, label_of, legend_row, marker_for, plain_text, scale_y, style_axes,
                                 subset_of, title_and_source, wrap, year_axis)


SMALL_MULTIPLE_HEIGHT = 1.75  # inch per row of panels
SMALL_MULTIPLE_TICKS = 4  # at most this many year ticks per panel


@plain_text
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
    - ``trend``: as in :func:`series_figure`, with a ``facet`` column; one trend per panel, with band (not
      through a count: :func:`analyse.figures.draws_bands`).

    Drawn with matplotlib, not seaborn: seaborn's figure-level facets (``relplot``, ``FacetGrid``)
    create their figures through pyplot; ``seaborn.objects`` can draw on our own Figure, but the line
    rules above (no line across a gap or a definition break, half-filled markers, break marks, a
    trend only within its reeks, the axis rules of :func:`analyse.figures.y_range`) are not seaborn
    marks and would have to be written a second time in its vocabulary, next to
    :func:`series_figure`. One drawing helper for both keeps the rules in one place.
    """
    check_columns(data, facet, x, y)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    check_unique(data, facet, x)
    keys = keys_of(data, facet)
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
        bench_pieces, bench_breaks = connected_pieces(benchmark, x, y)
        for piece in bench_pieces:
            years.update(piece.xs)
            values.extend(piece.ys)
    else:
        bench_pieces, bench_breaks = [], []
    for ax, key in zip(axes, keys):
        style_axes(ax)
        part = subset_of(data, facet, key)
        if bench_pieces:
            draw_pieces(ax, bench_pieces, colour=BENCHMARK_COLOUR, marker="o", markersize=3, linewidth=1.2,
                        zorder=2)
        pieces, breaks = connected_pieces(part, x, y)
        statuses |= draw_pieces(ax, pieces, colour=colours[key], marker=marker_for(key), markersize=4.5,
                                linewidth=1.8)
        for piece in pieces:
            years.update(piece.xs)
            values.extend(piece.ys)
        if trend is not None:
            check_columns(trend, x, "gefit", "ondergrens", "bovengrens", facet)
            for fitted, _ in trend_pieces(subset_of(trend, facet, key), part, x=x, y=y):
                values.extend(draw_trend(ax, fitted, x=x, colour=colours[key],
                                         band=figures.draws_bands(1, eenheid)))
                trend_drawn += 1
        ax._analyse_breaks = breaks + bench_breaks
        breaks_any |= bool(breaks or bench_breaks)
        ax.set_title(wrap(label_of(labels, key), 30), loc="left", fontsize=FONT, color="#000000", pad=4)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        ax.set_axisbelow(True)
    year_axis(axes[0], years, max_ticks=SMALL_MULTIPLE_TICKS)
    scale_y(axes[0], values, eenheid)
    axes[0].yaxis.set_major_formatter(DutchFormatter(eenheid))
    for i, ax in enumerate(axes[:len(keys)]):
        draw_breaks(ax, ax._analyse_breaks, label=False)
        ax.tick_params(labelbottom=i + ncols >= len(keys),  # years under the lowest panel of a column
                       labelleft=i % ncols == 0)
        if i % ncols == 0:
            ax.set_ylabel(ylabel or AXIS_LABELS.get(eenheid, ""), fontsize=FONT_SMALL, color=TEXT_COLOUR)
    if axes[0].get_ylim()[0] > 0:  # the axis break mark on every panel's y axis
        for ax in axes[1:len(keys)]:
            axis_break(ax)
    handles, legend_labels = [], []
    if bench_pieces:
        handles.append(Line2D([], [], color=BENCHMARK_COLOUR, marker="o", markersize=3, linewidth=1.2))
        legend_labels.append(benchmark_label or "Ter vergelijking")
    if trend_drawn:
        line = Line2D([], [], color="#666666", linestyle="--", linewidth=1.2)
        band = figures.draws_bands(1, eenheid)
        handles.append((Patch(color="#999999", alpha=0.3, linewidth=0), line) if band else line)
        legend_labels.append("Trend met 95%-interval" if band else "Trend")
    for handle, text in status_handles(statuses):
        handles.append(handle)
        legend_labels.append(text)
    if breaks_any:
        handles.append(break_handle())
        legend_labels.append(BREAK_LABEL[:1].upper() + BREAK_LABEL[1:])
    _decorate_grid(fig, grid, nrows, title=title, bron=bron, handles=handles, legend_labels=legend_labels)
    alt = describe_series(data, x=x, y=y, hue=facet, labels=labels, eenheid=eenheid, title=title,
                          subject=subject, trends=trend_drawn, kind="kleine_veelvouden",
                          benchmark=benchmark_label if bench_pieces else None)
    return fig, alt


def _decorate_grid(fig: Figure, grid, nrows: int, *, title: str, bron: str, handles, legend_labels) -> None:
    """Title above, legend (own row of the grid) and source line below a grid of panels."""
    if handles:
        def place(height: float):
            grid.set_height_ratios([SMALL_MULTIPLE_HEIGHT] * nrows + [height])
            return fig.add_subplot(grid[nrows, :])
        legend_row(fig, handles, legend_labels, place)
    title_and_source(fig, title, bron)
