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

A provisional CBS period (Title ending in ``'*'``, e.g. ``'2024*'``) gives rows with ``status`` ``voorlopig``.
Every mapped series names its ``reeks`` (the statistic, see docs/datacontract.md); a dimension may be named
by alternatives (``[dimensions]`` in the mapping) that are resolved against the table's DataProperties.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import cbsodata
import requests

from analyse.data import write_atomic
from analyse.schema import UNITS, AnalyseError

COLUMNS = ("indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron", "reeks", "status", "periode",
           "teller", "noemer", "vindplaats", "opmerking")
# the columns of a file written before data contract v2: merged by adding reeks and status
OLD_COLUMNS = tuple(column for column in COLUMNS if column not in ("reeks", "status"))
KEY = ("indicator", "regio", "groep", "jaar", "bron", "reeks")
SHOWN_KEY = ("indicator", "regio", "groep", "jaar", "reeks")  # the key in messages (bron is the file's)
PROVISIONAL = "voorlopig"
BRONNEN_COLUMNS = ("bron", "naam", "uitgever", "datum", "adres", "licentie", "producent", "soort")
PACKAGE_MAPPINGS = Path(__file__).with_name("cbs_mappings")
MAPPING_FOLDER = PACKAGE_MAPPINGS   # where load_mapping looks; tests point it elsewhere
# CBS region codes whose length is fixed: prefix -> number of digits
REGION_CODE_DIGITS = {"GM": 4, "WK": 6, "BU": 8}
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
    """One mapped measure: a CBS column plus dimension keys -> (indicator, groep, eenheid, reeks)."""

    column: str
    where: dict[str, str]
    indicator: str
    groep: str
    eenheid: str
    reeks: str


@dataclass(frozen=True)
class Mapping:
    """The declarative description of one CBS table, read from ``cbs_mappings/<tabel>.toml``.

    Dimension names in ``region_dimension``, ``period_dimension``, ``fixed`` and ``where`` are the names used
    in the mapping; ``dimensions`` maps such a name to the CBS dimension keys it may have in the table, in
    order of preference (a name not in ``dimensions`` is the CBS key itself). :meth:`resolve` replaces the
    names by the keys the table really has.
    """

    file: str
    title: str
    region_dimension: str
    period_dimension: str
    period_kind: str
    period_label: str
    fixed: dict[str, str]
    series: tuple[Series, ...]
    dimensions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def selected_keys(self) -> dict[str, list[str]]:
        """The (stripped) keys to fetch for every dimension other than region and period."""
        keys = {dim: [key] for dim, key in self.fixed.items()}
        for series in self.series:
            for dim, key in series.where.items():
                if key not in keys.setdefault(dim, []):
                    keys[dim].append(key)
        return keys

    def dimension_names(self) -> list[str]:
        return [self.region_dimension, self.period_dimension, *self.selected_keys()]

    def columns(self) -> list[str]:
        return list(dict.fromkeys(series.column for series in self.series))

    def resolve(self, tabel: str, properties: dict[str, dict]) -> Mapping:
        """This mapping with every dimension name replaced by the CBS key the table has.

        :class:`FetchError` when a dimension (or none of its alternatives) or a column is not in the table's
        DataProperties, when two alternatives are both there, and when the table has a dimension this mapping
        does not fix: its cells would otherwise fall together in one observation.
        """
        check = f"controleer {self.file} tegen cbsodata.get_meta('{tabel}', 'DataProperties')"
        table_dims = [key for key, prop in properties.items() if str(prop.get("Type", "")).endswith("Dimension")]
        actual: dict[str, str] = {}
        for name in self.dimension_names():
            options = self.dimensions.get(name, (name,))
            present = [option for option in options if option in table_dims]
            if not present:
                raise FetchError(f"Tabel {tabel} kent geen dimensie {' of '.join(options)}; {check}.")
            if len(present) > 1:
                raise FetchError(f"Tabel {tabel} kent zowel dimensie {' als '.join(present)}; {self.file} noemt "
                                 f"ze als alternatieven voor {name}, dus kies er één.")
            actual[name] = present[0]
        doubles = sorted({key for key in actual.values() if list(actual.values()).count(key) > 1})
        if doubles:
            raise FetchError(f"{self.file}: dimensie {', '.join(doubles)} van tabel {tabel} staat onder twee "
                             f"namen in de mapping.")
        missing = [column for column in self.columns() if column not in properties]
        if missing:
            raise FetchError(f"Tabel {tabel} kent {', '.join(missing)} niet; {check}.")
        loose = [dim for dim in table_dims if dim not in actual.values()]
        if loose:
            raise FetchError(f"Tabel {tabel} heeft dimensie {', '.join(loose)}, die {self.file} niet vastlegt; "
                             f"zet die in [fixed] (meestal het totaal), anders vallen CBS-cellen samen.")
        return replace(
            self, region_dimension=actual[self.region_dimension],
            period_dimension=actual[self.period_dimension],
            fixed={actual[dim]: key for dim, key in self.fixed.items()},
            series=tuple(replace(s, where={actual[dim]: key for dim, key in s.where.items()})
                         for s in self.series),
            dimensions={})


