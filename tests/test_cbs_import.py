"""The imported CBS key figures (data/raw/cbs_kwb_*.csv, politie_47018ned.csv) trace back to the shared files.

The shared files ``cbs_kerncijfers_2012_2024.csv`` and ``cbs_gemeenten_2012_2023.csv`` (every municipality) live
next to the project (``../shared/data``). Every imported row must match one shared row on table, column, region
code, year and value; every shared row is imported or left out with a reason; and the files in data/raw
(observations, bronnen.csv, the municipalities in regios.csv) are exactly what
``scripts/import_cbs_kerncijfers.py`` writes, so the import can be re-run without surprises.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "cbs_kerncijfers_2012_2024.csv"
MUNICIPALITIES = SHARED.with_name("cbs_gemeenten_2012_2023.csv")
SCRIPT = ROOT / "scripts" / "import_cbs_kerncijfers.py"
KEY = ["indicator", "regio", "groep", "jaar", "bron", "reeks"]

# How many shared rows are left out, per reason code of the script (REASONS there says why in words).
# A change here means the import changed what it takes: look at the rows before updating these numbers.
LEFT_OUT_COUNTS = {
    "misdrijf_overig": 8060, "geografie": 2301, "drugs_drank": 2015, "inkomensniveau": 1906, "opleiding": 1047,
    "duplicaat": 507, "wonen": 142, "afstand": 80, "energie": 40, "huishoudenssamenstelling": 40, "voertuigen": 40,
    "indelingscode": 29, "burgerlijke_staat": 26, "bedrijven": 24, "inkomen_2024": 10, "geboorte_sterfte": 8,
    "werkenden": 8, "zorg": 8, "tabelvoorbeeld": 5, "hoog_inkomen": 4,
}
SHARED_ROWS = 1804 + 53157  # the two shared files, as their READMEs count them


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("import_cbs_kerncijfers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shared(script) -> list[dict]:
    for path in (SHARED, MUNICIPALITIES):
        if not path.exists():
            pytest.skip(f"gedeelde CBS-kerncijfers ontbreken ({path})")
    return script.shared_rows(SHARED, MUNICIPALITIES)


@pytest.fixture(scope="module")
def imported(script) -> list[dict]:
    bronnen = {b["bron"] for b in script.BRONNEN.values()}
    rows = []
    for path in sorted(RAW.glob("*.csv")):
        if path.stem in bronnen:
            with open(path, encoding="utf-8", newline="") as handle:
                rows += [dict(r, _bestand=path.name) for r in csv.DictReader(handle)]
    assert rows, "geen geïmporteerde CBS-bestanden in data/raw"
    return rows


def _codes() -> dict[str, str]:
    with open(RAW / "regios.csv", encoding="utf-8", newline="") as handle:
        return {r["regio"]: r["code"] for r in csv.DictReader(handle)}


def test_every_imported_row_is_one_shared_cbs_value(script, shared, imported):
    tables_of = defaultdict(set)
    for table, (bron_key, _) in script.TABLES.items():
        if bron_key is not None:
            tables_of[script.BRONNEN[bron_key]["bron"]].add(table)
    pool = defaultdict(list)
    for row in shared:
        code = script.REGION_ALIASES.get(row["regio_code"], row["regio_code"])
        try:
            value = float(row["waarde"])
        except ValueError:
            continue  # '.' (no value) or a decimal comma: never imported
        pool[(row["cbs_tabel"], row["kolom"], code, row["jaar"].rstrip("*"), value)].append(row)
    codes = _codes()
    unmatched = []
    for row in imported:
        found, column = row["vindplaats"].rsplit("; kolom ", 1)
        matches = [r for table in tables_of[row["bron"]]
                   for r in pool[(table, column, codes[row["regio"]], row["jaar"], float(row["waarde"]))]
                   if r["vindplaats"] == found]
        if matches:
            pool_key = (matches[0]["cbs_tabel"], column, codes[row["regio"]], row["jaar"], float(row["waarde"]))
            pool[pool_key].remove(matches[0])
        else:
            unmatched.append((row["_bestand"], row["indicator"], row["regio"], row["jaar"], row["waarde"]))
    assert not unmatched, f"rijen zonder gelijke rij in de gedeelde lijst: {unmatched[:10]}"


def test_every_shared_row_is_imported_or_left_out_with_a_reason(script, shared, imported):
    _, left_out = script.plan(shared, script.region_names(RAW))
    assert len(imported) + len(left_out) == len(shared) == SHARED_ROWS
    counts = Counter(reason for _, reason in left_out)
    assert dict(counts) == LEFT_OUT_COUNTS
    assert all(script.REASONS[reason].strip() for reason in counts)


def test_the_files_are_what_the_import_writes(script, shared):
    written, _ = script.outputs(SHARED, RAW, MUNICIPALITIES)
    stale = [p.name for p, text in written.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"opnieuw importeren zou deze bestanden veranderen: {stale}"


def test_keys_are_unique_and_files_sorted(imported):
    seen = Counter(tuple(r[k] for k in KEY) for r in imported)
    assert not [k for k, n in seen.items() if n > 1]
    for name in {r["_bestand"] for r in imported}:
        rows = [r for r in imported if r["_bestand"] == name]
        order = [(r["indicator"], r["regio"], r["groep"], int(r["jaar"])) for r in rows]
        assert order == sorted(order), f"{name} is niet gesorteerd"


def test_bronnen_name_the_producer_and_the_table(script, imported):
    with open(RAW / "bronnen.csv", encoding="utf-8", newline="") as handle:
        bronnen = {r["bron"]: r for r in csv.DictReader(handle)}
    for bron in {r["bron"] for r in imported}:
        row = bronnen[bron]
        assert row["soort"] == "primair" and row["producent"] in ("CBS", "Politie")
        assert "NED" in row["naam"], f"{bron}: tabel-id ontbreekt in naam"
        assert "github.com" not in row["producent"] + row["uitgever"]  # the republisher is provenance only


def test_a_provisional_cbs_year_gets_status_voorlopig(script):
    row = {"cbs_tabel": script.KWB2024_CSV, "kolom": "Bevolking/Aantal inwoners (aantal)", "regio_code": "GM0556",
           "regio_naam": "Maassluis", "jaar": "2024*", "waarde": "35832", "vindplaats": "test", "_rij": 2}
    files, left_out = script.plan([row], {"GM0556": "Maassluis"})
    (written,) = files["cbs_kwb_2024"]
    assert (written["jaar"], written["status"], written["periode"]) == ("2024", "voorlopig", "1 januari 2024")
    assert not left_out


def test_a_value_that_differs_between_two_finds_stops_the_import(script):
    base = {"kolom": "aantal_inwoners", "regio_code": "GM0556", "regio_naam": "Maassluis", "jaar": "2019",
            "vindplaats": "test"}
    rows = [dict(base, cbs_tabel=script.PDOK.format(jaar=2019), waarde="32768", _rij=2),
            dict(base, cbs_tabel=script.KWB2019, kolom="population", waarde="32769", _rij=3)]
    with pytest.raises(SystemExit, match="beslis welke CBS-tabel telt"):
        script.plan(rows, {"GM0556": "Maassluis"})


def test_nederland_appears_under_both_cbs_codes(script):
    codes = script.region_names(RAW)
    assert codes["NL00"] == codes["NL01"] == "Nederland"


def test_every_municipality_of_the_shared_file_is_a_region_with_its_cbs_name(shared):
    with open(RAW / "regios.csv", encoding="utf-8", newline="") as handle:
        by_code = {r["code"]: r for r in csv.DictReader(handle) if r["code"]}
    municipal = {(r["regio_code"], r["regio_naam"]) for r in shared if r["_bestand"] == MUNICIPALITIES.name}
    assert len({code for code, _ in municipal}) == 440  # every code of 2012-2023: 416 in 2012, 24 created since
    assert all(by_code[code]["niveau"] == "gemeente" for code, _ in municipal)
    renamed = {code: (name, by_code[code]["regio"]) for code, name in municipal if by_code[code]["regio"] != name}
    assert renamed == {}  # the four hand-kept municipalities carry the CBS name too
    # a code without figures in the newest edition went into another municipality: said so
    assert "opgegaan in een andere gemeente" in by_code["GM0585"]["opmerking"]  # Binnenmaas (Hoeksche Waard, 2019)
    assert "opgegaan" not in by_code["GM1963"]["opmerking"]  # Hoeksche Waard itself


def test_a_municipality_whose_name_another_region_carries_stops_the_import(script, tmp_path):
    (tmp_path / "regios.csv").write_text("regio,code,niveau,ligt_in,label,opmerking\n"
                                         "Delft,,wijk,,Delft (een wijk zonder code),\n", encoding="utf-8")
    row = {"cbs_tabel": script.MUNICIPALITIES.format(editie="kwb2023"), "kolom": "aantal_inwoners",
           "regio_code": "GM0503", "regio_naam": "Delft", "jaar": "2023", "waarde": "104000", "_rij": 2}
    with pytest.raises(SystemExit, match="GM0503 heet 'Delft'"):
        script.municipality_regions([row], tmp_path)
