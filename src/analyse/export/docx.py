"""``beleidsnota.docx``: the Word note, laid out as a municipal publication.

Order: title page; colophon (publisher, run date, sources per producer, method, contact); contents (a Word
TOC field that Word fills in when the note is opened); *Samenvatting* (per theme its strongest two or
three messages, one page); one chapter per theme (introduction, what it was compared with, key messages,
key figures, figures with numbered captions and their reading guide, caveats); the target monitor and
the check of the chapter-2 numbers (every register status counted and named on its own); *Bijlage* with
the data tables (a table too wide for a portrait page gets a landscape section).

The note is set in Arial; table columns are measured with Arial's metrics (:mod:`.widths`) so that no
word is broken: a table that does not fit gets a smaller font, then a landscape page. Language nl-NL is
set on the defaults, every style and every run. Text from the records is data: python-docx escapes it
for XML and :func:`~analyse.export.read.clean` has taken out the control characters XML cannot hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analyse import contract
from analyse.export import widths
from analyse.export.read import (
    Reports, Table, Theme, log, png_size, register_counts, source_line, verdict_counts,
)
from analyse.text.label_texts import REGISTER_LABELS, REGISTER_STATUSES
from analyse.text.notation import EN_DASH, format_difference, format_number, format_value, join_words, year_range

FONT = "Arial"
LANGUAGE = "nl-NL"
PAGE = (21.0, 29.7)  # A4, cm
MARGIN = 2.5
DARK = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x4A, 0x4A, 0x4A)
TOC_PLACEHOLDER = ("Klik met rechts en kies Veld bijwerken om de inhoudsopgave te tonen "
                   "(in Word gebeurt dit ook bij het openen).")
CELL_MARGIN = 0.19  # cm on either side of a Word table cell (default cell margins)
SAFETY = 0.15  # cm per column on top of the measured width
# (landscape, font size in pt), tried in this order until every word of the table fits whole
LAYOUTS = ((False, 9.0), (False, 8.0), (True, 9.0), (True, 8.0), (True, 7.5), (True, 7.0))
SUMMARY_LINES = 42  # lines of text that fit on the summary page under its heading
CHARS_PER_LINE = 88  # in 10 pt Arial on a 16 cm line
MAX_FIGURE_HEIGHT = 17.0  # cm: a figure, its caption and its reading guide fit on one page
PROBLEM_STATUSES = ("tekst_onjuist", "wijkt_af", "niet_aangetoond")


# --------------------------------------------------------------------------- low-level helpers

def _text_width(landscape: bool) -> float:
    return (PAGE[1] if landscape else PAGE[0]) - 2 * MARGIN


def _page_setup(section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE[1], PAGE[0]) if landscape else PAGE
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(MARGIN)
    section.footer_distance = Cm(1.2)


def _field(paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, SEQ, TOC) with ``shown`` as its current result."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # Word recomputes the field when it opens the file
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _set_fonts(rpr_owner, name: str = FONT) -> None:
    """Arial for every script, replacing the template's theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        successor = next((rpr.find(qn(t)) for t in _RPR_AFTER_LANG if rpr.find(qn(t)) is not None), None)
        if successor is not None:
            successor.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _styles(doc) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_language(rpr)
    normal = styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for spec in (("Heading 1", 16, 18, 8), ("Heading 2", 12.5, 14, 4), ("Heading 3", 11, 10, 2)):
        name, size, before, after = spec
        style = styles[name]
        style.font.size, style.font.color.rgb, style.font.bold = Pt(size), DARK, True
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(after)
    title = styles["Title"]
    title.font.size, title.font.color.rgb, title.font.bold = Pt(28), DARK, True
    title.paragraph_format.space_after = Pt(12)
    caption = styles["Caption"]
    caption.font.size, caption.font.color.rgb, caption.font.bold = Pt(9.5), DARK, True
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.space_after = Pt(2)
    lead = styles.add_style("Tussenkop", WD_STYLE_TYPE.PARAGRAPH)  # a heading that stays out of the contents
    lead.base_style = normal
    lead.font.size, lead.font.bold, lead.font.color.rgb = Pt(16), True, DARK
    lead.paragraph_format.space_after, lead.paragraph_format.keep_with_next = Pt(10), True
    lead2 = styles.add_style("Tussenkop 2", WD_STYLE_TYPE.PARAGRAPH)
    lead2.base_style = normal
    lead2.font.size, lead2.font.bold, lead2.font.color.rgb = Pt(12), True, DARK
    lead2.paragraph_format.space_before, lead2.paragraph_format.space_after = Pt(10), Pt(4)
    lead2.paragraph_format.keep_with_next = True
    small = styles.add_style("Toelichting", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size, small.font.color.rgb = Pt(8.5), GREY
    small.paragraph_format.space_before, small.paragraph_format.space_after = Pt(3), Pt(4)
    guide = styles.add_style("Leeswijzer", WD_STYLE_TYPE.PARAGRAPH)
    guide.base_style = normal
    guide.font.size, guide.font.italic, guide.font.color.rgb = Pt(9), True, GREY
    guide.paragraph_format.space_after = Pt(14)
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) and style.element.get(qn("w:styleId")):
            if style.type == WD_STYLE_TYPE.PARAGRAPH and style.name.startswith(("Heading", "Title", "Normal",
                                                                                 "Caption", "List", "TOC")):
                _set_fonts(style.element)
            _set_language(style.element.get_or_add_rPr())
    subtitle_numbering = styles["Subtitle"].element.find(qn("w:pPr"))
    if subtitle_numbering is not None and subtitle_numbering.find(qn("w:numPr")) is not None:
        subtitle_numbering.remove(subtitle_numbering.find(qn("w:numPr")))


