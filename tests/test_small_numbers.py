"""One gate for small numbers (issue 24, part 6): every table, key figure, text and export of a run shows no count
of persons under the threshold, no teller or noemer under it, and nothing they can be recomputed from.

Constructed tables and projects that leaked in the old code (a teller copied beside a hidden value, the register
quoting counts, a share in one table with its noemer in another, a total minus the other cells across two tables,
a nested breakdown, the monitor's baseline share of the register's count), the masking of numbers in texts, the
run-wide tables, and the check over a whole reports folder (:mod:`small_numbers`) on constructed folders and on
the shipped run.
"""

from __future__ import annotations

import dataclasses
import json
import types
from pathlib import Path

import pandas as pd
import pytest

from analyse import contract, data, disclosure, pipeline
from analyse.contract import SuppressedCell
from analyse.disclosure import Cells, Measure
from analyse.gate import Gate, group_classes
from analyse.text.disclosure_texts import mask_numbers
from conftest import make_raw
from small_numbers import leaks, secrets, shows

OBS_COLUMNS = ["indicator", "regio", "groep", "jaar", "waarde", "eenheid", "teller", "noemer", "n", "reeks",
               "vervangen_door"]
GROUPS = pd.DataFrame({
    "groep": ["totaal", "nederlands", "migratieachtergrond", "westers", "niet_westers", "leeftijd_tot_29",
              "opleiding_hbo", "opleiding_mbo", "opleiding_vmbo"],
    "soort": ["totaal", "herkomst", "herkomst", "herkomst", "herkomst", "leeftijd", "opleiding", "opleiding",
              "opleiding"],
    "label": ["Totaal", "Nederlandse achtergrond", "Migratieachtergrond", "Westers", "Niet-westers", "tot 29 jaar",
              "Hbo", "Mbo", "Vmbo"],
    "indeling": ["", "migratieachtergrond", "migratieachtergrond", "migratieachtergrond", "migratieachtergrond", "",
                 "", "", ""]})
INDICATORS = pd.DataFrame({"indicator": ["stagiaires", "personeel", "aantal_herkomst", "jongeren_aandeel"],
                           "personen": ["ja", "ja", "ja", ""], "afgeleid_teller": ["", "", "", ""]})
NO_CLAIMS = pd.DataFrame(columns=["id", "citaat", "verwacht", "eenheid", "berekening", "indicator", "regio", "groep",
                                  "jaar", "jaar_tot", "noemer_indicator", "noemer_groep"])


def observations(*rows) -> pd.DataFrame:
    """Observation rows (indicator, regio, groep, jaar, waarde, eenheid[, teller, noemer]) in one reeks."""
    full = [(*r, *[None] * (8 - len(r)), None, "reeks", "") for r in rows]
    frame = pd.DataFrame(full, columns=OBS_COLUMNS)
    for column in ("waarde", "teller", "noemer", "n"):
        frame[column] = pd.to_numeric(frame[column])
    return frame


def gate_of(obs: pd.DataFrame, claims: pd.DataFrame = NO_CLAIMS, threshold: int = 10) -> Gate:
    dataset = types.SimpleNamespace(observations=obs, indicatoren=INDICATORS, groepen=GROUPS, beweringen=claims)
    return Gate.of(dataset, threshold)


def interns(*counts, total=None, year=2017):
    rows = [("stagiaires", "Maassluis", f"opleiding_{level}", year, n, "aantal")
            for level, n in zip(("hbo", "mbo", "vmbo"), counts)]
    return rows + ([("stagiaires", "Maassluis", "totaal", year, total, "aantal")] if total is not None else [])


def shown(result) -> dict:
    return {(c.row, c.column): c.mark for c in result.cells}


# --------------------------------------------------------------------------- numbers in a text