def load_mapping(tabel: str) -> Mapping:
    """Read and check the mapping of ``tabel``; :class:`FetchError` if it is missing, incomplete or would let
    two CBS cells fall together in one observation."""
    source = MAPPING_FOLDER / f"{tabel}.toml"
    # named as in the repository; a mapping folder elsewhere (tests) by its path
    file = f"src/analyse/cbs_mappings/{source.name}" if source.parent == PACKAGE_MAPPINGS else str(source)
    if not source.is_file():
        raise FetchError(f"Geen mapping voor tabel {tabel}; voeg {file} toe.")
    try:
        spec = tomllib.loads(source.read_text(encoding="utf-8"))
        mapping = Mapping(
            file=file, title=spec["title"], region_dimension=spec["region_dimension"],
            period_dimension=spec["period_dimension"], period_kind=spec["period_kind"],
            period_label=spec["period_label"], fixed=dict(spec.get("fixed", {})),
            series=tuple(Series(column=s["column"], where=dict(s.get("where", {})), indicator=s["indicator"],
                                groep=s["groep"], eenheid=s["eenheid"], reeks=s.get("reeks", spec.get("reeks")))
                         for s in spec["series"]),
            dimensions={name: (options,) if isinstance(options, str) else tuple(options)
                        for name, options in spec.get("dimensions", {}).items()})
    except tomllib.TOMLDecodeError as error:
        raise FetchError(f"{file} is geen geldige TOML: {_one_line(error)}.") from error
    except KeyError as error:
        raise FetchError(f"{file} mist het veld {error}.") from error
    except (TypeError, ValueError, AttributeError) as error:
        raise FetchError(f"{file} heeft een veld van de verkeerde soort ({_one_line(error)}).") from error
    _check_mapping(mapping)
    return mapping


