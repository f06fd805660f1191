"""The series model: reeks apart from bron, editions that chain, revisions, definition breaks, derived shares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analyse import data, series
from conftest import CATALOGUES

HEADER = "indicator,regio,groep,jaar,waarde,eenheid,bron,reeks,periode,teller,noemer,vindplaats,opmerking"
SOURCES = ("bron,naam,uitgever,producent,soort,datum,adres,licentie\n"
           "begroting_2019,Begroting 2019,Gemeente Maassluis,Gemeente Maassluis,primair,2018-11,,\n"
           "begroting_2023,Begroting 2023,Gemeente Maassluis,Gemeente Maassluis,primair,2022-11,,\n"
           "nieuws,Nieuwsbericht,Krant,CBS,secundair,,,\n"
           "zonder_datum,Zonder datum,Iemand,Iemand,primair,,,\n")
REEKSEN = ("reeks,naam,producent,definitie,vervolg_van\n"
           "cbs_bevolking,Bevolking op 1 januari,CBS,Inwoners op 1 januari,\n"
           "halt_oud,Halt oud,Halt,Per 10.000 jongeren van 12-17 jaar,\n"
           "halt_nieuw,Halt nieuw,Halt,Per 10.000 jongeren van 12-18 jaar,halt_oud\n")
INDICATORS = ("indicator,thema,label,eenheid,richting,afgeleid_teller,afgeleid_noemer,afgeleid_noemer_groep\n"
              "inwoners,demografie,Inwoners,aantal,neutraal,,,\n"
              "aantal_herkomst,demografie,Inwoners naar herkomst,aantal,neutraal,,,\n"
              "aandeel_herkomst,demografie,Inwoners naar herkomst (%),procent,neutraal,aantal_herkomst,inwoners,totaal\n"
              "halt,criminaliteit,Halt per 10.000,per_10000,lager_beter,,,\n")
GROUPS = ("groep,soort,label,indeling\ntotaal,totaal,Totaal,\n"
          "migratieachtergrond,herkomst,Migratieachtergrond,migratieachtergrond\n"
          "herkomst_europa,herkomst,Europa,herkomstland\n")


def raw(tmp_path: Path, rows: list[str], **catalogues: str) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    files = {**CATALOGUES, "bronnen.csv": SOURCES, "reeksen.csv": REEKSEN, "indicatoren.csv": INDICATORS,
             "groepen.csv": GROUPS, "beweringen.csv": CATALOGUES["beweringen.csv"].splitlines()[0] + "\n",
             **{f"{k}.csv": v for k, v in catalogues.items()}}
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "waarnemingen.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return folder


def problems(folder: Path) -> list[data.Problem]:
    with pytest.raises(data.DataError) as caught:
        data.load_raw(folder)
    return caught.value.problems


POPULATION = [
    "inwoners,Maassluis,totaal,2017,32450,aantal,begroting_2019,cbs_bevolking,,,,,",
    "inwoners,Maassluis,totaal,2018,32518,aantal,begroting_2019,cbs_bevolking,,,,,",
    "inwoners,Maassluis,totaal,2022,34148,aantal,begroting_2023,cbs_bevolking,,,,,",
    "aantal_herkomst,Maassluis,migratieachtergrond,2022,10077,aantal,begroting_2023,cbs_bevolking,,,,,",
]


def test_yearly_editions_of_one_reeks_chain_into_one_series(tmp_path):
    obs = data.load_raw(raw(tmp_path, POPULATION)).observations
    chosen = series.choose(obs[obs["indicator"] == "inwoners"])
    assert chosen["jaar"].tolist() == [2017, 2018, 2022]
    assert set(chosen["bron"]) == {"begroting_2019", "begroting_2023"}
    assert set(chosen["reeks"]) == {"cbs_bevolking"}


def test_without_a_reeks_the_bron_is_the_reeks(tmp_path):
    rows = ["inwoners,Maassluis,totaal,2017,32450,aantal,begroting_2019,,,,,,",
            "inwoners,Maassluis,totaal,2022,34148,aantal,begroting_2023,,,,,,"]
    obs = data.load_raw(raw(tmp_path, rows)).observations
    assert obs["reeks"].tolist() == ["begroting_2019", "begroting_2023"]
    assert len(series.choose(obs)) == 1  # two publications, no declared statistic: no chain


def test_a_derived_share_for_a_new_year_comes_from_its_counts(tmp_path):
    obs = data.load_raw(raw(tmp_path, POPULATION)).observations
    share = obs[obs["indicator"] == "aandeel_herkomst"]
    assert len(share) == 1
    row = share.iloc[0]
    assert row["jaar"] == 2022 and row["afgeleid"]
    assert row["waarde"] == pytest.approx(10077 / 34148 * 100)
    assert (row["teller"], row["noemer"]) == (10077, 34148)
    assert row["reeks"] == "cbs_bevolking" and row["bron"] == "begroting_2023"
    assert "10.077 / 34.148" in row["opmerking"]


def test_a_published_share_keeps_its_value_and_gains_teller_and_noemer(tmp_path):
    rows = [*POPULATION, "aandeel_herkomst,Maassluis,migratieachtergrond,2022,29.5,procent,begroting_2023,"
                         "cbs_bevolking,,,,,"]
    obs = data.load_raw(raw(tmp_path, rows)).observations
    share = obs[obs["indicator"] == "aandeel_herkomst"]
    assert len(share) == 1 and share.iloc[0]["waarde"] == 29.5 and not share.iloc[0]["afgeleid"]
    assert (share.iloc[0]["teller"], share.iloc[0]["noemer"]) == (10077, 34148)


def test_a_revision_takes_the_newest_edition_and_keeps_the_old_value_visible(tmp_path):
    rows = [*POPULATION, "inwoners,Maassluis,totaal,2018,32521,aantal,begroting_2023,cbs_bevolking,,,,,"]
    obs = data.load_raw(raw(tmp_path, rows)).observations
    chosen = series.choose(obs[obs["indicator"] == "inwoners"])
    assert chosen.loc[chosen["jaar"] == 2018, "waarde"].tolist() == [32521]
    revised = series.revisions(obs)
    assert revised[["jaar", "waarde", "bron", "nieuwe_waarde", "nieuwe_bron"]].values.tolist() == [
        [2018, 32518.0, "begroting_2019", 32521.0, "begroting_2023"]]


def test_two_undated_editions_that_disagree_are_refused(tmp_path):
    rows = ["inwoners,Maassluis,totaal,2018,32518,aantal,begroting_2019,cbs_bevolking,,,,,",
            "inwoners,Maassluis,totaal,2018,32600,aantal,zonder_datum,cbs_bevolking,,,,,"]
    found = problems(raw(tmp_path, rows))
    assert len(found) == 1 and found[0].column == "waarde" and "datum" in found[0].expected


def test_choose_prefers_the_newest_year_then_more_years_then_a_primary_source():
    def rows(*spec):
        return pd.DataFrame([{"indicator": "x", "regio": "M", "groep": "totaal", "reeks": r, "bron": b, "jaar": y,
                              "waarde": 1.0, "vervangen_door": ""} for r, b, y in spec])

    newest = rows(("lang", "a", 2010), ("lang", "a", 2011), ("lang", "a", 2012), ("kort", "b", 2013))
    assert series.choose(newest)["reeks"].unique().tolist() == ["kort"]
    more = rows(("a", "a", 2012), ("a", "a", 2013), ("b", "b", 2013))
    assert series.choose(more)["reeks"].unique().tolist() == ["a"]
    graded = rows(("s", "nieuws", 2013), ("p", "cbs", 2013))
    assert series.choose(graded, {"nieuws": "secundair", "cbs": "primair"})["reeks"].unique().tolist() == ["p"]


def test_a_definition_break_links_the_old_reeks_without_merging_it(tmp_path):
    rows = ["halt,Maassluis,totaal,2014,40,per_10000,nieuws,halt_oud,,,,,",
            "halt,Maassluis,totaal,2015,45,per_10000,nieuws,halt_oud,,,,,",
            "halt,Maassluis,totaal,2016,30,per_10000,begroting_2019,halt_nieuw,,,,,",
            "halt,Maassluis,totaal,2017,32,per_10000,begroting_2019,halt_nieuw,,,,,"]
    dataset = data.load_raw(raw(tmp_path, rows))
    obs = dataset.observations
    chosen = series.choose(obs)
    assert chosen["reeks"].unique().tolist() == ["halt_nieuw"] and chosen["jaar"].tolist() == [2016, 2017]
    assert series.breaks("halt_nieuw", dataset.reeksen) == ["halt_oud"]
    drawn = series.with_predecessors(obs, chosen, dataset.reeksen)
    assert drawn[["jaar", "reeks"]].values.tolist() == [[2014, "halt_oud"], [2015, "halt_oud"],
                                                       [2016, "halt_nieuw"], [2017, "halt_nieuw"]]


def test_a_reeks_never_mixes_the_two_origin_classifications(tmp_path):
    rows = ["aantal_herkomst,Maassluis,migratieachtergrond,2021,100,aantal,begroting_2019,cbs_bevolking,,,,,",
            "aantal_herkomst,Maassluis,herkomst_europa,2022,50,aantal,begroting_2023,cbs_bevolking,,,,,"]
    found = problems(raw(tmp_path, rows))
    assert len(found) == 1 and found[0].column == "groep" and "herkomstindelingen" in found[0].expected


def test_unknown_reeks_and_a_cycle_of_successors_are_refused(tmp_path):
    reeksen = REEKSEN + "a,A,CBS,def,b\nb,B,CBS,def,a\n"
    found = problems(raw(tmp_path, ["inwoners,Maassluis,totaal,2018,1,aantal,nieuws,onbekend,,,,,"],
                         reeksen=reeksen))
    assert {(p.file.split("/")[-1], p.column) for p in found} == {
        ("waarnemingen.csv", "reeks"), ("reeksen.csv", "vervolg_van")}


def test_latest_gives_each_region_its_own_newest_year():
    frame = pd.DataFrame([
        {"indicator": "x", "regio": r, "groep": "totaal", "reeks": "s", "bron": "b", "jaar": y, "waarde": v,
         "vervangen_door": ""} for r, y, v in (("Maassluis", 2022, 5.0), ("Maassluis", 2023, 6.0),
                                                ("Vlaardingen", 2019, 9.0))])
    latest = series.latest(frame, "regio")
    assert latest[["regio", "jaar", "waarde"]].values.tolist() == [["Maassluis", 2023, 6.0],
                                                                  ["Vlaardingen", 2019, 9.0]]


SUMMED = ("groep,soort,label,indeling,som_van\ntotaal,totaal,Totaal,,\n"
          "migratieachtergrond,herkomst,Migratieachtergrond,migratieachtergrond,westers+niet_westers\n"
          "westers,herkomst,Westers,migratieachtergrond,\nniet_westers,herkomst,Niet-westers,migratieachtergrond,\n"
          "herkomst_europa,herkomst,Europa,herkomstland,\n")
PARTS = ["inwoners,Maassluis,totaal,2022,34148,aantal,begroting_2023,cbs_bevolking,,,,,",
         "aantal_herkomst,Maassluis,westers,2022,3172,aantal,begroting_2023,cbs_bevolking,,,,,",
         "aantal_herkomst,Maassluis,niet_westers,2022,6905,aantal,begroting_2023,cbs_bevolking,,,,,"]


def test_a_group_given_only_as_its_parts_is_summed_and_gets_its_share(tmp_path):
    obs = data.load_raw(raw(tmp_path, PARTS, groepen=SUMMED)).observations
    whole = obs[(obs["indicator"] == "aantal_herkomst") & (obs["groep"] == "migratieachtergrond")].iloc[0]
    assert whole["waarde"] == 10077 and whole["afgeleid"] and whole["reeks"] == "cbs_bevolking"
    assert whole["opmerking"] == "Berekend als som: 3.172 (Westers) + 6.905 (Niet-westers)."
    share = obs[(obs["indicator"] == "aandeel_herkomst") & (obs["groep"] == "migratieachtergrond")].iloc[0]
    assert share["waarde"] == pytest.approx(29.5098, abs=1e-4) and (share["teller"], share["noemer"]) == (10077, 34148)


def test_a_published_whole_is_not_replaced_and_a_missing_part_gives_no_sum(tmp_path):
    published = [*PARTS, "aantal_herkomst,Maassluis,migratieachtergrond,2022,10080,aantal,begroting_2023,cbs_bevolking,,,,,"]
    obs = data.load_raw(raw(tmp_path, published, groepen=SUMMED)).observations
    whole = obs[(obs["indicator"] == "aantal_herkomst") & (obs["groep"] == "migratieachtergrond")]
    assert whole["waarde"].tolist() == [10080] and not whole["afgeleid"].any()
    (tmp_path / "deel").mkdir()
    obs = data.load_raw(raw(tmp_path / "deel", PARTS[:2], groepen=SUMMED)).observations
    assert "migratieachtergrond" not in set(obs["groep"])


@pytest.mark.parametrize("som_van", ["westers", "westers+onbekend", "westers+herkomst_europa", "westers+westers",
                                     "migratieachtergrond+westers"])
def test_a_wrong_composition_is_refused(tmp_path, som_van):
    groups = SUMMED.replace("westers+niet_westers", som_van)
    found = problems(raw(tmp_path, PARTS, groepen=groups))
    assert [(p.file.split("/")[-1], p.row, p.column) for p in found] == [("groepen.csv", 3, "som_van")]


def test_validate_names_the_rows_no_report_shows(shipped_copy, monkeypatch, capsys):
    """Issue 13.4: rows outside every notebook's default regions are named, with the command that shows them.

    Every municipality (and its wijken and buurten) can be the subject of a run and is a peer of the
    municipalities of its size: its rows are never outside. A region of another kind is, unless a notebook
    compares with it."""
    from analyse.cli import main

    monkeypatch.setenv("ANALYSE_ROOT", str(shipped_copy))
    assert main(["validate"]) == 0
    before = capsys.readouterr().out
    # the shipped data: only the one Groot-Rijnmond unemployment figure sits outside every report
    assert before.count("in geen rapport") == 1
    assert "Thema 'arbeid_inkomen', Groot-Rijnmond: 1 rij staat in geen rapport" in before
    assert "-p \"vergelijk_regios=['Groot-Rijnmond']\"" in before
    # a notebook that compares with nothing by default: its Nederland rows are reported
    notebook = shipped_copy / "notebooks" / "demografie.ipynb"
    cell = '"vergelijk_regios = None '
    assert cell in notebook.read_text(encoding="utf-8")
    notebook.write_text(notebook.read_text(encoding="utf-8").replace(cell, '"vergelijk_regios = [] '), encoding="utf-8")
    assert main(["validate"]) == 0
    after = capsys.readouterr().out
    assert after.count("in geen rapport") == 2 and "Thema 'demografie', Nederland: " in after


def _rank_by_group_by(rows: pd.DataFrame, grades) -> list[str]:
    """The ranking as a pandas group-by states it (the reference for series.rank)."""
    rows = series.active(rows)
    if rows.empty:
        return []
    order = series.GRADE_ORDER
    grade = rows["bron"].map(lambda b: order.get(grades.get(b, ""), len(order))) if grades is not None else 0
    stats = rows.assign(_grade=grade).groupby("reeks").agg(
        newest=("jaar", "max"), years=("jaar", "nunique"), grade=("_grade", "min")).reset_index()
    stats = stats.sort_values(["newest", "years", "grade", "reeks"], ascending=[False, False, True, True])
    return list(stats["reeks"])


def test_rank_orders_reeksen_as_the_group_by_rule_does():
    import random

    generator = random.Random(17)
    grades = {"a": "primair", "b": "secundair", "c": "schatting", "d": "onbekend"}
    for _ in range(120):
        n = generator.randint(1, 12)
        rows = pd.DataFrame({
            "reeks": [generator.choice(["cbs", "gemeente", "oud", "nieuw", "", None]) for _ in range(n)],
            "jaar": [generator.choice([2009, 2012, 2015, 2017, 2018]) for _ in range(n)],
            "bron": [generator.choice(["a", "b", "c", "d", "x"]) for _ in range(n)],
            "vervangen_door": [generator.choice(["", "", "", "nieuwer"]) for _ in range(n)],
        })
        for table in (grades, None):
            assert series.rank(rows, table) == _rank_by_group_by(rows, table), rows


# --------------------------------------------------------------------------- primary before secondary (issue 24.2)

def _bronnen(*rows):
    return pd.DataFrame(rows, columns=["bron", "soort", "producent", "datum", "uitgever_gemeente"])


def test_the_producers_own_table_wins_over_a_newer_quote_of_it():
    """CBS's KWB 2018 has no date, the policy document of 2019-02 quotes the same CBS number: CBS counts."""
    obs = pd.DataFrame({"indicator": ["inwoners"] * 2, "regio": ["Maassluis"] * 2, "groep": ["totaal"] * 2,
                        "jaar": [2018, 2018], "waarde": [32518.0, 32521.0], "bron": ["cbs_kwb_2018", "beleidsvisie"],
                        "reeks": ["cbs_bevolking"] * 2})
    bronnen = _bronnen(("cbs_kwb_2018", "primair", "CBS", "", ""),
                       ("beleidsvisie", "primair", "Gemeente Maassluis", "2019-02", "GM0556"))
    reeksen = pd.DataFrame({"reeks": ["cbs_bevolking"], "producent": ["CBS"]})
    resolved = series.resolve(obs, bronnen, reeksen)
    assert resolved.set_index("bron")["vervangen_door"].to_dict() == {"cbs_kwb_2018": "", "beleidsvisie": "cbs_kwb_2018"}
    assert series.conflicting_editions(obs, bronnen, reeksen) == []  # ordered by grade: no conflict to refuse
    # without the reeks' producer the document counts as primary too, and the dates decide (the old rule)
    assert series.resolve(obs, bronnen).set_index("bron")["vervangen_door"]["cbs_kwb_2018"] == "beleidsvisie"