def test_hidden_numbers_are_masked_in_a_text_in_every_notation():
    hidden = [(6, "<10"), (2.380952, "×")]
    assert mask_numbers("neemt toe 6/252 werknemers (2.4%) in 2017", hidden) == \
        "neemt toe [<10]/252 werknemers ([×]) in 2017"
    assert mask_numbers("Herberekend: 6 / 252 × 100 = 2,381. Afgerond is dat 2,4.", hidden) == \
        "Herberekend: [<10] / 252 × 100 = [×]. Afgerond is dat [×]."
    # words for counts, a capital at the start of a sentence; 'een' is the article, not one
    assert mask_numbers("Vijf stagiaires hadden een hbo-achtergrond, acht een mbo-achtergrond en één vmbo.",
                        [(5, "<10"), (8, "<10"), (1, "<10")]) == \
        "[<10] stagiaires hadden een hbo-achtergrond, [<10] een mbo-achtergrond en [<10] vmbo."


def test_masking_leaves_codes_ranges_other_numbers_and_marks_alone():
    hidden = [(1, "<10"), (2.380952, "×"), (10, "×"), (4, "<10")]
    text = "H2, h4-10 en 2009-2018: 1.234 inwoners, 2 metingen, 24%, 0,05 en al verborgen [<10]; 14 jaar, 4.5"
    assert mask_numbers(text, hidden) == text
    assert mask_numbers("2 procent is 2%", [(2.380952, "×")]) == "2 procent is [×]"  # a rounded share with its sign
    once = mask_numbers("6 van 252", [(6, "<10")])
    assert mask_numbers(once, [(6, "<10"), (10, "×")]) == once  # masking twice changes nothing


# --------------------------------------------------------------------------- rule 3: recomputable cells

def test_a_nested_breakdown_does_not_give_a_hidden_cell_back():
    # A wijk of 135: 125 Dutch, 10 with a migration background of whom 10 western and 0 non-western. The old rule
    # only protected a breakdown whose cells sum to a total row, so 'migratieachtergrond - westers' gave the
    # hidden 0 back.
    frame = pd.DataFrame({"indicator": "aantal_herkomst", "regio": "Aalkeetpolder", "jaar": 2022, "eenheid": "aantal",
                          "groep": ["nederlands", "migratieachtergrond", "westers", "niet_westers"],
                          "waarde": [125, 10, 10, 0]})
    result = disclosure.protect(frame, person_indicators={"aantal_herkomst"}, group_columns=["indicator", "jaar"],
                                classes=group_classes(GROUPS))  # the classifications of groepen.csv
    assert shown(result) == {(3, "waarde"): "<10", (2, "waarde"): "×"}
    assert result.frame["waarde"].tolist()[:2] == [125, 10]


def test_a_hidden_whole_is_not_the_sum_of_its_published_parts():
    # a total hidden for another reason (here: given as hidden) is 12 + 25 of its published parts
    frame = observations(*interns(12, 25, total=37))
    result = Gate(persons=frozenset({"stagiaires"})).table(frame, cells=Cells(measures=(Measure("waarde"),)),
                                                           suppressed=[SuppressedCell(2, "waarde", "×")])
    assert shown(result) == {(2, "waarde"): "×", (0, "waarde"): "×"}


def test_complementary_shares_stay_protected_with_classes():
    frame = pd.DataFrame({"indicator": "x", "jaar": 2017, "eenheid": "procent", "groep": ["nederlands",
                          "migratieachtergrond"], "waarde": [97.6, 2.4], "teller": [246, 6], "noemer": [252, 252]})
    result = disclosure.protect(frame, group_columns=["jaar"], classes=group_classes(GROUPS))
    assert result.frame["waarde"].isna().all()


# --------------------------------------------------------------------------- rule 4: one decision for every table

