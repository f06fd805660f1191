"""Offline tests of ``analyse fetch cbs`` with a fake cbsodata client (see tests/fixtures/cbs/README.md)."""

from __future__ import annotations

import copy
import csv
import json
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import cbsodata
import pytest
import requests

from analyse import cbs
from analyse.schema import UNITS

FIXTURES = Path(__file__).parent / "fixtures" / "cbs"
MAPPINGS = Path(cbs.__file__).with_name("cbs_mappings")
REPO_RAW = Path(__file__).parents[1] / "data" / "raw"
COLUMNS = ["indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron", "reeks", "status", "periode",
           "teller", "noemer", "vindplaats", "opmerking"]
OLD_COLUMNS = [c for c in COLUMNS if c not in ("reeks", "status")]   # files written before data contract v2
# herkomstland groups (data contract v2) that groepen.csv does not list yet; the lead adds them at the merge
REEKS_37713 = {"inwoners": "cbs_bevolking", "aantal_herkomst": "cbs_bevolking_migratieachtergrond"}
VINDPLAATS = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/37713/table"
BRONNEN = ("bron,naam,uitgever,datum,adres,licentie\n"
           f"cbs_statline_37713,CBS StatLine 37713,Centraal Bureau voor de Statistiek,,{VINDPLAATS},CC BY 4.0\n")
REGIOS = ("regio,code,niveau,label,opmerking\n"
          "Maassluis,GM0556,gemeente,Maassluis,\n"
          "Groot-Rijnmond,CR29,corop,Groot-Rijnmond (COROP),\n"
          "Politie-eenheid Rotterdam,,politie-eenheid,Politie-eenheid Rotterdam,\n")


class FakeCbs:
    """Stands in for the cbsodata module: serves the constructed fixture and records the calls.

    Like the CBS server it honours the filter: a record is returned only when, for every dimension named in
    the filter, the record's key (recovered from its title through the metadata) is one of the keys asked for.
    """

    def __init__(self, records=None, metadata=None, error=None, fail_on="get_meta", table="37713"):
        self.records = records if records is not None else _fixture(f"{table}_records.json")
        self.metadata = metadata if metadata is not None else _fixture(f"{table}_metadata.json")
        self.error, self.fail_on = error, fail_on
        self.calls = []

    def get_meta(self, table_id, name):
        self.calls.append(("get_meta", table_id, name))
        if self.error is not None and self.fail_on == "get_meta":
            raise self.error
        if name not in self.metadata:
            raise requests.HTTPError(f"Downloading table '{table_id}' failed. 404 Client Error: Not Found")
        return copy.deepcopy(self.metadata[name])

    def get_data(self, table_id, filters=None, select=None):
        self.calls.append(("get_data", table_id, filters, select))
        if self.error is not None and self.fail_on == "get_data":
            raise self.error
        return [copy.deepcopy(r) for r in self.records if self._asked_for(r, filters)]

    def _asked_for(self, record, filters):
        for dim, value in record.items():
            if dim == "DataProperties" or dim not in self.metadata or f"{dim} eq " not in filters:
                continue   # a topic, or a dimension the filter leaves open
            keys = [e["Key"] for e in self.metadata[dim] if e["Title"] == value] or [value]
            if not any(f"{dim} eq '{key}'" in filters for key in keys):
                return False
        return True


def _fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def raw_dir(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "regios.csv").write_text(REGIOS, encoding="utf-8")
    (raw / "bronnen.csv").write_text(BRONNEN, encoding="utf-8")
    return raw


def _read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _row(indicator, groep, jaar, waarde, opmerking="", *, status=""):
    return {"indicator": indicator, "regio": "Maassluis", "groep": groep, "jaar": str(jaar), "waarde": str(waarde),
            "eenheid": "aantal", "bron": "cbs_statline_37713", "reeks": REEKS_37713[indicator], "status": status,
            "periode": f"1 januari {jaar}", "teller": "", "noemer": "", "vindplaats": VINDPLAATS,
            "opmerking": opmerking}


# --------------------------------------------------------------------------- mapping

def test_mapping_produces_expected_rows(raw_dir):
    fake = FakeCbs()
    before = datetime.now(timezone.utc).date()
    result = cbs.fetch_cbs("37713", ["GM0556"], (2009, 2018), raw_dir, client=fake)

    rows = _read_csv(raw_dir / "cbs_37713.csv")
    day = rows[0]["opmerking"].rsplit("opgehaald op ", 1)[1][:10]
    assert day in {before.isoformat(), (before + timedelta(days=1)).isoformat()}
    totaal = f"CBS 37713: Bevolking, Totaal; opgehaald op {day} (UTC)."
    assert rows == [
        _row("aantal_herkomst", "nederlands", 2017, 23712,
             f"CBS 37713: Bevolking, Nederlandse achtergrond; opgehaald op {day} (UTC)."),
        _row("inwoners", "totaal", 2009, 31390, totaal),
        _row("inwoners", "totaal", 2017, 32450, totaal),
        _row("inwoners", "totaal", 2018, 32518, totaal),
    ]
    assert (result.rows, result.added, result.changed, result.unchanged, result.kept) == (4, 4, 0, 0, 0)
    assert result.bron_message is None
    assert "nieuw: 4, gewijzigd: 0, ongewijzigd: 0" in result.summary()


