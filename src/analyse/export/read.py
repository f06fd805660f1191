"""Read ``reports/`` for the publications: the run manifest, the theme summaries and their tables.

Everything goes through :mod:`analyse.contract`: :func:`~analyse.contract.read_manifest`,
:func:`~analyse.contract.read_summary` and, per table, its :class:`~analyse.contract.Column` specs. A
number column is read as numbers and shown with the decimals its spec states (per column, or per row
from ``decimals_column``); a suppressed cell shows its mark; a unit column shows Dutch unit words.

All text in the records and tables is *data*: :func:`clean` takes out control characters (which no
output format can hold) and every writer escapes for its own format.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
import struct
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from analyse import contract
from analyse.schema import NUMBER
from analyse.contract import Column, ContractError, FigureRecord, RunManifest, Source, TableRecord, ThemeSummary
from analyse.text.label_texts import CODE_LABELS, MONITOR_LABELS, REGISTER_LABELS
from analyse.text.notation import EN_DASH, MISSING, format_date, format_number, published_decimals, year_range

log = logging.getLogger("analyse.export")

# Control characters no publication format can hold (XML 1.0 refuses them; a spreadsheet cell too).
# Tab and line feed stay (Word and Excel show them); a carriage return becomes a line feed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

UNIT_WORDS = {
    "aantal": "aantal", "procent": "procent", "procentpunt": "procentpunt", "per_100": "per 100",
    "per_1000": "per 1.000", "per_10000": "per 10.000", "rapportcijfer": "rapportcijfer", "score": "score",
    "index": "index", "rang": "rang", "euro": "euro", "jaren": "jaren",
}
"""Unit codes of the data contract as a reader reads them (in a unit column)."""
UNIT_IN_HEADER = {
    "procent": "%", "procentpunt": "procentpunt", "per_100": "per 100", "per_1000": "per 1.000",
    "per_10000": "per 10.000", "euro": "€", "jaren": "jaren",
}
"""What a column header says about its unit when the whole column has one ('Aandeel (%)')."""
GRADES = {"primair": "primaire bron", "secundair": "secundaire bron (aangehaald in een andere publicatie)",
          "schatting": "schatting", "niet_citeerbaar": "niet te citeren: de cijfers uit deze bron zijn niet gebruikt"}


class ExportError(Exception):
    """The reports folder holds nothing to publish (the message says what to do, in Dutch)."""


def clean(text) -> str:
    """``text`` as a string without control characters (line ends as ``\\n``); ``None`` becomes ''."""
    if text is None:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _clean_record(value):
    """A contract record with :func:`clean` applied to every string in it."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, tuple):
        return tuple(_clean_record(v) for v in value)
    if isinstance(value, dict):
        return {clean(k): _clean_record(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _clean_record(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def png_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG file, from its header; None when it is not a PNG."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(24)
    except OSError:
        return None
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


# --------------------------------------------------------------------------- tables

@dataclass(frozen=True)
class Cell:
    """One published cell: ``value`` for the workbook (a number stays a number), ``text`` as printed."""

    value: float | int | str | None
    text: str
    decimals: int | None = None  # for a number: decimals shown
    suppressed: bool = False


@dataclass(frozen=True)
class Table:
    record: TableRecord
    columns: tuple[Column, ...]  # the published columns (a column only holding decimals is left out)
    rows: tuple[tuple[Cell, ...], ...]
    theme: str | None = None  # theme code; None for the run-wide tables

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def source(self) -> str:
        return self.record.source

    def headers(self) -> list[str]:
        return [header(c) for c in self.columns]

    def column(self, name: str) -> int | None:
        names = [c.name for c in self.columns]
        return names.index(name) if name in names else None

    def is_number(self, j: int) -> bool:
        return self.columns[j].kind in ("number", "year")

    def filled(self) -> list[int]:
        """Columns with at least one value (an empty column says nothing in print)."""
        return [j for j in range(len(self.columns))
                if any(row[j].value is not None or row[j].suppressed for row in self.rows)]


def header(column: Column) -> str:
    """The column header, with the unit when the whole column has one and the header does not say it."""
    text = column.header
    unit = UNIT_IN_HEADER.get(column.unit or "")
    if column.kind == "number" and unit and unit.lower() not in text.lower():
        text = f"{text} ({unit})"
    return text


def _number(text: str, where: str) -> float | int:
    try:
        value = float(text)
    except ValueError:
        raise ContractError(f"{where}: '{text}' is geen getal.") from None
    if math.isinf(value) or math.isnan(value):
        raise ContractError(f"{where}: '{text}' is geen eindig getal.")
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


_WRITTEN_NUMBER = re.compile(NUMBER)


def _year(text: str) -> int | str:
    try:
        value = float(text)
    except ValueError:
        return text  # a period label: '2016/2017', 'juli 2018'
    return int(value) if value.is_integer() else text


def read_table(root: Path, record: TableRecord, theme: str | None = None,
               labels: dict[str, str] | None = None) -> Table:
    """The CSV of ``record`` (relative to ``root``) as published cells; :class:`ContractError` when a
    column of the spec is missing or a number column holds text outside a suppressed cell.

    ``labels`` maps codes to Dutch labels for text cells (register statuses, monitor verdicts, theme
    titles in a ``thema`` column).
    """
    path = root / record.csv
    where = record.csv
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ContractError(f"{where}: niet te lezen ({error}).") from error
    missing = [c.name for c in record.columns if c.name not in raw.columns]
    if missing:
        raise ContractError(f"{where}: kolom {', '.join(missing)} ontbreekt.")
    suppressed = {(s.row, s.column): clean(s.mark) for s in record.suppressed}
    decimals_only = {c.decimals_column for c in record.columns if c.decimals_column}
    published = tuple(c for c in record.columns if c.name not in decimals_only)
    unit_columns = {c.unit_column for c in record.columns if c.unit_column}
    labels = labels or {}
    rows = []
    for i, raw_row in enumerate(raw.to_dict("records")):
        cells = []
        for column in published:
            text = clean(raw_row[column.name]).strip()
            at = f"{where}, rij {i + 1}, kolom {column.name}"
            if (i, column.name) in suppressed:
                mark = suppressed[(i, column.name)]
                cells.append(Cell(mark, mark, suppressed=True))
            elif column.kind == "number":
                if not text:
                    cells.append(Cell(None, MISSING))
                    continue
                value = _number(text, at)
                decimals = column.decimals
                if column.decimals_column:
                    own = clean(raw_row.get(column.decimals_column, "")).strip()
                    decimals = int(float(own)) if own else None
                if decimals is None:
                    decimals = published_decimals(value)
                cells.append(Cell(value, format_number(value, decimals), decimals))
            elif column.kind == "value" and _WRITTEN_NUMBER.fullmatch(text):
                value = _number(text, at)
                decimals = published_decimals(text) or 0
                cells.append(Cell(value, format_number(value, decimals), decimals))
            elif column.kind == "year":
                value = _year(text) if text else None
                cells.append(Cell(value, "" if value is None else str(value)))
            else:
                if column.name in unit_columns:
                    shown = UNIT_WORDS.get(text, text)
                else:
                    shown = labels.get(text, text)
                cells.append(Cell(shown or None, shown))
        rows.append(tuple(cells))
    return Table(record, published, tuple(rows), theme)


# --------------------------------------------------------------------------- the whole folder

@dataclass
class Theme:
    summary: ThemeSummary
    figures: list[FigureRecord]  # those whose PNG exists
    tables: list[Table]  # readable tables, in summary order

    @property
    def code(self) -> str:
        return self.summary.theme

    @property
    def title(self) -> str:
        return self.summary.title

    @property
    def key_table(self) -> Table | None:
        return next((t for t in self.tables if t.record.name == self.summary.key_table), None)

    def note_tables(self) -> list[Table]:
        """Tables for the Word note: the key table first, then those marked ``in_note``."""
        key = self.key_table
        rest = [t for t in self.tables if t is not key and t.record.in_note]
        return ([key] if key is not None else []) + rest


@dataclass
class Reports:
    root: Path
    manifest: RunManifest
    themes: list[Theme]
    monitor: Table | None = None
    register: Table | None = None
    trends: Table | None = None
    notes: list[str] = field(default_factory=list)  # Dutch, for a reader: what is missing (no paths)

    @property
    def settings(self) -> contract.Settings:
        return self.manifest.settings

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.manifest.created)

    @property
    def run_date(self) -> str:
        return format_date(self.created)

    @property
    def years(self) -> str:
        return year_range(*self.manifest.data_years, dash=EN_DASH)

    @property
    def region(self) -> str:
        return self.themes[0].summary.parameters.region if self.themes else ""

    @property
    def title(self) -> str:
        return f"Integratie in {self.region}" if self.region else "Integratie-indicatoren"

    @property
    def subtitle(self) -> str:
        return "Analyse van de integratie-indicatoren"

    def sources(self) -> dict[str, list[Source]]:
        """Every source behind the themes, once, grouped by producer (in order of first appearance)."""
        seen: set[str] = set()
        grouped: dict[str, list[Source]] = {}
        for theme in self.themes:
            for source in theme.summary.sources:
                key = source.code or source.name
                if key in seen:
                    continue
                seen.add(key)
                grouped.setdefault(source.producer or source.publisher or "Onbekende producent", []).append(source)
        return grouped

    def run_tables(self) -> list[Table]:
        return [t for t in (self.monitor, self.register, self.trends) if t is not None]

    def suppression_marks(self) -> list[str]:
        marks = {cell.text for table in self.all_tables() for row in table.rows for cell in row if cell.suppressed}
        return sorted(marks) or [f"<{format_number(self.settings.small_count)}"]

    def all_tables(self) -> list[Table]:
        return [t for theme in self.themes for t in theme.tables] + self.run_tables()


def source_line(source: Source) -> str:
    """'Begroting 2019, kerngegevens – primaire bron'; 'Nieuwsbericht, via Schiedam24 – secundaire bron (...)'."""
    via = f", via {source.publisher}" if source.publisher and source.publisher != source.producer else ""
    grade = GRADES.get(source.grade, source.grade)
    return f"{source.name}{via} – {grade}" if grade else f"{source.name}{via}"


def _read_theme(root: Path, summary: ThemeSummary, labels: dict[str, str], notes: list[str],
                run_csvs: set[str]) -> Theme:
    figures = []
    for figure in summary.figures:
        if (root / figure.png).is_file():
            figures.append(figure)
        else:
            notes.append(f"{summary.title}: de figuur '{figure.title}' ontbreekt.")
            log.warning("%s: figuur %s ontbreekt en is overgeslagen.", summary.theme, figure.png)
    tables = []
    for record in summary.tables:
        if record.csv in run_csvs:  # the same file as a run-wide table: shown once, there
            continue
        try:
            tables.append(read_table(root, record, summary.theme, labels))
        except ContractError as error:
            notes.append(f"{summary.title}: de tabel '{record.title}' ontbreekt of is onleesbaar.")
            log.warning("%s: tabel overgeslagen: %s", summary.theme, error)
    return Theme(summary, figures, tables)


def load_reports(reports_dir: Path) -> Reports:
    """Everything `analyse run` wrote, read through the contract.

    A missing manifest or no theme summary at all is an :class:`ExportError`; a missing or broken theme,
    figure or table becomes a Dutch note (for the publication, without paths) and a warning in the log.
    """
    root = Path(reports_dir)
    manifest_path = root / contract.MANIFEST_FILE
    if not manifest_path.is_file():
        raise ExportError(f"Geen {contract.MANIFEST_FILE} in {root}: voer eerst `analyse run` uit.")
    try:
        manifest = _clean_record(contract.read_manifest(manifest_path))
    except ContractError as error:
        raise ExportError(str(error)) from error
    titles = {run.theme: run.title for run in manifest.themes}
    labels = {**CODE_LABELS, **titles}
    run_records = {t.name: t for t in manifest.tables}
    run_csvs = {t.csv for t in manifest.tables}
    notes: list[str] = [skipped.reason for skipped in manifest.skipped]
    without_document = not manifest.settings.policy_document
    themes = []
    for run in manifest.themes:
        path = root / "tables" / run.theme / contract.SUMMARY_FILE
        if not path.is_file():
            notes.append(f"Het thema {run.title} is niet opgenomen: deze run heeft er geen resultaten van.")
            log.warning("Thema %s overgeslagen: %s ontbreekt.", run.theme, path.relative_to(root))
            continue
        try:
            summary = _clean_record(contract.read_summary(path))
        except ContractError as error:
            notes.append(f"Het thema {run.title} is niet opgenomen: de resultaten zijn onleesbaar.")
            log.warning("Thema %s overgeslagen: %s", run.theme, error)
            continue
        themes.append(_read_theme(root, summary, labels, notes, run_csvs))
    if not themes:
        raise ExportError(f"Geen kerncijfers gevonden in {root}/tables/*/{contract.SUMMARY_FILE}: "
                          "voer eerst `analyse run` uit.")
    reports = Reports(root, manifest, themes, notes=notes)
    for name, attribute, what in ((contract.MONITOR_TABLE, "monitor", "De doelenmonitor"),
                                  (contract.REGISTER_TABLE, "register", "Het reproductieregister"),
                                  (contract.TRENDS_TABLE, "trends", "De trendtabel")):
        record = run_records.get(name)
        if record is None:
            if name != contract.TRENDS_TABLE and not without_document:  # else: no document to check, no targets
                notes.append(f"{what} is niet opgenomen: deze run heeft er geen gemaakt.")
            continue
        try:
            setattr(reports, attribute, read_table(root, record, None, labels))
        except ContractError as error:
            notes.append(f"{what} is niet opgenomen: de tabel is onleesbaar.")
            log.warning("%s overgeslagen: %s", record.csv, error)
    return reports


# --------------------------------------------------------------------------- register and monitor

def register_counts(register: Table) -> list[tuple[str, str, int]]:
    """(status code, Dutch label, number of claims) for every status in the register, in contract order;
    a status the contract does not know is counted under its own text, after those."""
    j = register.column(contract.REGISTER_STATUS_COLUMN)
    if j is None:
        return []
    by_label = {label: code for code, label in REGISTER_LABELS.items()}
    counts: dict[str, int] = {}
    for row in register.rows:
        text = row[j].text
        counts[by_label.get(text, text)] = counts.get(by_label.get(text, text), 0) + 1
    known = [(code, label, counts.pop(code)) for code, label in REGISTER_LABELS.items() if code in counts]
    return known + [(text, text, n) for text, n in counts.items()]


def verdict_counts(monitor: Table) -> list[tuple[str, int]]:
    """(Dutch verdict, number of targets), in the order of :data:`analyse.MONITOR_LABELS`."""
    j = monitor.column(contract.MONITOR_VERDICT_COLUMN)
    if j is None:
        return []
    counts: dict[str, int] = {}
    for row in monitor.rows:
        counts[row[j].text or "geen oordeel"] = counts.get(row[j].text or "geen oordeel", 0) + 1
    order = list(MONITOR_LABELS.values())
    return sorted(counts.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
