"""Publication exports built from the files that `analyse run` wrote into ``reports/``.

Everything here reads ``reports/`` only (see docs/rapportage.md) and never reruns an analysis:
``tabellen.xlsx`` (openpyxl), ``beleidsnota.docx`` (python-docx) and ``index.html`` (one offline page).
Each file is written to a temporary file next to it and moved into place when complete.

A theme table is published with the columns its ``kolommen`` name, in that order (the CSV keeps the
codes for reuse). In the Word note a figure gets a numbered caption; its source line is part of the
image, so it is not repeated as text (the image's alt text holds title and source). A table wider than
:data:`PORTRAIT_MAX_COLUMNS` columns gets a landscape page. The target monitor appears once, in its
own landscape section; when a theme has it as key table, the theme's version (title, source,
columns) is shown there and not again in the theme.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import docx
import pandas as pd
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from analyse.data import THEMES, write_atomic
from analyse.text import format_number

log = logging.getLogger(__name__)

DOCUMENT_TITLE = "Analyse integratie-indicatoren Maassluis"
REGISTER_TITLE = "Reproductie van hoofdstuk 2"
MONITOR_TITLE = "Doelenmonitor"
MAX_EXCEL_WIDTH = 60  # characters; longer texts wrap
TEXT_WIDTH_CM = 16.0  # A4 with 2.5 cm margins: figures and tables use the full text width
PORTRAIT_MAX_COLUMNS = 7  # a Word table with more columns gets a landscape page
WORD_MAX = 15  # characters: a longer word (a long code) may break in a narrow Word table column
FLOAT_NOISE_DECIMALS = 10  # '3.599999999999998' (26.9 - 23.3 in binary floating point) is 3.6

# Dutch headers for the columns of monitor.csv and reproductie.csv (other columns: name made readable).
DUTCH_HEADERS = {
    "id": "Nr.", "thema": "Thema", "indicator": "Indicator (code)", "label": "Indicator",
    "indicator_label": "Indicator", "regio": "Regio", "groep": "Groep", "eenheid": "Eenheid",
    "basis_waarde": "Basis", "basis_jaar": "Basisjaar", "basis_periode": "Basisperiode",
    "laatste_waarde": "Laatste meting", "laatste_jaar": "Jaar laatste meting",
    "laatste_periode": "Periode laatste meting", "doel_waarde": "Doel", "doel_jaar": "Doeljaar",
    "doel_type": "Soort doel", "doel_omschrijving": "Doel (omschrijving)", "richting": "Gewenste richting",
    "oordeel": "Oordeel", "status": "Status", "toelichting": "Toelichting", "citaat": "Citaat",
    "vindplaats": "Vindplaats", "verwacht": "Volgens document", "berekend": "Herberekend",
    "herberekend": "Herberekend", "uitkomst": "Herberekend", "decimalen": "Decimalen",
    "berekening": "Berekening", "jaar": "Jaar", "jaar_tot": "Tot jaar", "noemer_indicator": "Noemer",
    "noemer_groep": "Groep in noemer", "bron": "Bron", "laatste_bron": "Bron laatste meting",
    "trend_bron": "Bron trendreeks",
}
STATUS_LABELS = {"klopt": "klopt", "wijkt_af": "wijkt af", "geen_data": "geen data"}
CODE_COLUMNS = ("status", "oordeel")  # values are codes ('onvoldoende_data'): shown with spaces
# Register columns shown in the note and on the page, when the CSV has them (the workbook has all).
REGISTER_COLUMNS = ("id", "thema", "citaat", "verwacht", "berekend", "herberekend", "uitkomst", "status",
                    "toelichting")
DEVIATION_COLUMNS = ("id", "citaat", "verwacht", "berekend", "herberekend", "uitkomst", "toelichting")
# Monitor columns in print (the workbook has all): what the target is and where it stands.
MONITOR_COLUMNS = ("label", "indicator_label", "eenheid", "doel_omschrijving", "groep", "basis_waarde",
                   "basis_jaar", "basis_periode", "laatste_waarde", "laatste_jaar", "laatste_periode",
                   "doel_waarde", "doel_jaar", "projectie", "oordeel", "toelichting")

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ExportError(Exception):
    """The reports folder holds nothing to publish."""


# --------------------------------------------------------------------------- reading reports/

@dataclass(frozen=True)
class Column:
    name: str
    header: str
    numeric: bool  # every filled cell is a number
    year: bool


@dataclass(frozen=True)
class Cell:
    value: str | int | float | None
    decimals: int = 0  # decimals to show for a number: as written in the CSV, never fewer


@dataclass
class Table:
    titel: str
    bron: str
    columns: list[Column]
    rows: list[list[Cell]]
    path: Path | None = None  # the CSV it was read from

    def column_index(self, name: str) -> int | None:
        names = [c.name for c in self.columns]
        return names.index(name) if name in names else None


@dataclass
class Theme:
    thema: str
    titel: str
    parameters: dict
    kernboodschappen: list[str]
    figuren: list[dict]
    tabellen: list[Table]
    sleuteltabel: Table | None
    waarschuwingen: list[str]


@dataclass
class Reports:
    root: Path
    themes: list[Theme]
    monitor: Table | None
    register: Table | None
    notes: list[str] = field(default_factory=list)  # Dutch: what was skipped and why


def _is_year_column(name: str) -> bool:
    """Years and periods are labels: 2018 is shown as '2018', never '2.018'."""
    return any(part in ("jaar", "periode") for part in name.split("_"))


def _denoise(text: str) -> str:
    """A number written with binary floating-point noise ('3.599999999999998') as the number it is
    ('3.6'); every other text unchanged."""
    text = text.strip()
    if _NUMBER.fullmatch(text) and len(text.partition(".")[2]) > FLOAT_NOISE_DECIMALS:
        return repr(round(float(text), FLOAT_NOISE_DECIMALS))
    return text


def _parse(text: str) -> str | int | float | None:
    text = text.strip()
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def _decimals(text: str) -> int:
    """Significant decimals as written: '23.3' -> 1, '32518.0' -> 0 (pandas writes floats with '.0')."""
    return len(text.strip().partition(".")[2].rstrip("0"))


def _column_cells(texts: list[str], shared: bool) -> tuple[list[Cell], bool]:
    """Cells of one column and whether it is numeric.

    Every number keeps the decimals written in the CSV. In one series (``shared``) a numeric column
    shows all its numbers with the most decimals written, so 5.0 next to 5.7 reads '5,0'; across
    indicators (register, monitor, a table with units) each number keeps its own.
    """
    texts = [_denoise(t) for t in texts]
    values = [_parse(t) for t in texts]
    own = [0 if v is None or isinstance(v, str) else _decimals(t) for v, t in zip(values, texts)]
    filled = [v for v in values if v is not None]
    numeric = bool(filled) and not any(isinstance(v, str) for v in filled)
    if numeric and shared:
        own = [max(own)] * len(own)
    return [Cell(v, d) for v, d in zip(values, own)], numeric


def read_table(path: Path, titel: str, bron: str, headers: dict[str, str] | None = None,
               series: bool = False) -> Table:
    """Read a reports CSV keeping the decimals as written; ``headers`` maps columns to Dutch headers
    and, when given, names the columns to publish (in its order; the others are left out).

    ``series``: the table may be one series (a theme table); its numeric columns then share their
    decimals, unless it holds several indicators (several values in an indicator or label column) or
    several units (an ``eenheid`` column).
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    indicators = [c for c in ("indicator", "label", "indicator_label") if c in raw.columns]
    shared = (series and "eenheid" not in raw.columns
              and all(raw[c].nunique() <= 1 for c in indicators))
    if headers:
        raw = raw[[name for name in headers if name in raw.columns]]
    columns, cells = [], []
    for name in raw.columns:
        texts = [str(t) for t in raw[name]]
        column_cells, numeric = _column_cells(texts, shared)
        if _is_year_column(name) and not numeric:  # '2017' among 'juli 2018': all period labels
            column_cells = [Cell(t.strip() or None) for t in texts]
        header = (headers or {}).get(name) or DUTCH_HEADERS.get(name) or name.replace("_", " ").capitalize()
        columns.append(Column(name, header, numeric, _is_year_column(name)))
        cells.append(column_cells)
    return Table(titel, bron, columns, [list(row) for row in zip(*cells)], Path(path))


