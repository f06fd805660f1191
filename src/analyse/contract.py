"""The typed contract for ``reports/``: what the theme notebooks write and what the exports read.

One module, shared by the writer (:mod:`analyse.writer`, used by the notebooks) and the exports
(:mod:`analyse.export`). Every file a theme leaves in ``reports/`` is described here:

- ``tables/<thema>/<naam>.csv`` plus a :class:`TableRecord` (title, source line, and per column its Dutch
  header, kind, unit and decimals, so an export never has to guess or repair a number);
- ``figures/<thema>/<naam>.png`` / ``.svg`` plus a :class:`FigureRecord`;
- ``tables/<thema>/kerncijfers.json``: a :class:`ThemeSummary` (key messages, key figures, figures, tables,
  warnings, the sources behind the theme and the parameters the theme really ran with);
- ``manifest.json``: a :class:`RunManifest` for the whole run (run date, data checksum, the settings of
  ``instellingen.toml``, per theme the parameters it ran with, and the run-wide tables ``monitor.csv``,
  ``reproductie.csv`` and ``trends.csv`` with their column descriptions).

JSON keys are the field names below. Everything is read back with :func:`read_summary` /
:func:`read_manifest`, which refuse a file that does not follow the contract with a clear message.
Text in these records comes from data files and parameters: it is *data*, never markup. Every export
escapes it for its own format (HTML, spreadsheet, Word).
"""

from __future__ import annotations

import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 3
SUMMARY_FILE = "kerncijfers.json"
MANIFEST_FILE = "manifest.json"

COLUMN_KINDS = ("text", "number", "year", "label", "value")
"""``text``: free text; ``number``: a value (see unit/decimals); ``year``: a year or period label, shown
without thousands separator; ``label``: a code already turned into a Dutch label; ``value``: a value as a
document wrote it, a number (in the data contract's notation, shown in Dutch notation with the decimals it was
written with) or a word ('daling')."""

FIGURE_KINDS = ("lijn", "staaf", "gestapeld", "tegel", "kleine_veelvouden", "rangorde", "positie", "kaart")
"""Line chart, bar chart, one 100% bar of complementary categories, key-figure tile, small multiples,
ranking (drawn as a table, not as bars), position among the municipalities of the same size, map."""


MONITOR_TABLE, REGISTER_TABLE, TRENDS_TABLE = "monitor", "reproductie", "trends"
"""``TableRecord.name`` of the run-wide tables in :attr:`RunManifest.tables` (``monitor.csv``,
``reproductie.csv``, ``trends.csv``)."""

REGISTER_STATUS_COLUMN = "status"
"""Column of ``reproductie.csv`` with the status code; codes, labels and meanings: ``label_texts.REGISTER_LABELS``
and ``label_texts.REGISTER_STATUSES`` (:mod:`analyse.text.label_texts`)."""
MONITOR_VERDICT_COLUMN = "oordeel"
"""Column of ``monitor.csv`` with the verdict code; labels and rules: ``label_texts.MONITOR_LABELS`` and
``label_texts.MONITOR_RULES`` (:mod:`analyse.text.label_texts`)."""


class ContractError(ValueError):
    """A file in ``reports/`` does not follow this contract (the message names the file and the field)."""


@dataclass(frozen=True)
class Column:
    """One column of a published table.

    ``unit`` is a unit of the data contract (``procent``, ``aantal``, ``per_1000``, ...) when the whole
    column has one; ``unit_column`` names the column that holds the unit per row when the rows differ
    (an overview of several indicators). ``decimals`` is the number of decimals to show for the whole
    column; ``decimals_column`` names a column with the decimals per row (values as published).
    """

    name: str
    header: str
    kind: str = "text"
    unit: str | None = None
    unit_column: str | None = None
    decimals: int | None = None
    decimals_column: str | None = None

    def __post_init__(self):
        if self.kind not in COLUMN_KINDS:
            raise ContractError(f"kolom {self.name}: soort '{self.kind}' onbekend; kies uit {', '.join(COLUMN_KINDS)}.")


@dataclass(frozen=True)
class SuppressedCell:
    """A cell not published as a number (small-numbers rule): ``row`` is 0-based over the data rows."""

    row: int
    column: str
    mark: str  # shown instead of the number, e.g. '<10'


@dataclass(frozen=True)
class TableRecord:
    """A table a theme saved: ``csv`` is relative to ``reports/``."""

    name: str
    csv: str
    title: str
    source: str
    columns: tuple[Column, ...]
    in_note: bool = False  # shown in the Word note (otherwise workbook and notebook page only)
    suppressed: tuple[SuppressedCell, ...] = ()
    notes: tuple[str, ...] = ()  # footnotes shown under the table (suppression, revisions, ...)


