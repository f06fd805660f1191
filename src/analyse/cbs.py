"""``analyse fetch cbs``: update observations from CBS open data (StatLine) through ``cbsodata``.

:func:`fetch_cbs` reads the table's mapping (``cbs_mappings/<tabel>.toml``), looks the requested region
codes up in ``regios.csv``, reads the table's metadata from CBS to check the mapping and to find the exact
dimension keys, downloads only the mapped cells, keeps the response under ``data/raw/cbs/`` and merges the
mapped rows into ``data/raw/cbs_<tabel>.csv``. Nothing else in ``data/raw`` is written.

Two CBS details this module handles:

- Dimension keys are padded with spaces (``'GM0556  '``), to a width that differs per table. The padding
  is never guessed: the exact key is the one in the table's own dimension metadata whose stripped form is
  the requested code, and the OData filter compares with ``eq`` on that key.
- ``cbsodata.get_data`` returns records with each dimension key replaced by its title (``'GM0556  '`` ->
  ``'Maassluis'``, ``'2018JJ00'`` -> ``'2018'``). The keys are recovered from the same metadata, restricted
  to the keys that were asked for, so a title can only map back to one of those.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import cbsodata
import requests

from analyse.data import UNITS, AnalyseError, write_atomic

COLUMNS = ("indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron", "periode", "teller", "noemer",
           "vindplaats", "opmerking")
KEY = ("indicator", "regio", "groep", "jaar")
MAPPING_DIR = "src/analyse/cbs_mappings"
STATLINE_URL = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{tabel}/table"
LICENCE = "CC BY 4.0"


class FetchError(AnalyseError):
    """A fetch that cannot be carried out; the message is one Dutch line for the researcher."""


# --------------------------------------------------------------------------- arguments

def parse_jaren(text: str) -> tuple[int, int]:
    """``'2019-2023'`` -> ``(2019, 2023)``; a single year ``'2019'`` -> ``(2019, 2019)``."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise FetchError(f"Ongeldige jaren '{text}': gebruik de vorm 2019-2023 (of één jaar, bijv. 2019).")
    start, end = int(match[1]), int(match[2] or match[1])
    if start > end:
        raise FetchError(f"Ongeldige jaren '{text}': het beginjaar {start} ligt na het eindjaar {end}.")
    return start, end


# --------------------------------------------------------------------------- mapping

@dataclass(frozen=True)
class Series:
    """One mapped measure: a CBS column plus dimension keys -> (indicator, groep, eenheid)."""

    column: str
    where: dict[str, str]
    indicator: str
    groep: str
    eenheid: str


@dataclass(frozen=True)
class Mapping:
    """The declarative description of one CBS table, read from ``cbs_mappings/<tabel>.toml``."""

    file: str
    title: str
    region_dimension: str
    period_dimension: str
    period_kind: str
    period_label: str
    fixed: dict[str, str]
    series: tuple[Series, ...]

    def selected_keys(self) -> dict[str, list[str]]:
        """The (stripped) keys to fetch for every dimension other than region and period."""
        keys = {dim: [key] for dim, key in self.fixed.items()}
        for series in self.series:
            for dim, key in series.where.items():
                if key not in keys.setdefault(dim, []):
                    keys[dim].append(key)
        return keys

    def columns(self) -> list[str]:
        return list(dict.fromkeys(series.column for series in self.series))


def load_mapping(tabel: str) -> Mapping:
    """Read and check the mapping of ``tabel``; :class:`FetchError` if it is missing or incomplete."""
    file = f"{MAPPING_DIR}/{tabel}.toml"
    source = Path(__file__).with_name("cbs_mappings") / f"{tabel}.toml"
    if not source.is_file():
        raise FetchError(f"Geen mapping voor tabel {tabel}; voeg {file} toe.")
    try:
        spec = tomllib.loads(source.read_text(encoding="utf-8"))
        mapping = Mapping(
            file=file, title=spec["title"], region_dimension=spec["region_dimension"],
            period_dimension=spec["period_dimension"], period_kind=spec["period_kind"],
            period_label=spec["period_label"], fixed=dict(spec.get("fixed", {})),
            series=tuple(Series(column=s["column"], where=dict(s.get("where", {})), indicator=s["indicator"],
                                groep=s["groep"], eenheid=s["eenheid"]) for s in spec["series"]))
    except tomllib.TOMLDecodeError as error:
        raise FetchError(f"{file} is geen geldige TOML: {error}.") from error
    except KeyError as error:
        raise FetchError(f"{file} mist het veld {error}.") from error
    wrong_units = sorted({s.eenheid for s in mapping.series} - set(UNITS))
    if wrong_units:
        raise FetchError(f"{file}: onbekende eenheid {', '.join(wrong_units)}; kies uit {', '.join(UNITS)}.")
    return mapping


