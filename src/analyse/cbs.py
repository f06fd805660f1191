"""``analyse fetch cbs``: update observations from CBS open data (StatLine, OData v3).

:func:`fetch_cbs` reads the table's mapping (:mod:`analyse.cbs_mapping`), looks the regions up in
``regios.csv``, reads the table's metadata to check the mapping and to find the exact keys, downloads only
the mapped cells (:mod:`analyse.cbs_http`: timeouts, a page limit, retries), turns them into observation
rows, merges them into the mapping's file in ``data/raw`` and checks the result with the project's own
validation (the checks of ``analyse validate``) before anything is written. A refused fetch writes nothing.

Two CBS details handled here:

- Dimension keys are padded with spaces (``'GM0556  '``, ``'0.0.0 '``) to a width that differs per table.
  The padding is never guessed: the exact key is the one in the table's own dimension metadata whose
  stripped form is the requested code.
- A provisional period (title ending in ``'*'``, e.g. ``'2024*'``) gives rows with ``status`` ``voorlopig``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from analyse import data
from analyse.cbs_http import ODataClient
from analyse.cbs_mapping import FetchError, Key, Mapping, Series, load_mapping
from analyse.schema import DataError

COLUMNS = ("indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron", "reeks", "periode", "status",
           "vindplaats", "opmerking")
NEEDED = ("indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron")
KEY = ("indicator", "regio", "groep", "jaar", "bron", "reeks")
SHOWN_KEY = ("indicator", "regio", "groep", "jaar", "reeks")
PROVISIONAL = "voorlopig"
BRONNEN_COLUMNS = ("bron", "naam", "uitgever", "datum", "adres", "licentie", "producent", "soort")
REGIOS_COLUMNS = ("regio", "code", "niveau", "ligt_in", "label", "opmerking")
# CBS region codes whose length is fixed: prefix -> number of digits
REGION_CODE_DIGITS = {"GM": 4, "WK": 6, "BU": 8}
LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
# a code in regios.csv -> the code some CBS tables use for the same region
REGION_ALIASES = {"NL01": "NL00"}
STATLINE_URL = {"opendata": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table}/table",
                "dataderden": "https://dataderden.cbs.nl/ODataApi/odata/{table}"}
LICENCE = "CC BY 4.0"
MAX_REQUEST_ROWS = 9000        # CBS refuses a query of more than 10.000 rows: ask in parts below that
MAX_REGIONS_PER_REQUEST = 100  # keeps the address of one request short
MAX_TOTAL_ROWS = 1_000_000     # cells in one fetch, over all its requests


# --------------------------------------------------------------------------- arguments

def parse_years(text: str) -> tuple[int, int]:
    """``'2019-2023'`` -> ``(2019, 2023)``; a single year ``'2019'`` -> ``(2019, 2019)``."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise FetchError(f"Ongeldige jaren '{text}': gebruik de vorm 2019-2023 (of één jaar, bijv. 2019).")
    start, end = int(match[1]), int(match[2] or match[1])
    if start > end:
        raise FetchError(f"Ongeldige jaren '{text}': het beginjaar {start} ligt na het eindjaar {end}.")
    return start, end


@dataclass(frozen=True)
class Request:
    """Which regions to fetch: codes from regios.csv, or every municipality; with or without wijken/buurten."""

    codes: tuple[str, ...] = ()
    all_municipalities: bool = False
    with_areas: bool = False


# --------------------------------------------------------------------------- result

