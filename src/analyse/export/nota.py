"""``beleidsnota.docx``: the nota a municipality publishes as it is, for the council and the public.

About 25-35 pages: a title page (with the years the themes really cover), the colophon, the contents, a
summary (per theme its strongest one or two messages), one chapter per theme (its area and period, two or
three plain sentences, its key figures with the comparison of the same year, its main figures) and the
target monitor as one table (goal, baseline, latest value, verdict and what is needed to judge it). No method
words and no template text: a message that needs a method word to be understood, the caveats, the method,
the sources graded, the check of the policy document and all tables are in the technical report beside it
(:mod:`.rapport`); the workbook holds every table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analyse import contract
from analyse.export.docx import Publication, area_line, coverage, newest_years, save, targets, verdicts
from analyse.export.docx_tables import add_table, layout
from analyse.export.plain import nota_messages
from analyse.export.read import Reports, Theme, verdict_counts
from analyse.schema import MONITOR
from analyse.text.label_texts import MONITOR_LABELS
from analyse.text.notation import (EN_DASH, VALUE_UNITS, format_number, format_value, join_words, published_decimals,
                                   year_range)

MESSAGES_PER_THEME = 3
SUMMARY_MESSAGES = 2
FIGURES_PER_THEME = 6
"""The main figure first, then the theme's other figures for the note, up to this many (the workbook, the
technical report and the theme's page have the rest)."""
JUDGED = ("gehaald", "niet_gehaald", "op_koers", "niet_op_koers")
REPORT_NAME = "het technisch rapport bij deze nota"


def chapters(reports: Reports) -> list[Theme]:
    """The themes that get a chapter: all but the target monitor, which is one table of its own."""
    return [t for t in reports.themes if t.code != MONITOR]


def nota_figures(theme: Theme) -> list:
    ordered = sorted((f for f in theme.figures if f.in_note or f.main), key=lambda f: not f.main)
    return ordered[:FIGURES_PER_THEME]


class Nota(Publication):
    category = "Beleidsnota"
    figure_width = 14.0  # cm: two figures with their captions on a page, the first one under the key figures

    def body(self) -> None:
        r = self.reports
        themes = chapters(r)
        lines = [r.run_date]
        if newest_years(themes):
            lines.append(f"Nieuwste cijfers per thema: {newest_years(themes)}")
        self.title_page("Cijfers over integratie, per thema", lines)
        self.colophon(themes)
        self.contents()
        self.introduction(themes)
        self.summary(themes)
        for theme in themes:
            self.theme(theme)
        if r.monitor is not None:
            self.monitor()

    def colophon(self, themes: list[Theme]) -> None:
        self.new_page()
        self.doc.add_paragraph("Colofon", style="Tussenkop")
        self.publisher_lines()
        self.doc.add_paragraph("Over deze nota", style="Tussenkop 2")
        region = self.reports.region
        self.text(f"Deze nota zet de cijfers over integratie in {region} op een rij: per thema hoe {region} ervoor "
                  "staat, hoe dat zich verhoudt tot andere gebieden in hetzelfde jaar en welke kant het op gaat. "
                  f"Hoe de cijfers berekend zijn, de bronnen en alle tabellen staan in {REPORT_NAME}; alle "
                  "tabellen staan ook in de tabellenwerkmap.")
        self.doc.add_paragraph("Periode per thema", style="Tussenkop 2")
        for theme in themes:
            self.bullet(year_range(*coverage(theme), dash=EN_DASH), lead=f"{theme.title}: ")
        producers = [p for p in self.reports.sources() if not p.lower().startswith(("diverse", "onbekend"))]
        if producers:
            self.doc.add_paragraph("Bronnen", style="Tussenkop 2")
            self.text(f"Cijfers van onder meer {join_words(sorted(producers, key=str.casefold))}. Onder elke "
                      f"figuur en tabel staat de bron; de volledige lijst, met hoe betrouwbaar elke bron is, staat "
                      f"in {REPORT_NAME}.")
        if self.reports.notes:
            self.doc.add_paragraph("Niet opgenomen", style="Tussenkop 2")
            for note in self.reports.notes:
                self.bullet(note)

    def introduction(self, themes: list[Theme]) -> None:
        """What the nota is about and how to read it: the same for every municipality, with its own names."""
        r = self.reports
        region = r.region
        compared = sorted({c for t in themes for c in t.summary.parameters.comparison_regions})
        peers = next((k.peers.label for t in themes for k in t.summary.key_figures if k.peers is not None), "")
        self.new_page()
        self.heading("Inleiding", 1)
        self.text(f"Hoe staat het met de integratie in {region}? Deze nota laat het per thema zien: "
                  + join_words([t.title[:1].lower() + t.title[1:] for t in themes]) + ". Per thema staan eerst "
                  "twee of drie zinnen over de stand, een vergelijking en de richting, dan de kerncijfers en de "
                  "belangrijkste figuren." + (" Het laatste hoofdstuk zet de doelen uit de beleidsvisie naast de "
                                              "metingen." if r.monitor is not None else ""))
        self.heading("Zo leest u deze nota", 2)
        lines = [("Vergelijken. ", f"{region} wordt alleen vergeleken met een ander gebied in hetzelfde jaar"
                  + (f" ({join_words(compared)})" if compared else "") + ". Heeft een gebied in dat jaar geen "
                  "cijfer, dan staat dat erbij.")]
        if peers:
            lines.append(("Gemeenten van dezelfde grootte. ", f"Waar dat kan, staat {region} ook naast de "
                          f"{peers}: de mediaan is het middelste cijfer van die gemeenten."))
        lines += [("Richting. ", "Een stijging of daling heet zeker als de cijfers over alle jaren samen die "
                   "richting duidelijk laten zien; bij weinig metingen zegt de tekst dat het niet te zeggen is."),
                  ("Kleine aantallen. ", f"Aantallen personen kleiner dan {format_number(r.settings.small_count)} "
                   "staan er niet als getal, zodat niemand herkenbaar is."),
                  ("Figuren. ", "Onder elke figuur staan de bron en in een of twee zinnen hoe u de figuur leest."),
                  ("Meer weten. ", f"De werkwijze, alle bronnen met hun betrouwbaarheid en alle tabellen staan in "
                   f"{REPORT_NAME}; de tabellen ook in de tabellenwerkmap.")]
        for lead, text in lines:
            self.bullet(text, lead=lead)

    def summary(self, themes: list[Theme]) -> None:
        self.new_page()
        self.heading("Samenvatting", 1)
        for theme in themes:
            messages = nota_messages(theme.summary.messages, theme.summary.key_figures, SUMMARY_MESSAGES)
            if not messages:
                continue
            lead = self.text("")
            lead.add_run(theme.title).bold = True
            lead.paragraph_format.keep_with_next = True
            for message in messages:
                self.bullet(message)
        if self.reports.monitor is not None:
            counts = verdict_counts(self.reports.monitor)
            lead = self.text("")
            lead.add_run("Doelenmonitor").bold = True
            lead.paragraph_format.keep_with_next = True
            self.bullet(f"Van de {targets(counts)} uit de beleidsvisie: {verdicts(counts)}.")

    def theme(self, theme: Theme) -> None:
        self.new_page()
        self.heading(theme.title, 1)
        self.doc.add_paragraph(area_line(theme), style="Toelichting")
        messages = nota_messages(theme.summary.messages, theme.summary.key_figures, MESSAGES_PER_THEME)
        if messages:
            self.heading("In het kort", 2)
            for message in messages:
                self.bullet(message)
        if any(f.value is not None for f in theme.summary.key_figures):
            self.heading("Kerncijfers", 2)
            self.key_figures(theme)
        figures = nota_figures(theme)
        if figures:
            self.heading("Figuren", 2)
            for figure in figures:
                self.figure(figure)

    # ---- the target monitor: one table

    def monitor(self) -> None:
        monitor = self.reports.monitor
        self.text(f"De beleidsvisie noemt {targets(self.monitor_chapter())} met een "
                  "getal. Per doel: het doel, de meting waarmee het begon, de laatste meting en het oordeel. Een "
                  "oordeel kan pas als er genoeg metingen zijn; de laatste kolom zegt wat er daarvoor nodig is. Hoe "
                  f"het oordeel tot stand komt, staat in {REPORT_NAME}.")
        headers, rows = monitor_rows(self.reports)
        numeric = [False, True, True, False, False]
        add_table(self.doc, headers, rows, numeric, layout(headers, rows, numeric))
        self.doc.add_paragraph(monitor.source, style="Toelichting")


