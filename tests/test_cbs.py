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
from analyse.data import UNITS

FIXTURES = Path(__file__).parent / "fixtures" / "cbs"
MAPPINGS = Path(cbs.__file__).with_name("cbs_mappings")
REPO_RAW = Path(__file__).parents[1] / "data" / "raw"
COLUMNS = ["indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron", "reeks", "status", "periode",
           "teller", "noemer", "vindplaats", "opmerking"]
OLD_COLUMNS = [c for c in COLUMNS if c not in ("reeks", "status")]   # files written before data contract v2
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

    Like the CBS server it honours the period part of the filter (records whose ``Perioden`` key is not in
    the filter are left out); other dimensions are not filtered.
    """

    def __init__(self, records=None, metadata=None, error=None, fail_on="get_meta"):
        self.records = records if records is not None else _fixture("37713_records.json")
        self.metadata = metadata if metadata is not None else _fixture("37713_metadata.json")
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
        return [copy.deepcopy(r) for r in self.records if f"Perioden eq '{r['Perioden']}JJ00'" in filters]


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
    assert files
    for path in files:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        for series in spec["series"]:
            assert series["groep"] in groepen, (path.name, series)
            assert series["eenheid"] in UNITS, (path.name, series)
        assert cbs.load_mapping(path.stem).series


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
    assert saved["table"] == "37713"
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

def test_default_client_is_cbsodata_and_keys_are_recovered_from_titles(raw_dir, monkeypatch):
    """Runs the real ``cbsodata.get_data``/``get_meta`` against a fake HTTP layer (no network).

    The server side serves keys (``'GM0556  '``, ``'2018JJ00'``); cbsodata turns them into titles, and the
    observation rows must come out the same as with the fake client.
    """
    metadata = _fixture("37713_metadata.json")
    to_key = {dim: {e["Title"]: e["Key"] for e in entries} for dim, entries in metadata.items()
              if dim != "DataProperties"}
    served = [{dim: to_key[dim][value] if dim in to_key else value for dim, value in record.items()}
              for record in _fixture("37713_records.json")]
    tables = {**metadata, "TypedDataSet": served, "UntypedDataSet": [], "TableInfos": []}
    requested = []

    def send(session, prepared, **kwargs):
        url = requests.utils.urlparse(prepared.url)
        name = url.path.rstrip("/").rsplit("/", 1)[1]
        requested.append((name, requests.utils.unquote(url.query)))
        value = [{"name": n, "url": n} for n in tables] if name == "37713" else tables[name]
        response = requests.Response()
        response.status_code, response._content = 200, json.dumps({"value": value}).encode()
        return response

    monkeypatch.setattr(requests.Session, "send", send)
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
