"""``tabellen.xlsx``: a *Lees mij* sheet, then one tidy table per sheet.

Each table sheet holds exactly one table: the header in row 1 (frozen, with an auto-filter), one row per
record below it, nothing else. Title, source and notes of each sheet are on *Lees mij*. Numbers are
numbers, shown with the decimals of their column spec; a percentage is 26,9 with the unit in the header
or in a unit column (never an Excel percentage, so the value in the cell is the value in the CSV).
A suppressed cell holds its mark ('<10') as text; an empty number cell means "geen gegevens".

Escaping (OWASP CSV injection): every text is written as a string cell; a text that starts with ``=``,
``+``, ``-``, ``@``, tab or carriage return also gets Excel's quote prefix, so it is shown literally and
stays text when someone edits the cell. Numbers (also negative ones) stay numbers.
"""

from __future__ import annotations

import re
from datetime import timezone
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from analyse import contract
from analyse.export.read import Reports, Table, clean, join_words, source_line
from analyse.text import format_number

README = "Lees mij"
MAX_WIDTH = 60  # characters; a longer text wraps
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # OWASP, plus a line end (a cleaned CR)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
RUN_TABLE_SHEETS = {contract.MONITOR_TABLE: "Doelenmonitor", contract.REGISTER_TABLE: "Reproductieregister",
                    contract.TRENDS_TABLE: "Trends"}


def put(sheet, row: int, column: int, value):
    """Write ``value`` into a cell: a number as a number, any text as literal text (never a formula)."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", clean(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl would make '=...' a formula
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel's own "this is text" mark: editing the cell keeps it text
    else:
        cell.value = value
    return cell


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters) that reads like ``title``."""
    title = " ".join(title.split())
    if len(title) > 31:
        first = re.split(r"[,:;(]", title, maxsplit=1)[0].strip()
        if 10 <= len(first) <= 31:
            title = first
    title = _SHEET_FORBIDDEN.sub("", title).strip() or "Tabel"
    if len(title) > 31:
        cut = title[:31].rsplit(" ", 1)[0]
        title = cut if len(cut) >= 18 else title[:30] + "…"
    name, n = title, 2
    while name.lower() in taken or name.lower() == "history":
        suffix = f" ({n})"
        name, n = title[:31 - len(suffix)].rstrip() + suffix, n + 1
    taken.add(name.lower())
    return name


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def number_format(decimals: int | None) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _fill_table(sheet, table: Table) -> None:
    headers = table.headers()
    widths = [len(h) for h in headers]
    for j, text in enumerate(headers, start=1):
        cell = put(sheet, 1, j, text)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top",
                                   horizontal="right" if table.is_number(j - 1) else "left")
    for i, row in enumerate(table.rows, start=2):
        for j, (column, cell) in enumerate(zip(table.columns, row), start=1):
            target = put(sheet, i, j, cell.value)
            widths[j - 1] = max(widths[j - 1], len(cell.text))
            if cell.suppressed:
                target.alignment = Alignment(horizontal="right")
            elif column.kind == "number" and cell.value is not None:
                target.number_format = number_format(cell.decimals)
            elif column.kind == "year" and isinstance(cell.value, int):
                target.number_format = "0"
            elif isinstance(cell.value, str) and len(cell.value) > MAX_WIDTH:
                target.alignment = Alignment(wrap_text=True, vertical="top")
    for j, width in enumerate(widths, start=1):
        header_words = max((len(w) for w in headers[j - 1].split()), default=0)
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width, header_words, 8) + 2, MAX_WIDTH)
    last = get_column_letter(len(headers))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(len(table.rows) + 1, 2)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape" if len(headers) > 5 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _link(sheet, row: int, column: int, target: str):
    cell = put(sheet, row, column, target)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{target}'!A1", display=target)
    cell.font = Font(color="0B4F8A", underline="single")
    return cell


