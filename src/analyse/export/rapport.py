"""``technisch-rapport.docx``: the technical report beside the nota, for whoever wants to check it.

Title page, colophon, contents; *Werkwijze* (series, trends, comparisons, small numbers, the monitor's
rules, the abbreviations); *Bronnen*, graded (primary, secondary, estimate, not citable); per theme every
key message (also those with method words, which the nota leaves out) and its caveats; the target monitor
in full; the check of the claims of the policy document (only in the reports of the municipality whose
document it is: the run has a register only then), with every claim quoted; *Bijlage A* the data tables
(the key table of every theme and the tables marked for print); *Bijlage B* the inventory of available data
(per theme which series exist for which areas and years). Tables too wide for a portrait page get a landscape
section.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Pt

from analyse import contract
from analyse.export.docx import Publication, area_line, save, sentence, targets, verdicts
from analyse.export.docx_tables import published_cells
from analyse.export.nota import chapters
from analyse.export.read import Reports, Table, register_counts, source_line
from analyse.text.label_texts import REGISTER_LABELS, REGISTER_STATUSES
from analyse.text.trend_texts import fdr_policy, registration_note
from analyse.text.notation import format_difference, format_number, format_value, join_words

INVENTORY_TABLE = "beschikbaarheid"
"""``TableRecord.name`` of a theme's inventory: which series exist for which areas and years."""
PROBLEM_STATUSES = ("tekst_onjuist", "wijkt_af", "niet_aangetoond")
GRADE_ORDER = (("primair", "Primaire bronnen",
                "De eigen publicatie van de producent van het cijfer (CBS StatLine, een jaarverslag)."),
               ("secundair", "Secundaire bronnen",
                "Een andere publicatie die het cijfer van de producent aanhaalt (een begroting, een nieuwsbericht)."),
               ("schatting", "Schattingen", "Een schatting van de uitgever zelf, geen telling."),
               ("niet_citeerbaar", "Niet citeerbaar",
                "De publicatie noemt niet waar het cijfer vandaan komt; het cijfer is hier alleen ter "
                "oriëntatie gebruikt."))


def grade(source: contract.Source) -> str:
    """'primair', 'secundair', 'schatting' or 'niet_citeerbaar' (the original producer is not known)."""
    if (source.producer or "").lower().startswith("onbekend") or not source.name:
        return "niet_citeerbaar"
    return source.grade if source.grade in ("primair", "secundair", "schatting") else "niet_citeerbaar"


def quoted(text: str) -> str:
    """A quotation from the policy document, marked as one: ‘…’."""
    text = text.strip()
    return f"‘{text}’" if text and not text.startswith(("‘", "“", "'", '"')) else text