def test_query_uses_exact_padded_keys(raw_dir):
    fake = FakeCbs()
    cbs.fetch_cbs("37713", ["gm0556"], (2017, 2018), raw_dir, client=fake)

    (_, table_id, filters, select), = [c for c in fake.calls if c[0] == "get_data"]
    assert table_id == "37713"
    assert set(filters.split(" and ")) == {
        "(RegioS eq 'GM0556  ')",
        "(Perioden eq '2017JJ00' or Perioden eq '2018JJ00')",
        "(Geslacht eq 'T001038')",
        "(Leeftijd eq '10000  ')",
        "(Migratieachtergrond eq 'T001040' or Migratieachtergrond eq '1012600' or "
        "Migratieachtergrond eq '2012655' or Migratieachtergrond eq '2012657')",
    }
    assert sorted(select) == sorted(["RegioS", "Perioden", "Geslacht", "Leeftijd", "Migratieachtergrond",
                                     "Bevolking_1"])


def test_cells_without_value_are_skipped_not_filled(raw_dir):
    records = _fixture("37713_records.json")
    # CBS returns None for a secret or unknown cell: constructed here to exercise that path.
    records.append({**records[1], "Migratieachtergrond": "Westerse migratieachtergrond", "Bevolking_1": None})
    result = cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs(records=records))

    assert result.skipped == 1
    assert "westers" not in {row["groep"] for row in _read_csv(raw_dir / "cbs_37713.csv")}
    assert "1 cel(len) zonder waarde" in result.summary()


def test_every_mapping_uses_known_groups_and_units():
    with (REPO_RAW / "groepen.csv").open(encoding="utf-8") as handle:
        groepen = {row["groep"] for row in csv.DictReader(handle)}
    files = sorted(MAPPINGS.glob("*.toml"))
    assert {path.stem for path in files} >= {"37713", "85458NED"}
    for path in files:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        for series in spec["series"]:
            assert series["groep"] in groepen, (path.name, series)
            assert series["eenheid"] in UNITS, (path.name, series)
        assert all(series.reeks for series in cbs.load_mapping(path.stem).series)


def test_origin_classifications_never_share_a_reeks():
    """A reeks holds groups of one CBS classification: migratieachtergrond (37713) or herkomstland (85458NED,
    codes herkomst_*); only the total is the same statistic in both tables."""
    groups: dict[str, set[str]] = {}
    for path in sorted(MAPPINGS.glob("*.toml")):
        for series in cbs.load_mapping(path.stem).series:
            groups.setdefault(series.reeks, set()).add(series.groep)
    assert groups["cbs_bevolking"] == {"totaal"}
    for reeks, members in groups.items():
        origin = members - {"totaal"}
        assert all(g.startswith("herkomst_") for g in origin) or not any(g.startswith("herkomst_") for g in origin), \
            (reeks, members)
    assert groups["cbs_bevolking_herkomstland"] == {
        "herkomst_nederland", "herkomst_europa", "herkomst_buiten_europa", "herkomst_marokko", "herkomst_turkije",
        "herkomst_suriname", "herkomst_nederlandse_cariben", "herkomst_indonesie"}
    assert groups["cbs_bevolking_migratieachtergrond"] == {"nederlands", "westers", "niet_westers"}


# --------------------------------------------------------------------------- raw response

def test_raw_response_saved_with_metadata(raw_dir):
    fake = FakeCbs()
    start = datetime.now(timezone.utc).replace(microsecond=0)
    result = cbs.fetch_cbs("37713", ["GM0556"], (2009, 2018), raw_dir, client=fake)
    end = datetime.now(timezone.utc)

    saved = json.loads(result.raw_path.read_text(encoding="utf-8"))
    retrieved = datetime.fromisoformat(saved["retrieved_at"].replace("Z", "+00:00"))
    assert saved["retrieved_at"].endswith("Z") and start <= retrieved <= end
    assert result.raw_path == raw_dir / "cbs" / f"37713_{retrieved.date().isoformat()}.json"
    (_, _, filters, select), = [c for c in fake.calls if c[0] == "get_data"]
    assert saved["table"] == "37713" and saved["mapping"] == "src/analyse/cbs_mappings/37713.toml"
    assert saved["query"] == {"call": "cbsodata.get_data", "filters": filters, "select": select}
    assert saved["cbsodata_version"] == cbsodata.__version__
    assert saved["records"] == _fixture("37713_records.json")
    assert {e["Key"] for e in saved["metadata"]["RegioS"]} == {"GM0556  "}