def _check_mapping(mapping: Mapping) -> None:
    """The checks on a mapping that need no metadata (see :func:`load_mapping`)."""
    file = mapping.file
    wrong_units = sorted({s.eenheid for s in mapping.series} - set(UNITS))
    if wrong_units:
        raise FetchError(f"{file}: onbekende eenheid {', '.join(wrong_units)}; kies uit {', '.join(UNITS)}.")
    if not mapping.series:
        raise FetchError(f"{file}: geen enkele [[series]].")

    def label(number: int, series: Series) -> str:
        return f"[[series]] {number} ({series.indicator}/{series.groep})"

    for number, series in enumerate(mapping.series, 1):
        if not isinstance(series.reeks, str) or not re.fullmatch(r"[a-z0-9_]+", series.reeks):
            raise FetchError(f"{file}: {label(number, series)} heeft geen geldige reeks; geef reeks = \"...\" "
                             f"(kleine letters, cijfers en _) bij de series of bovenaan voor de hele tabel.")
    for number, series in enumerate(mapping.series, 1):
        for dim, key in [*mapping.fixed.items(), *series.where.items()]:
            if not isinstance(key, str):
                raise FetchError(f"{file}: sleutel {key!r} van dimensie {dim} moet tekst zijn (tussen "
                                 f"aanhalingstekens, zoals CBS hem schrijft: \"{key}\").")
    for name, options in mapping.dimensions.items():
        if not options or not all(isinstance(option, str) and option for option in options):
            raise FetchError(f"{file}: [dimensions] {name} moet één naam of een lijst namen zijn.")
        if name not in mapping.dimension_names():
            raise FetchError(f"{file}: [dimensions] noemt {name}, maar [fixed], where en region_dimension/"
                             f"period_dimension gebruiken die naam niet.")
    ends = {mapping.region_dimension, mapping.period_dimension}
    selected = mapping.selected_keys()
    for dim in selected:
        if dim in ends:
            raise FetchError(f"{file}: {dim} is de regio- of periodedimensie en hoort niet in [fixed] of where; "
                             f"die kiest u met --regio en --jaren.")
    for number, series in enumerate(mapping.series, 1):
        twice = sorted(set(series.where) & set(mapping.fixed))
        if twice:
            raise FetchError(f"{file}: {label(number, series)} zet {', '.join(twice)} in where, terwijl [fixed] "
                             f"die dimensie al vastlegt.")
        loose = [dim for dim in selected if dim not in mapping.fixed and dim not in series.where]
        if loose:
            raise FetchError(f"{file}: {label(number, series)} legt dimensie {', '.join(loose)} niet vast (andere "
                             f"series wel); zet die in where of in [fixed], anders vallen CBS-cellen samen.")
    seen: dict[tuple[str, str, str], int] = {}
    for number, series in enumerate(mapping.series, 1):
        target = (series.indicator, series.groep, series.reeks)
        if target in seen:
            raise FetchError(f"{file}: [[series]] {seen[target]} en {number} leveren allebei {series.indicator}/"
                             f"{series.groep} in reeks {series.reeks}; die waarnemingen zouden samenvallen.")
        seen[target] = number


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
    upgraded: int = 0             # rows of a file without reeks/status that got those columns
    mapping_file: str = ""

    def summary(self) -> str:
        lines = [f"CBS-tabel {self.table}: {self.rows} waarneming(en) opgehaald en samengevoegd in "
                 f"{_display(self.csv_path)}.",
                 f"  nieuw: {self.added}, gewijzigd: {self.changed}, ongewijzigd: {self.unchanged}, "
                 f"behouden uit het bestaande bestand: {self.kept}."]
        lines += [f"  gewijzigd: {change}" for change in self.changes]
        if self.upgraded:
            lines.append(f"  Bestaand bestand had nog geen kolommen reeks en status: toegevoegd aan "
                         f"{self.upgraded} rij(en), reeks volgens {self.mapping_file}.")
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
    mapping = mapping.resolve(tabel, properties)
    dims = mapping.dimension_names()
    meta = {dim: _call(tabel, client.get_meta, tabel, dim) for dim in dims}
    selection = _select_keys(tabel, mapping, meta, list(names), jaren)

    filters = " and ".join("(" + " or ".join(f"{dim} eq '{key}'" for key in keys) + ")"
                           for dim, keys in selection.items())
    select = [*dims, *mapping.columns()]
    records = _call(tabel, client.get_data, tabel, filters=filters, select=select)

    # everything is mapped and merged before anything is written: a refusal leaves data/raw as it was
    retrieved = datetime.now(timezone.utc).replace(microsecond=0)
    used = {dim: [e for e in meta[dim] if e["Key"] in selection[dim]] for dim in dims}
    rows, skipped = _map_records(tabel, mapping, records, used, properties, names, retrieved)
    csv_path = raw_dir / f"cbs_{tabel}.csv"
    merged, added, changed, unchanged, kept, changes, upgraded = _merge(csv_path, rows, tabel, mapping)

    raw_path = _free_path(raw_dir / "cbs", f"{tabel}_{retrieved.date().isoformat()}")
    _write_json(raw_path, {
        "table": tabel,
        "title": mapping.title,
        "mapping": mapping.file,
        "retrieved_at": retrieved.isoformat().replace("+00:00", "Z"),
        "cbsodata_version": cbsodata.__version__,
        "query": {"call": "cbsodata.get_data", "filters": filters, "select": select},
        "metadata": {"DataProperties": [properties[name] for name in select], **used},
        "records": records,
    })
    write_atomic(csv_path, lambda tmp: tmp.write_text(_csv_text(merged), encoding="utf-8"))
    return FetchResult(table=tabel, raw_path=raw_path, csv_path=csv_path, rows=len(rows), added=added,
                       changed=changed, unchanged=unchanged, kept=kept, skipped=skipped, changes=changes,
                       upgraded=upgraded, mapping_file=mapping.file,
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
    malformed = [code for code in wanted if not _region_code_form_ok(code)]
    if malformed:
        raise FetchError(f"Ongeldige regiocode {', '.join(malformed)}: gebruik de CBS-code, GM + 4 cijfers voor "
                         f"een gemeente (GM0556), WK + 6 voor een wijk (WK055601), BU + 8 voor een buurt "
                         f"(BU05560101), of bijv. NL01.")
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise FetchError(f"Onbekende regiocode {', '.join(unknown)}: niet gevonden in kolom code van "
                         f"{_display(path)}; voeg de regio daar toe (een wijk of buurt met ligt_in).")
    return {code: known[code] for code in wanted}


def _region_code_form_ok(code: str) -> bool:
    """A CBS region code: two letters and digits, with the fixed number of digits for GM, WK and BU."""
    match = re.fullmatch(r"([A-Z]{2})(\d+)", code)
    return bool(match) and len(match[2]) == REGION_CODE_DIGITS.get(match[1], len(match[2]))


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
                             f"{mapping.file} tegen cbsodata.get_meta('{tabel}', '{dim}'); niets geschreven.")
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
            period = keys[mapping.period_dimension]
            jaar = int(period[:4])
            provisional = titles[mapping.period_dimension][period].strip().endswith("*")
            measure = ", ".join([properties[series.column]["Title"].strip(),
                                 *(titles[dim][key] for dim, key in series.where.items())])
            note = (f"; voorlopig cijfer (CBS-periode {titles[mapping.period_dimension][period].strip()})"
                    if provisional else "")
            row = {
                "indicator": series.indicator,
                "regio": names[keys[mapping.region_dimension]],
                "groep": series.groep,
                "jaar": str(jaar),
                "waarde": _number(tabel, series.column, value),
                "eenheid": series.eenheid,
                "bron": f"cbs_statline_{tabel}",
                "reeks": series.reeks,
                "status": PROVISIONAL if provisional else "",
                "periode": mapping.period_label.format(jaar=jaar),
                "teller": "",
                "noemer": "",
                "vindplaats": STATLINE_URL.format(tabel=tabel),
                "opmerking": f"CBS {tabel}: {measure}{note}; opgehaald op {retrieved.date().isoformat()} (UTC).",
            }
            key = tuple(row[column] for column in KEY)
            if key in rows:
                raise FetchError(f"Tabel {tabel}: twee CBS-cellen leveren dezelfde waarneming "
                                 f"{' / '.join(row[c] for c in SHOWN_KEY)}; maak de mapping in {mapping.file} "
                                 f"specifieker.")
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


