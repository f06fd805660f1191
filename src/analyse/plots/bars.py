"""The horizontal bar chart for a comparison in one year (:func:`bar_figure`), its alt text (the one writer of
bar alt texts, :func:`describe_bars`), and a ranking drawn as a numbered list (:func:`rank_figure`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from analyse import figures
from analyse.plots.style import (AXIS_LABELS, BLUE, BREAK_COLOUR, FONT, FONT_SMALL, GRID_COLOUR, MISSING_LABEL,
                                 TEXT_COLOUR, Drawn, DutchFormatter, check_columns, colours_for, decorate, keys_of,
                                 label_of, new_figure, plain_text, subject_of, subset_of, wrap)
from analyse.text.figure_texts import alt_sentence
from analyse.text.notation import display_decimals, format_number, format_value, years_text


def _annotation(value, eenheid: str, decimals: int | None) -> str:
    if eenheid in ("procent", "euro"):
        return format_value(value, eenheid, decimals)
    return format_number(value, decimals)


@plain_text
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
    check_columns(data, category, value, hue)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    if data.duplicated([c for c in (category, hue) if c]).any():
        raise ValueError("Meer dan één waarde per categorie; kies één jaar en één bron.")
    categories = list(pd.unique(data[category]))
    hues = keys_of(data, hue)
    n_bars = len(categories) * len(hues)
    fig, ax = new_figure(min(8.0, max(2.4, 1.5 + 0.3 * n_bars + (0.3 if hue else 0))))
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
        part = subset_of(data, hue, key)
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
                shown = f"{hidden} (kleine aantallen)" if hidden and hidden != "nan" else MISSING_LABEL
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
            legend_labels.append(label_of(labels, key))
    for status in figures.ESTIMATE_STATUSES:
        if status in statuses:
            handles.append(Patch(facecolor="white", edgecolor=BREAK_COLOUR, hatch="///"))
            legend_labels.append(figures.STATUS_LABELS[status])
    margin = (0.22 if statuses else 0.15) * span if annotate else 0.02 * span
    ax.set_xlim(low - (margin if low < 0 else 0), high + margin)
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.set_yticks(range(len(categories)),
                  [wrap(label_of(labels, c), 30) for c in categories], fontsize=FONT_SMALL)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_formatter(DutchFormatter(eenheid))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.set_xlabel(xlabel or AXIS_LABELS.get(eenheid, ""), fontsize=FONT, color=TEXT_COLOUR)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    decorate(fig, ax, title=title, bron=bron, handles=handles or None, legend_labels=legend_labels)
    alt = describe_bars(data, category=category, value=value, labels=labels, eenheid=eenheid, title=title,
                        hue=hue, subject=subject)
    return fig, alt


def describe_bars(data: pd.DataFrame, *, category: str, value: str = "waarde",
                  labels: Mapping[str, str] | None = None, eenheid: str, title: str, hue: str | None = None,
                  subject: str | None = None) -> str:
    """The alt text of :func:`bar_figure`: "Staafdiagram van <onderwerp>: Maassluis 7,1; Nederland 6,3.".

    Every value gets the same number of decimals: the most any of them is shown with
    (:func:`analyse.text.notation.display_decimals`: as published, one for a share computed here, column
    ``afgeleid``)."""
    subject = subject or subject_of(title)
    status = figures.status_column(data)
    values = pd.to_numeric(data[value], errors="coerce")
    derived = data["afgeleid"].eq(True) if "afgeleid" in data.columns else pd.Series(False, index=data.index)
    decimals = max((display_decimals(v, eenheid, d) or 0 for v, d in zip(values, derived) if pd.notna(v)),
                   default=0)
    details = []
    for (_, row), mark in zip(data.iterrows(), status):
        name = label_of(labels, row[category]) + (f", {label_of(labels, row[hue])}" if hue else "")
        hidden = row.get("verborgen") if pd.isna(row[value]) else None
        shown = str(hidden) if isinstance(hidden, str) and hidden else format_value(row[value], eenheid, decimals)
        details.append(f"{name} {'ca. ' if mark == 'schatting' else ''}{shown}"
                       f"{' (voorlopig)' if mark == 'voorlopig' else ''}")
    years = data["jaar"].dropna().unique() if "jaar" in data.columns else []
    head = f"Staafdiagram van {subject}" + (f", {years_text(years)}" if len(years) and
                                            str(int(max(years))) not in subject else "")
    return alt_sentence(head, details)


@plain_text
def rank_figure(data: pd.DataFrame, *, category: str, rank: str = "waarde",
                labels: Mapping[str, str] | None = None, title: str, bron: str) -> Drawn:
    """An ordered list for rankings (1 = most frequent), e.g. the most common grounds of discrimination.

    Prefer :func:`analyse.figures.ranking_table` (rule 6 of :mod:`analyse.figures`): a ranking is a
    table. This drawing stays for callers that need an image. Each item is shown as its rank number
    in a circle followed by its label, from rank 1 at the top; equal ranks share a number.
    """
    check_columns(data, category, rank)
    ranks = data[rank].to_numpy(dtype=float)
    if np.isnan(ranks).any() or (ranks < 1).any() or (ranks != np.round(ranks)).any():
        raise ValueError("Een rang moet een geheel getal van 1 of hoger zijn.")
    ordered = data.assign(_rank=ranks).sort_values("_rank", kind="stable")
    n = len(ordered)
    fig, ax = new_figure(min(8.0, max(1.8, 1.1 + 0.36 * n)))
    ax.set_axis_off()
    for i, (cat, r) in enumerate(zip(ordered[category], ordered["_rank"])):
        ax.plot(0.3, i, marker="o", markersize=16, color=BLUE, linestyle="none")
        ax.text(0.3, i, format_number(int(r)), ha="center", va="center", fontsize=FONT,
                fontweight="bold", color="white")
        ax.text(0.75, i, label_of(labels, cat), ha="left", va="center", fontsize=FONT, color="#000000")
    ax.set_xlim(0, 10)
    ax.set_ylim(n - 0.5, -0.5)
    decorate(fig, ax, title=title, bron=bron)
    alt = alt_sentence(f"Rangorde van {subject_of(title)}",
                       [f"{format_number(int(r))} {label_of(labels, c)}"
                        for c, r in zip(ordered[category], ordered["_rank"])])
    return fig, alt