def test_second_fetch_on_a_day_keeps_the_first_raw_response(raw_dir):
    first = cbs.fetch_cbs("37713", ["GM0556"], (2009, 2017), raw_dir, client=FakeCbs())
    kept = first.raw_path.read_bytes()
    second = cbs.fetch_cbs("37713", ["GM0556"], (2018, 2018), raw_dir, client=FakeCbs())

    assert second.raw_path != first.raw_path and first.raw_path.read_bytes() == kept
    assert second.raw_path.parent == first.raw_path.parent
    assert [r["Perioden"] for r in json.loads(second.raw_path.read_text(encoding="utf-8"))["records"]] == ["2018"]


# --------------------------------------------------------------------------- merging

def test_merge_replaces_keeps_and_reports(raw_dir):
    target = raw_dir / "cbs_37713.csv"
    old_2009 = _row("inwoners", "totaal", 2009, 31390, "CBS 37713: Bevolking, Totaal; opgehaald op 2019-03-01.")
    old_2018 = _row("inwoners", "totaal", 2018, 32518, "CBS 37713: Bevolking, Totaal; opgehaald op 2019-03-01.")
    # Placeholder, not a figure: it only has to differ from the value the fetch brings for 2017.
    old_2017 = _row("inwoners", "totaal", 2017, 1, "testwaarde")
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows([old_2018, old_2009, old_2017])
    (raw_dir / "beleidsvisie.csv").write_text("indicator,regio\ninwoners,Maassluis\n", encoding="utf-8")
    others = {k: v for k, v in _snapshot(raw_dir).items() if k != "cbs_37713.csv"}

    result = cbs.fetch_cbs("37713", ["GM0556"], (2017, 2018), raw_dir, client=FakeCbs())

    assert (result.rows, result.added, result.changed, result.unchanged, result.kept) == (3, 1, 1, 1, 1)
    assert result.changes == ("inwoners / Maassluis / totaal / 2017 / cbs_bevolking: 1 -> 32450",)
    rows = _read_csv(target)
    assert [(r["indicator"], r["groep"], r["jaar"], r["waarde"]) for r in rows] == [
        ("aantal_herkomst", "nederlands", "2017", "23712"),
        ("inwoners", "totaal", "2009", "31390"),
        ("inwoners", "totaal", "2017", "32450"),
        ("inwoners", "totaal", "2018", "32518"),
    ]
    assert rows[1] == old_2009
    after = _snapshot(raw_dir)
    assert {k: v for k, v in after.items() if k in others} == others
    assert set(after) - set(others) == {"cbs_37713.csv", result.raw_path.relative_to(raw_dir).as_posix()}
    assert "nieuw: 1, gewijzigd: 1, ongewijzigd: 1, behouden uit het bestaande bestand: 1" in result.summary()


def test_existing_file_with_other_columns_is_left_alone(raw_dir):
    target = raw_dir / "cbs_37713.csv"
    target.write_text("indicator,regio,waarde\ninwoners,Maassluis,32518\n", encoding="utf-8")
    with pytest.raises(cbs.FetchError, match="andere kolommen"):
        cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs())
    assert target.read_text(encoding="utf-8") == "indicator,regio,waarde\ninwoners,Maassluis,32518\n"


def test_missing_bron_gives_line_to_add_without_writing_bronnen(raw_dir):
    (raw_dir / "bronnen.csv").write_text("bron,naam,uitgever,datum,adres,licentie\n", encoding="utf-8")
    result = cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs())

    assert (raw_dir / "bronnen.csv").read_text(encoding="utf-8") == "bron,naam,uitgever,datum,adres,licentie\n"
    assert "cbs_statline_37713" in result.bron_message and "ontbreekt" in result.bron_message
    assert "\n" not in result.bron_message
    header, line = result.bron_message.split("voeg deze regel toe onder de kopregel ", 1)[1].split(": ", 1)
    assert header == "bron,naam,uitgever,datum,adres,licentie,producent,soort"
    fields = next(csv.reader([line]))
    assert len(fields) == 8
    assert fields[0] == "cbs_statline_37713"
    assert fields[1] == "CBS StatLine 37713: Bevolking; leeftijd, herkomstgroepering, geslacht en regio, 1 januari"
    assert fields[4:] == [VINDPLAATS, "CC BY 4.0", "CBS", "primair"]
    assert result.bron_message in result.summary()


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("error", [requests.exceptions.ConnectionError("Max retries exceeded\nwith url"),
                                   requests.exceptions.Timeout("read timed out")])
@pytest.mark.parametrize("fail_on", ["get_meta", "get_data"])
def test_unreachable_cbs_is_a_clear_fetch_error(raw_dir, error, fail_on):
    before = _snapshot(raw_dir)
    with pytest.raises(cbs.FetchError) as caught:
        cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs(error=error, fail_on=fail_on))
    message = str(caught.value)
    assert message.startswith("CBS open data is niet bereikbaar") and "\n" not in message
    assert _snapshot(raw_dir) == before


