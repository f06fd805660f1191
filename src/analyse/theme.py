"""The notebook API: :class:`Thema` for a chapter-2 theme, :class:`Doelenmonitor` for chapter 4.

This API is what researchers type in the notebooks, so it is Dutch throughout (class and method names,
parameters). Each method does three things and nothing else: compute with the library (series, indicators,
trends, register, monitor), record the result with the :class:`~analyse.writer.ReportWriter`, and show it
with :mod:`analyse.presenter`. There is no hidden order between methods: a figure fits the trends it draws
itself (through the same cached computation that :meth:`Thema.trends` uses).
"""

from __future__ import annotations

import functools

import pandas as pd

from analyse import (catalogue, context, contract, data, indicators, monitor, plots, presenter, register, series,
                     text, trends)
from analyse.schema import MONITOR, THEMES

COUNT_UNITS = ("aantal",)
"""Units whose level is not compared across regions of different size."""
MIN_TREND_POINTS_DRAWN = 5
"""A trend line is drawn only on a reeks with at least this many years (see analyse.figures)."""


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
        self.out = catalogue_writer(self.context)
        obs = self.dataset.observations
        self.theme_obs = obs[obs["thema"] == thema] if thema in THEMES else obs
        ctx = self.context
        scope = context.scope_regions(self.dataset, ctx.region, ctx.comparison_regions)
        self.obs = indicators.select(self.theme_obs, regio=scope, start=ctx.start_year, end=ctx.end_year)

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
            part = self.obs[self.obs["bron"] == record.code]
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
        """A value for a key message; a count of fewer persons than the threshold is not published."""
        small = self.context.settings.small_count
        below = small if row["indicator"] in self.cat.persons and row["waarde"] < small else None
        return text.Level(int(row["jaar"]), float(row["waarde"]), row["eenheid"], bool(row["afgeleid"]),
                          row["status"] or "", below)

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
        notes = tuple(text.revision_note(r, self.cat.label(r["indicator"])) for r in
                      series.revisions(self.obs).to_dict("records"))
        self.out.table("overzicht", frame, title=f"{self.context.title}: eerste en laatste meting, "
                       f"{self.context.window}", source=self._source(self.obs), columns=columns, notes=notes,
                       key=self.out.key_table is None)
        return presenter.table(frame, columns)

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
        table = register.reproduce(claims, self.dataset.observations)
        columns = (contract.Column("id", "Nr."), contract.Column("citaat", "Citaat"),
                   contract.Column("verwacht", "Volgens document"), contract.Column("berekend", "Herberekend"),
                   contract.Column("status", "Status", "label"), contract.Column("toelichting", "Toelichting"))
        self.out.table("reproductie", table, title=f"{self.context.title}: reproductie van de beweringen in "
                       "hoofdstuk 2", source="Bron: Beleidsvisie Integratie Maassluis (2019); " + catalogue.EDITOR,
                       columns=columns)
        return presenter.table(table, columns)

    def kleine_groepen(self) -> presenter.HTMLBlock:
        """Figures resting on few cases: a warning per indicator and group, quoting the small number."""
        few = indicators.small_groups(series.active(self.obs))
        for (indicator, regio, groep), rows in few.groupby(indicators.SERIES_KEY):
            self.out.warning(text.small_group_warning(self.cat.label(indicator), self.cat.group(groep), regio,
                                                      rows))
        return presenter.bullets(self.out.warnings, empty="Geen waarschuwingen.")

    # ------------------------------------------------------------------ figures

    def _figure_rows(self, indicator: str, per: str, keys: list[str], fixed: dict) -> pd.DataFrame:
        """Per series key (a group or a region): its chosen reeks plus the reeksen it continues."""
        rows = indicators.select(self.obs, indicator=indicator, **{per: keys}, **fixed)
        parts = []
        for _, part in rows.groupby(per, sort=False):
            chosen = series.choose(part, self.grades)
            parts.append(series.with_predecessors(part, chosen, self.dataset.reeksen))
        return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]

    def _trend_lines(self, rows: pd.DataFrame, per: str) -> pd.DataFrame | None:
        lines = []
        for key, part in rows.groupby(per, sort=False):
            reeks = part["reeks"].iloc[-1]
            result = self._trend_results.get((part["indicator"].iloc[0], part["regio"].iloc[0] if per != "regio"
                                              else key, part["groep"].iloc[0] if per != "groep" else key, reeks))
            if result is not None and not result.fitted.empty and result.n_jaren >= MIN_TREND_POINTS_DRAWN:
                lines.append(result.fitted.assign(**{per: key}))
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

    def _save_figure(self, draw, drawn: pd.DataFrame, rows: pd.DataFrame, *, name: str, indicator: str, kind: str,
                     title: str, guidance: str, alt: str, in_note: bool, **arguments) -> presenter.FigureView:
        """Save ``draw(drawn, ...)``; ``rows`` are the observations behind it (for the source line)."""
        source = self._source(rows)
        record = contract.FigureRecord(name=name, indicator=indicator, kind=kind, png="", svg="", title=title,
                                       source=source, guidance=guidance, alt=alt, in_note=in_note,
                                       main=in_note and not any(f.main for f in self.out.figures))
        saved = self.out.figure(name, draw, drawn, {"title": title, "bron": source, **arguments}, record=record)
        return presenter.FigureView(self.out.png_path(saved), saved)

    def figuur(self, indicator: str, *, per: str = "groep", groepen: list[str] | None = None,
               regios: list[str] | None = None, regio: str | None = None, titel: str | None = None,
               naam: str | None = None, nota: bool = True):
        """Line figure of one indicator over the window, by group (one region) or by region (one group).

        Each line is the reeks that counts for that group or region, with the reeksen it continues after a
        definition break; trends are drawn where a reeks has enough years; the policy target where it exists.
        ``nota=False`` keeps the figure out of the Word note (it stays in the notebook page and on disk).
        """
        ctx = self.context
        if per == "groep":
            where = regio or ctx.region
            keys = groepen or sorted(indicators.select(self.obs, indicator=indicator, regio=where)["groep"].unique())
            rows = self._figure_rows(indicator, "groep", keys, {"regio": where})
            label_where = where
        else:
            groep = (groepen or ["totaal"])[0]
            keys = regios or [ctx.region, *ctx.comparison_regions]
            rows = self._figure_rows(indicator, "regio", keys, {"groep": groep})
            label_where = self.cat.group(groep)
        if rows.empty:
            return self._missing(indicator)
        eenheid = self.cat.unit(indicator)
        trend = self._trend_lines(rows, per)
        doel = self._target(indicator)
        title = titel or text.title(self.cat.label(indicator), label_where, _span(rows))
        n_trends = 0 if trend is None else trend[per].nunique()
        guidance = text.figure_guidance("lijn", per=per, eenheid=eenheid, series=rows[per].nunique(),
                                        trends=n_trends, bands=plots.draws_trend_bands(n_trends), doel=doel,
                                        zero_based=eenheid in plots.ZERO_BASED_UNITS,
                                        breaks=bool(rows.groupby(per)["reeks"].nunique().max() > 1))
        alt = text.describe_lines(self.cat.label(indicator), rows, per, self.cat.series_labels())
        name = naam or f"{indicator}_{(where if per == 'groep' else groep)}_per_{per}".lower()
        drawn = rows[[per, "jaar", "waarde", "reeks", "status"]].reset_index(drop=True)
        return self._save_figure(plots.series_figure, drawn, rows, name=name, indicator=indicator, kind="lijn",
                                 title=title, guidance=guidance, alt=alt, in_note=nota, hue=per,
                                 labels=self.cat.series_labels(), eenheid=eenheid, trend=trend, doel=doel)

    def vergelijking(self, indicator: str, *, groep: str = "totaal", per: str = "regio",
                     groepen: list[str] | None = None, regio: str | None = None, titel: str | None = None,
                     naam: str | None = None, nota: bool = True):
        """Bar figure: the newest value per region (or per group in one region), each from its own reeks.

        A region without the newest year is shown with its own newest year, and the label says which year.
        The key message :meth:`kernboodschap` uses the same values.
        """
        ctx = self.context
        where = regio or ctx.region
        if per == "regio":
            rows = indicators.select(self.obs, indicator=indicator, groep=groep,
                                     regio=[ctx.region, *ctx.comparison_regions, *self.cat.parts_of(where)])
        else:
            rows = indicators.select(self.obs, indicator=indicator, regio=where, groep=groepen)
        latest = series.latest(rows, per, self.grades)
        if latest.empty:
            return self._missing(indicator)
        eenheid = self.cat.unit(indicator)
        newest = int(latest["jaar"].max())
        labels = {key: (name if int(year) == newest else f"{name} ({int(year)})")
                  for key, year, name in zip(latest[per], latest["jaar"],
                                             latest[per].map(lambda k: self.cat.series_labels().get(k, k)))}
        what = self.cat.group(groep) if per == "regio" else where
        title = titel or text.title(self.cat.label(indicator), what, str(newest))
        name = naam or f"{indicator}_{per}_{(groep if per == 'regio' else where)}".lower()
        if eenheid == "rang":
            guidance = text.figure_guidance("rang", per=per, eenheid=eenheid)
            drawn = latest[[per, "waarde"]].reset_index(drop=True)
            return self._save_figure(plots.rank_figure, drawn, latest, name=name, indicator=indicator, kind="rangorde",
                                     title=title, guidance=guidance, alt=text.describe_bars(title, latest, per, labels, eenheid),
                                     in_note=nota, category=per, labels=labels)
        guidance = text.figure_guidance("staaf", per=per, eenheid=eenheid, series=latest[per].nunique(),
                                        jaar=newest, sources=len(self.cat.origins(latest)))
        drawn = latest[[per, "waarde"]].reset_index(drop=True)
        return self._save_figure(plots.bar_figure, drawn, latest, name=name, indicator=indicator, kind="staaf",
                                 title=title, guidance=guidance, alt=text.describe_bars(title, latest, per, labels, eenheid),
                                 in_note=nota, category=per, labels=labels, eenheid=eenheid)

    def alle_figuren(self) -> list:
        """A figure for every indicator of the theme not shown yet, in the form its data allow.

        Ranks as a ranking; several groups in a region, or one group in several regions, as lines when a
        series has more than one year and as bars otherwise. New indicators in ``data/raw`` thus appear
        without editing the notebook; they stay out of the Word note.
        """
        shown = {f.indicator for f in self.out.figures}
        made = []
        for indicator in sorted(set(self.obs["indicator"]) - shown):
            rows = series.active(self.obs[self.obs["indicator"] == indicator])
            own = rows[rows["regio"] == self.context.region]
            regio = self.context.region if not own.empty else sorted(rows["regio"].unique())[0]
            own = rows[rows["regio"] == regio]
            several_years = own.groupby("groep")["jaar"].nunique().max() > 1
            if self.cat.unit(indicator) == "rang":
                made.append(self.vergelijking(indicator, per="groep", regio=regio, nota=False))
            elif own["groep"].nunique() > 1 or rows["regio"].nunique() == 1:
                made.append(self.figuur(indicator, per="groep", regio=regio, nota=False) if several_years
                            else self.vergelijking(indicator, per="groep", regio=regio, nota=False))
            else:
                groep = own["groep"].iloc[0]
                one_group = rows[rows["groep"] == groep]
                made.append(self.figuur(indicator, per="regio", groepen=[groep], nota=False)
                            if one_group.groupby("regio")["jaar"].nunique().max() > 1
                            else self.vergelijking(indicator, groep=groep, nota=False))
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
        return self.out.message(text.key_message(finding))


