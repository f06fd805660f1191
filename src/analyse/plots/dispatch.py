"""Draws the rows of a :class:`analyse.figures.FigurePlan` as the figure kind it names (:func:`draw`), or
only writes that figure's alt text (:func:`describe`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analyse import figures
from analyse.plots.bars import bar_figure, describe_bars
from analyse.plots.lines import describe_series, series_figure
from analyse.plots.small_multiples import small_multiples_figure
from analyse.plots.stacked import describe_stacked, stacked_share_figure
from analyse.plots.style import Drawn, label_of, subject_of
from analyse.plots.tiles import describe_tile, tile_figure


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
        return tile_figure(rows[rows[per] == key], title=title, label=label or subject or subject_of(title),
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
            benchmark_label = benchmark_label or label_of(labels, first)
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
        return describe_tile(rows[rows[per] == key], label=label or subject or subject_of(title), eenheid=eenheid,
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