def test_http_error_is_a_fetch_error(raw_dir):
    error = requests.exceptions.HTTPError("Downloading table '37713' failed. 404 Client Error")
    with pytest.raises(cbs.FetchError, match="CBS gaf een fout voor tabel 37713"):
        cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs(error=error))


def test_table_without_mapping(raw_dir):
    fake = FakeCbs()
    with pytest.raises(cbs.FetchError) as caught:
        cbs.fetch_cbs("99999", ["GM0556"], None, raw_dir, client=fake)
    assert str(caught.value) == "Geen mapping voor tabel 99999; voeg src/analyse/cbs_mappings/99999.toml toe."
    assert fake.calls == []


def test_table_id_cannot_escape_the_mapping_folder(raw_dir):
    with pytest.raises(cbs.FetchError, match="Ongeldig tabelnummer"):
        cbs.fetch_cbs("../37713", ["GM0556"], None, raw_dir, client=FakeCbs())


def test_unknown_region_code(raw_dir):
    fake = FakeCbs()
    expected = r"Onbekende regiocode GM9999: niet gevonden in kolom code van .*regios\.csv"
    with pytest.raises(cbs.FetchError, match=expected):
        cbs.fetch_cbs("37713", ["GM0556", "GM9999"], None, raw_dir, client=fake)
    assert fake.calls == []


def test_region_code_absent_from_table(raw_dir):
    # CR29 is in regios.csv but not among the regions of the constructed 37713 metadata.
    with pytest.raises(cbs.FetchError, match="Regiocode CR29 komt niet voor in tabel 37713"):
        cbs.fetch_cbs("37713", ["CR29"], None, raw_dir, client=FakeCbs())


def test_mapping_column_absent_from_table(raw_dir):
    metadata = _fixture("37713_metadata.json")
    metadata["DataProperties"] = [p for p in metadata["DataProperties"] if p["Key"] != "Bevolking_1"]
    with pytest.raises(cbs.FetchError, match=r"kent Bevolking_1 niet; controleer .*37713\.toml"):
        cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs(metadata=metadata))
    assert not (raw_dir / "cbs_37713.csv").exists()


def test_mapping_key_absent_from_table(raw_dir):
    metadata = _fixture("37713_metadata.json")
    metadata["Migratieachtergrond"] = [e for e in metadata["Migratieachtergrond"] if e["Key"] != "2012657"]
    with pytest.raises(cbs.FetchError, match="kent 2012657 niet in dimensie Migratieachtergrond"):
        cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs(metadata=metadata))


def test_years_without_data(raw_dir):
    with pytest.raises(cbs.FetchError, match="geen perioden van soort JJ00 voor 2030-2031"):
        cbs.fetch_cbs("37713", ["GM0556"], (2030, 2031), raw_dir, client=FakeCbs())


# --------------------------------------------------------------------------- parse_jaren

@pytest.mark.parametrize("text, expected", [("2019-2023", (2019, 2023)), (" 2019 - 2023 ", (2019, 2023)),
                                            ("2018", (2018, 2018))])
def test_parse_jaren(text, expected):
    assert cbs.parse_jaren(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "19-23", "2019-", "2019-2023-2024", "2019/2023"])
def test_parse_jaren_rejects_bad_input(text):
    with pytest.raises(cbs.FetchError, match="Ongeldige jaren .*gebruik de vorm 2019-2023"):
        cbs.parse_jaren(text)


def test_parse_jaren_rejects_reversed_range():
    with pytest.raises(cbs.FetchError, match="beginjaar 2023 ligt na het eindjaar 2019"):
        cbs.parse_jaren("2023-2019")


# --------------------------------------------------------------------------- the real cbsodata client

def _serve_over_http(monkeypatch, table, records=None):
    """Serve the constructed fixture of ``table`` to the real cbsodata through a fake HTTP layer (no network).

    The server side serves keys (``'GM0556  '``, ``'2018JJ00'``); cbsodata turns them into titles. Returns the
    list of (metadata name, query) requested.
    """
    metadata = _fixture(f"{table}_metadata.json")
    to_key = {dim: {e["Title"]: e["Key"] for e in entries} for dim, entries in metadata.items()
              if dim != "DataProperties"}
    served = [{dim: to_key[dim][value] if dim in to_key else value for dim, value in record.items()}
              for record in (records if records is not None else _fixture(f"{table}_records.json"))]
    tables = {**metadata, "TypedDataSet": served, "UntypedDataSet": [], "TableInfos": []}
    requested = []

    def send(session, prepared, **kwargs):
        url = requests.utils.urlparse(prepared.url)
        name = url.path.rstrip("/").rsplit("/", 1)[1]
        requested.append((name, requests.utils.unquote(url.query)))
        value = [{"name": n, "url": n} for n in tables] if name == table else tables[name]
        response = requests.Response()
        response.status_code, response._content = 200, json.dumps({"value": value}).encode()
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    return requested