def test_a_report_never_publishes_an_uncitable_source_nor_another_municipalitys_quote():
    obs = pd.DataFrame({
        "indicator": ["x"] * 4, "regio": ["Nederland", "Maassluis", "Nederland", "Nederland"],
        "regio_code": ["NL01", "GM0556", "NL01", "NL01"], "groep": ["totaal"] * 4, "jaar": [2018] * 4,
        "waarde": [1.0, 2.0, 3.0, 4.0], "bron": ["jaarverslag", "jaarverslag", "blog", "cbs"]})
    bronnen = _bronnen(("jaarverslag", "primair", "Gemeente Maassluis", "2019", "GM0556"),
                       ("blog", "niet_citeerbaar", "onbekend", "", ""), ("cbs", "primair", "CBS", "", ""))
    kept, left = series.citable(obs, bronnen, "GM0556")  # Maassluis' own reports: its quote of Nederland counts
    assert list(kept["waarde"]) == [1.0, 2.0, 4.0] and list(left["bron"]) == ["blog"]
    kept, left = series.citable(obs, bronnen, "GM0606")  # Schiedam's: Maassluis' numbers about itself only
    assert list(kept["waarde"]) == [2.0, 4.0] and sorted(left["bron"]) == ["blog", "jaarverslag"]


def test_shipped_uncitable_sources_reach_no_report_of_another_municipality(shipped_dataset):
    publisher = "GM0606"  # Schiedam
    kept, left = series.citable(shipped_dataset.observations, shipped_dataset.bronnen, publisher)
    grades = dict(zip(shipped_dataset.bronnen["bron"], shipped_dataset.bronnen["soort"]))
    assert not any(grades[b] == "niet_citeerbaar" for b in kept["bron"])
    maassluis = shipped_dataset.bronnen.loc[shipped_dataset.bronnen["uitgever_gemeente"] == "GM0556", "bron"]
    quoted = kept[kept["bron"].isin(maassluis)]
    assert set(quoted["regio"]) <= {"Maassluis"} | set(
        shipped_dataset.regios.loc[shipped_dataset.regios["ligt_in"] != "", "regio"])  # only about Maassluis
    assert {"piglix_maassluis", "blog_biflatie"} <= set(left["bron"])


