"""A check over a whole reports folder: no count of persons under the threshold, and no teller or noemer under it,
is shown as a plain number in any file (issue 24, part 6).

Independent of :mod:`analyse.disclosure` and :mod:`analyse.gate`: it reads the catalogue, the observations and the
claims itself, decides which numbers are secret, and scans what every file shows:

- **the tables** (every CSV that ``manifest.json`` or a ``kerncijfers.json`` describes): a teller, noemer or
  respondents column, or a count of a person indicator (``personen`` in ``indicatoren.csv``), under the threshold
  in a row about persons fails;
- **the key figures** of every ``kerncijfers.json``: a count of persons under the threshold fails;
- **every file** (CSV, JSON, the executed notebooks, the HTML pages, the workbook, the Word note): a cell or a
  paragraph that names a secret figure (its region, group and year; a claim by its id; a quotation of the
  document by its opening words) must not show the secret number, in digits (Dutch or English notation) or as a
  Dutch word ('vijf'). A secret is a count of persons under the threshold, a teller, noemer or number of
  respondents under it, a share or rate resting on one (also the share the register recomputes from a small
  teller), and whatever a claim of the register quotes of them.

:func:`leaks` returns one Dutch line per leak (file, where, what); empty when the folder is clean.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

FACTORS = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}
WORDS = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf",
         "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien", "twintig")
# a number as a reader sees it: not part of a code (H2, h4-10, 'Wijk 05'), a range (2009-2018) or a mark (<10)
NUMBER = re.compile(r"(?<![\w.,<])(?<!\w-)(?!0\d)(\d+(?:[.,]\d+)*)(?![.,-]?\w)(%?)")
NOT_PERSONS = re.compile(r"\s*(jaar|jaren|meetjaren|meetpunten|metingen|decimaal|decimalen|keer)\b", re.IGNORECASE)
"""After a whole number: it counts years, measurements or decimals, not persons ('1 jaar (2017)')."""
WORD = re.compile(r"(?<![\w-])(" + "|".join(WORDS) + r")(?![\w-])", re.IGNORECASE)
STRUCTURE = ("decimalen", "jaar", "jaren", "minimum", "ontbrekend", "gewichten", "durbin", "dw_p")
"""Columns (CSV names, or words in a header) holding decimals, years and other counts that are never persons:
skipped by the text scan."""


@dataclass(frozen=True)
class Secret:
    """A number that may not be shown where a text names its figure."""

    what: str  # Dutch, for the message
    anchors: tuple[tuple[str, ...], ...]  # each slot: one of these texts must be in the cell's context
    value: float
    count: bool  # a whole count (also sought as a word) rather than a share or rate


# --------------------------------------------------------------------------- what is secret

def person_indicators(indicatoren: pd.DataFrame) -> set[str]:
    flags = indicatoren["personen"].fillna("").astype(str).str.strip().str.lower() == "ja"
    persons = set(indicatoren.loc[flags, "indicator"])
    tellers = indicatoren.get("afgeleid_teller", pd.Series("", index=indicatoren.index)).fillna("")
    return persons | set(indicatoren.loc[tellers.isin(persons), "indicator"])


def secrets(dataset, threshold: int) -> list[Secret]:
    """Every secret number of the data and of the register (see the module docstring)."""
    obs = dataset.observations
    live = obs[obs["vervangen_door"].fillna("") == ""] if "vervangen_door" in obs.columns else obs
    persons = person_indicators(dataset.indicatoren)
    labels = dict(zip(dataset.groepen["groep"], dataset.groepen["label"]))
    found: list[Secret] = []
    by_key: dict[tuple, list[Secret]] = {}

    def add(indicator, regio, groep, jaar, value, count, what) -> None:
        secret = Secret(what, ((regio,), (groep, labels.get(groep, groep)), (str(int(jaar)),)), float(value), count)
        found.append(secret)
        by_key.setdefault((indicator, regio, groep, int(jaar)), []).append(secret)

    value = pd.to_numeric(live["waarde"], errors="coerce")
    small_count = (live["eenheid"] == "aantal") & live["indicator"].isin(persons) & (value < threshold)
    for row in live[small_count].to_dict("records"):
        add(row["indicator"], row["regio"], row["groep"], row["jaar"], row["waarde"], True,
            f"{row['indicator']} {row['regio']} {row['groep']} {row['jaar']}: {row['waarde']:g} personen")
    rates = live["eenheid"].isin(list(FACTORS)) & ((live["eenheid"] == "procent") | live["indicator"].isin(persons))
    for row in live[rates].to_dict("records"):
        parts = {c: row.get(c) for c in ("teller", "noemer", "n") if pd.notna(row.get(c))}
        if "teller" not in parts and "noemer" in parts and pd.notna(row["waarde"]):
            parts["impliciete teller"] = round(row["waarde"] * parts["noemer"] / FACTORS[row["eenheid"]])
        small = {c: v for c, v in parts.items() if v < threshold}
        if not small:
            continue
        where = f"{row['indicator']} {row['regio']} {row['groep']} {row['jaar']}"
        add(row["indicator"], row["regio"], row["groep"], row["jaar"], row["waarde"], False,
            f"{where}: {row['waarde']:g} rust op {', '.join(f'{c} {v:g}' for c, v in small.items())}")
        for column, number in small.items():
            add(row["indicator"], row["regio"], row["groep"], row["jaar"], number, True,
                f"{where}: {column} {number:g}")
    return found + _claim_secrets(dataset.beweringen, live, by_key, labels)


def _year(value) -> int | None:
    return int(value) if str(value).strip().isdigit() else None


def _claim_secrets(beweringen: pd.DataFrame, live: pd.DataFrame, by_key: dict, labels: dict) -> list[Secret]:
    """The secrets a claim of the register touches, anchored on its id and on its quotation; a share it
    recomputes from a secret teller or noemer is a secret of its region, group and year too."""
    found: list[Secret] = []
    quoted: dict[str, list[Secret]] = {}

    def values(indicator, regio, groep, jaar) -> list[float]:
        rows = live[(live["indicator"] == indicator) & (live["regio"] == regio) & (live["groep"] == groep)
                    & (live["jaar"] == jaar)]
        return [float(v) for v in rows["waarde"]]

    for claim in beweringen.fillna("").to_dict("records"):
        kind, indicator, regio, groep = claim["berekening"], claim["indicator"], claim["regio"], claim["groep"]
        jaar, jaar_tot = _year(claim["jaar"]), _year(claim.get("jaar_tot", ""))
        involved = []
        regions = [r.strip() for r in regio.split(";")]
        groups = [g.strip() for g in groep.split(";")]
        years = range(jaar or 0, (jaar_tot or jaar or 0) + 1) if kind == "richting" else [jaar, jaar_tot]
        for r in regions:
            for g in groups:
                for y in years:
                    involved += by_key.get((indicator, r, g, y), [])
        figure = bool(involved) and kind not in ("richting", "hoogste", "laagste")
        if kind in ("aandeel", "per_1000"):
            noemer_groep = claim.get("noemer_groep") or "totaal"
            denominators = by_key.get((claim["noemer_indicator"], regio, noemer_groep, jaar), [])
            involved += denominators
            figure = bool(involved)
            if figure:
                factor = 100 if kind == "aandeel" else 1000
                shares = [t / n * factor for t in values(indicator, regio, groep, jaar)
                          for n in values(claim["noemer_indicator"], regio, noemer_groep, jaar) if n]
                for share in shares + [float(claim["verwacht"])]:
                    found.append(Secret(f"{claim['id']}: aandeel {share:g} op een klein aantal",
                                        ((regio,), (groep, labels.get(groep, groep)), (str(jaar),)), share, False))
                    involved.append(Secret("", (), share, False))
        numbers = [s for s in involved if s.value is not None]
        if figure and re.fullmatch(r"-?\d+(\.\d+)?", str(claim["verwacht"]).strip()):
            expected = float(claim["verwacht"])
            numbers.append(Secret("", (), expected, expected == int(expected) and kind == "waarde"))
        for secret in numbers:
            found.append(Secret(f"{claim['id']}: {secret.value:g}", ((claim["id"],),), secret.value, secret.count))
        # a quotation also speaks of the other groups of the breakdown it quotes ('vijf hbo, acht mbo, één vmbo')
        others = [s for (i, r, _, y), listed in by_key.items() if (i, y) == (indicator, jaar) and r in regions
                  for s in listed]
        quoted.setdefault(claim["citaat"], []).extend(numbers + others)
    for citaat, numbers in quoted.items():
        opening = " ".join(citaat.split()[:6])
        for secret in numbers:
            found.append(Secret(f"citaat '{opening} …': {secret.value:g}", ((opening,),), secret.value, secret.count))
    return found


# --------------------------------------------------------------------------- what a file shows

@dataclass(frozen=True)
class Cell:
    """Something a file shows: its text, the context that names what it is about, and where it is."""

    text: str
    context: str
    where: str


def _readings(token: str) -> list[tuple[Decimal, int]]:
    if "," in token:
        whole, _, fraction = token.replace(".", "").partition(",")
        return [] if "," in fraction else [(Decimal(f"{whole}.{fraction}"), len(fraction))]
    parts = token.split(".")
    found = []
    if len(parts) == 1:
        found.append((Decimal(token), 0))
    if len(parts) == 2:
        found.append((Decimal(token), len(parts[1])))
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        found.append((Decimal("".join(parts)), 0))
    return found


def shows(text: str, secret: Secret) -> str | None:
    """The token of ``text`` that shows ``secret`` (None when it does not)."""
    value = Decimal(repr(secret.value))
    whole = value == value.to_integral_value()
    for match in NUMBER.finditer(text):
        for shown, decimals in _readings(match.group(1)):
            if whole and shown == value and not NOT_PERSONS.match(text, match.end()):
                return match.group(0)
            if not whole and (decimals > 0 or match.group(2)):
                if value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) == shown:
                    return match.group(0)
    if secret.count and whole and 0 <= value < len(WORDS):
        for match in WORD.finditer(text):
            if WORDS.index(match.group(1).lower()) == value:
                return match.group(0)
    return None


def _table_cells(rows: list[list[str]], where: str, skip: set[int] = frozenset()) -> list[Cell]:
    """Cells of a table whose first row is its header: context = the row and the cell's column header; columns
    ``skip`` and those whose header names a :data:`STRUCTURE` word are not scanned."""
    if not rows:
        return []
    header = rows[0]
    skip = set(skip) | {i for i, name in enumerate(header) if any(s in name.casefold() for s in STRUCTURE)}
    cells = [Cell(" | ".join(header), " | ".join(header), f"{where}, kop")]
    for r, row in enumerate(rows[1:], start=2):
        line = " | ".join(row)
        for c, text in enumerate(row):
            if c in skip or not text:
                continue
            head = header[c] if c < len(header) else ""
            cells.append(Cell(text, f"{line} | {head}", f"{where}, rij {r}, kolom {head or c + 1}"))
    return cells


def _csv_cells(path: Path, where: str) -> list[Cell]:
    return _table_cells(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))), where)


JSON_STRUCTURE = {"row", "decimals", "schema", "data_years", "year", "kind", "unit"}
"""Keys of the contract's JSON whose numbers are positions, years or settings, never persons."""