def _theme_order(tables_dir: Path) -> list[str]:
    found = {p.parent.name for p in tables_dir.glob("*/kerncijfers.json")} if tables_dir.is_dir() else set()
    return list(THEMES) + sorted(found - set(THEMES))


def _read_theme(root: Path, path: Path, notes: list[str]) -> Theme:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ExportError(f"{path.relative_to(root)} is geen geldige JSON: {error}") from error
    thema = data.get("thema", path.parent.name)
    titel = data.get("titel") or thema
    figuren = []
    for figuur in data.get("figuren", []):
        if (root / figuur["png"]).is_file():
            figuren.append(figuur)
        else:
            notes.append(f"{titel}: figuur {figuur['png']} ontbreekt en is overgeslagen.")
    tabellen, sleutel = [], None
    for spec in data.get("tabellen", []):
        csv = root / spec["csv"]
        if not csv.is_file():
            notes.append(f"{titel}: tabel {spec['csv']} ontbreekt en is overgeslagen.")
            continue
        table = read_table(csv, spec.get("titel", spec["naam"]), spec.get("bron", ""), spec.get("kolommen"),
                           series=True)
        tabellen.append(table)
        if spec["naam"] == data.get("sleuteltabel"):
            sleutel = table
    if data.get("sleuteltabel") and sleutel is None:
        notes.append(f"{titel}: sleuteltabel '{data['sleuteltabel']}' is niet gevonden.")
    return Theme(thema, titel, data.get("parameters", {}), list(data.get("kernboodschappen", [])), figuren,
                 tabellen, sleutel, list(data.get("waarschuwingen", [])))


