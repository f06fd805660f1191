"""Tests for analyse.text: expected strings are worked out by hand in each test."""

import locale
import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from analyse.indicators import Change, change
from analyse.text.figure_texts import figure_guidance
from analyse.text.messages import format_change
from analyse.text.notation import format_date, format_difference, format_number, format_value
from analyse.text.trend_texts import (add_trend_texts, projection_caveats, projection_reason,
                                      sentence_gap, sentence_trend, trend_caveats, trend_direction, trend_reason)


@pytest.mark.parametrize("x, decimals, expected", [
    (32518, None, "32.518"),
    (32518.0, None, "32.518"),          # a whole float shows no decimals
    (1234567, None, "1.234.567"),
    (1234.5, 1, "1.234,5"),
    (1234.5, None, "1.234,5"),
    (3.6, None, "3,6"),
    (3.04, None, "3,0"),                # not whole: exactly one decimal
    (-1.2, None, "-1,2"),               # plain hyphen-minus
    (2.25, None, "2,3"),                # half away from zero (Python's round gives 2.2)
    (2.675, 2, "2,68"),                 # on the decimal notation, not the binary float 2.67499...
    (-0.04, None, "0,0"),               # no "-0,0"
    (999.96, 1, "1.000,0"),             # rounding carries into the thousands
    (7, 2, "7,00"),
    (np.int64(1000), None, "1.000"),
    (np.float64(0.5), None, "0,5"),
])
def test_format_number(x, decimals, expected):
    assert format_number(x, decimals) == expected


@pytest.mark.parametrize("x, decimals, expected", [
    (1234567.5, None, "1.234.567,5"),
    (1234567.5, 0, "1.234.568"),          # half away from zero, also in the units
    (2.25, 1, "2,3"),                     # babel alone (half-even) would write 2,2
    (0.125, 2, "0,13"),                   # babel alone would write 0,12
    (2.5, 0, "3"),                        # babel alone would write 2
    (-2.5, 0, "-3"),
    (-1234567.25, 1, "-1.234.567,3"),
    (-0.4, 0, "0"),                       # rounds to zero: no "-0"
    (-0.004, 2, "0,00"),
    (-0.05, 1, "-0,1"),
    (1e15, None, "1.000.000.000.000.000"),
    (123456789012.345, 2, "123.456.789.012,35"),
    (999999.5, 0, "1.000.000"),
    (100, 3, "100,000"),
    (0, None, "0"),
])
def test_format_number_edges(x, decimals, expected):
    assert format_number(x, decimals) == expected


def test_format_number_writes_only_digits_separators_and_a_hyphen_minus():
    for x in (-1234567.891, -0.5, 1e12, 42):
        for decimals in (None, 0, 1, 3):
            assert set(format_number(x, decimals)) <= set("0123456789.,-"), (x, decimals)


@pytest.mark.parametrize("moment, expected", [
    (datetime(2026, 11, 29, 14, 5), "29 november 2026"),
    (datetime(2019, 3, 1), "1 maart 2019"),
    (datetime(2020, 1, 31, 23, 59), "31 januari 2020"),
    (datetime(2018, 8, 9), "9 augustus 2018"),
])
def test_format_date_in_dutch(moment, expected):
    assert format_date(moment) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
def test_missing_value_is_en_dash(missing):
    assert format_number(missing) == "\u2013"
    assert format_value(missing, "procent") == "\u2013"


def test_infinite_value_is_refused():
    with pytest.raises(ValueError):
        format_number(math.inf)


@pytest.mark.parametrize("x, eenheid, expected", [
    (26.9, "procent", "26,9%"),
    (5, "per_1000", "5 per 1.000"),
    (12.5, "per_10000", "12,5 per 10.000"),
    (3, "per_100", "3 per 100"),
    (7.4, "rapportcijfer", "7,4"),
    (103.2, "index", "103,2"),
    (32518, "aantal", "32.518"),
    (1234, "euro", "€ 1.234"),
    (1234.5, "euro", "€ 1.234,50"),
    (4.5, "jaren", "4,5 jaar"),
    (3.6, "procentpunt", "3,6 procentpunt"),
])
def test_format_value(x, eenheid, expected):
    assert format_value(x, eenheid) == expected


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        format_value(1, "procenten")


