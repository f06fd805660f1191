"""``analyse fetch cbs --bestand``: CBS figures republished elsewhere, read through the same mappings.

Two shared files are known by their columns (see ``../shared/data/README.md``): the key figures of a few
municipalities (``cbs_tabel, kolom, regio_code, regio_naam, jaar, waarde, vindplaats``) and the figures of every
municipality (``editie, kolom, ...``). A row's ``cbs_tabel`` or ``editie`` is the label of a republication in
one mapping (``[[republished_in]]``), its ``kolom`` a field one series of that mapping names
(``republished``), or a field left out with a reason (``cbs_mappings/_weggelaten.toml``). Every row is taken
or left out with a reason; anything else (an unknown table or field, a region regios.csv lacks) stops the
import naming the file and row. The same observation found twice is taken once, from the republication with
the lowest ``priority``; two different values for it stop the import.

Written, after the project's own validation of the result: one observation file per bron (rows merged as a
fetch merges them), the bronnen in ``bronnen.csv``, and a row in ``regios.csv`` for every municipality of the
all-municipality file that it lacks (the CBS name, after the hand-kept rows).
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from analyse import cbs, cbs_mapping, data
from analyse.cbs_mapping import FetchError, Mapping, Series

KEY_FIGURES = ("cbs_tabel", "kolom", "regio_code", "regio_naam", "jaar", "waarde", "vindplaats")
MUNICIPALITIES = ("editie", "kolom", "regio_code", "regio_naam", "jaar", "waarde")
SHARED_REGION_ALIASES = {alias: code for code, alias in cbs.REGION_ALIASES.items()}   # NL00 -> NL01
DUPLICATE = "duplicaat"
MUNICIPAL_REMARK = "CBS-gemeentecode; Kerncijfers wijken en buurten"


@dataclass(frozen=True)
class LeftOut:
    """What the shared files give and the project does not take, from ``cbs_mappings/_weggelaten.toml``."""

    reasons: dict[str, str]
    fields: dict[str, str]          # field -> reason code, for every table
    sources: dict[str, tuple[str, int]]   # label without a CBS table -> (reason code, priority)


def left_out_rules() -> LeftOut:
    path = cbs_mapping.MAPPING_FOLDER / "_weggelaten.toml"
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    return LeftOut(reasons=dict(spec["reasons"]), fields=dict(spec["fields"]),
                   sources={s["label"]: (s["reason"], int(s["priority"])) for s in spec.get("sources", ())})


# --------------------------------------------------------------------------- reading

def read_shared(path: Path) -> list[dict]:
    """The rows of one shared file, each with its label, its trace (``vindplaats``), file name and row number."""
    path = Path(path)
    if not path.is_file():
        raise FetchError(f"{path} bestaat niet of is geen bestand.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        rows = list(reader)
    if header not in (KEY_FIGURES, MUNICIPALITIES):
        raise FetchError(f"{path.name} heeft de kolommen {','.join(header)}; verwacht {','.join(KEY_FIGURES)} "
                         f"(CBS-kerncijfers) of {','.join(MUNICIPALITIES)} (alle gemeenten).")
    municipal = header == MUNICIPALITIES
    for number, row in enumerate(rows, start=2):
        if None in row or any(value is None for value in row.values()):
            raise FetchError(f"{path.name} rij {number}: niet evenveel velden als de kopregel.")
        row["_bestand"], row["_rij"], row["_gemeenten"] = path.name, number, municipal
        if municipal:
            row["label"] = row["editie"]
            row["vindplaats"] = f"{path.name}, editie {row['editie']}"
        else:
            row["label"] = row["cbs_tabel"]
    return rows


def _republications() -> dict[str, tuple[Mapping, cbs_mapping.Republication]]:
    found = {}
    for table in cbs_mapping.available():
        mapping = cbs_mapping.load_mapping(table)
        for republication in mapping.republished_in:
            if republication.label in found:
                raise FetchError(f"{mapping.file}: label '{republication.label[:60]}' staat ook in "
                                 f"{found[republication.label][0].file}.")
            found[republication.label] = (mapping, republication)
    return found


# --------------------------------------------------------------------------- regions

def municipality_regions(rows: list[dict], raw: Path,
                         republications: dict[str, tuple[Mapping, cbs_mapping.Republication]]) -> str:
    """``regios.csv`` with a row for every municipal code of the all-municipality file that it lacks.

    The name is the CBS name; the remark gives the years of the Kerncijfers wijken en buurten with figures,
    and says when the code has none in the newest edition (the municipality went into another). A name that
    another region already carries under another code stops the import.
    """
    with open(raw / "regios.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, kept = reader.fieldnames, list(reader)
    known_codes = {r["code"] for r in kept if r["code"]}
    taken = {r["regio"]: r["code"] for r in kept}
    names, years = {}, defaultdict(set)
    for row in rows:
        code = row["regio_code"]
        if not row["_gemeenten"] or not code.startswith("GM") or code in known_codes:
            continue
        names[code] = row["regio_naam"].strip()
        mapping = republications.get(row["label"], (None, None))[0]
        if mapping is not None and mapping.year is not None:
            years[code].add(int(row["jaar"].rstrip("*")))
    newest = max(y for ys in years.values() for y in ys) if years else None
    added, problems = [], []
    for code in sorted(names):
        name = names[code]
        if name in taken and taken[name] != code:
            problems.append(f"{code} heet {name!r}, een naam die regios.csv al gebruikt voor "
                            f"{taken[name] or 'een regio zonder code'}")
            continue
        span = sorted(years[code])
        remark = f"{MUNICIPAL_REMARK} {', '.join(str(y) for y in span)}"
        if span and span[-1] != newest:
            remark += (f". Na {span[-1]} opgegaan in een andere gemeente: een gemeente die daaruit ontstond, is een "
                       "nieuwe reeks")
        added.append({"regio": name, "code": code, "niveau": "gemeente", "ligt_in": "", "label": name,
                      "opmerking": remark + "."})
        taken[name] = code
    if problems:
        raise FetchError("Import gestopt; geef deze gemeenten eerst een eigen naam in regios.csv:\n  "
                         + "\n  ".join(problems))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept + [{k: r.get(k, "") for k in fields} for r in added])
    return out.getvalue()


def region_codes(regios_text: str) -> dict[str, str]:
    """CBS code -> regio name (the catalogue decides the names), with the aliases the shared files use."""
    codes = {r["code"]: r["regio"] for r in csv.DictReader(io.StringIO(regios_text)) if r["code"]}
    for alias, code in SHARED_REGION_ALIASES.items():
        if code in codes:
            codes[alias] = codes[code]
    return codes


# --------------------------------------------------------------------------- the plan

@dataclass
class Plan:
    files: dict[str, list[dict]]              # bron -> observation rows
    left_out: list[tuple[dict, str]]          # (shared row, reason code)
    mappings: dict[str, Mapping]              # bron -> the mapping that writes it


def plan(rows: list[dict], codes: dict[str, str], rules: LeftOut | None = None,
         republications: dict | None = None) -> Plan:
    """Every shared row taken (as an observation row of its bron) or left out with a reason.

    :class:`FetchError` listing every row that is neither (an unknown table or field, an unknown region) and
    every observation found twice with two values.
    """
    rules = rules or left_out_rules()
    republications = republications if republications is not None else _republications()
    fields: dict[tuple[str, str], Series] = {}
    for mapping, _ in republications.values():
        for series in mapping.series:
            for name in series.republished:
                fields[(mapping.table, name)] = series
    candidates: dict[tuple, list[tuple[int, str, dict, dict]]] = defaultdict(list)
    mappings: dict[str, Mapping] = {}
    left_out: list[tuple[dict, str]] = []
    problems = []
    for row in rows:
        where = f"{row['_bestand']} rij {row['_rij']}"
        if row["label"] in rules.sources:
            left_out.append((row, rules.sources[row["label"]][0]))
            continue
        if row["label"] not in republications:
            problems.append(f"{where}: onbekende tabel {row['label'][:60]!r} (geen [[republished_in]] in een mapping)")
            continue
        mapping, republication = republications[row["label"]]
        if republication.left_out or row["kolom"] in rules.fields:
            left_out.append((row, republication.left_out or rules.fields[row["kolom"]]))
            continue
        series = fields.get((mapping.table, row["kolom"]))
        if series is None:
            problems.append(f"{where}: veld {row['kolom']!r} van tabel {mapping.table} staat in geen mapping "
                            f"(republished) en niet in _weggelaten.toml")
            continue
        code = SHARED_REGION_ALIASES.get(row["regio_code"], row["regio_code"])
        if code not in codes:
            problems.append(f"{where}: regiocode {row['regio_code']} ontbreekt in regios.csv")
            continue
        jaar, status = row["jaar"].strip(), ""
        if jaar.endswith("*"):
            jaar, status = jaar[:-1], cbs.PROVISIONAL
        out = {"indicator": series.indicator, "regio": codes[code], "groep": series.groep, "jaar": jaar,
               "waarde": row["waarde"].strip(), "eenheid": series.eenheid, "bron": mapping.bron, "reeks": series.reeks,
               "periode": (series.period_label or mapping.period_label).format(jaar=jaar), "status": status,
               "vindplaats": f"{row['vindplaats']}; kolom {row['kolom']}",
               "opmerking": series.note.format(kolom=row["kolom"])}
        mappings[mapping.bron] = mapping
        candidates[tuple(out[c] for c in cbs.KEY)].append((republication.priority, row["label"], row, out))
    files: dict[str, list[dict]] = defaultdict(list)
    for key, found in candidates.items():
        found.sort(key=lambda item: (item[0], item[1], item[2]["_bestand"], item[2]["_rij"]))
        _, _, kept_row, kept = found[0]
        for _, _, other_row, other in found[1:]:
            if _number(other["waarde"]) != _number(kept["waarde"]):
                problems.append(f"{' / '.join(key)}: {kept['waarde']} ({kept_row['_bestand']} rij {kept_row['_rij']}) "
                                f"en {other['waarde']} ({other_row['_bestand']} rij {other_row['_rij']}); beslis "
                                f"welke CBS-tabel telt (priority in de mapping)")
            left_out.append((other_row, DUPLICATE))
        files[kept["bron"]].append(kept)
    if problems:
        shown = problems[:50] + ([f"... en nog {len(problems) - 50}"] if len(problems) > 50 else [])
        raise FetchError(f"Import gestopt, {len(problems)} rij(en) niet in te delen; niets geschreven:\n  "
                         + "\n  ".join(shown))
    left_out.sort(key=lambda item: (item[0]["_bestand"], item[0]["_rij"]))
    return Plan(files=dict(files), left_out=left_out, mappings=mappings)


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return text


# --------------------------------------------------------------------------- writing

def outputs(paths: list[Path], raw: Path) -> tuple[dict[Path, str], Plan]:
    """Every file the import writes, with its content (nothing written yet), and the plan."""
    raw = Path(raw)
    rows = [row for path in paths for row in read_shared(path)]
    republications = _republications()
    regions = municipality_regions(rows, raw, republications)
    result = plan(rows, region_codes(regions), left_out_rules(), republications)
    written: dict[Path, str] = {}
    for bron, new_rows in sorted(result.files.items()):
        path = raw / result.mappings[bron].target
        header, merged, _ = cbs._merge(path, new_rows)
        written[path] = cbs._csv_text(header, merged)
    written[raw / "bronnen.csv"] = _bronnen(raw, [cbs.bron_row(result.mappings[bron]) for bron in sorted(result.files)])
    if regions != (raw / "regios.csv").read_text(encoding="utf-8"):
        written[raw / "regios.csv"] = regions
    return written, result


def _bronnen(raw: Path, ours: list[dict[str, str]]) -> str:
    """bronnen.csv with the rows of ``ours`` replaced or added, sorted by bron; its own columns kept."""
    with open(raw / "bronnen.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    codes = {row["bron"] for row in ours}
    rows = [r for r in rows if r["bron"] not in codes] + [{k: row.get(k, "") for k in fields} for row in ours]
    rows.sort(key=lambda r: r["bron"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class ImportResult:
    imported: int
    files: int
    left_out: dict[str, int]       # reason text -> rows
    changed: tuple[Path, ...]

    def summary(self) -> str:
        lines = [f"{self.imported} rijen overgenomen in {self.files} bestanden, {sum(self.left_out.values())} "
                 f"weggelaten; {len(self.changed)} bestand(en) bijgewerkt"
                 + (f": {', '.join(p.name for p in self.changed)}." if self.changed else ".")]
        lines += [f"  weggelaten {count:5d}: {reason}" for reason, count in
                  sorted(self.left_out.items(), key=lambda item: (-item[1], item[0]))]
        return "\n".join(lines)


def import_files(paths: list[Path], raw: Path) -> ImportResult:
    """Read the shared files, check the result with the project's validation, then write what changed."""
    raw = Path(raw)
    written, result = outputs(paths, raw)
    changed = tuple(p for p, text in written.items() if not p.exists() or p.read_text(encoding="utf-8") != text)
    problems = cbs.problems_before_writing(raw, {p.name: written[p] for p in changed}) if changed else []
    if problems:
        lines = [f"De gedeelde CBS-cijfers geven {len(problems)} waarde(n) die de controle van de data weigert; niets "
                 f"geschreven:"] + [f"  - {problem}" for problem in problems[:50]]
        raise FetchError("\n".join(lines))
    for path in changed:
        data.write_atomic(path, lambda tmp, text=written[path]: tmp.write_text(text, encoding="utf-8"))
    rules = left_out_rules()
    counts: dict[str, int] = defaultdict(int)
    for _, reason in result.left_out:
        counts[rules.reasons[reason]] += 1
    observations = [p for p in written if p.name not in ("bronnen.csv", "regios.csv")]
    imported = sum(len(rows) for rows in result.files.values())
    return ImportResult(imported=imported, files=len(observations), left_out=dict(counts), changed=changed)