@dataclass(frozen=True)
class FetchResult:
    """What a fetch wrote and what changed in the observation file."""

    table: str
    raw_path: Path
    csv_path: Path
    rows: int          # rows produced by this fetch
    added: int         # keys not in the file before
    changed: int       # keys whose value or status differs from the file before
    unchanged: int     # keys fetched again with the same value
    kept: int          # rows of the file before that this fetch did not cover, left as they were
    skipped: int       # CBS cells without a value (secret or unknown): not written
    changes: tuple[str, ...]      # one line per changed key: old -> new value
    not_fetched: tuple[str, ...]  # indicator/groep of every mapped series whose key is not confirmed
    mapping_file: str = ""

    def summary(self) -> str:
        lines = [f"CBS-tabel {self.table}: {self.rows} waarneming(en) opgehaald, gecontroleerd en samengevoegd in "
                 f"{_display(self.csv_path)}.",
                 f"  nieuw: {self.added}, gewijzigd: {self.changed}, ongewijzigd: {self.unchanged}, "
                 f"behouden uit het bestaande bestand: {self.kept}."]
        lines += [f"  gewijzigd: {change}" for change in self.changes]
        if self.skipped:
            lines.append(f"  {self.skipped} cel(len) zonder waarde bij CBS overgeslagen.")
        if self.not_fetched:
            lines.append(f"  niet opgehaald, want de CBS-sleutel is niet bevestigd (zie unconfirmed in "
                         f"{self.mapping_file}): {', '.join(self.not_fetched)}.")
        lines.append(f"  Ruwe respons bewaard in {_display(self.raw_path)}.")
        return "\n".join(lines)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- fetching