def _every_run_in_dutch(doc) -> None:
    parts = [doc.element.body] + [s.footer._element for s in doc.sections]
    for part in parts:
        for run in part.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                run.insert(0, rpr)
            _set_language(rpr)


_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.insert_element_before(update, *_SETTINGS_AFTER_UPDATE_FIELDS)
    update.set(qn("w:val"), "true")
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), LANGUAGE)
    for name, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):  # Dutch, as Word sets them
        element = settings.find(qn(name))
        if element is not None:
            element.set(qn("w:val"), value)


def _footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def _paragraph(doc, text: str = "", style: str | None = None, bold_lead: str = ""):
    paragraph = doc.add_paragraph(style=style)
    if bold_lead:
        paragraph.add_run(bold_lead).bold = True
    if text:
        paragraph.add_run(text)
    return paragraph


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", ":")) else text + "."


# --------------------------------------------------------------------------- tables

@dataclass
class Layout:
    landscape: bool
    size: float
    widths: list[float]  # cm


def _measure(headers: list[str], rows: list[list[str]], numeric: list[bool], size: float
             ) -> tuple[list[float], list[float], list[float]]:
    """Per column the least width (its widest word, so no word breaks), the width it would like (its
    longest text up to 7 cm) and the width of its longest text on one line."""
    least, want, whole = [], [], []
    pad = 2 * CELL_MARGIN + SAFETY
    for j, number in enumerate(numeric):
        body = [row[j] for row in rows]
        word = max([widths.longest_word(headers[j], size, bold=True)]
                   + [widths.longest_word(t, size) for t in body])
        if number:  # a number is one word; never broken
            word = max([word] + [widths.text_width(t, size) for t in body])
        full = max([widths.text_width(headers[j], size, bold=True) * 0.5]
                   + [widths.text_width(t, size) for t in body])
        least.append(word + pad)
        want.append(max(word, min(full, 7.0)) + pad)
        whole.append(max(word, full) + pad)
    return least, want, whole


def layout(headers: list[str], rows: list[list[str]], numeric: list[bool], landscape: bool = True) -> Layout:
    """The first of :data:`LAYOUTS` (portrait 9 pt, portrait 8 pt, landscape 9 pt, ...) in which every
    word fits whole.

    Spare width goes to the columns with long texts. Only when no layout fits (a word longer than a
    landscape page allows) are all columns narrowed, and the longest words may break. ``landscape=False``:
    portrait only (a table inside a chapter).
    """
    candidates = [c for c in LAYOUTS if landscape or not c[0]]
    for turned, size in candidates:
        total = _text_width(turned)
        least, want, whole = _measure(headers, rows, numeric, size)
        if sum(least) <= total:
            if sum(want) <= total:  # room to spare: to the columns whose texts still wrap
                grow = [w1 - w0 for w0, w1 in zip(want, whole)]
                spare = total - sum(want)
                if sum(grow) > 0:
                    want = [w + min(g, spare * g / sum(grow)) for w, g in zip(want, grow)]
                return Layout(turned, size, want)
            spare = (total - sum(least)) / (sum(want) - sum(least))
            return Layout(turned, size, [m + (w - m) * spare for m, w in zip(least, want)])
    total, size = _text_width(landscape), candidates[-1][1]
    least, _, _ = _measure(headers, rows, numeric, size)
    scale = total / sum(least)
    return Layout(landscape, size, [m * scale for m in least])


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _table_properties(table, total_cm: float) -> None:
    """Width and light borders; ``table.autofit = False`` has set the fixed layout (Word keeps the widths).
    Elements go in the order of the schema (Word refuses a file whose order is off)."""
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.insert_element_before(width, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                                    "w:tblLayout", "w:tblCellMar", "w:tblLook")
    width.set(qn("w:w"), str(int(total_cm / 2.54 * 1440)))
    width.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "A6B3C2")
        borders.append(element)
    tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                "w:tblDescription")


