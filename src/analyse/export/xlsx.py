"""``tabellen.xlsx``: a *Lees mij* sheet, then one tidy table per sheet.

Each table sheet holds exactly one table: the header in row 1 (frozen, with an auto-filter), one row per
record below it, nothing else. Title, source and notes of each sheet are on *Lees mij*. Numbers are
numbers, shown with the decimals of their column spec; a percentage is 26,9 with the unit in the header
or in a unit column (never an Excel percentage, so the value in the cell is the value in the CSV).
A suppressed cell is empty and its mark ('<10') stands in a text column beside it ('...: niet gepubliceerd'),
so a number column holds only numbers; an empty number cell without a mark means "geen gegevens".

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
from analyse.export.read import Reports, Table, clean, source_line
from analyse.text.label_texts import REGISTER_LABELS, REGISTER_STATUSES
from analyse.text.notation import format_difference, format_number, format_value, join_words

README = "Lees mij"
MAX_WIDTH = 60  # characters; a longer text wraps
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # OWASP, plus a line end (a cleaned CR)
_WHOLE = re.compile(r"-?(0|[1-9][0-9]{0,14})")  # no leading zero: '0556' is a code, not a number
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FONT = "Calibri"  # every font is named: a cell font without a name renders differently per program
POINTS_PER_LINE = 15  # row height of one line of 11 pt text
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


SHORT_WORDS = (("Nederlandse achtergrond", "Nederlands"), ("Marokkaanse achtergrond", "Marokkaans"),
               ("Turkse achtergrond", "Turks"), ("niet-westerse migratieachtergrond", "niet-westers"),
               ("westerse migratieachtergrond", "westers"), ("het aandeel als verdachte geregistreerden", "verdachten"),
               ("als verdachte geregistreerden", "verdachten"), ("bijstandsgerechtigden", "bijstand"),
               ("netto arbeidsparticipatie", "arbeidsparticipatie"), ("politieregistraties", "politie"),
               ("meldingen aan RADAR", "RADAR"))
"""Phrases of table titles said shorter in a sheet name."""
FILLERS = frozenset({"de", "het", "een", "in", "van", "met", "bij", "aan", "als", "tussen", "en", "naar", "op", "voor",
                     "over"})
KIND_WORDS = {"overzicht": "overzicht", "beschikbaarheid": "inventaris", "trends": "trends",
              "reproductie": "beweringen"}
"""The part of a sheet name that says which of a theme's standard tables it holds."""


def _words(title: str, region: str = "") -> list[str]:
    """The words of a title that name its table: no region, years, parentheses or filler words."""
    for long, short in SHORT_WORDS:
        title = re.sub(re.escape(long), short, title, flags=re.IGNORECASE)
    title = re.sub(r"\([^)]*\)", " ", title)
    if region:
        title = re.sub(rf"\b(van|in) {re.escape(region)}\b", " ", title)
    parts = [p.strip() for p in title.split(",")]
    kept = [p for p in parts[:1] + [p for p in parts[1:] if p != region and not re.search(r"\d{4}", p)]]
    words = [w for w in _SHEET_FORBIDDEN.sub("", " ".join(kept)).split() if w != region]
    if len(" ".join(words)) > 31:
        words = [w for i, w in enumerate(words) if i == 0 or w.lower() not in FILLERS]
    return words or ["Tabel"]


def sheet_name(title: str, taken: set[str], region: str = "") -> str:
    """A valid, unique sheet name of at most 31 characters that reads like ``title``: its first words, and
    when those are taken by another sheet, the first words with the last ones (where two titles differ:
    'Verschil verdachten Turks Nederlands'); never a number in brackets."""
    words = _words(" ".join(title.split()), region)
    candidates = []
    for total in range(len(words), 0, -1):
        for head in range(total, 0, -1):
            tail = words[len(words) - (total - head):] if total > head else []
            chosen = words[:head] + tail
            name = " ".join(chosen)
            if len(chosen) > 1 and chosen[-1].lower() in FILLERS:  # 'Uitkeringen naar' says nothing
                continue
            if len(name) <= 31 and name not in candidates:
                candidates.append(name)
    if not candidates:
        candidates = [words[0][:30] + "…"]
    for name in candidates:
        if name.lower() not in taken and name.lower() != "history":
            taken.add(name.lower())
            return name
    for n in range(2, 1000):  # every shortening of the title is taken: its number among them
        name = f"{candidates[0][:27].rstrip()} {n}"
        if name.lower() not in taken:
            taken.add(name.lower())
            return name
    raise ValueError(title)