def fetch_cbs(table: str, request: Request, years: tuple[int, int] | None, raw_dir: Path, *,
              client: ODataClient | None = None) -> FetchResult:
    """Fetch ``table`` for the regions of ``request`` and the years ``years`` (all when ``None``).

    ``client`` is anything with :meth:`ODataClient.rows`; by default a client on CBS open data.
    """
    client = ODataClient() if client is None else client
    raw_dir = Path(raw_dir)
    mapping = load_mapping(table)
    wanted = mapping.confirmed()
    not_fetched = tuple(f"{s.indicator}/{s.groep}" for s in mapping.series if s.unconfirmed)
    if not wanted:
        reason = mapping.series[0].unconfirmed
        raise FetchError(f"Tabel {table}: geen enkele sleutel in {mapping.file} is bevestigd in openbare "
                         f"CBS-metadata, dus er wordt niets opgehaald ({reason}).")
    catalogue = _read_regios(raw_dir)
    if not request.all_municipalities:
        _known_codes(raw_dir, catalogue, request.codes)
    _bron_known(raw_dir, mapping)

    properties = client.rows(mapping.catalogue, table, "DataProperties")
    mapping = mapping.resolve(properties)
    wanted = mapping.confirmed()
    dims = mapping.dimension_names()
    meta = {dim: _dimension(client, mapping, dim) for dim in dims}
    regions = _select_regions(mapping, meta[mapping.region_dimension], catalogue, request, raw_dir)
    periods = _select_periods(mapping, meta, years)
    others, resolved = _select_keys(mapping, meta, wanted)

    records, queries = [], []
    columns = mapping.columns(wanted)
    select = ",".join([*dims, *columns])
    per_region = max(1, len(periods or [None]) * math.prod(len(keys) for keys in others.values()))
    step = max(1, min(MAX_REGIONS_PER_REQUEST, MAX_REQUEST_ROWS // per_region))
    for start in range(0, len(regions), step):
        selection = {mapping.region_dimension: [key for key, _ in regions[start:start + step]], **others}
        if periods:
            selection[mapping.period_dimension] = list(periods)
        filters = " and ".join("(" + " or ".join(f"{dim} eq '{_quoted(key)}'" for key in keys) + ")"
                               for dim, keys in selection.items())
        queries.append({"$filter": filters, "$select": select})
        records += client.rows(mapping.catalogue, table, "TypedDataSet", queries[-1])
        if len(records) > MAX_TOTAL_ROWS:
            raise FetchError(f"Tabel {table}: meer dan {MAX_TOTAL_ROWS} cellen voor deze vraag; vraag minder regio's "
                             f"of jaren tegelijk (--jaren); niets geschreven.")

    retrieved = datetime.now(timezone.utc).replace(microsecond=0)
    names = {key: name for key, name in regions}
    rows, skipped, cells = _rows(mapping, wanted, records, names, periods, meta, resolved, properties, retrieved)
    csv_path = raw_dir / mapping.target
    header, merged, counts = _merge(csv_path, rows)
    text = _csv_text(header, merged)
    _validate(raw_dir, csv_path.name, text, merged, cells, table)

    raw_path = _free_path(raw_dir / "cbs", f"{table}_{retrieved.date().isoformat()}")
    used = {dim: [e for e in meta[dim] if e["Key"] in _wanted_keys(dim, mapping, regions, periods, others)]
            for dim in dims}
    _write_json(raw_path, {
        "table": table, "title": mapping.title, "catalogue": mapping.catalogue, "mapping": mapping.file,
        "retrieved_at": retrieved.isoformat().replace("+00:00", "Z"),
        "requests": [client.url(mapping.catalogue, table, "TypedDataSet", q) for q in queries],
        "metadata": {"DataProperties": [p for p in properties if p.get("Key") in (*dims, *columns)], **used},
        "records": records,
    })
    data.write_atomic(csv_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    added, changed, unchanged, kept, changes = counts
    return FetchResult(table=table, raw_path=raw_path, csv_path=csv_path, rows=len(rows), added=added,
                       changed=changed, unchanged=unchanged, kept=kept, skipped=skipped, changes=changes,
                       not_fetched=not_fetched, mapping_file=mapping.file)


def _quoted(key: str) -> str:
    """A key inside an OData string literal: a quote is doubled, so a key can never end the literal."""
    return key.replace("'", "''")


def _dimension(client: ODataClient, mapping: Mapping, dim: str) -> list[dict]:
    """The keys and titles of one dimension; unexpected metadata is a FetchError."""
    entries = client.rows(mapping.catalogue, mapping.table, dim)
    for entry in entries:
        if not isinstance(entry.get("Key"), str) or not entry["Key"].strip():
            raise FetchError(f"Tabel {mapping.table}, dimensie {dim}: een onderdeel zonder sleutel in de metadata; "
                             f"onverwachte CBS-metadata, niets geschreven.")
        if not isinstance(entry.get("Title"), str):
            raise FetchError(f"Tabel {mapping.table}, dimensie {dim}: sleutel '{entry['Key'].strip()}' heeft geen "
                             f"titel in de metadata; onverwachte CBS-metadata, niets geschreven.")
    return entries


def _wanted_keys(dim, mapping, regions, periods, others) -> set[str]:
    if dim == mapping.region_dimension:
        return {key for key, _ in regions}
    if dim == mapping.period_dimension:
        return set(periods)
    return set(others.get(dim, ()))


# --------------------------------------------------------------------------- regions

def _read_regios(raw_dir: Path) -> list[dict[str, str]]:
    path = raw_dir / "regios.csv"
    if not path.is_file():
        raise FetchError(f"{_display(path)} ontbreekt; daarin staan de regiocodes.")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _codes_in(catalogue: list[dict[str, str]]) -> dict[str, str]:
    return {row["code"].strip().upper(): row["regio"] for row in catalogue if (row.get("code") or "").strip()}


def _known_codes(raw_dir: Path, catalogue: list[dict[str, str]], codes: tuple[str, ...]) -> None:
    """Every requested code has the CBS form and is in regios.csv; otherwise a FetchError naming it."""
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes))
    if not wanted:
        raise FetchError("Geef ten minste één regiocode (bijv. --regio GM0556) of --alle-gemeenten.")
    malformed = [code for code in wanted if not _region_code_form_ok(code)]
    if malformed:
        raise FetchError(f"Ongeldige regiocode {', '.join(malformed)}: gebruik de CBS-code, GM + 4 cijfers voor "
                         f"een gemeente (GM0556), WK + 6 voor een wijk (WK055601), BU + 8 voor een buurt "
                         f"(BU05560101), of bijv. NL01.")
    unknown = [code for code in wanted if code not in _codes_in(catalogue)]
    if unknown:
        raise FetchError(f"Onbekende regiocode {', '.join(unknown)}: niet gevonden in kolom code van "
                         f"{_display(raw_dir / 'regios.csv')}; voeg de regio daar toe (een wijk of buurt met "
                         f"ligt_in), of gebruik --alle-gemeenten om de regels te laten maken.")


def _region_code_form_ok(code: str) -> bool:
    """A CBS region code: two letters and digits, with the fixed number of digits for GM, WK and BU."""
    match = re.fullmatch(r"([A-Z]{2})(\d+)", code)
    return bool(match) and len(match[2]) == REGION_CODE_DIGITS.get(match[1], len(match[2]))


def _select_regions(mapping: Mapping, entries: list[dict], catalogue: list[dict[str, str]], request: Request,
                    raw_dir: Path) -> list[tuple[str, str]]:
    """[(exact table key, our region name)] for the request; FetchError for codes the table or regios lacks.

    Regions the table has but regios.csv lacks (with ``--alle-gemeenten`` or ``--met-wijken``) are refused
    with the regios.csv rows to add, made from the table's own titles.
    """
    table = mapping.table
    exact = {entry["Key"].strip().upper(): entry for entry in entries}
    known = _codes_in(catalogue)
    if request.all_municipalities:
        codes = sorted(code for code in exact if code.startswith("GM") and _region_code_form_ok(code))
        if not codes:
            raise FetchError(f"Tabel {table} heeft geen gemeenten in dimensie {mapping.region_dimension}.")
    else:
        codes = list(dict.fromkeys(code.strip().upper() for code in request.codes))
        absent = [code for code in codes if code not in exact and REGION_ALIASES.get(code) not in exact]
        if absent:
            raise FetchError(f"Regiocode {', '.join(absent)} komt niet voor in tabel {table}.")
    if request.with_areas:
        municipalities = [code[2:] for code in codes if code.startswith("GM")]
        areas = sorted((code for code in exact if code[:2] in ("WK", "BU") and code[2:6] in municipalities
                        and _region_code_form_ok(code)), key=lambda code: (code[:2] == "BU", code))  # parents first
        codes = list(dict.fromkeys([*codes, *areas]))
    missing = [code for code in codes if code not in known]
    if missing:
        raise FetchError(_rows_to_add(mapping, missing, exact, known, raw_dir))
    return [(exact.get(code, exact.get(REGION_ALIASES.get(code, ""), {})).get("Key") or code, known[code])
            for code in codes]


def _rows_to_add(mapping: Mapping, missing: list[str], exact: dict[str, dict], known: dict[str, str],
                 raw_dir: Path) -> str:
    """The message refusing regions regios.csv lacks, with the rows to add (names as the CBS table gives them)."""
    names = {code: " ".join(str(exact[code].get("Title", "")).split()) for code in missing}
    taken = {name.casefold(): code for code, name in known.items()}
    clashes = [f"{code} ('{name}' is al {taken[name.casefold()]})" for code, name in names.items()
               if name.casefold() in taken]
    doubles = sorted({n for n in names.values() if list(names.values()).count(n) > 1})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for code in missing:
        level = LEVELS.get(code[:2], "")
        parent = ""
        if level == "wijk":
            parent = known.get(f"GM{code[2:6]}") or names.get(f"GM{code[2:6]}", "")
        elif level == "buurt":
            parent = known.get(f"WK{code[2:8]}") or names.get(f"WK{code[2:8]}", "")
        name = names[code]
        writer.writerow([name, code, level, parent, name, f"CBS-{level or 'regio'}; naam zoals in tabel {mapping.table}."])
    path = _display(raw_dir / "regios.csv")
    lines = [f"{len(missing)} regio('s) uit tabel {mapping.table} staan niet in {path}; niets opgehaald. "
             f"Voeg deze regels toe (kolommen {','.join(REGIOS_COLUMNS)}), controleer de namen en haal opnieuw op:"]
    if clashes or doubles:
        lines.append(f"  let op: dezelfde naam als een andere regio: {', '.join(clashes + doubles)}; geef die een "
                     f"eigen naam (bijv. met de provincie) voordat u ze toevoegt.")
    lines += buffer.getvalue().rstrip("\n").split("\n")
    return "\n".join(lines)


# --------------------------------------------------------------------------- periods and keys

def _select_periods(mapping: Mapping, meta: dict[str, list[dict]], years: tuple[int, int] | None) -> list[str]:
    """The exact period keys to fetch; [] for a table that is one edition (``year``)."""
    table = mapping.table
    if mapping.period_dimension is None:
        if years is not None and not years[0] <= mapping.year <= years[1]:
            raise FetchError(f"Tabel {table} is de editie {mapping.year}; die valt buiten {years[0]}-{years[1]}.")
        return []
    periods = []
    for entry in meta[mapping.period_dimension]:
        key = entry["Key"].strip()
        if not key.endswith(mapping.period_kind):
            continue
        if not re.fullmatch(r"\d{4}", key[:-len(mapping.period_kind)]):
            raise FetchError(f"Tabel {table}: periodesleutel '{key}' is geen jaar (verwacht bijv. 2023"
                             f"{mapping.period_kind}); onverwachte CBS-metadata, niets geschreven.")
        if years is None or years[0] <= int(key[:4]) <= years[1]:
            periods.append(entry["Key"])
    if not periods:
        shown = "" if years is None else f" voor {years[0]}-{years[1]}"
        raise FetchError(f"Tabel {table} heeft geen perioden van soort {mapping.period_kind}{shown}.")
    return sorted(periods)


def _select_keys(mapping: Mapping, meta: dict[str, list[dict]], wanted: tuple[Series, ...]
                 ) -> tuple[dict[str, list[str]], dict[tuple[str, Key], str]]:
    """The exact (padded) keys per other dimension, and per (dimension, mapping key) the stripped table key.

    A key given by its title is looked up by that title in the dimension's metadata."""
    selection: dict[str, list[str]] = {}
    resolved: dict[tuple[str, Key], str] = {}
    for dim, keys in mapping.selected_keys(wanted).items():
        for key in keys:
            exact = _exact_key(mapping, meta[dim], dim, key)
            selection.setdefault(dim, []).append(exact)
            resolved[(dim, key)] = exact.strip()
    return selection, resolved


def _exact_key(mapping: Mapping, entries: list[dict], dim: str, key: Key) -> str:
    if key.key is not None:
        found = [e["Key"] for e in entries if e["Key"].strip() == key.key.strip()]
    else:
        found = [e["Key"] for e in entries if " ".join(e["Title"].split()).casefold()
                 == " ".join(key.title.split()).casefold()]
    if len(found) != 1:
        what = "niet" if not found else f"{len(found)} keer"
        raise FetchError(f"Tabel {mapping.table} kent {key} {what} in dimensie {dim}; controleer {mapping.file} "
                         f"tegen de metadata van die dimensie; niets geschreven.")
    return found[0]


# --------------------------------------------------------------------------- rows

def _rows(mapping: Mapping, wanted: tuple[Series, ...], records: list[dict], names: dict[str, str],
          periods: list[str], meta: dict[str, list[dict]], resolved: dict[tuple[str, Key], str],
          properties: list[dict], retrieved: datetime) -> tuple[list[dict[str, str]], int, dict[tuple, str]]:
    """Observation rows from CBS records; also the number of empty cells and, per row key, the CBS cell."""
    table = mapping.table
    titles = {p.get("Key"): " ".join(str(p.get("Title") or "").split()) for p in properties}
    period_titles = ({e["Key"].strip(): e["Title"].strip() for e in meta[mapping.period_dimension]}
                     if mapping.period_dimension else {})
    others = {dim for dim, _ in resolved}
    allowed = {dim: {value for (d, _), value in resolved.items() if d == dim} for dim in others}
    regions = {key.strip(): name for key, name in names.items()}
    wanted_periods = {key.strip() for key in periods}
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    cells: dict[tuple, str] = {}
    skipped = 0
    for record in records:
        region = str(record.get(mapping.region_dimension, "")).strip()
        period = str(record.get(mapping.period_dimension, "")).strip() if mapping.period_dimension else ""
        if region not in regions or (mapping.period_dimension and period not in wanted_periods):
            raise FetchError(f"Tabel {table}: CBS gaf een cel buiten de vraag (regio '{region}'"
                             + (f", periode '{period}'" if mapping.period_dimension else "") + "); niets geschreven.")
        cell = {}
        for dim in others:
            value = str(record.get(dim, "")).strip()
            if value not in allowed[dim]:
                raise FetchError(f"Tabel {table}: onverwachte waarde '{record.get(dim)}' in dimensie {dim}; "
                                 f"niets geschreven.")
            cell[dim] = value
        jaar = int(period[:4]) if period else mapping.year
        for series in wanted:
            if any(cell[dim] != resolved[(dim, key)] for dim, key in series.where.items()):
                continue
            value = record.get(series.column)
            if value is None:
                skipped += 1
                continue
            status = PROVISIONAL if period_titles.get(period, "").endswith("*") else ""
            note = f"; voorlopig cijfer (CBS-periode {period_titles[period]})" if status else ""
            row = {
                "indicator": series.indicator, "regio": regions[region], "groep": series.groep, "jaar": str(jaar),
                "waarde": _number(value), "eenheid": series.eenheid, "bron": mapping.bron, "reeks": series.reeks,
                "periode": (series.period_label or mapping.period_label).format(jaar=jaar), "status": status,
                "vindplaats": STATLINE_URL[mapping.catalogue].format(table=table),
                "opmerking": f"CBS {table}: {titles.get(series.column, series.column)}"
                             + "".join(f", {_title(meta[dim], resolved[(dim, key)])}" for dim, key in series.where.items())
                             + f"{note}; opgehaald op {retrieved.date().isoformat()} (UTC).",
            }
            key = tuple(row[column] for column in KEY)
            if key in rows:
                raise FetchError(f"Tabel {table}: twee CBS-cellen leveren dezelfde waarneming "
                                 f"{' / '.join(row[c] for c in SHOWN_KEY)}; maak de mapping in {mapping.file} "
                                 f"specifieker.")
            rows[key] = row
            cells[key] = f"kolom {series.column}, regio {region}" + (f", periode {period}" if period else "")
    return list(rows.values()), skipped, cells


def _title(entries: list[dict], key: str) -> str:
    return next((" ".join(e["Title"].split()) for e in entries if e["Key"].strip() == key), key)


def _number(value) -> str:
    """A CBS value as written in the observation file: as published, no rounding. Anything that is not a
    finite number is written as it came (``nan``, ``inf``, text) so that the validation refuses it by name."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- checking and writing

def _bron_known(raw_dir: Path, mapping: Mapping) -> None:
    """The mapping's bron is in bronnen.csv; otherwise a FetchError with the line to add."""
    path = raw_dir / "bronnen.csv"
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if any((row.get("bron") or "").strip() == mapping.bron for row in csv.DictReader(handle)):
                return
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(bron_row(mapping)[column] for column in BRONNEN_COLUMNS)
    raise FetchError(f"Bron {mapping.bron} ontbreekt in {_display(path)}; niets opgehaald. Voeg deze regel toe "
                     f"onder de kopregel {','.join(BRONNEN_COLUMNS)} (en vul producent en licentie aan als de "
                     f"tabel van derden is): {buffer.getvalue()}")


def bron_row(mapping: Mapping) -> dict[str, str]:
    """The row of the mapping's bron in bronnen.csv: as the mapping gives it, or made from the table."""
    made = {"bron": mapping.bron, "naam": f"CBS StatLine {mapping.table}: {mapping.title}",
            "uitgever": "Centraal Bureau voor de Statistiek (CBS)", "datum": datetime.now(timezone.utc).date().isoformat(),
            "adres": STATLINE_URL[mapping.catalogue].format(table=mapping.table), "licentie": LICENCE,
            "producent": "CBS", "soort": "primair"}
    return {**made, **mapping.bron_row} if mapping.bron_row else made


def _merge(path: Path, new_rows: list[dict[str, str]]):
    """The file's header, its rows merged with ``new_rows`` (same key replaced, others kept, sorted), and
    (added, changed, unchanged, kept, changes). The file keeps its own columns; columns the fetch fills and
    the file lacks are added at the end."""
    existing: list[dict[str, str]] = []
    header = list(COLUMNS)
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or ())
            existing = list(reader)
        lacking = [column for column in NEEDED if column not in header]
        if lacking or len(set(header)) != len(header):
            raise FetchError(f"{_display(path)} heeft niet de kolommen van een waarnemingenbestand (mist "
                             f"{', '.join(lacking) or 'niets, maar een kolom staat er twee keer'}); niets geschreven.")
        header += [column for column in COLUMNS if column not in header]

    def key(row: dict[str, str]) -> tuple[str, ...]:
        return tuple((row.get(column) or "").strip() for column in KEY)

    def value(row: dict[str, str]) -> str:
        status = (row.get("status") or "").strip()
        return f"{row['waarde'].strip()} ({status})" if status else row["waarde"].strip()

    def same(old: dict[str, str], new: dict[str, str]) -> bool:
        return (_as_number(old["waarde"]) == _as_number(new["waarde"])
                and (old.get("status") or "").strip() == new["status"] and old["eenheid"].strip() == new["eenheid"])

    before: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for row in existing:
        before.setdefault(key(row), []).append(row)
    added = changed = unchanged = 0
    changes = []
    for row in new_rows:
        old = before.get(key(row))
        if old is None:
            added += 1
        elif len(old) == 1 and same(old[0], row):
            unchanged += 1
        else:
            changed += 1
            changes.append(f"{' / '.join(row[c] for c in SHOWN_KEY)}: {'; '.join(value(r) for r in old)} -> "
                           f"{value(row)}")
    fetched = {key(row) for row in new_rows}
    kept = [row for row in existing if key(row) not in fetched]
    merged = sorted(kept + new_rows, key=lambda row: (*key(row)[:3], _year(key(row)[3]), *key(row)[4:]))
    return header, merged, (added, changed, unchanged, len(kept), tuple(changes))