@dataclass(frozen=True)
class FigureRecord:
    """A figure a theme saved: ``png`` and ``svg`` are relative to ``reports/``.

    ``alt`` states what the figure shows (for screen readers and the index page), ``guidance`` is the
    'Zo leest u deze figuur' text, ``main`` marks the figures shown on the index page. ``csv`` (relative to
    ``reports/``) holds the data the figure was drawn from, offered for download beside it.
    """

    name: str
    indicator: str
    kind: str
    png: str
    svg: str
    title: str
    source: str
    guidance: str
    alt: str
    in_note: bool = True
    main: bool = False
    csv: str = ""

    def __post_init__(self):
        if self.kind not in FIGURE_KINDS:
            raise ContractError(f"figuur {self.name}: soort '{self.kind}' onbekend; kies uit {', '.join(FIGURE_KINDS)}.")


@dataclass(frozen=True)
class Benchmark:
    """A reference value next to a key figure (another region or the national figure), always of the key
    figure's comparison year and reeks (:mod:`analyse.comparisons`)."""

    region: str
    year: int
    value: float | None
    text: str


@dataclass(frozen=True)
class PeerBenchmark:
    """The municipalities of the same CBS size class in the comparison year: median, middle half, position."""

    label: str  # 'gemeenten met 20.000 tot 50.000 inwoners'
    year: int
    count: int  # peers with the figure
    median: float
    lower_quartile: float
    upper_quartile: float
    minimum: float
    maximum: float
    below: int  # peers with a lower value than the region
    above: int  # peers with a higher value
    text: str  # 'mediaan 38,2 (middelste helft 30,1-45,6)'


@dataclass(frozen=True)
class KeyFigure:
    """One number worth a tile: the newest value of a series in the window, with its source."""

    indicator: str
    label: str
    region: str
    group: str
    group_label: str
    year: int
    value: float | None  # None when suppressed by the small-numbers rule
    unit: str
    text: str  # the value as published in Dutch notation ('32.518', '26,9%', '<10')
    source: str  # 'Bron: CBS (via Gemeente Maassluis)'
    reeks: str
    estimate: bool = False
    benchmarks: tuple[Benchmark, ...] = ()  # of ``comparison_year``
    comparison_year: int | None = None  # the year of the benchmarks and peers (None: nothing comparable)
    comparison_value: float | None = None  # the region's own value in that year (when it is not ``year``)
    comparison_text: str = ""
    not_comparable: tuple[str, ...] = ()  # comparison regions without a figure of this reeks in that year
    peers: PeerBenchmark | None = None


@dataclass(frozen=True)
class Parameters:
    """The parameters a theme really ran with (after defaults were resolved)."""

    region: str
    comparison_regions: tuple[str, ...]
    start_year: int
    end_year: int
    level: str = "gemeente"


@dataclass(frozen=True)
class Source:
    """A publication behind the theme's numbers, as listed in ``data/raw/bronnen.csv``."""

    code: str
    name: str
    publisher: str
    producer: str
    grade: str  # 'primair', 'secundair' or 'schatting'
    address: str = ""


@dataclass(frozen=True)
class ThemeSummary:
    """Everything one theme notebook produced, as the exports read it."""

    theme: str
    title: str
    intro: str
    parameters: Parameters
    messages: tuple[str, ...]  # strongest first: the first two or three go into the note's summary
    key_figures: tuple[KeyFigure, ...]
    figures: tuple[FigureRecord, ...]
    tables: tuple[TableRecord, ...]
    key_table: str | None
    warnings: tuple[str, ...]
    sources: tuple[Source, ...]
    schema: int = SCHEMA_VERSION


@dataclass(frozen=True)
class ThemeRun:
    theme: str
    title: str
    parameters: Parameters
    fingerprint: str = ""  # of everything the theme's outputs were made from (see analyse.freshness)
    files: dict[str, str] = field(default_factory=dict)  # every file it published (path in the folder -> SHA-256)


@dataclass(frozen=True)
class SkippedTheme:
    """A theme a run did not execute because the region has no data for it (said in the note and the index)."""

    theme: str
    title: str
    reason: str  # Dutch, a full sentence: 'Over basisvaardigheden zijn voor Schiedam geen gegevens.'
    fingerprint: str = ""  # of the inputs the decision was made on (see analyse.freshness)


@dataclass(frozen=True)
class Settings:
    """Whom the reports of one run are about and who publishes them (resolved from ``instellingen.toml``)."""

    region: str = ""  # the municipality (or other region) the reports are about, by name
    region_code: str = ""  # its CBS code ('GM0556'), '' for a region without one
    organisation: str = ""  # author and publisher of the publications ('Gemeente Maassluis')
    department: str = ""
    contact: str = ""
    small_count: int = 10  # counts of persons below this are not published as a number
    policy_document: str = ""  # the region's policy document whose claims and targets are checked ('' = none)


@dataclass(frozen=True)
class RunManifest:
    """One complete run: when, on which data, with which settings and per theme which parameters."""

    created: str  # ISO 8601 date and time of the run (local time with offset)
    data_checksum: str
    data_years: tuple[int, int]
    settings: Settings
    themes: tuple[ThemeRun, ...]
    tables: tuple[TableRecord, ...] = ()  # run-wide tables: monitor.csv, reproductie.csv, trends.csv
    versions: dict[str, str] = field(default_factory=dict)
    skipped: tuple[SkippedTheme, ...] = ()  # themes without data for the region
    files: dict[str, str] = field(default_factory=dict)  # the run-wide files besides this one (path -> SHA-256)
    schema: int = SCHEMA_VERSION


