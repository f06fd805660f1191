"""The line chart of one indicator over the years, one line per group or region (:func:`series_figure`),
and its alt text (:func:`describe_series`, also for small multiples).

A marker at every measured year; lines, breaks, estimates and trends as :mod:`analyse.plots.pieces` draws them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from matplotlib.lines import Line2D

from analyse import figures
from analyse.plots.pieces import (check_unique, connected_pieces, draw_breaks, draw_pieces, draw_trend,
                                  trend_and_status_entries, trend_pieces)
from analyse.plots.style import (AXIS_LABELS, BLACK, FONT, GRID_COLOUR, HEIGHT, TEXT_COLOUR, Drawn, DutchFormatter,
                                 Roles, check_columns, decorate, keys_of, label_of, new_figure, per_word, plain_text,
                                 scale_y, series_styles, subject_of, subset_of, year_axis)
from analyse.text.figure_texts import alt_sentence
from analyse.text.notation import format_value, join_words, published_decimals, year_range, years_text


@plain_text
def series_figure(data: pd.DataFrame, *, x: str = "jaar", y: str = "waarde", hue: str | None = "groep",
                  labels: Mapping[str, str] | None = None, title: str, eenheid: str, bron: str,
                  trend: pd.DataFrame | None = None, target: tuple[int, float] | None = None,
                  ylabel: str | None = None, subject: str | None = None, roles: Roles = Roles(),
                  area: str | None = None) -> Drawn:
    """Line chart of one indicator over the years, one line per ``hue`` value (``None``: one line).

    - ``data``: columns ``x``, ``y`` (and ``hue``); optional ``reeks`` (a change of reeks within a
      series is a definition break: two separately connected parts and a dotted line labelled
      "breuk in de reeks"; a row without reeks belongs to the reeks of its ``bron``) and ``status``
      (``schatting``: open marker, ``voorlopig``: half-filled marker, each with a legend entry).
    - ``labels`` maps hue keys (group codes, region names) to legend labels.
    - ``trend``: columns ``x``, ``gefit``, ``ondergrens``, ``bovengrens`` (and ``hue``; ``reeks`` or
      ``bron`` to say which reeks it was fitted on): drawn as a dashed line with a shaded 95% band
      in the colour of its series (no band through a count: :func:`analyse.figures.draws_bands`), only for a
      reeks with
      :data:`analyse.figures.MIN_TREND_POINTS` measurements and only over that reeks' years.
    - ``target``: ``(jaar, waarde)``, drawn as a star with a dotted reference line, labelled
      "Doel 2021: 90%".
    - ``ylabel``: y-axis label; default the unit ("Procent", "Per 1.000", ...).
    - ``subject``: the subject of the alt text ("het aantal inwoners van Maassluis"); default from the title.
    - ``roles``: the part of every area (:class:`~analyse.plots.style.Roles`): the municipality of the run is
      drawn in the highlight colour, thicker and on top; ``area``: the area the rows belong to when the lines
      are its groups (a single line then has the area's colour).
    One value per (hue, x, reeks) is required.
    """
    check_columns(data, x, y, hue)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    check_unique(data, hue, x)
    fig, ax = new_figure(HEIGHT)
    handles, legend_labels = [], []
    years: set[float] = set()
    values: list[float] = []
    breaks: list[float] = []
    statuses: set[str] = set()
    styles = series_styles(keys_of(data, hue), roles=roles, area=area)
    for key in _legend_order(data, x, y, hue):
        part = subset_of(data, hue, key)
        colour, marker, width, zorder = styles[key]
        pieces, part_breaks = connected_pieces(part, x, y)
        statuses |= draw_pieces(ax, pieces, colour=colour, marker=marker, linewidth=width, zorder=zorder)
        breaks += part_breaks
        for piece in pieces:
            years.update(piece.xs)
            values.extend(piece.ys)
        joined = any(len(piece.xs) > 1 for piece in pieces)  # only points: no line in the legend either
        handles.append(Line2D([], [], color=colour, marker=marker, markersize=5, linewidth=width,
                              linestyle="-" if joined else "none"))
        legend_labels.append(label_of(labels, key) if hue else (labels or {}).get(y, "Meting"))
    trend_drawn, bands = 0, False
    if trend is not None:
        check_columns(trend, x, "gefit", "ondergrens", "bovengrens", hue)
        parts = [(key, fitted) for key in keys_of(trend, hue)
                 for fitted, _ in trend_pieces(subset_of(trend, hue, key), subset_of(data, hue, key), x=x, y=y)]
        bands = figures.draws_bands(len({key for key, _ in parts}), eenheid)
        for key, fitted in parts:
            values.extend(draw_trend(ax, fitted, x=x, colour=styles[key].colour if key in styles else "#666666",
                                     band=bands))
        trend_drawn = len({key for key, _ in parts})
    for handle, text in trend_and_status_entries(statuses, bands if trend_drawn else None):
        handles.append(handle)
        legend_labels.append(text)
    if target is not None:
        target_year, target_value = target
        values.append(float(target_value))
        ax.axhline(target_value, color="#666666", linestyle=":", linewidth=1, zorder=1)
        ax.plot([target_year], [target_value], marker="*", markersize=11, color=BLACK,
                linestyle="none", zorder=4)
        years.add(float(target_year))
        handles.append(Line2D([], [], color="#666666", linestyle=":", linewidth=1, marker="*",
                              markersize=11, markerfacecolor=BLACK, markeredgecolor=BLACK))
        legend_labels.append(f"Doel {target_year}: {format_value(target_value, eenheid)}")
    year_axis(ax, years)
    scale_y(ax, values, eenheid)
    draw_breaks(ax, breaks, label=True)
    ax.yaxis.set_major_formatter(DutchFormatter(eenheid))
    ax.set_ylabel(ylabel or AXIS_LABELS.get(eenheid, ""), fontsize=FONT, color=TEXT_COLOUR)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    show_legend = hue is not None or len(handles) > 1
    decorate(fig, ax, title=title, bron=bron, handles=handles if show_legend else None,
             legend_labels=legend_labels)
    alt = describe_series(data, x=x, y=y, hue=hue, labels=labels, eenheid=eenheid, title=title,
                          subject=subject, target=target, trends=trend_drawn)
    return fig, alt


def _legend_order(data: pd.DataFrame, x: str, y: str, hue: str | None) -> list:
    """Series keys from the highest to the lowest last measured value, so the legend reads in the
    order of the lines; series without a value last, in data order."""
    keys = keys_of(data, hue)
    if hue is None:
        return keys

    def last_value(key):
        part = subset_of(data, hue, key).dropna(subset=[y]).sort_values(x)
        return -float(part[y].iloc[-1]) if not part.empty else math.inf

    return sorted(keys, key=last_value)


def _decimals(values) -> int:
    """The decimals to show every value of one series with: the most any of them was published with."""
    return max((published_decimals(v) or 0 for v in values if pd.notna(v)), default=0)


def _series_facts(part: pd.DataFrame, x: str, y: str, eenheid: str) -> dict:
    """First and last measurement, breaks and estimate years of one series, for alt texts."""
    measured = part.assign(_y=pd.to_numeric(part[y], errors="coerce")).dropna(subset=["_y"]).sort_values(x)
    _, breaks = connected_pieces(part, x, y)
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
                    subject: str | None = None, target: tuple[int, float] | None = None, trends: int = 0,
                    kind: str = "lijn", benchmark: str | None = None) -> str:
    """The alt text of :func:`series_figure` (and, with ``kind="kleine_veelvouden"``, of
    :func:`small_multiples_figure`), without drawing: one Dutch sentence, e.g.
    "Lijn van het aantal inwoners van Maassluis, 2009-2018: van 31.390 naar 32.518."."""
    subject = subject or subject_of(title)
    measured = data[pd.to_numeric(data[y], errors="coerce").notna()]
    span = year_range(measured[x].min(), measured[x].max()) if len(measured) else ""
    keys = (keys_of(data, hue) if kind == "kleine_veelvouden" else _legend_order(data, x, y, hue)) if hue else [None]
    facts = {key: _series_facts(subset_of(data, hue, key), x, y, eenheid) for key in keys}
    if kind == "kleine_veelvouden":
        head = f"Kleine figuren van {subject}, één per {per_word(hue)}, {span}"
    elif len(keys) > 1:
        head = f"Lijnen van {subject} per {per_word(hue)}, {span}"
    else:
        head = f"Lijn van {subject}, {span}" if facts[keys[0]]["n"] > 1 else f"Punt van {subject}, {span}"
    details = []
    for key, fact in facts.items():
        name = f"{label_of(labels, key)} " if hue and len(keys) > 1 or kind == "kleine_veelvouden" else ""
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
            per_note.setdefault(note, []).append(label_of(labels, key))
    notes = [note if len(names) == len(keys) else f"{join_words(names)}: {note}" for note, names in per_note.items()]
    if benchmark and kind == "kleine_veelvouden":
        notes.append(f"in elk paneel ter vergelijking {benchmark} (grijs)")
    if trends:
        notes.append("met de geschatte trend" if trends == 1 else "met de geschatte trends")
    if target is not None:
        notes.append(f"doel {format_value(target[1], eenheid)} in {target[0]}")
    return alt_sentence(head, details, notes)