# --------------------------------------------------------------------------- result

@dataclass(frozen=True)
class FetchResult:
    """What a fetch wrote and what changed in the observation file."""

    table: str
    raw_path: Path
    csv_path: Path
    rows: int          # rows produced by this fetch
    added: int         # keys not in the file before
    changed: int       # keys whose value (or other content) differs from the file before
    unchanged: int     # keys fetched again with the same content
    kept: int          # rows of the file before that this fetch did not cover, left as they were
    skipped: int       # CBS cells without a value (secret or unknown): not written
    changes: tuple[str, ...]      # one line per changed key: old -> new value
    bron_message: str | None      # set when the bron code is missing from bronnen.csv

    def summary(self) -> str:
        lines = [f"CBS-tabel {self.table}: {self.rows} waarneming(en) opgehaald en samengevoegd in "
                 f"{_display(self.csv_path)}.",
                 f"  nieuw: {self.added}, gewijzigd: {self.changed}, ongewijzigd: {self.unchanged}, "
                 f"behouden uit het bestaande bestand: {self.kept}."]
        lines += [f"  gewijzigd: {change}" for change in self.changes]
        if self.skipped:
            lines.append(f"  {self.skipped} cel(len) zonder waarde bij CBS overgeslagen.")
        lines.append(f"  Ruwe respons bewaard in {_display(self.raw_path)}.")
        if self.bron_message:
            lines.append(self.bron_message)
        return "\n".join(lines)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- fetching

def fetch_cbs(tabel: str, regios: list[str], jaren: tuple[int, int] | None, raw_dir: Path, *,
              client=None) -> FetchResult:
    """Fetch ``tabel`` for the region codes ``regios`` and the years ``jaren`` (all when ``None``).

    ``client`` is anything with cbsodata's ``get_data(table_id, filters=, select=)`` and
    ``get_meta(table_id, name)``; by default the ``cbsodata`` module itself.
    """
    client = cbsodata if client is None else client
    raw_dir = Path(raw_dir)
    if not re.fullmatch(r"[0-9A-Za-z]+", tabel):
        raise FetchError(f"Ongeldig tabelnummer '{tabel}': alleen letters en cijfers, bijv. 37713.")
    mapping = load_mapping(tabel)
    names = _region_names(raw_dir, regios)

    properties = {p["Key"]: p for p in _call(tabel, client.get_meta, tabel, "DataProperties")}
    dims = [mapping.region_dimension, mapping.period_dimension, *mapping.selected_keys()]
    missing = [name for name in (*dims, *mapping.columns()) if name not in properties]
    if missing:
        raise FetchError(f"Tabel {tabel} kent {', '.join(missing)} niet; controleer {mapping.file} tegen "
                         f"cbsodata.get_meta('{tabel}', 'DataProperties').")
    meta = {dim: _call(tabel, client.get_meta, tabel, dim) for dim in dims}
    selection = _select_keys(tabel, mapping, meta, list(names), jaren)

    filters = " and ".join("(" + " or ".join(f"{dim} eq '{key}'" for key in keys) + ")"
                           for dim, keys in selection.items())
    select = [*dims, *mapping.columns()]
    records = _call(tabel, client.get_data, tabel, filters=filters, select=select)

    retrieved = datetime.now(timezone.utc).replace(microsecond=0)
    raw_path = _free_path(raw_dir / "cbs", f"{tabel}_{retrieved.date().isoformat()}")
    used = {dim: [e for e in meta[dim] if e["Key"] in selection[dim]] for dim in dims}
    _write_json(raw_path, {
        "table": tabel,
        "title": mapping.title,
        "retrieved_at": retrieved.isoformat().replace("+00:00", "Z"),
        "cbsodata_version": cbsodata.__version__,
        "query": {"call": "cbsodata.get_data", "filters": filters, "select": select},
        "metadata": {"DataProperties": [properties[name] for name in select], **used},
        "records": records,
    })

    rows, skipped = _map_records(tabel, mapping, records, used, properties, names, retrieved)
    csv_path = raw_dir / f"cbs_{tabel}.csv"
    merged, added, changed, unchanged, kept, changes = _merge(csv_path, rows)
    write_atomic(csv_path, lambda tmp: tmp.write_text(_csv_text(merged), encoding="utf-8"))
    return FetchResult(table=tabel, raw_path=raw_path, csv_path=csv_path, rows=len(rows), added=added,
                       changed=changed, unchanged=unchanged, kept=kept, skipped=skipped, changes=changes,
                       bron_message=_bron_message(raw_dir, tabel, mapping, retrieved))