def test_format_difference_units():
    assert format_difference(3.6, "procent") == "3,6 procentpunt"
    assert format_difference(0.3, "score") == "0,3 punt"
    assert format_difference(-3, "per_1000") == "-3 per 1.000"


def test_change_of_shares_is_exact_procentpunt():
    ch = change(23.3, 26.9, "procent")
    # 26.9 - 23.3 in binary floating point is 3.5999999999999979; the published difference is 3.6.
    assert ch == Change(absolute=3.6, relative_pct=None, kind="procentpunt",
                        direction="stijging", eenheid="procent")


def test_change_of_counts_is_relative():
    ch = change(31390, 32518, "aantal")
    assert ch.kind == "procent"
    assert ch.absolute == 1128
    assert ch.relative_pct == pytest.approx(1128 / 31390 * 100)
    assert ch.direction == "stijging"


def test_change_from_zero_has_no_relative_change():
    ch = change(0, 12, "aantal")
    assert ch.relative_pct is None
    assert format_change(ch) == "een stijging van 12"


def test_change_of_rates_and_scores_is_a_difference():
    assert change(8, 5, "per_1000").kind == "verschil"
    assert change(8, 5, "per_1000").direction == "daling"
    assert change(7.1, 7.1, "rapportcijfer").direction == "gelijk"


def test_change_needs_two_values():
    with pytest.raises(ValueError):
        change(np.nan, 5, "aantal")


@pytest.mark.parametrize("v0, v1, eenheid, expected", [
    (31390, 32518, "aantal", "een stijging van 3,6%"),          # 1128 / 31390 = 3,59%
    (24.5, 23.3, "procent", "een daling van 1,2 procentpunt"),
    (8, 5, "per_1000", "een daling van 3 per 1.000"),
    (7.1, 7.4, "rapportcijfer", "een stijging van 0,3 punt"),
    (40, 40, "aantal", "gelijk gebleven"),
    (10000, 10001, "aantal", "een stijging van minder dan 0,1%"),  # 0,01% rounds to 0,0
])
def test_format_change(v0, v1, eenheid, expected):
    assert format_change(change(v0, v1, eenheid)) == expected


def _trend(**overrides):
    record = dict(methode="ols", n_jaren=10, eerste_jaar=2009, laatste_jaar=2018, helling=0.4,
                  helling_ondergrens=0.2, helling_bovengrens=0.6, eenheid="procent",
                  reden=np.nan, indicatief=False)
    record.update(overrides)
    return record


def test_sentence_trend():
    assert sentence_trend(_trend()) == (
        "Over 2009-2018 (10 jaren) stijgt dit gemiddeld met 0,4 procentpunt per jaar"
        " (95%-interval 0,2 tot 0,6).")


def test_sentence_trend_decline_gaps_and_indicative():
    text = sentence_trend(_trend(n_jaren=4, eerste_jaar=2012, helling=-125.0,
                                 helling_ondergrens=-180.5, helling_bovengrens=-69.5,
                                 eenheid="aantal", indicatief=True))
    assert text == ("Over 2012-2018 (4 jaren met gegevens) daalt dit gemiddeld met 125,0 per jaar"
                    " (95%-interval -180,5 tot -69,5; een telling, geen steekproef: het interval gaat over de "
                    "schommeling van de jaren rond de trendlijn; indicatief: weinig meetpunten).")


def test_sentence_trend_gives_no_direction_when_the_interval_holds_zero():
    """The old sentence said 'daalt ... (95%-interval -0,5 tot 0,3)'."""
    text = sentence_trend(_trend(helling=-0.1, helling_ondergrens=-0.5, helling_bovengrens=0.3, eenheid="per_1000"))
    assert text == ("Over 2009-2018 (10 jaren) is er geen aantoonbare verandering: gemiddeld -0,1 per 1.000 per "
                    "jaar (95%-interval -0,5 tot 0,3).")


