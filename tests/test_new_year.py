"""Adding a new year as a researcher would: new rows in data/raw, ``analyse validate``, ``analyse run --eind-jaar``.

Works on a copy of the shipped data; every added figure is FICTITIOUS and marked as such in ``opmerking``.
Two routes are exercised, with the behaviour the trend module promises for each (one source = one series):

* the document's own series extended under its own ``bron`` (aandeel migratieachtergrond 2009, 2018 + 2019);
* a new test source with its own line in bronnen.csv: a three-year population series (2017-2019), and a
  single VVE figure for 2019 that cannot extend the older VVE series of another source.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from analyse import data
from analyse.cli import main
from conftest import ROOT

TEST_SOURCE = "toets_nieuw_jaar"
NOTE = "testwaarde, geen echt cijfer"
COLUMNS = [*data.REQUIRED, *data.OPTIONAL]
# (indicator, groep, jaar, waarde, eenheid, bron): clearly made up, far from any real Maassluis figure.
HERKOMST_2019 = ("aandeel_herkomst", "migratieachtergrond", 2019, 55.5, "procent", "beleidsvisie_2019")
INWONERS = [("inwoners", "totaal", 2017, 11111, "aantal", TEST_SOURCE),
            ("inwoners", "totaal", 2018, 22222, "aantal", TEST_SOURCE),
            ("inwoners", "totaal", 2019, 44444, "aantal", TEST_SOURCE)]
VVE_2019 = ("vve_deelname", "totaal", 2019, 11.1, "procent", TEST_SOURCE)
THEMES = ("demografie", "onderwijs", "monitor")


def csv_rows(rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    for indicator, groep, jaar, waarde, eenheid, bron in rows:
        writer.writerow({"indicator": indicator, "regio": "Maassluis", "groep": groep, "jaar": jaar,
                         "waarde": waarde, "eenheid": eenheid, "bron": bron, "opmerking": NOTE})
    return buffer.getvalue()


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def ols_slope(points) -> float:
    years, values = zip(*points)
    return float(np.polyfit(years, values, 1)[0])


@pytest.fixture(scope="module")
def new_year(tmp_path_factory):
    root = tmp_path_factory.mktemp("nieuw_jaar")
    for name in ("data/raw", "notebooks"):
        shutil.copytree(ROOT / name, root / name)
    (root / "data" / "processed").mkdir()
    raw = root / "data" / "raw"
    with (raw / "beleidsvisie_2019.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(csv_rows([HERKOMST_2019]))
    (raw / f"{TEST_SOURCE}.csv").write_text(",".join(COLUMNS) + "\n" + csv_rows([*INWONERS, VVE_2019]),
                                            encoding="utf-8")
    with (raw / "bronnen.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [TEST_SOURCE, f"Testbron van tests/test_new_year.py ({NOTE})", "Testuitgever", "2020", "", ""])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANALYSE_ROOT", str(root))
        assert main(["validate"]) == 0
        themes = [arg for thema in THEMES for arg in ("--thema", thema)]
        assert main(["run", "--eind-jaar", "2019", *themes, "--jobs", "2"]) == 0
    return root / "reports"


def trend(reports, thema: str, indicator: str, groep: str) -> dict:
    table = read(reports / "trends.csv")
    rows = table[(table["thema"] == thema) & (table["indicator"] == indicator) & (table["regio"] == "Maassluis")
                 & (table["groep"] == groep)]
    assert len(rows) == 1, rows
    return rows.iloc[0].to_dict()


def test_the_document_series_extended_under_its_own_source_gets_a_trend_to_2019(new_year):
    row = trend(new_year, "demografie", "aandeel_herkomst", "migratieachtergrond")
    assert (row["bron"], row["n_jaren"], row["eerste_jaar"], row["laatste_jaar"]) == ("beleidsvisie_2019", "3",
                                                                                      "2009", "2019")
    assert row["methode"] == "ols" and row["indicatief"] == "True" and row["breuk"] == "False"
    expected = ols_slope([(2009, 23.3), (2018, 26.9), (2019, HERKOMST_2019[3])])
    assert float(row["helling"]) == pytest.approx(expected, rel=1e-9)


def test_a_three_year_series_of_a_new_source_takes_over_the_trend(new_year):
    row = trend(new_year, "demografie", "inwoners", "totaal")
    assert (row["bron"], row["n_jaren"], row["eerste_jaar"], row["laatste_jaar"]) == (TEST_SOURCE, "3", "2017",
                                                                                      "2019")
    assert row["methode"] == "ols" and row["breuk"] == "True"
    assert f"trend alleen op bron {TEST_SOURCE}" in row["opmerking"]
    expected = ols_slope([(jaar, waarde) for _, _, jaar, waarde, _, _ in INWONERS])
    assert float(row["helling"]) == pytest.approx(expected, rel=1e-9)


def test_a_single_2019_figure_of_a_new_source_does_not_extend_an_older_series(new_year):
    row = trend(new_year, "onderwijs", "vve_deelname", "totaal")
    # The VVE series with the most years is the 2017 annual report's (2016, 2017): still too short.
    assert (row["bron"], row["laatste_jaar"], row["methode"]) == ("gemeente_maassluis_jaarverslag_2017", "2017",
                                                                  "geen")
    assert row["breuk"] == "True" and TEST_SOURCE in row["opmerking"]


def test_monitor_reports_the_2019_measurement(new_year):
    table = read(new_year / "monitor.csv")
    vve = table[(table["indicator"] == "vve_deelname") & (table["groep"] == "totaal")].iloc[0]
    assert (vve["laatste_jaar"], float(vve["laatste_waarde"])) == ("2019", VVE_2019[3])
    # One reeks decides (series.choose: the reeks with the newest year), so latest value and trend share it.
    assert vve["laatste_bron"] == vve["trend_bron"] == vve["reeks"] == TEST_SOURCE
    # 11.1% is below the 90% target and that reeks has one year: no verdict.
    assert vve["oordeel"] == "onvoldoende_data"
    assert "gemeente_maassluis_jaarverslag_2017 2017: 79" in vve["toelichting"]  # named, not used


def test_key_messages_speak_of_2019(new_year):
    demo = json.loads((new_year / "tables" / "demografie" / "kerncijfers.json").read_text(encoding="utf-8"))
    assert demo["parameters"]["eind_jaar"] == 2019
    messages = demo["kernboodschappen"]
    assert any("van 11.111 inwoners in 2017 naar 44.444 inwoners in 2019" in m for m in messages), messages
    # 55.5 - 23.3 = 32.2 percentage points
    assert any("van 23,3% in 2009 naar 55,5% in 2019, een stijging van 32,2 procentpunt" in m
               for m in messages), messages
    assert any(m.startswith("In 2019") and "geen vergelijkingscijfers" in m for m in messages), messages
    figures = {(k["indicator"], k["jaar"], k["waarde"]) for k in demo["kerncijfers"]}
    assert {("inwoners", 2019, 44444.0), ("aandeel_herkomst", 2019, 55.5)} <= figures

    onderwijs = json.loads((new_year / "tables" / "onderwijs" / "kerncijfers.json").read_text(encoding="utf-8"))
    vve = [m for m in onderwijs["kernboodschappen"] if "VVE" in m]
    assert vve and not any("2019" in m for m in vve), vve


def test_register_keeps_checking_the_documents_statements(new_year):
    register = read(new_year / "reproductie.csv").set_index("id")
    claims = read(ROOT / "data" / "raw" / "beweringen.csv")
    touched = claims[(claims["thema"] == "demografie") & claims["indicator"].isin(["inwoners", "aandeel_herkomst"])
                     & (claims["regio"] == "Maassluis")]
    assert len(touched) >= 6
    # The recomputations still use the document's own numbers (its arithmetic is what they check) ...
    for claim_id in ("demo-03", "demo-04"):
        claim = touched.set_index("id").loc[claim_id]
        assert register.loc[claim_id, "status"] == "tekst_onjuist", claim_id
        assert float(register.loc[claim_id, "berekend"]) == pytest.approx(float(claim.verwacht),
                                                                           abs=0.5 * 10 ** -int(claim.decimalen))
    # ... the document's 2018 population now has an independent (fictitious) figure, 22.222, and deviates;
    # figures with no other source stay transcribed, not confirmed.
    assert (register.loc["demo-02", "status"], float(register.loc["demo-02", "berekend"])) == ("wijkt_af", 22222)
    assert {register.loc[i, "status"] for i in ("demo-01", "demo-05", "demo-06")} == {"overgenomen"}


def test_template_is_the_contract_header_with_one_real_example_row():
    template = read(ROOT / "data" / "sjabloon_waarnemingen.csv")
    assert list(template.columns) == COLUMNS and len(template) == 1
    example = template.iloc[0]
    assert example["opmerking"].startswith("VOORBEELDRIJ")
    shipped = read(ROOT / "data" / "raw" / "beleidsvisie_2019.csv")
    same = shipped[(shipped[list(data.REQUIRED)] == example[list(data.REQUIRED)]).all(axis=1)]
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
