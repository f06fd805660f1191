"""The figures of a theme notebook: which rows a figure shows, in which form, and how it is saved.

:class:`Figures` works for :class:`analyse.theme.Thema` (and the target monitor): each series key gets the reeks
that counts for it (:func:`analyse.series.choose`) plus the reeksen it continues after a definition break; the
benchmark (comparison regions, or the reference group) stands next to it; the form follows the rules of
:mod:`analyse.figures`; values resting on few persons are emptied first (the run's gate, :mod:`analyse.gate`);
the writer saves the figure with its reading guidance and alt text.
"""

from __future__ import annotations

import pandas as pd

from analyse import contract, derived, figures, indicators, presenter, series
from analyse.plots import dispatch
from analyse.plots.style import Roles
from analyse.text import label_texts
from analyse.text.figure_texts import all_hidden, figure_guidance, not_comparable_note
from analyse.text.notation import round_as_shown, year_range
from analyse.theme_part import ThemePart

COUNT_UNITS = ("aantal",)
"""Units whose level is not compared across regions of different size."""
PLACE_KINDS = ("positie", "kaart")
"""Kinds that place the municipality among all municipalities in one year (:mod:`analyse.theme_peers`)."""
ONE_YEAR_KINDS = ("staaf", "gestapeld")
"""Figure kinds that draw one year: the rows of the plan's year, or each key's newest value for a comparison."""


def national_regions(cat) -> tuple[str, ...]:
    """The regions at the level of the country (regios.csv ``niveau`` land): drawn as the neutral reference."""
    return tuple(region for region, level in cat.region_levels.items() if level == "land")


def area_roles(ctx, cat, peers=()) -> Roles:
    """The part every area plays in the figures of this run: the municipality of the run, the comparison regions
    in the order the settings name them, the country, and ``peers`` (municipalities of the same size)."""
    national = national_regions(cat)
    return Roles(region=ctx.region, comparisons=tuple(r for r in ctx.comparison_regions if r not in national),
                 national=national, peers=tuple(peers))


