"""Offline tests of ``analyse fetch cbs`` on constructed CBS tables (tests/fixtures/cbs, see its README).

One test per mapping fetches the constructed table with the mapping's real keys and checks the rows; the
others check regions, periods, metadata surprises, validation before writing, and merging.
"""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

import pytest

from analyse import cbs, cbs_mapping
from analyse.schema import UNITS
from cbs_fake import REPO_RAW, FakeCbs, fixture, make_raw_dir

MAPPINGS = Path(cbs_mapping.__file__).with_name("cbs_mappings")
GM = cbs.Request(codes=("GM0556",))


@pytest.fixture
def raw_dir(tmp_path):
    return make_raw_dir(tmp_path / "raw")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _values(rows, **where) -> dict[tuple, str]:
    return {(r["indicator"], r["groep"], r["jaar"]): r["waarde"] for r in rows
            if all(r[k] == v for k, v in where.items())}


def _repo_values(file: str, regio: str = "Maassluis") -> dict[tuple, str]:
    return _values(_read(REPO_RAW / file), regio=regio)


# --------------------------------------------------------------------------- one test per mapping

def test_every_mapping_uses_catalogue_codes_and_says_where_each_key_was_seen():
    def column(name, key):
        return {row[key] for row in _read(REPO_RAW / name)}

    indicators, groups, reeksen = column("indicatoren.csv", "indicator"), column("groepen.csv", "groep"), \
        column("reeksen.csv", "reeks")
    units = {row["indicator"]: row["eenheid"] for row in _read(REPO_RAW / "indicatoren.csv")}
    tables = cbs_mapping.available()
    assert set(tables) >= {"37713", "47018NED", "70904NED", "83765NED", "84286NED", "84583NED", "85318NED",
                           "85458NED", "85618NED", "85984NED", "83747NED"}
    for table in tables:
        mapping = cbs_mapping.load_mapping(table)
        assert mapping.seen.strip(), table
        for series in mapping.series:
            assert series.indicator in indicators and series.groep in groups and series.reeks in reeksen, (table, series)
            assert series.eenheid == units[series.indicator] and series.eenheid in UNITS, (table, series)
            assert bool(series.seen.strip()) != bool(series.unconfirmed.strip()), (table, series)


@pytest.mark.parametrize("table, file", [("84286NED", "cbs_kwb_2018.csv"), ("84583NED", "cbs_kwb_2019.csv"),
                                         ("85318NED", "cbs_kwb_2022.csv"), ("85984NED", "cbs_kwb_2024.csv"),
                                         ("47018NED", "politie_47018ned.csv")])
def test_fetched_rows_continue_the_series_already_in_data_raw(tmp_path, table, file):
    """Fetched into a copy of the project's data/raw, every row replaces the imported row of the same
    indicator, region, group, year, bron and reeks with the same value: the series continue, nothing doubles."""
    raw = make_raw_dir(tmp_path / "raw", full=True)
    before = _read(raw / file)
    result = cbs.fetch_cbs(table, GM, None, raw, client=FakeCbs(table))

    after = _read(raw / file)
    assert (result.added, result.changed) == (0, 0)
    assert result.unchanged == result.rows > 0
    assert len(after) == len(before)
    assert _values(after) == _values(before)
    assert list(after[0]) == list(before[0])   # the file keeps its own columns


def test_47018_police_table_on_the_third_party_catalogue(raw_dir):
    fake = FakeCbs("47018NED")
    result = cbs.fetch_cbs("47018NED", GM, (2023, 2023), raw_dir, client=fake)

    rows = _read(raw_dir / "politie_47018ned.csv")
    expected = {k: v for k, v in _repo_values("politie_47018ned.csv").items() if k[2] == "2023"}
    assert _values(rows) == expected and len(rows) == 8 == result.rows
    assert {(r["bron"], r["reeks"], r["periode"], r["eenheid"]) for r in rows} == {
        ("politie_47018ned", "politie_47018", "2023", "aantal")}
    (query,) = fake.data_queries()
    parts = query["$filter"].split(" and ")
    assert "(WijkenEnBuurten eq 'GM0556    ')" in parts and "(Perioden eq '2023JJ00')" in parts
    assert "SoortMisdrijf eq '0.0.0 '" in query["$filter"] and "SoortMisdrijf eq '2.5.2 '" in query["$filter"]
    assert "1.2.2" not in query["$filter"]
    assert query["$select"].split(",") == ["WijkenEnBuurten", "Perioden", "SoortMisdrijf", "GeregistreerdeMisdrijven_1"]
    assert rows[0]["vindplaats"] == "https://dataderden.cbs.nl/ODataApi/odata/47018NED"


