"""The notebook API: :class:`Thema` for a chapter-2 theme, :class:`Doelenmonitor` for chapter 4.

This API is what researchers type in the notebooks, so it is Dutch throughout (class and method names,
parameters). Each method does three things and nothing else: compute with the library (series, indicators,
trends, register, monitor), record the result with the :class:`~analyse.writer.ReportWriter`, and show it
with :mod:`analyse.presenter`. There is no hidden order between methods: a figure fits the trends it draws
itself (through the same cached computation that :meth:`Thema.trends` uses).
"""

from __future__ import annotations

import functools
from typing import TypeVar

import pandas as pd

from analyse import (areas, catalogue, comparisons, context, contract, data, disclosure, group_gaps, indicators, monitor,
                     peers, presenter, register, series, trends)
from analyse.gate import Gate
from analyse.schema import MONITOR, THEMES
from analyse.text.claim_texts import unrounded
from analyse.text.disclosure_texts import small_group_warnings
from analyse.text.label_texts import (MONITOR_LABELS, MONITOR_RULES, lower_first, no_peer_group, peer_group_note,
                                      readable, size_class_label, title)
from analyse.text.messages import (Finding, Level, PeerLevels, describe_change, key_message, revision_note,
                                   theme_intro)
from analyse.text.monitor_texts import sentence_verdicts
from analyse.text.notation import display_decimals, year_range
from analyse.text.sources import UNKNOWN_PRODUCER, document_source, no_policy_document, source_line
from analyse.text.trend_texts import add_trend_texts, fdr_policy, registration_note, sentence_gap, sentence_trend
from analyse.theme_areas import Areas
from analyse.theme_figures import Figures
from analyse.theme_part import ThemePart
from analyse.theme_peers import Peers

P = TypeVar("P", bound=ThemePart)



