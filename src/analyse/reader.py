"""Reading one file of ``data/raw`` (CSV or XLSX) as text columns, in bounded memory.

Whatever cannot be read safely becomes a :class:`~analyse.schema.Problem` naming file, row and column,
never an exception or a silent guess: a file that is not UTF-8 (or starts with two byte order marks), a
dangling link, an unreadable file, a pipe or device (never opened), a row with too many or too few fields,
a quote (``"``) that swallows line breaks and the rows after it, a field longer than :data:`FIELD_LIMIT`,
invisible characters (:func:`forbidden_char`), a header that names a column twice, a value in a column
without a header. Excel's ``sep=;`` first line is obeyed. Workbooks are read by :mod:`analyse.workbook`.

A CSV is read in three passes over the file, none of which holds more than the final table: a byte scan
(UTF-8, and whether control characters or very long lines occur at all), a structure pass with the
:mod:`csv` module (record by record, nothing kept) and the table itself with pandas' C parser (which
shares one string object between equal values). The row number of a problem is the spreadsheet row
(header = row 1), counting empty rows, as Excel shows it.
"""

from __future__ import annotations

import codecs
import csv
import errno
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError as ElementTreeError

import numpy as np
import pandas as pd

from analyse import workbook
from analyse.schema import NUMBER, Problem, visible

FIELD_LIMIT = 10_000
"""Longest field accepted, in characters; a longer one is nearly always a quote that was never closed."""
MULTILINE_COLUMNS = ("opmerking", "vindplaats", "toelichting")
"""Free-text columns in which a line break or a tab may occur; nowhere else."""
MAX_PROBLEMS_PER_FILE = 50
"""Structural problems listed per file before the rest is counted in one line."""

INVISIBLE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")
"""Unicode categories refused in every text: control and format characters (bidirectional marks and overrides,
zero-width spaces, soft hyphens), line and paragraph separators, surrogates, private-use characters and
code points that are no character (U+FFFE). Tab and line break are control characters too: they are allowed
in :data:`MULTILINE_COLUMNS` only."""
LINE_CHARACTERS = "\t\n\r"
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_CHUNK = 1 << 24
_ASCII_ALLOWED = bytes(range(32, 127)) + b"\n\r" + bytes(range(128, 256))  # deleted: what is left is suspect
_LINE_DROP = str.maketrans("", "", LINE_CHARACTERS)
_SEPARATOR_LINE = re.compile(r'"?sep=(.?)"?[,;]*')
"""Excel's first line naming the separator (``sep=;``), as Excel and some exports write it."""
_OS_ERRORS = {"EACCES": "geen toestemming om het te lezen", "EPERM": "geen toestemming om het te lezen",
              "ENOENT": "het bestaat niet (meer)", "ELOOP": "de verwijzing (symlink) verwijst naar zichzelf",
              "EISDIR": "het is een map", "EIO": "lees- of schrijffout van het apparaat",
              "ENXIO": "het is geen gewoon bestand"}


