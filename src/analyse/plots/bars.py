"""The horizontal bar chart for a comparison in one year (:func:`bar_figure`), its alt text (the one writer of
bar alt texts, :func:`describe_bars`).

The bars are drawn by seaborn (:func:`seaborn.barplot`, grouped per ``hue`` when asked) on the figure's own axes,
under the house rc settings. Colours follow :mod:`analyse.plots.style`: an area keeps the colour of its role;
the categories of one area (its groups, or wijken) share one colour, since the labels name them and a rainbow
would mean nothing. Rule 11 of :mod:`analyse.figures` lays the categories out: a nested category right under
the one it lies within ("waarvan ..."), its parent lightly behind it when it is a part of it, and the average
or the national figure as a reference line instead of one more bar.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from analyse import figures
from analyse.plots.style import (AXIS_LABELS, BREAK_COLOUR, FONT, FONT_SMALL, GRID_COLOUR, MISSING_LABEL,
                                 REFERENCE_COLOUR, TEXT_COLOUR, Drawn, DutchFormatter, Roles, category_colours,
                                 check_columns, decorate, keys_of, label_of, new_figure, plain_text, series_styles,
                                 subject_of, subset_of, wrap)
from analyse.text.figure_texts import PART_LABEL, alt_sentence, nested_label
from analyse.text.notation import display_decimals, format_number, format_value, years_text

BAR_HEIGHT = 0.8  # of one category's row
GHOST_ALPHA = 0.22  # the parent behind a part: light, so the part and its value stay readable
REFERENCE_STYLE = {"linestyle": (0, (5, 2)), "linewidth": 1.5}


def _annotation(value, eenheid: str, decimals: int | None) -> str:
    if eenheid in ("procent", "euro"):
        return format_value(value, eenheid, decimals)
    return format_number(value, decimals)


def value_decimals(data: pd.DataFrame, value: str, eenheid: str, decimals: int | None = None) -> int:
    """The one number of decimals of every value of a bar chart (10,0% next to 12,5%), on the bars, in the legend
    and in the alt text: the most any value is shown with (:func:`analyse.text.notation.display_decimals`: the
    indicator's fixed ``decimals``, else as published, one for a share computed here, column ``afgeleid``)."""
    values = pd.to_numeric(data[value], errors="coerce")
    derived = data["afgeleid"].eq(True) if "afgeleid" in data.columns else pd.Series(False, index=data.index)
    return max((display_decimals(v, eenheid, d, decimals) or 0 for v, d in zip(values, derived) if pd.notna(v)),
               default=0)


def _tick_label(key, labels, parents) -> str:
    label = label_of(labels, key)
    return wrap(nested_label(label) if key in parents else label, 30)


@plain_text
def bar_figure(data: pd.DataFrame, *, category: str, value: str = "waarde",
               labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
               hue: str | None = None, annotate: bool = True, decimals: int | None = None,
               xlabel: str | None = None, subject: str | None = None, roles: Roles = Roles(),
               area: str | None = None, references=(), parents: Mapping | None = None,
               parts: bool = False) -> Drawn:
    """Horizontal bar chart for a comparison in one year (regions, groups), starting at 0.

    - Bars in the order of the data, from top to bottom; with ``hue`` grouped per hue value, with a legend.
    - Colours: ``roles`` gives every area its colour (:class:`~analyse.plots.style.Roles`); categories that are
      not areas with a role (groups of ``area``, wijken) share the colour of ``area``.
    - ``references``: categories drawn as a dashed vertical reference line with a legend entry ("Nederland:
      6,1%"), not as a bar (without ``hue``).
    - ``parents``: category -> the category it lies within; it is labelled "waarvan ..." (the rows must come
      right under their parent: :func:`analyse.figures.arrange`). With ``parts`` the parent's bar is drawn
      lightly behind it: the part of the whole it is.
    - ``annotate`` writes each value at the end of its bar in Dutch notation, all with the same decimals
      (:func:`value_decimals`: ``decimals``, the indicator's fixed decimals of the catalogue, else the most any
      value is published with, one for a share computed here); a missing value is marked "geen gegevens" (or
      the mark of column ``verborgen``). A row with ``status`` ``schatting`` or ``voorlopig`` gets a hatched bar
      and "ca." or "(voorlopig)" at its value.
    """
    import seaborn

    check_columns(data, category, value, hue)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    if data.duplicated([c for c in (category, hue) if c]).any():
        raise ValueError("Meer dan één waarde per categorie; kies één jaar en één bron.")
    parents = dict(parents or {})
    reference_rows = data.iloc[0:0] if hue else data[data[category].isin(list(references))]
    data = data.drop(index=reference_rows.index).reset_index(drop=True)
    data = data.assign(_y=pd.to_numeric(data[value], errors="coerce"), _status=figures.status_column(data))
    categories = list(pd.unique(data[category]))
    hues = keys_of(data, hue)
    fig, ax = new_figure(min(8.0, max(2.4, 1.5 + 0.3 * len(categories) * len(hues) + (0.3 if hue else 0))))
    reference_values = pd.to_numeric(reference_rows[value], errors="coerce").dropna()
    finite = np.concatenate([data["_y"].dropna().to_numpy(float), reference_values.to_numpy(float)])
    low, high = figures.y_range(eenheid, finite.min(initial=0.0), finite.max(initial=0.0), bars=True)
    span = (high - low) or 1.0
    decimals = value_decimals(pd.concat([data, reference_rows], ignore_index=True), value, eenheid, decimals)
    if hue:
        colours = {key: style.colour for key, style in series_styles(hues, roles=roles, area=area).items()}
    else:
        colours = category_colours(categories, roles=roles, area=area)
    order = [str(c) for c in categories]
    frame = data.assign(_category=data[category].astype(str), _hue=data[hue].astype(str) if hue else data[category].astype(str))
    common = dict(y="_category", order=order, orient="h", errorbar=None, legend=False, ax=ax, saturation=1,
                  width=BAR_HEIGHT, zorder=2)
    if parts:
        ghosts = frame[frame[category].isin(list(parents))]
        ghosts = ghosts.assign(_y=[float(data.loc[data[category] == parents[k], "_y"].iloc[0])
                                   for k in ghosts[category]])
        if len(ghosts):
            seaborn.barplot(data=ghosts, x="_y", hue="_hue", palette={str(k): colours[k] for k in colours},
                            alpha=GHOST_ALPHA, dodge=bool(hue), hue_order=[str(h) for h in (hues if hue else categories)],
                            **{**common, "zorder": 1})
    ghost_patches = len(ax.patches)
    seaborn.barplot(data=frame, x="_y", hue="_hue", palette={str(k): colours[k] for k in colours},
                    dodge=bool(hue), hue_order=[str(h) for h in (hues if hue else categories)], **common)
    bars = _bars_by_position(ax.patches[ghost_patches:])
    height = BAR_HEIGHT / len(hues)
    statuses = set()
    for j, key in enumerate(hues):
        part = subset_of(data, hue, key).set_index(category)
        for i, cat in enumerate(categories):
            if cat not in part.index:
                continue
            v, mark = float(part.at[cat, "_y"]), part.at[cat, "_status"]
            pos = i + (j - (len(hues) - 1) / 2) * height
            if np.isnan(v):  # missing, or hidden by the small-numbers rule (column 'verborgen' holds the mark)
                hidden = str(part.at[cat, "verborgen"]) if "verborgen" in part.columns else ""
                shown = f"{hidden} (kleine aantallen)" if hidden and hidden != "nan" else MISSING_LABEL
                ax.text(0.01 * span, pos, shown, va="center", ha="left", fontsize=FONT_SMALL,
                        color="#666666", fontstyle="italic")
                continue
            if mark and (bar := bars.get(round(pos, 3))) is not None:
                statuses.add(mark)
                bar.set(facecolor="white", edgecolor=bar.get_facecolor(), hatch="///", linewidth=1.2)
            if annotate:
                shown = _annotation(v, eenheid, decimals)
                shown = f"ca. {shown}" if mark == "schatting" else f"{shown} (voorlopig)" if mark else shown
                ax.text(v + (0.01 if v >= 0 else -0.01) * span, pos, shown,
                        va="center", ha="left" if v >= 0 else "right", fontsize=FONT_SMALL, color=TEXT_COLOUR)
    handles, legend_labels = _legend(hues if hue else [], colours, labels, statuses, parts and bool(parents))
    for key, reference in zip(reference_rows[category], pd.to_numeric(reference_rows[value], errors="coerce")):
        if np.isnan(reference):
            continue
        colour = roles.style(key).colour if roles.style(key) is not None else REFERENCE_COLOUR
        ax.axvline(reference, color=colour, zorder=3, **REFERENCE_STYLE)
        handles.append(Line2D([], [], color=colour, **REFERENCE_STYLE))
        legend_labels.append(f"{label_of(labels, key)}: {_annotation(reference, eenheid, decimals)}")
    margin = (0.22 if statuses else 0.15) * span if annotate else 0.02 * span
    ax.set_xlim(low - (margin if low < 0 else 0), high + margin)
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.set_yticks(range(len(categories)), [_tick_label(c, labels, parents) for c in categories],
                  fontsize=FONT_SMALL)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("")
    ax.xaxis.set_major_formatter(DutchFormatter(eenheid))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.set_xlabel(xlabel or AXIS_LABELS.get(eenheid, ""), fontsize=FONT, color=TEXT_COLOUR)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    decorate(fig, ax, title=title, bron=bron, handles=handles or None, legend_labels=legend_labels)
    alt = describe_bars(pd.concat([data, reference_rows], ignore_index=True), category=category, value=value,
                        labels=labels, eenheid=eenheid, title=title, hue=hue, subject=subject,
                        references=references, parents=parents, decimals=decimals)
    return fig, alt


def _bars_by_position(patches) -> dict:
    """The bars seaborn drew, by the centre of each on the category axis (rounded)."""
    return {round(p.get_y() + p.get_height() / 2, 3): p for p in patches if np.isfinite(p.get_width())}


def _legend(hues, colours, labels, statuses, ghost: bool) -> tuple[list, list[str]]:
    handles = [Patch(color=colours[key]) for key in hues]
    texts = [label_of(labels, key) for key in hues]
    for status in figures.ESTIMATE_STATUSES:
        if status in statuses:
            handles.append(Patch(facecolor="white", edgecolor=BREAK_COLOUR, hatch="///"))
            texts.append(figures.STATUS_LABELS[status])
    if ghost:
        handles.append(Patch(color="#000000", alpha=GHOST_ALPHA, linewidth=0))
        texts.append(PART_LABEL)
    return handles, texts


def describe_bars(data: pd.DataFrame, *, category: str, value: str = "waarde",
                  labels: Mapping[str, str] | None = None, eenheid: str, title: str, hue: str | None = None,
                  subject: str | None = None, references=(), parents: Mapping | None = None,
                  decimals: int | None = None) -> str:
    """The alt text of :func:`bar_figure`: "Staafdiagram van <onderwerp>, 2018: Maassluis 7,1; Rotterdam 6,9;
    ter vergelijking Nederland 6,3 (lijn).".

    Every value gets the same number of decimals as on the bars (:func:`value_decimals`). A nested category reads
    "waarvan ..."; a reference line comes last."""
    subject = subject or subject_of(title)
    parents = parents or {}
    status = figures.status_column(data)
    decimals = value_decimals(data, value, eenheid, decimals)
    details, notes = [], []
    for (_, row), mark in zip(data.iterrows(), status):
        label = label_of(labels, row[category])
        name = (nested_label(label) if row[category] in parents else label) + (
            f", {label_of(labels, row[hue])}" if hue else "")
        hidden = row.get("verborgen") if pd.isna(row[value]) else None
        shown = str(hidden) if isinstance(hidden, str) and hidden else format_value(row[value], eenheid, decimals)
        text = f"{name} {'ca. ' if mark == 'schatting' else ''}{shown}{' (voorlopig)' if mark == 'voorlopig' else ''}"
        if not hue and row[category] in set(references):
            notes.append(f"ter vergelijking {text} (lijn)")
        else:
            details.append(text)
    years = data["jaar"].dropna().unique() if "jaar" in data.columns else []
    newest = [max(years)] if len(years) else []
    head = f"Staafdiagram van {subject}" + (f", {years_text(newest)}" if newest and
                                            str(int(newest[0])) not in subject else "")
    return alt_sentence(head, details, notes)