def test_47018_uses_the_dataderden_catalogue_address():
    client = cbs.ODataClient()
    assert client.url("dataderden", "47018NED", "TypedDataSet").startswith(
        "https://dataderden.cbs.nl/ODataApi/odata/47018NED/TypedDataSet?$format=json")
    assert cbs_mapping.load_mapping("47018NED").catalogue == "dataderden"


def test_84583_kwb_2019(raw_dir):
    fake = FakeCbs("84583NED")
    cbs.fetch_cbs("84583NED", GM, None, raw_dir, client=fake)
    rows = _read(raw_dir / "cbs_kwb_2019.csv")
    repo = _repo_values("cbs_kwb_2019.csv")
    assert _values(rows) == {k: v for k, v in repo.items() if k[0] in ("inwoners", "aantal_leeftijd")}
    assert {(r["bron"], r["periode"]) for r in rows} == {("cbs_kwb_2019", "1 januari 2019")}
    (query,) = fake.data_queries()
    assert query["$filter"] == "(WijkenEnBuurten eq 'GM0556    ')"   # an edition: no period dimension


def test_84286_kwb_2018_skips_empty_cells(raw_dir):
    result = cbs.fetch_cbs("84286NED", GM, None, raw_dir, client=FakeCbs("84286NED"))
    rows = _read(raw_dir / "cbs_kwb_2018.csv")
    repo = _repo_values("cbs_kwb_2018.csv")
    assert _values(rows) == {k: v for k, v in repo.items() if k[0] in ("inwoners", "huishoudens")}
    assert result.skipped == 5 and "5 cel(len) zonder waarde bij CBS overgeslagen" in result.summary()


def test_85318_kwb_2022_fetches_only_confirmed_keys(raw_dir):
    result = cbs.fetch_cbs("85318NED", GM, None, raw_dir, client=FakeCbs("85318NED"))
    rows = _read(raw_dir / "cbs_kwb_2022.csv")
    assert {(i, g) for i, g, _ in _values(rows)} == {("inwoners", "totaal")} | {
        ("aantal_herkomst", g) for g in ("westers", "niet_westers", "marokkaans", "antilliaans", "surinaams", "turks",
                                         "overig_niet_westers")}
    assert all(_repo_values("cbs_kwb_2022.csv")[k] == v for k, v in _values(rows).items())
    assert {"inwoners/man", "inwoners/vrouw"} <= set(result.not_fetched)
    assert ("niet opgehaald, want de CBS-sleutel is niet bevestigd (zie unconfirmed in "
            "src/analyse/cbs_mappings/85318NED.toml): inwoners/man, inwoners/vrouw") in result.summary()


def test_85984_kwb_2024_with_wijken_and_buurten(raw_dir):
    fake = FakeCbs("85984NED")
    request = cbs.Request(codes=("GM0556",), with_areas=True)
    result = cbs.fetch_cbs("85984NED", request, (2024, 2024), raw_dir, client=fake)

    rows = _read(raw_dir / "cbs_kwb_2024.csv")
    regions = {r["regio"] for r in rows}
    catalogue = {r["regio"]: r["code"] for r in _read(REPO_RAW / "regios.csv")}
    assert {catalogue[name][:2] for name in regions} == {"GM", "WK", "BU"}
    assert len(regions) == 28 and result.rows == 308
    for name in ("Maassluis", "Sluispolder", "Binnenstad"):
        assert _values(rows, regio=name) == {k: v for k, v in _repo_values("cbs_kwb_2024.csv", name).items()
                                             if k[0] in ("inwoners", "aantal_leeftijd", "aantal_herkomst")}
    # the herkomst columns are named by their title; the fetch found their keys in the metadata
    assert "Herkomst_0" in fake.data_queries()[0]["$select"]


