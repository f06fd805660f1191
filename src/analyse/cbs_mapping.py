"""The mappings of ``analyse fetch cbs``: one TOML file per CBS table in ``cbs_mappings/``.

A mapping says which cells of a CBS table become which observations (indicator, groep, eenheid, reeks), in
which file and under which bron; and for every key where it was seen in public CBS metadata (``seen``). A
series whose key could not be confirmed carries ``unconfirmed`` (the reason) and is never fetched: the
fetch says so instead of guessing. The fields are described in ``cbs_mappings/README.md``.

:meth:`Mapping.resolve` checks a mapping against the table's own metadata (``DataProperties``) and turns
names into the keys the table has: a dimension named by alternatives, a column named by its title, a
dimension key named by its title.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from analyse.schema import UNITS, AnalyseError

PACKAGE_MAPPINGS = Path(__file__).with_name("cbs_mappings")
MAPPING_FOLDER = PACKAGE_MAPPINGS   # where load_mapping looks; tests point it elsewhere
CATALOGUE_NAMES = ("opendata", "dataderden")
# the unit CBS gives a column (DataProperties Unit) that each of our units requires; others are not checked
CBS_UNITS = {"aantal": ("aantal",), "procent": ("%", "procent")}


class FetchError(AnalyseError):
    """A fetch that cannot be carried out; the message is one Dutch line for the researcher."""


@dataclass(frozen=True)
class Key:
    """A dimension key as the mapping gives it: the key itself, or the title CBS gives it."""

    key: str | None = None
    title: str | None = None

    def __str__(self) -> str:
        return self.key if self.key is not None else f"'{self.title}'"


@dataclass(frozen=True)
class Series:
    """One mapped measure: a CBS column plus dimension keys -> (indicator, groep, eenheid, reeks)."""

    column: str                 # the CBS key; empty while only column_title is known
    where: dict[str, Key]
    indicator: str
    groep: str
    eenheid: str
    reeks: str
    seen: str = ""              # where the column and keys were seen
    unconfirmed: str = ""       # why the key could not be confirmed: then never fetched
    column_title: str = ""      # 'Group / Title' of the column in DataProperties, when the key is not known
    period_label: str | None = None
    republished: tuple[str, ...] = ()   # the field names republishers give this measure (analyse fetch cbs --bestand)
    note: str = ""              # the remark written with a republished value; {kolom} is the field name

    def label(self, number: int) -> str:
        return f"[[series]] {number} ({self.indicator}/{self.groep})"

    def shown(self) -> str:
        return self.column or f"'{self.column_title}'"


@dataclass(frozen=True)
class Republication:
    """Where the table was found republished: the table label of a shared file, and its priority."""

    label: str
    priority: int           # the lowest wins when two republications give the same observation
    seen: str
    left_out: str = ""      # a reason code (cbs_mappings/_weggelaten.toml) when none of its values is taken


@dataclass(frozen=True)
class Mapping:
    """The declarative description of one CBS table, read from ``cbs_mappings/<table>.toml``."""

    table: str
    file: str                     # the mapping file, as named in messages
    title: str
    catalogue: str
    region_dimension: str
    period_dimension: str | None  # None: the table is one edition, for ``year``
    year: int | None
    period_kind: str
    period_label: str
    bron: str
    target: str                   # the observation file in data/raw
    seen: str
    fixed: dict[str, Key]
    series: tuple[Series, ...]
    dimensions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bron_row: dict[str, str] = field(default_factory=dict)   # this bron's row in bronnen.csv, where known
    republished_in: tuple[Republication, ...] = ()

    def confirmed(self) -> tuple[Series, ...]:
        return tuple(s for s in self.series if not s.unconfirmed)

    def selected_keys(self, series: tuple[Series, ...] | None = None) -> dict[str, list[Key]]:
        """The keys to fetch for every dimension other than region and period."""
        keys = {dim: [key] for dim, key in self.fixed.items()}
        for one in self.series if series is None else series:
            for dim, key in one.where.items():
                if key not in keys.setdefault(dim, []):
                    keys[dim].append(key)
        return keys

    def dimension_names(self) -> list[str]:
        ends = [self.region_dimension] + ([self.period_dimension] if self.period_dimension else [])
        return [*ends, *self.selected_keys()]

    def columns(self, series: tuple[Series, ...]) -> list[str]:
        return list(dict.fromkeys(s.column for s in series))

    def resolve(self, properties: list[dict]) -> Mapping:
        """This mapping with dimension names, column titles and units checked against the table's metadata.

        :class:`FetchError` when a dimension (or none of its alternatives) or a column is not in the table,
        when a column has no title, when its unit is not the series' eenheid, and when the table has a
        dimension this mapping does not fix: its cells would otherwise fall together in one observation.
        """
        table = self.table
        check = f"controleer {self.file} tegen de DataProperties van tabel {table}"
        by_key: dict[str, dict] = {}
        for prop in properties:
            key, kind = prop.get("Key"), str(prop.get("Type", ""))
            if kind == "Topic" or kind.endswith("Dimension"):
                if not isinstance(key, str) or not key.strip():
                    raise FetchError(f"Tabel {table}: de metadata (DataProperties) bevat een kolom of dimensie zonder "
                                     f"sleutel; onverwachte CBS-metadata, niets geschreven.")
                by_key[key] = prop
        table_dims = [key for key, prop in by_key.items() if str(prop.get("Type", "")).endswith("Dimension")]
        actual: dict[str, str] = {}
        for name in self.dimension_names():
            options = self.dimensions.get(name, (name,))
            present = [option for option in options if option in table_dims]
            if not present:
                raise FetchError(f"Tabel {table} kent geen dimensie {' of '.join(options)}; {check}.")
            if len(present) > 1:
                raise FetchError(f"Tabel {table} kent zowel dimensie {' als '.join(present)}; {self.file} noemt "
                                 f"ze als alternatieven voor {name}, dus kies er één.")
            actual[name] = present[0]
        loose = [dim for dim in table_dims if dim not in actual.values()]
        if loose:
            raise FetchError(f"Tabel {table} heeft dimensie {', '.join(loose)}, die {self.file} niet vastlegt; "
                             f"zet die in [fixed] (meestal het totaal), anders vallen CBS-cellen samen.")
        titles = _title_paths(properties)
        series = []
        for number, one in enumerate(self.series, 1):
            if one.unconfirmed:
                series.append(one)
                continue
            column = one.column
            if not column:
                found = [key for key, path in titles.items() if _same(path, one.column_title)]
                if len(found) != 1:
                    what = "geen" if not found else f"{len(found)} kolommen ({', '.join(found)})"
                    raise FetchError(f"Tabel {table} heeft {what} met de titel '{one.column_title}' ({one.label(number)} "
                                     f"in {self.file}); niets geschreven.")
                column = found[0]
            prop = by_key.get(column)
            if prop is None or prop.get("Type") != "Topic":
                raise FetchError(f"Tabel {table} kent kolom {column} niet; {check}.")
            if not str(prop.get("Title") or "").strip():
                raise FetchError(f"Tabel {table}: kolom {column} heeft geen titel in de metadata; onverwachte "
                                 f"CBS-metadata, niets geschreven.")
            unit = str(prop.get("Unit") or "").strip()
            wanted = CBS_UNITS.get(one.eenheid)
            if unit and wanted and not any(w in unit.lower() for w in wanted):
                raise FetchError(f"Tabel {table}, kolom {column}: CBS geeft de eenheid '{unit}', {self.file} zegt "
                                 f"{one.eenheid} ({one.label(number)}); niets geschreven.")
            series.append(replace(one, column=column, where={actual[d]: k for d, k in one.where.items()}))
        return replace(
            self, region_dimension=actual[self.region_dimension],
            period_dimension=actual[self.period_dimension] if self.period_dimension else None,
            fixed={actual[dim]: key for dim, key in self.fixed.items()}, series=tuple(series), dimensions={})


def _title_paths(properties: list[dict]) -> dict[str, str]:
    """Topic key -> 'Group / Subgroup / Title', from the ParentID of each DataProperty."""
    by_id = {prop.get("ID"): prop for prop in properties if prop.get("ID") is not None}
    paths = {}
    for prop in properties:
        if prop.get("Type") != "Topic":
            continue
        parts, parent, hops = [str(prop.get("Title") or "")], prop.get("ParentID"), 0
        while parent is not None and parent in by_id and hops < 20:
            parts.insert(0, str(by_id[parent].get("Title") or ""))
            parent, hops = by_id[parent].get("ParentID"), hops + 1
        paths[prop["Key"]] = " / ".join(part.strip() for part in parts)
    return paths


def _same(left: str, right: str) -> bool:
    return " ".join(left.split()).casefold() == " ".join(right.split()).casefold()


# --------------------------------------------------------------------------- reading

def load_mapping(table: str) -> Mapping:
    """Read and check the mapping of ``table``; :class:`FetchError` if it is missing, incomplete or would let
    two CBS cells fall together in one observation."""
    if not re.fullmatch(r"[0-9A-Za-z]+", table):
        raise FetchError(f"Ongeldig tabelnummer '{table}': alleen letters en cijfers, bijv. 85458NED.")
    source = MAPPING_FOLDER / f"{table}.toml"
    file = f"src/analyse/cbs_mappings/{source.name}" if source.parent == PACKAGE_MAPPINGS else str(source)
    if not source.is_file():
        known = ", ".join(available()) or "geen"
        raise FetchError(f"Geen mapping voor tabel {table}; voeg {file} toe (er zijn mappings voor: {known}).")
    try:
        spec = tomllib.loads(source.read_text(encoding="utf-8"))
        mapping = _from_spec(table, file, spec)
    except tomllib.TOMLDecodeError as error:
        raise FetchError(f"{file} is geen geldige TOML: {_one_line(error)}.") from error
    except KeyError as error:
        raise FetchError(f"{file} mist het veld {error}.") from error
    except (TypeError, ValueError, AttributeError) as error:
        raise FetchError(f"{file} heeft een veld van de verkeerde soort ({_one_line(error)}).") from error
    _check(mapping)
    return mapping


def available() -> list[str]:
    """The tables that have a mapping."""
    return sorted(path.stem for path in MAPPING_FOLDER.glob("*.toml") if not path.name.startswith("_"))


def _key(value) -> Key:
    if isinstance(value, str):
        return Key(key=value)
    if isinstance(value, dict) and set(value) == {"title"} and isinstance(value["title"], str):
        return Key(title=value["title"])
    raise TypeError(f"sleutel {value!r} is geen tekst en geen {{ title = \"...\" }}")


def _from_spec(table: str, file: str, spec: dict) -> Mapping:
    period_dimension = spec.get("period_dimension")
    year = spec.get("year")
    default_reeks = spec.get("reeks")
    series = []
    for s in spec["series"]:
        series.append(Series(
            column=s.get("column", ""), where={dim: _key(k) for dim, k in s.get("where", {}).items()},
            indicator=s["indicator"], groep=s["groep"], eenheid=s["eenheid"], reeks=s.get("reeks", default_reeks),
            seen=s.get("seen", ""), unconfirmed=s.get("unconfirmed", ""), column_title=s.get("column_title", ""),
            period_label=s.get("period_label"), republished=tuple(s.get("republished", ())), note=s.get("note", "")))
    return Mapping(
        table=table, file=file, title=spec["title"], catalogue=spec.get("catalogue", "opendata"),
        region_dimension=spec["region_dimension"], period_dimension=period_dimension,
        year=year, period_kind=spec.get("period_kind", "JJ00"), period_label=spec["period_label"],
        bron=spec.get("bron", f"cbs_statline_{table}"), target=spec.get("file", f"cbs_{table}.csv"),
        seen=spec["seen"], fixed={dim: _key(k) for dim, k in spec.get("fixed", {}).items()},
        series=tuple(series),
        dimensions={name: (options,) if isinstance(options, str) else tuple(options)
                    for name, options in spec.get("dimensions", {}).items()},
        bron_row={str(k): str(v) for k, v in spec.get("bron_row", {}).items()},
        republished_in=tuple(Republication(label=r["label"], priority=int(r["priority"]), seen=r["seen"],
                                           left_out=r.get("left_out", "")) for r in spec.get("republished_in", ())))


def _check(mapping: Mapping) -> None:
    """The checks on a mapping that need no metadata (see :func:`load_mapping`)."""
    file = mapping.file
    if mapping.catalogue not in CATALOGUE_NAMES:
        raise FetchError(f"{file}: catalogue '{mapping.catalogue}' is onbekend; kies {' of '.join(CATALOGUE_NAMES)}.")
    if (mapping.period_dimension is None) == (mapping.year is None):
        raise FetchError(f"{file}: geef period_dimension (een tabel met perioden) of year (een editie voor één "
                         f"jaar), niet allebei en niet geen van beide.")
    if mapping.year is not None and (not isinstance(mapping.year, int) or not 1900 <= mapping.year <= 2100):
        raise FetchError(f"{file}: year moet een jaartal zijn, bijv. 2022.")
    for name, value in (("bron", mapping.bron), ("file", mapping.target)):
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_]+" + (r"\.csv" if name == "file" else ""), value):
            raise FetchError(f"{file}: {name} '{value}' is geen geldige naam (letters, cijfers en _"
                             f"{', eindigend op .csv' if name == 'file' else ''}).")
    if not isinstance(mapping.seen, str) or not mapping.seen.strip():
        raise FetchError(f"{file}: seen ontbreekt: waar zijn de catalogus, de dimensies en de periodevorm van de "
                         f"tabel gezien?")
    wrong_units = sorted({s.eenheid for s in mapping.series} - set(UNITS))
    if wrong_units:
        raise FetchError(f"{file}: onbekende eenheid {', '.join(wrong_units)}; kies uit {', '.join(UNITS)}.")
    if not mapping.series:
        raise FetchError(f"{file}: geen enkele [[series]].")
    for number, series in enumerate(mapping.series, 1):
        label = series.label(number)
        if not isinstance(series.reeks, str) or not re.fullmatch(r"[a-z0-9_]+", series.reeks):
            raise FetchError(f"{file}: {label} heeft geen geldige reeks; geef reeks = \"...\" (kleine letters, "
                             f"cijfers en _) bij de series of bovenaan voor de hele tabel.")
        if series.column and series.column_title or not (series.column or series.column_title or series.unconfirmed):
            raise FetchError(f"{file}: {label} geeft column (de CBS-sleutel) of column_title (de titel), precies één "
                             f"(geen van beide alleen met unconfirmed).")
        if series.republished and not series.note.strip():
            raise FetchError(f"{file}: {label} noemt velden van herpublicaties (republished) zonder note.")
        if not series.unconfirmed and not series.seen.strip():
            raise FetchError(f"{file}: {label} zegt niet waar de sleutel gezien is (seen); of zet unconfirmed = "
                             f"\"reden\" als hij niet te bevestigen is.")
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
            raise FetchError(f"{file}: {series.label(number)} zet {', '.join(twice)} in where, terwijl [fixed] "
                             f"die dimensie al vastlegt.")
        loose = [dim for dim in selected if dim not in mapping.fixed and dim not in series.where]
        if loose:
            raise FetchError(f"{file}: {series.label(number)} legt dimensie {', '.join(loose)} niet vast (andere "
                             f"series wel); zet die in where of in [fixed], anders vallen CBS-cellen samen.")
    fields: dict[str, int] = {}
    for number, series in enumerate(mapping.series, 1):
        for name in series.republished:
            if name in fields:
                raise FetchError(f"{file}: veld '{name}' staat bij [[series]] {fields[name]} en {number}; een veld "
                                 f"van een herpublicatie hoort bij één reeks.")
            fields[name] = number
    labels = [r.label for r in mapping.republished_in]
    if len(set(labels)) != len(labels):
        raise FetchError(f"{file}: een label staat twee keer in [[republished_in]].")
    seen: dict[tuple[str, str, str], int] = {}
    for number, series in enumerate(mapping.series, 1):
        target = (series.indicator, series.groep, series.reeks)
        if target in seen:
            raise FetchError(f"{file}: [[series]] {seen[target]} en {number} leveren allebei {series.indicator}/"
                             f"{series.groep} in reeks {series.reeks}; die waarnemingen zouden samenvallen.")
        seen[target] = number


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