def _year(text: str):
    return (0, int(text)) if text.isdigit() else (1, text)


def _as_number(text: str):
    try:
        return float(text)
    except ValueError:
        return text.strip()


def _csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({column: row.get(column, "") for column in header} for row in rows)
    return buffer.getvalue()


def problems_before_writing(raw_dir: Path, replaced: dict[str, str]) -> list:
    """The problems the project's validation (``analyse validate``) finds in the files ``replaced`` (name ->
    new text) when they stand next to the other files of ``raw_dir``; nothing in ``raw_dir`` is written.

    Problems in the other files were there before and are not returned (``analyse validate`` names them).
    """
    with tempfile.TemporaryDirectory(prefix="analyse-fetch-") as folder:
        trial = Path(folder)
        for path in raw_dir.iterdir():
            if path.name not in replaced and path.is_file() and path.suffix.lower() in (".csv", ".xlsx"):
                try:  # a hard link: a regular file to the validation (a symbolic link out of data/raw is refused)
                    os.link(path.resolve(), trial / path.name)
                except OSError:
                    shutil.copyfile(path, trial / path.name)
        for name, text in replaced.items():
            (trial / name).write_text(text, encoding="utf-8")
        try:
            data.load_raw(trial)
        except DataError as error:
            own = [p for p in error.problems if Path(p.file).name in replaced]
            if not own and any(p.row is None and "catalogus" in p.expected for p in error.problems):
                raise FetchError(f"De opgehaalde rijen zijn niet te controleren, want een catalogus in "
                                 f"{_display(raw_dir)} ontbreekt of is onleesbaar; niets geschreven.") from None
            return own
    return []