def _theme_titles(table: Table, titles: dict[str, str]) -> None:
    """Theme codes in the ``thema`` column replaced by the theme titles (a reader knows those)."""
    index = table.column_index("thema")
    if index is not None:
        for row in table.rows:
            row[index] = Cell(titles.get(row[index].value, row[index].value))


def load_reports(reports_dir: Path) -> Reports:
    """Collect what `analyse run` wrote; missing parts become Dutch notes, nothing at all is an error."""
    root = Path(reports_dir)
    notes: list[str] = []
    themes = []
    for thema in _theme_order(root / "tables"):
        path = root / "tables" / thema / "kerncijfers.json"
        if path.is_file():
            themes.append(_read_theme(root, path, notes))
        else:
            notes.append(f"Thema '{thema}' is overgeslagen: tables/{thema}/kerncijfers.json ontbreekt.")
    if not themes:
        raise ExportError(f"Geen kerncijfers gevonden in {root}/tables/*/kerncijfers.json: "
                          "voer eerst `analyse run` uit.")
    monitor = register = None
    if (root / "monitor.csv").is_file():
        monitor = read_table(root / "monitor.csv", MONITOR_TITLE, "")
    else:
        notes.append("De doelenmonitor ontbreekt (monitor.csv).")
    if (root / "reproductie.csv").is_file():
        register = read_table(root / "reproductie.csv", "Reproductieregister hoofdstuk 2", "")
        _theme_titles(register, {theme.thema: theme.titel for theme in themes})
    else:
        notes.append("Het reproductieregister ontbreekt (reproductie.csv).")
    return Reports(root, themes, monitor, register, notes)


# --------------------------------------------------------------------------- formatting

def display(cell: Cell, column: Column) -> str:
    """A cell as published: Dutch number notation, status words readable, an empty number as a dash."""
    value = cell.value
    if value is None:
        return format_number(None) if column.numeric else ""
    if isinstance(value, str):
        return _code_label(value) if column.name in CODE_COLUMNS else value
    if column.year and float(value).is_integer():
        return str(int(value))
    return format_number(value, decimals=cell.decimals)


def _code_label(value: str) -> str:
    return STATUS_LABELS.get(value, value.replace("_", " "))


def parameter_line(reports: Reports) -> str:
    """'Regio: Maassluis; vergeleken met ...; periode 2009-2018' from the first theme's parameters."""
    params = reports.themes[0].parameters
    parts = []
    if params.get("regio"):
        parts.append(f"Regio: {params['regio']}")
    if params.get("vergelijk_regios"):
        parts.append("vergeleken met " + ", ".join(params["vergelijk_regios"]))
    if params.get("start_jaar") and params.get("eind_jaar"):
        parts.append(f"periode {params['start_jaar']}–{params['eind_jaar']}")
    return "; ".join(parts)


def _select(table: Table, preferred: tuple[str, ...]) -> list[int]:
    """Indices of the preferred columns the table has, in that order; all columns if it has none."""
    wanted = [i for name in preferred if (i := table.column_index(name)) is not None]
    return wanted or list(range(len(table.columns)))


def _monitor_columns(table: Table) -> list[int]:
    return _select(table, MONITOR_COLUMNS)