def test_sentence_trend_shows_a_bound_that_would_round_to_zero():
    text = sentence_trend(_trend(helling=-0.29, helling_ondergrens=-0.59, helling_bovengrens=0.014,
                                 eenheid="per_1000"))
    assert "(95%-interval -0,59 tot 0,01)" in text and "geen aantoonbare verandering" in text


def test_sentence_trend_follows_the_false_discovery_rate():
    """An interval that excludes 0 is no finding when the correction for the theme's many tests rejects it."""
    record = _trend(helling=-0.29, helling_ondergrens=-0.53, helling_bovengrens=-0.012, eenheid="per_1000",
                    relatieve_verandering=-9.86, relatieve_ondergrens=-18.46, relatieve_bovengrens=-0.35)
    assert "daalt dit gemiddeld met 0,29 per 1.000" in sentence_trend({**record, "fdr_aantoonbaar": True})
    assert sentence_trend({**record, "fdr_aantoonbaar": "False", "fdr_toetsen": "83"}) == (
        "Over 2009-2018 (10 jaren) is er geen aantoonbare verandering: gemiddeld -0,29 per 1.000 per jaar "
        "(95%-interval -0,53 tot -0,01; relatief -9,9% per jaar, 95%-interval -18,5 tot -0,4; dat interval sluit 0 "
        "uit, maar bij 83 trendtoetsen in dit thema houdt dat na correctie voor meervoudig toetsen met een false "
        "discovery rate van 5% geen stand).")
    assert trend_direction({**record, "fdr_aantoonbaar": False}) == "niet_na_correctie"
    assert trend_direction({**record, "fdr_aantoonbaar": None}) == "daling"
    assert trend_direction({**record, "reden_code": "te_weinig_jaren"}) is None


def test_sentence_trend_small_slope_gets_more_decimals():
    text = sentence_trend(_trend(helling=0.04, helling_ondergrens=0.01, helling_bovengrens=0.07,
                                 eenheid="rapportcijfer"))
    assert "met 0,04 punt per jaar (95%-interval 0,01 tot 0,07)" in text


def test_sentence_trend_refused_gives_reason():
    reden = "Geen trend: minder dan drie meetjaren"
    assert sentence_trend(_trend(reden=reden, helling=np.nan)) == reden + "."


# Locales with a decimal comma (nl, de, fr) or another notation; those not installed are left out.
# C.UTF-8 exists everywhere, so the test always switches at least once.
LOCALES = ["nl_NL.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8", "en_US.UTF-8", "C.UTF-8"]

EXPECTED = ("1.234.567,5", "26,9%", "een stijging van 3,6%")


def _outputs():
    return (format_number(1234567.5, 1), format_value(26.9, "procent"),
            format_change(change(31390, 32518, "aantal")))


def test_output_does_not_depend_on_locale():
    saved = locale.setlocale(locale.LC_ALL)
    tried = []
    try:
        for name in LOCALES:
            try:
                locale.setlocale(locale.LC_ALL, name)
            except locale.Error:
                continue
            tried.append(name)
            assert _outputs() == EXPECTED, name
    finally:
        locale.setlocale(locale.LC_ALL, saved)
    if not tried:
        pytest.skip("none of the test locales is installed")