def _row_flags(row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)


def add_table(doc, headers: list[str], rows: list[list[str]], numeric: list[bool], plan: Layout) -> None:
    table = doc.add_table(rows=len(rows) + 1, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _table_properties(table, sum(plan.widths))
    for j, width in enumerate(plan.widths):
        table.columns[j].width = Cm(width)
    for r, (row, texts) in enumerate(zip(table.rows, [headers] + rows)):
        _row_flags(row, header=r == 0)
        for j, (cell, text) in enumerate(zip(row.cells, texts)):
            cell.width = Cm(plan.widths[j])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
            run = paragraph.add_run(text)
            run.font.size = Pt(plan.size)
            if r == 0:
                run.bold = True
                _shade(cell, "E3E9F1")
            if numeric[j]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _published(table: Table) -> tuple[list[str], list[list[str]], list[bool]]:
    keep = table.filled()
    headers = [table.headers()[j] for j in keep]
    rows = [[row[j].text for j in keep] for row in table.rows]
    numeric = [table.is_number(j) for j in keep]
    return headers, rows, numeric


def _caption(doc, label: str, number: int, title: str):
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f". {title}")
    return paragraph


# --------------------------------------------------------------------------- the note

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
            _page_setup(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape)
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
        who.add_run(settings.municipality).bold = True
        if settings.department:
            who.add_run().add_break()
            who.add_run(settings.department)
        doc.add_paragraph(r.run_date)
        doc.add_paragraph(f"Gegevens over {r.years}")

    def colophon(self) -> None:
        r, doc, settings = self.reports, self.doc, self.reports.settings
        self.new_page()
        doc.add_paragraph("Colofon", style="Tussenkop")
        _paragraph(doc, ", ".join(p for p in (settings.municipality, settings.department) if p), bold_lead="Uitgave: ")
        _paragraph(doc, f"{r.run_date}. De cijfers gaan over {r.years}.", bold_lead="Datum van de analyse: ")
        if settings.contact:
            _paragraph(doc, settings.contact, bold_lead="Vragen en reacties: ")
        doc.add_paragraph("Werkwijze", style="Tussenkop 2")
        for sentence in self.method():
            doc.add_paragraph(sentence)
        doc.add_paragraph("Bronnen", style="Tussenkop 2")
        doc.add_paragraph("Per producent van de statistiek: de publicaties waarin de cijfers gevonden zijn. Een "
                          "primaire bron is de eigen publicatie van de producent, een secundaire bron haalt de "
                          "cijfers aan.", style="Toelichting")
        for producer, sources in r.sources().items():
            lead = _paragraph(doc, bold_lead=producer)
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
        _field(paragraph, 'TOC \\o "1-1" \\h \\z \\u', TOC_PLACEHOLDER)

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
        width, size = _text_width(False), png_size(path)
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
        caption = _caption(doc, "Figuur", self.figures, figure.title)
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
            headers, rows, numeric = _published(table)
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
            caption = _caption(self.doc, "Tabel", self.table_numbers[id(table)], table.title)
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
        _styles(doc)
        section = doc.sections[0]
        _page_setup(section, landscape=False)
        section.different_first_page_header_footer = True
        _footer(section)
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
        _update_fields_on_open(doc)
        _every_run_in_dutch(doc)
        self.properties()
        return doc

    def properties(self) -> None:
        r, core = self.reports, self.doc.core_properties
        created = r.created.astimezone(timezone.utc).replace(tzinfo=None)
        core.title = r.title
        core.subject = r.subtitle
        core.author = core.last_modified_by = r.settings.municipality
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