def _monitor_key_table(reports: Reports) -> Table | None:
    """A theme's key table that is the monitor itself (the same file content), if any."""
    if reports.monitor is None or reports.monitor.path is None:
        return None
    content = reports.monitor.path.read_bytes()
    return next((t.sleuteltabel for t in reports.themes if t.sleuteltabel is not None
                 and t.sleuteltabel.path is not None and t.sleuteltabel.path.read_bytes() == content), None)


def _filled(table: Table, indices: list[int]) -> list[int]:
    """The columns among ``indices`` that hold anything (an empty column says nothing in print)."""
    return [i for i in indices if any(row[i].value is not None for row in table.rows)]


def status_counts(register: Table) -> list[tuple[str, int]]:
    """(Dutch status, number of claims) in register order of first appearance."""
    index = register.column_index("status")
    if index is None:
        return []
    counts = pd.Series([row[index].value for row in register.rows]).value_counts(sort=False)
    return [(STATUS_LABELS.get(s, s), int(n)) for s, n in counts.items()]


def _deviations(register: Table) -> list[list[Cell]]:
    index = register.column_index("status")
    return [] if index is None else [row for row in register.rows if row[index].value == "wijkt_af"]


# --------------------------------------------------------------------------- workbook

def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", title)[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _excel_format(cell: Cell, column: Column) -> str:
    if column.year:
        return "0"
    return "#,##0" + ("." + "0" * cell.decimals if cell.decimals else "")


def _put_table(sheet, table: Table, start_row: int, widths: dict[int, int]) -> tuple[int, int]:
    """Write title, headers, data and source from ``start_row``; return (header row, next free row)."""
    sheet.cell(start_row, 1, table.titel).font = Font(bold=True, size=12)
    header_row = start_row + 1
    fill = PatternFill("solid", fgColor="DDE4EE")
    for j, column in enumerate(table.columns, start=1):
        cell = sheet.cell(header_row, j, column.header)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(horizontal="right" if column.numeric else "left", wrap_text=True)
        widths[j] = max(widths.get(j, 0), len(column.header))
    row = header_row
    for row, values in enumerate(table.rows, start=header_row + 1):
        for j, (column, cell) in enumerate(zip(table.columns, values), start=1):
            value = cell.value
            if column.name in CODE_COLUMNS and isinstance(value, str):
                value = _code_label(value)
            target = sheet.cell(row, j, value)
            if isinstance(value, (int, float)):
                target.number_format = _excel_format(cell, column)
            elif isinstance(value, str) and len(value) > MAX_EXCEL_WIDTH:
                target.alignment = Alignment(wrap_text=True, vertical="top")
            widths[j] = max(widths.get(j, 0), len(display(cell, column)))
    if table.bron:
        sheet.cell(row + 1, 1, table.bron).font = Font(italic=True, size=9)
        row += 1
    return header_row, row + 2


def _fill_sheet(sheet, tables: list[Table]) -> None:
    widths: dict[int, int] = {}
    row, header_rows = 1, []
    for table in tables:
        header_row, row = _put_table(sheet, table, row, widths)
        header_rows.append(header_row)
    for j, width in widths.items():
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 10), MAX_EXCEL_WIDTH)
    if len(tables) == 1:  # with one table the header can stay in view
        sheet.freeze_panes = sheet.cell(header_rows[0] + 1, 1)