def test_37713_sex_is_a_column_and_columns_are_found_by_title(raw_dir):
    fake = FakeCbs("37713")
    cbs.fetch_cbs("37713", GM, None, raw_dir, client=fake)
    rows = _read(raw_dir / "cbs_37713.csv")
    kwb = {**_repo_values("cbs_kwb_2018.csv"), **_repo_values("cbs_kwb_2019.csv"), **_repo_values("cbs_kwb_2022.csv")}
    values = _values(rows)
    assert values == {k: kwb[k] for k in values}
    assert set(values) == {("inwoners", g, j) for g in ("totaal", "man", "vrouw") for j in ("2018", "2019")} | {
        ("aantal_herkomst", "westers", "2022"), ("aantal_herkomst", "niet_westers", "2022")}
    (query,) = fake.data_queries()
    assert "Geslacht" not in query["$filter"] and "(Leeftijd eq '10000  ')" in query["$filter"].split(" and ")
    assert set(query["$select"].split(",")) >= {"TotaleBevolking_1", "Mannen_2", "Vrouwen_3"}
    assert "MannenEnVrouwen_4" not in query["$select"]   # 'Mannen en vrouwen' of another group
    assert {r["reeks"] for r in rows if r["indicator"] == "aantal_herkomst"} == {"cbs_bevolking_migratieachtergrond"}


def test_37713_under_its_newer_dimension_name(raw_dir):
    content = fixture("37713")
    for prop in content["DataProperties"]:
        if prop["Key"] == "Herkomstgroepering":
            prop["Key"] = "Migratieachtergrond"
    content["Migratieachtergrond"] = content.pop("Herkomstgroepering")
    for record in content["TypedDataSet"]:
        record["Migratieachtergrond"] = record.pop("Herkomstgroepering")
    fake = FakeCbs("37713", content)
    result = cbs.fetch_cbs("37713", GM, None, raw_dir, client=fake)
    assert result.rows == 8 and "Migratieachtergrond eq 'T001040'" in fake.data_queries()[0]["$filter"]


def test_85458_herkomstland_with_provisional_year(raw_dir):
    result = cbs.fetch_cbs("85458NED", GM, None, raw_dir, client=FakeCbs("85458NED"))
    rows = _read(raw_dir / "cbs_85458NED.csv")
    repo = _repo_values("cbs_kwb_2024.csv")
    assert _values(rows) == {k: repo[k] for k in _values(rows)} and len(rows) == 4
    assert {r["status"] for r in rows} == {"voorlopig"}
    assert all("voorlopig cijfer (CBS-periode 2024*)" in r["opmerking"] for r in rows)
    assert result.skipped == 5   # the five countries: no value in the constructed table


def test_83747_bijstand_per_gemeente_keys_by_title(raw_dir):
    fake = FakeCbs("83747NED")
    cbs.fetch_cbs("83747NED", cbs.Request(codes=("NL01",)), None, raw_dir, client=fake)
    rows = _read(raw_dir / "cbs_83747NED.csv")
    assert _values(rows) == {("bijstand_personen", "leeftijd_15_plus", "2016"): "513980",
                             ("bijstand_per_1000", "leeftijd_15_plus", "2016"): "36"}
    assert {(r["regio"], r["reeks"], r["periode"]) for r in rows} == {
        ("Nederland", "cbs_bijstand", "CBS-tabel gemeenten 2016")}
    (query,) = fake.data_queries()
    assert "(Leeftijd eq '52052   ')" in query["$filter"].split(" and ")   # '15 jaar of ouder', found by title


@pytest.mark.parametrize("table", ["70904NED", "83765NED", "85618NED"])
def test_a_mapping_without_confirmed_keys_refuses_before_asking_cbs(raw_dir, table):
    fake = FakeCbs(table, content={})
    before = _snapshot(raw_dir)
    with pytest.raises(cbs_mapping.FetchError, match=f"Tabel {table}: geen enkele sleutel .* is bevestigd"):
        cbs.fetch_cbs(table, GM, None, raw_dir, client=fake)
    assert fake.calls == [] and _snapshot(raw_dir) == before


