"""Theme-level behaviour on a small fixture with known numbers (no kernel needed)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analyse import data
from analyse.theme import Theme, _lower_first, _title
from conftest import OBSERVATIONS, make_raw

EXTRA = (
    "aandeel_herkomst,Nederland,migratieachtergrond,2018,22.6,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,nederlands,2009,76.7,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,nederlands,2013,75.0,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,nederlands,2018,73.1,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,migratieachtergrond,2013,25.0,procent,toets,,,,,\n"
)


@pytest.fixture
def theme(tmp_path):
    raw = make_raw(tmp_path / "data" / "raw", OBSERVATIONS + EXTRA)
    with (raw / "groepen.csv").open("a", encoding="utf-8") as groups:
        groups.write("nederlands,herkomst,Nederlandse achtergrond,\n")
    data.build_processed(raw, tmp_path / "data" / "processed")
    return Theme("demografie", vergelijk_regios=["Nederland"], data_dir=tmp_path / "data",
                 output_dir=tmp_path / "reports")


def test_key_messages_from_known_numbers(theme):
    assert theme.zin_verandering("inwoners", onderwerp="De bevolking", eenheid_woord="inwoners") == (
        "De bevolking van Maassluis is gegroeid van 31.390 inwoners in 2009 naar 32.518 inwoners in 2018, "
        "een stijging van 3,6%.")
    assert theme.zin_verandering("aandeel_herkomst", groep="migratieachtergrond",
                                 onderwerp="Het aandeel inwoners met een migratieachtergrond") == (
        "Het aandeel inwoners met een migratieachtergrond in Maassluis is gestegen van 23,3% in 2009 naar 26,9% "
        "in 2018, een stijging van 3,6 procentpunt.")
    assert theme.zin_vergelijking("aandeel_herkomst", groep="migratieachtergrond", onderwerp="Het aandeel") == (
        "In 2018 ligt het aandeel in Maassluis (26,9%) hoger dan in Nederland (22,6%).")


def test_a_window_changes_the_sentences(tmp_path, theme):
    later = Theme("demografie", start_jaar=2013, data_dir=tmp_path / "data", output_dir=tmp_path / "reports")
    sentence = later.zin_verandering("aandeel_herkomst", groep="migratieachtergrond", onderwerp="Het aandeel")
    assert "van 25% in 2013 naar 26,9% in 2018, een stijging van 1,9 procentpunt" in sentence


def test_single_year_says_why_there_is_no_change(tmp_path, theme):
    sentence = theme.zin_verandering("vve_deelname", onderwerp="De deelname aan VVE")
    assert sentence == "De deelname aan VVE (Maassluis): in 2009-2018 geen metingen, dus geen verandering te berekenen."


def test_group_gap_narrows_and_is_saved(theme):
    shown = theme.groepsverschil("aandeel_herkomst", "nederlands", "migratieachtergrond", onderwerp="het aandeel")
    gaps = shown.data
    assert list(gaps["Verschil"].round(1)) == [53.4, 50.0, 46.2]
    message = theme.messages[-1]
    assert message.startswith("Het verschil in het aandeel tussen Nederlandse achtergrond en migratieachtergrond")
    assert "(2009-2018, 3 jaren" in message and "indicatief" in message
    assert (theme.table_dir / "verschil_aandeel_herkomst_nederlands_migratieachtergrond.csv").exists()


def test_saved_key_figures_describe_the_window(theme):
    theme.trends()
    theme.figuur("aandeel_herkomst", groepen=["nederlands", "migratieachtergrond"])
    theme.zin_verandering("inwoners", onderwerp="De bevolking", eenheid_woord="inwoners")
    theme.opslaan()
    saved = json.loads((theme.table_dir / "kerncijfers.json").read_text(encoding="utf-8"))
    assert saved["parameters"] == {"regio": "Maassluis", "vergelijk_regios": ["Nederland"], "start_jaar": 2009,
                                   "eind_jaar": 2018}
    assert saved["kerncijfers"][0]["tekst"] == "32.518" and saved["figuren"][0]["nota"] is True
    assert (theme.output_dir / saved["figuren"][0]["png"]).exists()


def test_unchanged_figures_are_not_drawn_again(tmp_path, theme):
    theme.figuur("inwoners")
    png = theme.figure_dir / "inwoners_maassluis_per_groep.png"
    theme.opslaan()
    stamp = png.stat().st_mtime_ns
    again = Theme("demografie", vergelijk_regios=["Nederland"], data_dir=tmp_path / "data",
                  output_dir=tmp_path / "reports")
    again.figuur("inwoners")
    assert png.stat().st_mtime_ns == stamp
    again.figuur("inwoners", titel="Een andere titel")
    assert png.stat().st_mtime_ns != stamp


def test_titles_and_group_words():
    assert _title("Werkloosheid (%)", "Totaal", "2017") == "Werkloosheid (%), 2017"
    assert _title("Medewerkers van de gemeente Maassluis", "Maassluis", "2017") == (
        "Medewerkers van de gemeente Maassluis, 2017")
    assert [_lower_first(x) for x in ("Marokkaanse achtergrond", "Niet-westerse migratieachtergrond",
                                       "Surinaamse achtergrond")] == [
        "Marokkaanse achtergrond", "niet-westerse migratieachtergrond", "Surinaamse achtergrond"]


def test_unknown_region_is_refused(tmp_path, theme):
    with pytest.raises(data.ParameterError, match="regio 'Delft' komt niet voor"):
        Theme("demografie", regio="Delft", data_dir=tmp_path / "data", output_dir=tmp_path / "reports")


def test_a_year_without_data_is_refused_in_a_notebook_as_in_analyse_run(tmp_path, theme):
    with pytest.raises(data.ParameterError, match=r"eind_jaar 2030 staat niet in de data voor Maassluis; "
                                                  r"jaren met gegevens: 2009, 2013, 2018"):
        Theme("demografie", eind_jaar=2030, data_dir=tmp_path / "data", output_dir=tmp_path / "reports")


def test_a_warning_is_shown_and_kept_for_the_reports(theme):
    shown = theme.waarschuw("Kleine groep.")
    assert shown.data == "**Let op.** Kleine groep." and theme.warnings[-1] == "Kleine groep."