def _value(text: str, unit: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    decimals = published_decimals(text)
    return format_value(value, unit, decimals) if unit in VALUE_UNITS else format_number(value, decimals)


def _measured(value: str, year: str, unit: str) -> str:
    if not value:
        return EN_DASH
    return f"{_value(value, unit)} ({year})" if year else _value(value, unit)


def needed(row: dict, last_year: int) -> str:
    """What is needed before a target can be judged, in a reader's words ('–' when it is judged)."""
    verdict = row.get(contract.MONITOR_VERDICT_COLUMN, "")
    if verdict in JUDGED:
        return EN_DASH
    target_year = int(float(row["doel_jaar"])) if row.get("doel_jaar") else None
    measured = int(float(row["laatste_jaar"])) if row.get("laatste_jaar") else None
    years = int(float(row["n_jaren"])) if row.get("n_jaren") else 0
    if verdict == "onzeker":
        return "Meer metingen of een nauwkeuriger meting: nu laat de marge halen en niet halen allebei toe."
    if target_year is not None and target_year <= last_year and measured != target_year:
        return f"Een meting over {target_year}, het doeljaar."
    if years < 3:
        more = 3 - years
        return f"Nog {more} {'meting' if more == 1 else 'metingen'} van dezelfde bron (minstens drie meetjaren)."
    return EN_DASH


def monitor_rows(reports: Reports) -> tuple[list[str], list[list[str]]]:
    """The monitor as the nota shows it, from ``monitor.csv`` (the columns the table spec names, and the
    target year and number of measured years for what is needed)."""
    record = reports.monitor.record
    frame = pd.read_csv(Path(reports.root) / record.csv, dtype=str, keep_default_na=False)
    headers = ["Doel", "Begin", "Laatste meting", "Oordeel", "Nodig voor een oordeel"]
    last_year = reports.manifest.data_years[1]
    rows = []
    for row in frame.to_dict("records"):
        unit = row.get("eenheid", "")
        goal = row.get("doel_omschrijving") or row.get("label", "")
        group = row.get("groep_label", "")
        if group and group != "Totaal" and group.lower() not in goal.lower():
            goal = f"{goal} ({group[:1].lower() + group[1:]})"
        verdict = MONITOR_LABELS.get(row.get(contract.MONITOR_VERDICT_COLUMN, ""), "geen oordeel")
        start = row.get("basis_periode") or row.get("basis_jaar", "")
        rows.append([goal, _measured(row.get("basis_waarde", ""), start, unit),
                     _measured(row.get("laatste_waarde", ""), row.get("laatste_jaar", ""), unit),
                     verdict, needed(row, last_year)])
    return headers, rows


def write_nota(reports: Reports, path: Path) -> None:
    save(Nota(reports), path)
