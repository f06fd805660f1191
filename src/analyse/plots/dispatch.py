"""Draws the rows of a :class:`analyse.figures.FigurePlan` as the figure kind it names (:func:`draw`), or
only writes that figure's alt text (:func:`describe`).

What is drawn is what is passed: the caller picks the rows (one year for a bar chart, each key's newest value
for a comparison), so the alt text and the reading guidance describe exactly the drawn rows."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analyse import figures
from analyse.plots.bars import bar_figure, describe_bars
from analyse.plots.lines import describe_series, series_figure
from analyse.plots.small_multiples import small_multiples_figure
from analyse.plots.stacked import describe_stacked, stacked_share_figure
from analyse.plots.style import Drawn, Roles, label_of, subject_of
from analyse.plots.tiles import describe_tile, tile_figure


def _area(rows: pd.DataFrame, per: str):
    """The one area the rows belong to when their series are groups (None when they are areas)."""
    if per == "regio" or "regio" not in rows.columns or rows["regio"].nunique() != 1:
        return None
    return rows["regio"].iloc[0]


def _tile_rows(rows: pd.DataFrame, bench, per: str, x: str):
    """The series of a tile (the newest measured one) and what its benchmarks differ by (region or group)."""
    measured = rows[pd.to_numeric(rows["waarde"], errors="coerce").notna()].sort_values(x, kind="stable")
    key = measured[per].iloc[-1]
    # a benchmark differs from the own rows by region (comparison regions) or else by group (reference group)
    bench_key = "regio" if bench is not None and set(bench["regio"]) - set(rows["regio"]) else "groep"
    own = rows[rows[per] == key]
    area = key if per == "regio" else _area(own, "groep")
    return own, bench_key, area


def _arranged(frame: pd.DataFrame, per: str, arrangement: figures.Arrangement | None) -> pd.DataFrame:
    """The rows of a bar chart in the order of ``arrangement`` (bars, then reference lines)."""
    if arrangement is None:
        return frame
    order = {key: i for i, key in enumerate([*arrangement.order, *arrangement.references])}
    return frame.assign(_order=frame[per].map(order).fillna(len(order))).sort_values(
        "_order", kind="stable").drop(columns="_order")


def _small_multiples_reference(rows, bench, per, labels, benchmark_label, arrangement):
    """The one series repeated in grey in every panel: the first benchmark key, else the reference category of
    the rows (the average of a breakdown), which then gets no panel of its own."""
    if bench is not None:
        first = bench[per].iloc[0]
        return rows, bench[bench[per] == first], benchmark_label or label_of(labels, first)
    references = arrangement.references if arrangement is not None else ()
    if references:
        reference = rows[rows[per] == references[0]]
        return rows[rows[per] != references[0]], reference, label_of(labels, references[0])
    return rows, None, benchmark_label


def draw(plan: figures.FigurePlan, rows: pd.DataFrame, *, per: str, title: str, eenheid: str, bron: str,
         labels: Mapping[str, str] | None = None, label: str | None = None,
         benchmarks: pd.DataFrame | None = None, benchmark_label: str | None = None,
         trend: pd.DataFrame | None = None, target: tuple[int, float] | None = None,
         subject: str | None = None, x: str = "jaar", roles: Roles = Roles(),
         arrangement: figures.Arrangement | None = None, decimals: int | None = None) -> Drawn:
    """Draw ``rows`` as :func:`analyse.figures.choose` planned (``plan.kind``).

    - ``rows``: the rows to draw; ``per``: their series column (``groep``/``regio``).
    - ``benchmarks``: rows of :func:`analyse.figures.benchmark_rows` (same columns). Lines and bars
      draw them as more series; a tile lists them; small multiples repeat them in grey in every
      panel (``benchmark_label`` names them in the legend).
    - ``roles``: the part of every area, for its colour (:class:`~analyse.plots.style.Roles`).
    - ``arrangement``: the order, nesting and reference lines of the categories (:func:`analyse.figures.arrange`)
      for bars and small multiples.
    - ``label``: what the tile's number counts (default: the subject or the title).
    - ``trend`` is passed on only when ``plan.trend``; ``target`` to lines and tiles.
    - ``decimals``: the indicator's fixed decimals (the catalogue's ``decimalen``) for the values a tile or a bar
      chart writes, as the key figures show them; ``None``: as published.
    A ranking (``rangorde``) is a table, not a figure: use :func:`analyse.figures.ranking_table`.
    """
    bench = benchmarks if benchmarks is not None and not benchmarks.empty else None
    trend = trend if plan.trend else None
    if plan.kind == "rangorde":
        raise ValueError("Een rangorde is een tabel: gebruik figures.ranking_table.")
    if plan.kind == "tegel":
        own, bench_key, area = _tile_rows(rows, bench, per, x)
        return tile_figure(own, title=title, label=label or subject or subject_of(title), eenheid=eenheid, bron=bron,
                           x=x, benchmarks=bench, benchmark_key=bench_key, labels=labels, target=target,
                           missing_benchmark=bench is None, subject=subject, roles=roles, area=area,
                           decimals=decimals)
    if plan.kind == "gestapeld":
        return stacked_share_figure(rows, category=per, labels=labels, title=title, bron=bron, subject=subject)
    with_bench = rows if bench is None else pd.concat([rows, bench], ignore_index=True)
    if plan.kind == "staaf":
        shown = _arranged(with_bench, per, arrangement)
        return bar_figure(shown, category=per, labels=labels, title=title, eenheid=eenheid, bron=bron,
                          subject=subject, roles=roles, area=_area(rows, per),
                          references=arrangement.references if arrangement else (),
                          parents=arrangement.parents if arrangement else None,
                          parts=arrangement.parts if arrangement else False, decimals=decimals)
    if plan.kind == "kleine_veelvouden":
        panels, reference, reference_label = _small_multiples_reference(rows, bench, per, labels, benchmark_label,
                                                                       arrangement)
        return small_multiples_figure(_arranged(panels, per, arrangement), facet=per, labels=labels, title=title,
                                      eenheid=eenheid, bron=bron, benchmark=reference, benchmark_label=reference_label,
                                      trend=trend, subject=subject, roles=roles, area=_area(rows, per),
                                      parents=arrangement.parents if arrangement else None)
    return series_figure(with_bench, hue=per, labels=labels, title=title, eenheid=eenheid, bron=bron, trend=trend,
                         target=target, subject=subject, roles=roles, area=_area(rows, per))


def describe(*, plan: figures.FigurePlan, rows: pd.DataFrame, per: str, title: str, eenheid: str,
             labels: Mapping[str, str] | None = None, label: str | None = None,
             benchmarks: pd.DataFrame | None = None, benchmark_label: str | None = None,
             trend: pd.DataFrame | None = None, target: tuple[int, float] | None = None,
             subject: str | None = None, x: str = "jaar", arrangement: figures.Arrangement | None = None,
             decimals: int | None = None, **_) -> str:
    """The alt text of what :func:`draw` would draw for the same arguments, without drawing (a cached
    figure still needs its alt text)."""
    bench = benchmarks if benchmarks is not None and not benchmarks.empty else None
    if plan.kind == "tegel":
        own, bench_key, _ = _tile_rows(rows, bench, per, x)
        return describe_tile(own, label=label or subject or subject_of(title), eenheid=eenheid, title=title, x=x,
                             benchmarks=bench, benchmark_key=bench_key, labels=labels, target=target,
                             missing_benchmark=bench is None, subject=subject, decimals=decimals)
    if plan.kind == "gestapeld":
        return describe_stacked(rows, category=per, labels=labels, title=title, subject=subject)
    with_bench = rows if bench is None else pd.concat([rows, bench], ignore_index=True)
    if plan.kind == "staaf":
        return describe_bars(_arranged(with_bench, per, arrangement), category=per, labels=labels, eenheid=eenheid,
                             title=title, subject=subject, references=arrangement.references if arrangement else (),
                             parents=arrangement.parents if arrangement else None, decimals=decimals)
    if plan.kind == "kleine_veelvouden":
        panels, reference, reference_label = _small_multiples_reference(rows, bench, per, labels, benchmark_label,
                                                                       arrangement)
        n_trends = 0 if trend is None or not plan.trend else trend.loc[trend[per].isin(panels[per]), per].nunique()
        return describe_series(_arranged(panels, per, arrangement), hue=per, labels=labels, eenheid=eenheid,
                               title=title, subject=subject, trends=n_trends, kind=plan.kind,
                               benchmark=reference_label if reference is not None else None)
    n_trends = 0 if trend is None or not plan.trend else trend[per].nunique()
    return describe_series(with_bench, hue=per, labels=labels, eenheid=eenheid, title=title, subject=subject,
                           target=target, trends=n_trends, kind=plan.kind)


def draw_rows(rows: pd.DataFrame, *, plan: figures.FigurePlan, **arguments) -> Drawn:
    """:func:`draw` with the rows first, the form :class:`analyse.writer.ReportWriter` calls."""
    return draw(plan, rows, **arguments)