def test_a_total_minus_the_other_cells_across_two_tables_is_closed():
    # 5 + 12 + 20 = 37. Table A shows the total and mbo, table B hbo and vmbo: each alone hides nothing that can be
    # recomputed (the old rule, table by table), together 37 - 12 - 20 gives the 5 back.
    gate = gate_of(observations(*interns(5, 12, 20, total=37)))
    a = observations(*[r for r in interns(5, 12, 20, total=37) if r[2] in ("totaal", "opleiding_mbo")])
    b = observations(*[r for r in interns(5, 12, 20, total=37) if r[2] in ("opleiding_hbo", "opleiding_vmbo")])
    alone_a, alone_b = (disclosure.protect(t, person_indicators={"stagiaires"}, group_columns=["indicator", "jaar"])
                        for t in (a, b))  # table by table
    assert alone_a.frame["waarde"].notna().all() and alone_b.frame["waarde"].notna().tolist() == [False, True]
    new_a, new_b = gate.observations(a), gate.observations(b)
    assert new_a.frame["waarde"].isna().tolist() == [True, False]  # mbo hidden beside the total of 37
    assert any("terug te rekenen" in note for note in new_a.notes)
    assert new_b.frame["waarde"].isna().tolist() == [True, False]
    assert gate.marks[("stagiaires", "Maassluis", "opleiding_mbo", 2017)] == "×"


def test_a_share_under_another_name_is_hidden_with_the_count_it_rests_on():
    # The register recomputes 6 / 252 = 2,4%; the monitor states '2,4%' as the baseline of another indicator.
    obs = observations(("personeel", "Maassluis", "leeftijd_tot_29", 2017, 6, "aantal"),
                       ("personeel", "Maassluis", "totaal", 2017, 252, "aantal"))
    claims = pd.DataFrame([{"id": "h4-10", "citaat": "Aandeel jongeren neemt toe 6/252 werknemers (2.4%) in 2017",
                            "verwacht": "2.4", "eenheid": "procent", "berekening": "aandeel",
                            "indicator": "personeel", "regio": "Maassluis", "groep": "leeftijd_tot_29", "jaar": "2017",
                            "jaar_tot": "", "noemer_indicator": "personeel", "noemer_groep": "totaal"}])
    gate = gate_of(obs, claims)
    monitor = pd.DataFrame({"indicator": ["jongeren_aandeel"], "regio": ["Maassluis"], "groep": ["leeftijd_tot_29"],
                            "basis_waarde": [2.4], "basis_jaar": [2017], "eenheid": ["procent"],
                            "toelichting": ["Basis 2,4% in 2017 (6 van 252)."]})
    from analyse.monitor import DISCLOSURE

    result = gate.table(monitor, cells=DISCLOSURE)
    assert shown(result) == {(0, "basis_waarde"): "×"}
    assert result.frame.loc[0, "toelichting"] == "Basis [×] in 2017 ([<10] van 252)."
    # another share of the same region, group and year that is not the hidden one stays
    other = gate.table(monitor.assign(basis_waarde=24.0), cells=DISCLOSURE)
    assert other.frame.loc[0, "basis_waarde"] == 24.0


def test_a_key_figure_and_its_benchmarks_follow_the_gate():
    gate = gate_of(observations(*interns(5, 12, 20, total=37),
                                ("stagiaires", "Vlaardingen", "opleiding_hbo", 2017, 40, "aantal")))
    figure = contract.KeyFigure("stagiaires", "Stagiaires", "Vlaardingen", "opleiding_hbo", "Hbo", 2017, 40.0,
                                "aantal", "40", "Bron: x", "reeks",
                                benchmarks=(contract.Benchmark("Maassluis", 2017, 5.0, "5"),))
    protected = gate.key_figure(figure)
    assert (protected.value, protected.text) == (40.0, "40")
    assert protected.benchmarks[0] == contract.Benchmark("Maassluis", 2017, None, "<10")