def test_default_client_is_cbsodata_and_keys_are_recovered_from_titles(raw_dir, monkeypatch):
    """The observation rows must come out the same as with the fake client."""
    requested = _serve_over_http(monkeypatch, "37713")
    cbs.fetch_cbs("37713", ["GM0556"], (2009, 2018), raw_dir)

    data_query = next(query for name, query in requested if name == "TypedDataSet")
    assert "$filter=(RegioS eq 'GM0556  ')" in data_query.replace("+", " ")
    rows = _read_csv(raw_dir / "cbs_37713.csv")
    assert [(r["indicator"], r["regio"], r["groep"], r["jaar"], r["waarde"]) for r in rows] == [
        ("aantal_herkomst", "Maassluis", "nederlands", "2017", "23712"),
        ("inwoners", "Maassluis", "totaal", "2009", "31390"),
        ("inwoners", "Maassluis", "totaal", "2017", "32450"),
        ("inwoners", "Maassluis", "totaal", "2018", "32518"),
    ]


def test_default_client_recovers_a_provisional_period_of_85458(raw_dir, monkeypatch):
    """cbsodata gives the provisional period as its title '2024*'; the row is 2024 with status voorlopig."""
    records = [r for r in _fixture("85458NED_records.json") if r["Geboorteland"] == "Totaal"]
    _serve_over_http(monkeypatch, "85458NED", records)
    cbs.fetch_cbs("85458NED", ["GM0556"], (2022, 2024), raw_dir)

    rows = _read_csv(raw_dir / "cbs_85458NED.csv")
    assert len(rows) == 27
    totals = {r["jaar"]: (r["waarde"], r["status"]) for r in rows if r["indicator"] == "inwoners"}
    assert totals == {"2022": ("1000", ""), "2023": ("1010", ""), "2024": ("1020", "voorlopig")}


def test_cell_outside_the_request_is_refused_and_nothing_written(raw_dir, monkeypatch):
    """This fake server ignores the filter and also serves cells by place of birth: they cannot be mapped
    back to a requested key, so the fetch refuses before writing the raw response or the csv."""
    _serve_over_http(monkeypatch, "85458NED")
    before = _snapshot(raw_dir)
    with pytest.raises(cbs.FetchError, match="onverwachte waarde 'Nederland' in dimensie Geboorteland"):
        cbs.fetch_cbs("85458NED", ["GM0556"], (2022, 2024), raw_dir)
    assert _snapshot(raw_dir) == before and not (raw_dir / "cbs").exists()


# --------------------------------------------------------------------------- 85458NED (herkomstland, from 2022)

VINDPLAATS_85458 = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85458NED/table"
HERKOMST = ["herkomst_nederland", "herkomst_europa", "herkomst_buiten_europa", "herkomst_marokko",
            "herkomst_turkije", "herkomst_suriname", "herkomst_nederlandse_cariben", "herkomst_indonesie"]


def _fake_85458(**kwargs):
    return FakeCbs(table="85458NED", **kwargs)


def test_85458_mapping_produces_rows_with_reeks_and_provisional_status(raw_dir):
    fake = _fake_85458()
    result = cbs.fetch_cbs("85458NED", ["GM0556"], (2022, 2024), raw_dir, client=fake)

    rows = _read_csv(raw_dir / "cbs_85458NED.csv")
    assert (result.rows, result.added, result.skipped) == (27, 27, 0)
    by_key = {(r["indicator"], r["groep"], r["jaar"]): r for r in rows}
    assert len(by_key) == 27
    assert {g for (i, g, _) in by_key if i == "aantal_herkomst"} == set(HERKOMST)
    # constructed placeholder values from tests/fixtures/cbs/85458NED_records.json, not CBS figures
    assert [by_key[("inwoners", "totaal", str(j))]["waarde"] for j in (2022, 2023, 2024)] == ["1000", "1010", "1020"]
    assert by_key[("aantal_herkomst", "herkomst_europa", "2023")]["waarde"] == "102"
    assert by_key[("aantal_herkomst", "herkomst_indonesie", "2022")]["waarde"] == "10"
    for (indicator, groep, jaar), row in by_key.items():
        assert row["reeks"] == ("cbs_bevolking" if indicator == "inwoners" else "cbs_bevolking_herkomstland")
        assert row["status"] == ("voorlopig" if jaar == "2024" else "")
        assert (row["bron"], row["regio"], row["eenheid"]) == ("cbs_statline_85458NED", "Maassluis", "aantal")
        assert row["periode"] == f"1 januari {jaar}" and row["vindplaats"] == VINDPLAATS_85458
        assert ("voorlopig cijfer (CBS-periode 2024*)" in row["opmerking"]) == (jaar == "2024")
    assert by_key[("aantal_herkomst", "herkomst_europa", "2022")]["opmerking"].startswith(
        "CBS 85458NED: Bevolking, Europa (exclusief Nederland); opgehaald op ")

    (_, _, filters, select), = [c for c in fake.calls if c[0] == "get_data"]
    assert "(Geboorteland eq 'T001638')" in filters.split(" and ")
    assert "(Perioden eq '2022JJ00' or Perioden eq '2023JJ00' or Perioden eq '2024JJ00')" in filters
    assert sorted(select) == sorted(["RegioS", "Perioden", "Geslacht", "Leeftijd", "Geboorteland", "Herkomstland",
                                     "Bevolking_1"])
    assert "Bron cbs_statline_85458NED ontbreekt" in result.summary()


