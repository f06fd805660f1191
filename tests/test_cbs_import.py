"""The imported CBS key figures (data/raw/cbs_kwb_*.csv, politie_47018ned.csv) trace back to the shared files,
and ``analyse fetch cbs --bestand`` (the one CBS route, :mod:`analyse.cbs_file`) writes exactly them.

The shared files ``cbs_kerncijfers_2012_2024.csv`` and ``cbs_gemeenten_2012_2023.csv`` (every municipality) live
next to the project (``../shared/data``). Every imported row must match one shared row on table, column, region
code, year and value; every shared row is imported or left out with a reason; and the files in data/raw
(observations, bronnen.csv, the municipalities in regios.csv) are exactly what the import writes, also when
they are written anew from the two shared files.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from analyse import cbs_file, cbs_mapping, cli
from analyse.cbs_mapping import FetchError

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "cbs_kerncijfers_2012_2024.csv"
MUNICIPALITIES = SHARED.with_name("cbs_gemeenten_2012_2023.csv")
KEY = ["indicator", "regio", "groep", "jaar", "bron", "reeks"]

# How many shared rows are left out, per reason code (the reasons in words: cbs_mappings/_weggelaten.toml).
# A change here means the import changed what it takes: look at the rows before updating these numbers.
LEFT_OUT_COUNTS = {
    "misdrijf_overig": 8060, "geografie": 2301, "drugs_drank": 2015, "inkomensniveau": 1906, "opleiding": 1047,
    "duplicaat": 507, "wonen": 142, "afstand": 80, "energie": 40, "huishoudenssamenstelling": 40, "voertuigen": 40,
    "indelingscode": 29, "burgerlijke_staat": 26, "bedrijven": 24, "inkomen_2024": 10, "geboorte_sterfte": 8,
    "werkenden": 8, "zorg": 8, "tabelvoorbeeld": 5, "hoog_inkomen": 4,
}
SHARED_ROWS = 1804 + 53157  # the two shared files, as their READMEs count them
PDOK_2019 = ("CBS Kerncijfers wijken en buurten 2019 as served by PDOK wijkenbuurten/2019 WFS (repo field name; "
             "0_15..65plus and pct_* are percentages)")
KWB2019 = "kwb-2019 (Kerncijfers wijken en buurten 2019, 84583NED; columns renamed by repo author)"
KWB2024_CSV = "85984NED Kerncijfers wijken en buurten 2024 (StatLine CSV export)"


def _mappings() -> dict[str, cbs_mapping.Mapping]:
    """bron -> mapping, for the tables that are found republished."""
    found = {}
    for table in cbs_mapping.available():
        mapping = cbs_mapping.load_mapping(table)
        if mapping.republished_in:
            found[mapping.bron] = mapping
    return found


@pytest.fixture(scope="module")
def shared() -> list[dict]:
    for path in (SHARED, MUNICIPALITIES):
        if not path.exists():
            pytest.skip(f"gedeelde CBS-kerncijfers ontbreken ({path})")
    return [row for path in (SHARED, MUNICIPALITIES) for row in cbs_file.read_shared(path)]


@pytest.fixture(scope="module")
def imported() -> list[dict]:
    rows = []
    for bron, mapping in _mappings().items():
        with open(RAW / mapping.target, encoding="utf-8", newline="") as handle:
            rows += [dict(r, _bestand=mapping.target) for r in csv.DictReader(handle)]
    assert rows, "geen geïmporteerde CBS-bestanden in data/raw"
    return rows


@pytest.fixture(scope="module")
def codes() -> dict[str, str]:
    return cbs_file.region_codes((RAW / "regios.csv").read_text(encoding="utf-8"))


def _names() -> dict[str, str]:
    with open(RAW / "regios.csv", encoding="utf-8", newline="") as handle:
        return {r["regio"]: r["code"] for r in csv.DictReader(handle)}


def test_every_imported_row_is_one_shared_cbs_value(shared, imported):
    labels_of = defaultdict(set)
    for bron, mapping in _mappings().items():
        labels_of[bron] |= {r.label for r in mapping.republished_in}
    pool = defaultdict(list)
    for row in shared:
        code = cbs_file.SHARED_REGION_ALIASES.get(row["regio_code"], row["regio_code"])
        try:
            value = float(row["waarde"])
        except ValueError:
            continue  # '.' (no value) or a decimal comma: never imported
        pool[(row["label"], row["kolom"], code, row["jaar"].rstrip("*"), value)].append(row)
    codes = _names()
    unmatched = []
    for row in imported:
        found, column = row["vindplaats"].rsplit("; kolom ", 1)
        matches = [r for label in labels_of[row["bron"]]
                   for r in pool[(label, column, codes[row["regio"]], row["jaar"], float(row["waarde"]))]
                   if r["vindplaats"] == found]
        if matches:
            pool[(matches[0]["label"], column, codes[row["regio"]], row["jaar"], float(row["waarde"]))].remove(matches[0])
        else:
            unmatched.append((row["_bestand"], row["indicator"], row["regio"], row["jaar"], row["waarde"]))
    assert not unmatched, f"rijen zonder gelijke rij in de gedeelde lijst: {unmatched[:10]}"


def test_every_shared_row_is_imported_or_left_out_with_a_reason(shared, imported, codes):
    result = cbs_file.plan(shared, codes)
    assert len(imported) + len(result.left_out) == len(shared) == SHARED_ROWS
    counts = Counter(reason for _, reason in result.left_out)
    assert dict(counts) == LEFT_OUT_COUNTS
    reasons = cbs_file.left_out_rules().reasons
    assert all(reasons[reason].strip() for reason in counts)


def test_the_files_are_what_the_import_writes(shared):
    written, _ = cbs_file.outputs([SHARED, MUNICIPALITIES], RAW)
    stale = [p.name for p, text in written.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"opnieuw importeren zou deze bestanden veranderen: {stale}"


def test_the_one_route_writes_every_imported_file_anew_byte_for_byte(shared, tmp_path, monkeypatch, capsys):
    """``analyse fetch cbs --bestand`` on a data/raw without the imported files, without the bronnen rows of the
    import and without the municipalities it added to regios.csv, writes them back byte for byte."""
    project = tmp_path / "project"
    raw = project / "data" / "raw"
    (project / "notebooks").mkdir(parents=True)
    shutil.copytree(RAW, raw)
    mappings = _mappings()
    for mapping in mappings.values():
        (raw / mapping.target).unlink()
    with open(RAW / "bronnen.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, [r for r in reader if r["bron"] not in mappings]
    with open(raw / "bronnen.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    hand_kept = [line for line in (RAW / "regios.csv").read_text(encoding="utf-8").splitlines(keepends=True)
                 if cbs_file.MUNICIPAL_REMARK not in line]
    (raw / "regios.csv").write_text("".join(hand_kept), encoding="utf-8")
    assert len(hand_kept) < 60   # the municipalities are really gone

    monkeypatch.setenv("ANALYSE_ROOT", str(project))
    assert cli.main(["fetch", "cbs", "--bestand", str(SHARED), "--bestand", str(MUNICIPALITIES)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{SHARED_ROWS - sum(LEFT_OUT_COUNTS.values())} rijen overgenomen in 8 bestanden, "
                          f"{sum(LEFT_OUT_COUNTS.values())} weggelaten; 10 bestand(en) bijgewerkt")
    names = [m.target for m in mappings.values()] + ["bronnen.csv", "regios.csv"]
    differ = [name for name in names if (raw / name).read_bytes() != (RAW / name).read_bytes()]
    assert differ == []
    assert not (ROOT / "scripts" / "import_cbs_kerncijfers.py").exists()   # one route


def test_a_fetch_of_the_same_files_again_changes_nothing(shared, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    result = cbs_file.import_files([SHARED, MUNICIPALITIES], raw)
    assert result.changed == ()
    assert "0 bestand(en) bijgewerkt." in result.summary()


def test_keys_are_unique_and_files_sorted(imported):
    seen = Counter(tuple(r[k] for k in KEY) for r in imported)
    assert not [k for k, n in seen.items() if n > 1]
    for name in {r["_bestand"] for r in imported}:
        rows = [r for r in imported if r["_bestand"] == name]
        order = [(r["indicator"], r["regio"], r["groep"], int(r["jaar"])) for r in rows]
        assert order == sorted(order), f"{name} is niet gesorteerd"


def test_bronnen_name_the_producer_and_the_table(imported):
    with open(RAW / "bronnen.csv", encoding="utf-8") as handle:
        bronnen = {r["bron"]: r for r in csv.DictReader(handle)}
    for bron in {r["bron"] for r in imported}:
        row = bronnen[bron]
        assert row["soort"] == "primair" and row["producent"] in ("CBS", "Politie")
        assert "NED" in row["naam"], f"{bron}: tabel-id ontbreekt in naam"
        assert "github.com" not in row["producent"] + row["uitgever"]  # the republisher is provenance only


def _row(**values):
    base = {"kolom": "aantal_inwoners", "regio_code": "GM0556", "regio_naam": "Maassluis", "jaar": "2019",
            "vindplaats": "test", "_bestand": "test.csv", "_gemeenten": False}
    row = {**base, **values}
    row["cbs_tabel"] = row["label"]
    return row


def test_a_provisional_cbs_year_gets_status_voorlopig():
    row = _row(label=KWB2024_CSV, kolom="Bevolking/Aantal inwoners (aantal)", jaar="2024*", waarde="35832", _rij=2)
    result = cbs_file.plan([row], {"GM0556": "Maassluis"})
    (written,) = result.files["cbs_kwb_2024"]
    assert (written["jaar"], written["status"], written["periode"]) == ("2024", "voorlopig", "1 januari 2024")
    assert not result.left_out


def test_a_value_that_differs_between_two_finds_stops_the_import():
    rows = [_row(label=PDOK_2019, waarde="32768", _rij=2), _row(label=KWB2019, kolom="population", waarde="32769", _rij=3)]
    with pytest.raises(FetchError, match="beslis welke CBS-tabel telt"):
        cbs_file.plan(rows, {"GM0556": "Maassluis"})


def test_the_same_value_twice_is_taken_once_from_the_direct_table():
    rows = [_row(label=PDOK_2019, waarde="32768", _rij=2), _row(label=KWB2019, kolom="population", waarde="32768", _rij=3)]
    result = cbs_file.plan(rows, {"GM0556": "Maassluis"})
    (kept,) = result.files["cbs_kwb_2019"]
    assert kept["vindplaats"] == "test; kolom population"   # kwb-2019 has the lower priority number
    assert [reason for _, reason in result.left_out] == ["duplicaat"]


def test_an_unknown_table_field_or_region_stops_the_import_naming_file_and_row():
    rows = [_row(label="elders", waarde="1", _rij=2), _row(label=PDOK_2019, kolom="nieuw_veld", waarde="1", _rij=3),
            _row(label=PDOK_2019, regio_code="GM9999", waarde="1", _rij=4)]
    with pytest.raises(FetchError) as caught:
        cbs_file.plan(rows, {"GM0556": "Maassluis"})
    message = str(caught.value)
    assert message.startswith("Import gestopt, 3 rij(en) niet in te delen; niets geschreven:")
    assert "test.csv rij 2: onbekende tabel 'elders'" in message
    assert "test.csv rij 3: veld 'nieuw_veld' van tabel 84583NED staat in geen mapping" in message
    assert "test.csv rij 4: regiocode GM9999 ontbreekt in regios.csv" in message


def test_nederland_appears_under_both_cbs_codes(codes):
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


def test_a_municipality_whose_name_another_region_carries_stops_the_import(tmp_path):
    (tmp_path / "regios.csv").write_text("regio,code,niveau,ligt_in,label,opmerking\n"
                                         "Delft,,wijk,,Delft (een wijk zonder code),\n", encoding="utf-8")
    row = {"label": "kwb2023", "kolom": "aantal_inwoners", "regio_code": "GM0503", "regio_naam": "Delft",
           "jaar": "2023", "waarde": "104000", "_rij": 2, "_bestand": "gemeenten.csv", "_gemeenten": True}
    with pytest.raises(FetchError, match="GM0503 heet 'Delft'"):
        cbs_file.municipality_regions([row], tmp_path, cbs_file._republications())


def test_a_file_of_another_shape_is_refused_naming_its_columns(tmp_path):
    path = tmp_path / "andere.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(FetchError, match="andere.csv heeft de kolommen a,b; verwacht cbs_tabel,kolom"):
        cbs_file.read_shared(path)


def test_bestand_does_not_go_with_tabel(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANALYSE_ROOT", str(ROOT))
    assert cli.main(["fetch", "cbs", "--bestand", "x.csv", "--tabel", "47018NED"]) == cli.EXIT_ERROR
    assert capsys.readouterr().err.startswith("Fout: --bestand gaat niet samen met --tabel")
    assert cli.main(["fetch", "cbs", "--tabel", "47018NED"]) == cli.EXIT_ERROR
    assert "Geef --tabel met --regio CODE" in capsys.readouterr().err
