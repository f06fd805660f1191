"""The key-figure tile (:func:`tile_figure`): the newest value large, with year, label, source line and
benchmarks; for a series with fewer than three measurements (rule 1 of :mod:`analyse.figures`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analyse import figures
from analyse.plots.style import (FONT, GRID_COLOUR, TEXT_COLOUR, Drawn, Roles, check_columns, decorate, label_of,
                                 new_figure, plain_text, readable_on_white, subject_of, wrap)
from analyse.text.figure_texts import alt_sentence
from analyse.text.notation import display_decimals, format_number, format_value, join_words


TILE_VALUE_SIZE = 30
_UNIT_WORDS = {"per_100": "per 100", "per_1000": "per 1.000", "per_10000": "per 10.000", "jaren": "jaar"}
_WORD_UNITS = frozenset(_UNIT_WORDS)


def _shown(value, eenheid: str, decimals: int | None, *, unit: bool = True) -> str:
    """A value of the tile with the decimals of the key figures (:func:`analyse.text.notation.display_decimals`:
    the indicator's fixed ``decimals``, else as published); ``unit=False``: the number alone."""
    places = display_decimals(value, eenheid, fixed=decimals)
    return format_value(value, eenheid, places) if unit else format_number(value, places)


def _tile_value(value: float, eenheid: str, status: str, decimals: int | None) -> str:
    shown = _shown(value, eenheid, decimals, unit=eenheid not in _WORD_UNITS)
    return f"ca. {shown}" if status == "schatting" else shown


def _benchmark_lines(benchmarks: pd.DataFrame | None, *, key: str, year: int, x: str, y: str,
                     eenheid: str, labels, decimals: int | None) -> list[tuple[str, str]]:
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
        shown = ("ca. " if mark == "schatting" else "") + _shown(row["_y"], eenheid, decimals)
        shown += " (voorlopig)" if mark == "voorlopig" else ""
        lines.append((f"{label_of(labels, name)}: {shown} ({int(row[x])})", mark))
    return lines


@plain_text
def tile_figure(data: pd.DataFrame, *, title: str, label: str, eenheid: str, bron: str,
                x: str = "jaar", y: str = "waarde", period: str | None = None,
                benchmarks: pd.DataFrame | None = None, benchmark_key: str = "regio",
                labels: Mapping[str, str] | None = None, target: tuple[int, float] | None = None,
                missing_benchmark: bool = False, subject: str | None = None, roles: Roles = Roles(),
                area: str | None = None, decimals: int | None = None) -> Drawn:
    """A key-figure tile: the newest value large, with year, label, source line and benchmarks.

    For a series with fewer than three measurements (rule 1 of :mod:`analyse.figures`).

    - ``data``: the rows of one series: ``x``, ``y``, optional ``status``. The newest measured row is
      the big value; the earlier ones are listed as "Eerder: 31.390 (2009)", never joined by a line.
      A ``schatting`` reads "ca. 250" in grey with "schatting, geen meting"; ``voorlopig`` says
      "voorlopig cijfer".
    - ``label``: what the number counts, under it ("inwoners van Maassluis", "inwoners met een
      niet-westerse migratieachtergrond"; a rate gets its unit in front: "per 1.000 ...").
      ``period``: shown instead of the year ("aug 2016 - jan 2019").
    - ``roles``, ``area``: the value has the colour of the area's role (the municipality of the run: the
      highlight colour), as far as that colour reads as text on white; otherwise black.
    - ``benchmarks``: rows of the comparison regions or reference group (see
      :func:`analyse.figures.benchmark_rows`): ``benchmark_key``, ``x``, ``y``, optional ``status``;
      one line per key, "Nederland: 8,1% (2018)", the same year when there is one, else the newest.
    - ``target``: (year, value) of a policy target, under its own heading "Doel": "10 in 2021".
    - ``missing_benchmark``: say "Geen vergelijkingscijfer beschikbaar" when there are no benchmarks.
    - ``decimals``: the indicator's fixed decimals (the catalogue's ``decimalen``), for every value of the tile,
      as in the key figures; ``None``: each value as published.
    The height follows the content.
    """
    check_columns(data, x, y)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    rows = data.assign(_status=figures.status_column(data),
                       _y=pd.to_numeric(data[y], errors="coerce")).dropna(subset=["_y"]).sort_values(x)
    if rows.empty:
        raise ValueError("Geen meting voor de tegel.")
    newest = rows.iloc[-1]
    year, value, status = int(newest[x]), float(newest["_y"]), newest["_status"]
    unit_word = _UNIT_WORDS.get(eenheid)
    text_label = label if not unit_word or unit_word in label else f"{unit_word} {label}"
    tag = {"schatting": "schatting, geen meting", "voorlopig": "voorlopig cijfer"}.get(status)
    # left column: (text, size, weight, colour, style, height in points)
    left = [(_tile_value(value, eenheid, status, decimals), TILE_VALUE_SIZE, "bold",
             "#666666" if status == "schatting" else readable_on_white(roles.style(area).colour if roles.style(area)
                                                                       else "#000000"),
             "normal", 38)]
    wrapped = wrap(text_label, 44)
    left.append((wrapped, FONT, "normal", "#000000", "normal", 12 * (wrapped.count("\n") + 1) + 4))
    left.append((period or str(year), FONT, "bold", "#000000", "normal", 13))
    if tag:
        left.append((tag, FONT, "normal", "#555555", "italic", 13))
    earlier = rows.iloc[:-1]
    if len(earlier):
        items = [f"{_tile_value(v, eenheid, s, decimals)}{' ' + unit_word if unit_word else ''} ({int(j)})"
                 for j, v, s in zip(earlier[x], earlier["_y"], earlier["_status"])]
        line = wrap(f"Eerder: {'; '.join(items)}", 44)
        left.append((line, FONT, "normal", TEXT_COLOUR, "normal", 12 * (line.count("\n") + 1)))
    compared = [line for line, _ in _benchmark_lines(benchmarks, key=benchmark_key, year=year, x=x, y=y,
                                                     eenheid=eenheid, labels=labels, decimals=decimals)]
    if not compared and missing_benchmark and target is None:
        compared.append("Geen vergelijkingscijfer beschikbaar")
    right = []
    for heading, lines in (("Ter vergelijking", compared),
                           ("Doel", [f"{format_value(target[1], eenheid)} in {target[0]}"] if target is not None else [])):
        if lines:
            right.append((heading, FONT, "bold", "#000000", "normal", 16))
        for line in lines:
            wrapped = wrap(line, 46)
            right.append((wrapped, FONT, "normal", TEXT_COLOUR, "normal", 12 * (wrapped.count("\n") + 1) + 6))
    content = max(sum(item[-1] for item in left), sum(item[-1] for item in right))
    fig, ax = new_figure(content / 72 + 0.68)
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
    decorate(fig, ax, title=title, bron=bron)
    alt = describe_tile(data, label=label, eenheid=eenheid, title=title, x=x, y=y, period=period,
                        benchmarks=benchmarks, benchmark_key=benchmark_key, labels=labels, target=target,
                        missing_benchmark=missing_benchmark, subject=subject, decimals=decimals)
    return fig, alt


def describe_tile(data: pd.DataFrame, *, label: str, eenheid: str, title: str, x: str = "jaar",
                  y: str = "waarde", period: str | None = None, benchmarks: pd.DataFrame | None = None,
                  benchmark_key: str = "regio", labels: Mapping[str, str] | None = None,
                  target: tuple[int, float] | None = None, missing_benchmark: bool = False,
                  subject: str | None = None, decimals: int | None = None) -> str:
    """The alt text of :func:`tile_figure`, e.g. "Kerncijfer van inwoners van Maassluis: 32.518
    inwoners in 2018; eerder 31.390 in 2009."."""
    rows = data.assign(_status=figures.status_column(data),
                       _y=pd.to_numeric(data[y], errors="coerce")).dropna(subset=["_y"]).sort_values(x)
    newest = rows.iloc[-1]
    status = newest["_status"]
    shown = ("ca. " if status == "schatting" else "") + _shown(newest["_y"], eenheid, decimals)
    when = period or str(int(newest[x]))
    unit_word = _UNIT_WORDS.get(eenheid)
    if unit_word and unit_word in label:  # "41,1 bijstandsuitkeringen per 1.000 inwoners", not "41,1 per 1.000 ..."
        shown = ("ca. " if status == "schatting" else "") + _shown(newest["_y"], eenheid, decimals, unit=False)
    first = f"{shown} {label} in {when}" if eenheid not in ("procent", "euro") else f"{label} {shown} in {when}"
    if status:
        first += " (een schatting, geen meting)" if status == "schatting" else " (voorlopig cijfer)"
    details = [first]
    if len(rows) > 1:
        details.append("eerder " + join_words(f"{_shown(v, eenheid, decimals)} in {int(j)}"
                                              for j, v in zip(rows[x].iloc[:-1], rows["_y"].iloc[:-1])))
    lines = _benchmark_lines(benchmarks, key=benchmark_key, year=int(newest[x]), x=x, y=y, eenheid=eenheid,
                             labels=labels, decimals=decimals)
    if lines:
        details.append("ter vergelijking " + join_words(line for line, _ in lines))
    elif missing_benchmark and target is None:
        details.append("geen vergelijkingscijfer beschikbaar")
    if target is not None:
        details.append(f"doel {format_value(target[1], eenheid)} in {target[0]}")
    return alt_sentence(f"Kerncijfer van {subject or subject_of(title)}", details)