def _json_cells(value, where: str, context: str = "") -> list[Cell]:
    """Every dict's scalars as one cell (its ancestors' scalars as context), every string of a list as one."""
    if isinstance(value, dict):
        scalars = [str(v) for k, v in value.items()
                   if isinstance(v, (str, int, float)) and not isinstance(v, bool) and k not in JSON_STRUCTURE]
        years = [str(v) for k, v in value.items() if k == "year"]  # context only: a year names the figure
        own = " | ".join(scalars)
        if years:
            context = f"{context} | {' | '.join(years)}"
        cells = [Cell(own, f"{context} | {own}", where)] if own else []
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                cells += _json_cells(item, f"{where}.{key}", f"{context} | {own}")
        return cells
    if isinstance(value, list):
        cells = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                cells.append(Cell(item, f"{context} | {item}", f"{where}[{i}]"))
            else:
                cells += _json_cells(item, f"{where}[{i}]", context)
        return cells
    return []


class _Page(HTMLParser):
    """Tables (rows of cells, with their header row) and blocks of text of an HTML page."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption", "dd", "dt", "title", "div",
              "blockquote", "pre", "td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.blocks: list[str] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell = []
        if tag in self.BLOCKS or tag == "br":
            self._flush()
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.blocks.append(alt)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._stack and self._cell is not None:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._stack[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append([row for row in self._stack.pop() if row])
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        self._text.append(data)

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []


def _html_cells(markup: str, where: str) -> list[Cell]:
    page = _Page()
    page.feed(markup)
    page.close()
    page._flush()
    cells = [Cell(block, block, f"{where}, tekst") for block in page.blocks]
    for t, table in enumerate(page.tables, start=1):
        cells += _table_cells(table, f"{where}, tabel {t}")
    return cells


def _notebook_cells(path: Path, where: str) -> list[Cell]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for n, cell in enumerate(notebook.get("cells", []), start=1):
        source = "".join(cell.get("source", []))
        cells.append(Cell(source, source, f"{where}, cel {n}"))
        for output in cell.get("outputs", []):
            content = output.get("data", {})
            if "text/html" in content:
                cells += _html_cells("".join(content["text/html"]), f"{where}, cel {n}")
            for key in ("text/plain", "text/markdown"):
                if key in content:
                    text = "".join(content[key])
                    cells += [Cell(line, line, f"{where}, cel {n}") for line in text.splitlines() if line.strip()]
            if "text" in output:
                text = "".join(output["text"])
                cells += [Cell(line, line, f"{where}, cel {n}") for line in text.splitlines() if line.strip()]
    return cells


def _xlsx_cells(path: Path, where: str) -> list[Cell]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    cells = []
    for sheet in book.worksheets:
        rows = [["" if v is None else (format(v, "g") if isinstance(v, float) else str(v)) for v in row]
                for row in sheet.iter_rows(values_only=True)]
        rows = [row for row in rows if any(row)]
        start = max(range(min(len(rows), 8)), key=lambda i: sum(bool(v) for v in rows[i]), default=0)
        cells += [Cell(" | ".join(row), " | ".join(row), f"{where}, blad {sheet.title}") for row in rows[:start]]
        cells += _table_cells(rows[start:], f"{where}, blad {sheet.title}")
    return cells


def _docx_cells(path: Path, where: str) -> list[Cell]:
    from docx import Document

    document = Document(str(path))
    cells = [Cell(p.text, p.text, f"{where}, alinea") for p in document.paragraphs if p.text.strip()]
    for section in document.sections:
        for part in (section.header, section.footer):
            cells += [Cell(p.text, p.text, f"{where}, kop/voet") for p in part.paragraphs if p.text.strip()]
    for t, table in enumerate(document.tables, start=1):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        cells += _table_cells(rows, f"{where}, tabel {t}")
    with zipfile.ZipFile(path) as archive:  # text boxes, footnotes and anything else with text
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml") and name != "word/document.xml":
                xml = archive.read(name).decode("utf-8", "replace")
                text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
                if text.strip():
                    cells.append(Cell(text, text, f"{where}, {name}"))
    return cells


def file_cells(path: Path, where: str) -> list[Cell]:
    """What one file of a reports folder shows, as cells (empty for figures and unknown kinds)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_cells(path, where)
    if suffix == ".ipynb":
        return _notebook_cells(path, where)
    if suffix == ".json":
        return _json_cells(json.loads(path.read_text(encoding="utf-8")), where)
    if suffix in (".html", ".htm"):
        return _html_cells(path.read_text(encoding="utf-8"), where)
    if suffix == ".xlsx":
        return _xlsx_cells(path, where)
    if suffix == ".docx":
        return _docx_cells(path, where)
    return []