# --------------------------------------------------------------------------- regions

def test_unknown_region_code_is_named_and_nothing_asked(raw_dir):
    fake = FakeCbs("47018NED")
    with pytest.raises(cbs_mapping.FetchError, match=r"Onbekende regiocode GM9999: niet gevonden in kolom code"):
        cbs.fetch_cbs("47018NED", cbs.Request(codes=("GM0556", "GM9999")), None, raw_dir, client=fake)
    assert fake.calls == []


@pytest.mark.parametrize("code", ["WK5561", "GM556", "BU055601", "Maassluis"])
def test_region_code_of_the_wrong_form(raw_dir, code):
    with pytest.raises(cbs_mapping.FetchError, match=f"Ongeldige regiocode {code.upper()}: gebruik de CBS-code"):
        cbs.fetch_cbs("47018NED", cbs.Request(codes=(code,)), None, raw_dir, client=FakeCbs("47018NED"))


def test_several_regions_in_one_request(raw_dir):
    fake = FakeCbs("47018NED")
    cbs.fetch_cbs("47018NED", cbs.Request(codes=("GM0556", "GM0606", "NL01")), (2022, 2022), raw_dir, client=fake)
    (query,) = fake.data_queries()
    assert ("(WijkenEnBuurten eq 'GM0556    ' or WijkenEnBuurten eq 'GM0606    ' or WijkenEnBuurten eq 'NL00      ')"
            in query["$filter"])   # NL01 in regios.csv is NL00 in this table


def test_all_municipalities_lists_the_catalogue_rows_to_add(raw_dir):
    regios = (raw_dir / "regios.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (raw_dir / "regios.csv").write_text("".join(line for line in regios if ",GM0050," not in line), encoding="utf-8")
    content = fixture("47018NED")
    content["WijkenEnBuurten"].append({"Key": "GM0050    ", "Title": "Zeewolde"})
    before = _snapshot(raw_dir)
    fake = FakeCbs("47018NED", content)
    with pytest.raises(cbs_mapping.FetchError) as caught:
        cbs.fetch_cbs("47018NED", cbs.Request(all_municipalities=True), None, raw_dir, client=fake)
    lines = str(caught.value).split("\n")
    assert lines[0].startswith("1 regio('s) uit tabel 47018NED staan niet in") and "niets opgehaald" in lines[0]
    assert lines[1:] == ["Zeewolde,GM0050,gemeente,,Zeewolde,CBS-gemeente; naam zoals in tabel 47018NED."]
    assert not fake.data_queries() and _snapshot(raw_dir) == before


def test_all_municipalities_fetches_every_municipality_the_catalogue_knows(raw_dir):
    fake = FakeCbs("47018NED")
    result = cbs.fetch_cbs("47018NED", cbs.Request(all_municipalities=True), (2022, 2022), raw_dir, client=fake)
    (query,) = fake.data_queries()
    assert "GM0556" in query["$filter"] and "GM0606" in query["$filter"] and "NL00" not in query["$filter"]
    assert result.rows == 8   # the constructed table has values for Maassluis only


def test_wijken_missing_from_regios_are_refused_with_rows_naming_their_parent(raw_dir):
    content = fixture("85984NED")
    content["WijkenEnBuurten"] += [{"Key": "WK055609  ", "Title": "Wijk 09 Nieuw"},
                                   {"Key": "BU05560901", "Title": "Nieuwbuurt"}]
    with pytest.raises(cbs_mapping.FetchError) as caught:
        cbs.fetch_cbs("85984NED", cbs.Request(codes=("GM0556",), with_areas=True), None, raw_dir,
                      client=FakeCbs("85984NED", content))
    assert str(caught.value).split("\n")[1:] == [
        "Wijk 09 Nieuw,WK055609,wijk,Maassluis,Wijk 09 Nieuw,CBS-wijk; naam zoals in tabel 85984NED.",
        "Nieuwbuurt,BU05560901,buurt,Wijk 09 Nieuw,Nieuwbuurt,CBS-buurt; naam zoals in tabel 85984NED."]


def test_region_absent_from_the_table(raw_dir):
    with pytest.raises(cbs_mapping.FetchError, match="Regiocode GM0622 komt niet voor in tabel 47018NED"):
        cbs.fetch_cbs("47018NED", cbs.Request(codes=("GM0622",)), None, raw_dir, client=FakeCbs("47018NED"))


def test_many_regions_are_asked_in_parts_below_the_cbs_row_limit(raw_dir, monkeypatch):
    monkeypatch.setattr(cbs, "MAX_REQUEST_ROWS", 16)   # 8 offences x 2 years = 16 cells per region
    fake = FakeCbs("47018NED")
    cbs.fetch_cbs("47018NED", cbs.Request(codes=("GM0556", "GM0606")), None, raw_dir, client=fake)
    assert [q["$filter"].count("WijkenEnBuurten eq") for q in fake.data_queries()] == [1, 1]


# --------------------------------------------------------------------------- validation before writing

@pytest.mark.parametrize("bad, message", [
    (float("nan"), "nan"), (float("inf"), "inf"), (-5, "-5"), (12.5, "12.5"), ("12", None)])
def test_values_the_validation_refuses_are_never_written(raw_dir, bad, message):
    content = fixture("47018NED")
    content["TypedDataSet"][0]["GeregistreerdeMisdrijven_1"] = bad
    before = _snapshot(raw_dir)
    result = None
    try:
        result = cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))
    except cbs_mapping.FetchError as error:
        text = str(error)
        assert text.startswith("Tabel 47018NED: 1 opgehaalde waarde(n) geweigerd door de controle van de data; niets")
        assert "CBS kolom GeregistreerdeMisdrijven_1, regio GM0556, periode 2022JJ00" in text
        assert f"waarde '{message}'" in text and "kolom waarde" in text
        assert _snapshot(raw_dir) == before
    else:
        assert message is None and result.rows == 16   # '12' as text is the number 12


