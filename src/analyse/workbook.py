"""Reading the first worksheet of an ``.xlsx`` workbook as text columns, streamed, cell by cell.

An ``.xlsx`` file is a zip archive of XML parts. This module reads the parts it needs with the standard
library (``zipfile`` and ``xml.etree.ElementTree.iterparse``), row by row, so memory holds the values and
not the document, with a progress line on stderr every :data:`PROGRESS_SECONDS`; a sheet larger than
:data:`MAX_PART_BYTES` unpacked is refused at once with the advice to save it as CSV. What a workbook can
hide is refused, naming the cell:

- a formula without a calculated value (a workbook written by a program, never opened and saved in
  Excel): it would read as an empty cell;
- an error value (``#DIV/0!``, ``#N/A``, ...): it is not a number, and not a missing one;
- a hidden or very hidden first sheet, or a first sheet that is a chart: what is read must be what one sees;
- a sheet or string table larger than :data:`MAX_PART_BYTES` unpacked.

Values become text as a spreadsheet shows them unformatted: a whole number without decimals (``31390``),
other numbers in their shortest form (``23.3``), a date as ``2019-01-01``, a boolean as ``True``/``False``.
"""

from __future__ import annotations

import posixpath
import sys
import time
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from analyse.schema import Problem, visible

MAX_PART_BYTES = 200_000_000
"""Largest unpacked sheet or shared-string table read: 200 MB, some 300.000 to 600.000 rows of this contract
depending on the program that wrote the workbook. Reading XML is slow (README, *Prestaties*): a larger sheet
is refused at once with the advice to save it as CSV, which reads many times faster. The limit also stops a
small archive that unpacks to an enormous document."""
PROGRESS_SECONDS = 5.0
"""A read that takes longer says how far it is on stderr, this often."""
MAX_CELL_PROBLEMS = 50
"""Cells named per workbook before the rest is counted in one line."""

_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ERROR_HINT = {
    "#DIV/0!": "een deling door nul; in een Nederlandse Excel #DEEL/0!",
    "#N/A": "een waarde die niet beschikbaar is; in een Nederlandse Excel #N/B",
    "#NAME?": "een onbekende naam in een formule; in een Nederlandse Excel #NAAM?",
    "#NULL!": "een lege doorsnede; in een Nederlandse Excel #LEEG!",
    "#NUM!": "een ongeldig getal; in een Nederlandse Excel #GETAL!",
    "#REF!": "een verwijzing naar een cel die niet meer bestaat; in een Nederlandse Excel #VERW!",
    "#VALUE!": "een verkeerd soort waarde in een formule; in een Nederlandse Excel #WAARDE!",
}


class WorkbookError(Exception):
    """A workbook that cannot be read at all; the message is the Dutch reason."""


@dataclass
class Sheet:
    """The first worksheet: its header, its columns as text, the spreadsheet row of each value."""

    header: list[str]
    columns: list[list[str]]
    rows: list[int]
    problems: list[Problem] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _parse(book: zipfile.ZipFile, part: str) -> ElementTree.Element:
    with book.open(part) as handle:
        return ElementTree.parse(handle).getroot()


def _member(book: zipfile.ZipFile, part: str, what: str) -> zipfile.ZipInfo:
    try:
        info = book.getinfo(part)
    except KeyError:
        raise WorkbookError(f"het Excel-bestand is niet te lezen: het onderdeel '{part}' ({what}) ontbreekt. "
                            "Open het in Excel en sla het opnieuw op als Excel-werkmap (.xlsx)") from None
    if info.file_size > MAX_PART_BYTES:
        raise WorkbookError(_too_large(what, info.file_size))
    return info


def _too_large(what: str, size: int) -> str:
    shown = f"{size / 1e6:,.0f}".replace(",", ".")
    return (f"{what} is uitgepakt {shown} MB, meer dan de {MAX_PART_BYTES // 1_000_000} MB die uit een werkmap "
            "gelezen wordt (enkele honderdduizenden rijen). Sla het werkblad in Excel op als 'CSV UTF-8' en zet die "
            "CSV in data/raw in plaats van de werkmap: een CSV wordt vele malen sneller gelezen")