def test_provisional_figure_made_final_is_reported_as_a_change(raw_dir):
    cbs.fetch_cbs("85458NED", ["GM0556"], (2024, 2024), raw_dir, client=_fake_85458())
    metadata = _fixture("85458NED_metadata.json")
    metadata["Perioden"] = [{**e, "Title": e["Title"].rstrip("*")} for e in metadata["Perioden"]]
    records = [{**r, "Perioden": r["Perioden"].rstrip("*")} for r in _fixture("85458NED_records.json")]
    result = cbs.fetch_cbs("85458NED", ["GM0556"], (2024, 2024), raw_dir,
                           client=_fake_85458(metadata=metadata, records=records))

    assert (result.rows, result.added, result.changed, result.unchanged) == (9, 0, 9, 0)
    assert "inwoners / Maassluis / totaal / 2024 / cbs_bevolking: 1020 (voorlopig) -> 1020" in result.changes
    assert {row["status"] for row in _read_csv(raw_dir / "cbs_85458NED.csv")} == {""}


def test_85458_missing_key_is_refused_naming_table_dimension_key_and_mapping(raw_dir):
    metadata = _fixture("85458NED_metadata.json")
    metadata["Herkomstland"] = [e for e in metadata["Herkomstland"] if e["Key"] != "H008632"]
    fake = _fake_85458(metadata=metadata)
    before = _snapshot(raw_dir)
    with pytest.raises(cbs.FetchError) as caught:
        cbs.fetch_cbs("85458NED", ["GM0556"], None, raw_dir, client=fake)
    assert str(caught.value) == (
        "Tabel 85458NED kent H008632 niet in dimensie Herkomstland; controleer "
        "src/analyse/cbs_mappings/85458NED.toml tegen cbsodata.get_meta('85458NED', 'Herkomstland'); "
        "niets geschreven.")
    assert _snapshot(raw_dir) == before
    assert not [c for c in fake.calls if c[0] == "get_data"]