def test_a_period_of_1800_is_refused_by_the_validation(raw_dir):
    content = fixture("47018NED")
    content["Perioden"].append({"Key": "1800JJ00", "Title": "1800"})
    content["TypedDataSet"][0]["Perioden"] = "1800JJ00"
    before = _snapshot(raw_dir)
    with pytest.raises(cbs_mapping.FetchError, match=r"(?s)geweigerd.*periode 1800JJ00.*kolom jaar, waarde '1800'"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))
    assert _snapshot(raw_dir) == before


def test_control_characters_in_a_cbs_title_are_refused(raw_dir):
    content = fixture("47018NED")
    content["DataProperties"][3]["Title"] = "Geregistreerde\x07misdrijven"
    with pytest.raises(cbs_mapping.FetchError, match=r"(?s)geweigerd.*kolom opmerking"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))
    assert not (raw_dir / "politie_47018ned.csv").exists()


def test_missing_bron_is_refused_with_the_line_to_add(raw_dir):
    rows = [r for r in _read(raw_dir / "bronnen.csv") if r["bron"] != "cbs_statline_85458NED"]
    with (raw_dir / "bronnen.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    fake = FakeCbs("85458NED")
    with pytest.raises(cbs_mapping.FetchError) as caught:
        cbs.fetch_cbs("85458NED", GM, None, raw_dir, client=fake)
    message = str(caught.value)
    assert message.startswith("Bron cbs_statline_85458NED ontbreekt in") and "\n" not in message
    line = next(csv.reader([message.split("): ", 1)[1]]))
    assert line[0] == "cbs_statline_85458NED" and line[-2:] == ["CBS", "primair"]
    assert fake.calls == []


# --------------------------------------------------------------------------- unexpected metadata

def test_a_period_key_that_is_not_a_year_is_a_clear_error(raw_dir):
    content = fixture("47018NED")
    content["Perioden"].append({"Key": "20X3JJ00", "Title": "2023"})
    with pytest.raises(cbs_mapping.FetchError, match="periodesleutel '20X3JJ00' is geen jaar.*onverwachte CBS-metadata"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))