def test_the_register_hides_the_figure_and_masks_its_texts_and_the_shared_quotation():
    obs = observations(*interns(5, 8, 1))
    quote = "In 2017 hadden vijf stagiaires een hbo-, acht een mbo- en één een vmbo-achtergrond."
    claims = pd.DataFrame([{"id": f"werk-0{i}", "citaat": quote, "verwacht": str(n), "eenheid": "aantal",
                            "berekening": "waarde", "indicator": "stagiaires", "regio": "Maassluis",
                            "groep": f"opleiding_{level}", "jaar": "2017", "jaar_tot": "", "noemer_indicator": "",
                            "noemer_groep": ""}
                           for i, (level, n) in enumerate((("hbo", 5), ("mbo", 8), ("vmbo", 1)), start=2)])
    gate = gate_of(obs, claims)
    from analyse.register import DISCLOSURE

    register = pd.DataFrame({"id": claims["id"], "citaat": quote, "verwacht": claims["verwacht"], "berekend": "",
                             "herberekend": "", "status": "overgenomen",
                             "toelichting": [f"Overgenomen: document ({n}). In woorden gedrukt ('{w}')."
                                             for n, w in ((5, "vijf"), (8, "acht"), (1, "één"))]})
    result = gate.table(register, cells=DISCLOSURE)
    assert shown(result) == {(i, "verwacht"): "<10" for i in range(3)}
    masked = "In 2017 hadden [<10] stagiaires een hbo-, [<10] een mbo- en [<10] een vmbo-achtergrond."
    assert result.frame["citaat"].tolist() == [masked] * 3
    assert result.frame.loc[0, "toelichting"] == "Overgenomen: document ([<10]). In woorden gedrukt ('[<10]')."
    assert any("[<10] of [×] in een tekst" in note for note in result.notes)


def test_an_observation_table_for_a_figure_hides_what_the_data_hide():
    obs = observations(*interns(5, 12, 20, total=37))
    result = gate_of(obs).observations(obs)
    assert result.frame["waarde"].isna().tolist() == [True, True, False, False]


# --------------------------------------------------------------------------- through the notebook API

INDICATOREN = (
    "indicator,thema,label,eenheid,personen,richting,doel_waarde,doel_jaar,doel_type,doel_groep,doel_omschrijving,"
    "basis_waarde,basis_jaar,basis_periode,afgeleid_teller,afgeleid_noemer,afgeleid_noemer_groep,toelichting\n"
    "personeel_gemeente,werkvloer,Medewerkers van de gemeente,aantal,ja,neutraal,,,,,,,,,,,,\n"
    "stagiaires_gemeente,werkvloer,Stagiaires bij de gemeente,aantal,ja,neutraal,,,,,,,,,,,,\n"
    "aandeel_jongeren_personeel,werkvloer,Jongeren in het personeel (%),procent,,hoger_beter,,,toename,"
    "leeftijd_tot_29,Aandeel jongeren in het personeel neemt toe,2.4,2017,2017,,,,\n"
)
WORK_OBSERVATIONS = (
    "indicator,regio,groep,jaar,waarde,eenheid,bron,periode,teller,noemer,vindplaats,opmerking\n"
    "personeel_gemeente,Maassluis,leeftijd_tot_29,2016,12,aantal,toets,,,,,\n"
    "personeel_gemeente,Maassluis,leeftijd_tot_29,2017,6,aantal,toets,,6,252,,\n"
    "personeel_gemeente,Maassluis,totaal,2016,247,aantal,toets,,,,,\n"
    "personeel_gemeente,Maassluis,totaal,2017,252,aantal,toets,,,,,\n"
    "stagiaires_gemeente,Maassluis,opleiding_hbo,2017,5,aantal,toets,,,,,\n"
    "stagiaires_gemeente,Maassluis,opleiding_mbo,2017,8,aantal,toets,,,,,\n"
    "stagiaires_gemeente,Maassluis,opleiding_vmbo,2017,1,aantal,toets,,,,,\n"
)
QUOTE_INTERNS = "Vijf stagiaires hadden een HBO-achtergrond, acht een MBO-achtergrond en één een VMBO-achtergrond."
QUOTE_YOUNG = "Aandeel jongeren in het personeelsbestand neemt toe 6/252 werknemers (2.4%) in 2017"
BEWERINGEN = (
    "id,thema,citaat,vindplaats,verwacht,eenheid,decimalen,berekening,indicator,regio,groep,jaar,jaar_tot,"
    "noemer_indicator,noemer_groep,toelichting\n"
    f'werk-02,werkvloer,"{QUOTE_INTERNS}",H2,5,aantal,0,waarde,stagiaires_gemeente,Maassluis,opleiding_hbo,2017,,,,'
    "In woorden gedrukt ('vijf').\n"
    f'werk-03,werkvloer,"{QUOTE_INTERNS}",H2,8,aantal,0,waarde,stagiaires_gemeente,Maassluis,opleiding_mbo,2017,,,,\n'
    f'h4-10,werkvloer,"{QUOTE_YOUNG}",H4,2.4,procent,1,aandeel,personeel_gemeente,Maassluis,leeftijd_tot_29,2017,,'
    "personeel_gemeente,totaal,6 van de 252 werknemers.\n"
    f'h4-12,werkvloer,"{QUOTE_YOUNG}",H4,252,aantal,0,waarde,personeel_gemeente,Maassluis,totaal,2017,,,,\n'
)