class _Notebook:
    """What every notebook shares: parameters resolved once, the data, the catalogue and the writer."""

    def __init__(self, thema: str, *, regio: str | None, vergelijk_regios, start_jaar, eind_jaar, niveau: str,
                 data_dir, output_dir):
        root = data.project_root() if data_dir is None or output_dir is None else None
        self.dataset = data.load(data_dir if data_dir is not None else root / "data")
        self.context = context.resolve(thema, self.dataset, regio=regio, vergelijk_regios=vergelijk_regios,
                                       start_jaar=start_jaar, eind_jaar=eind_jaar, niveau=niveau,
                                       data_dir=data_dir, output_dir=output_dir, root=root)
        self.cat = catalogue.Catalogue(self.dataset)
        self.grades = self.dataset.grades
        self.persons = disclosure.person_indicators(self.dataset.indicatoren)
        self.out = catalogue_writer(self.context, Gate.of(self.dataset, self.context.settings.small_count))
        # what this region's reports may publish: never a number whose only source cannot be cited, nor another
        # municipality's quote of other regions (series.citable); what is left out is named in the sources
        publisher = areas.municipality_code(self.dataset.regios, self.context.region)
        self.citable_obs, self.left_out = series.citable(self.dataset.observations, self.dataset.bronnen, publisher)
        obs = self.citable_obs
        self.theme_obs = obs[obs["thema"] == thema] if thema in THEMES else obs
        ctx = self.context
        self.window_obs = indicators.select(self.theme_obs, start=ctx.start_year, end=ctx.end_year)
        scope = context.scope_regions(self.dataset, ctx.region, ctx.comparison_regions, ctx.level)
        self.obs = indicators.select(self.window_obs, regio=scope)

    # ------------------------------------------------------------------ shared helpers

    @functools.cached_property
    def trend_results(self) -> dict[tuple, trends.TrendResult]:
        """A trend per series (indicator, regio, groep, reeks) in the window, computed once when first needed."""
        return {key: trends.fit_trend(rows.sort_values("jaar"))
                for key, rows in series.active(self.obs).groupby(series.KEY, sort=True)}

    def _source(self, rows: pd.DataFrame) -> str:
        return source_line([(o.producer, o.publisher) for o in self.cat.origins(rows)], self.context.editor)

    def _comparison(self, indicator: str, groep: str, where: str) -> comparisons.RegionComparison | None:
        """The one comparison of ``where`` for this indicator and group: same year, same reeks (also used by
        :meth:`vergelijking`, so the sentence and the figure show the same numbers)."""
        ctx = self.context
        return comparisons.compare_regions(
            self.citable_obs, self.dataset.regios, region=where,
            comparisons=[r for r in ctx.comparison_regions if r != where], indicator=indicator, groep=groep,
            grades=self.grades, start=ctx.start_year, end=ctx.end_year, with_peers=where == ctx.region)

    def _part(self, kind: type[P]) -> P:
        """A part of this notebook (figures, wijken, peers) with what it reads of the notebook, named."""
        return kind(context=self.context, dataset=self.dataset, cat=self.cat, grades=self.grades, out=self.out,
                    theme_obs=self.theme_obs, window_obs=self.window_obs, obs=self.obs,
                    trend_results=lambda: self.trend_results, compare_region=self._comparison)

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

    def _left_out_in_scope(self) -> pd.DataFrame:
        """The rows of this theme, window and regions that the report may not publish (:func:`series.citable`)."""
        ctx, rows = self.context, self.left_out
        rows = rows[rows["thema"] == ctx.theme] if ctx.theme in THEMES else rows
        scope = context.scope_regions(self.dataset, ctx.region, ctx.comparison_regions, ctx.level)
        return indicators.select(rows, regio=scope, start=ctx.start_year, end=ctx.end_year)

    def _source_records(self) -> tuple[contract.Source, ...]:
        """The publications behind the numbers, and the sources graded niet_citeerbaar whose numbers are left
        out (another municipality's own publications, left out of this report, are not named: they are that
        municipality's to cite)."""
        used = self.cat.source_records(series.active(self.obs))
        codes = {record.code for record in used}
        left = [r for r in self.cat.source_records(self._left_out_in_scope())
                if r.code not in codes and r.grade == "niet_citeerbaar"]
        return (*used, *left)

    def bronnen(self):
        """The publications behind this notebook's numbers in the window, with producer and grade; a source
        whose numbers this report may not publish is listed as 'niet_citeerbaar' (not used)."""
        rows = []
        left = self._left_out_in_scope()
        for record in self._source_records():
            every = left if record.grade == "niet_citeerbaar" else self.obs
            part = every[(every["bron"] == record.code) | (every["noemer_bron"] == record.code)]
            rows.append({"bron": record.name, "uitgever": record.publisher, "producent": record.producer,
                         "soort": record.grade, "indicatoren": part["indicator"].nunique(),
                         "jaren": year_range(part["jaar"].min(), part["jaar"].max()), "adres": record.address})
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

    def waarschuw_bij(self, indicator: str, tekst: str) -> presenter.HTMLBlock | None:
        """:meth:`waarschuw`, only when the window has figures of ``indicator`` for the region or a comparison
        region (a caveat about a series that this run does not show is not said)."""
        if indicators.select(self.obs, indicator=indicator).empty:
            return None
        return self.waarschuw(tekst)

    def kernboodschappen(self) -> presenter.HTMLBlock:
        return presenter.bullets(self.out.messages, empty="Geen kernboodschappen.")

    def _intro(self) -> str:
        names = sorted({o.producer for o in self.cat.origins(series.active(self.obs))
                        if not o.producer.startswith(UNKNOWN_PRODUCER)})
        return theme_intro(self.context.title, names, self.context.region, list(self.context.comparison_regions))

    def opslaan(self) -> presenter.HTMLBlock:
        """Write ``kerncijfers.json`` (the theme summary) and say what was saved."""
        summary = self.out.summary(intro=self._intro(), sources=self._source_records())
        self.out.save(summary)
        ctx = self.context
        where = ctx.shown_path(ctx.output_dir) + "/" if ctx.interactive else ""
        return presenter.paragraph(
            f"Opgeslagen: {len(summary.figures)} figuren, {len(summary.tables)} tabellen, "
            f"{len(summary.messages)} kernboodschappen en kerncijfers.json in {where}tables/{ctx.theme}/ "
            f"(figuren in {where}figures/{ctx.theme}/).")


def catalogue_writer(ctx: context.ThemeContext, gate: Gate | None = None):
    from analyse.writer import ReportWriter

    return ReportWriter(ctx, gate)


