"""The whole analysis on the data that ships with the project: the session's one run (conftest.shipped_run)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analyse import data, runner
from analyse.cli import main
from conftest import REPORTS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def full_run(shipped_run) -> tuple[Path, list[str], bool]:
    return shipped_run.root, shipped_run.output.splitlines(), shipped_run.returncode == 0


def test_every_notebook_runs_on_the_shipped_data(full_run):
    root, lines, ok = full_run
    assert ok, "\n".join(lines)
    themes = runner.available_notebooks(ROOT / "notebooks")
    assert themes == list(runner.NOTEBOOK_ORDER)
    for thema in themes:
        assert (root / REPORTS / "notebooks" / f"{thema}.ipynb").exists()
        html = (root / REPORTS / "notebooks" / f"{thema}.html").read_text(encoding="utf-8")
        assert "data:image/png" in html, f"{thema}: figures are shown in the HTML report"
        assert "from analyse" not in html, f"{thema}: code cells are left out of the HTML report"
    progress = [line for line in lines if line.startswith("[")]
    assert len(progress) == len(themes) and all("klaar" in line for line in progress)


def test_the_run_says_where_the_reports_are(shipped_run):
    last = shipped_run.stdout.rstrip().splitlines()[-1]
    assert last.startswith(f"Klaar: {len(runner.NOTEBOOK_ORDER)} notebooks uitgevoerd, rapporten in reports/maassluis/ (")


def test_demography_outputs_and_key_sentence(full_run):
    root, _, _ = full_run
    figures = root / REPORTS / "figures" / "demografie"
    pngs = sorted(figures.glob("*.png"))
    assert pngs and all(p.with_suffix(".svg").exists() for p in pngs)
    key = json.loads((root / REPORTS / "tables" / "demografie" / "kerncijfers.json").read_text(encoding="utf-8"))
    population = [m for m in key["messages"] if m.startswith("In 2024 heeft Maassluis 35.832 inwoners")]
    assert population and "meer dan in 2009 (31.390)" in population[0]
    overview = pd.read_csv(root / REPORTS / "tables" / "demografie" / "overzicht.csv")
    row = overview[(overview["indicator"] == "aandeel_herkomst") & (overview["groep"] == "Migratieachtergrond")
                   & (overview["regio"] == "Maassluis")].iloc[0]
    # 2017 (8.738 of 32.450, municipal budget) to 2022 (3.172 westers + 6.905 niet-westers of 34.148, CBS KWB),
    # both computed from counts, so shown with one decimal: 26,9% -> 29,5%
    assert (row["jaar_van"], row["jaar_tot"]) == (2017, 2022)
    assert row["waarde_tot"] == pytest.approx(10077 / 34148 * 100) and row["decimalen_van"] == 1
    assert row["verandering"] == "een stijging van 2,6 procentpunt"


def test_register_covers_every_statement_and_explains_deviations(full_run):
    root, _, _ = full_run
    register = pd.read_csv(root / REPORTS / "reproductie.csv", keep_default_na=False)
    claims = pd.read_csv(root / "data" / "raw" / "beweringen.csv", keep_default_na=False)
    assert list(register.columns) == ["id", "thema", "citaat", "verwacht", "berekend", "status", "bewijs", "bronnen",
                                      "toelichting", "herberekend"]
    assert sorted(register["id"]) == sorted(claims["id"])
    assert set(register["status"]) <= {"klopt", "intern_consistent", "overgenomen", "tekst_onjuist", "wijkt_af",
                                       "niet_aangetoond", "geen_data"}
    assert (register["toelichting"].str.len() > 0).all()
    assert not ((register["status"] == "klopt") & (register["bewijs"] == "document")).any()
    population = register[register["citaat"].str.contains("stijging van 3,6% in acht jaar")].iloc[0]
    assert population["status"] == "tekst_onjuist"  # 3,6% is right, 'acht jaar' is nine


def test_monitor_covers_every_target_with_a_verdict(full_run):
    root, _, _ = full_run
    monitor = pd.read_csv(root / REPORTS / "monitor.csv", keep_default_na=False)
    catalogue = data.load_raw(root / "data" / "raw").indicatoren
    targets = catalogue[catalogue["doel_type"] != ""]
    expected = sum(max(1, len([g for g in t.split(";") if g])) for t in targets["doel_groep"])
    assert len(monitor) == expected and set(targets["indicator"]) == set(monitor["indicator"])
    assert set(monitor["oordeel"]) <= {"gehaald", "niet_gehaald", "op_koers", "onzeker", "niet_op_koers",
                                       "onvoldoende_data", "andere_maat"}
    assert (monitor["toelichting"].str.len() > 0).all()


def test_trend_table_refuses_short_series_with_a_reason(full_run):
    root, _, _ = full_run
    trends = pd.read_csv(root / REPORTS / "trends.csv", keep_default_na=False)
    refused = trends[trends["methode"] == "geen"]
    fitted = trends[trends["methode"] != "geen"]
    assert not refused.empty and (refused["reden"].str.len() > 0).all()
    assert not fitted.empty and (fitted["n_jaren"].astype(int) >= 3).all()


def test_publication_files_exist_and_open(full_run):
    from docx import Document
    from openpyxl import load_workbook

    root, _, _ = full_run
    reports = root / REPORTS
    workbook = load_workbook(reports / "tabellen.xlsx")
    assert "Doelenmonitor" in workbook.sheetnames and "Reproductieregister" in workbook.sheetnames
    document = Document(reports / "beleidsnota.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert "Demografie en diversiteit" in headings and "Doelenmonitor" in headings
    assert len(document.inline_shapes) > 10
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figuur ")]
    assert captions[0].startswith("Figuur 1.") and len(captions) == len(document.inline_shapes)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "35.832" in cells
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="notebooks/demografie.html"' in index and "<script" not in index


def test_unknown_region_and_missing_year_are_refused_with_what_exists(shipped_copy, monkeypatch, capsys):
    root = shipped_copy
    monkeypatch.setenv("ANALYSE_ROOT", str(root))
    assert main(["run", "--thema", "demografie", "-p", "regio=Atlantis"]) == 2
    err = capsys.readouterr().err
    assert "regio 'Atlantis' staat niet in data/raw/regios.csv" in err
    assert main(["run", "--thema", "demografie", "--gemeente", "Maasluis"]) == 2
    assert "bedoelt u 'Maassluis'?" in capsys.readouterr().err
    assert main(["run", "--thema", "demografie", "--eind-jaar", "2030"]) == 2
    err = capsys.readouterr().err
    assert "eind_jaar 2030 staat niet in de data voor Maassluis" in err and "2018" in err
    assert main(["run", "--thema", "basisvaardigheden", "--eind-jaar", "2010"]) == 2
    err = capsys.readouterr().err
    assert "Over basisvaardigheden, nieuwkomers zijn voor Maassluis geen gegevens in het venster" in err and "2017" in err
    assert "Er is niets uitgevoerd." in err
    assert main(["run", "--thema", "sport"]) == 2
    assert "onbekend thema: sport" in capsys.readouterr().err
    assert not (root / "reports").exists() or not any((root / "reports").iterdir()), "nothing was run"


def test_list_shows_themes_and_parameters(monkeypatch, capsys):
    monkeypatch.setenv("ANALYSE_ROOT", str(ROOT))
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ("demografie", "monitor", "regio=", "vergelijk_regios=", "start_jaar=", "eind_jaar=", "data_dir="):
        assert name in out


def test_crime_rates_get_poisson_trends_on_at_least_six_years(full_run):
    root, _, _ = full_run
    trends = pd.read_csv(root / REPORTS / "trends.csv", keep_default_na=False)
    rates = trends[trends["indicator"].str.match(r"misdrijven_.*_per_1000") & (trends["regio"] == "Maassluis")]
    assert len(rates) >= 5 and (rates["methode"] == "poisson").all()
    assert (rates["n_jaren"].astype(int) >= 6).all()
    total = rates[rates["indicator"] == "misdrijven_totaal_per_1000"].iloc[0]
    assert float(total["helling_bovengrens"]) < 0, "the fall in registered crime is certain"
    assert not trends.duplicated(["thema", "indicator", "regio", "groep", "reeks"]).any()


def test_the_wijk_section_and_the_segregation_index_reach_the_tables_and_the_note(full_run):
    from docx import Document

    root, _, _ = full_run
    tables = root / REPORTS / "tables" / "demografie"
    segregation = pd.read_csv(tables / "segregatie.csv")
    # D over the 19 buurten of Maassluis, 2022 (CBS KWB): 191548/836715, computed by hand in test_segregation.py
    assert segregation["buurten"].tolist() == [19] and segregation["d"].iloc[0] == pytest.approx(0.2289286, abs=1e-6)
    summary = json.loads((tables / "kerncijfers.json").read_text(encoding="utf-8"))
    record = next(t for t in summary["tables"] if t["name"] == "segregatie")
    assert any("½ × Σ" in note for note in record["notes"]), "the formula is given with the table"
    wijken = pd.read_csv(tables / "wijken.csv")
    assert len(wijken) == 9 and wijken["wijk"].iloc[-1] == "Maassluis (gemeente)"
    report = Document(root / REPORTS / "technisch-rapport.docx")  # the annex tables are in the technical report
    content = "\n".join([p.text for p in report.paragraphs]
                        + [c.text for t in report.tables for r in t.rows for c in r.cells])
    assert "Wijken van Maassluis" in content and "Ongelijkheidsindex D" in content


def test_no_count_of_fewer_than_ten_persons_is_a_plain_number_in_the_workbook(full_run):
    from openpyxl import load_workbook

    root, _, _ = full_run
    book = load_workbook(root / REPORTS / "tabellen.xlsx")
    found = []
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            cells = dict(zip(header, row))
            if any(isinstance(v, str) and v.startswith("Stagiaires") for v in row):
                found.append(cells)
    interns = [c for c in found if any(isinstance(v, str) and v in ("Hbo", "Mbo", "Vmbo") for v in c.values())
               and any(str(h).startswith("Waarde") for h in c)]
    assert interns, "the interns by education level are in the overview"
    for cells in interns:
        values = [v for h, v in cells.items() if str(h).startswith("Waarde")]
        assert not any(isinstance(v, (int, float)) and 0 < v < 10 for v in values), cells
        assert "<10" in values