def _readme(sheet, reports: Reports, listing: list[tuple[str, Table, str]]) -> None:
    settings = reports.settings
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 100
    row = 1

    def line(label: str, text: str = "", bold: bool = False, link: bool = False):
        nonlocal row
        if link:
            _link(sheet, row, 1, label)
        elif label:
            put(sheet, row, 1, label).font = Font(bold=bool(bold or text))
        if text:
            put(sheet, row, 2, text).alignment = wrap
        sheet.cell(row, 1).alignment = wrap
        row += 1

    def heading(text: str):
        nonlocal row
        row += 1
        put(sheet, row, 1, text).font = Font(bold=True, size=12)
        row += 1

    put(sheet, row, 1, f"{reports.title}: tabellen").font = Font(bold=True, size=14)
    row += 1
    put(sheet, row, 1, reports.subtitle)
    row += 2
    line("Uitgave", ", ".join(p for p in (settings.municipality, settings.department) if p))
    line("Datum van de analyse", reports.run_date)
    line("Gegevens over", reports.years)
    if settings.contact:
        line("Contact", settings.contact)
    line("Controlegetal van de gegevens", reports.manifest.data_checksum)

    heading("Werkbladen")
    line("Elk werkblad bevat één tabel: de kolomkoppen in de eerste rij, daaronder één regel per gegeven. "
         "Klik op de naam van een blad om het te openen.")
    for name, table, theme_title in listing:
        parts = [table.title]
        if theme_title:
            parts.append(f"Thema: {theme_title}")
        parts.append(table.source)
        parts.extend(table.record.notes)
        line(name, " ".join(sentence(p) for p in parts if p), link=True)

    heading("Begrippen")
    line("Getallen", "Getallen zijn getallen: u kunt ermee rekenen. Ze staan met het aantal decimalen waarmee ze "
                     "gepubliceerd zijn.")
    line("Eenheid", "Staat in de kolomkop (bijvoorbeeld 'Aandeel (%)') of, als de regels verschillen, in een "
                    "kolom Eenheid. Percentages staan als 26,9 (dat is 26,9%), niet als Excel-percentage.")
    line("Procentpunt", "Het verschil tussen twee percentages: van 23,3% naar 26,9% is een stijging van "
                        f"{format_number(3.6, 1)} procentpunt (en een stijging van 15,5%).")
    line("Per 1.000", "Het aantal per 1.000 inwoners (of per 1.000 van de groep die in de titel staat).")
    line("95%-interval", "De marge rond een geschatte trend: met 95% zekerheid ligt de echte waarde ertussen.")
    line("Lege cel", "Geen gegevens.")
    marks = join_words([f"'{m}'" for m in reports.suppression_marks()])
    line("Kleine aantallen", f"Aantallen personen kleiner dan {settings.small_count} worden niet gepubliceerd, "
                             f"zodat niemand herkenbaar is. In die cel staat dan {marks}.")
    if reports.monitor is not None:
        heading("Doelenmonitor")
        line("Oordeel", "Per doel uit de beleidsvisie: de basis, de laatste meting en een oordeel op grond van de "
                        "trend en de onzekerheid daarvan.")
        for note in reports.monitor.record.notes:
            label, _, rest = note.partition(":")
            if rest:
                line(label, rest.strip())
            else:
                line(note)
    if reports.register is not None:
        heading("Reproductieregister")
        line("Uitkomst", "Per bewering uit hoofdstuk 2 van de beleidsvisie: is het getal na te rekenen met de "
                         "gegevens van deze analyse?")
        for label, meaning in contract.REGISTER_STATUSES.values():
            line(label, meaning[0].upper() + meaning[1:] + ".")

    heading("Bronnen")
    for producer, sources in reports.sources().items():
        line(producer, "; ".join(source_line(s) for s in sources) + ".")
    if reports.notes:
        heading("Niet opgenomen")
        for note in reports.notes:
            line(note)


def write_workbook(reports: Reports, path: Path) -> None:
    book = Workbook()
    readme = book.active
    readme.title = README
    taken = {README.lower()}
    listing: list[tuple[str, Table, str]] = []
    for theme in reports.themes:
        key = theme.key_table
        for table in sorted(theme.tables, key=lambda t: t is not key):
            name = sheet_name(table.title, taken)
            _fill_table(book.create_sheet(name), table)
            listing.append((name, table, theme.title))
    for table in reports.run_tables():
        name = sheet_name(RUN_TABLE_SHEETS.get(table.record.name, table.title), taken)
        _fill_table(book.create_sheet(name), table)
        listing.append((name, table, ""))
    _readme(readme, reports, listing)
    created = reports.created.astimezone(timezone.utc).replace(tzinfo=None)
    properties = book.properties
    properties.creator = properties.lastModifiedBy = reports.settings.municipality
    properties.title = f"{reports.title}: tabellen"
    properties.subject = reports.subtitle
    properties.language = "nl-NL"
    properties.created = properties.modified = created
    book.active = 0
    book.save(path)