def _merge(path: Path, new_rows: list[dict[str, str]], tabel: str, mapping: Mapping):
    """Replace rows with the same key, keep the others, sort; count what changed.

    A file written before data contract v2 (no ``reeks``/``status``) gets both columns; its rows of this
    table get the reeks of the mapping series with their indicator and groep (the statistic they were
    fetched from), so that a fetch again replaces them instead of doubling them in a second reeks.
    """
    existing: list[dict[str, str]] = []
    upgraded = 0
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = tuple(reader.fieldnames or ())
            if columns not in (COLUMNS, OLD_COLUMNS):
                raise FetchError(f"{_display(path)} heeft andere kolommen dan {', '.join(COLUMNS)}; "
                                 f"niets geschreven.")
            existing = list(reader)
        if columns == OLD_COLUMNS:
            reeks_of: dict[tuple[str, str], set[str]] = {}
            for series in mapping.series:
                reeks_of.setdefault((series.indicator, series.groep), set()).add(series.reeks)
            for row in existing:
                candidates = reeks_of.get((row["indicator"].strip(), row["groep"].strip()), set())
                own = row["bron"].strip() == f"cbs_statline_{tabel}" and len(candidates) == 1
                row["reeks"], row["status"] = (next(iter(candidates)) if own else ""), ""
                upgraded += 1

    def key(row: dict[str, str]) -> tuple[str, ...]:
        return tuple(row[column].strip() for column in KEY)

    def shown(row: dict[str, str]) -> str:
        return " / ".join(row[column].strip() for column in SHOWN_KEY)

    def value(row: dict[str, str]) -> str:
        return f"{row['waarde']} ({row['status']})" if row["status"].strip() else row["waarde"]

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
            changes.append(f"{shown(row)}: {'; '.join(value(r) for r in old)} -> {value(row)}")
    fetched = {key(row) for row in new_rows}
    kept = [row for row in existing if key(row) not in fetched]
    merged = sorted(kept + new_rows, key=key)
    return merged, added, changed, unchanged, len(kept), tuple(changes), upgraded


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
    """``None`` when the bron code is in ``bronnen.csv``; otherwise the line the researcher should add.

    The line has the columns of data contract v2 (:data:`BRONNEN_COLUMNS`, with ``producent`` CBS and
    ``soort`` primair), named in the message because an older ``bronnen.csv`` lacks the last two.
    """
    bron = f"cbs_statline_{tabel}"
    path = raw_dir / "bronnen.csv"
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if any((row.get("bron") or "").strip() == bron for row in csv.DictReader(handle)):
                return None
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([
        bron, f"CBS StatLine {tabel}: {mapping.title}", "Centraal Bureau voor de Statistiek (CBS)",
        retrieved.date().isoformat(), STATLINE_URL.format(tabel=tabel), LICENCE, "CBS", "primair"])
    return (f"Bron {bron} ontbreekt in {_display(path)}; voeg deze regel toe onder de kopregel "
            f"{','.join(BRONNEN_COLUMNS)}: {buffer.getvalue()}")