@pytest.fixture
def project(tmp_path) -> Path:
    """A werkvloer project like the shipped one: 6 of 252 young staff, 5, 8 and 1 interns, the register and a
    target whose baseline is the share of young staff."""
    raw = make_raw(tmp_path / "data" / "raw", WORK_OBSERVATIONS)
    (raw / "indicatoren.csv").write_text(INDICATOREN, encoding="utf-8")
    (raw / "beweringen.csv").write_text(BEWERINGEN, encoding="utf-8")
    (raw / "bronnen.csv").write_text("bron,naam,uitgever,producent,soort,datum,adres,licentie,uitgever_gemeente,beleidsdocument\n"
                                     "toets,Beleidsvisie,Gemeente,Gemeente,primair,2019,,,GM0556,ja\n", encoding="utf-8")
    with (raw / "groepen.csv").open("a", encoding="utf-8") as file:
        file.write("leeftijd_tot_29,leeftijd,tot 29 jaar,\nopleiding_hbo,opleiding,Hbo,\n"
                   "opleiding_mbo,opleiding,Mbo,\nopleiding_vmbo,opleiding,Vmbo,\n")
    data.build_processed(raw, tmp_path / "data" / "processed")
    return tmp_path


def run_werkvloer(project: Path) -> Path:
    """The werkvloer tables and the monitor of ``project`` as a run writes them; the reports folder."""
    from analyse.theme import Doelenmonitor, Thema

    reports = project / "reports"
    theme = Thema("werkvloer", data_dir=project / "data", output_dir=reports, vergelijk_regios=[])
    theme.overzicht(), theme.register(), theme.opslaan()
    monitor = Doelenmonitor(data_dir=project / "data", output_dir=reports, vergelijk_regios=[])
    monitor.doelen(), monitor.opslaan()
    return reports


