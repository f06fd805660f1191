"""One small line chart per group or region on shared axes (:func:`small_multiples_figure`, rule 9 of
:mod:`analyse.figures`); its alt text is :func:`analyse.plots.lines.describe_series`.

seaborn's faceting (:mod:`seaborn.objects`: ``Plot.facet``, on the figure's own panel area, so no pyplot
figure) lays out the panels on shared axes and draws the lines, dots, benchmark and trend bands (``Band``).
The rules of a line stay in :mod:`analyse.plots.pieces`: the series is cut into its connected pieces there and
each piece is one seaborn group, so a gap or a definition break is never joined; the estimate markers, break
marks, axes and legend are the house's own, as in :func:`analyse.plots.lines.series_figure`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analyse import figures
from analyse.plots.lines import describe_series
from analyse.plots.pieces import (break_handle, check_unique, connected_pieces, draw_breaks, draw_estimates,
                                  trend_and_status_entries, trend_pieces)
from analyse.plots.style import (AXIS_LABELS, BREAK_LABEL, FONT, FONT_SMALL, GRID_COLOUR, LINE_WIDTH, PEER_COLOUR,
                                 REFERENCE_COLOUR, TEXT_COLOUR, WIDTH, Drawn, DutchFormatter, Roles, axis_break,
                                 category_colours, check_columns, keys_of, label_of, legend_row, plain_text, scale_y,
                                 seaborn_theme, style_axes, subset_of, title_and_source, wrap, year_axis)
from analyse.text.figure_texts import nested_label


SMALL_MULTIPLE_HEIGHT = 1.75  # inch per row of panels
SMALL_MULTIPLE_TICKS = 4  # at most this many year ticks per panel
TITLE_WRAP = 24  # characters of a panel title per line: a third of the column at FONT
MARKER_SIZE = 4.5


@plain_text
def small_multiples_figure(data: pd.DataFrame, *, facet: str = "groep", x: str = "jaar", y: str = "waarde",
                           labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
                           benchmark: pd.DataFrame | None = None, benchmark_label: str | None = None,
                           trend: pd.DataFrame | None = None, ncols: int = 3, ylabel: str | None = None,
                           subject: str | None = None, roles: Roles = Roles(), area: str | None = None,
                           parents: Mapping | None = None) -> Drawn:
    """One small line chart per ``facet`` value (group or region) on shared axes (rule 9 of
    :mod:`analyse.figures`), with the same line rules as :func:`series_figure`: gaps and
    definition breaks not connected, estimates marked, trend only within its reeks.

    - ``data``: ``facet``, ``x``, ``y``, optional ``reeks`` and ``status``. Panels in data order, ``ncols`` per
      row. Every panel of a group of ``area`` has that area's colour (one colour: the panel titles name the
      groups); a panel of an area has the colour of its role (``roles``).
    - ``benchmark``: rows of one reference series (``x``, ``y``; e.g. the reference group, the average or
      Nederland), drawn in grey in every panel and named ``benchmark_label`` in the legend.
    - ``trend``: as in :func:`series_figure`, with a ``facet`` column; one trend per panel, with band (not
      through a count: :func:`analyse.figures.draws_bands`).
    - ``parents``: facet value -> the one it lies within (:func:`analyse.figures.arrange`): its panel reads
      "waarvan ..." (the panels must follow their parent).
    """
    import seaborn.objects as so

    check_columns(data, facet, x, y)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    check_unique(data, facet, x)
    keys = keys_of(data, facet)
    ncols = max(1, min(ncols, len(keys)))
    nrows = math.ceil(len(keys) / ncols)
    colours = category_colours(keys, roles=roles, area=area)
    # the benchmark grey; lighter when the panels are grey themselves (the groups of the country)
    bench_colour = PEER_COLOUR if REFERENCE_COLOUR in colours.values() else REFERENCE_COLOUR
    titles = {key: wrap(nested_label(label_of(labels, key)) if key in (parents or {}) else label_of(labels, key),
                        TITLE_WRAP) for key in keys}
    names = {key: f"p{i}" for i, key in enumerate(keys)}  # facet values as plain strings for seaborn
    points, lines, bands, estimates, breaks = _frames(data, keys, names, facet=facet, x=x, y=y, trend=trend)
    bench_points, bench_lines, bench_breaks = _benchmark(benchmark, names.values(), x=x, y=y)

    statuses = {status for status in points["_status"] if status}
    band = figures.draws_bands(1, eenheid)
    handles, legend_labels = _legend(bench_points, bands, statuses, any(breaks.values()) or bench_breaks,
                                     benchmark_label, bench_colour, band)
    fig = Figure(figsize=(WIDTH, 0.75 + SMALL_MULTIPLE_HEIGHT * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    target = [fig]
    if handles:
        def place(height: float):  # the panels above, the legend in its own row below them
            target[0], legend_area = fig.subfigures(2, 1, height_ratios=[fig.get_figheight() - height, height])
            return legend_area.add_subplot()
        legend_row(fig, handles, legend_labels, place)
    panels = list(names.values())

    def layer(frame, **variables):  # every variable named: seaborn would fill the others in from another frame
        return dict(data=frame, x=x, col="_panel", group="_piece", legend=False, **variables)

    plot = so.Plot(points).facet(col="_panel", wrap=ncols, order=panels)
    if len(bench_points):
        plot = (plot.add(so.Line(color=bench_colour, linewidth=1.2), **layer(bench_lines, y=y))
                .add(so.Dot(color=bench_colour, pointsize=3), **layer(bench_points, y=y)))
    if len(bands) and band:
        plot = plot.add(so.Band(alpha=0.15, edgewidth=0),
                        **layer(bands, ymin="ondergrens", ymax="bovengrens", color="_panel"))
    if len(bands):
        plot = plot.add(so.Line(linestyle="--", linewidth=1.2), **layer(bands, y="gefit", color="_panel"))
    plot = (plot.add(so.Line(linewidth=LINE_WIDTH), **layer(lines, y=y, color="_panel"))
            .add(so.Dot(pointsize=MARKER_SIZE), **layer(points[points["_status"] == ""], y=y, color="_panel"))
            .scale(color={names[k]: colours[k] for k in keys}).share(x=True, y=True)
            .label(title=lambda name: titles[keys[int(name[1:])]], x="",
                   y=ylabel or AXIS_LABELS.get(eenheid, ""))
            .theme(seaborn_theme()).on(target[0]))
    plot.plot()
    axes = [ax for ax in target[0].axes if ax.get_title()]
    _finish_panels(axes, keys, estimates, breaks, bench_breaks, colours)
    values = [*points[y], *bench_points[y], *(bands[["ondergrens", "bovengrens"]].stack() if band else []),
              *bands["gefit"]] if len(bands) else [*points[y], *bench_points[y]]
    year_axis(axes[0], {*points[x], *bench_points[x]}, max_ticks=SMALL_MULTIPLE_TICKS)
    scale_y(axes[0], values, eenheid)
    axes[0].yaxis.set_major_formatter(DutchFormatter(eenheid))
    if axes[0].get_ylim()[0] > 0:  # the axis break mark on every panel's y axis
        for ax in axes[1:]:
            axis_break(ax)
    title_and_source(fig, title, bron)
    trends = bands["_panel"].nunique() if len(bands) else 0
    alt = describe_series(data, x=x, y=y, hue=facet, labels=labels, eenheid=eenheid, title=title,
                          subject=subject, trends=trends, kind="kleine_veelvouden",
                          benchmark=benchmark_label if len(bench_points) else None)
    return fig, alt


def _frames(data, keys, names, *, facet, x, y, trend):
    """The rows seaborn draws, one group per connected piece (:func:`analyse.plots.pieces.connected_pieces`):
    every point, the pieces of two or more points, the trend bands within their reeks, the estimates (drawn by
    the house's markers), and the breaks per panel."""
    points, lines, bands, estimates, breaks = [], [], [], {}, {}
    if trend is not None:
        check_columns(trend, x, "gefit", "ondergrens", "bovengrens", facet)
    for key in keys:
        part = subset_of(data, facet, key)
        pieces, breaks[key] = connected_pieces(part, x, y)
        estimates[key] = pieces
        for n, piece in enumerate(pieces):
            frame = pd.DataFrame({x: piece.xs, y: piece.ys, "_status": piece.status, "_panel": names[key],
                                  "_piece": f"{names[key]}-{n}"})
            points.append(frame)
            if len(frame) > 1:
                lines.append(frame)
        if trend is not None:
            for n, (fitted, _) in enumerate(trend_pieces(subset_of(trend, facet, key), part, x=x, y=y)):
                bands.append(fitted[[x, "gefit", "ondergrens", "bovengrens"]].assign(
                    _panel=names[key], _piece=f"{names[key]}-t{n}"))
    columns = [x, y, "_status", "_panel", "_piece"]
    empty = pd.DataFrame(columns=columns)
    return (pd.concat(points, ignore_index=True) if points else empty,
            pd.concat(lines, ignore_index=True) if lines else empty,
            pd.concat(bands, ignore_index=True) if bands else pd.DataFrame(),
            estimates, breaks)


def _benchmark(benchmark, panels, *, x, y):
    """The benchmark's points and joined pieces, repeated in every panel, and its breaks."""
    if benchmark is None or benchmark.empty:
        empty = pd.DataFrame(columns=[x, y, "_panel", "_piece"])
        return empty, empty, []
    pieces, breaks = connected_pieces(benchmark, x, y)
    frames = [pd.DataFrame({x: piece.xs, y: piece.ys, "_panel": panel, "_piece": f"b{panel}-{n}"})
              for panel in panels for n, piece in enumerate(pieces)]
    points = pd.concat(frames, ignore_index=True)
    joined = points[points.groupby("_piece")[x].transform("size") > 1]
    return points, joined, breaks


def _legend(bench_points, bands, statuses, breaks: bool, benchmark_label, bench_colour,
            band: bool) -> tuple[list, list[str]]:
    handles, texts = [], []
    if len(bench_points):
        handles.append(Line2D([], [], color=bench_colour, marker="o", markersize=3, linewidth=1.2))
        texts.append(benchmark_label or "Ter vergelijking")
    for handle, text in trend_and_status_entries(statuses, band if len(bands) else None):
        handles.append(handle)
        texts.append(text)
    if breaks:
        handles.append(break_handle())
        texts.append(BREAK_LABEL[:1].upper() + BREAK_LABEL[1:])
    return handles, texts


def _finish_panels(axes, keys, estimates, breaks, bench_breaks, colours) -> None:
    """House touches on every panel (in the order of ``keys``): axes, title on the left, estimate markers,
    break marks."""
    for ax, key in zip(axes, keys):
        style_axes(ax)
        title = ax.get_title()
        ax.set_title("")
        ax.set_title(title, loc="left", fontsize=FONT, color="#000000", pad=4)
        for piece in estimates[key]:
            draw_estimates(ax, piece, colour=colours[key], marker="o", markersize=MARKER_SIZE)
        draw_breaks(ax, breaks[key] + bench_breaks, label=False)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.yaxis.label.set(fontsize=FONT_SMALL, color=TEXT_COLOUR)