def _targets(book: zipfile.ZipFile, rels_part: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part path) of ``rels_part``; targets resolved against folder ``base``."""
    try:
        root = _parse(book, rels_part)
    except KeyError:
        return {}
    found = {}
    for rel in root:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return found


@dataclass
class _Book:
    sheets: list[tuple[str, str, str]]  # (name, state, part) in tab order
    first_kind: str
    strings_part: str | None
    styles_part: str | None
    date1904: bool


def _structure(book: zipfile.ZipFile) -> _Book:
    workbook = _parse(book, "xl/workbook.xml") if "xl/workbook.xml" in book.namelist() else None
    if workbook is None:
        raise WorkbookError("het Excel-bestand is niet te lezen: het onderdeel xl/workbook.xml ontbreekt. Open het "
                            "in Excel en sla het opnieuw op als Excel-werkmap (.xlsx)")
    rels = _targets(book, "xl/_rels/workbook.xml.rels", "xl")
    sheets, kinds = [], []
    date1904 = False
    for element in workbook.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "0") in ("1", "true")
        elif name == "sheet":
            kind, part = rels.get(element.get(_RELATIONSHIP, ""), ("", ""))
            sheets.append((element.get("name", ""), element.get("state", "visible"), part))
            kinds.append(kind)
    if not sheets:
        raise WorkbookError("de werkmap heeft geen werkbladen; zet de gegevens op het eerste werkblad")
    by_kind = {kind: part for kind, part in rels.values()}
    return _Book(sheets, kinds[0], by_kind.get("sharedStrings"), by_kind.get("styles"), date1904)


def _shared_strings(book: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None or part not in book.namelist():
        return []
    _member(book, part, "de tabel met teksten (sharedStrings)")
    strings: list[str] = []
    with book.open(part) as handle:
        for _, element in ElementTree.iterparse(handle, events=("end",)):
            if _local(element.tag) == "si":
                strings.append(_text(element))
                element.clear()
    return strings


def _text(element: ElementTree.Element) -> str:
    """The text of a string item (``si`` or ``is``): its ``t``, or its runs' ``t``; phonetic hints left out."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _date_styles(book: zipfile.ZipFile, part: str | None) -> set[int]:
    """Indexes of the cell styles whose number format shows a date or time."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if part is None or part not in book.namelist():
        return set()
    root = _parse(book, part)
    custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "")
              for f in root.iter() if _local(f.tag) == "numFmt"}
    dates = set()
    for holder in root:
        if _local(holder.tag) != "cellXfs":
            continue
        for index, xf in enumerate(holder):
            number_format = int(xf.get("numFmtId", "0"))
            code = custom.get(number_format, BUILTIN_FORMATS.get(number_format, ""))
            if code and is_date_format(code):
                dates.add(index)
    return dates


def _column_index(reference: str, cache: dict[str, int]) -> int:
    """The column of a cell reference ('AB12' -> 27), its letters looked up once."""
    letters = reference.rstrip("0123456789")
    index = cache.get(letters)
    if index is None:
        index = 0
        for letter in letters.upper():
            index = index * 26 + ord(letter) - 64
        index -= 1
        cache[letters] = index
    return index


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number(text: str, cache: dict[str, str]) -> str:
    """A number as stored ('31390', '2.3300000000000001E-2') as a spreadsheet shows it unformatted."""
    shown = cache.get(text)
    if shown is None:
        try:
            value = float(text)
        except ValueError:
            shown = text
        else:
            shown = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
        if len(cache) < 1_000_000:
            cache[text] = shown
    return shown


def _date(text: str, date1904: bool) -> str:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    try:
        moment = from_excel(float(text), CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900)
    except (ValueError, OverflowError):
        return text
    if hasattr(moment, "hour") and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date().isoformat()
    return moment.isoformat(sep=" ")


class _Reader:
    """The cells of one sheet, row by row, into text columns; problems per cell."""

    def __init__(self, name: str, strings: list[str], dates: set[int], date1904: bool):
        self.name, self.strings, self.dates, self.date1904 = name, strings, dates, date1904
        self.header: list[str] = []
        self.columns: list[list[str]] = []
        self.rows: list[int] = []
        self.problems: list[Problem] = []
        self.extra = 0
        self.letters: dict[str, int] = {}
        self.numbers: dict[str, str] = {}
        self.tags: dict[str, str] = {}
        self.last = 0  # the row read last

    def problem(self, row: int, column: int, value: str | None, expected: str) -> None:
        if len(self.problems) >= MAX_CELL_PROBLEMS:
            self.extra += 1
            return
        header = self.header[column] if column < len(self.header) and self.header[column] else None
        cell = f"cel {column_letters(column)}{row}"
        self.problems.append(Problem(self.name, row, header or f"kolom {column_letters(column)} (zonder kop)",
                                     value, f"{cell}: {expected}"))

    def value(self, cell: ElementTree.Element, row: int, column: int) -> str:
        """The text of one cell; a formula without a value or an error value is a problem (and '')."""
        tags = self.tags
        kind = cell.get("t", "n")
        stored = cell.find(tags["v"])
        text = stored.text if stored is not None else None
        if cell.find(tags["f"]) is not None and (text is None or (text == "" and kind != "str")):
            self.problem(row, column, None, "formule zonder berekende waarde: de werkmap is gemaakt door een programma "
                                            "en nooit in Excel berekend, zodat de cel leeg lijkt. Open en sla op in "
                                            "Excel, of sla op als CSV.")
            return ""
        if kind == "inlineStr":
            inline = cell.find(tags["is"])
            return _text(inline) if inline is not None else ""
        if text is None:
            return ""
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError):
                self.problem(row, column, text, "verwijzing naar een tekst die niet in de werkmap staat; de werkmap "
                                                "is beschadigd. Open en sla op in Excel, of sla op als CSV.")
                return ""
        if kind == "n":
            if self.dates and int(cell.get("s", "0")) in self.dates:
                return _date(text, self.date1904)
            return _number(text, self.numbers)
        if kind == "e":
            meaning = _ERROR_HINT.get(text, "een foutwaarde")
            self.problem(row, column, text, f"de cel bevat de foutwaarde {visible(text, 20)} van Excel ({meaning}), "
                                            "geen getal en geen lege cel. Herstel de formule of de waarde, of laat de "
                                            "rij weg als er geen getal is.")
            return ""
        if kind == "b":
            return "True" if text.strip() in ("1", "true") else "False"
        return text  # 'str' (the text a formula gave) and 'd' (an ISO date)

    def add_row(self, element: ElementTree.Element) -> None:
        row = int(element.get("r") or self.last + 1)
        self.last = row
        values: dict[int, str] = {}
        column = -1
        cell_tag, value_tag, inline_tag, text_tag = (self.tags[name] for name in ("c", "v", "is", "t"))
        strings, letters = self.strings, self.letters
        for cell in element:
            if cell.tag != cell_tag:
                continue
            reference = cell.get("r")  # without one, the cell follows the one before
            column = _column_index(reference, letters) if reference else column + 1
            kind = cell.get("t")
            only = cell[0] if len(cell) == 1 else None
            # the common cells inline (a shared or inline text, a plain number); anything else through value()
            if only is not None and only.tag == value_tag and kind == "s" and only.text and only.text.isdigit() \
                    and int(only.text) < len(strings):
                text = strings[int(only.text)]
            elif only is not None and only.tag == inline_tag and len(only) == 1 and only[0].tag == text_tag:
                text = only[0].text or ""
            elif only is not None and only.tag == value_tag and kind in (None, "n") and only.text \
                    and not (self.dates and int(cell.get("s", "0")) in self.dates):
                text = _number(only.text, self.numbers)
            else:
                text = self.value(cell, row, column)
            if text != "":
                values[column] = text
        if not self.header:
            if row != 1 or not values:
                raise WorkbookError("rij 1 van het eerste werkblad is leeg; verwacht de kopregel met de kolomnamen "
                                    "in rij 1")
            width = max(values) + 1
            self.header = [values.get(i, "") for i in range(width)]
            self.columns = [[] for _ in range(width)]
            return
        if not values:
            return
        beyond = max(values) + 1 - len(self.columns)
        if beyond > 0:  # a value right of the header: a column without a name (named by the caller)
            self.header.extend([""] * beyond)
            self.columns.extend([[""] * len(self.rows) for _ in range(beyond)])
        for index, values_of in enumerate(self.columns):
            values_of.append(values.get(index, ""))
        self.rows.append(row)


def _read_sheet(book: zipfile.ZipFile, part: str, reader: _Reader) -> None:
    _member(book, part, "het eerste werkblad")
    started = reported = time.monotonic()
    with book.open(part) as handle:
        # zipfile stops at the unpacked size the archive states (and refuses the part if its checksum then fails)
        for _, element in ElementTree.iterparse(handle, events=("end",)):
            if not reader.tags:
                namespace = _namespace(element.tag)
                reader.tags = {name: namespace + name for name in ("row", "c", "v", "f", "is", "t")}
            if element.tag != reader.tags["row"]:
                continue
            reader.add_row(element)
            element.clear()  # memory holds the values read, not the document
            now = time.monotonic()
            if now - reported >= PROGRESS_SECONDS:
                reported = now
                print(f"  {reader.name}: {len(reader.rows):,} rijen gelezen ({now - started:.0f} s)".replace(",", "."),
                      file=sys.stderr, flush=True)


def read_first_sheet(path, name: str, warnings: list[Problem] | None) -> Sheet:
    """The first worksheet of the workbook at ``path`` (named ``name`` in messages).

    Raises :class:`WorkbookError` when the workbook cannot be read as a table at all; problems in single
    cells are in :attr:`Sheet.problems`. Sheets other than the first are named in ``warnings``.
    """
    try:
        book = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise WorkbookError("het Excel-bestand is niet te lezen: het is geen zip-archief, zoals een werkmap (.xlsx). "
                            "Open het in Excel en sla het opnieuw op als Excel-werkmap (.xlsx)") from None
    with book:
        structure = _structure(book)
        first, state, part = structure.sheets[0]
        if state in ("hidden", "veryHidden"):
            how = ("zeer verborgen (alleen met VBA weer zichtbaar te maken)" if state == "veryHidden"
                   else "verborgen")
            raise WorkbookError(f"het eerste werkblad ('{visible(first)}') is {how}; alleen het eerste werkblad wordt "
                                "gelezen, en wat gelezen wordt moet te zien zijn. Maak het zichtbaar (rechtsklik op "
                                "een werkbladtab, Zichtbaar maken) of zet de gegevens op een zichtbaar eerste werkblad")
        if structure.first_kind != "worksheet":
            raise WorkbookError(f"het eerste werkblad ('{visible(first)}') is geen tabel maar een grafiekblad of "
                                "ander soort blad; zet de gegevens op het eerste werkblad")
        if warnings is not None:
            for other, other_state, _ in structure.sheets[1:]:
                hidden = " (verborgen)" if other_state != "visible" else ""
                warnings.append(Problem(name, None, None, None,
                                        f"werkblad '{visible(other)}'{hidden} wordt niet gelezen: alleen het eerste "
                                        f"werkblad ('{visible(first)}') telt. Zet de rijen op het eerste werkblad, of "
                                        "verwijder dit werkblad als het niet nodig is."))
        reader = _Reader(name, _shared_strings(book, structure.strings_part), _date_styles(book, structure.styles_part),
                         structure.date1904)
        _read_sheet(book, part, reader)
    if not reader.header:
        raise WorkbookError("het werkblad is leeg; verwacht een kopregel in rij 1")
    if reader.extra:
        reader.problems.append(Problem(name, None, None, None, f"... en nog {reader.extra} cel(len) met een probleem."))
    return Sheet(reader.header, reader.columns, reader.rows, reader.problems)
