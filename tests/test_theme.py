"""The notebook API (theme.Thema) on a small fixture with known numbers (no kernel needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from analyse import contract, data
from analyse.text.label_texts import lower_first, title
from analyse.theme import Thema
from conftest import OBSERVATIONS, make_raw

EXTRA = (
    "aandeel_herkomst,Nederland,migratieachtergrond,2018,22.6,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,nederlands,2009,76.7,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,nederlands,2013,75.0,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,nederlands,2018,73.1,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,migratieachtergrond,2013,25.0,procent,toets,,,,,\n"
)


def build(tmp_path, observations: str = OBSERVATIONS + EXTRA, reeksen: str = "", groups: str = "",
          regions: str = "") -> None:
    raw = make_raw(tmp_path / "data" / "raw", observations)
    with (raw / "regios.csv").open("a", encoding="utf-8") as file:
        file.write(regions)
    with (raw / "groepen.csv").open("a", encoding="utf-8") as file:
        file.write("nederlands,herkomst,Nederlandse achtergrond,\n" + groups)
    if reeksen:
        with (raw / "reeksen.csv").open("a", encoding="utf-8") as file:
            file.write(reeksen)
    data.build_processed(raw, tmp_path / "data" / "processed")


def open_theme(tmp_path, **parameters) -> Thema:
    parameters.setdefault("vergelijk_regios", [])  # None would be the settings' comparisons (Nederland)
    return Thema("demografie", data_dir=tmp_path / "data", output_dir=tmp_path / "reports", **parameters)


@pytest.fixture
def theme(tmp_path):
    build(tmp_path)
    return open_theme(tmp_path, vergelijk_regios=["Nederland"])


def test_key_messages_from_known_numbers(theme):
    assert theme.kernboodschap("inwoners", onderwerp="de bevolking", eenheid_woord="inwoners") == (
        "In 2018 heeft Maassluis 32.518 inwoners. Dat is 3,6% meer dan in 2009 (31.390); met 2 metingen is niet "
        "te zeggen of dit een trend is.")
    assert theme.kernboodschap("aandeel_herkomst", groep="migratieachtergrond",
                               onderwerp="het aandeel inwoners met een migratieachtergrond") == (
        "In 2018 is het aandeel inwoners met een migratieachtergrond in Maassluis 26,9%: hoger dan in Nederland "
        "(22,6%). Dat is 3,6 procentpunt meer dan in 2009 (23,3%); over 2009-2018 (3 jaren met gegevens) stijgt dit "
        "gemiddeld met 0,4 procentpunt per jaar (95%-interval 0,2 tot 0,6; indicatief: weinig meetpunten).")


MARGINAL = "".join(f"aandeel_herkomst,Maassluis,migratieachtergrond,{year},{value},procent,toets,,,,,\n"
                   for year, value in ((2011, 24.9), (2013, 24.3), (2015, 25.6)))  # with 2009 and 2018: p = 0,020
FLAT = "".join(f"aandeel_herkomst,Maassluis,g{k},{year},{30 + ((k * 7 + i * 3) % 5) * 0.4:.1f},procent,toets,,,,,\n"
               for k in range(10) for i, year in enumerate((2009, 2011, 2013, 2015, 2018)))  # ten flat series, p >= 0,34
FLAT_GROUPS = "".join(f"g{k},herkomst,Groep {k},\n" for k in range(10))


def test_many_trend_tests_in_a_theme_are_corrected_for_the_false_discovery_rate(tmp_path):
    """One rising series (p = 0,020, interval above 0) among ten flat ones: with eleven tests in the theme the
    Benjamini-Hochberg correction does not confirm it, so neither the trend table nor the key message calls it a
    rise (the old code said 'de stijging is statistisch zeker')."""
    build(tmp_path, OBSERVATIONS + MARGINAL + FLAT, groups=FLAT_GROUPS)
    theme = open_theme(tmp_path)
    theme.trends()
    table = pd.read_csv(theme.out.table_dir / "trends.csv")
    row = table[(table["indicator"] == "aandeel_herkomst") & (table["groep"] == "migratieachtergrond")].iloc[0]
    assert row["p_waarde"] == pytest.approx(0.0202, abs=1e-4) and row["helling_ondergrens"] > 0
    assert row["fdr_toetsen"] == 11 and not row["fdr_aantoonbaar"]
    assert row["p_fdr"] == pytest.approx(11 * row["p_waarde"])  # the smallest of eleven p-values: times 11
    assert "geen aantoonbare verandering" in row["zin"] and "stijgt" not in row["zin"]
    message = theme.kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert message.endswith("over 2009-2018 (5 jaren met gegevens) is er geen aantoonbare verandering: gemiddeld "
                            "0,4 procentpunt per jaar (95%-interval 0,1 tot 0,6; dat interval sluit 0 uit, maar bij "
                            "11 trendtoetsen in dit thema houdt dat na correctie voor meervoudig toetsen met een "
                            "false discovery rate van 5% geen stand).")
    assert "zeker" not in message
    alone = tmp_path / "alleen"  # the same series without the ten others: one test, and the rise stands
    build(alone, OBSERVATIONS + MARGINAL)
    message = open_theme(alone).kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert "stijgt dit gemiddeld met 0,4 procentpunt per jaar (95%-interval 0,1 tot 0,6)" in message


def test_a_window_changes_the_sentences(tmp_path, theme):
    later = open_theme(tmp_path, start_jaar=2013)
    sentence = later.kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert "In 2018 is het aandeel in Maassluis 26,9%. Dat is 1,9 procentpunt meer dan in 2013 (25%)" in sentence


def test_a_single_measurement_gives_its_level_and_never_says_what_was_not_measured(tmp_path):
    build(tmp_path, OBSERVATIONS + "vve_deelname,Maassluis,totaal,2017,79,procent,toets,,,,,\n")
    theme = Thema("onderwijs", data_dir=tmp_path / "data", output_dir=tmp_path / "reports")
    assert theme.kernboodschap("vve_deelname", onderwerp="de deelname aan VVE") == (
        "In 2017 is de deelname aan VVE in Maassluis 79%.")


def test_group_gap_is_saved_and_phrased(theme):
    shown = theme.groepsverschil("aandeel_herkomst", "nederlands", "migratieachtergrond", onderwerp="het aandeel")
    assert list(shown.data["Verschil"]) == ["53,4 procentpunt", "50 procentpunt", "46,2 procentpunt"]
    message = theme.out.messages[-1]
    assert message.startswith("Het verschil in het aandeel tussen Nederlandse achtergrond en migratieachtergrond")
    assert (theme.out.table_dir / "verschil_aandeel_herkomst_nederlands_migratieachtergrond.csv").exists()


def test_the_summary_follows_the_contract_and_names_the_window(theme):
    theme.figuur("aandeel_herkomst", groepen=["nederlands", "migratieachtergrond"])
    theme.kernboodschap("inwoners", onderwerp="de bevolking", eenheid_woord="inwoners")
    theme.opslaan()
    saved = contract.read_summary(theme.out.table_dir / "kerncijfers.json")
    assert saved.parameters == contract.Parameters("Maassluis", ("Nederland",), 2009, 2018)
    assert saved.key_figures[0].text == "32.518" and saved.key_figures[0].source.startswith("Bron: Testuitgever")
    assert saved.figures[0].in_note and saved.figures[0].main
    assert (theme.context.output_dir / saved.figures[0].png).exists()


def test_unchanged_figures_are_not_drawn_again(tmp_path, theme):
    theme.figuur("inwoners")
    png = theme.out.figure_dir / "inwoners_maassluis_per_groep.png"
    theme.opslaan()
    stamp = png.stat().st_mtime_ns
    again = open_theme(tmp_path, vergelijk_regios=["Nederland"])
    again.figuur("inwoners")
    assert png.stat().st_mtime_ns == stamp
    again.figuur("inwoners", titel="Een andere titel")
    assert png.stat().st_mtime_ns != stamp


def test_titles_and_group_words():
    assert title("Werkloosheid (%)", "Totaal", "2017") == "Werkloosheid (%), 2017"
    assert title("Medewerkers van de gemeente Maassluis", "Maassluis", "2017") == (
        "Medewerkers van de gemeente Maassluis, 2017")
    assert [lower_first(x) for x in ("Marokkaanse achtergrond", "Niet-westerse migratieachtergrond",
                                           "Surinaamse achtergrond")] == [
        "Marokkaanse achtergrond", "niet-westerse migratieachtergrond", "Surinaamse achtergrond"]


def test_unknown_region_and_a_year_without_data_are_refused(tmp_path, theme):
    with pytest.raises(data.ParameterError, match=r"regio 'Delft' staat niet in data/raw/regios.csv"):
        open_theme(tmp_path, regio="Delft")
    with pytest.raises(data.ParameterError, match=r"regio 'Maasluis' .*; bedoelt u 'Maassluis'\?"):
        open_theme(tmp_path, regio="Maasluis")  # a typo gets the name it probably meant
    with pytest.raises(data.ParameterError, match=r"eind_jaar 2030 staat niet in de data voor Maassluis; "
                                                  r"jaren met gegevens: 2009, 2013, 2018"):
        open_theme(tmp_path, eind_jaar=2030)
    with pytest.raises(data.ParameterError, match="vergelijk_regios moet een lijst"):
        open_theme(tmp_path, vergelijk_regios="Nederland")


def test_a_warning_is_shown_escaped_and_kept_for_the_reports(theme):
    shown = theme.waarschuw("Kleine groep <script>.")
    assert "&lt;script&gt;" in shown._repr_html_() and theme.out.warnings[-1] == "Kleine groep <script>."


def test_the_default_window_ends_at_the_newest_year_of_any_series_in_scope(tmp_path):
    build(tmp_path, OBSERVATIONS + EXTRA + "aandeel_herkomst,Nederland,migratieachtergrond,2022,26.2,procent,toets,,,,,\n")
    theme = open_theme(tmp_path, vergelijk_regios=["Nederland"])
    assert (theme.context.start_year, theme.context.end_year) == (2009, 2022)


def test_a_comparison_is_in_one_year_and_one_reeks_in_figure_and_sentence(tmp_path):
    """Issue 24.1: Nederland's 2022 figure is never set against Maassluis' 2018; 2018 against 2018 is."""
    build(tmp_path, OBSERVATIONS + EXTRA + "aandeel_herkomst,Nederland,migratieachtergrond,2022,26.2,procent,toets,,,,,\n")
    theme = open_theme(tmp_path, vergelijk_regios=["Nederland"])
    figure = theme.vergelijking("aandeel_herkomst", groep="migratieachtergrond")
    assert "2018" in figure.record.title and "Nederland 22,6%" in figure.record.alt and "26,2" not in figure.record.alt
    sentence = theme.kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert sentence.startswith("In 2018 is het aandeel in Maassluis 26,9%: hoger dan in Nederland (22,6%).")
    key = theme.out.key_figures[-1]
    assert key.comparison_year == 2018 and [(b.region, b.year) for b in key.benchmarks] == [("Nederland", 2018)]


def test_a_region_without_the_year_is_named_not_compared_with_another_year(tmp_path):
    build(tmp_path, OBSERVATIONS + EXTRA.replace("Nederland,migratieachtergrond,2018,22.6",
                                                 "Nederland,migratieachtergrond,2013,20.1")
          + "aandeel_herkomst,Rotterdam,migratieachtergrond,2018,51.0,procent,toets,,,,,\n",
          regions="Rotterdam,GM0599,gemeente,Rotterdam,\n")
    theme = open_theme(tmp_path, vergelijk_regios=["Rotterdam", "Nederland"])
    sentence = theme.kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert sentence.startswith("In 2018 is het aandeel in Maassluis 26,9%: lager dan in Rotterdam (51%). Dat is ")
    assert sentence.endswith(" Voor 2018 is er geen vergelijkbaar cijfer van Nederland.")
    figure = theme.vergelijking("aandeel_herkomst", groep="migratieachtergrond")
    assert "Geen vergelijkbaar cijfer voor 2018: Nederland" in figure.record.guidance
    assert "20,1" not in figure.record.alt


def test_a_newer_own_year_keeps_its_level_and_compares_in_the_last_comparable_year(tmp_path):
    build(tmp_path, OBSERVATIONS + EXTRA + "aandeel_herkomst,Maassluis,migratieachtergrond,2022,29.5,procent,toets,,,,,\n")
    theme = open_theme(tmp_path, vergelijk_regios=["Nederland"])
    sentence = theme.kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert sentence.startswith("In 2022 is het aandeel in Maassluis 29,5%. Dat is 6,2 procentpunt meer dan in 2009")
    assert sentence.endswith(" In 2018, het laatste jaar met vergelijkbare cijfers, was dat 26,9%: hoger dan in "
                             "Nederland (22,6%).")  # after the change, which is about the level of 2022
    key = theme.out.key_figures[-1]
    assert (key.year, key.comparison_year, key.comparison_text) == (2022, 2018, "26,9%")


BREAK_REEKSEN = ("halt_oud,Halt oud,Halt,per 10.000 jongeren van 12-17 jaar,\n"
                 "halt_nieuw,Halt nieuw,Halt,per 10.000 jongeren van 12-18 jaar,halt_oud\n")
BREAK = "".join(f"inwoners,Maassluis,totaal,{year},{value},aantal,toets,{reeks},,,,,\n" for year, value, reeks in (
    (2010, 31000, "halt_oud"), (2011, 31100, "halt_oud"), (2012, 31200, "halt_oud"), (2013, 31300, "halt_oud"),
    (2014, 31400, "halt_oud"), (2015, 31900, "halt_nieuw"), (2016, 32000, "halt_nieuw")))


def test_a_definition_break_stops_the_trend_and_the_figure_marks_it(tmp_path):
    header = OBSERVATIONS.splitlines()[0].replace("bron,", "bron,reeks,")
    rows = "\n".join(line.replace(",toets,", ",toets,,") for line in OBSERVATIONS.splitlines()[1:]
                     if not line.startswith("inwoners"))
    build(tmp_path, header + "\n" + rows + "\n" + BREAK, reeksen=BREAK_REEKSEN)
    theme = open_theme(tmp_path)
    shown = theme.trends()
    trends = pd.read_csv(theme.out.table_dir / "trends.csv")
    old = trends[(trends["indicator"] == "inwoners") & (trends["reeks"] == "halt_oud")].iloc[0]
    new = trends[(trends["indicator"] == "inwoners") & (trends["reeks"] == "halt_nieuw")].iloc[0]
    assert (old["n_jaren"], old["eerste_jaar"], old["laatste_jaar"]) == (5, 2010, 2014)
    assert (new["n_jaren"], new["gekozen"]) == (2, True) and new["methode"] == "geen"  # no trend across the break
    figure = theme.figuur("inwoners", groepen=["totaal"])
    assert "breuk in de reeks" in figure.record.guidance and "breuk in de reeks" in figure.record.alt
    message = theme.kernboodschap("inwoners", onderwerp="de bevolking", eenheid_woord="inwoners")
    assert "Dat is 0,3% meer dan in 2015 (31.900)" in message and "in 2015 van definitie veranderd" in message
    assert shown is not None


def test_a_wijk_is_compared_with_its_municipality_by_default(tmp_path):
    build(tmp_path, OBSERVATIONS + EXTRA + "aandeel_herkomst,Wijk 01,migratieachtergrond,2018,30.0,procent,toets,,,,,\n",
          regions="Wijk 01,WK055601,wijk,Wijk 01 (Maassluis),\n")
    raw = tmp_path / "data" / "raw"
    (raw / "regios.csv").write_text("regio,code,niveau,ligt_in,label,opmerking\nMaassluis,GM0556,gemeente,,Maassluis,\n"
                                    "Nederland,NL01,land,,Nederland,\nWijk 01,WK055601,wijk,Maassluis,Wijk 01,\n",
                                    encoding="utf-8")
    data.build_processed(raw, tmp_path / "data" / "processed")
    theme = Thema("demografie", regio="Wijk 01", data_dir=tmp_path / "data", output_dir=tmp_path / "reports")
    assert theme.context.comparison_regions == ("Maassluis", "Nederland")
    sentence = theme.kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert sentence.startswith("In 2018 is het aandeel in Wijk 01 30%: hoger dan in Maassluis (26,9%) en Nederland "
                               "(22,6%).")


@pytest.mark.slow
def test_a_wijk_of_one_buurt_gets_no_dissimilarity_index(tmp_path):
    # Wijk 01 Taanschuurpolder has one buurt: a dissimilarity index over one buurt is 0 by construction
    from conftest import ROOT

    from analyse.theme import Thema

    theme = Thema("demografie", regio="Wijk 01 Taanschuurpolder", niveau="wijk", data_dir=ROOT / "data",
                  output_dir=tmp_path)
    [shown] = theme.segregatie()
    assert "cijfers over één buurt" in shown.plain and "niet te berekenen" in shown.plain
    assert not any(record.name == "segregatie" for record in theme.out.tables)


def test_figures_show_the_decimals_of_the_catalogue_as_the_sentences_do(tmp_path):
    """A tile or bar said 1,73% where the key message said 1,7% (the catalogue's decimalen 1)."""
    raw = make_raw(tmp_path / "data" / "raw", OBSERVATIONS.replace("2018,26.9", "2018,1.73")
                   + "aandeel_herkomst,Nederland,migratieachtergrond,2018,2.04,procent,toets,,,,,\n")
    catalogue = raw / "indicatoren.csv"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    decimals = {"inwoners": "0", "aandeel_herkomst": "1", "vve_deelname": ""}
    catalogue.write_text("\n".join([lines[0] + ",decimalen", *(f"{line},{decimals[line.split(',')[0]]}"
                                                               for line in lines[1:])]) + "\n", encoding="utf-8")
    data.build_processed(raw, tmp_path / "data" / "processed")
    theme = open_theme(tmp_path, vergelijk_regios=["Nederland"])
    sentence = theme.kernboodschap("aandeel_herkomst", groep="migratieachtergrond", onderwerp="het aandeel")
    assert sentence.startswith("In 2018 is het aandeel in Maassluis 1,7%: lager dan in Nederland (2,0%).")
    tile = theme.figuur("aandeel_herkomst", groepen=["migratieachtergrond"])
    assert tile.record.kind == "tegel"
    assert "1,7% in 2018" in tile.record.alt and "Nederland: 2,0% (2018)" in tile.record.alt
    assert "1,73" not in tile.record.alt and "2,04" not in tile.record.alt
    bars = theme.vergelijking("aandeel_herkomst", groep="migratieachtergrond")
    assert bars.record.kind == "staaf" and "Maassluis 1,7%" in bars.record.alt and "Nederland 2,0%" in bars.record.alt