def display(path: Path) -> str:
    """The name of ``path`` in a message: relative to the working directory where possible.

    Only the folder is resolved, so a link is named as it is in ``data/raw``, not by its target.
    """
    path = Path(path)
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _either(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + f" of {names[-1]}" if len(names) > 1 else names[0]


def forbidden_char(value: str, multiline: bool) -> str | None:
    """The first character of ``value`` that no text may hold (see :data:`INVISIBLE_CATEGORIES`), or None.

    Tab and line break are allowed when ``multiline``. Other spaces (a non-breaking space) are visible as
    space and allowed.
    """
    if value.isprintable():  # Python's printable: no character of the refused categories, no space but ' '
        return None
    for char in value:
        if char.isprintable() or (multiline and char in LINE_CHARACTERS):
            continue
        if char in LINE_CHARACTERS or unicodedata.category(char) in INVISIBLE_CATEGORIES:
            return char
    return None


def describe_char(char: str) -> str:
    """A Dutch name for an invisible character, with its code point."""
    if char == "\t":
        return "een tab"
    if char in "\r\n":
        return "een regeleinde (in Excel: Alt+Enter)"
    code = f"U+{ord(char):04X}"
    if char in _BIDI:
        return f"een onzichtbaar teken dat de leesrichting omdraait of vastlegt ({code})"
    category = unicodedata.category(char)
    if category in ("Zl", "Zp"):
        return f"een onzichtbaar regel- of alinea-einde van Unicode ({code})"
    if category == "Cf":
        return f"een onzichtbaar opmaakteken, zoals een spatie zonder breedte of een zacht afbreekstreepje ({code})"
    if category == "Co":
        return f"een teken uit het privégebied van Unicode, zonder vaste betekenis ({code})"
    if category in ("Cn", "Cs"):
        return f"een code die geen teken is ({code})"
    return f"een onzichtbaar stuurteken ({code})"


def fix_hint(char: str) -> str:
    """How to get rid of ``char`` in Excel or at the source."""
    if char < " " or char == "\x7f":
        return "In Excel haalt =SCHOON(cel) zulke tekens weg."
    return "Typ de tekst opnieuw (kopieer haar niet uit een pdf of webpagina)."


def unreadable(path: Path, error: OSError) -> Problem:
    """A file in ``data/raw`` that cannot be opened: named, with the reason."""
    name = errno.errorcode.get(error.errno or 0, "")
    reason = _OS_ERRORS.get(name) or (error.strerror or type(error).__name__)
    return Problem(display(path), None, None, None,
                   f"het bestand is niet te lezen: {reason}. Geef het leesrechten, zet het opnieuw in data/raw "
                   "of haal het weg; de analyse slaat geen bestand over.")


def not_a_file(path: Path, mode: int) -> Problem:
    """A pipe, socket, device or folder where a file is expected: named, never opened."""
    if stat.S_ISDIR(mode):
        kind = "een map"
    elif stat.S_ISFIFO(mode):
        kind = "een pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        kind = "een socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "een apparaat"
    else:
        kind = "iets anders"
    return Problem(display(path), None, None, None,
                   f"dit is geen gewoon bestand maar {kind}; het wordt niet geopend en niet gelezen. Zet er het "
                   "bestand zelf neer of haal het weg; de analyse slaat geen bestand over.")


def dangling(path: Path) -> Problem:
    try:
        target = str(Path(path).readlink())
    except OSError:
        target = "?"
    return Problem(display(path), None, None, None,
                   f"het bestand is een verwijzing (symlink) naar '{target}', en dat bestand bestaat niet. Zet het "
                   "bestand zelf in data/raw, herstel de verwijzing of haal haar weg; de analyse slaat geen bestand over.")


@dataclass
class _Scan:
    """What the byte scan of a CSV found."""

    first_line: str = ""
    content: bool = False  # anything but white space
    invisible: bool = False  # a character that is not printable (other than line break) somewhere
    long_lines: bool = False  # a line longer than FIELD_LIMIT bytes
    separator: str | None = None  # from Excel's 'sep=;' first line


def _scan_bytes(path: Path, name: str, problems: list[Problem]) -> _Scan | None:
    """One pass over the bytes: UTF-8 (the first error located by line), content, suspect characters."""
    scan = _Scan()
    carry, lines_before, open_line, first = b"", 0, 0, True
    header: list[str] = []  # the first line, as far as read
    header_done = False
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            final = not chunk
            data = carry + chunk
            if first:
                data = data.removeprefix(codecs.BOM_UTF8)
                first = False
                if data.startswith(codecs.BOM_UTF8):
                    problems.append(Problem(
                        name, None, None, None,
                        "het bestand begint met twee BOM-tekens (U+FEFF, het onzichtbare merkteken van UTF-8): een "
                        "programma heeft het merkteken er een tweede keer voor gezet. Open het in Excel en sla het "
                        "opnieuw op als 'CSV UTF-8', of haal het tweede teken weg in een teksteditor."))
                    return None
            try:
                text, consumed = codecs.utf_8_decode(data, "strict", final)
            except UnicodeDecodeError as err:
                line = lines_before + data[: err.start].count(b"\n") + 1
                problems.append(Problem(
                    name, line, None, repr(data[err.start: err.start + 4]),
                    "het bestand is geen UTF-8. Sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)'.",
                ))
                return None
            good, carry = data[:consumed], data[consumed:]
            if not scan.content and text and not text.isspace():
                scan.content = True
            if not header_done:
                ends = [i for i in (text.find("\n"), text.find("\r")) if i >= 0]
                header.append(text[:min(ends)] if ends else text)
                header_done = bool(ends)
            if not scan.invisible and (good.translate(None, _ASCII_ALLOWED)
                                       or (not good.isascii() and not text.translate(_LINE_DROP).isprintable())):
                scan.invisible = True
            codes = np.frombuffer(good, dtype=np.uint8)
            newlines = np.flatnonzero(codes == 10)
            if newlines.size:
                longest = max(open_line + int(newlines[0]), int(np.diff(newlines).max()) if newlines.size > 1 else 0)
                open_line = len(good) - int(newlines[-1]) - 1
            else:
                longest, open_line = 0, open_line + len(good)
            if max(longest, open_line) > FIELD_LIMIT:
                scan.long_lines = True
            lines_before += int(newlines.size)
            if final:
                break
    scan.first_line = "".join(header)
    marker = _SEPARATOR_LINE.fullmatch(scan.first_line.strip())
    if marker:
        if marker.group(1) not in (",", ";"):
            problems.append(Problem(name, 1, None, scan.first_line,
                                    f"de eerste regel ('{visible(scan.first_line.strip())}') zegt dat een ander teken dan een "
                                    "komma of puntkomma de kolommen scheidt; zo'n bestand wordt niet gelezen. Sla het "
                                    "op als 'CSV UTF-8' (komma's) of als Excel-werkmap (.xlsx)."))
            return None
        scan.separator = marker.group(1)
    return scan


def _quote_column(line: str, delimiter: str) -> int | None:
    """The index of the field in ``line`` where quoting goes wrong: a quote that is not closed on the line,
    or a closing quote followed by more text (``"a"b``); None when the line's quotes are in order."""
    field, quoted, at_start, opened, i = 0, False, True, None, 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"':
                if line[i + 1: i + 2] == '"':
                    i += 1
                else:
                    quoted = False
                    if line[i + 1: i + 2] not in ("", delimiter):
                        return field
        elif char == '"' and at_start:
            quoted, opened = True, field
        elif char == delimiter:
            field, at_start, i = field + 1, True, i + 1
            continue
        at_start = False
        i += 1
    return opened if quoted else None


def _line(path: Path, number: int) -> str:
    """Line ``number`` (1-based) of a text file, as the csv module counts lines."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for count, line in enumerate(handle, start=1):
            if count == number:
                return line.rstrip("\r\n")
    return ""


class _Structure:
    """The header and the structural problems of a CSV, found record by record without keeping them."""

    def __init__(self, path: Path, name: str, delimiter: str, skip: int = 0):
        self.path, self.name, self.delimiter = path, name, delimiter
        self.skip = skip  # lines before the header (Excel's 'sep=;' line); rows count from the header
        self.header: list[str] = []
        self.problems: list[Problem] = []
        self.extra = 0  # problems beyond MAX_PROBLEMS_PER_FILE
        self.multiline = False  # a field spans lines (allowed in MULTILINE_COLUMNS)

    def add(self, row: int | None, column: str | None, expected: str) -> None:
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(self.name, row, column, None, expected))
        else:
            self.extra += 1

    def column(self, index: int | None) -> str | None:
        if index is None:
            return None
        return self.header[index].strip() if index < len(self.header) else f"veld {index + 1} (zonder kop)"

    def quote_problem(self, row: int, start: int, end: int, at_end: bool) -> None:
        start, end = start + self.skip, end + self.skip  # lines of the file, as a text editor numbers them
        column = self.column(_quote_column(_line(self.path, start), self.delimiter))
        if end == start and not at_end:
            self.add(row, column, "na een aanhalingsteken (\") dat een veld afsluit, staat nog tekst in hetzelfde veld. "
                                  "Een aanhalingsteken in tekst schrijft u dubbel (\"\") en dan staat het hele veld "
                                  "tussen aanhalingstekens: \"H2: \"\"citaat\"\"\".")
            return
        if at_end:
            how = (f"opent hier een veld dat nergens gesloten wordt: de rest van het bestand (regel {start} tot "
                   f"en met {end}) valt erin")
        else:
            how = (f"opent hier een veld dat pas op regel {end} van het bestand gesloten wordt (of het wordt midden "
                   "in een veld gesloten), zodat de volgende regel(s) erin vallen")
        self.add(row, column, f"een aanhalingsteken (\") {how}. Verwijder het losse aanhalingsteken, of sluit het "
                              "veld af met een tweede; een aanhalingsteken in tekst schrijft u dubbel (\"\").")

    def read(self) -> bool:
        """Check every record; False when the file cannot be read as a table (problems in ``self.problems``)."""
        limit = csv.field_size_limit()
        csv.field_size_limit(2 ** 31 - 1)  # long fields are refused with their column, not by the csv module
        try:
            return self._read()
        finally:
            csv.field_size_limit(limit)

    def _read(self) -> bool:
        with open(self.path, encoding="utf-8-sig", newline="") as handle:
            for _ in range(self.skip):
                handle.readline()
            reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
            try:
                self.header = next(reader)
            except csv.Error:
                self.quote_problem(1, 1, reader.line_num, True)
                return False
            if reader.line_num != 1:
                self.add(1, None, "de kopregel loopt over meerdere regels; zet elke kolomnaam op de eerste regel, "
                                  "zonder regeleinden of losse aanhalingstekens.")
                return False
            if not any(h.strip() for h in self.header):
                self.add(1, None, "de eerste rij is leeg; verwacht de kopregel met de kolomnamen in rij 1.")
                return False
            width, row = len(self.header), 1
            while True:
                start = reader.line_num + 1
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    row += 1
                    at_end = "end of data" in str(error)
                    self.quote_problem(row, start, reader.line_num, at_end)
                    if at_end:
                        break
                    continue
                row += 1
                if reader.line_num != start:
                    self.multiline = True
                    if self._spans(record, row, start + self.skip, reader.line_num + self.skip):
                        continue
                if len(record) > width or (len(record) < width and any(f.strip() for f in record)):
                    hint = (" Staat er een komma in een getal (3,6)? Gebruik een punt als decimaalteken, of zet "
                            "tekst met komma's tussen aanhalingstekens.") if self.delimiter == "," else ""
                    self.add(row, None, f"de rij heeft {len(record)} velden, de kopregel {width}.{hint}")
        if self.extra:
            self.problems.append(Problem(self.name, None, None, None,
                                         f"... en nog {self.extra} rij(en) met een probleem in de opbouw."))
        return not self.problems

    def _spans(self, record: list[str], row: int, start: int, end: int) -> bool:
        """A record spanning lines ``start``-``end``: True (and a problem) when that cannot be meant."""
        width = len(self.header)
        for index, value in enumerate(record):
            if "\n" not in value and "\r" not in value:
                continue
            column = self.column(index)
            looks_like_rows = any(line.count(self.delimiter) >= width - 1 for line in value.splitlines()[1:])
            if column in MULTILINE_COLUMNS and not looks_like_rows and len(record) == width:
                continue
            allowed = _either(MULTILINE_COLUMNS)
            self.add(row, column,
                     f"het veld loopt door over de regels {start} tot en met {end} van het bestand"
                     + (" en bevat iets dat op een volgende rij lijkt" if looks_like_rows else "")
                     + f"; een regeleinde mag alleen in {allowed}. Waarschijnlijk opent hier een aanhalingsteken "
                       f"(\") dat pas op regel {end} gesloten wordt, zodat de volgende rij(en) in dit veld vallen. "
                       "Verwijder het losse aanhalingsteken; een aanhalingsteken in tekst schrijft u dubbel (\"\").")
            return True
        return False


def _read_csv(path: Path, name: str, required: tuple[str, ...], problems: list[Problem]):
    """(frame, delimiter, check_invisible, check_length) or None."""
    scan = _scan_bytes(path, name, problems)
    if scan is None:
        return None
    if not scan.content:
        problems.append(Problem(name, None, None, None, "het bestand is leeg; verwacht een kopregel met "
                                f"de kolommen {', '.join(required)} en ten minste één rij."))
        return None
    if scan.separator:
        delimiter, skip = scan.separator, 1
    else:
        delimiter, skip = (";" if scan.first_line.count(";") > scan.first_line.count(",") else ","), 0
    structure = _Structure(path, name, delimiter, skip)
    if not structure.read():
        problems.extend(structure.problems)
        return None
    try:
        frame = pd.read_csv(path, sep=delimiter, dtype=str, na_filter=False, skip_blank_lines=False, header=0,
                            skiprows=skip, encoding="utf-8-sig", quotechar='"', doublequote=True, engine="c")
    except (ValueError, pd.errors.ParserError) as error:  # the structure pass should have named the cause
        problems.append(Problem(name, None, None, None, "het bestand is niet als tabel te lezen "
                                                        f"({' '.join(str(error).split())})."))
        return None
    if len(frame.columns) != len(structure.header):
        problems.append(Problem(name, 1, None, None, "de kopregel is niet eenduidig te lezen; controleer "
                                                     "scheidingstekens en aanhalingstekens in rij 1."))
        return None
    frame.columns = structure.header
    rows = np.arange(2, len(frame) + 2)
    return frame, rows, delimiter == ";", scan.invisible, scan.long_lines or structure.multiline


def _read_xlsx(path: Path, name: str, problems: list[Problem], warnings: list[Problem] | None):
    try:
        sheet = workbook.read_first_sheet(path, name, warnings)
    except workbook.WorkbookError as error:
        problems.append(Problem(name, None, None, None, f"{error}."))
        return None
    except (OSError, EOFError, ElementTreeError, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        problems.append(Problem(name, None, None, None,
                                f"het Excel-bestand is niet te lezen ({' '.join(str(error).split())}). Open het in "
                                "Excel en sla het opnieuw op als Excel-werkmap (.xlsx)."))
        return None
    problems.extend(sheet.problems)
    # the text dtype that a CSV gets from read_csv(dtype=str), so both kinds of file give the same frame
    frame = pd.DataFrame(dict(enumerate(sheet.columns)), dtype=str) if sheet.rows else \
        pd.DataFrame({i: pd.Series(dtype=str) for i in range(len(sheet.header))})
    frame.columns = sheet.header
    return frame, np.array(sheet.rows, dtype=np.int64), False, True, True


def _header_problems(header: list[str], name: str, problems: list[Problem]) -> bool:
    seen, ok = set(), True
    for column in header:
        if column and column in seen:
            problems.append(Problem(name, 1, column, None, "de kolom staat meer dan één keer in de kopregel; "
                                                           "houd er één."))
            ok = False
        seen.add(column)
    for column in header:
        found = forbidden_char(column, multiline=False)
        if found:
            problems.append(Problem(name, 1, column, None, f"de kolomnaam bevat {describe_char(found)}; "
                                                           "typ de naam opnieuw."))
            ok = False
    return ok


FORMULA_START = ("=", "+", "-", "@")
"""A spreadsheet reads a cell that starts with one of these as a formula (unless it is a plain number)."""
_PLAIN_NUMBER = re.compile(NUMBER)


def _per_value(values: pd.Series, test) -> np.ndarray:
    """``test`` of each row's value, called once per distinct value (a column repeats most of its values)."""
    codes, uniques = pd.factorize(values)
    return np.array([test(value) for value in uniques] + [False], dtype=bool)[codes]


def check_formulas(frame: pd.DataFrame, name: str, rows: np.ndarray, problems: list[Problem],
                   numeric: tuple[str, ...] = ()) -> None:
    """No text field starts like a spreadsheet formula: texts from the data reach published CSV tables as they
    are. ``numeric`` columns are left to the number check (which refuses '-inf' and '=1' on its own)."""
    def formula(value: str) -> bool:  # a lone '-' is a placeholder, not a formula
        return value.startswith(FORMULA_START) and len(value) > 1 and not _PLAIN_NUMBER.fullmatch(value)

    for column in frame.columns.difference(list(numeric), sort=False):
        values = frame[column]
        for position in np.flatnonzero(_per_value(values, formula)):
            value = values.iloc[position]
            problems.append(Problem(
                name, int(rows[position]), column, value,
                f"het veld begint met '{value[0]}' en is geen getal: een spreadsheet leest het als formule. "
                "Zet er een woord voor of laat het teken weg."))


def check_text(frame: pd.DataFrame, name: str, rows: np.ndarray, problems: list[Problem], *,
               invisible: bool = True, length: bool = True) -> None:
    """Every text column: no field longer than :data:`FIELD_LIMIT`, no invisible characters.

    Tabs and line breaks are allowed only in :data:`MULTILINE_COLUMNS`. Vectorised per column; only the
    offending fields are looked at one by one.
    """
    for column in frame.columns:
        values = frame[column]
        if length:
            sizes = values.str.len()
            for position in np.flatnonzero((sizes > FIELD_LIMIT).to_numpy()):
                problems.append(Problem(
                    name, int(rows[position]), column, values.iloc[position],
                    f"het veld is {sizes.iloc[position]:,} tekens lang; verwacht hoogstens {FIELD_LIMIT:,}. ".replace(",", ".")
                    + "Waarschijnlijk is een aanhalingsteken (\") niet gesloten; lange teksten horen in een document "
                      "waarnaar 'vindplaats' verwijst."))
        if invisible:
            multiline = column in MULTILINE_COLUMNS
            found = _per_value(values, lambda value: forbidden_char(value, multiline) is not None)
            for position in np.flatnonzero(found):
                value = values.iloc[position]
                char = forbidden_char(value, multiline)
                where = "" if char not in LINE_CHARACTERS else f"; een {'tab' if char == chr(9) else 'regeleinde'} " \
                                                               f"mag alleen in {_either(MULTILINE_COLUMNS)}"
                problems.append(Problem(name, int(rows[position]), column, value,
                                        f"het veld bevat {describe_char(char)}{where}. Zulke tekens zijn onzichtbaar "
                                        f"maar breken de werkmap of verhullen tekst. {fix_hint(char)}"))


def convert_decimal_commas(frame: pd.DataFrame, name: str, rows: np.ndarray, columns: tuple[str, ...],
                           problems: list[Problem]) -> None:
    """A semicolon file (Dutch Excel export): decimal commas become points in ``columns``.

    A value there that holds a point is ambiguous (thousands separator or decimal point?) and is refused.
    """
    for column in columns:
        if column not in frame.columns:
            continue
        values = frame[column]
        for position in np.flatnonzero(values.str.contains(".", regex=False).to_numpy()):
            problems.append(Problem(
                name, int(rows[position]), column, values.iloc[position],
                "dit bestand gebruikt puntkomma's en decimale komma's (Nederlandse Excel-export); een punt "
                "in een getal is dan dubbelzinnig (duizendtal of decimaal?). Verwijder duizendtalpunten of "
                "sla het bestand op als CSV met komma's en punt als decimaalteken.",
            ))
        if values.str.contains(",", regex=False).any():
            frame[column] = values.str.replace(",", ".", regex=False)


def _strip(values: pd.Series) -> pd.Series:
    """``values`` without surrounding white space; the column itself when nothing needs stripping.

    Each distinct value is looked at once (a column repeats most of its values), and the column is only
    rebuilt when a value changes, so a clean file costs no extra memory.
    """
    codes, uniques = pd.factorize(values)
    stripped = [value.strip() for value in uniques]
    if all(a == b for a, b in zip(stripped, uniques)):
        return values
    rebuilt = np.array([*stripped, ""], dtype=object)[codes]  # code -1 (missing) becomes empty
    return pd.Series(rebuilt, index=values.index, dtype=values.dtype)


def _unnamed_columns(frame: pd.DataFrame, name: str, rows: np.ndarray, problems: list[Problem]) -> None:
    """A column without a header that holds values: named at its first value (its values would be lost)."""
    for index, column in enumerate(frame.columns):
        if column != "":
            continue
        values = frame.iloc[:, index]
        filled = np.flatnonzero((values.str.strip() != "").to_numpy())
        if filled.size:
            problems.append(Problem(
                name, int(rows[filled[0]]), f"kolom {workbook.column_letters(index)} (zonder kop)",
                values.iloc[filled[0]], f"de kolom heeft geen kop in rij 1 maar wel waarden ({filled.size} rij(en)), "
                                        "die anders verloren gaan. Geef de kolom een naam of maak haar leeg."))


def read_table(path: Path, required: tuple[str, ...], problems: list[Problem], allow_empty: bool = False,
               warnings: list[Problem] | None = None, numeric: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """Read one CSV or XLSX file as text columns; append problems (and warnings) instead of raising.

    The frame gets ``_bestand`` (the file as named in messages) and ``_rij`` (the spreadsheet row) in
    front; empty rows are left out. ``numeric`` names the columns in which a semicolon file's decimal
    commas become points (see :func:`convert_decimal_commas`).
    """
    path = Path(path)
    name = display(path)
    try:
        mode = path.stat().st_mode  # never opens: a pipe or device is refused before anything reads it
    except OSError as error:
        problems.append(dangling(path) if path.is_symlink() and not path.exists() else unreadable(path, error))
        return None
    if not stat.S_ISREG(mode):
        problems.append(not_a_file(path, mode))
        return None
    try:
        if path.suffix.lower() == ".xlsx":
            read = _read_xlsx(path, name, problems, warnings)
        else:
            read = _read_csv(path, name, required, problems)
    except OSError as error:
        problems.append(unreadable(path, error))
        return None
    if read is None:
        return None
    frame, rows, semicolon, invisible, length = read
    header = [str(c).strip() for c in frame.columns]
    if not _header_problems(header, name, problems):
        return None
    frame.columns = header
    _unnamed_columns(frame, name, rows, problems)
    frame = frame.loc[:, [c != "" for c in header]]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        problems.append(Problem(name, 1, ", ".join(missing), None,
                                f"ontbrekende kolom(men); de kopregel heeft {', '.join(frame.columns)}."))
        return None
    for column in frame.columns:
        stripped = _strip(frame[column])
        if stripped is not frame[column]:
            frame[column] = stripped
    filled = np.zeros(len(frame), dtype=bool)
    for column in frame.columns:
        filled |= (frame[column] != "").to_numpy()
    if not filled.all():
        frame, rows = frame[filled].reset_index(drop=True), rows[filled]
    if frame.empty and not allow_empty:
        problems.append(Problem(name, None, None, None, "het bestand heeft een kopregel maar geen rijen."))
        return None
    if invisible or length:
        check_text(frame, name, rows, problems, invisible=invisible, length=length)
    check_formulas(frame, name, rows, problems, numeric)
    if semicolon:
        convert_decimal_commas(frame, name, rows, numeric, problems)
    frame.insert(0, "_rij", rows)
    frame.insert(0, "_bestand", name)
    return frame