class Thema(_Notebook):
    """The analysis of one chapter-2 theme for one region and window (see the module docstring)."""

    def __init__(self, thema: str, *, regio: str | None = None, vergelijk_regios: list[str] | None = None,
                 start_jaar: int | None = None, eind_jaar: int | None = None, niveau: str = "gemeente",
                 data_dir=None, output_dir=None):
        if thema not in THEMES:
            raise data.ParameterError(f"onbekend thema '{thema}'; kies uit {', '.join(THEMES)}.")
        super().__init__(thema, regio=regio, vergelijk_regios=vergelijk_regios, start_jaar=start_jaar,
                         eind_jaar=eind_jaar, niveau=niveau, data_dir=data_dir, output_dir=output_dir)

    # ------------------------------------------------------------------ computations (cached, no ordering)

    def _chosen(self, indicator: str, regio: str, groep: str) -> pd.DataFrame:
        rows = indicators.select(self.obs, indicator=indicator, regio=regio, groep=groep)
        return series.choose(rows, self.grades)

    def _level(self, row: pd.Series) -> Level:
        """A value for a key message; a value resting on fewer persons than the threshold is not published."""
        small = self.context.settings.small_count
        protected = self.out.gate.value(row)
        return Level(int(row["jaar"]), float(row["waarde"]), row["eenheid"], bool(row["afgeleid"]),
                     row["status"] or "", small if protected.mark else None, self.cat.decimals(row["indicator"]))

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
        return self.out.display("beschikbaarheid")

    def overzicht(self):
        """First and last measurement of every series in the window and the change, in the right unit."""
        table = indicators.changes(series.active(self.obs), self.grades)
        frame = pd.DataFrame({
            "indicator": table["indicator"], "label": table["label"], "regio": table["regio"],
            "groep": table["groep"].map(self.cat.group), "eenheid": table["eenheid"],
            "jaar_van": table["jaar_van"], "waarde_van": table["waarde_van"],
            "jaar_tot": table["jaar_tot"], "waarde_tot": table["waarde_tot"],
            "teller_tot": table["teller_tot"], "noemer_tot": table["noemer_tot"]})
        fixed = table["indicator"].map(self.cat.decimals)  # the catalogue's decimalen, else as published
        for end in ("van", "tot"):
            frame[f"decimalen_{end}"] = [display_decimals(v, u, d, f) for v, u, d, f in
                                         zip(table[f"waarde_{end}"], table["eenheid"], table[f"afgeleid_{end}"], fixed)]
        frame["verandering"] = [describe_change(r, f) for r, f in zip(table.to_dict("records"), fixed)]
        frame["bron"] = [self._source(self.obs[(self.obs["reeks"] == r.reeks) & (self.obs["indicator"] == r.indicator)
                                               & (self.obs["regio"] == r.regio) & (self.obs["groep"] == r.groep)])
                         .removeprefix("Bron: ").removesuffix(f"; {self.context.editor}")
                         for r in table.itertuples()]
        columns = (contract.Column("label", "Indicator"), contract.Column("regio", "Regio"),
                   contract.Column("groep", "Groep", "label"), contract.Column("jaar_van", "Van (jaar)", "year"),
                   contract.Column("waarde_van", "Waarde van", "number", unit_column="eenheid",
                                   decimals_column="decimalen_van"),
                   contract.Column("jaar_tot", "Tot (jaar)", "year"),
                   contract.Column("waarde_tot", "Waarde tot", "number", unit_column="eenheid",
                                   decimals_column="decimalen_tot"),
                   contract.Column("verandering", "Verandering"), contract.Column("bron", "Bron"))
        keys = {"indicator": "indicator", "regio": "regio", "groep": "groep"}
        cells = disclosure.Cells(keys=table[["groep"]], measures=(  # a change would give a hidden value back
            disclosure.Measure("waarde_van", keys={**keys, "jaar": "jaar_van"}, follows=("verandering",)),
            disclosure.Measure("waarde_tot", keys={**keys, "jaar": "jaar_tot"}, counts=("teller_tot",),
                               bases=("noemer_tot",), follows=("verandering",))))
        names = self.cat.names()
        notes = tuple(readable(revision_note(r, self.cat.label(r["indicator"])), names) for r in
                      series.revisions(self.obs).to_dict("records"))
        self.out.table("overzicht", frame, title=f"{self.context.title}: eerste en laatste meting, "
                       f"{self.context.window}", source=self._source(self.obs), columns=columns, notes=notes,
                       key=self.out.key_table is None, cells=cells)
        return self.out.display("overzicht")

    @functools.cached_property
    def trend_records(self) -> dict[tuple, dict]:
        """The record of every trend in :attr:`trend_results`, with the false discovery rate over all trend tests
        of this theme (:func:`analyse.trends.add_fdr`): what the trend table and the key messages say about a
        direction rests on the same correction."""
        records = []
        for (indicator, regio, groep, reeks), result in self.trend_results.items():
            record = result.to_record()
            record.update(indicator=indicator, regio=regio, groep=groep, reeks=reeks)
            records.append(record)
        if not records:
            return {}
        table = trends.add_fdr(pd.DataFrame(records))
        return {key: record for key, record in zip(self.trend_results, table.to_dict("records"))}

    def trends(self):
        """Trend estimates for every series in the window; refusals carry their reason."""
        records = []
        for (indicator, regio, groep, reeks), record in self.trend_records.items():
            rows = indicators.select(self.obs, indicator=indicator, regio=regio, groep=groep)
            records.append({**record, "gekozen": bool(series.rank(rows, self.grades)[:1] == [reeks])})
        table = add_trend_texts(pd.DataFrame(records))
        table.insert(0, "thema", self.context.theme)
        table["label"] = table["indicator"].map(self.cat.label)
        table["groep_label"] = table["groep"].map(self.cat.group)
        table["zin"] = [sentence_trend(r) for r in table.to_dict("records")]
        columns = (contract.Column("label", "Indicator"), contract.Column("regio", "Regio"),
                   contract.Column("groep_label", "Groep", "label"), contract.Column("methode", "Methode", "label"),
                   contract.Column("n_jaren", "Jaren", "number", "aantal", decimals=0),
                   contract.Column("zin", "Trend"))
        notes = (fdr_policy(), registration_note())
        self.out.table("trends", table, title=f"{self.context.title}: trendschattingen {self.context.window}",
                       source=self._source(self.obs), columns=columns, notes=notes)
        return self.out.display("trends", caption=" ".join(notes))

    def register(self):
        """Recompute every statement of this theme in the reproduction register (only in the reports of the
        municipality whose policy document the claims come from)."""
        if not self.dataset.has_policy_document(self.context.region):
            return presenter.paragraph(no_policy_document(self.context.region), italic=True)
        claims = self.dataset.beweringen[self.dataset.beweringen["thema"] == self.context.theme]
        names = self.cat.names()
        table = register.reproduce(claims, self.dataset.observations, self.grades, names=names)
        table["verwacht"] = table["verwacht"].map(lambda value: readable(str(value), names))
        decimals = dict(zip(claims["id"], claims["decimalen"]))
        table["herberekend"] = [unrounded(v, int(decimals[i])) if isinstance(v, float) and str(decimals[i]).isdigit()
                                else ("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
                                for i, v in zip(table["id"], table["berekend"])]
        columns = (contract.Column("id", "Nr."), contract.Column("citaat", "Citaat"),
                   contract.Column("verwacht", "Volgens document", kind="value"),
                   contract.Column("herberekend", "Herberekend"),
                   contract.Column("status", "Status", "label"), contract.Column("bewijs", "Bewijs", "label"),
                   contract.Column("toelichting", "Toelichting"))
        self.out.table("reproductie", table, title=f"{self.context.title}: reproductie van de beweringen in "
                       "hoofdstuk 2", source=f"{document_source(self.dataset.policy_document)}; {self.context.editor}",
                       columns=columns, cells=register.DISCLOSURE)
        return self.out.display("reproductie")

    def kleine_groepen(self) -> presenter.HTMLBlock:
        """Figures resting on few cases: a warning per indicator and group, quoting the small number."""
        for warning in small_group_warnings(
                series.active(self.obs), self.cat.labels, self.cat.group_labels, self.persons,
                small_count=self.context.settings.small_count):
            self.out.warning(warning)
        return presenter.bullets(self.out.warnings, empty="Geen waarschuwingen.")

    # ------------------------------------------------------------------ figures

    @functools.cached_property
    def _figures(self) -> Figures:
        return self._part(Figures)

    def figuur(self, indicator: str, *, per: str = "groep", groepen: list[str] | None = None,
               regios: list[str] | None = None, regio: str | None = None, titel: str | None = None,
               naam: str | None = None, nota: bool = True):
        """The development of one indicator, by group (one region) or by region (one group), next to its
        benchmark, in the form its data allow (:meth:`analyse.theme_figures.Figures.figure`)."""
        return self._figures.figure(indicator, per=per, groepen=groepen, regios=regios, regio=regio, title=titel,
                                    name=naam, in_note=nota)

    def vergelijking(self, indicator: str, *, groep: str = "totaal", per: str = "regio",
                     groepen: list[str] | None = None, regio: str | None = None, niveau: str | None = None,
                     titel: str | None = None, naam: str | None = None, nota: bool = True):
        """The newest value per region (or per group, or per wijk with ``niveau='wijk'``), each from its own
        reeks (:meth:`analyse.theme_figures.Figures.comparison`)."""
        return self._figures.comparison(indicator, groep=groep, per=per, groepen=groepen, regio=regio,
                                        niveau=niveau, title=titel, name=naam, in_note=nota)

    def alle_figuren(self) -> list:
        """A figure for every indicator of the theme not shown yet (they stay out of the Word note)."""
        return self._figures.all_figures()

    def positie(self, indicator: str, *, groep: str = "totaal", jaar: int | None = None, titel: str | None = None,
                naam: str | None = None, nota: bool = True):
        """Where the region stands among the municipalities of its CBS size class for one indicator, group, year
        and reeks (the newest year of its chosen reeks, or ``jaar``), its comparison regions marked
        (:meth:`analyse.theme_peers.Peers.position`). For the shares and rates CBS gives for every municipality."""
        return self._part(Peers).position(indicator, groep=groep, jaar=jaar, title=titel, name=naam, in_note=nota)

    def kaart(self, indicator: str | None = None, *, groep: str = "totaal", jaar: int | None = None,
              titel: str | None = None, naam: str | None = None, nota: bool = True):
        """A map of all municipalities: the region and the municipalities of its size, or with ``indicator`` its
        value per municipality with the region outlined (:meth:`analyse.theme_peers.Peers.overview_map`)."""
        return self._part(Peers).overview_map(indicator, groep=groep, jaar=jaar, title=titel, name=naam, in_note=nota)

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
        gap = group_gaps.compare_groups(a, b)
        labels = (lower_first(self.cat.group(groep_a)), lower_first(self.cat.group(groep_b)))
        subject = onderwerp or lower_first(self.cat.label(indicator))
        sentence = sentence_gap(gap, f"Het verschil in {subject} tussen {labels[0]} en {labels[1]} ({where})",
                                self.cat.reeks_names)
        self.out.message(sentence)
        frame = gap.verschillen.copy()
        columns = (contract.Column("jaar", "Jaar", "year"),
                   contract.Column("waarde_a", self.cat.group(groep_a), "number", gap.eenheid),
                   contract.Column("waarde_b", self.cat.group(groep_b), "number", gap.eenheid),
                   contract.Column("verschil", "Verschil", "number",
                                   "procentpunt" if gap.eenheid == "procent" else gap.eenheid))
        name = f"verschil_{indicator}_{groep_a}_{groep_b}"
        self.out.table(name, frame, title=title(
            f"Verschil in {subject} tussen {labels[0]} en {labels[1]}", where), source=self._source(
            pd.concat([a, b])), columns=columns, cells=disclosure.Cells(measures=tuple(
                disclosure.Measure(column, unit=gap.eenheid, keys={"jaar": "jaar"},
                                   fixed={"indicator": indicator, "regio": where, "groep": groep},
                                   follows=("verschil", "verhouding", "relatief"))
                for column, groep in (("waarde_a", groep_a), ("waarde_b", groep_b)))))
        return self.out.display(name, caption=sentence)

    # ------------------------------------------------------------------ wijken and buurten

    def wijken(self):
        """The wijken of the region side by side: inhabitants, origin in both CBS classifications, age
        (:meth:`analyse.theme_areas.Areas.profile`)."""
        return self._part(Areas).profile()

    def segregatie(self, groep: str = "niet_westers", *, jaar: int | None = None):
        """The index of dissimilarity of ``groep`` over the buurten, with its chance level
        (:meth:`analyse.theme_areas.Areas.segregation`)."""
        return self._part(Areas).segregation(groep, jaar=jaar)

    # ------------------------------------------------------------------ peers of the same size

    def vergelijkbare_gemeenten(self, jaar: int | None = None):
        """The municipalities of the same CBS size class as the region (:mod:`analyse.peers`), with inhabitants
        and degree of urbanisation: the peers every comparison of this run places the region among. ``jaar``:
        the year of the inhabitant counts (default the newest year with counts up to the window's end)."""
        ctx = self.context
        population = indicators.select(self.citable_obs, indicator="inwoners", groep="totaal", regio=ctx.region,
                                       end=ctx.end_year)
        population = population[population["reeks"] == peers.POPULATION[2]]
        year = jaar or (int(population["jaar"].max()) if not population.empty else None)
        group = None if year is None else peers.peer_group(self.citable_obs, self.dataset.regios, ctx.region, year)
        if group is None:
            return presenter.paragraph(no_peer_group(ctx.region, ctx.end_year), italic=True)
        frame = peers.peer_table(self.citable_obs, self.dataset.regios, group)
        label = size_class_label(*group.size_class)
        columns = (contract.Column("gemeente", "Gemeente"), contract.Column("code", "CBS-code"),
                   contract.Column("inwoners", f"Inwoners op 1 januari {year}", "number", "aantal", decimals=0),
                   contract.Column("stedelijkheid", "Stedelijkheid (1-5)", "number", "klasse", decimals=0),
                   contract.Column("stedelijkheid_jaar", "Stedelijkheid, jaar", "year"))
        rows = indicators.select(self.citable_obs, indicator=["inwoners", "stedelijkheid"], regio=list(frame["gemeente"]))
        self.out.table("vergelijkbare_gemeenten", frame.drop(columns="zelf"),
                       title=f"Gemeenten van dezelfde grootte als {ctx.region}: {label}, {year}",
                       source=self._source(rows[rows["jaar"] <= year]), columns=columns,
                       notes=(peer_group_note(ctx.region, label, year, len(group.members)),))
        return self.out.display("vergelijkbare_gemeenten")

    # ------------------------------------------------------------------ key messages

    def _peer_levels(self, found: peers.PeerComparison, indicator: str, derived: bool) -> PeerLevels:
        """The peers' median and quartiles in the notation of the figure itself: the indicator's fixed decimals
        (catalogue), else published whole percentages stay whole where the median is and a share we computed has
        one decimal."""
        def level(value: float) -> Level:
            return Level(found.year, value, found.unit, derived=derived, decimals=self.cat.decimals(indicator))
        return PeerLevels(size_class_label(*found.group.size_class), found.n, level(found.median),
                          level(found.lower_quartile), level(found.upper_quartile), found.below, found.above)

    def kernboodschap(self, indicator: str, *, groep: str = "totaal", regio: str | None = None,
                      onderwerp: str | None = None, eenheid_woord: str | None = None) -> str:
        """A key message in plain Dutch: the newest level, the comparison, and the direction with its certainty.

        The newest value of the reeks that counts for the region; the comparison regions and the municipalities
        of the same size in the newest year that has comparable figures of the same reeks (never a figure of
        another year or statistic; not for counts; :mod:`analyse.comparisons`); the change since the first year
        of the same reeks in the window and whether the trend makes it statistically certain. What was not
        measured is never a message: it shows in the availability table.
        """
        ctx = self.context
        where = regio or ctx.region
        chosen = self._chosen(indicator, where, groep)
        subject = lower_first(onderwerp or self.cat.label(indicator))
        if chosen.empty:
            return ""
        last, first = chosen.iloc[-1], chosen.iloc[0]
        found = self._comparison(indicator, groep, where)
        benchmarks, compared, missing, peer_levels = (), None, (), None
        if found is not None:
            benchmarks = tuple((region, self._level(row)) for region, row in found.others.items())
            compared = self._level(found.own) if found.year != int(last["jaar"]) else None
            missing = found.missing
            peer_levels = (self._peer_levels(found.peers, indicator, bool(found.own["afgeleid"]))
                           if found.peers is not None else None)
        trend = self.trend_records.get((indicator, where, groep, last["reeks"]))
        breaks = series.breaks(last["reeks"], self.dataset.reeksen)
        finding = Finding(
            subject=subject, region=where, level=self._level(last), count_word=eenheid_woord, benchmarks=benchmarks,
            start=self._level(first) if len(chosen) > 1 else None, trend=trend,
            break_year=int(first["jaar"]) if breaks else None, compared=compared, missing=missing,
            peers=peer_levels)
        self.out.key_figure(contract.KeyFigure(
            indicator=indicator, label=self.cat.label(indicator), region=where, group=groep,
            group_label=self.cat.group(groep), year=int(last["jaar"]),
            value=None if self._level(last).below else float(last["waarde"]),
            unit=last["eenheid"], text=self._level(last).shown(), source=self._source(chosen.tail(1)),
            reeks=last["reeks"], estimate=last["status"] == "schatting",
            benchmarks=tuple(contract.Benchmark(region, level.year, None if level.below else level.value, level.shown())
                             for region, level in benchmarks),
            comparison_year=None if found is None or not (benchmarks or peer_levels) else found.year,
            comparison_value=None if compared is None or compared.below else compared.value,
            comparison_text="" if compared is None else compared.shown(),
            not_comparable=missing, peers=self._peer_benchmark(found)))
        return self.out.message(key_message(finding), lead=True)

    def _peer_benchmark(self, found: comparisons.RegionComparison | None) -> contract.PeerBenchmark | None:
        if found is None or found.peers is None:
            return None
        group, levels = found.peers, self._peer_levels(found.peers, found.indicator, bool(found.own["afgeleid"]))
        text = (f"mediaan {levels.median.shown()} (middelste helft {levels.lower.shown()} tot "
                f"{levels.upper.shown()})")
        return contract.PeerBenchmark(levels.label, group.year, group.n, group.median, group.lower_quartile,
                                      group.upper_quartile, group.minimum, group.maximum, group.below, group.above,
                                      text)


class Doelenmonitor(_Notebook):
    """The chapter-4 targets: baseline, latest measurement of one reeks, projection and verdict."""

    def __init__(self, *, regio: str | None = None, vergelijk_regios: list[str] | None = None,
                 start_jaar: int | None = None, eind_jaar: int | None = None, data_dir=None, output_dir=None):
        super().__init__(MONITOR, regio=regio, vergelijk_regios=vergelijk_regios, start_jaar=start_jaar,
                         eind_jaar=eind_jaar, niveau="gemeente", data_dir=data_dir, output_dir=output_dir)

    @functools.cached_property
    def trend_results(self) -> dict[tuple, trends.TrendResult]:
        """As in a theme, but each target's series from its baseline year on: the trend its verdict rests on."""
        return {key: trends.fit_trend(rows.sort_values("jaar")) for key, rows in
                monitor.from_baseline(series.active(self.obs), self.dataset.indicatoren).groupby(series.KEY, sort=True)}

    @functools.cached_property
    def _table(self) -> pd.DataFrame:
        return monitor.monitor_table(self.dataset.indicatoren, series.active(self.dataset.observations),
                                     self.context.region, self.context.end_year, grades=self.grades)

    def regels(self) -> presenter.HTMLBlock:
        """The rules behind every verdict."""
        return presenter.bullets([f"{MONITOR_LABELS[verdict]}: {rule}" for verdict, rule in MONITOR_RULES.items()])

    def doelen(self):
        """The monitor table: every target with baseline, latest measurement, projection and verdict."""
        table = self._table.copy()
        table["toelichting"] = table["toelichting"].map(lambda note: readable(note, self.cat.names()))
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
        rules = tuple(f"{MONITOR_LABELS[v]}: {rule}" for v, rule in MONITOR_RULES.items())
        self.out.table("monitor", table, title=f"Doelenmonitor hoofdstuk 4, {self.context.region}, metingen tot "
                       f"en met {self.context.end_year}", source=f"{document_source(self.dataset.policy_document)} "
                       f"en de metingen in de data; {self.context.editor}", columns=columns, key=True, in_note=True,
                       notes=rules, cells=monitor.DISCLOSURE)
        return self.out.display("monitor")

    def figuren(self) -> list:
        """A figure for every numeric target with measurements: its reeks, trend and the target."""
        made = []
        drawing = self._part(Figures)
        for target, groep in monitor.target_series(self.dataset.indicatoren):
            measured = not indicators.select(self.obs, indicator=target["indicator"], regio=self.context.region,
                                             groep=groep).empty
            if target["doel_type"] == "niveau" and measured:
                made.append(drawing.figure(target["indicator"], groepen=[groep]))
        return made

    def samenvatting(self) -> str:
        """Key message: how many targets have which verdict."""
        counts = self._table["oordeel"].value_counts().sort_index()
        return self.out.message(sentence_verdicts(dict(counts.items()), len(self._table), self.context.end_year))