class Doelenmonitor(_Notebook):
    """The chapter-4 targets: baseline, latest measurement of one reeks, projection and verdict."""

    def __init__(self, *, regio: str = "Maassluis", vergelijk_regios: list[str] | None = None,
                 start_jaar: int | None = None, eind_jaar: int | None = None, data_dir=None, output_dir=None):
        super().__init__(MONITOR, regio=regio, vergelijk_regios=vergelijk_regios, start_jaar=start_jaar,
                         eind_jaar=eind_jaar, niveau="gemeente", data_dir=data_dir, output_dir=output_dir)

    @functools.cached_property
    def _table(self) -> pd.DataFrame:
        return monitor.monitor_table(self.dataset.indicatoren, series.active(self.dataset.observations),
                                     self.context.region, self.context.end_year)

    def regels(self) -> presenter.HTMLBlock:
        """The rules behind every verdict."""
        return presenter.bullets([f"{verdict.replace('_', ' ')}: {rule}" for verdict, rule in monitor.RULES.items()])

    def doelen(self):
        """The monitor table: every target with baseline, latest measurement, projection and verdict."""
        table = self._table.copy()
        table["groep_label"] = table["groep"].map(self.cat.group)
        table["oordeel_label"] = table["oordeel"].str.replace("_", " ")
        units = table["indicator"].map(self.cat.units)
        table["eenheid"] = units
        columns = (contract.Column("label", "Indicator"), contract.Column("groep_label", "Groep", "label"),
                   contract.Column("doel_omschrijving", "Doel"),
                   contract.Column("basis_waarde", "Basis", "number", unit_column="eenheid"),
                   contract.Column("basis_jaar", "Basisjaar", "year"),
                   contract.Column("laatste_waarde", "Laatste meting", "number", unit_column="eenheid"),
                   contract.Column("laatste_jaar", "Jaar", "year"),
                   contract.Column("oordeel_label", "Oordeel", "label"),
                   contract.Column("toelichting", "Toelichting"))
        self.out.table("monitor", table, title=f"Doelenmonitor hoofdstuk 4, {self.context.region}, metingen tot "
                       f"en met {self.context.end_year}", source="Bron: Beleidsvisie Integratie Maassluis (2019) en "
                       f"de metingen in de data; {catalogue.EDITOR}", columns=columns, key=True, in_note=True)
        return presenter.table(table, columns)

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