def theme_word(title: str) -> str:
    """A theme's title as the first part of a sheet name: 'Arbeid en inkomen', 'Criminaliteit', 'Basisvaardigheden'."""
    first = title.split(",")[0].strip()
    return first if len(first) <= 18 else first.split()[0]


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def number_format(decimals: int | None) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` characters wide (words kept whole)."""
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0, 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > width:
                count, used = count + 1, len(word)
            else:
                used += (1 if used else 0) + len(word)
        lines += count
    return max(lines, 1)


def _layout(table: Table) -> list[tuple[int, bool]]:
    """The sheet's columns: (column of the table, whether it is the marker column after it). A number column
    with suppressed cells gets a text column beside it that holds the marks ('<10'), so the number column
    holds only numbers and an empty cell there is never read as a value."""
    columns = []
    for j in range(len(table.columns)):
        columns.append((j, False))
        if any(row[j].suppressed for row in table.rows):
            columns.append((j, True))
    return columns


def sheet_headers(table: Table) -> list[str]:
    headers = table.headers()
    return [f"{headers[j]}: niet gepubliceerd" if marker else headers[j] for j, marker in _layout(table)]


def _fill_table(sheet, table: Table) -> None:
    layout = _layout(table)
    headers = sheet_headers(table)
    # a year column that also holds lists or periods ('2016, 2017', '2016/2017') is text throughout
    year_text = {j for j, column in enumerate(table.columns)
                 if column.kind == "year" and any(isinstance(row[j].value, str) for row in table.rows)}
    # a text column that holds only whole numbers (a rank written as text) is stored as numbers
    counted = {j for j, column in enumerate(table.columns) if column.kind in ("text", "label")
               and any(row[j].value is not None for row in table.rows)
               and all(row[j].value is None or _WHOLE.fullmatch(str(row[j].value)) for row in table.rows)}
    widths = [0] * len(headers)  # longest cell text per column
    for k, text in enumerate(headers, start=1):
        j, marker = layout[k - 1]
        cell = put(sheet, 1, k, text)
        cell.font, cell.fill = Font(name=FONT, size=11, bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top",
                                   horizontal="right" if table.is_number(j) and not marker else "left")
    for i, row in enumerate(table.rows, start=2):
        for k, (j, marker) in enumerate(layout, start=1):
            column, cell = table.columns[j], row[j]
            if marker:
                put(sheet, i, k, cell.text if cell.suppressed else None).alignment = Alignment(vertical="top")
                widths[k - 1] = max(widths[k - 1], len(cell.text) if cell.suppressed else 0)
                continue
            value = cell.text if j in year_text and cell.value is not None else cell.value
            if j in counted and value is not None:
                value = int(value)
            target = put(sheet, i, k, None if cell.suppressed and column.kind == "number" else value)
            widths[k - 1] = max(widths[k - 1], len(cell.text))
            if cell.suppressed:
                target.alignment = Alignment(horizontal="right", vertical="top")
            elif isinstance(cell.value, str):
                target.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                target.alignment = Alignment(vertical="top")
                if column.kind in ("number", "value") and cell.value is not None:
                    target.number_format = number_format(cell.decimals)
                elif column.kind == "year" and isinstance(cell.value, int):
                    target.number_format = "0"
    shown = [[(row[j].text if row[j].suppressed else "") if marker else row[j].text for j, marker in layout]
             for row in table.rows]
    columns = []
    for j, width in enumerate(widths, start=1):
        header_words = max((len(w) for w in headers[j - 1].split()), default=0)
        # as wide as the longest cell; a long header wraps (never inside a word)
        columns.append(min(max(width, header_words, min(len(headers[j - 1]), 14), 8) + 2, MAX_WIDTH))
        sheet.column_dimensions[get_column_letter(j)].width = columns[-1]
    # the header wraps within its column: give the row the lines it needs (bold: a little wider)
    sheet.row_dimensions[1].height = POINTS_PER_LINE * max(_lines(h, (w - 2) / 1.1) for h, w in zip(headers, columns))
    for i, row in enumerate(shown, start=2):
        needed = max((_lines(text, (w - 2) * 1.1) for text, w in zip(row, columns) if len(text) > (w - 2) * 1.1),
                     default=1)
        if needed > 1:
            sheet.row_dimensions[i].height = POINTS_PER_LINE * needed
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
    cell.font = Font(name=FONT, size=11, color="0B4F8A", underline="single")
    return cell


def _readme(sheet, reports: Reports, listing: list[tuple[str, Table, str]]) -> None:
    settings = reports.settings
    wrap = Alignment(wrap_text=True, vertical="top")
    label_width, text_width = 34, 90
    sheet.column_dimensions["A"].width = label_width
    sheet.column_dimensions["B"].width = text_width
    row = 1

    def line(label: str, text: str = "", link: bool = False):
        """A label in column A and its text in B; a text without label stands in B alone."""
        nonlocal row
        if link:
            _link(sheet, row, 1, label).alignment = wrap
        elif label and text:
            cell = put(sheet, row, 1, label)
            cell.font, cell.alignment = Font(name=FONT, size=11, bold=True), wrap
        else:
            text, label = text or label, ""
        if text:
            put(sheet, row, 2, text).alignment = wrap
        lines = max(_lines(text, text_width / 1.1), _lines(label, label_width / 1.15) if text and label else 1)
        if lines > 1:
            sheet.row_dimensions[row].height = POINTS_PER_LINE * lines
        row += 1

    def heading(text: str):
        nonlocal row
        row += 1
        put(sheet, row, 1, text).font = Font(name=FONT, bold=True, size=13, color="1F3A5F")
        row += 1

    put(sheet, row, 1, f"{reports.title}: tabellen").font = Font(name=FONT, bold=True, size=16, color="1F3A5F")
    sheet.row_dimensions[row].height = 22
    row += 1
    put(sheet, row, 1, reports.subtitle).font = Font(name=FONT, size=12)
    row += 2
    line("Uitgave", ", ".join(p for p in (settings.organisation, settings.department) if p))
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
    before, after = 23.3, 26.9
    relative = format_value((after - before) / before * 100, "procent", 1)
    line("Procentpunt", f"Het verschil tussen twee percentages: van {format_value(before, 'procent', 1)} naar "
                        f"{format_value(after, 'procent', 1)} is een stijging van "
                        f"{format_difference(after - before, 'procent', 1)} (en een stijging van {relative}).")
    line("Per 1.000", "Het aantal per 1.000 inwoners (of per 1.000 van de groep die in de titel staat).")
    line("95%-interval", "De marge rond een geschatte trend: met 95% zekerheid ligt de echte waarde ertussen.")
    line("Lege cel", "Geen gegevens, of een getal dat niet gepubliceerd wordt: dan staat het teken in de kolom "
                     "ernaast ('...: niet gepubliceerd').")
    marks = join_words([f"'{m}'" for m in reports.suppression_marks()])
    line("Kleine aantallen", f"Aantallen personen kleiner dan {format_number(settings.small_count)} worden niet "
                             f"gepubliceerd, zodat niemand herkenbaar is. De cel blijft dan leeg en in de kolom "
                             f"ernaast staat {marks}.")
    if reports.monitor is not None:
        heading("Doelenmonitor")
        line("Oordeel", "Per doel uit de beleidsvisie: de basis, de laatste meting en een oordeel op grond van de "
                        "trend en de onzekerheid daarvan.")
        for note in reports.monitor.record.notes:
            label, _, rest = note.partition(":")
            if rest:
                rest = rest.strip()
                line(label, rest[:1].upper() + rest[1:])
            else:
                line(note)
    if reports.register is not None:
        heading("Reproductieregister")
        line("Uitkomst", "Per bewering uit hoofdstuk 2 van de beleidsvisie: is het getal na te rekenen met de "
                         "gegevens van deze analyse?")
        for code, label in REGISTER_LABELS.items():
            line(label, REGISTER_STATUSES[code])

    heading("Bronnen")
    for producer, sources in reports.sources().items():
        line(producer, "; ".join(source_line(s) for s in sources) + ".")
    if reports.notes:
        heading("Niet opgenomen")
        for note in reports.notes:
            line(note)


def sheet_tables(reports: Reports) -> list[tuple[Table, str]]:
    """Every table once, with the sheet name it gets: per theme its key table first; a theme's part of a
    run-wide table (trends, register, monitor) is on that table's sheet, not on a sheet of its own."""
    taken = {README.lower()}
    chosen: list[tuple[Table, str]] = []
    run_names = {t.record.name for t in reports.run_tables()}
    for theme in reports.themes:
        key = theme.key_table
        for table in sorted(theme.tables, key=lambda t: t is not key):
            name = table.record.name
            if name in run_names:
                continue
            title = (f"{theme_word(theme.title)} {KIND_WORDS[name]}" if name in KIND_WORDS else table.title)
            chosen.append((table, sheet_name(title, taken, reports.region)))
    for table in reports.run_tables():
        chosen.append((table, sheet_name(RUN_TABLE_SHEETS.get(table.record.name, table.title), taken)))
    return chosen


def write_workbook(reports: Reports, path: Path) -> None:
    book = Workbook()
    readme = book.active
    readme.title = README
    titles = {theme.code: theme.title for theme in reports.themes}
    listing: list[tuple[str, Table, str]] = []
    for table, name in sheet_tables(reports):
        _fill_table(book.create_sheet(name), table)
        listing.append((name, table, titles.get(table.theme, "")))
    _readme(readme, reports, listing)
    readme.page_setup.orientation = "portrait"
    readme.page_setup.fitToWidth, readme.page_setup.fitToHeight = 1, 0
    readme.sheet_properties.pageSetUpPr.fitToPage = True
    created = reports.created.astimezone(timezone.utc).replace(tzinfo=None)
    properties = book.properties
    properties.creator = properties.lastModifiedBy = reports.settings.organisation
    properties.title = f"{reports.title}: tabellen"
    properties.subject = reports.subtitle
    properties.language = "nl-NL"
    properties.created = properties.modified = created
    book.active = 0
    book.save(path)
