"""The notebook API: :class:`Thema` for a chapter-2 theme, :class:`Doelenmonitor` for chapter 4.

This API is what researchers type in the notebooks, so it is Dutch throughout (class and method names,
parameters). Each method does three things and nothing else: compute with the library (series, indicators,
trends, register, monitor), record the result with the :class:`~analyse.writer.ReportWriter`, and show it
with :mod:`analyse.presenter`. There is no hidden order between methods: a figure fits the trends it draws
itself (through the same cached computation that :meth:`Thema.trends` uses).
"""

from __future__ import annotations

import functools
import html

import pandas as pd
from IPython.display import Markdown

from analyse import (areas, catalogue, context, contract, data, disclosure, figures, indicators, monitor, plots,
                     presenter, profile, register, segregation, series, text, trends)
from analyse.schema import MONITOR, THEMES

COUNT_UNITS = ("aantal",)
"""Units whose level is not compared across regions of different size."""


class _Notebook:
    """What every notebook shares: parameters resolved once, the data, the catalogue and the writer."""

    def __init__(self, thema: str, *, regio: str, vergelijk_regios, start_jaar, eind_jaar, niveau: str,
                 data_dir, output_dir):
        root = data.project_root() if data_dir is None or output_dir is None else None
        self.dataset = data.load(data_dir if data_dir is not None else root / "data")
        self.context = context.resolve(thema, self.dataset, regio=regio, vergelijk_regios=vergelijk_regios,
                                       start_jaar=start_jaar, eind_jaar=eind_jaar, niveau=niveau,
                                       data_dir=data_dir, output_dir=output_dir, root=root)
        self.cat = catalogue.Catalogue(self.dataset)
        self.grades = self.dataset.grades
        self.persons = disclosure.person_indicators(self.dataset.indicatoren)
        self.out = catalogue_writer(self.context)
        obs = self.dataset.observations
        self.theme_obs = obs[obs["thema"] == thema] if thema in THEMES else obs
        ctx = self.context
        self.window_obs = indicators.select(self.theme_obs, start=ctx.start_year, end=ctx.end_year)
        scope = context.scope_regions(self.dataset, ctx.region, ctx.comparison_regions, ctx.level)
        self.obs = indicators.select(self.window_obs, regio=scope)

    # ------------------------------------------------------------------ shared helpers

    def _source(self, rows: pd.DataFrame) -> str:
        return text.source_line([(o.producer, o.publisher) for o in self.cat.origins(rows)], catalogue.EDITOR)

    def kop(self) -> presenter.HTMLBlock:
        """The line under the notebook's title: region, window, comparison and where the outputs go."""
        ctx = self.context
        parts = [("Regio", ctx.region), ("Venster", ctx.window)]
        if ctx.theme != MONITOR:
            parts.append(("Vergelijking", ", ".join(ctx.comparison_regions) or "geen"))
        note = None
        if ctx.interactive:
            note = (f"Interactief uitgevoerd: figuren en tabellen gaan naar {ctx.shown_path(ctx.output_dir)}/; "
                    "de rapporten van make report in reports/ blijven zoals ze zijn.")
        return presenter.header_line(parts, note)

    def bronnen(self):
        """The publications behind this notebook's numbers in the window, with producer and grade."""
        rows = []
        for record in self.cat.source_records(series.active(self.obs)):
            part = self.obs[(self.obs["bron"] == record.code) | (self.obs["noemer_bron"] == record.code)]
            rows.append({"bron": record.name, "uitgever": record.publisher, "producent": record.producer,
                         "soort": record.grade, "indicatoren": part["indicator"].nunique(),
                         "jaren": _span(part), "adres": record.address})
        frame = pd.DataFrame(rows, columns=["bron", "uitgever", "producent", "soort", "indicatoren", "jaren", "adres"])
        columns = (contract.Column("bron", "Bron"), contract.Column("uitgever", "Gevonden bij"),
                   contract.Column("producent", "Producent"), contract.Column("soort", "Soort", "label"),
                   contract.Column("indicatoren", "Indicatoren", "number", "aantal", decimals=0),
                   contract.Column("jaren", "Jaren", "year"), contract.Column("adres", "Adres"))
        return presenter.table(frame, columns)

    def waarschuw(self, tekst: str) -> presenter.HTMLBlock:
        """A caveat from the notebook's own reading of the data (shown here and in the reports)."""
        self.out.warning(tekst)
        return presenter.paragraph(tekst, bold_lead="Let op.")

    def zin(self, tekst: str) -> str:
        """A key message written in the notebook, for what the data cannot phrase by itself."""
        return self.out.message(tekst)

    def kernboodschappen(self) -> presenter.HTMLBlock:
        return presenter.bullets(self.out.messages, empty="Geen kernboodschappen.")

    def _intro(self) -> str:
        names = sorted({o.producer for o in self.cat.origins(series.active(self.obs))
                        if not o.producer.startswith(text.UNKNOWN_PRODUCER)})
        return text.theme_intro(self.context.title, names)

    def opslaan(self) -> presenter.HTMLBlock:
        """Write ``kerncijfers.json`` (the theme summary) and say what was saved."""
        summary = self.out.summary(intro=self._intro(), sources=self.cat.source_records(series.active(self.obs)))
        self.out.save(summary)
        ctx = self.context
        where = ctx.shown_path(ctx.output_dir) + "/" if ctx.interactive else ""
        return presenter.paragraph(
            f"Opgeslagen: {len(summary.figures)} figuren, {len(summary.tables)} tabellen, "
            f"{len(summary.messages)} kernboodschappen en kerncijfers.json in {where}tables/{ctx.theme}/ "
            f"(figuren in {where}figures/{ctx.theme}/).")