class TechnicalReport(Publication):
    category = "Technisch rapport"
    title_suffix = ": technisch rapport"

    def __init__(self, reports: Reports):
        super().__init__(reports)
        self.numbers: dict[int, int] = {}  # id(Table) -> its number in this report
        for table in self.tables_in_order():
            self.numbers[id(table)] = len(self.numbers) + 1

    def annex_tables(self) -> list[Table]:
        tables = [t for theme in chapters(self.reports) for t in theme.note_tables()]
        trends = self.reports.trends
        return tables + ([trends] if trends is not None and trends.record.in_note else [])

    def inventory_tables(self) -> list[Table]:
        return [t for theme in chapters(self.reports) for t in theme.tables if t.record.name == INVENTORY_TABLE]

    def tables_in_order(self) -> list[Table]:
        run = [t for t in (self.reports.monitor, self.reports.register) if t is not None]
        return run + self.annex_tables() + self.inventory_tables()

    def body(self) -> None:
        r = self.reports
        self.title_page("Werkwijze, bronnen, controle en tabellen bij de nota", [r.run_date])
        self.colophon()
        self.contents()
        self.method()
        self.sources()
        self.themes()
        if r.monitor is not None:
            self.monitor()
        if r.register is not None:
            self.register()
        self.annex("Bijlage A: tabellen", self.annex_tables())
        self.annex("Bijlage B: inventaris van de beschikbare gegevens", self.inventory_tables())
        self.abbreviation_list()

    def colophon(self) -> None:
        self.new_page()
        self.doc.add_paragraph("Colofon", style="Tussenkop")
        self.publisher_lines()
        self.text(f"Dit rapport hoort bij de nota {self.reports.title}. Het legt uit hoe de cijfers in de nota tot "
                  "stand kwamen, welke bronnen erachter staan en hoe betrouwbaar die zijn, en het bevat de tabellen. "
                  "Alle tabellen staan ook in de tabellenwerkmap, als getallen om mee te rekenen.")

    # ---- method

    def method(self) -> None:
        r, settings = self.reports, self.reports.settings
        self.new_page()
        self.heading("Werkwijze", 1)
        mark = join_words([f"'{m}'" for m in r.suppression_marks()])
        paragraphs = [
            ("Reeksen. ", "Elk cijfer hoort bij een reeks: de statistiek van één producent, met één definitie. Staat "
             "hetzelfde cijfer in meer publicaties, dan telt de nieuwste editie; verandert de definitie, dan begint "
             "een nieuwe reeks en wordt er niet overheen vergeleken."),
            ("Vergelijken. ", "Een gebied wordt alleen vergeleken met andere gebieden in hetzelfde jaar en in "
             "dezelfde reeks. Heeft een gebied in dat jaar geen cijfer, dan zegt de tekst dat. Gemeenten worden "
             "ook vergeleken met de gemeenten van dezelfde grootteklasse van het CBS: de mediaan en de middelste "
             "helft van hun cijfers."),
            ("Trends. ", "Een trend is geschat over alle meetjaren van een reeks (lineaire regressie; bij "
             "percentages met tellers en noemers een binomiaal model, bij tellingen een Poisson-model), met een "
             "95%-betrouwbaarheidsinterval: de band rond de trendlijn in de figuren. Met minder dan drie meetjaren "
             "is er geen trend geschat. Opeenvolgende jaren die in dezelfde richting van de trendlijn afwijken "
             "(getoetst met de Durbin-Watson-statistiek) maken het interval te smal; de tekst zegt dat dan."),
            ("Veel toetsen. ", fdr_policy()),
            ("Tellingen. ", registration_note()),
            ("Verschillen tussen groepen. ", "Of twee herkomstgroepen naar elkaar toe groeien, is op twee manieren "
             "bekeken: absoluut (het verschil in procentpunt per jaar) en relatief (de odds ratio per jaar). Zijn "
             "die het niet eens, dan zegt de tekst dat het van de maatstaf afhangt."),
            ("Procentpunt. ", f"Het verschil tussen twee percentages staat in procentpunt: van "
             f"{format_value(23.3, 'procent', 1)} naar {format_value(26.9, 'procent', 1)} is "
             f"{format_difference(3.6, 'procent', 1)} erbij."),
            ("Kleine aantallen. ", f"Aantallen personen kleiner dan {format_number(settings.small_count)} worden "
             f"niet gepubliceerd, zodat niemand herkenbaar is; in de tabellen staat dan {mark}, in de werkmap een "
             "lege cel met een opmerking ernaast. Een cijfer op weinig waarnemingen krijgt een kanttekening."),
        ]
        for lead, text in paragraphs:
            self.text(text, lead=lead)
        compared = [f"{theme.title}: {join_words(list(theme.summary.parameters.comparison_regions))}"
                    for theme in chapters(r) if theme.summary.parameters.comparison_regions]
        if compared:
            self.text("; ".join(compared) + ".", lead="Vergelijkingsgebieden per thema. ")

    def sources(self) -> None:
        self.new_page()
        self.heading("Bronnen", 1)
        self.text("Per bron: de publicatie, wie het cijfer maakte (producent) en wie het publiceerde, en hoe "
                  "betrouwbaar de bron is als vindplaats.")
        graded: dict[str, list[tuple[str, contract.Source]]] = {}
        for producer, sources in self.reports.sources().items():
            for source in sources:
                graded.setdefault(grade(source), []).append((producer, source))
        for code, title, meaning in GRADE_ORDER:
            if code not in graded:
                continue
            self.heading(f"{title} ({format_number(len(graded[code]))})", 2)
            self.doc.add_paragraph(meaning, style="Toelichting")
            for producer, source in graded[code]:
                line = source_line(source).rsplit(" – ", 1)[0]
                item = self.bullet(f"{line}; cijfers van {producer}.")
                if source.address:
                    item.add_run(f" {source.address}").font.size = Pt(8.5)

    # ---- per theme: every message and caveat

    def themes(self) -> None:
        self.new_page()
        self.heading("Uitkomsten per thema", 1)
        self.text("Per thema alle kernboodschappen, ook die met de termen van de methode die de nota weglaat, en "
                  "de kanttekeningen bij de cijfers.")
        for theme in chapters(self.reports):
            self.heading(theme.title, 2)
            self.doc.add_paragraph(area_line(theme), style="Toelichting")
            for message in theme.summary.messages:
                self.bullet(message)
            if theme.summary.warnings:
                self.text("", lead="Kanttekeningen")
                for warning in theme.summary.warnings:
                    self.bullet(warning)
            numbers = [self.numbers[id(t)] for t in theme.note_tables() if id(t) in self.numbers]
            if numbers:
                which = join_words([str(n) for n in numbers])
                self.doc.add_paragraph(f"Tabel {which} in bijlage A." if len(numbers) == 1 else
                                       f"Tabellen {which} in bijlage A.", style="Toelichting")

    # ---- monitor and register

    def monitor(self) -> None:
        monitor = self.reports.monitor
        counts = self.monitor_chapter()
        self.text(f"De doelenmonitor volgt {targets(counts)} uit de beleidsvisie. Per doel staan de basis, de laatste "
                  "meting en een oordeel: komt het doel binnen bereik, gezien de trend en de onzekerheid daarvan? "
                  f"Uitkomst: {verdicts(counts)}.")
        if monitor.record.notes:
            self.heading("Zo komt het oordeel tot stand", 2)
            for note in monitor.record.notes:
                label, _, rule = note.partition(": ")
                self.bullet(rule, lead=f"{label[:1].upper()}{label[1:]}: ") if rule else self.bullet(note)
        self.table(monitor, self.numbers[id(monitor)])

    def register(self) -> None:
        register = self.reports.register
        document = self.reports.settings.policy_document or "de beleidsvisie"
        self.new_page()
        self.heading("Controle van de cijfers in de beleidsvisie", 1)
        counts = register_counts(register)
        total = sum(n for _, _, n in counts)
        self.text(f"De beleidsvisie ‘{document}’ bevat {format_number(total)} "
                  f"{'bewering' if total == 1 else 'beweringen'} met een getal. Per bewering is nagegaan of het "
                  "getal met de gegevens van deze analyse na te rekenen is. Elke uitkomst staat hieronder apart "
                  "geteld:")
        for code, label, n in counts:
            self.bullet(REGISTER_STATUSES.get(code, ""), lead=f"{label}: {format_number(n)} – ")
        transcribed = next((n for code, _, n in counts if code == "overgenomen"), 0)
        checked = next((n for code, _, n in counts if code == "klopt"), 0)
        if transcribed:
            self.text(f"Let op: {format_number(transcribed)} {'getal is' if transcribed == 1 else 'getallen zijn'} "
                      "alleen overgenomen uit de beleidsvisie. Daarvoor was geen eigen bron beschikbaar; ze zijn dus "
                      f"niet gecontroleerd en tellen niet mee bij de {format_number(checked)} "
                      f"{'bewering die klopt' if checked == 1 else 'beweringen die kloppen'}.")
        problems = self.problem_claims()
        if problems:
            self.heading("Beweringen die niet kloppen of niet zijn aangetoond", 2)
            for claim, outcome, note in problems:
                item = self.bullet("", lead=f"{outcome[0].upper()}{outcome[1:]}: ")
                item.add_run(quoted(claim))
                if note:
                    item.add_run(f" {sentence(note)}")
        headers, rows, numeric = published_cells(register)
        citation = register.column("citaat")
        if citation is not None and citation in register.filled():
            j = register.filled().index(citation)
            rows = [[quoted(c) if k == j else c for k, c in enumerate(row)] for row in rows]
        self.heading("Alle beweringen", 2)
        self.text("De citaten staan tussen aanhalingstekens, letterlijk zoals ze in de beleidsvisie staan.",
                  "Toelichting")
        self.table(register, self.numbers[id(register)], headers, rows, numeric)

    def problem_claims(self) -> list[tuple[str, str, str]]:
        register = self.reports.register
        status, claim = register.column(contract.REGISTER_STATUS_COLUMN), register.column("citaat")
        note = register.column("toelichting")
        labels = {REGISTER_LABELS[c] for c in PROBLEM_STATUSES}
        if status is None or claim is None:
            return []
        return [(row[claim].text, row[status].text, row[note].text if note is not None else "")
                for row in register.rows if row[status].text in labels]

    # ---- annexes

    def annex(self, title: str, tables: list[Table]) -> None:
        if not tables:
            return
        self.new_page()
        self.heading(title, 1)
        current = None
        for table in tables:
            group = next((t.title for t in self.reports.themes if t.code == table.theme), "Alle thema's")
            if group != current:
                self.heading(group, 2)
                current = group
            self.table(table, self.numbers[id(table)])

    def abbreviation_list(self) -> None:
        used = self.abbreviations.used()
        if not used:
            return
        self.new_page(False)
        self.heading("Afkortingen", 1)
        for word, meaning in sorted(used, key=lambda item: item[0].lower()):
            self.doc.add_paragraph(style="List Bullet").add_run(f"{word}: {meaning}")


def write_report(reports: Reports, path: Path) -> None:
    save(TechnicalReport(reports), path)
