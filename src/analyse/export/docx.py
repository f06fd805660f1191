"""The parts the two Word documents share (:mod:`.nota` for council and public, :mod:`.rapport` the
technical report beside it): pages, headings, a title page, the contents field, figures with their
caption and reading guide, the key-figure table, annex tables, the document properties, and saving.

Both documents start from the house-style template (:mod:`.docx_style`: A4, Arial, nl-NL, the headings
and paragraph styles). Table columns are measured with Arial's metrics (:mod:`.docx_tables`) so that no
word is broken. Text from the records is data: python-docx escapes it for XML and
:func:`~analyse.export.read.clean` has taken out the control characters XML cannot hold. Every running
text goes through :meth:`Publication.text`, which explains each abbreviation at its first use
(:class:`~analyse.export.plain.Abbreviations`).
"""

from __future__ import annotations

from datetime import timezone
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analyse.export.docx_style import (DARK, LANGUAGE, add_caption, add_field, add_footer, every_run_in_dutch,
                                       new_document, page_setup, text_width, update_fields_on_open)
from analyse.export.docx_tables import add_table, layout, published_cells
from analyse.export.plain import Abbreviations, visible_problems
from analyse.export.read import Reports, Table, Theme, log, png_size, verdict_counts
from analyse.text.notation import EN_DASH, format_number, join_words, year_range

TOC_PLACEHOLDER = ("Klik met rechts en kies Veld bijwerken om de inhoudsopgave te tonen "
                   "(in Word gebeurt dit ook bij het openen).")
MAX_FIGURE_HEIGHT = 17.0  # cm: a figure, its caption and its reading guide fit on one page


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", ":")) else text + "."


def coverage(theme: Theme) -> tuple[int, int]:
    """The years a theme's figures really cover: from its first year to its newest key figure (the window's
    last year when it has none)."""
    params = theme.summary.parameters
    newest = max((k.year for k in theme.summary.key_figures), default=params.end_year)
    return params.start_year, min(max(newest, params.start_year), params.end_year)


def newest_years(themes: list[Theme]) -> str:
    """'2017–2024': the range of the newest figures over the themes (what the title page promises)."""
    ends = [coverage(t)[1] for t in themes]
    return year_range(min(ends), max(ends), dash=EN_DASH) if ends else ""


def area_line(theme: Theme) -> str:
    """'Maassluis, vergeleken met Rotterdam en Nederland; cijfers over 2009–2018.'"""
    params = theme.summary.parameters
    period = year_range(*coverage(theme), dash=EN_DASH)
    regions = list(params.comparison_regions)
    if regions:
        return f"{params.region}, vergeleken met {join_words(regions)}; cijfers over {period}."
    return f"{params.region}; cijfers over {period}."


def key_figure_label(figure) -> str:
    """'Inwoners naar herkomst (%) (niet-westerse migratieachtergrond)': the indicator and, when it is not the
    total, the group; '(schatting)' for an estimate."""
    label = figure.label
    if figure.group != "totaal" and figure.group_label and figure.group_label.lower() not in label.lower():
        label += f" ({figure.group_label[:1].lower() + figure.group_label[1:]})"
    return label + (" (schatting)" if figure.estimate else "")


def benchmark_text(figure) -> str:
    """The comparison of a key figure: other areas and the municipalities of the same size, all of its
    comparison year (said when it is not the key figure's own year); '–' when there is none."""
    if figure.comparison_year is None:
        return EN_DASH
    parts = [f"{b.region} {b.text}" for b in figure.benchmarks]
    if figure.peers is not None:
        parts.append(f"mediaan {figure.peers.label} {figure.peers.text.split(' (')[0].removeprefix('mediaan ')}")
    if not parts:
        return EN_DASH
    text = "; ".join(parts)
    if figure.comparison_year != figure.year:
        own = f"; {figure.region} toen {figure.comparison_text}" if figure.comparison_text else ""
        return f"in {figure.comparison_year}: {text}{own}"
    return text


def targets(counts: list[tuple[str, int]]) -> str:
    """How many targets the verdicts of :func:`analyse.export.read.verdict_counts` judge: '1 doel', '12 doelen'."""
    total = sum(n for _, n in counts)
    return f"{format_number(total)} {'doel' if total == 1 else 'doelen'}"


def verdicts(counts: list[tuple[str, int]]) -> str:
    """The verdicts counted: '3 gehaald, 2 op koers en 7 onvoldoende data'."""
    return join_words([f"{format_number(n)} {verdict}" for verdict, n in counts])