@pytest.mark.parametrize("title", [None, "", "   "])
def test_a_measure_without_a_title_is_a_clear_error(raw_dir, title):
    content = fixture("47018NED")
    content["DataProperties"][3]["Title"] = title
    with pytest.raises(cbs_mapping.FetchError, match="kolom GeregistreerdeMisdrijven_1 heeft geen titel"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))


def test_a_dimension_key_without_a_title_is_a_clear_error(raw_dir):
    content = fixture("47018NED")
    del content["SoortMisdrijf"][0]["Title"]
    with pytest.raises(cbs_mapping.FetchError, match="sleutel '0.0.0' heeft geen titel"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))


def test_a_column_with_another_unit_is_refused(raw_dir):
    content = fixture("84583NED")
    for prop in content["DataProperties"]:
        if prop["Key"] == "k_0Tot15Jaar_8":
            prop["Unit"] = "%"
    with pytest.raises(cbs_mapping.FetchError, match="kolom k_0Tot15Jaar_8: CBS geeft de eenheid '%'.*aantal"):
        cbs.fetch_cbs("84583NED", GM, None, raw_dir, client=FakeCbs("84583NED", content))


def test_a_column_title_found_twice_is_refused(raw_dir):
    content = fixture("37713")
    content["DataProperties"].append({"ID": 99, "ParentID": 4, "Type": "Topic", "Key": "Mannen_9", "Title": "Mannen",
                                      "Unit": "aantal"})
    with pytest.raises(cbs_mapping.FetchError, match=r"heeft 2 kolommen \(Mannen_2, Mannen_9\) met de titel"):
        cbs.fetch_cbs("37713", GM, None, raw_dir, client=FakeCbs("37713", content))


def test_a_key_the_table_lacks_is_refused_naming_the_mapping(raw_dir):
    content = fixture("47018NED")
    content["SoortMisdrijf"] = [e for e in content["SoortMisdrijf"] if e["Key"] != "2.5.2 "]
    with pytest.raises(cbs_mapping.FetchError) as caught:
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))
    assert str(caught.value) == ("Tabel 47018NED kent 2.5.2 niet in dimensie SoortMisdrijf; controleer "
                                 "src/analyse/cbs_mappings/47018NED.toml tegen de metadata van die dimensie; "
                                 "niets geschreven.")


def test_a_dimension_the_mapping_leaves_open_is_refused(raw_dir):
    content = fixture("84583NED")
    content["DataProperties"].append({"ID": 98, "Type": "Dimension", "Key": "Geslacht", "Title": "Geslacht"})
    with pytest.raises(cbs_mapping.FetchError, match="heeft dimensie Geslacht, die .* niet vastlegt"):
        cbs.fetch_cbs("84583NED", GM, None, raw_dir, client=FakeCbs("84583NED", content))


def test_a_cell_outside_the_request_is_refused(raw_dir):
    class Careless(FakeCbs):
        def rows(self, catalogue, table, name, query=None):
            if name == "TypedDataSet":
                return [dict(r) for r in self.content["TypedDataSet"]] + [
                    {**self.content["TypedDataSet"][0], "SoortMisdrijf": "1.2.2 "}]
            return super().rows(catalogue, table, name, query)

    with pytest.raises(cbs_mapping.FetchError, match="onverwachte waarde '1.2.2 ' in dimensie SoortMisdrijf"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=Careless("47018NED"))
    assert not (raw_dir / "cbs").exists()


def test_years_without_data(raw_dir):
    with pytest.raises(cbs_mapping.FetchError, match="geen perioden van soort JJ00 voor 2030-2031"):
        cbs.fetch_cbs("47018NED", GM, (2030, 2031), raw_dir, client=FakeCbs("47018NED"))
    with pytest.raises(cbs_mapping.FetchError, match="Tabel 84583NED is de editie 2019; die valt buiten 2020-2021"):
        cbs.fetch_cbs("84583NED", GM, (2020, 2021), raw_dir, client=FakeCbs("84583NED"))


# --------------------------------------------------------------------------- merging and the raw response