# --------------------------------------------------------------------------- (de)serialisation

def to_json(record) -> str:
    """A contract record as JSON text (UTF-8, readable, stable key order)."""
    return json.dumps(asdict(record), ensure_ascii=False, indent=2) + "\n"


def _build(cls, value: Any, where: str):
    """Rebuild dataclass ``cls`` from parsed JSON, checking every field's presence."""
    if not isinstance(value, dict):
        raise ContractError(f"{where}: verwacht een object voor {cls.__name__}.")
    hints = {f.name: f for f in fields(cls)}
    unknown = sorted(set(value) - set(hints))
    if unknown:
        raise ContractError(f"{where}: onbekend veld {', '.join(unknown)} in {cls.__name__}.")
    kwargs = {}
    for name, f in hints.items():
        if name not in value:
            if f.default is not MISSING or f.default_factory is not MISSING:
                continue
            raise ContractError(f"{where}: veld '{name}' ontbreekt in {cls.__name__}.")
        kwargs[name] = _convert(f.type, value[name], f"{where}.{name}")
    return cls(**kwargs)


_NESTED = {
    "tuple[Column, ...]": Column, "tuple[SuppressedCell, ...]": SuppressedCell,
    "tuple[FigureRecord, ...]": FigureRecord, "tuple[TableRecord, ...]": TableRecord,
    "tuple[KeyFigure, ...]": KeyFigure, "tuple[Benchmark, ...]": Benchmark, "tuple[Source, ...]": Source,
    "PeerBenchmark": PeerBenchmark,
    "tuple[ThemeRun, ...]": ThemeRun, "Parameters": Parameters, "Settings": Settings,
    "tuple[SkippedTheme, ...]": SkippedTheme,
}


_SCALARS = {"str": (str, "tekst"), "int": (int, "een geheel getal"), "float": ((int, float), "een getal"),
            "bool": (bool, "ja of nee (true/false)")}


def _kind(value: Any) -> str:
    """What a JSON value is, in Dutch (for messages)."""
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    return {str: "tekst", int: "een getal", float: "een getal", list: "een lijst", dict: "een object",
            type(None): "null"}.get(type(value), type(value).__name__)


def _scalar(annotation: str, value: Any, where: str):
    wanted, said = _SCALARS[annotation]
    if isinstance(value, bool) and annotation != "bool" or not isinstance(value, wanted):
        raise ContractError(f"{where}: verwacht {said}, gevonden {_kind(value)}.")
    return value


def _convert(annotation: str, value: Any, where: str):
    """``value`` as field type ``annotation``; :class:`ContractError` naming the field when it has another type."""
    if annotation.endswith(" | None"):
        return None if value is None else _convert(annotation.removesuffix(" | None"), value, where)
    if annotation in _NESTED:
        cls = _NESTED[annotation]
        if annotation.startswith("tuple["):
            if not isinstance(value, list):
                raise ContractError(f"{where}: verwacht een lijst, gevonden {_kind(value)}.")
            return tuple(_build(cls, item, f"{where}[{i}]") for i, item in enumerate(value))
        return _build(cls, value, where)
    if annotation in _SCALARS:
        return _scalar(annotation, value, where)
    if annotation.startswith("tuple["):
        if not isinstance(value, list):
            raise ContractError(f"{where}: verwacht een lijst, gevonden {_kind(value)}.")
        inner = annotation[len("tuple["):-1].split(", ")
        if inner[-1] == "...":
            return tuple(_convert(inner[0], item, f"{where}[{i}]") for i, item in enumerate(value))
        if len(value) != len(inner):
            raise ContractError(f"{where}: verwacht {len(inner)} waarden, gevonden {len(value)}.")
        return tuple(_convert(kind, item, f"{where}[{i}]") for i, (kind, item) in enumerate(zip(inner, value)))
    if annotation.startswith("dict["):
        if not isinstance(value, dict):
            raise ContractError(f"{where}: verwacht een object, gevonden {_kind(value)}.")
        kind = annotation[len("dict[str, "):-1]
        return {name: _convert(kind, item, f"{where}.{name}") for name, item in value.items()}
    raise ContractError(f"{where}: onbekend veldtype {annotation}.")  # a new field type: add it above


def read_summary(path: Path) -> ThemeSummary:
    """Read ``kerncijfers.json``; :class:`ContractError` naming the file when it breaks the contract."""
    return _read(Path(path), ThemeSummary)


def read_manifest(path: Path) -> RunManifest:
    return _read(Path(path), RunManifest)


def _read(path: Path, cls):
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ContractError(f"{path}: niet te lezen als JSON ({error}).") from error
    if isinstance(value, dict) and value.get("schema") != SCHEMA_VERSION:
        raise ContractError(f"{path}: schemaversie {value.get('schema')!r}, verwacht {SCHEMA_VERSION}; "
                            "voer `analyse run` opnieuw uit.")
    return _build(cls, value, path.name)