def _save_workbook(reports: Reports, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for theme in reports.themes:
        key_first = sorted(theme.tabellen, key=lambda table: table is not theme.sleuteltabel)
        _fill_sheet(book.create_sheet(_sheet_name(theme.titel, taken)), key_first)
    if reports.monitor is not None:
        _fill_sheet(book.create_sheet(_sheet_name(MONITOR_TITLE, taken)), [reports.monitor])
    if reports.register is not None:
        _fill_sheet(book.create_sheet(_sheet_name("Reproductie", taken)), [reports.register])
    book.save(path)


def write_workbook(reports_dir: Path, out: Path) -> Path:
    """``tabellen.xlsx``: one sheet per theme with its tables (the key table first), plus Doelenmonitor
    (all columns) and Reproductie."""
    return _write(Path(out), _save_workbook, _loaded(reports_dir))


# --------------------------------------------------------------------------- Word note

def _add_field_caption(doc, label: str, number: int, title: str):
    """A Word caption 'Figuur N. titel' whose number is a SEQ field (so Word can list figures/tables)."""
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    for kind, text in (("begin", None), ("instr", f" SEQ {label} \\* ARABIC "), ("separate", None),
                       ("result", str(number)), ("end", None)):
        run = paragraph.add_run()
        if kind == "result":
            run.text = text
        elif kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    paragraph.add_run(f". {title}")
    paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def _add_source(doc, text: str) -> None:
    if not text:
        return
    run = doc.add_paragraph().add_run(text)
    run.italic, run.font.size = True, Pt(8)


def _repeat_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _column_widths(rows: list[list[str]], numeric: list[bool], total: float, size: float = 9) -> list[float]:
    """Column widths in cm for ``rows`` (header first) in a ``size`` pt font.

    A number is never broken, nor a word of up to :data:`WORD_MAX` characters (a longer one, such as
    a long code, may break); when even that does not fit, the numbers keep their width and the text
    columns with the longest words are narrowed first. What is left of ``total`` goes to the columns
    with long texts.
    """
    char, pad = 0.022 * size, 0.45  # cm per character (wide fonts included), cell margins
    least, want = [], []
    for j, num in enumerate(numeric):
        body = [row[j] for row in rows[1:]]
        header = [1.15 * len(w) for w in rows[0][j].split()]  # bold
        word = max(header + [len(w) for t in body for w in t.split()], default=1)
        longest = max((len(t) for t in body), default=1)
        least.append(max(word, longest) * char + pad if num else min(word, WORD_MAX) * char + pad)
        want.append(max(least[-1], min(longest, 45) * char + pad))
    if sum(want) <= total:
        return want
    if sum(least) >= total:
        numbers = sum(m for m, num in zip(least, numeric) if num)
        texts = sum(least) - numbers
        if numbers >= total or not texts:
            return [total * m / sum(least) for m in least]
        cap = _water_level(sorted(m for m, num in zip(least, numeric) if not num), total - numbers)
        return [m if num else min(m, cap) for m, num in zip(least, numeric)]
    spare = (total - sum(least)) / (sum(want) - sum(least))
    return [m + (w - m) * spare for m, w in zip(least, want)]


def _water_level(widths: list[float], budget: float) -> float:
    """The cap c with sum(min(w, c) for w in ``widths``) == ``budget`` (``widths`` sorted ascending)."""
    below = 0.0
    for i, width in enumerate(widths):
        if below + width * (len(widths) - i) >= budget:
            return (budget - below) / (len(widths) - i)
        below += width
    return widths[-1]


def _add_word_table(doc, table: Table, indices: list[int], width: float) -> None:
    indices = _filled(table, indices)
    if not indices:
        return
    columns = [table.columns[i] for i in indices]
    rows = [[c.header for c in columns]] + [[display(row[i], table.columns[i]) for i in indices]
                                            for row in table.rows]
    size = 9 if len(columns) <= PORTRAIT_MAX_COLUMNS else 8
    widths = [Cm(w) for w in _column_widths(rows, [c.numeric for c in columns], width, size)]
    word = doc.add_table(rows=len(rows), cols=len(columns))
    word.style, word.alignment, word.autofit = "Table Grid", WD_TABLE_ALIGNMENT.CENTER, False
    for j, width in enumerate(widths):
        word.columns[j].width = width
    # row.cells once per row: Table.cell(r, j) rescans the whole table on every call (quadratic)
    for r, (word_row, texts) in enumerate(zip(word.rows, rows)):
        for j, (cell, column, text) in enumerate(zip(word_row.cells, columns, texts)):
            cell.width = widths[j]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size, run.bold = Pt(size), r == 0
            if column.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(word.rows[0])


def _add_figure(doc, figuur: dict, root: Path, counters: dict[str, int]) -> None:
    """The image (title and source line are in it), then its numbered caption."""
    shape = doc.add_picture(str(root / figuur["png"]), width=Cm(TEXT_WIDTH_CM))
    alt = ". ".join(part for part in (figuur.get("titel", ""), figuur.get("bron", "")) if part)
    shape._inline.docPr.set("descr", alt)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    counters["Figuur"] += 1
    caption = _add_field_caption(doc, "Figuur", counters["Figuur"], figuur.get("titel", ""))
    caption.paragraph_format.space_after = Pt(12)


def _add_theme(doc, theme: Theme, root: Path, counters: dict[str, int], key_table: bool = True) -> None:
    doc.add_heading(theme.titel, level=1)
    if theme.kernboodschappen:
        doc.add_heading("Kernboodschappen", level=2)
        for message in theme.kernboodschappen:
            doc.add_paragraph(message, style="List Bullet")
    if theme.waarschuwingen:
        paragraph = doc.add_paragraph()
        paragraph.add_run("Kanttekeningen. ").bold = True
        paragraph.add_run(" ".join(theme.waarschuwingen))
    for figuur in theme.figuren:
        if figuur.get("nota", True):  # figures the notebook drew only for completeness stay out of the note
            _add_figure(doc, figuur, root, counters)
    if key_table and theme.sleuteltabel is not None:
        table = theme.sleuteltabel
        indices = list(range(len(table.columns)))
        width = TEXT_WIDTH_CM
        if len(_filled(table, indices)) > PORTRAIT_MAX_COLUMNS:
            width = _page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        _add_table_with_caption(doc, table, indices, counters, width)


def _add_table_with_caption(doc, table: Table, indices: list[int], counters: dict[str, int],
                            width: float = TEXT_WIDTH_CM) -> None:
    counters["Tabel"] += 1
    _add_field_caption(doc, "Tabel", counters["Tabel"], table.titel).paragraph_format.keep_with_next = True
    _add_word_table(doc, table, indices, width)
    _add_source(doc, table.bron)


def _add_register(doc, register: Table, counters: dict[str, int]) -> None:
    counts = status_counts(register)
    if counts:
        doc.add_paragraph("Uitkomst van de herberekening per bewering: "
                          + "; ".join(f"{status}: {n}" for status, n in counts) + ".")
    deviations = _deviations(register)
    if not deviations:
        doc.add_paragraph("Geen van de herberekende beweringen wijkt af van het document.")
        return
    table = Table("Beweringen uit hoofdstuk 2 die niet kloppen", "", register.columns, deviations)
    _add_table_with_caption(doc, table, _select(register, DEVIATION_COLUMNS), counters)


def _page_setup(section, landscape: bool) -> float:
    """A4 with 2.5 cm margins; returns the text width in cm."""
    short, long = 21.0, 29.7
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (long, short) if landscape else (short, long)
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    return width - 5.0


def _is_landscape(section) -> bool:
    return section.orientation == WD_ORIENT.LANDSCAPE


def _save_docx(reports: Reports, path: Path) -> None:
    doc = docx.Document()
    _page_setup(doc.sections[0], landscape=False)
    doc.add_heading(DOCUMENT_TITLE, level=0)
    doc.add_paragraph(parameter_line(reports))
    if reports.notes:
        doc.add_paragraph("Niet opgenomen:")
        for note in reports.notes:
            doc.add_paragraph(note, style="List Bullet")
    counters = {"Figuur": 0, "Tabel": 0}
    monitor = _monitor_key_table(reports)
    for theme in reports.themes:
        if _is_landscape(doc.sections[-1]):
            _page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        else:
            doc.add_page_break()
        _add_theme(doc, theme, reports.root, counters, key_table=theme.sleuteltabel is not monitor)
    if reports.monitor is not None:  # many columns: a landscape page
        width = _page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        doc.add_heading(MONITOR_TITLE, level=1)
        if monitor is not None:  # the theme's version: its title, source and columns
            _add_table_with_caption(doc, monitor, list(range(len(monitor.columns))), counters, width)
        else:
            _add_table_with_caption(doc, reports.monitor, _monitor_columns(reports.monitor), counters, width)
    if reports.register is not None:
        _page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        doc.add_heading(REGISTER_TITLE, level=1)
        _add_register(doc, reports.register, counters)
    doc.save(path)


def write_docx(reports_dir: Path, out: Path) -> Path:
    """``beleidsnota.docx``: per theme key messages, figures, key table and caveats; monitor; register."""
    return _write(Path(out), _save_docx, _loaded(reports_dir))


# --------------------------------------------------------------------------- index.html

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0;color:#1d2733;background:#f7f8fa}
main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.7rem;margin-bottom:.3rem} h2{margin-top:2.2rem;border-bottom:2px solid #d5dbe3}
.params{color:#4a5666} .note{background:#fff6d9;padding:.5rem 1rem;border-left:4px solid #e0b400}
table{border-collapse:collapse;width:100%;font-size:.9rem;background:#fff;margin:.5rem 0}
th,td{border:1px solid #d5dbe3;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
.wide{overflow-x:auto}
th{background:#e8edf3} td.num{text-align:right;white-space:nowrap}
td.klopt{background:#dff1df} td.wijkt_af{background:#fbe0d4} td.geen_data{background:#ececec}
.caveat{color:#4a5666;font-size:.9rem}
"""


def _html_table(table: Table, indices: list[int]) -> str:
    indices = _filled(table, indices)
    head = "".join(f"<th>{html.escape(table.columns[i].header)}</th>" for i in indices)
    rows = []
    for row in table.rows:
        cells = []
        for i in indices:
            column, cell = table.columns[i], row[i]
            classes = ["num"] if column.numeric else []
            if column.name == "status" and cell.value in STATUS_LABELS:
                classes.append(cell.value)
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{html.escape(display(cell, column))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _link(root: Path, relative: str, text: str) -> str:
    if (root / relative).is_file():
        return f'<a href="{html.escape(quote(relative))}">{html.escape(text)}</a>'
    return f"{html.escape(text)} (ontbreekt)"


def _page(reports: Reports) -> str:
    e, root = html.escape, reports.root
    parts = [f"<h1>{e(DOCUMENT_TITLE)}</h1>", f'<p class="params">{e(parameter_line(reports))}</p>',
             "<p>Downloads: " + _link(root, "beleidsnota.docx", "beleidsnota (Word)") + " · "
             + _link(root, "tabellen.xlsx", "tabellen (Excel)") + "</p>"]
    if reports.notes:
        parts.append('<div class="note"><p>Niet opgenomen:</p><ul>'
                     + "".join(f"<li>{e(n)}</li>" for n in reports.notes) + "</ul></div>")
    parts.append("<h2>Thema's</h2><ul>" + "".join(
        f'<li><a href="#{e(t.thema)}">{e(t.titel)}</a> — '
        + _link(root, f"notebooks/{t.thema}.html", "notebook") + "</li>" for t in reports.themes) + "</ul>")
    for theme in reports.themes:
        parts.append(f'<section id="{e(theme.thema)}"><h2>{e(theme.titel)}</h2>')
        parts.append("<ul>" + "".join(f"<li>{e(m)}</li>" for m in theme.kernboodschappen) + "</ul>")
        if theme.waarschuwingen:
            parts.append(f'<p class="caveat">Kanttekeningen: {e(" ".join(theme.waarschuwingen))}</p>')
        parts.append("<p>" + _link(root, f"notebooks/{theme.thema}.html", "Volledige analyse (notebook)")
                     + "</p></section>")
    if reports.register is not None:
        counts = status_counts(reports.register)
        parts.append(f'<h2 id="reproductie">{e(REGISTER_TITLE)}</h2>')
        if counts:
            parts.append("<p>" + e("; ".join(f"{s}: {n}" for s, n in counts)) + "</p>")
        parts.append(_html_table(reports.register, _select(reports.register, REGISTER_COLUMNS)))
    if reports.monitor is not None:
        parts.append(f'<h2 id="monitor">{e(MONITOR_TITLE)}</h2>'
                     + _html_table(reports.monitor, _monitor_columns(reports.monitor)))
        if (root / "notebooks/monitor.html").is_file():
            parts.append("<p>" + _link(root, "notebooks/monitor.html", "Notebook doelenmonitor") + "</p>")
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{e(DOCUMENT_TITLE)}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _save_index(reports: Reports, path: Path) -> None:
    path.write_text(_page(reports), encoding="utf-8")


def write_index(reports_dir: Path, out: Path) -> Path:
    """``index.html``: one offline page with parameters, notebook links, key messages, register, monitor."""
    return _write(Path(out), _save_index, _loaded(reports_dir))


# --------------------------------------------------------------------------- all at once

def _write(out: Path, save, reports: Reports) -> Path:
    write_atomic(out, lambda tmp: save(reports, tmp))
    return out


def _loaded(reports_dir: Path) -> Reports:
    reports = load_reports(reports_dir)
    for note in reports.notes:
        log.warning(note)
    return reports


def export_all(reports_dir: Path) -> list[Path]:
    """Write tabellen.xlsx, beleidsnota.docx and index.html into ``reports_dir``; return their paths."""
    reports = _loaded(reports_dir)
    root = reports.root
    return [_write(root / "tabellen.xlsx", _save_workbook, reports),
            _write(root / "beleidsnota.docx", _save_docx, reports),
            _write(root / "index.html", _save_index, reports)]
