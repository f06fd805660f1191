"""The data contract: every kind of bad input is named by file, row and column; raw data is never written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from analyse import data
from analyse.cli import main
from conftest import OBSERVATIONS, make_raw, only, problems_in

HEADER = OBSERVATIONS.splitlines()[0]


def problems_for(tmp_path: Path, lines: list[str]) -> list[data.Problem]:
    return problems_in(make_raw(tmp_path / "raw", "\n".join([HEADER, *lines]) + "\n"))


def test_valid_data_loads_typed_and_sorted(raw_dir):
    dataset = data.load_raw(raw_dir)
    obs = dataset.observations
    assert len(obs) == 4
    assert obs["waarde"].dtype == float and obs["jaar"].dtype == int
    row = obs[(obs["indicator"] == "inwoners") & (obs["jaar"] == 2018)].iloc[0]
    assert row["waarde"] == 32518 and row["thema"] == "demografie" and row["regio_code"] == "GM0556"
    assert row["bestand"] == "toets.csv" and row["rij"] == 3


@pytest.mark.parametrize("line, column, fragment", [
    ("onbekend,Maassluis,totaal,2018,1,aantal,toets,,,,,", "indicator", "onbekende indicator"),
    ("inwoners,Utrecht,totaal,2018,1,aantal,toets,,,,,", "regio", "onbekende regio"),
    ("inwoners,Maassluis,vrouwen,2018,1,aantal,toets,,,,,", "groep", "onbekende groep"),
    ("inwoners,Maassluis,totaal,2018,1,stuks,toets,,,,,", "eenheid", "onbekende eenheid"),
    ("inwoners,Maassluis,totaal,2018,1,procent,toets,,,,,", "eenheid", "heeft eenheid 'aantal'"),
    ("inwoners,Maassluis,totaal,2018,1,aantal,cbs,,,,,", "bron", "onbekende bron"),
    ("inwoners,Maassluis,totaal,2018,veel,aantal,toets,,,,,", "waarde", "verwacht een getal"),
    ('inwoners,Maassluis,totaal,2018,"3,6",aantal,toets,,,,,', "waarde", "punt als decimaalteken"),
    ("aandeel_herkomst,Maassluis,totaal,2018,140,procent,toets,,,,,", "waarde", "tussen 0 en 100"),
    ("inwoners,Maassluis,totaal,2018,-5,aantal,toets,,,,,", "waarde", "niet negatief"),
    ("aandeel_herkomst,Maassluis,totaal,2018,50,procent,toets,,60,40,,", "teller", "groter dan de noemer"),
    ("inwoners,Maassluis,totaal,2016/2017,5,aantal,toets,,,,,", "jaar", "jaartal"),
])
def test_each_bad_value_is_located(tmp_path, line, column, fragment):
    problem = only(problems_for(tmp_path, [line]))
    assert problem.file.endswith("toets.csv")
    assert problem.row == 2 and problem.column == column
    assert fragment in problem.expected
    message = str(problem)
    assert "toets.csv" in message and "rij 2" in message and f"kolom '{column}'" in message


def test_duplicate_key_with_two_values_names_both_rows(tmp_path):
    problem = only(problems_for(tmp_path, ["inwoners,Maassluis,totaal,2018,32518,aantal,toets,,,,,",
                                           "inwoners,Maassluis,totaal,2018,32581,aantal,toets,,,,,"]))
    assert problem.row == 3 and problem.column == "waarde" and problem.value == "32581"
    assert "rij 2" in problem.expected and "32518" in problem.expected


def test_empty_file_and_missing_column(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "leeg.csv").write_text("", encoding="utf-8")
    (raw / "kolom.csv").write_text("indicator,regio,groep,jaar,waarde,eenheid\ninwoners,Maassluis,totaal,2018,1,aantal\n",
                                   encoding="utf-8")
    with pytest.raises(data.DataError) as caught:
        data.load_raw(raw)
    messages = {p.file.split("/")[-1]: p for p in caught.value.problems}
    assert "leeg" in messages["leeg.csv"].expected
    assert messages["kolom.csv"].column == "bron" and messages["kolom.csv"].row == 1


def test_not_utf8_names_the_line(tmp_path):
    raw = make_raw(tmp_path / "raw")
    content = (HEADER + "\ninwoners,Maassluis,totaal,2018,1,aantal,toets,,,,,Brón\n").encode("cp1252")
    (raw / "toets.csv").write_bytes(content)
    problem = only(_problems(raw))
    assert problem.row == 2 and "UTF-8" in problem.expected


def _problems(raw: Path) -> list[data.Problem]:
    with pytest.raises(data.DataError) as caught:
        data.load_raw(raw)
    return caught.value.problems


def test_semicolon_file_with_decimal_commas_is_read_correctly(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").write_text(
        HEADER.replace(",", ";") + "\naandeel_herkomst;Maassluis;migratieachtergrond;2018;26,9;procent;toets;;;;;\n",
        encoding="utf-8")
    obs = data.load_raw(raw).observations
    assert obs["waarde"].tolist() == [26.9]


def test_semicolon_file_with_ambiguous_dot_is_refused(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").write_text(
        HEADER.replace(",", ";") + "\ninwoners;Maassluis;totaal;2018;32.518;aantal;toets;;;;;\n", encoding="utf-8")
    problem = only(_problems(raw))
    assert problem.row == 2 and problem.column == "waarde" and "dubbelzinnig" in problem.expected


def test_xlsx_observations_are_read(tmp_path):
    import pandas as pd

    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").unlink()
    rows = [line.split(",") for line in OBSERVATIONS.splitlines()]
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(raw / "toets.xlsx", index=False)
    obs = data.load_raw(raw).observations
    assert sorted(obs["waarde"]) == [23.3, 26.9, 31390, 32518]


def _digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())).hexdigest()


def test_validate_command_reports_location_and_never_writes_raw(tmp_path, monkeypatch, capsys):
    raw = make_raw(tmp_path / "data" / "raw",
                   OBSERVATIONS + "aandeel_herkomst,Maassluis,totaal,2017,140,procent,toets,,,,,\n")
    before = _digest(raw)
    monkeypatch.setenv("ANALYSE_ROOT", str(tmp_path))
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "toets.csv, rij 6, kolom 'waarde': waarde '140'" in err
    assert _digest(raw) == before


def test_validate_command_prints_counts(raw_dir, monkeypatch, capsys):
    monkeypatch.setenv("ANALYSE_ROOT", str(raw_dir.parents[1]))
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "4 waarnemingen" in out and "demografie" in out


def test_build_processed_writes_one_tidy_table(raw_dir, tmp_path):
    processed = tmp_path / "data" / "processed"
    data.build_processed(raw_dir, processed)
    loaded = data.load(tmp_path / "data")
    assert len(loaded.observations) == 4
    assert loaded.observations["waarde"].sum() == pytest.approx(31390 + 32518 + 23.3 + 26.9)


def test_load_rebuilds_the_processed_table_when_raw_data_is_newer(raw_dir, tmp_path):
    """A notebook opened in JupyterLab after a row was added reads that row, not an old processed table."""
    import os

    processed = tmp_path / "data" / "processed"
    data.build_processed(raw_dir, processed)
    assert len(data.load(tmp_path / "data").observations) == 4
    table = processed / data.PROCESSED_FILE
    built = table.stat().st_mtime
    with (raw_dir / "toets.csv").open("a", encoding="utf-8") as handle:
        handle.write("inwoners,Maassluis,totaal,2019,32676,aantal,toets,,,,,\n")
    os.utime(raw_dir / "toets.csv", (built + 10, built + 10))
    assert data.is_stale(table, raw_dir)
    loaded = data.load(tmp_path / "data")
    assert 32676 in set(loaded.observations["waarde"])
    assert "32676" in table.read_text(encoding="utf-8")  # written back, so the next notebook reads it too