class Figures(ThemePart):
    """Figures for one notebook (see the module docstring)."""

    def _figure_rows(self, rows: pd.DataFrame, per: str) -> pd.DataFrame:
        """Per series key (a group or a region): its chosen reeks plus the reeksen it continues."""
        parts = []
        for _, part in rows.groupby(per, sort=False):
            chosen = series.choose(part, self.grades)
            parts.append(series.with_predecessors(part, chosen, self.dataset.reeksen))
        return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]

    def _chosen_in(self, indicator: str, regions) -> pd.DataFrame:
        """The chosen reeks of every group of ``indicator`` in the window in ``regions`` (for benchmarks: the
        figure's regions and the comparison regions; not every municipality of the country)."""
        rows = indicators.select(self.window_obs, indicator=indicator, regio=list(dict.fromkeys(regions)))
        parts = [series.choose(part, self.grades) for _, part in rows.groupby(["regio", "groep"], sort=False)]
        return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]

    def _trend_lines(self, rows: pd.DataFrame, per: str) -> pd.DataFrame | None:
        """Fitted values of the trends of the reeksen drawn (the newest reeks of each series key)."""
        lines = []
        for key, part in rows.groupby(per, sort=False):
            last = part.sort_values("jaar").iloc[-1]
            result = self.trend_results().get((last["indicator"], last["regio"], last["groep"], last["reeks"]))
            if result is not None and not result.fitted.empty:
                lines.append(result.fitted.assign(**{per: key, "reeks": last["reeks"]}))
        return pd.concat(lines, ignore_index=True) if lines else None

    def _missing(self, indicator: str) -> presenter.HTMLBlock:
        note = f"Geen gegevens voor '{self.cat.label(indicator)}' in {self.context.region} in {self.context.window}."
        return presenter.paragraph(note, italic=True)

    def _target(self, indicator: str) -> tuple[int, float] | None:
        """The target of the policy document for ``indicator``: only in the figures of the municipality whose
        document it is (another municipality has no such target)."""
        ind = self.dataset.indicatoren.set_index("indicator")
        if indicator not in ind.index or not self.dataset.has_policy_document(self.context.region):
            return None
        row = ind.loc[indicator]
        if row.get("doel_type") == "niveau" and row.get("doel_jaar") and row.get("doel_waarde"):
            return int(row["doel_jaar"]), float(row["doel_waarde"])
        return None

    def _plot(self, rows: pd.DataFrame, *, indicator: str, per: str, name: str, title: str | tuple[str, ...],
              in_note: bool, benchmarks: pd.DataFrame | None = None, label: str | None = None, latest: bool = False,
              not_comparable: tuple[str, ...] = ()):
        """Draw ``rows`` in the figure the rules of :mod:`analyse.figures` choose, save it and show it.

        A ranking becomes a table (saved as such). ``rows`` hold one reeks per series key (with the reeksen
        it continues); ``benchmarks`` the rows shown next to them. ``latest``: the rows are each key's newest
        value (a comparison), drawn together as one year with every older year named. ``title`` is the title,
        or the parts of one (label, where) that get the years the figure shows: its one year, or the span of
        its years.
        """
        eenheid = self.cat.unit(indicator)
        rows, hidden_notes = self._protect(self._for_display(rows))
        bench = benchmarks if benchmarks is not None and not benchmarks.empty else None
        if bench is not None:
            bench, _ = self._protect(self._for_display(bench))
        if rows["waarde"].isna().all():  # everything rests on fewer persons than the threshold
            return presenter.paragraph(all_hidden(self.cat.label(indicator), self.context.settings.small_count),
                                       italic=True)
        newest = int(rows["jaar"].max())
        plan = figures.choose(rows.assign(jaar=newest) if latest else rows, unit=eenheid, per=per,
                              has_benchmark=bench is not None)
        if plan.kind in ONE_YEAR_KINDS and not latest:  # the one year the plan draws, nothing else
            rows = rows[rows["jaar"] == plan.year]
            bench = None if bench is None or plan.kind == "gestapeld" else bench[bench["jaar"] == plan.year]
            bench = bench if bench is not None and not bench.empty else None
        shown_rows = rows if bench is None else pd.concat([rows, bench])
        if isinstance(title, tuple):
            shown = str(plan.year) if plan.year is not None else year_range(shown_rows["jaar"].min(),
                                                                            shown_rows["jaar"].max())
            title = label_texts.title(*title, shown)
        source = self._source(shown_rows)
        if plan.kind == "rangorde":
            return self._ranking(rows, indicator=indicator, per=per, name=name, title=title, source=source)
        labels = self.cat.series_labels()
        year = plan.year if plan.year is not None else newest
        older = {k: int(y) for k, y in zip(shown_rows[per], shown_rows["jaar"]) if latest and int(y) != year}
        labels = {**labels, **{k: f"{labels.get(k, k)} ({y})" for k, y in older.items()}}
        target = self._target(indicator)
        trend = self._trend_lines(rows, per) if plan.trend else None
        bench_label = None if bench is None else ", ".join(labels.get(k, k) for k in pd.unique(bench[per]))
        columns = [c for c in (per, "regio", "groep", "jaar", "waarde", "reeks", "bron", "status", "verborgen")
                   if c in rows]
        drawn = rows[list(dict.fromkeys(columns))].reset_index(drop=True)
        bench_drawn = None if bench is None else bench[drawn.columns.intersection(bench.columns)].reset_index(drop=True)
        arrangement = self._arrangement(shown_rows, per, eenheid)
        arguments = dict(plan=plan, per=per, title=title, eenheid=eenheid, bron=source, labels=labels,
                         label=label, benchmarks=bench_drawn, benchmark_label=bench_label, trend=trend,
                         target=target if plan.kind in ("lijn", "tegel") else None,
                         subject=label_texts.lower_first(self.cat.label(indicator)),
                         roles=area_roles(self.context, self.cat), arrangement=arrangement,
                         decimals=self.cat.decimals(indicator))
        guidance = " ".join([self._guidance(plan, shown_rows, arguments, year=year, older=older,
                                            sources=len(self.cat.origins(rows))), *hidden_notes,
                             *([not_comparable_note(year, not_comparable)] if not_comparable else [])])
        record = contract.FigureRecord(name=name, indicator=indicator, kind=plan.kind, png="", svg="", title=title,
                                       source=source, guidance=guidance, alt=dispatch.describe(rows=drawn, **arguments),
                                       in_note=in_note,
                                       main=in_note and not any(f.main for f in self.out.figures))
        saved = self.out.figure(name, dispatch.draw_rows, drawn, arguments, record=record)
        return presenter.FigureView(self.out.png_path(saved), saved)

    def _arrangement(self, rows: pd.DataFrame, per: str, eenheid: str) -> figures.Arrangement:
        """Order, nesting and reference lines of the drawn keys (rule 11 of :mod:`analyse.figures`); regions in
        the order of their roles: the municipality, the comparison regions as the settings name them, the rest."""
        keys = list(pd.unique(rows[per]))
        if per == "regio":
            roles = area_roles(self.context, self.cat)
            ranked = [roles.region, *roles.comparisons]
            keys = sorted(keys, key=lambda k: ranked.index(k) if k in ranked else len(ranked))
        newest = rows.sort_values("jaar").drop_duplicates(per, keep="last")
        return figures.arrange(keys, per=per, unit=eenheid, values=dict(zip(newest[per], newest["waarde"])),
                               sums=derived.compositions(self.dataset.groepen),
                               catalogue_order=list(self.dataset.groepen["groep"]),
                               national=national_regions(self.cat))

    def _guidance(self, plan: figures.FigurePlan, shown: pd.DataFrame, arguments: dict, *, year: int,
                  older: dict, sources: int) -> str:
        """The reading guidance of what the figure draws (its rows, benchmarks, trend, target and layout)."""
        per, eenheid, labels = arguments["per"], arguments["eenheid"], arguments["labels"]
        base = self.cat.series_labels()
        arrangement, target, trend = arguments["arrangement"], arguments["target"], arguments["trend"]
        keys = list(pd.unique(shown[per]))
        references = [k for k in arrangement.references if k in keys]
        benchmark = arguments["benchmark_label"]
        if plan.kind == "kleine_veelvouden" and benchmark is None and references:
            benchmark = ("het totaal" if references[0] == figures.TOTAL
                         else label_texts.lower_first(labels.get(references[0], references[0])))
        values = list(shown["waarde"])
        if trend is not None:
            values += list(trend["gefit"]) + (list(trend["ondergrens"]) + list(trend["bovengrens"]) if plan.band else [])
        if target is not None:
            values.append(target[1])
        return figure_guidance(
            plan.kind, per=per, unit=eenheid, series=len(keys), year=year,
            other_years={base.get(k, k): y for k, y in older.items()},
            references=[labels.get(k, k) for k in references] if plan.kind == "staaf" else (),
            highlight=self.context.region if self.context.region in keys else None,
            trends=plan.n_trends if plan.trend else 0, bands=plan.band, target=target,
            zero_based=plan.kind not in ("lijn", "kleine_veelvouden") or figures.starts_at_zero(eenheid, values),
            sources=sources, has_break=plan.breaks, estimates=plan.estimates, benchmark=benchmark,
            nested=plan.kind == "staaf" and bool(arrangement.parents), parts=arrangement.parts)

    @staticmethod
    def _for_display(rows: pd.DataFrame) -> pd.DataFrame:
        """A share or rate we computed ourselves is shown with one decimal (published values as published)."""
        if "afgeleid" not in rows.columns:
            return rows
        derived = rows["afgeleid"].astype(bool) & rows["eenheid"].isin(["procent", "per_100", "per_1000", "per_10000"])
        return rows.assign(waarde=rows["waarde"].where(~derived, rows["waarde"].map(lambda v: round_as_shown(v, 1))))

    def _protect(self, rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """Observation rows with values resting on fewer persons than the threshold emptied (the small-numbers
        rule, as the run's gate decides: :mod:`analyse.gate`); column ``verborgen`` holds the mark shown instead."""
        result = self.out.gate.observations(rows)
        frame = result.frame.assign(verborgen="")
        for cell in result.cells:
            if cell.column == "waarde":
                frame.loc[cell.row, "verborgen"] = cell.mark
        return frame, result.notes

    def _ranking(self, rows: pd.DataFrame, *, indicator: str, per: str, name: str, title: str, source: str):
        """A ranking as a table with its ranks (a rank has no size: no chart)."""
        newest = rows[rows["jaar"] == rows["jaar"].max()]
        frame = figures.ranking_table(newest, category=per, labels=self.cat.series_labels())
        columns = tuple(contract.Column(c, c, "label" if c == "Rang" else "text") for c in frame.columns)
        self.out.table(name, frame, title=title, source=source, columns=columns)
        return self.out.display(name, caption=title)

    def figure(self, indicator: str, *, per: str = "groep", groepen: list[str] | None = None,
               regios: list[str] | None = None, regio: str | None = None, title: str | None = None,
               name: str | None = None, in_note: bool = True):
        """The development of one indicator, by group (one region) or by region (one group).

        Each series is the reeks that counts for it, with the reeksen it continues after a definition
        break; the benchmark (comparison regions, or the reference group) is drawn next to it. Which figure
        follows from the data (:mod:`analyse.figures`): a line chart from three measurements, otherwise a
        key-figure tile or bars. ``in_note=False`` keeps it out of the Word note (it stays in the notebook).
        """
        ctx = self.context
        everywhere = self._chosen_in(indicator, [regio or ctx.region, *(regios or []), *ctx.comparison_regions])
        if self.cat.unit(indicator) in COUNT_UNITS:  # a count is not compared with a region of another size
            everywhere = everywhere[everywhere["regio"] == (regio or ctx.region)]
        if per == "groep" and groepen is not None and len(groepen) == 1:
            # one group: compared with its reference group in the region, else with the comparison regions
            where = regio or ctx.region
            bench = figures.benchmark_rows(everywhere, per="groep", region=where, group=groepen[0],
                                           comparison_regions=ctx.comparison_regions)
            if not bench.empty and set(bench["regio"]) != {where}:
                per, regios = "regio", [where]
        if per == "groep":
            where = regio or ctx.region
            rows = indicators.select(self.window_obs, indicator=indicator, regio=where, groep=groepen)
            rows = self._figure_rows(rows, "groep")
            bench = pd.DataFrame() if groepen is None or len(groepen) != 1 else figures.benchmark_rows(
                everywhere, per="groep", region=where, group=groepen[0], comparison_regions=ctx.comparison_regions)
            label_where = where
        else:
            groep = (groepen or ["totaal"])[0]
            keys = regios or [ctx.region]
            rows = self._figure_rows(indicators.select(self.window_obs, indicator=indicator, groep=groep, regio=keys),
                                     "regio")
            bench = figures.benchmark_rows(everywhere, per="regio", region=keys[0], group=groep,
                                           comparison_regions=[r for r in ctx.comparison_regions if r not in keys])
            label_where = self.cat.group(groep)
        if rows.empty:
            return self._missing(indicator)
        title = title or (self.cat.label(indicator), label_where)
        name = name or f"{indicator}_{(where if per == 'groep' else groep)}_per_{per}".lower().replace(" ", "_")
        return self._plot(rows, indicator=indicator, per=per, name=name, title=title, in_note=in_note, benchmarks=bench)

    def comparison(self, indicator: str, *, groep: str = "totaal", per: str = "regio",
                     groepen: list[str] | None = None, regio: str | None = None, niveau: str | None = None,
                     title: str | None = None, name: str | None = None, in_note: bool = True):
        """The regions (or the groups of one region) side by side in one year, each from the same reeks.

        ``per='regio'`` compares the region with the comparison regions in the year and reeks of
        :mod:`analyse.comparisons` (what :meth:`kernboodschap` says, number for number); a region without a
        figure of that reeks in that year is named in the reading guide, not drawn with another year. With
        ``niveau='wijk'`` the wijken of the region in its newest year. ``per='groep'`` shows the breakdown of
        the newest year (older breakdowns may use other groups).
        """
        ctx = self.context
        where = regio or ctx.region
        missing: tuple[str, ...] = ()
        if per == "regio" and not niveau:
            found = self.compare_region(indicator, groep, where)
            if found is None:  # a count, or no figure: the region alone, its newest year
                rows = indicators.select(self.window_obs, indicator=indicator, groep=groep, regio=[where])
                latest = series.latest(rows, per, self.grades)
            else:
                latest, missing = found.rows, found.missing
        else:
            if per == "regio":
                rows = indicators.select(self.window_obs, indicator=indicator, groep=groep,
                                         regio=[where, *self.cat.parts_of(where, niveau)])
            else:
                rows = indicators.select(self.window_obs, indicator=indicator, regio=where, groep=groepen)
            latest = series.latest(rows, per, self.grades)
            if not latest.empty:  # one year: the newest (older breakdowns or areas stay out)
                newest = int(latest["jaar"].max())
                missing = tuple(k for k in latest.loc[latest["jaar"] != newest, per]) if per == "regio" else ()
                latest = latest[latest["jaar"] == newest]
        if latest.empty:
            return self._missing(indicator)
        newest = int(latest["jaar"].max())
        what = self.cat.group(groep) if per == "regio" else where
        alone = latest["regio"].iloc[0] if per == "regio" and latest["regio"].nunique() == 1 else ""
        title = title or label_texts.title(self.cat.label(indicator), what, alone, str(newest))  # name a lone region
        name = name or f"{indicator}_{per}_{(groep if per == 'regio' else where)}".lower()
        return self._plot(latest, indicator=indicator, per=per, name=name, title=title, in_note=in_note, latest=True,
                          not_comparable=missing)

    def all_figures(self) -> list:
        """A figure for every indicator of the theme not shown yet, in the form its data allow (a position among
        peers or a map does not count: it shows one year, not the development).

        Several groups in the region, or the region with its comparison regions when the indicator has one
        group; the rules of :mod:`analyse.figures` pick lines, bars, a tile or a ranking table. New
        indicators in ``data/raw`` thus appear without editing the notebook; they stay out of the Word note.
        """
        shown = ({f.indicator for f in self.out.figures if f.kind not in PLACE_KINDS}
                 | {t.name for t in self.out.tables})
        made = []
        for indicator in sorted(set(self.obs["indicator"]) - shown):
            rows = series.active(self.obs[self.obs["indicator"] == indicator])
            own = rows[rows["regio"] == self.context.region]
            regio = self.context.region if not own.empty else sorted(rows["regio"].unique())[0]
            own = rows[rows["regio"] == regio]
            if own["groep"].nunique() > 1 or rows["regio"].nunique() == 1:
                made.append(self.figure(indicator, per="groep", regio=regio, in_note=False))
            else:
                made.append(self.figure(indicator, per="regio", groepen=[own["groep"].iloc[0]], regios=[regio],
                                        in_note=False))
        return made
