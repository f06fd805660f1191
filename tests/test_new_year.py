"""A new edition of a yearly publication reaches the outputs, as a researcher would add it.

The state before: the shipped data without any Maassluis population figure after 2018. The researcher then adds
the municipal budget 2023 as a new source file, in the reeks of the existing population rows (CBS population on
1 January): 34.148 inhabitants and 10.077 with a migration background on 1 January 2022 (the CBS numbers the
budget gives; see ../shared/data/README.md). ``analyse validate`` and ``analyse run`` (no ``--eind-jaar``) must
carry the 2022 value and the derived 2022 share into the key figures, extend the population trend and put both
in the Word note.
"""

from __future__ import annotations

import csv
import io
import shutil

import docx
import pandas as pd
import pytest

from analyse import checksum, contract, data
from analyse.cli import main
from analyse.schema import OPTIONAL, REQUIRED
from conftest import REPORTS, ROOT, load_shipped

COLUMNS = [*REQUIRED, *OPTIONAL]
BUDGET = "gemeente_maassluis_begroting_2023"
ROWS = [("inwoners", "totaal", 34148, "cbs_bevolking"),
        ("aantal_herkomst", "migratieachtergrond", 10077, "cbs_bevolking_migratieachtergrond")]
LATER = {"inwoners", "aantal_herkomst", "aandeel_herkomst"}


def budget_file() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for indicator, groep, value, reeks in ROWS:
        writer.writerow({"indicator": indicator, "regio": "Maassluis", "groep": groep, "jaar": 2022,
                         "waarde": value, "eenheid": "aantal", "bron": BUDGET, "reeks": reeks,
                         "periode": "1 januari 2022", "opmerking": "Kerngegevens begroting 2023 (CBS, 1 januari)."})
    return buffer.getvalue()


def drop_later_maassluis_population(raw) -> None:
    """The state of the data before the 2023 budget: no Maassluis population figures after 2018."""
    for path in checksum.observation_files(raw):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        later = frame["indicator"].isin(LATER) & (frame["regio"] == "Maassluis") & (frame["jaar"].astype(int) > 2018)
        if later.any():
            frame[~later].to_csv(path, index=False, lineterminator="\n")


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory):
    root = tmp_path_factory.mktemp("nieuwe_editie")
    for name in ("data/raw", "notebooks"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "instellingen.toml", root / "instellingen.toml")
    (root / "data" / "processed").mkdir()
    raw = root / "data" / "raw"
    drop_later_maassluis_population(raw)
    (raw / f"{BUDGET}.csv").write_text(budget_file(), encoding="utf-8")
    with (raw / "bronnen.csv").open("a", encoding="utf-8", newline="") as handle:
        header = next(csv.reader((raw / "bronnen.csv").open(encoding="utf-8")))
        values = {"bron": BUDGET, "naam": "Begroting 2023 gemeente Maassluis (kerngegevens)",
                  "uitgever": "Gemeente Maassluis", "producent": "Gemeente Maassluis", "soort": "primair",
                  "datum": "2022-11", "adres": "https://maassluis.begroting-2023.nl"}
        csv.writer(handle, lineterminator="\n").writerow([values.get(column, "") for column in header])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANALYSE_ROOT", str(root))
        assert main(["validate"]) == 0
        assert main(["run", "--thema", "demografie", "--jobs", "1"]) == 0
    return root / REPORTS


@pytest.mark.e2e
def test_the_new_edition_reaches_the_key_figures_with_a_derived_share(new_edition):
    summary = contract.read_summary(new_edition / "tables" / "demografie" / "kerncijfers.json")
    assert summary.parameters.end_year >= 2022  # no --eind-jaar needed
    figures = {(k.indicator, k.group): k for k in summary.key_figures if k.region == "Maassluis"}
    total = figures["inwoners", "totaal"]
    assert (total.year, total.value, total.text) == (2022, 34148, "34.148")
    share = figures["aandeel_herkomst", "migratieachtergrond"]
    assert share.year == 2022 and share.value == pytest.approx(10077 / 34148 * 100) and share.text == "29,5%"
    assert "Gemeente Maassluis" in share.source
    assert any(m.startswith("In 2022 heeft Maassluis 34.148 inwoners") for m in summary.messages), summary.messages


@pytest.mark.e2e
def test_the_new_edition_extends_the_population_trend(new_edition):
    trends = pd.read_csv(new_edition / "trends.csv", dtype=str, keep_default_na=False)
    row = trends[(trends["indicator"] == "inwoners") & (trends["regio"] == "Maassluis") & (trends["groep"] == "totaal")
                 & (trends["reeks"] == "cbs_bevolking")].iloc[0]
    shipped = load_shipped().observations
    before = shipped[(shipped["indicator"] == "inwoners") & (shipped["regio"] == "Maassluis")
                     & (shipped["groep"] == "totaal") & (shipped["reeks"] == "cbs_bevolking") & (shipped["jaar"] <= 2018)]
    years = sorted({*before["jaar"], 2022})
    assert (row["eerste_jaar"], row["laatste_jaar"], row["n_jaren"]) == ("2009", "2022", str(len(years)))
    assert len(years) > before["jaar"].nunique()  # the edition added a year
    assert row["methode"] != "geen" and row["gekozen"] == "True"
    assert not trends.duplicated(["thema", "indicator", "regio", "groep", "reeks"]).any()


@pytest.mark.e2e
def test_the_new_edition_appears_in_the_word_note(new_edition):
    note = docx.Document(new_edition / "beleidsnota.docx")
    content = "\n".join(p.text for p in note.paragraphs)
    content += "\n".join(cell.text for table in note.tables for row in table.rows for cell in row.cells)
    assert "34.148" in content and "29,5%" in content


def test_template_is_the_contract_header_with_one_real_example_row():
    template = pd.read_csv(ROOT / "data" / "sjabloon_waarnemingen.csv", dtype=str, keep_default_na=False)
    assert list(template.columns) == COLUMNS and len(template) == 1
    example = template.iloc[0]
    assert example["opmerking"].startswith("VOORBEELDRIJ")
    shipped = pd.read_csv(ROOT / "data" / "raw" / "beleidsvisie_2019.csv", dtype=str, keep_default_na=False)
    same = shipped[(shipped[list(REQUIRED)] == example[list(REQUIRED)]).all(axis=1)]
    assert len(same) == 1, "the example row is a real row of the document's file"


def test_template_copied_unchanged_into_raw_is_refused_as_a_duplicate(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    shutil.copy(ROOT / "data" / "sjabloon_waarnemingen.csv", raw / "mijn_bron.csv")
    with pytest.raises(data.DataError) as caught:
        data.load_raw(raw)
    [problem] = caught.value.problems
    assert problem.file.endswith("mijn_bron.csv") and problem.row == 2
    assert "dezelfde waarde (dubbele rij)" in problem.expected