class Publication:
    """One Word document built from the reports: subclasses lay out its chapters in :meth:`body`."""

    category = ""
    title_suffix = ""
    figure_width = text_width(False)  # cm

    def __init__(self, reports: Reports):
        self.reports = reports
        self.doc = new_document()
        self.figures = 0
        self.landscape = False
        self.abbreviations = Abbreviations()

    # ---- page structure

    @property
    def title(self) -> str:
        return self.reports.title + self.title_suffix

    def new_page(self, landscape: bool = False) -> None:
        if landscape != self.landscape:
            page_setup(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape)
            self.landscape = landscape
        else:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level=level)

    def text(self, text: str, style: str | None = None, *, lead: str = ""):
        """A paragraph of running text (abbreviations explained at their first use), with a bold ``lead``."""
        paragraph = self.doc.add_paragraph(style=style)
        if lead:
            paragraph.add_run(lead).bold = True
        if text:
            paragraph.add_run(self.abbreviations.explain(text))
        return paragraph

    def bullet(self, text: str, lead: str = ""):
        return self.text(text, "List Bullet", lead=lead)

    # ---- front matter

    def title_page(self, subtitle: str, lines: list[str]) -> None:
        doc, settings = self.doc, self.reports.settings
        for _ in range(6):
            doc.add_paragraph()
        doc.add_paragraph(self.title, style="Title")
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(subtitle)
        run.font.size, run.font.color.rgb = Pt(16), DARK
        paragraph.paragraph_format.space_after = Pt(60)
        who = doc.add_paragraph()
        who.add_run(settings.organisation).bold = True
        if settings.department:
            who.add_run().add_break()
            who.add_run(settings.department)
        for line in lines:
            doc.add_paragraph(line)

    def contents(self) -> None:
        self.new_page()
        self.doc.add_paragraph("Inhoud", style="Tussenkop")
        add_field(self.doc.add_paragraph(), 'TOC \\o "1-1" \\h \\z \\u', TOC_PLACEHOLDER)

    def publisher_lines(self) -> None:
        r, settings = self.reports, self.reports.settings
        publisher = ", ".join(p for p in (settings.organisation, settings.department) if p)
        self.text(publisher, lead="Uitgave: ")
        self.text(f"{r.run_date}.", lead="Datum van de analyse: ")
        if settings.contact:
            self.text(settings.contact, lead="Vragen en reacties: ")

    # ---- figures and tables

    def figure(self, figure) -> None:
        doc = self.doc
        path = self.reports.root / figure.png
        width, size = self.figure_width, png_size(path)
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
            guide.add_run(self.abbreviations.explain(figure.guidance))
        else:
            caption.paragraph_format.space_after = Pt(14)

    def key_figures(self, theme: Theme) -> None:
        """The theme's key figures: whose number, of which year, and its comparison of the same year."""
        figures = [f for f in theme.summary.key_figures if f.value is not None]
        if not figures:
            return
        headers = ["Kerncijfer", "Gebied", "Jaar", "Waarde", "Ter vergelijking (zelfde jaar)"]
        rows = []
        for figure in figures:
            rows.append([key_figure_label(figure), figure.region, str(figure.year), figure.text,
                         benchmark_text(figure)])
        if all(r[4] == EN_DASH for r in rows):
            headers, rows = headers[:4], [r[:4] for r in rows]
        numeric = [False, False, True, True, False][:len(headers)]
        add_table(self.doc, headers, rows, numeric, layout(headers, rows, numeric, landscape=False))
        sources = list(dict.fromkeys(f.source for f in figures if f.source))
        if sources:
            self.doc.add_paragraph(" ".join(sentence(s) for s in sources), style="Toelichting")

    def table(self, table: Table, number: int, headers=None, rows=None, numeric=None) -> None:
        """An annex table with its numbered caption, on a landscape page when it is too wide."""
        if headers is None:
            headers, rows, numeric = published_cells(table)
        plan = layout(headers, rows, numeric)
        if plan.landscape != self.landscape:
            self.new_page(plan.landscape)
        caption = add_caption(self.doc, "Tabel", number, table.title)
        caption.paragraph_format.keep_with_next = True
        add_table(self.doc, headers, rows, numeric, plan)
        below = [table.source, *table.record.notes]
        text = " ".join(sentence(t) for t in below if t)
        if text:
            self.doc.add_paragraph(text, style="Toelichting")
        self.doc.paragraphs[-1].paragraph_format.space_after = Pt(14)

    # ---- all

    def body(self) -> None:
        raise NotImplementedError

    def monitor_chapter(self) -> list[tuple[str, int]]:
        """Open the chapter of the target monitor on a new page; the verdicts with their counts."""
        self.new_page()
        self.heading("Doelenmonitor", 1)
        return verdict_counts(self.reports.monitor)

    def breaks_before(self) -> None:
        """Every page break the body put in a paragraph of its own moved onto the next paragraph ('page break
        before'): a break paragraph after a full page would otherwise leave an empty page."""
        body = self.doc.element.body
        for paragraph in list(body.iterchildren(qn("w:p"))):
            runs = paragraph.findall(qn("w:r"))
            if len(runs) != 1 or [c.tag for c in runs[0] if c.tag != qn("w:rPr")] != [qn("w:br")]:
                continue
            if runs[0].find(qn("w:br")).get(qn("w:type")) != "page":
                continue
            following = paragraph.getnext()
            if following is None or following.tag != qn("w:p") or following.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") \
                    is not None:
                continue
            following.get_or_add_pPr().get_or_add_pageBreakBefore()
            body.remove(paragraph)

    def build(self):
        section = self.doc.sections[0]
        page_setup(section, landscape=False)
        section.different_first_page_header_footer = True
        add_footer(section)
        self.body()
        self.breaks_before()
        update_fields_on_open(self.doc)
        every_run_in_dutch(self.doc)
        self.properties()
        return self.doc

    def properties(self) -> None:
        r, core = self.reports, self.doc.core_properties
        created = r.created.astimezone(timezone.utc).replace(tzinfo=None)
        core.title = self.title
        core.subject = r.subtitle
        core.author = core.last_modified_by = r.settings.organisation
        core.created = core.modified = created
        core.language = LANGUAGE
        core.comments = ""
        core.keywords = "integratie; indicatoren"
        core.category = self.category
        core.revision = 1


def texts_of(document) -> list[str]:
    """Every paragraph of a document: body, table cells, footers."""
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    texts += [p.text for s in document.sections for p in s.footer.paragraphs]
    return texts


def codes_in(document) -> list[str]:
    """What a reader should not see in a document's text: codes, file names, None/nan, English numbers."""
    return sorted({problem for text in texts_of(document) for problem in visible_problems(text)})


def save(publication: Publication, path: Path) -> None:
    document = publication.build()
    codes = codes_in(document)
    if codes:
        log.warning("%s bevat codes waar een lezer een label verwacht: %s", publication.category, ", ".join(codes))
    document.save(str(path))