# --------------------------------------------------------------------------- the check

@dataclass(frozen=True)
class _Anchor:
    """One anchor text as a whole word or phrase ('h4-1' is not in 'h4-10', '2017' is in '2016/2017')."""

    pattern: re.Pattern

    @classmethod
    def of(cls, text: str) -> _Anchor:
        return cls(re.compile(r"(?<![\w-])" + re.escape(text.casefold()) + r"(?![\w-])"))


def _anchored(context: str, slots: list[list[_Anchor]]) -> bool:
    return all(any(a.pattern.search(context) for a in slot) for slot in slots)


def _table_leaks(root: Path, record: dict, persons: set[str], threshold: int) -> list[str]:
    """A teller, noemer, respondents or count of persons under the threshold in a row about persons."""
    path = root / record["csv"]
    if not path.is_file():
        return []
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    units = {c["name"]: (c.get("unit"), c.get("unit_column")) for c in record["columns"]}
    found = []
    for i, row in enumerate(table.to_dict("records"), start=2):
        indicator = row.get("indicator", "")
        about_persons = indicator in persons or row.get("eenheid") == "procent" or "indicator" not in row
        for column, text in row.items():
            try:
                value = float(text)
            except ValueError:
                continue
            unit, unit_column = units.get(column, (None, None))
            unit = row.get(unit_column) if unit_column else unit
            base = re.fullmatch(r"(teller|noemer)(_\w+)?|n", column) is not None
            count = unit == "aantal" and "waarde" in column and indicator in persons
            count = count or (column in persons and unit == "aantal")  # 'inwoners' per wijk
            if value < threshold and ((base and about_persons) or count):
                found.append(f"{record['csv']}, rij {i}, kolom {column}: {text} (minder dan {threshold}, "
                             f"{indicator or 'personen'})")
    return found