def _own_mapping(tmp_path, monkeypatch, tabel, text):
    folder = tmp_path / "mappings"
    folder.mkdir(exist_ok=True)
    (folder / f"{tabel}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(cbs, "MAPPING_FOLDER", folder)
    return folder / f"{tabel}.toml"


def test_table_dimension_left_open_by_the_mapping_is_refused(raw_dir, tmp_path, monkeypatch):
    """Without Geboorteland fixed, every place of birth would give a cell for the same observation."""
    text = (MAPPINGS / "85458NED.toml").read_text(encoding="utf-8").replace('Geboorteland = "T001638"\n', "")
    path = _own_mapping(tmp_path, monkeypatch, "85458NED", text)
    fake = _fake_85458()
    before = _snapshot(raw_dir)
    with pytest.raises(cbs.FetchError) as caught:
        cbs.fetch_cbs("85458NED", ["GM0556"], None, raw_dir, client=fake)
    assert str(caught.value) == (
        f"Tabel 85458NED heeft dimensie Geboorteland, die {path} niet vastlegt; zet die in [fixed] (meestal het "
        f"totaal), anders vallen CBS-cellen samen.")
    assert _snapshot(raw_dir) == before
    assert not [c for c in fake.calls if c[0] == "get_data"]


MINIMAL = '''
title = "Test"
region_dimension = "RegioS"
period_dimension = "Perioden"
period_kind = "JJ00"
period_label = "1 januari {jaar}"
'''


@pytest.mark.parametrize("body, message", [
    ('[fixed]\nGeslacht = "T001038"\n'
     '[[series]]\ncolumn = "Bevolking_1"\nwhere = { Herkomstland = "T001040" }\nindicator = "inwoners"\n'
     'groep = "totaal"\neenheid = "aantal"\nreeks = "r"\n'
     '[[series]]\ncolumn = "Bevolking_1"\nindicator = "aantal_herkomst"\ngroep = "herkomst_europa"\n'
     'eenheid = "aantal"\nreeks = "r"\n',
     r"\[\[series\]\] 2 \(aantal_herkomst/herkomst_europa\) legt dimensie Herkomstland niet vast \(andere series "
     r"wel\); zet die in where of in \[fixed\], anders vallen CBS-cellen samen\."),
    ('[[series]]\ncolumn = "Bevolking_1"\nindicator = "inwoners"\ngroep = "totaal"\neenheid = "aantal"\n',
     r"\[\[series\]\] 1 \(inwoners/totaal\) heeft geen geldige reeks"),
    ('[fixed]\nGeslacht = "T001038"\n'
     '[[series]]\ncolumn = "Bevolking_1"\nwhere = { Geslacht = "3000" }\nindicator = "inwoners"\n'
     'groep = "totaal"\neenheid = "aantal"\nreeks = "r"\n',
     r"zet Geslacht in where, terwijl \[fixed\] die dimensie al vastlegt"),
    ('[[series]]\ncolumn = "Bevolking_1"\nwhere = { RegioS = "GM0556" }\nindicator = "inwoners"\n'
     'groep = "totaal"\neenheid = "aantal"\nreeks = "r"\n',
     r"RegioS is de regio- of periodedimensie"),
    ('reeks = "r"\n'
     '[[series]]\ncolumn = "Bevolking_1"\nindicator = "inwoners"\ngroep = "totaal"\neenheid = "aantal"\n'
     '[[series]]\ncolumn = "Bevolking_2"\nindicator = "inwoners"\ngroep = "totaal"\neenheid = "aantal"\n',
     r"\[\[series\]\] 1 en 2 leveren allebei inwoners/totaal in reeks r"),
    ('[fixed]\nLeeftijd = 10000\n'
     '[[series]]\ncolumn = "Bevolking_1"\nindicator = "inwoners"\ngroep = "totaal"\neenheid = "aantal"\n'
     'reeks = "r"\n',
     r"sleutel 10000 van dimensie Leeftijd moet tekst zijn"),
    ('[dimensions]\nHerkomst = ["Migratieachtergrond", "Herkomstgroepering"]\n'
     '[[series]]\ncolumn = "Bevolking_1"\nwhere = { Migratieachtergrond = "T001040" }\nindicator = "inwoners"\n'
     'groep = "totaal"\neenheid = "aantal"\nreeks = "r"\n',
     r"\[dimensions\] noemt Herkomst, maar"),
])
def test_mapping_that_could_let_cells_collide_is_refused_on_load(raw_dir, tmp_path, monkeypatch, body, message):
    _own_mapping(tmp_path, monkeypatch, "12345", MINIMAL + body)
    fake = FakeCbs()
    with pytest.raises(cbs.FetchError, match=message):
        cbs.fetch_cbs("12345", ["GM0556"], None, raw_dir, client=fake)
    assert fake.calls == []


def test_table_level_reeks_is_the_default(tmp_path, monkeypatch):
    _own_mapping(tmp_path, monkeypatch, "12345", MINIMAL + (
        'reeks = "standaard"\n'
        '[[series]]\ncolumn = "Bevolking_1"\nwhere = { H = "1" }\nindicator = "inwoners"\ngroep = "totaal"\n'
        'eenheid = "aantal"\nreeks = "eigen"\n'
        '[[series]]\ncolumn = "Bevolking_1"\nwhere = { H = "2" }\nindicator = "aantal_herkomst"\n'
        'groep = "herkomst_europa"\neenheid = "aantal"\n'))
    assert [s.reeks for s in cbs.load_mapping("12345").series] == ["eigen", "standaard"]


# --------------------------------------------------------------------------- dimension alternatives (37713)

def _as_herkomstgroepering(metadata, records):
    """The 37713 fixture as CBS's older metadata named it: dimension Herkomstgroepering."""
    metadata = copy.deepcopy(metadata)
    for prop in metadata["DataProperties"]:
        if prop["Key"] == "Migratieachtergrond":
            prop["Key"] = prop["Title"] = "Herkomstgroepering"
    metadata["Herkomstgroepering"] = metadata.pop("Migratieachtergrond")
    records = [{("Herkomstgroepering" if k == "Migratieachtergrond" else k): v for k, v in r.items()}
               for r in records]
    return metadata, records


def test_37713_with_older_dimension_name_herkomstgroepering(raw_dir):
    metadata, records = _as_herkomstgroepering(_fixture("37713_metadata.json"), _fixture("37713_records.json"))
    fake = FakeCbs(metadata=metadata, records=records)
    cbs.fetch_cbs("37713", ["GM0556"], (2009, 2018), raw_dir, client=fake)

    (_, _, filters, select), = [c for c in fake.calls if c[0] == "get_data"]
    assert ("(Herkomstgroepering eq 'T001040' or Herkomstgroepering eq '1012600' or "
            "Herkomstgroepering eq '2012655' or Herkomstgroepering eq '2012657')") in filters
    assert "Migratieachtergrond" not in filters and "Herkomstgroepering" in select
    rows = _read_csv(raw_dir / "cbs_37713.csv")
    assert [(r["indicator"], r["groep"], r["jaar"], r["waarde"], r["reeks"]) for r in rows] == [
        ("aantal_herkomst", "nederlands", "2017", "23712", "cbs_bevolking_migratieachtergrond"),
        ("inwoners", "totaal", "2009", "31390", "cbs_bevolking"),
        ("inwoners", "totaal", "2017", "32450", "cbs_bevolking"),
        ("inwoners", "totaal", "2018", "32518", "cbs_bevolking"),
    ]


def test_37713_without_either_dimension_name_is_refused(raw_dir):
    metadata = _fixture("37713_metadata.json")
    metadata["DataProperties"] = [p for p in metadata["DataProperties"] if p["Key"] != "Migratieachtergrond"]
    before = _snapshot(raw_dir)
    with pytest.raises(cbs.FetchError) as caught:
        cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs(metadata=metadata))
    assert str(caught.value) == (
        "Tabel 37713 kent geen dimensie Migratieachtergrond of Herkomstgroepering; controleer "
        "src/analyse/cbs_mappings/37713.toml tegen cbsodata.get_meta('37713', 'DataProperties').")
    assert _snapshot(raw_dir) == before