def _call(tabel: str, function, *args, **kwargs):
    """Call the CBS client, turning network and HTTP failures into a one-line :class:`FetchError`."""
    try:
        return function(*args, **kwargs)
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
        raise FetchError(f"CBS open data is niet bereikbaar ({type(error).__name__}); controleer de "
                         f"internetverbinding en probeer het later opnieuw.") from error
    except requests.exceptions.HTTPError as error:
        raise FetchError(f"CBS gaf een fout voor tabel {tabel} ({_one_line(error)}); bestaat de tabel op "
                         f"{STATLINE_URL.format(tabel=tabel)}?") from error
    except requests.exceptions.RequestException as error:
        raise FetchError(f"Ophalen bij CBS mislukt ({type(error).__name__}: {_one_line(error)}).") from error
    except ValueError as error:
        raise FetchError(f"CBS gaf een onleesbaar antwoord voor tabel {tabel} ({_one_line(error)}).") from error


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _region_names(raw_dir: Path, codes: list[str]) -> dict[str, str]:
    """Requested region code -> our region name, via the ``code`` column of ``regios.csv``."""
    path = raw_dir / "regios.csv"
    if not path.is_file():
        raise FetchError(f"{_display(path)} ontbreekt; daarin staan de regiocodes.")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        known = {row["code"].strip().upper(): row["regio"] for row in csv.DictReader(handle)
                 if (row.get("code") or "").strip()}
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes))
    if not wanted:
        raise FetchError("Geef ten minste één regiocode, bijv. --regio GM0556.")
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise FetchError(f"Onbekende regiocode {', '.join(unknown)}: niet gevonden in kolom code van "
                         f"{_display(path)}.")
    return {code: known[code] for code in wanted}


def _select_keys(tabel: str, mapping: Mapping, meta: dict[str, list[dict]], codes: list[str],
                 jaren: tuple[int, int] | None) -> dict[str, list[str]]:
    """The exact (padded) CBS keys to fetch per dimension; :class:`FetchError` for keys the table lacks."""
    exact = {dim: {entry["Key"].strip(): entry["Key"] for entry in entries} for dim, entries in meta.items()}
    regions = exact[mapping.region_dimension]
    absent = [code for code in codes if code not in regions]
    if absent:
        raise FetchError(f"Regiocode {', '.join(absent)} komt niet voor in tabel {tabel}.")
    selection = {mapping.region_dimension: [regions[code] for code in codes]}

    periods = [key for stripped, key in exact[mapping.period_dimension].items()
               if stripped[4:] == mapping.period_kind and stripped[:4].isdigit()
               and (jaren is None or jaren[0] <= int(stripped[:4]) <= jaren[1])]
    if not periods:
        shown = "" if jaren is None else f" voor {jaren[0]}-{jaren[1]}"
        raise FetchError(f"Tabel {tabel} heeft geen perioden van soort {mapping.period_kind}{shown}.")
    selection[mapping.period_dimension] = sorted(periods)

    for dim, keys in mapping.selected_keys().items():
        absent = [key for key in keys if key not in exact[dim]]
        if absent:
            raise FetchError(f"Tabel {tabel} kent {', '.join(absent)} niet in dimensie {dim}; controleer "
                             f"{mapping.file} tegen cbsodata.get_meta('{tabel}', '{dim}').")
        selection[dim] = [exact[dim][key] for key in keys]
    return selection


