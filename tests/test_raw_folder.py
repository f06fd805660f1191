"""Every entry of data/raw is read, or named as not read with why, or refused: nothing disappears silently.
Pipes, sockets and devices are never opened (nothing hangs on them), not even in place of a catalogue; a
link out of data/raw and a file name that a spreadsheet reads as a formula are refused."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest

from analyse import checksum, data
from conftest import OBSERVATIONS, make_raw, only, problems_in


@pytest.fixture(autouse=True)
def _no_hang():
    """A test here that would hang on a pipe fails after 60 s instead."""
    def stop(signum, frame):
        raise TimeoutError("hangs: a pipe or device was opened")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def name(problem) -> str:
    return Path(problem.file).name


@pytest.mark.parametrize("entry, fragment", [
    ("toets.xlsm", "Excel-werkmap met macro's (.xlsm)"), ("toets.xls", "oude Excel-werkmap (.xls)"),
    ("toets.ods", "OpenDocument-rekenblad"), ("toets.tsv", "tabs als scheidingsteken"),
    ("toets.csv.txt", "eindigt op '.csv.txt'"), ("cijfers.txt", "kopregel van een tabel met waarnemingen"),
])
def test_a_table_in_a_format_that_is_not_read_is_refused(tmp_path, entry, fragment):
    """Before: skipped without a word ('Data in orde', its rows gone)."""
    raw = make_raw(tmp_path / "raw")
    (raw / entry).write_text(OBSERVATIONS, encoding="utf-8")
    problem = only(problems_in(raw))
    assert name(problem) == entry and fragment in problem.expected
    assert "de analyse slaat geen bestand over" in problem.expected or "Geef het de extensie .csv" in problem.expected


def test_a_folder_named_like_a_data_file_is_refused(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "x.csv").mkdir()
    problem = only(problems_in(raw))
    assert name(problem) == "x.csv" and "map met de naam van een gegevensbestand" in problem.expected


def test_a_folder_holding_tables_is_refused(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "2023").mkdir()
    (raw / "2023" / "begroting.csv").write_text(OBSERVATIONS, encoding="utf-8")
    problem = only(problems_in(raw))
    assert name(problem) == "2023" and "begroting.csv" in problem.expected and "direct in data/raw" in problem.expected


@pytest.mark.parametrize("entry", ["pipe.csv", "pipe.txt", "pipe"])
def test_a_pipe_is_refused_and_never_opened(tmp_path, entry):
    raw = make_raw(tmp_path / "raw")
    os.mkfifo(raw / entry)
    problem = only(problems_in(raw))
    assert name(problem) == entry and "geen gewoon bestand maar een pipe (FIFO)" in problem.expected
    assert entry not in checksum.raw_manifest(raw)  # the checksum of data/raw does not open it either


def test_a_socket_is_refused(tmp_path):
    raw = make_raw(tmp_path / "raw")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(raw / "s.csv"))
        problem = only(problems_in(raw))
    finally:
        server.close()
    assert name(problem) == "s.csv" and "een socket" in problem.expected


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_catalogue_that_is_no_file_is_refused_at_once(tmp_path, kind):
    """A pipe in place of regios.csv hung `analyse validate`."""
    raw = make_raw(tmp_path / "raw")
    (raw / "regios.csv").unlink()
    os.mkfifo(raw / "regios.csv") if kind == "fifo" else (raw / "regios.csv").mkdir()
    problem = only(problems_in(raw))
    assert name(problem) == "regios.csv"
    assert ("pipe (FIFO)" if kind == "fifo" else "een map") in problem.expected
    assert "regios.csv" not in checksum.raw_manifest(raw)


def test_read_table_never_opens_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "regios.csv")
    problems: list = []
    assert data.read_table(tmp_path / "regios.csv", ("regio",), problems) is None
    assert "pipe (FIFO)" in only(problems).expected


def test_a_link_to_a_file_outside_data_raw_is_refused(tmp_path):
    raw = make_raw(tmp_path / "raw")
    elsewhere = tmp_path / "elders.csv"
    elsewhere.write_text(OBSERVATIONS.replace("2009", "2010").replace("2018", "2019"), encoding="utf-8")
    (raw / "gedeeld.csv").symlink_to(elsewhere)
    problem = only(problems_in(raw))
    assert name(problem) == "gedeeld.csv" and f"'{elsewhere}', buiten data/raw" in problem.expected


def test_a_link_within_data_raw_is_read(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "cbs").mkdir()
    (raw / "toets.csv").rename(raw / "cbs" / "toets_2024.csv")
    (raw / "toets.csv").symlink_to(raw / "cbs" / "toets_2024.csv")
    dataset = data.load_raw(raw)
    assert len(dataset.observations) == 4 and dataset.warnings == []


def test_a_backup_with_observations_is_refused_and_other_backups_are_named(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv.bak").write_text(OBSERVATIONS, encoding="utf-8")
    problem = only(problems_in(raw))
    assert name(problem) == "toets.csv.bak" and "kopregel van een tabel met waarnemingen" in problem.expected
    (raw / "toets.csv.bak").write_text("oude notities\n", encoding="utf-8")
    assert [name(w) for w in data.load_raw(raw).warnings] == ["toets.csv.bak"]


@pytest.mark.parametrize("entry", ["=HYPERLINK(\"http:__x\",\"klik\").csv", "+31.csv", "@SUM(A1).csv", "-x.csv",
                                   "toets\x1b[31m.csv", "toets\u202e.csv"])
def test_a_data_file_whose_name_is_a_formula_or_hides_characters_is_refused(tmp_path, entry):
    """The name is stored with every row (`bestand` in data/processed): it never gets there."""
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").rename(raw / entry)
    problem = only(problems_in(raw))
    assert name(problem) == entry and "bestandsnaam" in problem.expected
    assert str(problem).isprintable()


def test_a_refused_folder_writes_nothing(tmp_path):
    """Nothing is written when validation fails: no processed table, no half of one."""
    raw = make_raw(tmp_path / "data" / "raw")
    os.mkfifo(raw / "pipe.csv")
    processed = tmp_path / "data" / "processed"
    with pytest.raises(data.DataError):
        data.build_processed(raw, processed)
    assert not processed.exists() or not any(processed.iterdir())


def test_what_tools_put_there_is_fine_and_the_rest_is_named(tmp_path):
    raw = make_raw(tmp_path / "raw")
    for silent in (".gitkeep", ".DS_Store", "Thumbs.db", "README.md", "LEESMIJ.txt", "._toets.csv"):
        (raw / silent).write_text("x", encoding="utf-8")
    (raw / "cbs").mkdir()
    (raw / "cbs" / "85458NED_2024-01-01.json").write_text("{}", encoding="utf-8")
    named = {"~$toets.xlsx": "open in Excel of LibreOffice", ".~lock.toets.csv#": "open in Excel of LibreOffice",
             ".oud.csv": "verborgen bestand", "begroting_2023.pdf": "wordt niet gelezen",
             "notities.txt": "wordt niet gelezen", "bijlagen": "een map in data/raw wordt niet gelezen"}
    for entry in named:
        (raw / entry).mkdir() if entry == "bijlagen" else (raw / entry).write_text("tekst", encoding="utf-8")
    dataset = data.load_raw(raw)
    assert len(dataset.observations) == 4
    assert {name(w): w.expected for w in dataset.warnings}.keys() == named.keys()
    for warning in dataset.warnings:
        assert named[name(warning)] in warning.expected


def test_validate_prints_what_is_not_read(tmp_path, monkeypatch, capsys):
    from analyse.cli import main

    raw = make_raw(tmp_path / "data" / "raw")
    (raw / "begroting_2023.pdf").write_bytes(b"%PDF-1.7")
    monkeypatch.setenv("ANALYSE_ROOT", str(tmp_path))
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "Waarschuwingen:" in out and "begroting_2023.pdf — wordt niet gelezen" in out