def test_37713_with_both_dimension_names_is_refused(raw_dir):
    metadata = _fixture("37713_metadata.json")
    metadata["DataProperties"].append({"Type": "Dimension", "Key": "Herkomstgroepering", "Title": "Herkomst"})
    with pytest.raises(cbs.FetchError, match="kent zowel dimensie Migratieachtergrond als Herkomstgroepering"):
        cbs.fetch_cbs("37713", ["GM0556"], None, raw_dir, client=FakeCbs(metadata=metadata))


# --------------------------------------------------------------------------- old observation file

def test_old_format_file_is_merged_by_adding_reeks_and_status(raw_dir):
    target = raw_dir / "cbs_37713.csv"
    old = [_row("inwoners", "totaal", 2009, 31390, "opgehaald op 2019-03-01."),
           _row("inwoners", "totaal", 2017, 32450, "opgehaald op 2019-03-01."),
           # a group this mapping does not produce keeps an empty reeks (the bron is its reeks)
           {**_row("aantal_herkomst", "nederlands", 2016, 1, "testwaarde"), "groep": "migratieachtergrond"}]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=OLD_COLUMNS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(old)

    result = cbs.fetch_cbs("37713", ["GM0556"], (2017, 2018), raw_dir, client=FakeCbs())

    assert (result.rows, result.added, result.changed, result.unchanged, result.kept) == (3, 2, 0, 1, 2)
    assert result.upgraded == 3
    assert ("Bestaand bestand had nog geen kolommen reeks en status: toegevoegd aan 3 rij(en), reeks volgens "
            "src/analyse/cbs_mappings/37713.toml.") in result.summary()
    rows = _read_csv(target)   # checks the new column set
    assert [(r["indicator"], r["groep"], r["jaar"], r["reeks"], r["status"]) for r in rows] == [
        ("aantal_herkomst", "migratieachtergrond", "2016", "", ""),
        ("aantal_herkomst", "nederlands", "2017", "cbs_bevolking_migratieachtergrond", ""),
        ("inwoners", "totaal", "2009", "cbs_bevolking", ""),
        ("inwoners", "totaal", "2017", "cbs_bevolking", ""),
        ("inwoners", "totaal", "2018", "cbs_bevolking", ""),
    ]
    assert rows[2]["opmerking"] == "opgehaald op 2019-03-01."


# --------------------------------------------------------------------------- region codes

def test_wijk_code_listed_in_regios_is_fetched(raw_dir):
    with (raw_dir / "regios.csv").open("a", encoding="utf-8") as handle:
        handle.write("Sluispolder,WK055601,wijk,Sluispolder (Maassluis),\n")
    metadata = _fixture("85458NED_metadata.json")
    metadata["RegioS"].append({"Key": "WK055601", "Title": "Wijk 01"})
    records = [{**r, "RegioS": "Wijk 01"} for r in _fixture("85458NED_records.json") if r["Perioden"] == "2022"]
    fake = _fake_85458(metadata=metadata, records=records)
    result = cbs.fetch_cbs("85458NED", ["wk055601"], (2022, 2022), raw_dir, client=fake)

    assert result.rows == 9
    assert {r["regio"] for r in _read_csv(raw_dir / "cbs_85458NED.csv")} == {"Sluispolder"}
    (_, _, filters, _), = [c for c in fake.calls if c[0] == "get_data"]
    assert "(RegioS eq 'WK055601')" in filters


@pytest.mark.parametrize("code", ["WK5561", "GM556", "BU055601", "Maassluis", "0556"])
def test_region_code_of_the_wrong_form(raw_dir, code):
    fake = FakeCbs()
    with pytest.raises(cbs.FetchError) as caught:
        cbs.fetch_cbs("37713", [code], None, raw_dir, client=fake)
    message = str(caught.value)
    assert message.startswith(f"Ongeldige regiocode {code.upper()}: gebruik de CBS-code, GM + 4 cijfers")
    assert "WK055601" in message and "\n" not in message
    assert fake.calls == []


def test_wijk_code_missing_from_regios_points_to_regios(raw_dir):
    with pytest.raises(cbs.FetchError, match=r"Onbekende regiocode WK055601: .*regios\.csv; voeg de regio daar toe"):
        cbs.fetch_cbs("85458NED", ["WK055601"], None, raw_dir, client=_fake_85458())