def catalogue_writer(ctx: context.ThemeContext):
    from analyse.writer import ReportWriter

    return ReportWriter(ctx)


def _span(rows: pd.DataFrame) -> str:
    first, last = int(rows["jaar"].min()), int(rows["jaar"].max())
    return str(first) if first == last else f"{first}-{last}"


class Thema(_Notebook):
    """The analysis of one chapter-2 theme for one region and window (see the module docstring)."""

    def __init__(self, thema: str, *, regio: str = "Maassluis", vergelijk_regios: list[str] | None = None,
                 start_jaar: int | None = None, eind_jaar: int | None = None, niveau: str = "gemeente",
                 data_dir=None, output_dir=None):
        if thema not in THEMES:
            raise data.ParameterError(f"onbekend thema '{thema}'; kies uit {', '.join(THEMES)}.")
        super().__init__(thema, regio=regio, vergelijk_regios=vergelijk_regios, start_jaar=start_jaar,
                         eind_jaar=eind_jaar, niveau=niveau, data_dir=data_dir, output_dir=output_dir)

    # ------------------------------------------------------------------ computations (cached, no ordering)

    @functools.cached_property
    def _trend_results(self) -> dict[tuple, trends.TrendResult]:
        """A trend per series (indicator, regio, groep, reeks) in the window."""
        results = {}
        for key, rows in series.active(self.obs).groupby(series.KEY, sort=True):
            results[key] = trends.fit_trend(rows.sort_values("jaar"))
        return results

    def _chosen(self, indicator: str, regio: str, groep: str) -> pd.DataFrame:
        rows = indicators.select(self.obs, indicator=indicator, regio=regio, groep=groep)
        return series.choose(rows, self.grades)

    def _level(self, row: pd.Series) -> text.Level:
        """A value for a key message; a value resting on fewer persons than the threshold is not published."""
        small = self.context.settings.small_count
        protected = disclosure.protect_value(row, person_indicators=self.persons, threshold=small)
        return text.Level(int(row["jaar"]), float(row["waarde"]), row["eenheid"], bool(row["afgeleid"]),
                          row["status"] or "", small if protected.mark else None)

    # ------------------------------------------------------------------ tables

    def beschikbaarheid(self):
        """Which years each series has in the window, per reeks; missing years stay missing."""
        table = indicators.availability(self.obs)
        frame = pd.DataFrame({
            "indicator": table["indicator"].map(self.cat.label), "regio": table["regio"],
            "groep": table["groep"].map(self.cat.group),
            "reeks": table["reeks"].map(lambda r: self.cat.reeks_names.get(r) or self.cat.sources.loc[r, "naam"]
                                        if r in self.cat.sources.index or r in self.cat.reeks_names else r),
            "jaren": table["jaren"].map(lambda ys: ", ".join(str(y) for y in ys)),
            "aantal_jaren": table["jaren"].map(len)})
        columns = (contract.Column("indicator", "Indicator"), contract.Column("regio", "Regio"),
                   contract.Column("groep", "Groep", "label"), contract.Column("reeks", "Reeks"),
                   contract.Column("jaren", "Jaren met gegevens", "year"),
                   contract.Column("aantal_jaren", "Aantal jaren", "number", "aantal", decimals=0))
        self.out.table("beschikbaarheid", frame, title=f"{self.context.title}: beschikbare gegevens, "
                       f"{self.context.window}", source=self._source(self.obs), columns=columns)
        return presenter.table(frame, columns)

    def overzicht(self):
        """First and last measurement of every series in the window and the change, in the right unit."""
        table = indicators.changes(series.active(self.obs), self.grades)
        frame = pd.DataFrame({
            "indicator": table["indicator"], "label": table["label"], "regio": table["regio"],
            "groep": table["groep"].map(self.cat.group), "eenheid": table["eenheid"],
            "jaar_van": table["jaar_van"], "waarde_van": table["waarde_van"],
            "jaar_tot": table["jaar_tot"], "waarde_tot": table["waarde_tot"],
            "teller_tot": table["teller_tot"], "noemer_tot": table["noemer_tot"]})
        frame["decimalen_van"] = [text.display_decimals(v, u) for v, u in zip(table["waarde_van"], table["eenheid"])]
        frame["decimalen_tot"] = [text.display_decimals(v, u, d) for v, u, d in
                                  zip(table["waarde_tot"], table["eenheid"], table["afgeleid_tot"])]
        frame["verandering"] = [text.describe_change(r) for r in table.to_dict("records")]
        frame["bron"] = [self._source(self.obs[(self.obs["reeks"] == r.reeks) & (self.obs["indicator"] == r.indicator)
                                               & (self.obs["regio"] == r.regio) & (self.obs["groep"] == r.groep)])
                         .removeprefix("Bron: ").removesuffix(f"; {catalogue.EDITOR}")
                         for r in table.itertuples()]
        columns = (contract.Column("label", "Indicator"), contract.Column("regio", "Regio"),
                   contract.Column("groep", "Groep", "label"), contract.Column("jaar_van", "Van (jaar)", "year"),
                   contract.Column("waarde_van", "Waarde van", "number", unit_column="eenheid",
                                   decimals_column="decimalen_van"),
                   contract.Column("jaar_tot", "Tot (jaar)", "year"),
                   contract.Column("waarde_tot", "Waarde tot", "number", unit_column="eenheid",
                                   decimals_column="decimalen_tot"),
                   contract.Column("verandering", "Verandering"), contract.Column("bron", "Bron"))
        cells, hidden_notes = [], []
        for column, counts, bases in (("waarde_van", (), ()), ("waarde_tot", ("teller_tot",), ("noemer_tot",))):
            result = disclosure.protect(frame, value_column=column, unit_column="eenheid", count_columns=counts,
                                        base_columns=bases, person_indicators=self.persons,
                                        threshold=self.context.settings.small_count)
            frame[column] = result.frame[column]
            cells += [c for c in result.cells if c.column == column]
            hidden_notes += [n for n in result.notes if n not in hidden_notes]
        for cell in cells:  # a change would give a hidden value back
            frame.loc[cell.row, "verandering"] = text.MISSING
        names = self.cat.names()
        notes = tuple(text.readable(text.revision_note(r, self.cat.label(r["indicator"])), names) for r in
                      series.revisions(self.obs).to_dict("records")) + tuple(hidden_notes)
        self.out.table("overzicht", frame, title=f"{self.context.title}: eerste en laatste meting, "
                       f"{self.context.window}", source=self._source(self.obs), columns=columns, notes=notes,
                       key=self.out.key_table is None, suppressed=tuple(cells))
        return presenter.table(frame, columns, tuple(cells))

    def trends(self):
        """Trend estimates for every series in the window; refusals carry their reason."""
        records = []
        for (indicator, regio, groep, reeks), result in self._trend_results.items():
            record = result.to_record()
            record.update(indicator=indicator, regio=regio, groep=groep, reeks=reeks)
            rows = indicators.select(self.obs, indicator=indicator, regio=regio, groep=groep)
            record["gekozen"] = bool(series.rank(rows, self.grades)[:1] == [reeks])
            records.append(record)
        table = text.add_trend_texts(pd.DataFrame(records))
        table.insert(0, "thema", self.context.theme)
        table["label"] = table["indicator"].map(self.cat.label)
        table["groep_label"] = table["groep"].map(self.cat.group)
        table["zin"] = [text.sentence_trend(r) for r in table.to_dict("records")]
        columns = (contract.Column("label", "Indicator"), contract.Column("regio", "Regio"),
                   contract.Column("groep_label", "Groep", "label"), contract.Column("methode", "Methode", "label"),
                   contract.Column("n_jaren", "Jaren", "number", "aantal", decimals=0),
                   contract.Column("zin", "Trend"))
        self.out.table("trends", table, title=f"{self.context.title}: trendschattingen {self.context.window}",
                       source=self._source(self.obs), columns=columns)
        return presenter.table(table, columns)

    def register(self):
        """Recompute every statement of this theme in the reproduction register."""
        claims = self.dataset.beweringen[self.dataset.beweringen["thema"] == self.context.theme]
        names = self.cat.names()
        table = register.reproduce(claims, self.dataset.observations, self.grades, names=names)
        table["verwacht"] = table["verwacht"].map(lambda value: text.readable(str(value), names))
        decimals = dict(zip(claims["id"], claims["decimalen"]))
        table["herberekend"] = [text.unrounded(v, int(decimals[i])) if isinstance(v, float) and str(decimals[i]).isdigit()
                                else ("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
                                for i, v in zip(table["id"], table["berekend"])]
        columns = (contract.Column("id", "Nr."), contract.Column("citaat", "Citaat"),
                   contract.Column("verwacht", "Volgens document"), contract.Column("herberekend", "Herberekend"),
                   contract.Column("status", "Status", "label"), contract.Column("bewijs", "Bewijs", "label"),
                   contract.Column("toelichting", "Toelichting"))
        self.out.table("reproductie", table, title=f"{self.context.title}: reproductie van de beweringen in "
                       "hoofdstuk 2", source="Bron: Beleidsvisie Integratie Maassluis (2019); " + catalogue.EDITOR,
                       columns=columns)
        return presenter.table(table, columns)

    def kleine_groepen(self) -> presenter.HTMLBlock:
        """Figures resting on few cases: a warning per indicator and group, quoting the small number."""
        for warning in indicators.small_group_warnings(
                series.active(self.obs), self.cat.labels, self.cat.group_labels, self.persons,
                small_count=self.context.settings.small_count):
            self.out.warning(warning)
        return presenter.bullets(self.out.warnings, empty="Geen waarschuwingen.")

    # ------------------------------------------------------------------ figures

    def _figure_rows(self, rows: pd.DataFrame, per: str) -> pd.DataFrame:
        """Per series key (a group or a region): its chosen reeks plus the reeksen it continues."""
        parts = []
        for _, part in rows.groupby(per, sort=False):
            chosen = series.choose(part, self.grades)
            parts.append(series.with_predecessors(part, chosen, self.dataset.reeksen))
        return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]

    def _chosen_everywhere(self, indicator: str) -> pd.DataFrame:
        """The chosen reeks of every region and group of ``indicator`` in the window (for benchmarks)."""
        rows = indicators.select(self.window_obs, indicator=indicator)
        parts = [series.choose(part, self.grades) for _, part in rows.groupby(["regio", "groep"], sort=False)]
        return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]

    def _trend_lines(self, rows: pd.DataFrame, per: str) -> pd.DataFrame | None:
        """Fitted values of the trends of the reeksen drawn (the newest reeks of each series key)."""
        lines = []
        for key, part in rows.groupby(per, sort=False):
            last = part.sort_values("jaar").iloc[-1]
            result = self._trend_results.get((last["indicator"], last["regio"], last["groep"], last["reeks"]))
            if result is not None and not result.fitted.empty:
                lines.append(result.fitted.assign(**{per: key, "reeks": last["reeks"]}))
        return pd.concat(lines, ignore_index=True) if lines else None

    def _missing(self, indicator: str) -> presenter.HTMLBlock:
        note = f"Geen gegevens voor '{self.cat.label(indicator)}' in {self.context.region} in {self.context.window}."
        return presenter.paragraph(note, italic=True)

    def _target(self, indicator: str) -> tuple[int, float] | None:
        ind = self.dataset.indicatoren.set_index("indicator")
        if indicator not in ind.index:
            return None
        row = ind.loc[indicator]
        if row.get("doel_type") == "niveau" and row.get("doel_jaar") and row.get("doel_waarde"):
            return int(row["doel_jaar"]), float(row["doel_waarde"])
        return None

    def _plot(self, rows: pd.DataFrame, *, indicator: str, per: str, name: str, title: str | tuple[str, ...],
              in_note: bool, benchmarks: pd.DataFrame | None = None, label: str | None = None):
        """Draw ``rows`` in the figure the rules of :mod:`analyse.figures` choose, save it and show it.

        A ranking becomes a table (saved as such). ``rows`` hold one reeks per series key (with the reeksen
        it continues); ``benchmarks`` the rows shown next to them. ``title`` is the title, or the parts of one
        (label, where) that get the years the figure shows: its one year, or the span of its years.
        """
        eenheid = self.cat.unit(indicator)
        rows, hidden_notes = self._protect(self._for_display(rows))
        bench = benchmarks if benchmarks is not None and not benchmarks.empty else None
        if bench is not None:
            bench, _ = self._protect(self._for_display(bench))
        plan = figures.choose(rows, unit=eenheid, per=per, has_benchmark=bench is not None)
        if isinstance(title, tuple):
            shown = rows if bench is None else pd.concat([rows, bench])
            title = text.title(*title, str(plan.year) if plan.year is not None else _span(shown))
        source = self._source(rows if bench is None else pd.concat([rows, bench]))
        labels = self.cat.series_labels()
        if plan.kind == "rangorde":
            return self._ranking(rows, indicator=indicator, per=per, name=name, title=title, source=source)
        doel = self._target(indicator)
        trend = self._trend_lines(rows, per) if plan.trend else None
        bench_label = None if bench is None else ", ".join(labels.get(k, k) for k in pd.unique(bench[per]))
        columns = [c for c in (per, "regio", "groep", "jaar", "waarde", "reeks", "bron", "status", "verborgen")
                   if c in rows]
        drawn = rows[list(dict.fromkeys(columns))].reset_index(drop=True)
        bench_drawn = None if bench is None else bench[drawn.columns.intersection(bench.columns)].reset_index(drop=True)
        arguments = dict(plan=plan, per=per, title=title, eenheid=eenheid, bron=source, labels=labels,
                         label=label, benchmarks=bench_drawn, benchmark_label=bench_label, trend=trend,
                         doel=doel if plan.kind in ("lijn", "tegel") else None,
                         subject=text.lower_first(self.cat.label(indicator)))
        guidance = text.figure_guidance(
            plan.kind, per=per, eenheid=eenheid, series=drawn[per].nunique(), jaar=plan.year,
            trends=plan.n_trends if plan.trend else 0, bands=plan.band, doel=arguments["doel"],
            zero_based=eenheid in figures.ZERO_BASED_UNITS, sources=len(self.cat.origins(rows)),
            breuk=plan.breaks, schattingen=plan.estimates, benchmark=bench_label)
        guidance = " ".join([guidance, *hidden_notes])
        record = contract.FigureRecord(name=name, indicator=indicator, kind=plan.kind, png="", svg="", title=title,
                                       source=source, guidance=guidance, alt=plots.describe(rows=drawn, **arguments),
                                       in_note=in_note,
                                       main=in_note and not any(f.main for f in self.out.figures))
        saved = self.out.figure(name, plots.draw_rows, drawn, arguments, record=record)
        return presenter.FigureView(self.out.png_path(saved), saved)

    @staticmethod
    def _for_display(rows: pd.DataFrame) -> pd.DataFrame:
        """A share or rate we computed ourselves is shown with one decimal (published values as published)."""
        if "afgeleid" not in rows.columns:
            return rows
        derived = rows["afgeleid"].astype(bool) & rows["eenheid"].isin(["procent", "per_100", "per_1000", "per_10000"])
        return rows.assign(waarde=rows["waarde"].where(~derived, rows["waarde"].round(1)))

    def _protect(self, rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """Observation rows with values resting on fewer persons than the threshold emptied (the small-numbers
        rule of :mod:`analyse.disclosure`); column ``verborgen`` holds the mark shown instead."""
        result = disclosure.protect(rows.reset_index(drop=True), person_indicators=self.persons,
                                    threshold=self.context.settings.small_count)
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
        return presenter.table(frame, columns, caption=title)

    def figuur(self, indicator: str, *, per: str = "groep", groepen: list[str] | None = None,
               regios: list[str] | None = None, regio: str | None = None, titel: str | None = None,
               naam: str | None = None, nota: bool = True):
        """The development of one indicator, by group (one region) or by region (one group).

        Each series is the reeks that counts for it, with the reeksen it continues after a definition
        break; the benchmark (comparison regions, or the reference group) is drawn next to it. Which figure
        follows from the data (:mod:`analyse.figures`): a line chart from three measurements, otherwise a
        key-figure tile or bars. ``nota=False`` keeps it out of the Word note (it stays in the notebook).
        """
        ctx = self.context
        everywhere = self._chosen_everywhere(indicator)
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
        title = titel or (self.cat.label(indicator), label_where)
        name = naam or f"{indicator}_{(where if per == 'groep' else groep)}_per_{per}".lower().replace(" ", "_")
        return self._plot(rows, indicator=indicator, per=per, name=name, title=title, in_note=nota, benchmarks=bench)

    def vergelijking(self, indicator: str, *, groep: str = "totaal", per: str = "regio",
                     groepen: list[str] | None = None, regio: str | None = None, niveau: str | None = None,
                     titel: str | None = None, naam: str | None = None, nota: bool = True):
        """The newest value per region (or per group in one region), each from its own reeks.

        ``per='regio'`` compares the region with the comparison regions, or with ``niveau='wijk'`` the wijken
        of the region. A region without the newest year is shown with its own newest year, and the label says
        which year; :meth:`kernboodschap` uses the same values. ``per='groep'`` shows the breakdown of the
        newest year (older breakdowns may use other groups).
        """
        ctx = self.context
        where = regio or ctx.region
        if per == "regio":
            regions = ([where, *self.cat.parts_of(where, niveau)] if niveau else [ctx.region, *ctx.comparison_regions])
            rows = indicators.select(self.window_obs, indicator=indicator, groep=groep, regio=regions)
        else:
            rows = indicators.select(self.window_obs, indicator=indicator, regio=where, groep=groepen)
        latest = series.latest(rows, per, self.grades)
        if latest.empty:
            return self._missing(indicator)
        newest = int(latest["jaar"].max())
        if per == "groep":  # a breakdown is one year: groups of older breakdowns (other age bands) stay out
            latest = latest[latest["jaar"] == newest]
        latest, _ = self._protect(latest)
        if latest["waarde"].notna().sum() > 1:  # bars in one year: each key labelled with its own year when older
            labels = self.cat.series_labels()
            latest = latest.assign(**{per: [k if int(y) == newest else f"{labels.get(k, k)} ({int(y)})"
                                            for k, y in zip(latest[per], latest["jaar"])]}, jaar=newest)
        what = self.cat.group(groep) if per == "regio" else where
        title = titel or text.title(self.cat.label(indicator), what, str(newest))
        name = naam or f"{indicator}_{per}_{(groep if per == 'regio' else where)}".lower()
        return self._plot(latest, indicator=indicator, per=per, name=name, title=title, in_note=nota)

    def alle_figuren(self) -> list:
        """A figure for every indicator of the theme not shown yet, in the form its data allow.

        Several groups in the region, or the region with its comparison regions when the indicator has one
        group; the rules of :mod:`analyse.figures` pick lines, bars, a tile or a ranking table. New
        indicators in ``data/raw`` thus appear without editing the notebook; they stay out of the Word note.
        """
        shown = {f.indicator for f in self.out.figures} | {t.name for t in self.out.tables}
        made = []
        for indicator in sorted(set(self.obs["indicator"]) - shown):
            rows = series.active(self.obs[self.obs["indicator"] == indicator])
            own = rows[rows["regio"] == self.context.region]
            regio = self.context.region if not own.empty else sorted(rows["regio"].unique())[0]
            own = rows[rows["regio"] == regio]
            if own["groep"].nunique() > 1 or rows["regio"].nunique() == 1:
                made.append(self.figuur(indicator, per="groep", regio=regio, nota=False))
            else:
                made.append(self.figuur(indicator, per="regio", groepen=[own["groep"].iloc[0]], regios=[regio],
                                        nota=False))
        return made

    # ------------------------------------------------------------------ groups

    def groepsverschil(self, indicator: str, groep_a: str, groep_b: str, *, regio: str | None = None,
                       onderwerp: str | None = None):
        """Do two groups grow toward each other? The gap per common year, its trend, and a key message.

        Each group uses the reeks that counts for it; when the two reeksen differ, the message says so. Uses
        every year up to the end of the window (a reference series is not cut at the start of the window).
        """
        where = regio or self.context.region
        rows = indicators.select(self.theme_obs, indicator=indicator, regio=where, end=self.context.end_year)
        a = series.choose(rows[rows["groep"] == groep_a], self.grades)
        b = series.choose(rows[rows["groep"] == groep_b], self.grades)
        gap = trends.compare_groups(a, b)
        labels = (text.lower_first(self.cat.group(groep_a)), text.lower_first(self.cat.group(groep_b)))
        subject = onderwerp or text.lower_first(self.cat.label(indicator))
        sentence = text.sentence_gap(gap, f"Het verschil in {subject} tussen {labels[0]} en {labels[1]} ({where})",
                                     self.cat.reeks_names)
        self.out.message(sentence)
        frame = gap.verschillen.copy()
        columns = (contract.Column("jaar", "Jaar", "year"),
                   contract.Column("waarde_a", self.cat.group(groep_a), "number", gap.eenheid),
                   contract.Column("waarde_b", self.cat.group(groep_b), "number", gap.eenheid),
                   contract.Column("verschil", "Verschil", "number",
                                   "procentpunt" if gap.eenheid == "procent" else gap.eenheid))
        self.out.table(f"verschil_{indicator}_{groep_a}_{groep_b}", frame, title=text.title(
            f"Verschil in {subject} tussen {labels[0]} en {labels[1]}", where), source=self._source(
            pd.concat([a, b])), columns=columns)
        return presenter.table(frame, columns, caption=sentence)

    # ------------------------------------------------------------------ wijken and buurten

    WIJK_KENMERKEN = (
        ("aantal_herkomst", "niet_westers"), ("aantal_herkomst", "westers"),
        ("aantal_herkomst", "herkomst_buiten_europa"), ("aantal_herkomst", "herkomst_europa"),
        ("aantal_leeftijd", "leeftijd_0_14"), ("aantal_leeftijd", "leeftijd_65_plus"),
    )
    """Counts per wijk whose share of all inhabitants the wijk profile shows (both origin classifications)."""

    def _area_year(self, indicator: str, groep: str, level: str) -> int | None:
        """The newest year up to the window's end with counts for the areas of ``level`` in the region."""
        names = areas.within(self.dataset.regios, self.context.region, level)
        rows = indicators.select(series.active(self.theme_obs), indicator=indicator, groep=groep, regio=names,
                                 end=self.context.end_year)
        return int(rows["jaar"].max()) if not rows.empty else None

    def _region_value(self, indicator: str, groep: str, jaar: int) -> float:
        rows = indicators.select(series.active(self.theme_obs), indicator=indicator, groep=groep,
                                 regio=self.context.region)
        rows = rows[rows["jaar"] == jaar]
        return float(rows["waarde"].iloc[0]) if len(rows) == 1 else float("nan")

    def wijken(self):
        """The wijken of the region side by side: inhabitants, origin in both CBS classifications, age.

        Each share is computed from CBS counts (count / inhabitants of the same wijk and year), for the
        newest year with wijk counts; a share resting on fewer persons than the small-numbers threshold is
        not published. Key messages name the wijk with the highest share and where wijken differ most from
        the municipal average. No change is computed between the two origin classifications.
        """
        ctx, small = self.context, self.context.settings.small_count
        parts, municipal, sources = [], [], []
        for indicator, groep in self.WIJK_KENMERKEN:
            jaar = self._area_year(indicator, groep, "wijk")
            if jaar is None:
                continue
            label = f"{self.cat.group(groep)} ({jaar})"
            counts = areas.area_counts(self.theme_obs, self.dataset.regios, region=ctx.region, level="wijk",
                                       jaar=jaar, indicator=indicator, groep=groep)
            parts.append(counts.assign(indicator=label, groep=groep, jaar=jaar))
            municipal.append({"indicator": label, "count": self._region_value(indicator, groep, jaar),
                              "base": self._region_value("inwoners", "totaal", jaar)})
            sources.append(self.theme_obs[self.theme_obs["regio"].isin(counts["area"])
                                          & self.theme_obs["indicator"].isin([indicator, "inwoners"])
                                          & (self.theme_obs["jaar"] == jaar)])
        if not parts:
            return presenter.paragraph(f"Geen cijfers per wijk voor {ctx.region}.", italic=True)
        counts = pd.concat(parts, ignore_index=True)
        table = profile.profile(counts, municipal=pd.DataFrame(municipal))
        rows = pd.concat(sources, ignore_index=True)
        source = self._source(rows)
        wide = self._wijk_table(table, counts, small)
        self._wijk_messages(table, counts)
        labels = [c for c in wide.columns if c not in ("wijk", "inwoners", "jaar_inwoners") and not c.startswith("_")]
        columns = (contract.Column("wijk", "Wijk"),
                   contract.Column("inwoners", f"Inwoners ({int(wide['jaar_inwoners'].iloc[0])})", "number",
                                   "aantal", decimals=0),
                   *(contract.Column(label, f"{label}, %", "number", "procent", decimals=1) for label in labels))
        suppressed = tuple(contract.SuppressedCell(i, label, f"<{small}") for label in labels
                           for i in wide.index[wide[label].isna() & wide[f"_{label}_klein"]])
        frame = wide.drop(columns=[c for c in wide.columns if c.endswith("_klein")])
        notes = (text.classification_note(), text.small_numbers_note(small))
        self.out.table("wijken", frame, title=f"Wijken van {ctx.region}: herkomst en leeftijd", source=source,
                       columns=columns, suppressed=suppressed, notes=notes, in_note=True)
        figure = self._wijk_figure(table, source)
        return [item for item in (figure, presenter.table(frame, columns, suppressed)) if item is not None]

    def _wijk_table(self, table: pd.DataFrame, counts: pd.DataFrame, small: int) -> pd.DataFrame:
        """One row per wijk (and the municipality): inhabitants and every share, small shares hidden."""
        ctx = self.context
        wijken = list(dict.fromkeys(counts["area"]))
        year = int(counts["jaar"].max())
        population = areas.area_counts(self.theme_obs, self.dataset.regios, region=ctx.region, level="wijk",
                                       jaar=year, indicator="inwoners", groep="totaal")
        frame = pd.DataFrame({"wijk": [*wijken, f"{ctx.region} (gemeente)"]})
        frame["inwoners"] = [*population.set_index("area")["count"].reindex(wijken),
                             self._region_value("inwoners", "totaal", year)]
        frame["jaar_inwoners"] = year
        for label, rows in table.groupby("indicator", sort=False):
            rows = rows.set_index("area").reindex(wijken)
            hidden = (rows["count"] < small) | (rows["base"] < small)
            frame[label] = [*rows["value"].where(~hidden), float(rows["average"].iloc[0])]
            frame[f"_{label}_klein"] = [*hidden, False]
        return frame

    def _wijk_messages(self, table: pd.DataFrame, counts: pd.DataFrame) -> None:
        """Which wijk has the highest share of the origin groups, and which wijk differs most from the average."""
        ctx = self.context
        meta = counts.drop_duplicates("indicator").set_index("indicator")[["groep", "jaar"]]
        name = {a: a for a in counts["area"]}
        usable = table[~table["small_area"] & table["value"].notna()]
        for label, rows in usable.groupby("indicator", sort=False):
            groep, jaar = meta.loc[label, "groep"], int(meta.loc[label, "jaar"])
            if groep not in ("niet_westers", "herkomst_buiten_europa"):
                continue
            top = rows.loc[rows["value"].idxmax()]
            self.out.message(text.sentence_top_area(name[top["area"]], text.lower_first(self.cat.group(groep)),
                                                    top["value"], top["average"], ctx.region, jaar))
        most = profile.highlights(table, n=1, min_difference=2.0)
        if not most.empty:
            row = most.iloc[0]
            groep, jaar = meta.loc[row["indicator"], "groep"], int(meta.loc[row["indicator"], "jaar"])
            self.out.message(text.sentence_area_difference(name[row["area"]], text.lower_first(self.cat.group(groep)),
                                                           row["value"], row["average"], row["difference"], jaar))

    def _wijk_figure(self, table: pd.DataFrame, source: str) -> presenter.FigureView | None:
        ctx = self.context
        rows = table[table["indicator"].str.startswith("Herkomst buiten Europa")]
        if rows.empty:
            return None
        label = str(rows["indicator"].iloc[0])
        drawn = pd.DataFrame({"regio": [*rows["area"], f"{ctx.region} (gemiddeld)"],
                              "waarde": [*rows["value"], float(rows["average"].iloc[0])]})
        hidden = ((rows["count"] < ctx.settings.small_count) | (rows["base"] < ctx.settings.small_count)).tolist()
        drawn.loc[[*hidden, False], "waarde"] = float("nan")
        title = f"{label}, wijken van {ctx.region}"
        guidance = text.figure_guidance("staaf", per="regio", eenheid="procent", series=len(drawn),
                                        jaar=int(label[-5:-1]))
        alt = text.describe_bars(title, drawn.assign(afgeleid=True), "regio", {}, "procent")
        record = contract.FigureRecord(name="wijken_herkomst", indicator="aandeel_herkomst", kind="staaf", png="",
                                       svg="", title=title, source=source, guidance=guidance, alt=alt)
        saved = self.out.figure("wijken_herkomst", plots.bar_figure, drawn,
                                {"title": title, "bron": source, "category": "regio", "eenheid": "procent"},
                                record=record)
        return presenter.FigureView(self.out.png_path(saved), saved)

    def segregatie(self, groep: str = "niet_westers", *, jaar: int | None = None):
        """The index of dissimilarity (and isolation) of ``groep`` against the rest, over the buurten.

        Computed on the real counts per buurt (small counts are used, never shown); next to it the value
        expected when everybody lived at random, since small buurten give D > 0 by chance alone.
        """
        ctx = self.context
        jaar = jaar or self._area_year("aantal_herkomst", groep, "buurt")
        if jaar is None:
            return presenter.paragraph(f"Geen cijfers per buurt voor {self.cat.group(groep)}.", italic=True)
        counts = areas.area_counts(self.theme_obs, self.dataset.regios, region=ctx.region, level="buurt",
                                   jaar=jaar, indicator="aantal_herkomst", groep=groep)
        counts = counts.rename(columns={"count": "group", "base": "total"})
        d = segregation.dissimilarity(counts, small_count=ctx.settings.small_count)
        x = segregation.exposure(counts, small_count=ctx.settings.small_count)
        group_label = text.lower_first(self.cat.group(groep))
        frame = pd.DataFrame([{
            "jaar": jaar, "groep": self.cat.group(groep), "buurten": d.n_areas, "weggelaten": len(d.left_out),
            "d": d.value, "d_toeval": d.expected_random, "d_toeval_laag": d.random_range[0],
            "d_toeval_hoog": d.random_range[1], "isolatie": x.isolation, "blootstelling": x.exposure}])
        columns = (contract.Column("jaar", "Jaar", "year"), contract.Column("groep", "Groep", "label"),
                   contract.Column("buurten", "Buurten", "number", "aantal", decimals=0),
                   contract.Column("d", "Ongelijkheidsindex D", "number", "index", decimals=3),
                   contract.Column("d_toeval", "D bij willekeurige spreiding", "number", "index", decimals=3),
                   contract.Column("d_toeval_laag", "95%-bereik bij toeval, van", "number", "index", decimals=3),
                   contract.Column("d_toeval_hoog", "tot", "number", "index", decimals=3),
                   contract.Column("isolatie", "Isolatie-index", "number", "index", decimals=3),
                   contract.Column("blootstelling", "Blootstellingsindex", "number", "index", decimals=3))
        rows = self.theme_obs[self.theme_obs["regio"].isin(counts["area"]) & (self.theme_obs["jaar"] == jaar)
                              & self.theme_obs["indicator"].isin(["aantal_herkomst", "inwoners"])]
        self.out.table("segregatie", frame, title=f"Segregatie van {group_label} over de buurten van {ctx.region}, "
                       f"{jaar}", source=self._source(rows), columns=columns, in_note=True,
                       notes=(text.dissimilarity_formula(),))
        self.out.message(text.sentence_dissimilarity(d.value, d.expected_random, d.n_areas, group_label, ctx.region,
                                                      jaar))
        explanation = segregation.explanation(d, exposure_result=x, group_label=html.escape(group_label),
                                              region=html.escape(ctx.region), jaar=jaar,
                                              source=html.escape(self._source(rows).removeprefix("Bron: ")))
        return [Markdown(explanation), presenter.table(frame, columns)]

    # ------------------------------------------------------------------ key messages

    def kernboodschap(self, indicator: str, *, groep: str = "totaal", regio: str | None = None,
                      onderwerp: str | None = None, eenheid_woord: str | None = None) -> str:
        """A key message in plain Dutch: the newest level, the benchmarks, and the direction with its certainty.

        The newest value of the reeks that counts for the region, the comparison regions' newest values
        (each with its own year, as in :meth:`vergelijking`; not for counts), the change since the first year
        of the same reeks in the window and whether the trend makes it statistically certain. What was not
        measured is never a message: it shows in the availability table.
        """
        ctx = self.context
        where = regio or ctx.region
        chosen = self._chosen(indicator, where, groep)
        subject = text.lower_first(onderwerp or self.cat.label(indicator))
        if chosen.empty:
            return ""
        last, first = chosen.iloc[-1], chosen.iloc[0]
        comparable = chosen["eenheid"].iloc[0] not in COUNT_UNITS  # a count of Maassluis is no match for Rotterdam's
        others = indicators.select(self.obs, indicator=indicator, groep=groep,
                                   regio=[r for r in ctx.comparison_regions if r != where and comparable])
        benchmarks = tuple((r["regio"], self._level(r)) for _, r in series.latest(others, "regio", self.grades).iterrows())
        result = self._trend_results.get((indicator, where, groep, last["reeks"]))
        breaks = series.breaks(last["reeks"], self.dataset.reeksen)
        finding = text.Finding(
            subject=subject, region=where, level=self._level(last), count_word=eenheid_woord, benchmarks=benchmarks,
            start=self._level(first) if len(chosen) > 1 else None, trend=result.to_record() if result else None,
            break_year=int(first["jaar"]) if breaks else None)
        self.out.key_figure(contract.KeyFigure(
            indicator=indicator, label=self.cat.label(indicator), region=where, group=groep,
            group_label=self.cat.group(groep), year=int(last["jaar"]),
            value=None if self._level(last).below else float(last["waarde"]),
            unit=last["eenheid"], text=self._level(last).shown(), source=self._source(chosen.tail(1)),
            reeks=last["reeks"], estimate=last["status"] == "schatting",
            benchmarks=tuple(contract.Benchmark(region, level.year, None if level.below else level.value, level.shown())
                             for region, level in benchmarks)))
        return self.out.message(text.key_message(finding), lead=True)


class Doelenmonitor(_Notebook):
    """The chapter-4 targets: baseline, latest measurement of one reeks, projection and verdict."""

    def __init__(self, *, regio: str = "Maassluis", vergelijk_regios: list[str] | None = None,
                 start_jaar: int | None = None, eind_jaar: int | None = None, data_dir=None, output_dir=None):
        super().__init__(MONITOR, regio=regio, vergelijk_regios=vergelijk_regios, start_jaar=start_jaar,
                         eind_jaar=eind_jaar, niveau="gemeente", data_dir=data_dir, output_dir=output_dir)

    @functools.cached_property
    def _table(self) -> pd.DataFrame:
        return monitor.monitor_table(self.dataset.indicatoren, series.active(self.dataset.observations),
                                     self.context.region, self.context.end_year, grades=self.grades)

    def regels(self) -> presenter.HTMLBlock:
        """The rules behind every verdict."""
        return presenter.bullets([f"{text.MONITOR_LABELS[verdict]}: {rule}" for verdict, rule in text.MONITOR_RULES.items()])

    def doelen(self):
        """The monitor table: every target with baseline, latest measurement, projection and verdict."""
        table = self._table.copy()
        table["toelichting"] = table["toelichting"].map(lambda note: text.readable(note, self.cat.names()))
        table["groep_label"] = table["groep"].map(self.cat.group)
        table["eenheid"] = table["indicator"].map(self.cat.units)
        columns = (contract.Column("label", "Indicator"), contract.Column("groep_label", "Groep", "label"),
                   contract.Column("doel_omschrijving", "Doel"),
                   contract.Column("basis_waarde", "Basis", "number", unit_column="eenheid"),
                   contract.Column("basis_jaar", "Basisjaar", "year"),
                   contract.Column("laatste_waarde", "Laatste meting", "number", unit_column="eenheid"),
                   contract.Column("laatste_jaar", "Jaar", "year"),
                   contract.Column("oordeel", "Oordeel", "label"),
                   contract.Column("toelichting", "Toelichting"))
        cells, notes = [], []
        for column in ("basis_waarde", "laatste_waarde"):  # a count of persons under the threshold: not shown
            result = disclosure.protect(table, value_column=column, unit_column="eenheid", count_columns=(),
                                        base_columns=(), person_indicators=self.persons,
                                        threshold=self.context.settings.small_count)
            table[column] = result.frame[column]
            cells += result.cells
            notes += [n for n in result.notes if n not in notes]
        rules = tuple(f"{text.MONITOR_LABELS[v]}: {rule}" for v, rule in text.MONITOR_RULES.items())
        self.out.table("monitor", table, title=f"Doelenmonitor hoofdstuk 4, {self.context.region}, metingen tot "
                       f"en met {self.context.end_year}", source="Bron: Beleidsvisie Integratie Maassluis (2019) en "
                       f"de metingen in de data; {catalogue.EDITOR}", columns=columns, key=True, in_note=True,
                       suppressed=tuple(cells), notes=(*notes, *rules))
        return presenter.table(table, columns, tuple(cells))

    def figuren(self) -> list:
        """A figure for every numeric target with measurements: its reeks, trend and the target."""
        made = []
        figures = Thema.__new__(Thema)  # reuse the figure code on the monitor's own data and writer
        figures.__dict__.update(self.__dict__)
        for target, groep in monitor.target_series(self.dataset.indicatoren):
            measured = not indicators.select(self.obs, indicator=target["indicator"], regio=self.context.region,
                                             groep=groep).empty
            if target["doel_type"] == "niveau" and measured:
                made.append(figures.figuur(target["indicator"], groepen=[groep]))
        return made

    def samenvatting(self) -> str:
        """Key message: how many targets have which verdict."""
        counts = self._table["oordeel"].value_counts().sort_index()
        return self.out.message(text.sentence_verdicts(dict(counts.items()), len(self._table), self.context.end_year))