def test_merge_replaces_keeps_and_reports_a_changed_value(raw_dir):
    cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED"))
    path = raw_dir / "politie_47018ned.csv"
    rows = _read(path)
    kept = {**rows[0], "regio": "Schiedam", "waarde": "500"}
    rows.append(kept)
    content = fixture("47018NED")
    old = content["TypedDataSet"][1]["GeregistreerdeMisdrijven_1"]
    content["TypedDataSet"][1]["GeregistreerdeMisdrijven_1"] = old + 1   # a revision by CBS
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    result = cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED", content))
    assert (result.added, result.changed, result.unchanged, result.kept) == (0, 1, 15, 1)
    assert result.changes == (f"misdrijven_woninginbraak / Maassluis / totaal / 2022 / politie_47018: {old} -> {old + 1}",)
    assert kept in _read(path)


def test_raw_response_is_kept_next_to_an_earlier_one(raw_dir):
    first = cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED"))
    second = cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED"))
    assert first.raw_path != second.raw_path and first.raw_path.exists()
    saved = json.loads(second.raw_path.read_text(encoding="utf-8"))
    assert saved["table"] == "47018NED" and saved["catalogue"] == "dataderden"
    assert len(saved["records"]) == 16 and saved["requests"][0].startswith("fake://dataderden/47018NED/TypedDataSet")
    assert {e["Key"] for e in saved["metadata"]["WijkenEnBuurten"]} == {"GM0556    "}