def _validate(raw_dir: Path, name: str, text: str, merged: list[dict[str, str]], cells: dict[tuple, str],
              table: str) -> None:
    """FetchError naming the table, the CBS cell and the value for every problem the validation finds in the
    merged file; nothing is written."""
    own = problems_before_writing(raw_dir, {name: text})
    if not own:
        return
    lines = [f"Tabel {table}: {len(own)} opgehaalde waarde(n) geweigerd door de controle van de data; niets "
             f"geschreven:"]
    for problem in own[:50]:
        row = merged[problem.row - 2] if problem.row and 2 <= problem.row < len(merged) + 2 else None
        where = ""
        if row is not None:
            key = tuple((row.get(c) or "").strip() for c in KEY)
            where = (f"CBS {cells[key]}, " if key in cells else "") + " / ".join(
                (row.get(c) or "").strip() for c in SHOWN_KEY) + ": "
        lines.append(f"  - {where}kolom {problem.column}, waarde '{problem.value}': {problem.expected}")
    if len(own) > 50:
        lines.append(f"  ... en nog {len(own) - 50}")
    raise FetchError("\n".join(lines))


def _free_path(folder: Path, stem: str) -> Path:
    """``folder/stem.json``, or ``stem_2.json``, ... when fetched more than once a day: never overwrite."""
    path, number = folder / f"{stem}.json", 2
    while path.exists():
        path, number = folder / f"{stem}_{number}.json", number + 1
    return path


def _write_json(path: Path, content: dict) -> None:
    text = json.dumps(content, ensure_ascii=False, indent=2) + "\n"
    data.write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