def csv_of(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_overview_hides_teller_and_change_with_the_count(project):
    # the old overview copied only the value back from the protected table: teller_tot 6 stayed
    reports = run_werkvloer(project)
    table = csv_of(reports / "tables" / "werkvloer" / "overzicht.csv")
    young = table[table["groep"] == "tot 29 jaar"].iloc[0]
    assert (young["waarde_van"], young["waarde_tot"], young["teller_tot"], young["noemer_tot"], young["verandering"]) \
        == ("12.0", "", "", "252.0", "")  # 'a fall of 50%' from 12 would give the 6 back
    summary = contract.read_summary(reports / "tables" / "werkvloer" / "kerncijfers.json")
    record = next(t for t in summary.tables if t.name == "overzicht")
    row = int(young.name)
    assert {(c.column, c.mark) for c in record.suppressed if c.row == row} == {
        ("waarde_tot", "<10"), ("teller_tot", "<10"), ("verandering", "×")}
    interns = table[table["label"] == "Stagiaires bij de gemeente"]
    assert (interns["waarde_tot"] == "").all() and (interns["verandering"] == "–").all()  # one year: no change


def test_the_register_and_the_monitor_show_no_small_number(project):
    reports = run_werkvloer(project)
    register = csv_of(reports / "tables" / "werkvloer" / "reproductie.csv").set_index("id")
    assert register.loc["werk-02", "verwacht"] == "" and register.loc["h4-10", "verwacht"] == ""
    assert register.loc["h4-10", "herberekend"] == "" and register.loc["h4-12", "verwacht"] == "252"
    # the quotation also names the vmbo interns, a claim of their own or not
    assert register.loc["werk-02", "citaat"] == (
        "[<10] stagiaires hadden een HBO-achtergrond, [<10] een MBO-achtergrond en [<10] een VMBO-achtergrond.")
    assert register.loc["h4-10", "citaat"] == (
        "Aandeel jongeren in het personeelsbestand neemt toe [<10]/252 werknemers ([×]) in 2017")
    assert "[<10] van de 252" in register.loc["h4-10", "toelichting"]
    assert "'[<10]'" in register.loc["werk-02", "toelichting"]
    monitor = csv_of(reports / "tables" / "monitor" / "monitor.csv")
    assert monitor.loc[0, "indicator"] == "aandeel_jongeren_personeel" and monitor.loc[0, "basis_waarde"] == ""
    summary = contract.read_summary(reports / "tables" / "monitor" / "kerncijfers.json")
    assert SuppressedCell(0, "basis_waarde", "×") in summary.tables[0].suppressed


def test_the_notebook_shows_the_table_as_written(project):
    from analyse.theme import Thema

    theme = Thema("werkvloer", data_dir=project / "data", output_dir=project / "reports", vergelijk_regios=[])
    shown_table = theme.overzicht().data
    young = shown_table[shown_table["Groep"] == "tot 29 jaar"].iloc[0]
    assert young["Waarde tot"] == "<10"
    html = theme.register().to_html()
    assert "vijf" not in html.lower() and "6/252" not in html and "[&lt;10]" in html


def test_the_run_wide_tables_keep_every_theme_s_hidden_cells(project):
    reports = run_werkvloer(project)
    dataset = data.load(project / "data")
    records = {r.name: r for r in pipeline.collect(reports, Gate.of(dataset, 10))}
    register = csv_of(reports / "reproductie.csv")
    hidden = {(c.row, c.column) for c in records["reproductie"].suppressed}
    rows = dict(zip(register["id"], register.index))
    assert {(rows["werk-02"], "verwacht"), (rows["h4-10"], "verwacht"), (rows["h4-10"], "berekend")} <= hidden
    assert records["monitor"].suppressed == (SuppressedCell(0, "basis_waarde", "×"),)
    assert any("[<10] of [×] in een tekst" in note for note in records["reproductie"].notes)
    assert csv_of(reports / "monitor.csv").loc[0, "basis_waarde"] == ""


def test_the_run_wide_tables_place_a_later_theme_s_cells_on_their_own_rows(tmp_path):
    # two themes' registers, the second with a hidden cell in its first row: row 2 of the whole table (the old
    # collect dropped every mark)
    columns = (contract.Column("id", "Nr."), contract.Column("verwacht", "Volgens document"))
    for theme, rows, cells in (("demografie", [["d-1", "3.6"], ["d-2", "26.9"]], ()),
                               ("werkvloer", [["w-1", ""], ["w-2", "75"]], (SuppressedCell(0, "verwacht", "<10"),))):
        folder = tmp_path / "tables" / theme
        folder.mkdir(parents=True)
        pd.DataFrame(rows, columns=["id", "verwacht"]).to_csv(folder / "reproductie.csv", index=False)
        record = contract.TableRecord("reproductie", f"tables/{theme}/reproductie.csv", "Register", "Bron", columns,
                                      suppressed=cells)
        summary = contract.ThemeSummary(theme, theme, "", contract.Parameters("Maassluis", (), 2009, 2018), (), (),
                                        (), (record,), None, (), ())
        (folder / contract.SUMMARY_FILE).write_text(contract.to_json(summary), encoding="utf-8")
    record = next(r for r in pipeline.collect(tmp_path) if r.name == "reproductie")
    assert record.suppressed == (SuppressedCell(2, "verwacht", "<10"),)


# --------------------------------------------------------------------------- the check over a reports folder

def write_manifest(reports: Path, records=()) -> None:
    manifest = {"settings": {"small_count": 10}, "tables": [dataclasses.asdict(r) for r in records]}
    (reports / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_the_check_finds_small_numbers_wherever_a_file_shows_them(project):
    dataset = data.load(project / "data")
    reports = project / "leaky"
    (reports / "tables" / "werkvloer").mkdir(parents=True)
    write_manifest(reports)
    (reports / "tables" / "werkvloer" / "overzicht.csv").write_text(
        "indicator,label,regio,groep,eenheid,jaar_tot,waarde_tot,teller_tot,noemer_tot\n"
        "personeel_gemeente,Medewerkers van de gemeente,Maassluis,tot 29 jaar,aantal,2017,,6.0,252.0\n",
        encoding="utf-8")
    (reports / "index.html").write_text(
        f"<html><body><table><tr><th>Nr.</th><th>Citaat</th></tr><tr><td>werk-02</td><td>{QUOTE_INTERNS}</td>"
        "</tr></table><p>In 2017 werkten 6 jongeren tot 29 jaar bij Maassluis.</p></body></html>", encoding="utf-8")
    (reports / "monitor.csv").write_text("indicator,regio,groep,groep_label,basis_waarde,basis_jaar\n"
                                         "aandeel_jongeren_personeel,Maassluis,leeftijd_tot_29,tot 29 jaar,2.4,2017\n",
                                         encoding="utf-8")
    found = leaks(reports, dataset)
    assert any(line.startswith("tables/werkvloer/overzicht.csv, rij 2, kolom teller_tot: '6.0'") for line in found)
    assert any("index.html" in line and "'Vijf'" in line for line in found), found
    assert any("index.html" in line and "'6'" in line and "tot 29 jaar" in line for line in found), found
    assert any(line.startswith("monitor.csv, rij 2, kolom basis_waarde: '2.4'") for line in found), found


def test_the_check_finds_nothing_in_what_the_gate_lets_through(project):
    reports = run_werkvloer(project)
    dataset = data.load(project / "data")
    records = pipeline.collect(reports, Gate.of(dataset, 10))
    write_manifest(reports, records)
    assert leaks(reports, dataset) == []


def test_the_check_knows_the_secrets_of_the_data_and_the_register(project):
    found = {(s.anchors, s.value) for s in secrets(data.load(project / "data"), 10)}
    assert ((("Maassluis",), ("leeftijd_tot_29", "tot 29 jaar"), ("2017",)), 6.0) in found
    assert ((("werk-02",),), 5.0) in found and ((("h4-10",),), 2.4) in found
    assert ((("Maassluis",), ("leeftijd_tot_29", "tot 29 jaar"), ("2017",)), 2.4) in found  # the recomputed share
    assert shows("acht stagiaires", next(s for s in secrets(data.load(project / "data"), 10) if s.value == 8)) == "acht"


# --------------------------------------------------------------------------- the shipped run

def test_no_small_number_in_any_file_of_the_shipped_run(shipped_run):
    assert shipped_run.returncode == 0, shipped_run.output
    dataset = data.load(shipped_run.root / "data")
    assert leaks(shipped_run.reports, dataset) == []


def test_the_shipped_run_hides_the_young_staff_and_the_interns(shipped_run):
    reports = shipped_run.reports
    overview = csv_of(reports / "tables" / "werkvloer" / "overzicht.csv")
    young = overview[overview["groep"] == "tot 29 jaar"].iloc[0]
    assert (young["waarde_tot"], young["teller_tot"]) == ("", "")
    register = csv_of(reports / "reproductie.csv").set_index("id")
    assert (register.loc[["werk-02", "werk-03", "werk-04", "h4-10", "h4-11"], "verwacht"] == "").all()
    assert "vijf" not in register.loc["werk-02", "citaat"] and "[<10]" in register.loc["werk-02", "citaat"]
    monitor = csv_of(reports / "monitor.csv")
    assert (monitor.loc[monitor["indicator"] == "aandeel_jongeren_personeel", "basis_waarde"] == "").all()
