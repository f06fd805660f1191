"""Bad input, end to end through the command line, on a copy of the shipped data and notebooks.

Every case must give a specific message (file, row, column, value, what is wrong), a non-zero exit, leave
``data/raw`` as it was and leave the reports of the last good run byte for byte as they were. The data cases
fail before any notebook starts: they share one project copy with the reports of an earlier run (fast tier).
The failing notebook runs one theme in a copy of the session's real run (``e2e``).
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analyse import checksum
from analyse.cli import main
from conftest import REPORTS, ROOT, copy_project, copy_shipped_run

GOOD_THEME = "basisvaardigheden"
HEADER = "indicator,regio,groep,jaar,waarde,eenheid,bron,periode,teller,noemer,vindplaats,opmerking"
# A valid row (a 2019 test figure no shipped file has), so that the bad row below it is spreadsheet row 3.
VALID = "aandeel_herkomst,Maassluis,migratieachtergrond,2019,27,procent,beleidsvisie_2019,,,,,testrij"
NEW_FILE = "nieuw_2019.csv"


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(monkeypatch, capsys, root: Path, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("ANALYSE_ROOT", str(root))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> dict:
    """A project copy with the reports of an earlier complete run, with pristine copies to restore from.

    The data cases are refused before any notebook starts, so the reports' content does not matter, only
    that not one byte of them changes.
    """
    root = tmp_path_factory.mktemp("slechte_invoer")
    copy_project(root)
    copy_project(root / "ongerept")
    for name in (f"tables/{GOOD_THEME}/kerncijfers.json", f"figures/{GOOD_THEME}/overzicht.png",
                 f"notebooks/{GOOD_THEME}.html", "trends.csv", "index.html", "tabellen.xlsx", "beleidsnota.docx"):
        (root / REPORTS / name).parent.mkdir(parents=True, exist_ok=True)
        (root / REPORTS / name).write_text(f"vorige run: {name}\n", encoding="utf-8")
    return {"root": root, "reports": tree_hashes(root / "reports")}


@pytest.fixture
def root(good_run):
    """The project copy; after each test ``data/raw`` and ``notebooks`` are restored."""
    root = good_run["root"]
    yield root
    for name in ("data/raw", "notebooks"):
        shutil.rmtree(root / name)
        shutil.copytree(root / "ongerept" / name, root / name)


def assert_nothing_lost(good_run, raw_before: dict[str, str]) -> None:
    root = good_run["root"]
    assert tree_hashes(root / "data" / "raw") == raw_before, "data/raw was changed"
    assert tree_hashes(root / "reports") == good_run["reports"], "reports of the last good run were changed"


def shipped_row(file: str, **key: str) -> tuple[int, dict]:
    """Spreadsheet row number (header = 1) and content of the one shipped row matching ``key``."""
    with (ROOT / "data" / "raw" / file).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = [(i + 2, r) for i, r in enumerate(rows) if all(r[k] == v for k, v in key.items())]
    assert len(found) == 1, found
    return found[0]


def maassluis_years() -> list[int]:
    """Years with any observation for Maassluis, read straight from the shipped CSV files."""
    years = set()
    for path in checksum.observation_files(ROOT / "data" / "raw"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        years |= {int(y) for y in frame.loc[frame["regio"] == "Maassluis", "jaar"]}
    return sorted(years)


_YEAR_2018_ROW, _YEAR_2018 = shipped_row("beleidsvisie_2019.csv", indicator="inwoners", regio="Maassluis",
                                          groep="totaal", jaar="2018")

# name: (bytes of data/raw/nieuw_2019.csv, fragments the message must contain)
DATA_CASES = {
    "niet_numeriek": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,onbekend,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde 'onbekend'", "verwacht een getal"]),
    "decimale_komma_in_kommabestand": (
        f'{HEADER}\n{VALID}\naandeel_herkomst,Maassluis,nederlands,2019,"73,1",procent,beleidsvisie_2019,,,,,\n',
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '73,1'", "verwacht een getal",
         "punt als decimaalteken"]),
    "punt_in_puntkommabestand": (
        f"{HEADER.replace(',', ';')}\n{VALID.replace(',', ';')}\n"
        "inwoners;Maassluis;totaal;2019;32.518;aantal;beleidsvisie_2019;;;;;\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '32.518'", "dubbelzinnig"]),
    "onbekende_indicator": (
        f"{HEADER}\n{VALID}\ninwonerz,Maassluis,totaal,2019,32000,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'indicator': waarde 'inwonerz'", "onbekende indicator", "indicatoren.csv"]),
    "onbekende_groep": (
        f"{HEADER}\n{VALID}\naandeel_herkomst,Maassluis,allochtoon,2019,27,procent,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'groep': waarde 'allochtoon'", "onbekende groep", "groepen.csv"]),
    "onbekende_eenheid": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,32000,stuks,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'eenheid': waarde 'stuks'", "onbekende eenheid", "aantal, procent"]),
    "aandeel_140_procent": (
        f"{HEADER}\n{VALID}\naandeel_herkomst,Maassluis,nederlands,2019,140,procent,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '140'", "percentage ligt tussen 0 en 100"]),
    "negatief_aantal": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,-5,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '-5'", "'aantal' kan niet negatief zijn"]),
    "dubbele_sleutel_twee_waarden": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2018,32600,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '32600'",
         f"beleidsvisie_2019.csv rij {_YEAR_2018_ROW} met een andere waarde ({_YEAR_2018['waarde']})"]),
    "leeg_bestand": ("", [f"{NEW_FILE} — het bestand is leeg"]),
    "ontbrekende_kolom": (
        f"{HEADER.replace(',eenheid', '')}\n"
        "aandeel_herkomst,Maassluis,migratieachtergrond,2019,27,beleidsvisie_2019,,,,,testrij\n",
        [f"{NEW_FILE}, rij 1, kolom 'eenheid'", "ontbrekende kolom"]),
    "geen_utf8": (
        (f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,32000,aantal,beleidsvisie_2019,,,,,"
         "peildatum 1 januari, geschat door het café\n").encode("cp1252"),
        [f"{NEW_FILE}, rij 3", "geen UTF-8", "CSV UTF-8"]),
    "onafgesloten_aanhalingsteken": (
        f'{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,32000,aantal,beleidsvisie_2019,,,,"H2 begin,\n'
        f"{VALID.replace('2019', '2020')}\n",
        [f"{NEW_FILE}, rij 3, kolom 'vindplaats'", "aanhalingsteken", "nergens gesloten"]),
    "oneindig_getal": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,1e309,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '1e309'", "eindig"]),
    "duizendtalpunt_in_aantal": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,32.518,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '32.518'", "geheel getal", "32518"]),
    "jaartal_met_superscript": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019²,32000,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'jaar': waarde '2019²'", "jaartal"]),
    "leesrichting_omgedraaid": (
        f"{HEADER}\n{VALID}\ninwoners,Maas\u202esluis,totaal,2019,32000,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'regio': waarde 'Maas\\u202esluis'", "leesrichting"]),
    "extreem_getal": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,1e300,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '1e300'", "tussen 0 en 10.000.000.000"]),
    "spatie_zonder_breedte": (
        f"{HEADER}\n{VALID}\ninwoners,Maas\u200bsluis,totaal,2019,32000,aantal,beleidsvisie_2019,,,,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'regio': waarde 'Maas\\u200bsluis'", "U+200B"]),
    "aandeel_past_niet_bij_teller_en_noemer": (
        f"{HEADER}\n{VALID}\naandeel_herkomst,Maassluis,nederlands,2019,50,procent,beleidsvisie_2019,,1,100,,\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde '50'", "teller / noemer (1 / 100) geeft 1,00 procent"]),
    "scheidingsteken_regel_van_excel": (
        f"sep=;\n{HEADER.replace(',', ';')}\n{VALID.replace(',', ';')}\n"
        "inwoners;Maassluis;totaal;2019;veel;aantal;beleidsvisie_2019;;;;;\n",
        [f"{NEW_FILE}, rij 3, kolom 'waarde': waarde 'veel'", "verwacht een getal"]),
    "veld_van_200000_tekens": (
        f"{HEADER}\n{VALID}\ninwoners,Maassluis,totaal,2019,32000,aantal,beleidsvisie_2019,,,,{'x' * 200_000},\n",
        [f"{NEW_FILE}, rij 3, kolom 'vindplaats'", "200.000 tekens"]),
}


@pytest.mark.parametrize("case", DATA_CASES)
def test_bad_data_is_refused_by_validate_and_run(case, root, good_run, monkeypatch, capsys):
    content, fragments = DATA_CASES[case]
    target = root / "data" / "raw" / NEW_FILE
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    raw_before = tree_hashes(root / "data" / "raw")

    for command in (["validate"], ["run", "--thema", GOOD_THEME, "--jobs", "1"]):
        code, message = cli(monkeypatch, capsys, root, *command)
        assert code != 0, command
        assert "Fout: 1 probleem/problemen in de data:" in message, message
        for fragment in fragments:
            assert fragment in message, (command, fragment, message)
        assert "Traceback" not in message
        assert_nothing_lost(good_run, raw_before)


def test_unquoted_decimal_comma_in_comma_file_is_refused(root, good_run, monkeypatch, capsys):
    (root / "data" / "raw" / NEW_FILE).write_text(
        f"{HEADER}\n{VALID}\naandeel_herkomst,Maassluis,nederlands,2019,73,1,procent,beleidsvisie_2019,,,,,\n",
        encoding="utf-8")
    raw_before = tree_hashes(root / "data" / "raw")
    code, message = cli(monkeypatch, capsys, root, "validate")
    assert code != 0
    assert f"{NEW_FILE}, rij 3" in message and "komma" in message, message
    assert_nothing_lost(good_run, raw_before)


def test_dangling_link_in_raw_is_refused_by_validate_and_run(root, good_run, monkeypatch, capsys):
    (root / "data" / "raw" / NEW_FILE).symlink_to(root / "elders" / NEW_FILE)
    raw_before = tree_hashes(root / "data" / "raw")
    for command in (["validate"], ["run", "--thema", GOOD_THEME, "--jobs", "1"]):
        code, message = cli(monkeypatch, capsys, root, *command)
        assert code != 0 and "Traceback" not in message, command
        assert f"{NEW_FILE} — het bestand is een verwijzing (symlink)" in message, message
        assert_nothing_lost(good_run, raw_before)


def _pipe(path: Path) -> None:
    os.mkfifo(path)


def _workbook_with_macros(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 een werkmap met macro's")


# name: (how the entry is made in data/raw, its name, fragment of the message)
FILE_CASES = {
    "pipe_in_plaats_van_bestand": (_pipe, "pipe.csv", "geen gewoon bestand maar een pipe (FIFO)"),
    "pipe_in_plaats_van_catalogus": (_pipe, "regios.csv", "geen gewoon bestand maar een pipe (FIFO)"),
    "werkmap_met_macros": (_workbook_with_macros, "nieuw_2019.xlsm", "Excel-werkmap met macro's (.xlsm)"),
    "naam_als_formule": (lambda path: path.write_text(f"{HEADER}\n{VALID}\n", encoding="utf-8"),
                         '=HYPERLINK("http:__x","klik").csv', "bestandsnaam begint met '='"),
}


@pytest.mark.parametrize("case", FILE_CASES)
def test_odd_files_in_raw_are_refused_by_validate_and_run(case, root, good_run, monkeypatch, capsys):
    """Each one was skipped without a word, or (a pipe) hung the command."""
    make, entry, fragment = FILE_CASES[case]
    target = root / "data" / "raw" / entry
    if target.exists():
        target.unlink()
    make(target)
    raw_before = tree_hashes(root / "data" / "raw")

    def hangs(signum, frame):
        raise TimeoutError(f"{case}: the command hangs")

    previous = signal.signal(signal.SIGALRM, hangs)
    signal.alarm(300)
    try:
        for command in (["validate"], ["run", "--thema", GOOD_THEME, "--jobs", "1"]):
            code, message = cli(monkeypatch, capsys, root, *command)
            assert code != 0 and "Traceback" not in message, command
            assert f"{entry} — " in message and fragment in message, message
            assert_nothing_lost(good_run, raw_before)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_end_year_without_data_lists_the_years_there_are(root, good_run, monkeypatch, capsys):
    years = maassluis_years()
    missing = max(years) + 12
    raw_before = tree_hashes(root / "data" / "raw")
    code, message = cli(monkeypatch, capsys, root, "run", "--thema", GOOD_THEME, "--eind-jaar", str(missing),
                        "--jobs", "1")
    assert code != 0
    assert f"eind_jaar {missing} staat niet in de data voor Maassluis" in message, message
    assert f"jaren met gegevens: {', '.join(str(y) for y in years)}." in message
    assert "Traceback" not in message
    assert_nothing_lost(good_run, raw_before)


@pytest.mark.e2e
def test_failing_notebook_names_theme_cell_and_error_and_keeps_reports(shipped_run, tmp_path, monkeypatch, capsys):
    root = copy_shipped_run(shipped_run, tmp_path / "project")
    path = root / "notebooks" / f"{GOOD_THEME}.ipynb"
    nb = nbformat.read(path, as_version=4)
    broken = 'raise ValueError("testfout: kapotte berekening")'
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(f"x = 1\n{broken}"))
    nbformat.write(nb, path)
    raw_before, reports_before = tree_hashes(root / "data" / "raw"), tree_hashes(root / "reports")
    region = REPORTS.relative_to("reports").as_posix()
    assert f"{region}/tables/{GOOD_THEME}/kerncijfers.json" in reports_before
    assert f"{region}/tabellen.xlsx" in reports_before

    code, message = cli(monkeypatch, capsys, root, "run", "--thema", GOOD_THEME, "--jobs", "1")
    assert code != 0
    assert f"{GOOD_THEME}: fout in cel" in message, message
    assert broken in message and "ValueError: testfout: kapotte berekening" in message
    assert "MISLUKT" in message and "rapporten van de vorige geslaagde run" in message
    assert tree_hashes(root / "data" / "raw") == raw_before
    assert tree_hashes(root / "reports") == reports_before, "the reports of the last good run are untouched"
    assert not list((root / REPORTS).glob(".run-*")), "staging folder left behind"