def test_a_row_after_the_end_of_its_reeks_is_refused_with_the_reeks_that_follows(tmp_path):
    """Issue 24.3: the Veiligheidsmonitor was redesigned in 2021; a 2023 figure in the old reeks would chain across
    the break, so it is refused and the new reeks named."""
    from conftest import ROOT, problems_in

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    with (raw / "gepubliceerd_cbs_longreads.csv").open("a", encoding="utf-8") as handle:
        handle.write("onveilig_algemeen,Nederland,leeftijd_15_plus,2023,30,procent,cbs_veiligheidsmonitor_2019,"
                     "cbs_veiligheidsmonitor,,,,,,,\n")
    (problem,) = [p for p in problems_in(raw) if p.column == "jaar"]
    assert "reeks 'cbs_veiligheidsmonitor' loopt tot en met 2019" in problem.expected
    assert "'cbs_veiligheidsmonitor_2021'" in problem.expected
    reeksen = pd.read_csv(ROOT / "data" / "raw" / "reeksen.csv", dtype=str, keep_default_na=False).set_index("reeks")
    assert reeksen.loc["cbs_veiligheidsmonitor_2021", "vervolg_van"] == "cbs_veiligheidsmonitor"
    assert series.breaks("cbs_veiligheidsmonitor_2021", reeksen.reset_index()) == ["cbs_veiligheidsmonitor"]