def test_an_observation_file_without_the_needed_columns_is_left_alone(raw_dir):
    path = raw_dir / "politie_47018ned.csv"
    path.write_text("indicator,regio,waarde\nmisdrijven_totaal,Maassluis,1\n", encoding="utf-8")
    with pytest.raises(cbs_mapping.FetchError, match="heeft niet de kolommen van een waarnemingenbestand"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED"))
    assert path.read_text(encoding="utf-8") == "indicator,regio,waarde\nmisdrijven_totaal,Maassluis,1\n"


# --------------------------------------------------------------------------- mapping files

MINIMAL = '''
title = "Test"
region_dimension = "RegioS"
period_dimension = "Perioden"
period_label = "1 januari {jaar}"
seen = "test"
'''


def _own_mapping(tmp_path, monkeypatch, table, text):
    folder = tmp_path / "mappings"
    folder.mkdir(exist_ok=True)
    (folder / f"{table}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(cbs_mapping, "MAPPING_FOLDER", folder)


SERIES = 'indicator = "inwoners"\ngroep = "totaal"\neenheid = "aantal"\nreeks = "r"\n'


@pytest.mark.parametrize("body, message", [
    ('[[series]]\ncolumn = "Bevolking_1"\n' + SERIES, r"zegt niet waar de sleutel gezien is \(seen\)"),
    ('[[series]]\n' + SERIES + 'seen = "x"\n', r"geeft column \(de CBS-sleutel\) of column_title"),
    ('[[series]]\ncolumn = "A_1"\ncolumn_title = "A"\n' + SERIES + 'seen = "x"\n', r"precies één"),
    ('catalogue = "elders"\n[[series]]\ncolumn = "A_1"\n' + SERIES + 'seen = "x"\n', "catalogue 'elders' is onbekend"),
    ('year = 2020\n[[series]]\ncolumn = "A_1"\n' + SERIES + 'seen = "x"\n', "niet allebei"),
    ('[fixed]\nLeeftijd = 10000\n[[series]]\ncolumn = "A_1"\n' + SERIES + 'seen = "x"\n', "verkeerde soort"),
    ('[[series]]\ncolumn = "A_1"\nwhere = { RegioS = "GM0556" }\n' + SERIES + 'seen = "x"\n',
     "RegioS is de regio- of periodedimensie"),
    ('reeks = "r"\n[[series]]\ncolumn = "A_1"\nindicator = "inwoners"\ngroep = "totaal"\neenheid = "aantal"\nseen = "x"\n'
     '[[series]]\ncolumn = "A_2"\nindicator = "inwoners"\ngroep = "totaal"\neenheid = "aantal"\nseen = "x"\n',
     r"\[\[series\]\] 1 en 2 leveren allebei inwoners/totaal in reeks r"),
    ('[[series]]\ncolumn = "A_1"\n' + SERIES + 'seen = "x"\nrepublished = ["veld"]\n',
     "noemt velden van herpublicaties \\(republished\\) zonder note"),
    ('[[series]]\ncolumn = "A_1"\n' + SERIES + 'seen = "x"\nrepublished = ["veld"]\nnote = "n"\n'
     '[[series]]\ncolumn = "A_2"\nindicator = "inwoners"\ngroep = "man"\neenheid = "aantal"\nreeks = "r"\n'
     'seen = "x"\nrepublished = ["veld"]\nnote = "n"\n',
     "veld 'veld' staat bij \\[\\[series\\]\\] 1 en 2"),
])
def test_a_mapping_that_is_incomplete_or_ambiguous_is_refused_on_load(tmp_path, monkeypatch, body, message):
    _own_mapping(tmp_path, monkeypatch, "12345", MINIMAL + body)
    with pytest.raises(cbs_mapping.FetchError, match=message):
        cbs_mapping.load_mapping("12345")


def test_an_unconfirmed_series_needs_no_column(tmp_path, monkeypatch):
    _own_mapping(tmp_path, monkeypatch, "12345", MINIMAL + '[[series]]\n' + SERIES + 'unconfirmed = "onbekend"\n'
                 'republished = ["veld"]\nnote = "n"\n')
    (series,) = cbs_mapping.load_mapping("12345").series
    assert (series.column, series.unconfirmed, series.republished) == ("", "onbekend", ("veld",))


def test_table_without_mapping_and_a_table_id_that_is_a_path():
    with pytest.raises(cbs_mapping.FetchError, match=r"Geen mapping voor tabel 99999; voeg .*99999.toml toe \(er zijn "
                                                     r"mappings voor: 37713, 47018NED"):
        cbs_mapping.load_mapping("99999")
    with pytest.raises(cbs_mapping.FetchError, match="Ongeldig tabelnummer"):
        cbs_mapping.load_mapping("../37713")


def test_mapping_files_are_valid_toml_with_a_title():
    tables = [path for path in MAPPINGS.glob("*.toml") if not path.name.startswith("_")]
    assert sorted(path.stem for path in tables) == cbs_mapping.available()
    for path in tables:
        assert tomllib.loads(path.read_text(encoding="utf-8"))["title"]
    assert "_weggelaten" not in cbs_mapping.available()


# --------------------------------------------------------------------------- arguments

@pytest.mark.parametrize("text, expected", [("2019-2023", (2019, 2023)), (" 2019 - 2023 ", (2019, 2023)),
                                            ("2018", (2018, 2018))])
def test_parse_years(text, expected):
    assert cbs.parse_years(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "19-23", "2019-", "2019/2023"])
def test_parse_years_rejects_bad_input(text):
    with pytest.raises(cbs_mapping.FetchError, match="Ongeldige jaren .*gebruik de vorm 2019-2023"):
        cbs.parse_years(text)


def test_a_key_with_a_quote_stays_inside_its_odata_literal(raw_dir):
    content = fixture("47018NED")
    content["WijkenEnBuurten"][1]["Key"] = "GM0556' or 1 eq 1 or 'x"
    fake = FakeCbs("47018NED", content)
    with pytest.raises(cbs_mapping.FetchError):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=fake)
    assert not fake.data_queries()   # refused: the code is not GM0556 once stripped


def test_quotes_are_doubled_in_the_filter():
    assert cbs._quoted("a'b") == "a''b"


def test_a_fetch_with_more_cells_than_the_bound_is_refused(raw_dir, monkeypatch):
    monkeypatch.setattr(cbs, "MAX_TOTAL_ROWS", 10)
    with pytest.raises(cbs_mapping.FetchError, match="meer dan 10 cellen voor deze vraag"):
        cbs.fetch_cbs("47018NED", GM, None, raw_dir, client=FakeCbs("47018NED"))
    assert not (raw_dir / "politie_47018ned.csv").exists()