def _map_records(tabel: str, mapping: Mapping, records: list[dict], used: dict[str, list[dict]],
                 properties: dict[str, dict], names: dict[str, str],
                 retrieved: datetime) -> tuple[list[dict[str, str]], int]:
    """Turn CBS records into observation rows; returns the rows and the number of cells without value."""
    to_key: dict[str, dict[str, str]] = {}
    titles: dict[str, dict[str, str]] = {}
    for dim, entries in used.items():
        by_title: dict[str, set[str]] = {}
        for entry in entries:
            by_title.setdefault(entry["Title"], set()).add(entry["Key"].strip())
        ambiguous = sorted(title for title, keys in by_title.items() if len(keys) > 1)
        if ambiguous:
            raise FetchError(f"Tabel {tabel}, dimensie {dim}: titel {', '.join(ambiguous)} hoort bij meer dan "
                             f"één gevraagde sleutel; vraag die regio's of jaren apart op.")
        to_key[dim] = {title: keys.pop() for title, keys in by_title.items()}
        to_key[dim].update({entry["Key"]: entry["Key"].strip() for entry in entries})
        titles[dim] = {entry["Key"].strip(): entry["Title"] for entry in entries}

    rows: dict[tuple[str, ...], dict[str, str]] = {}
    skipped = 0
    for record in records:
        keys = {}
        for dim, lookup in to_key.items():
            if record.get(dim) not in lookup:
                raise FetchError(f"Tabel {tabel}: onverwachte waarde '{record.get(dim)}' in dimensie {dim}.")
            keys[dim] = lookup[record[dim]]
        for series in mapping.series:
            if any(keys[dim] != key for dim, key in series.where.items()):
                continue
            value = record.get(series.column)
            if value is None:
                skipped += 1
                continue
            jaar = int(keys[mapping.period_dimension][:4])
            measure = ", ".join([properties[series.column]["Title"].strip(),
                                 *(titles[dim][key] for dim, key in series.where.items())])
            row = {
                "indicator": series.indicator,
                "regio": names[keys[mapping.region_dimension]],
                "groep": series.groep,
                "jaar": str(jaar),
                "waarde": _number(tabel, series.column, value),
                "eenheid": series.eenheid,
                "bron": f"cbs_statline_{tabel}",
                "periode": mapping.period_label.format(jaar=jaar),
                "teller": "",
                "noemer": "",
                "vindplaats": STATLINE_URL.format(tabel=tabel),
                "opmerking": f"CBS {tabel}: {measure}; opgehaald op {retrieved.date().isoformat()} (UTC).",
            }
            key = tuple(row[column] for column in KEY)
            if key in rows:
                raise FetchError(f"Tabel {tabel}: twee CBS-cellen leveren dezelfde waarneming "
                                 f"{' / '.join(key)}; maak de mapping in {mapping.file} specifieker.")
            rows[key] = row
    return list(rows.values()), skipped


def _number(tabel: str, column: str, value) -> str:
    """A CBS value as written in the observation file: as published, no rounding."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FetchError(f"Tabel {tabel}, kolom {column}: waarde '{value}' is geen getal.")
    return str(value)


# --------------------------------------------------------------------------- writing

def _free_path(folder: Path, stem: str) -> Path:
    """``folder/stem.json``, or ``stem_2.json``, ... when fetched more than once a day: never overwrite."""
    path, number = folder / f"{stem}.json", 2
    while path.exists():
        path, number = folder / f"{stem}_{number}.json", number + 1
    return path


def _write_json(path: Path, content: dict) -> None:
    text = json.dumps(content, ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _merge(path: Path, new_rows: list[dict[str, str]]):
    """Replace rows with the same key, keep the others, sort; count what changed."""
    existing: list[dict[str, str]] = []
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise FetchError(f"{_display(path)} heeft andere kolommen dan {', '.join(COLUMNS)}; "
                                 f"niets geschreven.")
            existing = list(reader)

    def key(row: dict[str, str]) -> tuple[str, ...]:
        return tuple(row[column].strip() for column in KEY)

    def content(row: dict[str, str]) -> tuple:
        return tuple(_as_number(row[c]) if c == "waarde" else row[c].strip() for c in COLUMNS if c != "opmerking")

    before: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for row in existing:
        before.setdefault(key(row), []).append(row)
    added = changed = unchanged = 0
    changes = []
    for row in new_rows:
        old = before.get(key(row))
        if old is None:
            added += 1
        elif [content(r) for r in old] == [content(row)]:
            unchanged += 1
        else:
            changed += 1
            changes.append(f"{' / '.join(key(row))}: {'; '.join(r['waarde'] for r in old)} -> {row['waarde']}")
    fetched = {key(row) for row in new_rows}
    kept = [row for row in existing if key(row) not in fetched]
    merged = sorted(kept + new_rows, key=key)
    return merged, added, changed, unchanged, len(kept), tuple(changes)


def _as_number(text: str):
    try:
        return float(text)
    except ValueError:
        return text.strip()


def _csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _bron_message(raw_dir: Path, tabel: str, mapping: Mapping, retrieved: datetime) -> str | None:
    """``None`` when the bron code is in ``bronnen.csv``; otherwise the line the researcher should add."""
    bron = f"cbs_statline_{tabel}"
    path = raw_dir / "bronnen.csv"
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if any((row.get("bron") or "").strip() == bron for row in csv.DictReader(handle)):
                return None
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([
        bron, f"CBS StatLine {tabel}: {mapping.title}", "Centraal Bureau voor de Statistiek (CBS)",
        retrieved.date().isoformat(), STATLINE_URL.format(tabel=tabel), LICENCE])
    return f"Bron {bron} ontbreekt in {_display(path)}; voeg deze regel toe: {buffer.getvalue()}"
