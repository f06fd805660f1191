"""Tests for analyse.text.figure_texts (guidance for every figure kind, alt sentences) and the list and year
notation of analyse.text.notation that alt texts use."""

import pytest

from analyse.text.figure_texts import alt_sentence, figure_guidance, size_class_text
from analyse.text.notation import EN_DASH, join_words, value_text, year_range, years_text


def test_guidance_for_a_tile_says_what_the_number_is_and_whether_there_is_a_benchmark():
    with_benchmark = figure_guidance("tegel", per="regio", unit="procent", benchmark="Nederland")
    assert with_benchmark == ("Het grote getal is het laatste cijfer, met jaar en bron; voor een lijn zijn er te "
                              "weinig metingen. Rechts staan vergelijkingscijfers, elk met hun eigen jaar.")
    estimate = figure_guidance("tegel", per="groep", unit="aantal", estimates=("schatting",))
    assert "er is geen vergelijkingscijfer" in estimate.lower()
    assert "'ca.' betekent een schatting of verwachting, geen meting" in estimate


def test_guidance_for_a_hundred_percent_bar_and_small_multiples():
    bar = figure_guidance("gestapeld", per="groep", unit="procent", rest=True)
    assert bar == ("De balk is het geheel (100%); elk deel is het aandeel van één groep, met het percentage erbij. "
                   "Het laatste deel is berekend als de rest tot 100%.")
    panels = figure_guidance("kleine_veelvouden", per="groep", unit="procent", benchmark="de Nederlandse "
                             "achtergrond", trends=5, has_break=True, estimates=("voorlopig",))
    assert panels.startswith("Elk paneel is één groep, op dezelfde as")
    for part in ("de grijze lijn in elk paneel is de Nederlandse achtergrond", "95%-interval",
                 "breuk in de reeks", "een half gevulde stip is een voorlopig cijfer"):
        assert part.lower() in panels.lower()


def test_guidance_for_a_line_with_a_break_and_estimates():
    line = figure_guidance("lijn", per="regio", unit="per_10000", series=1, has_break=True,
                           estimates=("schatting", "voorlopig"))
    assert line.startswith("Elke stip is een meting;")
    assert "De stippellijn 'breuk in de reeks' markeert een nieuwe definitie" in line
    assert "een open stip is een schatting, geen meting en een half gevulde stip is een voorlopig cijfer" in line
    # unchanged for the old kinds without the new arguments
    assert figure_guidance("staaf", per="groep", unit="aantal", year=2018) == (
        "Elke staaf is de waarde van één groep in 2018; het getal staat erbij.")


def test_guidance_for_a_ranking_table():
    table = figure_guidance("rangorde", per="groep", unit="rang")
    assert table.startswith("Een rangorde met 1 bovenaan") and "gedeeld" in table
    with pytest.raises(ValueError, match="taart"):
        figure_guidance("taart", per="groep", unit="procent")


def test_alt_text_helpers():
    assert join_words(["a"]) == "a" and join_words(["a", "b", "c"]) == "a, b en c"
    assert join_words([]) == "" and join_words(["a", "", "b"]) == "a en b"  # an empty item is left out
    assert years_text([2017, 2016, 2016]) == "2016 en 2017"
    assert year_range(2009, 2018) == "2009-2018" and year_range(2018, 2018) == "2018"
    assert year_range(2009, 2018, dash=EN_DASH) == "2009–2018" and year_range(2018, 2018, dash=EN_DASH) == "2018"
    assert value_text(26.9, "procent") == "26,9%" and value_text(32518.0, "aantal") == "32.518"
    assert alt_sentence("Lijn van x, 2009-2018", ["van 1 naar 2"], ["2018 is voorlopig"]) == (
        "Lijn van x, 2009-2018: van 1 naar 2; 2018 is voorlopig.")
    assert alt_sentence("Kop") == "Kop."


def test_guidance_says_why_a_count_has_no_band():
    line = figure_guidance("lijn", per="groep", unit="aantal", series=1, trends=1, bands=False)
    assert "een telling is geen steekproef, dus er staat geen onzekerheidsband omheen" in line
    assert "hoe breder, hoe onzekerder" not in line
    panels = figure_guidance("kleine_veelvouden", per="groep", unit="aantal", trends=5, bands=False)
    assert "geen onzekerheidsband" in panels
    rate = figure_guidance("lijn", per="groep", unit="per_1000", series=1, trends=1, bands=True)
    assert "de band eromheen het 95%-interval" in rate


def test_guidance_for_bars_names_the_years_and_reference_lines_it_draws():
    text = figure_guidance("staaf", per="regio", unit="procent", series=5, year=2022,
                           other_years={"Nederland": 2018}, references=["Nederland (2018)"], highlight="Delft")
    assert text.startswith("Elke staaf is de waarde van één regio in 2022; het getal staat erbij. Delft is blauw; ")
    assert "het cijfer van Nederland is van 2018" in text  # not "one region in 2022" next to a 2018 value
    assert "de gestreepte verticale lijn is Nederland (2018), ter vergelijking" in text
    nested = figure_guidance("staaf", per="groep", unit="aantal", year=2018, nested=True, parts=True)
    assert nested.endswith("Een groep met 'waarvan' valt binnen de groep erboven; de lichte balk erachter is die "
                           "hele groep.")
    estimate = figure_guidance("gestapeld", per="groep", unit="procent", estimates=("schatting",))
    assert "gearceerd" in estimate and "stip" not in estimate  # a bar has no dots


def test_guidance_for_a_tile_with_a_target_never_says_there_is_no_comparison():
    text = figure_guidance("tegel", per="groep", unit="index", target=(2021, 10.0))
    assert "geen vergelijkingscijfer" not in text
    assert text.endswith("Rechts staat het doel uit hoofdstuk 4: 10 in 2021.")
    both = figure_guidance("tegel", per="regio", unit="procent", benchmark="Nederland", target=(2021, 90.0))
    assert both.endswith("Rechts staan vergelijkingscijfers, elk met hun eigen jaar; rechts staat ook het doel uit "
                         "hoofdstuk 4: 90% in 2021.")


def test_guidance_for_a_position_and_for_maps():
    position = figure_guidance("positie", year=2022, peers="182 gemeenten met 20.000 tot 50.000 inwoners",
                               highlight="Delft", comparisons=["Leiden"], references=["Nederland"])
    assert position.startswith("Elke grijze stip is één van de 182 gemeenten met 20.000 tot 50.000 inwoners, in 2022")
    assert "De grote blauwe stip is Delft; Leiden staat er apart onder" in position
    peer_map = figure_guidance("kaart", year=2023, borders=2023, peers="183 gemeenten met 20.000 tot 50.000 inwoners",
                               highlight="Delft")
    assert "Delft is blauw" in peer_map and "grenzen" not in peer_map
    choropleth = figure_guidance("kaart", choropleth=True, year=2022, borders=2023, highlight="Delft")
    assert "hoe donkerder, hoe hoger" in choropleth and choropleth.endswith("de grenzen zijn die van 2023.")
    assert size_class_text((20_000, 50_000)) == "20.000 tot 50.000 inwoners"
    assert size_class_text((250_000, None)) == "250.000 of meer inwoners"
    assert size_class_text((0, 5_000)) == "minder dan 5.000 inwoners"