def leaks(reports: Path, dataset, threshold: int | None = None) -> list[str]:
    """Every leak in ``reports`` (a folder ``reports/<gemeente>/``), one Dutch line each."""
    reports = Path(reports)
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    threshold = threshold if threshold is not None else int(manifest["settings"]["small_count"])
    persons = person_indicators(dataset.indicatoren)
    found = []
    records = list(manifest.get("tables", []))
    for summary_path in sorted(reports.glob("tables/*/kerncijfers.json")):
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        records += summary.get("tables", [])
        for figure in summary.get("key_figures", []):
            for region, year, value, text in [(figure["region"], figure["year"], figure["value"], figure["text"]),
                                              *[(b["region"], b["year"], b["value"], b["text"])
                                                for b in figure.get("benchmarks", [])]]:
                small = figure["unit"] == "aantal" and figure["indicator"] in persons and value is not None
                if small and value < threshold:
                    found.append(f"{summary_path.relative_to(reports)}: kerncijfer {figure['indicator']} {region} "
                                 f"{year}: {text}")
    for record in records:
        found += _table_leaks(reports, record, persons, threshold)
    by_first: dict[str, list[tuple[Secret, list[list[_Anchor]]]]] = {}  # the first anchor slot, looked up first
    for secret in secrets(dataset, threshold):
        slots = [[_Anchor.of(a) for a in slot if a] for slot in secret.anchors]
        for first in secret.anchors[0]:
            by_first.setdefault(first.casefold(), []).append((secret, slots))
    for path in sorted(p for p in reports.rglob("*") if p.is_file()):
        where = path.relative_to(reports).as_posix()
        for cell in file_cells(path, where):
            context = cell.context.casefold()
            for first, candidates in by_first.items():
                if first not in context:
                    continue
                for secret, slots in candidates:
                    if _anchored(context, slots) and (token := shows(cell.text, secret)) is not None:
                        found.append(f"{cell.where}: '{token}' is {secret.what} ({cell.text[:120]!r})")
    return list(dict.fromkeys(found))
