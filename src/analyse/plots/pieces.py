"""A series drawn as connected pieces, with its definition breaks, estimates and trend line.

A line connects two measurements only when no measurement is missing in between and both belong to the
same *reeks* (data contract v2): the line breaks where a series skips more years than its own smallest step
(a series measured every two years stays connected; a series 2009-2013, 2016-2018 is drawn as two pieces),
where the value is missing (NaN), and where the reeks changes (a definition break, marked by a dotted
vertical line labelled "breuk in de reeks"). A reeks of only two measurements is connected only when they
are in consecutive years: one interval does not tell its step, and a line across nine years would claim
nine years of data. A row with ``status`` ``schatting`` has an open marker, ``voorlopig`` a half-filled
one, each with a legend entry.

Trend lines (dashed) are drawn only for a reeks with at least :data:`analyse.figures.MIN_TREND_POINTS`
measurements and only over the years of that reeks; their 95% bands for at most
:data:`analyse.figures.MAX_TREND_BANDS` series (with more, the bands would cover each other and the data,
so only the dashed lines are drawn).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analyse import figures
from analyse.plots.style import BREAK_COLOUR, BREAK_LABEL, FONT_SOURCE


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


class Piece(NamedTuple):
    xs: np.ndarray
    ys: np.ndarray
    status: np.ndarray
    reeks: str


def connected_pieces(part: pd.DataFrame, x: str, y: str) -> tuple[list[Piece], list[float]]:
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
            pieces.append(Piece(xs[idx], ys[idx], status[idx], reeks))
        years = xs[~np.isnan(ys)]
        if len(years):
            if previous_last is not None:
                breaks.append((previous_last + years.min()) / 2)
            previous_last = years.max()
    return pieces, breaks


def draw_pieces(ax, pieces: list[Piece], *, colour: str, marker: str, markersize: float = 5,
                linewidth: float = 1.8, zorder: float = 3) -> set[str]:
    """Draw connected pieces: one line per piece with filled markers on final values, and open or
    half-filled markers on estimates (:func:`draw_estimates`). Returns the statuses drawn."""
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
        statuses |= draw_estimates(ax, piece, colour=colour, marker=marker, markersize=markersize, zorder=zorder)
    return statuses


def draw_estimates(ax, piece: Piece, *, colour: str, marker: str, markersize: float = 5,
                   zorder: float = 3) -> set[str]:
    """The markers of a piece's estimates: open for ``schatting``, half-filled for ``voorlopig``. Returns the
    statuses drawn."""
    statuses = set()
    for status, style in _STATUS_MARKERS.items():
        mask = piece.status == status
        if mask.any():
            statuses.add(status)
            ax.plot(piece.xs[mask], piece.ys[mask], linestyle="none", marker=marker,
                    markersize=markersize + 1, color=colour, markeredgecolor=colour,
                    markeredgewidth=1.3, zorder=zorder + 0.1, **style)
    return statuses


def status_handles(statuses) -> list[tuple[Line2D, str]]:
    return [(Line2D([], [], linestyle="none", marker="o", markersize=6, color=BREAK_COLOUR,
                    markeredgecolor=BREAK_COLOUR, markeredgewidth=1.3, **_STATUS_MARKERS[s]),
             figures.STATUS_LABELS[s]) for s in figures.ESTIMATE_STATUSES if s in statuses]


def trend_handle(band: bool) -> tuple:
    """The legend entry of the trend lines: a dashed line, with the shaded 95% band when one is drawn."""
    line = Line2D([], [], color="#666666", linestyle="--", linewidth=1.2)
    if band:
        return (Patch(color="#999999", alpha=0.3, linewidth=0), line), "Trend met 95%-interval"
    return line, "Trend"


def trend_and_status_entries(statuses, trend: bool | None) -> list[tuple]:
    """Legend entries after the series: the trend (``trend``: with its band, without, or None when no trend is
    drawn), then the marks of estimates and provisional figures among ``statuses``."""
    return ([trend_handle(trend)] if trend is not None else []) + status_handles(statuses)


def break_handle() -> Line2D:
    return Line2D([], [], color=BREAK_COLOUR, linestyle=":", linewidth=1.2)


def draw_breaks(ax, breaks, *, label: bool) -> None:
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


def trend_pieces(trend: pd.DataFrame, data: pd.DataFrame, *, x: str, y: str) -> list[tuple[pd.DataFrame, int]]:
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


def draw_trend(ax, fitted: pd.DataFrame, *, x: str, colour: str, band: bool) -> list[float]:
    if band:
        ax.fill_between(fitted[x], fitted["ondergrens"], fitted["bovengrens"], color=colour,
                        alpha=0.15, linewidth=0, zorder=1)
    ax.plot(fitted[x], fitted["gefit"], color=colour, linestyle="--", linewidth=1.2, zorder=2)
    values = fitted["gefit"].tolist()
    if band:
        values += fitted["ondergrens"].tolist() + fitted["bovengrens"].tolist()
    return values


def check_unique(data: pd.DataFrame, *columns) -> None:
    keys = [c for c in columns if c]
    if "reeks" in data.columns:
        keys.append("reeks")
    if data.duplicated(keys).any():
        raise ValueError(f"Meer dan één waarde per {columns[-1]} in één reeks; kies één bron per reeks.")