def test_locale_module_is_not_used(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("analyse.text.notation must not use the locale module")

    for name in ("localeconv", "setlocale", "format_string", "currency", "str", "getlocale"):
        monkeypatch.setattr(locale, name, forbidden)
    assert _outputs() == EXPECTED


def test_guidance_for_a_line_figure_names_trend_band_and_target():
    assert figure_guidance("lijn", per="groep", unit="procent", series=1, trends=1, bands=True,
                           target=(2021, 90)) == (
        "Elke stip is een meting; een lijn tussen twee stippen is zelf geen meting, en er is niets bijgeschat. "
        "De gestreepte lijn is de geschatte trend, de band eromheen het 95%-interval: hoe breder, hoe "
        "onzekerder; de ster is het doel uit hoofdstuk 4: 90% in 2021.")


def test_guidance_for_groups_says_procentpunt_and_for_scores_the_axis_break():
    groups = figure_guidance("lijn", per="groep", unit="procent", series=3)
    assert groups.startswith("Elke lijn is een groep en elke stip een meting;")
    assert groups.endswith("Een verschil tussen twee percentages is een aantal procentpunt.")
    score = figure_guidance("lijn", per="regio", unit="score", series=2, trends=5, bands=False, zero_based=False)
    assert score.endswith("De gestreepte lijnen zijn de geschatte trends (de intervallen staan in de trendtabel); "
                          "de verticale as begint niet bij nul (zie de breuk in de as).")


def test_guidance_for_bars_and_ranks():
    bars = figure_guidance("staaf", per="regio", unit="per_1000", series=4, year=2017, sources=2)
    assert bars == ("Elke staaf is de waarde van één regio in 2017; het getal staat erbij. De cijfers komen uit "
                    "verschillende bronnen (zie de bronregel), dus de definities kunnen verschillen.")
    assert figure_guidance("staaf", per="groep", unit="aantal", year=2018) == (
        "Elke staaf is de waarde van één groep in 2018; het getal staat erbij.")
    assert figure_guidance("rang", per="groep", unit="rang").startswith("Een rangorde met 1 bovenaan")
    with pytest.raises(ValueError, match="taart"):
        figure_guidance("taart", per="groep", unit="procent")


# ---------------------------------------------------------------------------- trend codes (issues 14/17)

def test_sentence_trend_reads_reason_codes_and_older_reden():
    record = _trend(reden=np.nan, reden_code="te_weinig_jaren", reden_jaren="2016;2017", minimum=3, helling=np.nan)
    assert sentence_trend(record) == "Te weinig meetpunten: 2 jaren (2016, 2017); een trend vraagt er minstens 3."
    # a row of reports/trends.csv read back as strings
    as_csv = {k: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for k, v in record.items()}
    assert sentence_trend(as_csv) == sentence_trend(record)
    assert trend_reason({"reden": "Oude reden"}) == "Oude reden"


def test_sentence_trend_says_an_autocorrelated_interval_is_probably_too_narrow():
    assert sentence_trend(_trend(opmerking_codes="autocorrelatie", durbin_watson=0.66)) == (
        "Over 2009-2018 (10 jaren) stijgt dit gemiddeld met 0,4 procentpunt per jaar"
        " (95%-interval 0,2 tot 0,6; waarschijnlijk te smal: opeenvolgende jaren hangen samen).")


def test_trend_reasons_in_dutch():
    assert trend_reason({"reden_code": "rang"}) == "Eenheid 'rang' is een rangorde, geen trend."
    assert trend_reason({"reden_code": "model_faalt", "reden_detail": "alles_0_of_100"}) == (
        "Alle waarden zijn 0% of 100%; daarin is geen trend te schatten.")
    assert trend_reason({"reden_code": None}) is None
    with pytest.raises(ValueError):
        trend_reason({"reden_code": "onbekend"})


def test_trend_caveats_in_order_with_their_numbers():
    record = {"opmerking_codes": "indicatief;afronding_vloer;autocorrelatie", "n_jaren": 4, "decimalen": 1,
              "durbin_watson": 0.6582}
    assert trend_caveats(record) == (
        "Slechts 4 meetpunten: de trend en het interval zijn indicatief. De waarden liggen (vrijwel) precies op een "
        "rechte lijn; als onzekerheid is ten minste die van de afronding op 1 decimaal genomen. Opeenvolgende jaren "
        "wijken in dezelfde richting af van de trendlijn (Durbin-Watson 0,66); het interval is daardoor "
        "waarschijnlijk te smal.")
    assert trend_caveats({"opmerking_codes": "overdispersie", "dispersie": 3.0933}) == (
        "De cijfers schommelen meer dan toeval bij deze aantallen verklaart (spreidingsfactor 3,09); "
        "de intervallen zijn daarvoor verbreed.")
    assert trend_caveats({"opmerking_codes": None}) is None


def test_add_trend_texts_adds_dutch_columns_for_readers():
    table = pd.DataFrame([_trend(reden=None, reden_code=None, opmerking_codes="indicatief", n_jaren=3),
                          _trend(reden=None, reden_code="rang", opmerking_codes=None, helling=np.nan)])
    out = add_trend_texts(table)
    assert out["reden"].tolist()[1] == "Eenheid 'rang' is een rangorde, geen trend." and pd.isna(out["reden"][0])
    assert out["opmerking"][0] == "Slechts 3 meetpunten: de trend en het interval zijn indicatief."
    assert "reden" not in table or table["reden"].isna().all()  # the input is not changed


def test_projection_texts():
    refused = {"reden_code": "te_weinig_jaren", "reden_jaren": "2017;2018", "minimum": 3}
    assert projection_reason(refused) == (
        "Geen trend om door te trekken: Te weinig meetpunten: 2 jaren (2017, 2018); een trend vraagt er minstens 3.")
    projected = {"reden_code": None, "jaar": 2025, "laatste_jaar": 2018, "noemer": 32518.0, "noemer_jaar": 2018,
                 "opmerking_codes": "extrapolatie;noemer_laatste_jaar"}
    assert projection_reason(projected) is None
    assert projection_caveats(projected) == (
        "Extrapolatie: 7 jaar na de laatste meting (2018). Voorspeld bij de noemer van 2018 (32.518).")


def _gap(**overrides):
    record = dict(eenheid="procent", eerste_jaar=2008, laatste_jaar=2017, n_jaren=10, helling=0.8,
                  helling_ondergrens=0.6, helling_bovengrens=1.0, richting_absoluut="kleiner",
                  richting_relatief="kleiner", schaal_relatief="logit_verschil", verhouding_verandering=-4.2,
                  verhouding_ondergrens=-6.0, verhouding_bovengrens=-2.5, oordeel="convergeert",
                  indicatief=False, reden_code=None, opmerking_codes=None, reeks_a="cbs", reeks_b="cbs")
    record.update(overrides)
    return record


def test_sentence_gap_convergent_only_when_both_scales_agree():
    assert sentence_gap(_gap(), "Het verschil in werkloosheid tussen A en B (Nederland)") == (
        "Het verschil in werkloosheid tussen A en B (Nederland) wordt kleiner, absoluut en relatief: de groepen "
        "groeien naar elkaar toe (2008-2017, 10 jaar met gegevens; verschil 0,80 procentpunt per jaar (95%-interval 0,60 tot "
        "1,00); odds ratio -4,2% per jaar (95%-interval -6,0 tot -2,5)).")
    mixed = sentence_gap(_gap(richting_relatief="groter", oordeel="absoluut_kleiner_relatief_groter",
                              verhouding_verandering=2.0, verhouding_ondergrens=0.5,
                              verhouding_bovengrens=3.5), "Het verschil")
    assert mixed.startswith("Het verschil wordt absoluut kleiner, maar relatief wordt het groter; of de groepen "
                            "naar elkaar toe groeien hangt dus af van de maatstaf (")
    assert "groeien naar elkaar toe" not in mixed


def test_sentence_gap_refused_and_other_series():
    refused = _gap(reden_code="te_weinig_jaren", reden_jaren="2016;2017", minimum=3, oordeel=None)
    assert sentence_gap(refused, "Het verschil") == (
        "Het verschil: geen trend te schatten. Te weinig gemeenschappelijke meetpunten: 2 jaren (2016, 2017); "
        "een trend vraagt er minstens 3.")
    score = _gap(eenheid="score", richting_relatief="niet_van_toepassing", schaal_relatief=None,
                 verhouding_verandering=np.nan, reeks_b="enquete")
    assert sentence_gap(score, "Het verschil") == (
        "Het verschil wordt kleiner: de groepen groeien naar elkaar toe (2008-2017, 10 jaar met gegevens; verschil 0,80 punt "
        "per jaar (95%-interval 0,60 tot 1,00)). Let op: de twee groepen komen uit verschillende reeksen "
        "(cbs; enquete).")


def test_sentence_trend_shows_bounds_that_would_read_the_same_with_more_decimals():
    text = sentence_trend(_trend(helling=-0.07, helling_ondergrens=-0.09, helling_bovengrens=-0.052))
    assert "daalt dit gemiddeld met 0,07 procentpunt per jaar (95%-interval -0,09 tot -0,05)" in text


def test_a_measure_shows_the_indicators_fixed_decimals():
    from analyse.text.messages import Level
    from analyse.text.notation import format_measure

    assert format_measure(24.0, "procent") == "24%"  # as published
    assert format_measure(24.0, "procent", decimals=1) == "24,0%"  # the catalogue's decimalen: alike everywhere
    assert format_measure(1.73, "procent", decimals=1) == "1,7%"
    assert format_measure(6.0, "rapportcijfer", status="schatting", decimals=1) == "ongeveer 6,0"
    assert Level(2017, 6.0, "rapportcijfer", decimals=1).shown() == "6,0"
    assert Level(2017, 6.0, "rapportcijfer").shown() == "6"


def test_a_file_named_after_a_source_reads_as_the_source():
    from analyse.text.label_texts import readable

    names = {"beleidsvisie_2019": "Beleidsvisie Integratie", "westers": "westerse migratieachtergrond"}
    assert readable("zie beleidsvisie_2019.csv. Nodig: westers en beleidsvisie_2019.xlsx", names) \
        == "zie Beleidsvisie Integratie. Nodig: westerse migratieachtergrond en Beleidsvisie Integratie"
    assert readable("westers_totaal.csv", names) == "westers_totaal.csv"  # another code stays


def test_a_key_message_says_that_two_measurements_tell_no_trend():
    from analyse.text.messages import Finding, Level, key_message

    refused = {"reden_code": "te_weinig_jaren", "reden_jaren": "2017;2018", "minimum": 3, "n_jaren": 2}
    finding = Finding(subject="het aandeel werkenden", region="Maassluis", level=Level(2018, 62.0, "procent"),
                      start=Level(2017, 60.0, "procent"), trend=refused)
    assert "met 2 metingen is niet te zeggen of dit een trend is" in key_message(finding)


def test_a_key_message_shows_every_level_with_the_indicators_fixed_decimals():
    from analyse.text.messages import Finding, Level, key_message

    def mark(year, value):
        return Level(year, value, "rapportcijfer", decimals=1)

    finding = Finding("het rapportcijfer", "Maassluis", mark(2018, 7.0), benchmarks=(("Nederland", mark(2018, 7.04)),
                                                                                       ("Delft", mark(2018, 6.96))),
                      start=mark(2014, 6.0))
    assert key_message(finding) == (
        "In 2018 is het rapportcijfer in Maassluis 7,0: even hoog als in Nederland (7,0) en Delft (7,0). "
        "Dat is 1,0 punt meer dan in 2014 (6,0).")
    # a comparison as the values are shown, rounded half away from zero: 7,25 and 7,3 both read 7,3
    finding = Finding("het rapportcijfer", "Maassluis", mark(2018, 7.25), benchmarks=(("Nederland", mark(2018, 7.3)),))
    assert key_message(finding) == "In 2018 is het rapportcijfer in Maassluis 7,3: even hoog als in Nederland (7,3)."


def test_the_change_column_follows_the_indicators_fixed_decimals():
    from analyse.text.messages import describe_change

    record = {"waarde_van": 7.0, "waarde_tot": 7.25, "eenheid": "rapportcijfer", "verschil": 0.25}
    assert describe_change(record) == "een stijging van 0,25 punt"  # as published: the most decimals of the two
    assert describe_change(record, 1) == "een stijging van 0,3 punt"  # shown as 7,0 and 7,3 in the same table
    assert describe_change({**record, "opmerking": "een_meting"}, 1) == "–"
