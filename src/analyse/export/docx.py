"""``beleidsnota.docx``: the Word note, laid out as a municipal publication.

Order: title page; colophon (publisher, run date, sources per producer, method, contact); contents (a Word
TOC field that Word fills in when the note is opened); *Samenvatting* (per theme its strongest two or
three messages, one page); one chapter per theme (introduction, what it was compared with, key messages,
key figures, figures with numbered captions and their reading guide, caveats); the target monitor and
the check of the chapter-2 numbers (every register status counted and named on its own); *Bijlage* with
the data tables (a table too wide for a portrait page gets a landscape section).

The note is set in Arial; table columns are measured with Arial's metrics (:mod:`.widths`) so that no
word is broken: a table that does not fit gets a smaller font, then a landscape page. Language nl-NL is
set on the defaults, every style and every run (:mod:`.docx_style`; the tables: :mod:`.docx_tables`). Text
from the records is data: python-docx escapes it for XML and :func:`~analyse.export.read.clean` has taken
out the control characters XML cannot hold.
"""

from __future__ import annotations

import re
from datetime import timezone
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from analyse import contract
from analyse.export.docx_style import (DARK, GREY, LANGUAGE, add_caption, add_field, add_footer, every_run_in_dutch,
                                       page_setup, paragraph_with_lead, set_styles, text_width,
                                       update_fields_on_open)
from analyse.export.docx_tables import add_table, layout, published_cells
from analyse.export.read import (Reports, Table, Theme, log, png_size, register_counts, source_line,
                                 verdict_counts)
from analyse.text.label_texts import REGISTER_LABELS, REGISTER_STATUSES
from analyse.text.notation import EN_DASH, format_difference, format_number, format_value, join_words, year_range
from analyse.text.trend_texts import fdr_policy, registration_note

TOC_PLACEHOLDER = ("Klik met rechts en kies Veld bijwerken om de inhoudsopgave te tonen "
                   "(in Word gebeurt dit ook bij het openen).")
SUMMARY_LINES = 42  # lines of text that fit on the summary page under its heading
CHARS_PER_LINE = 88  # in 10 pt Arial on a 16 cm line
MAX_FIGURE_HEIGHT = 17.0  # cm: a figure, its caption and its reading guide fit on one page
PROBLEM_STATUSES = ("tekst_onjuist", "wijkt_af", "niet_aangetoond")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", ":")) else text + "."


class Note:
    def __init__(self, reports: Reports):
        self.reports = reports
        self.doc = docx.Document()
        self.figures = 0
        self.tables = 0
        self.landscape = False
        self.table_numbers: dict[int, int] = {}  # id(Table) -> number in the annex
        number = 0
        for table in self._annex_tables():
            number += 1
            self.table_numbers[id(table)] = number

    def _annex_tables(self) -> list[Table]:
        tables = [t for theme in self.reports.themes for t in theme.note_tables()]
        for table in (self.reports.monitor, self.reports.register, self.reports.trends):
            if table is not None and (table is not self.reports.trends or table.record.in_note):
                tables.append(table)
        return tables

    # ---- page structure

    def new_page(self, landscape: bool = False) -> None:
        if landscape != self.landscape:
            page_setup(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape)
            self.landscape = landscape
        else:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level=level)

    # ---- front matter

    def title_page(self) -> None:
        r, doc = self.reports, self.doc
        for _ in range(6):
            doc.add_paragraph()
        doc.add_paragraph(r.title, style="Title")
        subtitle = doc.add_paragraph()
        run = subtitle.add_run(r.subtitle)
        run.font.size, run.font.color.rgb = Pt(16), DARK
        subtitle.paragraph_format.space_after = Pt(60)
        settings = r.settings
        who = doc.add_paragraph()
        who.add_run(settings.organisation).bold = True
        if settings.department:
            who.add_run().add_break()
            who.add_run(settings.department)
        doc.add_paragraph(r.run_date)
        doc.add_paragraph(f"Gegevens over {r.years}")

    def colophon(self) -> None:
        r, doc, settings = self.reports, self.doc, self.reports.settings
        self.new_page()
        doc.add_paragraph("Colofon", style="Tussenkop")
        publisher = ", ".join(p for p in (settings.organisation, settings.department) if p)
        paragraph_with_lead(doc, publisher, bold_lead="Uitgave: ")
        paragraph_with_lead(doc, f"{r.run_date}. De cijfers gaan over {r.years}.", bold_lead="Datum van de analyse: ")
        if settings.contact:
            paragraph_with_lead(doc, settings.contact, bold_lead="Vragen en reacties: ")
        doc.add_paragraph("Werkwijze", style="Tussenkop 2")
        for sentence in self.method():
            doc.add_paragraph(sentence)
        doc.add_paragraph("Bronnen", style="Tussenkop 2")
        doc.add_paragraph("Per producent van de statistiek: de publicaties waarin de cijfers gevonden zijn. Een "
                          "primaire bron is de eigen publicatie van de producent, een secundaire bron haalt de "
                          "cijfers aan.", style="Toelichting")
        for producer, sources in r.sources().items():
            lead = paragraph_with_lead(doc, bold_lead=producer)
            lead.paragraph_format.space_after, lead.paragraph_format.keep_with_next = Pt(0), True
            for source in sources:
                item = doc.add_paragraph(source_line(source), style="List Bullet")
                if source.address:
                    item.add_run(f" {source.address}").font.color.rgb = GREY
        if r.notes:
            doc.add_paragraph("Niet opgenomen", style="Tussenkop 2")
            for note in r.notes:
                doc.add_paragraph(note, style="List Bullet")

    def method(self) -> list[str]:
        settings = self.reports.settings
        compared = [f"{theme.title}: {join_words(list(theme.summary.parameters.comparison_regions))}"
                    for theme in self.reports.themes if theme.summary.parameters.comparison_regions]
        mark = join_words([f"'{m}'" for m in self.reports.suppression_marks()])
        sentences = [
            "Elk cijfer hoort bij een reeks: de statistiek van één producent, met één definitie. Staat hetzelfde "
            "cijfer in meer publicaties, dan telt de nieuwste editie; verandert de definitie, dan begint een "
            "nieuwe reeks en wordt er niet overheen vergeleken.",
            "Een trend is geschat over alle meetjaren van een reeks, met een 95%-betrouwbaarheidsinterval: de "
            "band rond de trendlijn in de figuren. Hoe breder de band, hoe onzekerder de trend. Met minder dan "
            "drie meetjaren is er geen trend geschat.",
            fdr_policy(),
            registration_note(),
            f"Het verschil tussen twee percentages staat in procentpunt: van {format_value(23.3, 'procent', 1)} "
            f"naar {format_value(26.9, 'procent', 1)} is {format_difference(3.6, 'procent', 1)} erbij.",
            f"Aantallen personen kleiner dan {format_number(settings.small_count)} worden niet gepubliceerd, "
            f"zodat niemand herkenbaar is; in de tabellen staat dan {mark}.",
        ]
        if compared:
            sentences.append("Elk thema is vergeleken met andere gebieden, zoals bij de analyse gekozen: "
                             + "; ".join(compared) + ".")
        return sentences

    def contents(self) -> None:
        self.new_page()
        self.doc.add_paragraph("Inhoud", style="Tussenkop")
        paragraph = self.doc.add_paragraph()
        add_field(paragraph, 'TOC \\o "1-1" \\h \\z \\u', TOC_PLACEHOLDER)

    def summary(self) -> None:
        self.new_page()
        self.heading("Samenvatting", 1)
        chosen = self.summary_messages()
        for theme, messages in chosen:
            lead = self.doc.add_paragraph()
            lead.add_run(theme.title).bold = True
            lead.paragraph_format.keep_with_next = True
            lead.paragraph_format.space_before, lead.paragraph_format.space_after = Pt(6), Pt(2)
            for message in messages:
                self.doc.add_paragraph(message, style="List Bullet")

    def summary_messages(self) -> list[tuple[Theme, list[str]]]:
        """Per theme its first three messages, or two when three would not fit on one page."""
        themes = [t for t in self.reports.themes if t.summary.messages]

        def lines(count: int) -> int:
            return sum(2 + sum(1 + len(m) // CHARS_PER_LINE for m in t.summary.messages[:count]) for t in themes)

        count = 3 if lines(3) <= SUMMARY_LINES else 2
        return [(t, list(t.summary.messages[:count])) for t in themes]

    # ---- themes

    def theme(self, theme: Theme) -> None:
        summary, doc = theme.summary, self.doc
        self.new_page()
        self.heading(theme.title, 1)
        if summary.intro:
            doc.add_paragraph(summary.intro)
        doc.add_paragraph(self.comparison(theme), style="Toelichting")
        if summary.messages:
            self.heading("Kernboodschappen", 2)
            for message in summary.messages:
                doc.add_paragraph(message, style="List Bullet")
        if summary.key_figures:
            self.heading("Kerncijfers", 2)
            self.key_figures(theme)
        figures = [f for f in theme.figures if f.in_note]
        if figures:
            self.heading("Figuren", 2)
            for figure in figures:
                self.figure(figure)
        if summary.warnings:
            self.heading("Kanttekeningen", 2)
            for warning in summary.warnings:
                doc.add_paragraph(warning, style="List Bullet")
        numbers = [self.table_numbers[id(t)] for t in theme.note_tables()]
        if numbers:
            which = join_words([str(n) for n in numbers])
            doc.add_paragraph(f"De cijfers bij dit thema staan in de bijlage: tabel {which}."
                              if len(numbers) == 1 else
                              f"De cijfers bij dit thema staan in de bijlage: tabellen {which}.", style="Toelichting")

    def comparison(self, theme: Theme) -> str:
        params = theme.summary.parameters
        period = year_range(params.start_year, params.end_year, dash=EN_DASH)
        regions = list(params.comparison_regions)
        if regions:
            return f"Gebied: {params.region}, vergeleken met {join_words(regions)}. Periode: {period}."
        return f"Gebied: {params.region}, zonder vergelijking met andere gebieden. Periode: {period}."

    def key_figures(self, theme: Theme) -> None:
        headers = ["Kerncijfer", "Jaar", theme.summary.parameters.region, "Ter vergelijking"]
        rows = []
        for figure in theme.summary.key_figures:
            label = figure.label
            if figure.group != "totaal" and figure.group_label and figure.group_label.lower() not in label.lower():
                label += f" ({figure.group_label.lower()})"
            if figure.estimate:
                label += " (schatting)"
            others = "; ".join(f"{b.region} {b.text}" + (f" ({b.year})" if b.year != figure.year else "")
                               for b in figure.benchmarks)
            rows.append([label, str(figure.year), figure.text, others or "–"])
        if not any(r[3] != "–" for r in rows):
            headers, rows = headers[:3], [r[:3] for r in rows]
        numeric = [False, True, True, False][:len(headers)]
        add_table(self.doc, headers, rows, numeric, layout(headers, rows, numeric, landscape=False))
        sources = list(dict.fromkeys(f.source for f in theme.summary.key_figures if f.source))
        if sources:
            self.doc.add_paragraph(" ".join(_sentence(s) for s in sources), style="Toelichting")

    def figure(self, figure) -> None:
        doc = self.doc
        path = self.reports.root / figure.png
        width, size = text_width(False), png_size(path)
        if size and size[1] / size[0] * width > MAX_FIGURE_HEIGHT:  # a tall figure: as high as fits
            shape = doc.add_picture(str(path), height=Cm(MAX_FIGURE_HEIGHT))
        else:
            shape = doc.add_picture(str(path), width=Cm(width))
        shape._inline.docPr.set("descr", figure.alt or figure.title)
        shape._inline.docPr.set("title", figure.title)
        picture = doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        picture.paragraph_format.space_after = Pt(0)
        self.figures += 1
        caption = add_caption(doc, "Figuur", self.figures, figure.title)
        if figure.guidance:
            caption.paragraph_format.keep_with_next = True
            guide = doc.add_paragraph(style="Leeswijzer")
            guide.add_run("Zo leest u deze figuur: ").bold = True
            guide.add_run(figure.guidance)
        else:
            caption.paragraph_format.space_after = Pt(14)

    # ---- monitor and register

    def monitor(self) -> None:
        monitor, doc = self.reports.monitor, self.doc
        self.new_page()
        self.heading("Doelenmonitor", 1)
        counts = verdict_counts(monitor)
        total = sum(n for _, n in counts)
        doc.add_paragraph(
            f"De doelenmonitor volgt {format_number(total)} {'doel' if total == 1 else 'doelen'} uit de "
            "beleidsvisie. Per doel staan de basis, de laatste meting en een oordeel: komt het doel binnen bereik, "
            "gezien de trend en de onzekerheid daarvan? Het oordeel per doel:")
        for verdict, n in counts:
            doc.add_paragraph(f"{verdict}: {format_number(n)} {'doel' if n == 1 else 'doelen'}", style="List Bullet")
        if monitor.record.notes:
            self.heading("Zo komt het oordeel tot stand", 2)
            for note in monitor.record.notes:
                doc.add_paragraph(note, style="List Bullet")
        doc.add_paragraph(f"De hele doelenmonitor staat in de bijlage: tabel {self.table_numbers[id(monitor)]}.",
                          style="Toelichting")

    def register(self) -> None:
        register, doc = self.reports.register, self.doc
        self.new_page()
        self.heading("Controle van de cijfers in hoofdstuk 2", 1)
        counts = register_counts(register)
        total = sum(n for _, _, n in counts)
        doc.add_paragraph(
            f"Hoofdstuk 2 van de beleidsvisie bevat {format_number(total)} "
            f"{'bewering' if total == 1 else 'beweringen'} met een "
            "getal. Per bewering is nagegaan of het getal met de gegevens van deze analyse na te rekenen is. "
            "Elke uitkomst staat hieronder apart geteld:")
        meanings = REGISTER_STATUSES
        for code, label, n in counts:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{label}: {format_number(n)}").bold = True
            if code in meanings:
                paragraph.add_run(f" – {meanings[code]}")
        transcribed = next((n for code, _, n in counts if code == "overgenomen"), 0)
        checked = next((n for code, _, n in counts if code == "klopt"), 0)
        if transcribed:
            doc.add_paragraph(
                f"Let op: {format_number(transcribed)} {'getal is' if transcribed == 1 else 'getallen zijn'} "
                "alleen overgenomen "
                "uit de beleidsvisie. Daarvoor was geen eigen bron beschikbaar; ze zijn dus niet gecontroleerd en "
                f"tellen niet mee bij de {format_number(checked)} "
                f"{'bewering die klopt' if checked == 1 else 'beweringen die kloppen'}.")
        problems = self.problem_claims()
        if problems:
            self.heading("Beweringen die niet kloppen of niet zijn aangetoond", 2)
            for claim, outcome, note in problems:
                paragraph = doc.add_paragraph(style="List Bullet")
                paragraph.add_run(f"{outcome[0].upper()}{outcome[1:]}: ").bold = True
                paragraph.add_run(f"‘{claim}’")
                if note:
                    paragraph.add_run(f" {_sentence(note)}")
        doc.add_paragraph(f"Alle beweringen met hun uitkomst staan in de bijlage: tabel "
                          f"{self.table_numbers[id(register)]}.", style="Toelichting")

    def problem_claims(self) -> list[tuple[str, str, str]]:
        register = self.reports.register
        status = register.column(contract.REGISTER_STATUS_COLUMN)
        claim = register.column("citaat")
        note = register.column("toelichting")
        labels = {REGISTER_LABELS[c] for c in PROBLEM_STATUSES}
        if status is None or claim is None:
            return []
        return [(row[claim].text, row[status].text, row[note].text if note is not None else "")
                for row in register.rows if row[status].text in labels]

    # ---- annex

    def annex(self) -> None:
        tables = self._annex_tables()
        if not tables:
            return
        first = True
        current_theme = object()
        for table in tables:
            headers, rows, numeric = published_cells(table)
            plan = layout(headers, rows, numeric)
            if first or plan.landscape != self.landscape:
                self.new_page(plan.landscape)
            if first:
                self.heading("Bijlage: tabellen", 1)
                first = False
            theme_title = next((t.title for t in self.reports.themes if t.code == table.theme), None)
            group = theme_title or "Doelenmonitor en controle"
            if group != current_theme:
                self.heading(group, 2)
                current_theme = group
            caption = add_caption(self.doc, "Tabel", self.table_numbers[id(table)], table.title)
            caption.paragraph_format.keep_with_next = True
            add_table(self.doc, headers, rows, numeric, plan)
            below = [table.source, *table.record.notes]
            text = " ".join(_sentence(t) for t in below if t)
            if text:
                self.doc.add_paragraph(text, style="Toelichting")
            self.doc.paragraphs[-1].paragraph_format.space_after = Pt(14)

    # ---- all

    def build(self):
        doc = self.doc
        set_styles(doc)
        section = doc.sections[0]
        page_setup(section, landscape=False)
        section.different_first_page_header_footer = True
        add_footer(section)
        self.title_page()
        self.colophon()
        self.contents()
        self.summary()
        for theme in self.reports.themes:
            self.theme(theme)
        if self.reports.monitor is not None:
            self.monitor()
        if self.reports.register is not None:
            self.register()
        self.annex()
        update_fields_on_open(doc)
        every_run_in_dutch(doc)
        self.properties()
        return doc

    def properties(self) -> None:
        r, core = self.reports, self.doc.core_properties
        created = r.created.astimezone(timezone.utc).replace(tzinfo=None)
        core.title = r.title
        core.subject = r.subtitle
        core.author = core.last_modified_by = r.settings.organisation
        core.created = core.modified = created
        core.language = LANGUAGE
        core.comments = ""
        core.keywords = "integratie; indicatoren"
        core.category = "Beleidsnota"
        core.revision = 1


_CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def codes_in(document) -> list[str]:
    """snake_case words in the note's text: codes that a theme passed where a reader needs a label."""
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return sorted({code for text in texts for code in _CODE.findall(text)})


def write_docx(reports: Reports, path: Path) -> None:
    document = Note(reports).build()
    codes = codes_in(document)
    if codes:
        log.warning("De beleidsnota bevat codes waar een lezer een label verwacht: %s", ", ".join(codes))
    document.save(str(path))
