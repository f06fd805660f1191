"""The reproduction register: every status on a small table with hand-computed numbers, and the register on the
shipped data (no `klopt` may rest on the document's own number)."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analyse import register
from analyse.text.notation import round_as_shown
from conftest import load_shipped

ROOT = Path(__file__).resolve().parents[1]
DOC = register.DOCUMENT_SOURCE

# (indicator, regio, groep, jaar, waarde, bron, eenheid)
OBSERVATIONS = [
    ("inwoners", "Maassluis", "totaal", 2009, 31390, DOC, "aantal"),
    ("inwoners", "Maassluis", "totaal", 2017, 32450, "begroting", "aantal"),
    ("inwoners", "Maassluis", "totaal", 2018, 32518, DOC, "aantal"),
    ("laaggeletterden", "Maassluis", "totaal", 2017, 4200, DOC, "aantal"),
    ("aandeel_herkomst", "Maassluis", "migratieachtergrond", 2009, 23.3, DOC, "procent"),
    ("aandeel_herkomst", "Maassluis", "migratieachtergrond", 2018, 26.9, DOC, "procent"),
    ("bijstand_personen", "Maassluis", "totaal", 2018, 825, DOC, "aantal"),
    ("bijstand_personen", "Maassluis", "leeftijd_18_27", 2018, 50, DOC, "aantal"),
    ("halt_verwijzingen", "Maassluis", "totaal", 2016, 12, "jaarverslag", "aantal"),
    ("jongeren", "Maassluis", "totaal", 2016, 2400, "jaarverslag", "aantal"),
    # crim-01: three years of one reeks, plus a figure of another reeks in the same last year (not mixed in)
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2014, 88.3, "jaarverslag", "per_10000"),
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2015, 97.0, "jaarverslag", "per_10000"),
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2016, 93.3, "jaarverslag", "per_10000"),
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2016, 50.0, "andere_gemeente", "per_10000"),
    # a clear rise over six years
    ("score", "Maassluis", "westers", 2012, 10.0, "monitor", "score"),
    ("score", "Maassluis", "westers", 2013, 11.1, "monitor", "score"),
    ("score", "Maassluis", "westers", 2014, 11.9, "monitor", "score"),
    ("score", "Maassluis", "westers", 2015, 13.2, "monitor", "score"),
    ("score", "Maassluis", "westers", 2016, 13.8, "monitor", "score"),
    ("score", "Maassluis", "westers", 2017, 15.1, "monitor", "score"),
    # flat with noise over eight years
    ("score", "Maassluis", "niet_westers", 2010, 5.0, "monitor", "score"),
    ("score", "Maassluis", "niet_westers", 2011, 5.2, "monitor", "score"),
    ("score", "Maassluis", "niet_westers", 2012, 4.8, "monitor", "score"),
    ("score", "Maassluis", "niet_westers", 2013, 5.1, "monitor", "score"),
    ("score", "Maassluis", "niet_westers", 2014, 4.9, "monitor", "score"),
    ("score", "Maassluis", "niet_westers", 2015, 5.2, "monitor", "score"),
    ("score", "Maassluis", "niet_westers", 2016, 4.8, "monitor", "score"),
    ("score", "Maassluis", "niet_westers", 2017, 5.0, "monitor", "score"),
    ("vve_deelname", "Maassluis", "totaal", 2016, 90, "jaarverslag", "procent"),
    ("vve_deelname", "Maassluis", "totaal", 2017, 79, "jaarverslag", "procent"),
    ("verdachten_per_1000", "Maassluis", "nederlands", 2017, 5, "buurtmonitor", "per_1000"),
    ("verdachten_per_1000", "Maassluis", "westers", 2017, 8, "buurtmonitor", "per_1000"),
    ("verdachten_per_1000", "Maassluis", "niet_westers", 2017, 18, "buurtmonitor", "per_1000"),
    ("toets", "Maassluis", "totaal", 2017, 2.45, "toets", "score"),
    ("toets", "Maassluis", "totaal", 2018, 0.125, "toets", "score"),
]
COLUMNS = ["indicator", "regio", "groep", "jaar", "waarde", "bron", "eenheid"]


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return pd.DataFrame(OBSERVATIONS, columns=COLUMNS)


def with_rows(obs: pd.DataFrame, *rows) -> pd.DataFrame:
    return pd.concat([obs, pd.DataFrame(list(rows), columns=COLUMNS)], ignore_index=True)


def claim(berekening: str, indicator: str, verwacht: str, *, regio="Maassluis", groep="totaal", jaar="",
          jaar_tot="", decimalen="0", noemer_indicator="", noemer_groep="", tekst_eenheid="", tekst_jaren="",
          toelichting="") -> pd.Series:
    """A register row as read from beweringen.csv (all text)."""
    return pd.Series({
        "id": "t-01", "thema": "demografie", "citaat": "Een zin.", "vindplaats": "H2", "verwacht": verwacht,
        "eenheid": "", "decimalen": decimalen, "berekening": berekening, "indicator": indicator, "regio": regio,
        "groep": groep, "jaar": jaar, "jaar_tot": jaar_tot, "noemer_indicator": noemer_indicator,
        "noemer_groep": noemer_groep, "tekst_eenheid": tekst_eenheid, "tekst_jaren": tekst_jaren,
        "toelichting": toelichting,
    })


# --------------------------------------------------------------------------- waarde: overgenomen or another source

def test_the_documents_own_number_is_overgenomen_not_klopt(obs):
    row = register.check_claim(claim("waarde", "inwoners", "31390", jaar="2009"), obs)
    assert (row["status"], row["berekend"], row["bewijs"], row["bronnen"]) == ("overgenomen", "", "document", DOC)
    assert "geen controle" in row["toelichting"]


def test_a_transcription_that_differs_from_the_register_is_named(obs):
    row = register.check_claim(claim("waarde", "inwoners", "31391", jaar="2009"), obs)
    assert row["status"] == "overgenomen"
    assert "verkeerd overgenomen" in row["toelichting"]


def test_another_source_with_the_same_number_is_klopt(obs):
    other = with_rows(obs, ("inwoners", "Maassluis", "totaal", 2009, 31390, "cbs", "aantal"))
    row = register.check_claim(claim("waarde", "inwoners", "31390", jaar="2009"), other)
    assert (row["status"], row["berekend"], row["bewijs"], row["bronnen"]) == ("klopt", 31390, "andere_bron", "cbs")


def test_another_source_differing_beyond_the_rounding_is_wijkt_af(obs):
    # 31.400 against the document's 31.390: both whole numbers, tolerance 0,5, difference 10
    other = with_rows(obs, ("inwoners", "Maassluis", "totaal", 2009, 31400, "andere_bron", "aantal"))
    row = register.check_claim(claim("waarde", "inwoners", "31390", jaar="2009"), other)
    assert (row["status"], row["berekend"], row["bewijs"]) == ("wijkt_af", 31400, "andere_bron")
    assert "31.400 tegen 31.390" in row["toelichting"] and "(0,5)" in row["toelichting"]
    assert "een verschil van 10" in row["toelichting"]


@pytest.mark.parametrize(("other", "status", "tolerance"), [
    (23, "overgenomen", "van 22,5 tot 23,5"),  # 'bijna 23' (0 decimals) against 22,6: agrees, cannot confirm
    (24, "wijkt_af", "(0,5)"),     # 0 decimals, |1,4| > 0,5: contradicts even at its coarser rounding
    (22.4, "wijkt_af", "(0,05)"),  # both 1 decimal: |0,2| > 0,05
    (22.64, "klopt", "(0,05)"),    # the coarser is the document's 1 decimal: |0,04| <= 0,05
])
def test_tolerance_is_half_a_unit_of_the_coarser_printed_decimal(obs, other, status, tolerance):
    extra = with_rows(obs, ("aandeel_herkomst", "Nederland", "migratieachtergrond", 2018, 22.6, DOC, "procent"),
                      ("aandeel_herkomst", "Nederland", "migratieachtergrond", 2018, other, "nos", "procent"))
    row = register.check_claim(claim("waarde", "aandeel_herkomst", "22.6", regio="Nederland",
                                     groep="migratieachtergrond", jaar="2018", decimalen="1"), extra)
    assert row["status"] == status
    assert tolerance in row["toelichting"]


def test_a_coarser_source_without_the_documents_own_number_is_geen_data(obs):
    # only 'bijna een kwart' (23) in the data, no transcription of the document's 22,6: nothing at its precision
    extra = with_rows(obs, ("aandeel_herkomst", "Nederland", "migratieachtergrond", 2018, 23, "nos", "procent"))
    row = register.check_claim(claim("waarde", "aandeel_herkomst", "22.6", regio="Nederland",
                                     groep="migratieachtergrond", jaar="2018", decimalen="1"), extra)
    assert (row["status"], row["bewijs"]) == ("geen_data", "")
    assert row["toelichting"].startswith("Niet te herberekenen") and "van 22,5 tot 23,5" in row["toelichting"]
    assert "niet tegen, maar bevestigt het ook niet" in row["toelichting"]


def test_a_coarser_source_does_not_hide_a_precise_one(obs):
    # the NOS's 23 (0 decimals) and a CBS table's 22,6 (1 decimal) for the same year: the precise one decides
    extra = with_rows(obs, ("aandeel_herkomst", "Nederland", "migratieachtergrond", 2018, 22.6, DOC, "procent"),
                      ("aandeel_herkomst", "Nederland", "migratieachtergrond", 2018, 23, "a_nos", "procent"),
                      ("aandeel_herkomst", "Nederland", "migratieachtergrond", 2018, 22.6, "cbs", "procent"))
    row = register.check_claim(claim("waarde", "aandeel_herkomst", "22.6", regio="Nederland",
                                     groep="migratieachtergrond", jaar="2018", decimalen="1"), extra)
    assert (row["status"], row["bronnen"], row["berekend"]) == ("klopt", "cbs", 22.6)
    assert "a_nos: 23" in row["toelichting"]


def test_a_later_edition_of_the_same_number_replacing_the_document_still_counts_as_independent(obs):
    other = with_rows(obs, ("inwoners", "Maassluis", "totaal", 2009, 31391, "cbs_2020", "aantal"))
    other["vervangen_door"] = ""
    other.loc[(other["bron"] == DOC) & (other["jaar"] == 2009), "vervangen_door"] = "cbs_2020"
    row = register.check_claim(claim("waarde", "inwoners", "31390", jaar="2009"), other)
    assert (row["status"], row["berekend"]) == ("wijkt_af", 31391)


# --------------------------------------------------------------------------- recomputations

def test_verandering_procent_keeps_the_unrounded_value(obs):
    # (32518 - 31390) / 31390 * 100 = 1128 / 31390 * 100 = 3,5935...% -> 3,6
    row = register.check_claim(
        claim("verandering_procent", "inwoners", "3.6", jaar="2009", jaar_tot="2018", decimalen="1"), obs)
    assert row["status"] == "intern_consistent" and row["bewijs"] == "herberekening"  # both inputs: the document
    assert row["berekend"] == pytest.approx(1128 / 31390 * 100)
    assert "= 3,594" in row["toelichting"] and "Afgerond op 1 decimaal" in row["toelichting"]
    assert "0,05" in row["toelichting"]


def test_span_in_the_words_is_computed_demo_03(obs):
    # 'een stijging van 3,6% in acht jaar': 2009-2018 is nine years
    row = register.check_claim(
        claim("verandering_procent", "inwoners", "3.6", jaar="2009", jaar_tot="2018", decimalen="1",
              tekst_eenheid="procent", tekst_jaren="8"), obs)
    assert row["status"] == "tekst_onjuist"
    assert row["berekend"] == pytest.approx(3.5935011150)
    assert "8 jaar" in row["toelichting"] and "9 jaar" in row["toelichting"]


def test_verschil_of_percentages_is_procentpunt(obs):
    # 26,9% - 23,3% = 3,6 procentpunt; the sentence says nothing about the unit; both from the document
    row = register.check_claim(
        claim("verschil", "aandeel_herkomst", "3.6", groep="migratieachtergrond", jaar="2009", jaar_tot="2018",
              decimalen="1"), obs)
    assert row["status"] == "intern_consistent" and row["berekend"] == pytest.approx(3.6)


def test_percent_for_procentpunt_is_tekst_onjuist_demo_04(obs):
    row = register.check_claim(
        claim("verschil", "aandeel_herkomst", "3.6", groep="migratieachtergrond", jaar="2009", jaar_tot="2018",
              decimalen="1", tekst_eenheid="procent"), obs)
    assert row["status"] == "tekst_onjuist"
    # as a relative change: 3,6 / 23,3 * 100 = 15,45...% -> '15,5%'
    assert "procentpunt" in row["toelichting"] and "15,5%" in row["toelichting"]
    right = register.check_claim(
        claim("verschil", "aandeel_herkomst", "3.6", groep="migratieachtergrond", jaar="2009", jaar_tot="2018",
              decimalen="1", tekst_eenheid="procentpunt"), obs)
    assert right["status"] == "intern_consistent"


def test_wrong_words_do_not_hide_a_wrong_number(obs):
    row = register.check_claim(
        claim("verschil", "aandeel_herkomst", "3.9", groep="migratieachtergrond", jaar="2009", jaar_tot="2018",
              decimalen="1", tekst_eenheid="procent"), obs)
    assert row["status"] == "wijkt_af" and "procentpunt" in row["toelichting"]


def test_aandeel_with_a_denominator_from_another_source(obs):
    # basis-02: 4.200 / 32.450 * 100 = 12,94...% -> 13
    row = register.check_claim(
        claim("aandeel", "laaggeletterden", "13", jaar="2017", noemer_indicator="inwoners"), obs)
    assert row["status"] == "klopt"
    assert row["berekend"] == pytest.approx(4200 / 32450 * 100)
    assert "= 12,94." in row["toelichting"]
    assert row["bronnen"] == f"{DOC}, begroting"


@pytest.mark.parametrize("noemer_groep", ["totaal", ""])  # empty = totaal
def test_aandeel(obs, noemer_groep):
    # 50 / 825 * 100 = 6,06...% -> 6,1
    row = register.check_claim(
        claim("aandeel", "bijstand_personen", "6.1", groep="leeftijd_18_27", jaar="2018", decimalen="1",
              noemer_indicator="bijstand_personen", noemer_groep=noemer_groep), obs)
    # 50 and 825 are both the document's own: consistent with each other, not confirmed from outside
    assert row["status"] == "intern_consistent" and row["berekend"] == pytest.approx(50 / 825 * 100)


def test_per_1000(obs):
    # 12 / 2400 * 1000 = 5
    row = register.check_claim(
        claim("per_1000", "halt_verwijzingen", "5", jaar="2016", noemer_indicator="jongeren"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", 5)


def test_aandeel_without_denominator_is_geen_data(obs):
    row = register.check_claim(
        claim("aandeel", "halt_verwijzingen", "1", jaar="2016", noemer_indicator="inwoners"), obs)
    assert (row["status"], row["berekend"]) == ("geen_data", "")
    assert "geen noemer inwoners" in row["toelichting"]


def test_wijkt_af_names_both_numbers_in_dutch_notation(obs):
    row = register.check_claim(
        claim("verandering_procent", "inwoners", "3.7", jaar="2009", jaar_tot="2018", decimalen="1",
              toelichting="Zo gedrukt."), obs)
    assert row["status"] == "wijkt_af" and row["berekend"] == pytest.approx(3.5935011150)
    assert "is dat 3,6; het document drukt 3,7" in row["toelichting"]
    assert row["toelichting"].endswith("Zo gedrukt.")


# --------------------------------------------------------------------------- directions on the whole series

def ols_interval(years, values):
    """Slope and 95% interval by the textbook formulas (independent of statsmodels)."""
    x, y = np.asarray(years, float), np.asarray(values, float)
    sxx = ((x - x.mean()) ** 2).sum()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    resid = y - (y.mean() + slope * (x - x.mean()))
    se = np.sqrt((resid ** 2).sum() / (len(x) - 2) / sxx)
    q = stats.t.ppf(0.975, len(x) - 2)
    return slope, slope - q * se, slope + q * se


def test_direction_claim_judged_on_the_trend_crim_01(obs):
    # 88,3 -> 93,3 'stijging' on two endpoints, but 2015 was 97,0: slope 2,5, interval -42,98 to 47,98
    slope, low, high = ols_interval([2014, 2015, 2016], [88.3, 97.0, 93.3])
    assert (round(slope, 2), round(low, 2), round(high, 2)) == (2.5, -42.98, 47.98)
    row = register.check_claim(claim("richting", "halt_per_10000", "stijging", groep="leeftijd_12_17",
                                     jaar="2014", jaar_tot="2016"), obs)
    assert (row["status"], row["berekend"], row["bewijs"]) == ("niet_aangetoond", register.UNDECIDED, "trend")
    assert "-42,98 tot 47,98" in row["toelichting"] and "bevat nul" in row["toelichting"]
    assert row["bronnen"] == "jaarverslag"  # the other reeks' 50,0 in 2016 is not mixed in


def test_direction_shown_by_the_whole_interval_is_klopt(obs):
    slope, low, high = ols_interval(range(2012, 2018), [10.0, 11.1, 11.9, 13.2, 13.8, 15.1])
    assert low > 0
    row = register.check_claim(claim("richting", "score", "stijging", groep="westers"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", "stijging")
    assert f"95%-interval {low:.2f} tot {high:.2f}".replace(".", ",") in row["toelichting"]
    assert "Het document noemt geen jaren" in row["toelichting"]


def test_direction_against_the_whole_interval_is_wijkt_af(obs):
    row = register.check_claim(claim("richting", "score", "daling", groep="westers", jaar="2012"), obs)
    assert (row["status"], row["berekend"]) == ("wijkt_af", "stijging")
    assert "alleen het beginjaar 2012" in row["toelichting"]


def test_a_flat_series_does_not_show_a_direction_nor_equality(obs):
    assert register.check_claim(claim("richting", "score", "daling", groep="niet_westers"), obs)["status"] \
        == "niet_aangetoond"
    row = register.check_claim(claim("richting", "score", "gelijk", groep="niet_westers"), obs)
    assert row["status"] == "niet_aangetoond" and "gelijkblijven is daarmee niet aangetoond" in row["toelichting"]
    rising = register.check_claim(claim("richting", "score", "gelijk", groep="westers"), obs)
    assert rising["status"] == "wijkt_af"


@pytest.mark.parametrize(("indicator", "groep", "jaar", "jaar_tot", "claimed", "status"), [
    ("inwoners", "totaal", "2009", "2018", "stijging", "niet_aangetoond"),  # DOC 2009, 2018 (begroting 2017 is another reeks)
    ("halt_per_10000", "leeftijd_12_17", "2015", "2016", "daling", "niet_aangetoond"),  # 97,0 -> 93,3
    ("halt_per_10000", "leeftijd_12_17", "2015", "2016", "stijging", "wijkt_af"),
    ("vve_deelname", "totaal", "2016", "2017", "gelijk", "wijkt_af"),  # 90 -> 79
])
def test_two_measurements_show_no_direction_with_confidence(obs, indicator, groep, jaar, jaar_tot, claimed, status):
    row = register.check_claim(claim("richting", indicator, claimed, groep=groep, jaar=jaar, jaar_tot=jaar_tot), obs)
    assert (row["status"], row["bewijs"]) == (status, "twee_metingen")
    assert "Twee metingen" in row["toelichting"]


def test_a_newer_reeks_is_the_one_that_counts(obs):
    # series.choose: the reeks with the newest year counts; a single 2018 figure leaves one measurement
    other = with_rows(obs, ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2018, 50.0, "nieuws", "per_10000"))
    row = register.check_claim(claim("richting", "halt_per_10000", "stijging", groep="leeftijd_12_17"), other)
    assert row["status"] == "geen_data"


def test_a_direction_shown_only_by_the_documents_own_numbers_is_intern_consistent(obs):
    # the same clear rise as 'score westers', but every measurement is the document's own
    own = obs[(obs["indicator"] == "score") & (obs["groep"] == "westers")].assign(bron=DOC)
    row = register.check_claim(claim("richting", "score", "stijging", groep="westers"), own)
    assert (row["status"], row["berekend"], row["bewijs"], row["bronnen"]) == (
        "intern_consistent", "stijging", "trend", DOC)
    assert "geen bevestiging van buiten het document" in row["toelichting"]


def test_richting_with_one_year_is_geen_data(obs):
    assert register.check_claim(claim("richting", "bijstand_personen", "stijging"), obs)["status"] == "geen_data"


# --------------------------------------------------------------------------- highest / lowest

def test_hoogste(obs):
    row = register.check_claim(
        claim("hoogste", "verdachten_per_1000", "niet_westers", groep="nederlands;westers;niet_westers", jaar="2017"),
        obs)
    assert (row["status"], row["berekend"], row["bewijs"]) == ("klopt", "niet_westers", "herberekening")
    row = register.check_claim(
        claim("hoogste", "verdachten_per_1000", "nederlands", groep="nederlands;westers", jaar="2017"), obs)
    assert (row["status"], row["berekend"]) == ("wijkt_af", "westers")
    assert "Het document zegt nederlands, de data geven westers." in row["toelichting"]


def test_hoogste_with_a_missing_group_is_geen_data(obs):
    row = register.check_claim(
        claim("hoogste", "verdachten_per_1000", "niet_westers", groep="nederlands;niet_westers;migratieachtergrond",
              jaar="2017"), obs)
    assert row["status"] == "geen_data"


def test_highest_and_lowest_over_regions():
    obs = pd.DataFrame([
        {"indicator": "werkloosheid", "regio": "Maassluis", "groep": "totaal", "jaar": 2017, "waarde": 7.6, "bron": "b"},
        {"indicator": "werkloosheid", "regio": "Nederland", "groep": "totaal", "jaar": 2017, "waarde": 6.1, "bron": "b"},
        {"indicator": "werkloosheid", "regio": "Schiedam", "groep": "totaal", "jaar": 2017, "waarde": 8.2, "bron": "b"},
    ])
    base = {"id": "x", "thema": "arbeid_inkomen", "citaat": "c", "eenheid": "tekst", "decimalen": "0",
            "indicator": "werkloosheid", "groep": "totaal", "jaar": "2017", "jaar_tot": "", "toelichting": ""}
    highest = register.check_claim(pd.Series({**base, "berekening": "hoogste", "regio": "Maassluis;Nederland",
                                              "verwacht": "Maassluis"}), obs)
    assert highest["status"] == "klopt" and "Nederland: 6,1" in highest["toelichting"]
    lowest = register.check_claim(pd.Series({**base, "berekening": "laagste", "verwacht": "Maassluis",
                                             "regio": "Maassluis;Nederland;Schiedam"}), obs)
    assert lowest["status"] == "wijkt_af" and lowest["berekend"] == "Nederland"


def ranking(*rows, verwacht="Maassluis", berekening="hoogste") -> tuple[pd.Series, pd.DataFrame]:
    """arb-19's shape: 'hoger dan het landelijk gemiddelde (7,6; 6,1%)', a ranking of two regions."""
    obs = pd.DataFrame([{"indicator": "werkloosheid", "regio": regio, "groep": "totaal", "jaar": 2017, "waarde": waarde,
                         "bron": bron, "eenheid": "procent"} for regio, waarde, bron in rows])
    return claim(berekening, "werkloosheid", verwacht, regio="Maassluis;Nederland", jaar="2017"), obs


def test_a_ranking_of_the_documents_own_numbers_is_intern_consistent_arb_19():
    row = register.check_claim(*ranking(("Maassluis", 7.6, DOC), ("Nederland", 6.1, DOC)))
    assert (row["status"], row["berekend"], row["bewijs"], row["bronnen"]) == (
        "intern_consistent", "Maassluis", "herberekening", DOC)
    assert "Alle getallen van deze controle komen uit het document zelf" in row["toelichting"]
    # the same ranking with the national figure from CBS: evidence from outside the document
    row = register.check_claim(*ranking(("Maassluis", 7.6, DOC), ("Nederland", 6.1, "cbs")))
    assert (row["status"], row["bronnen"]) == ("klopt", f"{DOC}, cbs")
    # a document that contradicts itself is still wijkt_af
    row = register.check_claim(*ranking(("Maassluis", 7.6, DOC), ("Nederland", 6.1, DOC), verwacht="Nederland"))
    assert row["status"] == "wijkt_af"


def test_an_internal_check_with_wrong_words_is_tekst_onjuist_and_says_it_is_internal(obs):
    row = register.check_claim(
        claim("verschil", "aandeel_herkomst", "3.6", groep="migratieachtergrond", jaar="2009", jaar_tot="2018",
              decimalen="1", tekst_eenheid="procent"), obs)
    assert row["status"] == "tekst_onjuist"
    assert "geen bevestiging van buiten het document" in row["toelichting"]


def test_every_status_has_a_label_a_meaning_and_a_place_in_the_docs():
    from analyse.text.label_texts import REGISTER_LABELS, REGISTER_STATUSES

    assert list(REGISTER_LABELS) == list(register.STATUSES) and set(REGISTER_STATUSES) == set(register.STATUSES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contract = (ROOT / "docs" / "datacontract.md").read_text(encoding="utf-8")
    for status in register.STATUSES:
        assert f"**`{status}`**" in readme, status
        assert f"- `{status}`:" in contract, status


def test_every_kind_of_evidence_has_a_label():
    from analyse.text.label_texts import EVIDENCE_LABELS

    assert list(EVIDENCE_LABELS) == [e for e in register.EVIDENCE if e]  # '' (geen_data) shows as an empty cell


# --------------------------------------------------------------------------- general

@pytest.mark.parametrize(("berekening", "jaar", "jaar_tot"), [
    ("waarde", "2012", ""),                       # year not measured
    ("waarde", "", ""),                           # year not printed
    ("verandering_procent", "2009", "2012"),      # end year not measured
    ("verschil", "2012", "2018"),                 # start year not measured
    ("richting", "2010", "2012"),
])
def test_missing_value_is_geen_data(obs, berekening, jaar, jaar_tot):
    row = register.check_claim(
        claim(berekening, "inwoners", "1", jaar=jaar, jaar_tot=jaar_tot, toelichting="Eigen uitleg."), obs)
    assert row["status"] == "geen_data"
    assert row["berekend"] == "" and row["bewijs"] == ""
    assert row["toelichting"].startswith("Niet te herberekenen")
    assert row["toelichting"].endswith("Eigen uitleg.")


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (2.45, 1, 2.5),
    (0.125, 2, 0.13),   # banker's rounding would give 0,12
    (0.25, 1, 0.3),     # banker's rounding would give 0,2
    (2.5, 0, 3.0),      # banker's rounding would give 2
    (3.5935, 1, 3.6),
    (-2.45, 1, -2.5),   # half away from zero
])
def test_round_as_shown(value, decimals, expected):
    assert round_as_shown(value, decimals) == expected


def test_other_source_values_are_compared_within_the_tolerance(obs):
    # 'toets' is another source than the document: 2,45 printed as 2,5 (tolerance 0,05 at 1 decimal)
    assert register.check_claim(claim("waarde", "toets", "2.5", jaar="2017", decimalen="1"), obs)["status"] == "klopt"
    assert register.check_claim(claim("waarde", "toets", "2.4", jaar="2017", decimalen="1"), obs)["status"] == "klopt"
    assert register.check_claim(claim("waarde", "toets", "2.3", jaar="2017", decimalen="1"), obs)["status"] == "wijkt_af"
    assert register.check_claim(claim("waarde", "toets", "0.13", jaar="2018", decimalen="2"), obs)["status"] == "klopt"


def test_unknown_calculation_is_an_error(obs):
    with pytest.raises(ValueError, match="onbekende berekening"):
        register.check_claim(claim("gemiddelde", "inwoners", "1", jaar="2009"), obs)


def test_reproduce_keeps_register_order_and_columns(obs):
    claims = pd.DataFrame([claim("waarde", "inwoners", "31390", jaar="2009"),
                           claim("waarde", "inwoners", "1", jaar="2012")])
    claims["id"] = ["b", "a"]
    table = register.reproduce(claims, obs)
    assert list(table.columns) == register.COLUMNS
    assert list(table["id"]) == ["b", "a"]
    assert list(table["status"]) == ["overgenomen", "geen_data"]


# --------------------------------------------------------------------------- the shipped register

@pytest.fixture(scope="module")
def shipped():
    dataset = load_shipped()
    table = register.reproduce(dataset.beweringen, dataset.observations, dataset.grades)
    return dataset, table.set_index("id", drop=False)


def test_shipped_register_statuses_and_order(shipped):
    dataset, table = shipped
    claims = dataset.beweringen
    assert set(table["status"]) <= set(register.STATUSES)
    assert claims["id"].is_unique and list(table["id"]) == list(claims["id"])
    # A finding about the policy document is explained by the register row itself.
    notes = claims.set_index("id")["toelichting"].fillna("").str.strip()
    unexplained = [i for i in table.loc[table["status"] == "wijkt_af", "id"] if not notes[i]]
    assert not unexplained, f"wijkt_af zonder toelichting in beweringen.csv: {unexplained}"
    assert (table["toelichting"].str.len() > 0).all()


def test_no_klopt_rests_on_the_document_alone(shipped):
    _, table = shipped
    klopt = table[table["status"] == "klopt"]
    assert set(klopt["bewijs"]) <= {"herberekening", "andere_bron", "trend"}
    other = klopt[klopt["bewijs"] == "andere_bron"]
    assert not other["bronnen"].str.contains(DOC).any()
    # every klopt uses at least one source other than the document; intern_consistent only the document
    assert all(set(b.split(", ")) - {DOC} for b in klopt["bronnen"])
    internal = table[table["status"] == "intern_consistent"]
    assert (internal["bronnen"] == DOC).all()
    assert (table.loc[table["bewijs"] == "document", "status"].isin(["overgenomen", "tekst_onjuist"])).all()


def test_shipped_findings(shipped):
    _, table = shipped
    assert table.loc["demo-03", "status"] == table.loc["demo-04", "status"] == "tekst_onjuist"
    assert float(table.loc["demo-03", "berekend"]) == pytest.approx((32518 - 31390) / 31390 * 100)
    assert float(table.loc["basis-02", "berekend"]) == pytest.approx(4200 / 32450 * 100)
    assert table.loc["crim-01", "status"] == "niet_aangetoond"
    assert table.loc["demo-01", "status"] == "overgenomen"
    assert table.loc["h4-08", ["status", "bewijs"]].tolist() == ["klopt", "andere_bron"]  # jaarverslag 2017: 79
    # rankings and shares of the document's own numbers: consistent, not confirmed from outside
    for claim_id in ("arb-19", "discr-26", "h4-02", "h4-10"):
        assert table.loc[claim_id, ["status", "bronnen"]].tolist() == ["intern_consistent", DOC], claim_id
    # demo-08: 22,6 against the NOS's 'bijna een kwart (23 procent)', which any 22,5 to 23,5 would match
    demo_08 = table.loc["demo-08"]
    assert (demo_08["status"], demo_08["bewijs"], demo_08["bronnen"]) == ("overgenomen", "document", DOC)
    assert "van 22,5 tot 23,5" in demo_08["toelichting"] and "1 januari 2017" in demo_08["toelichting"]


def test_a_computed_share_reproduces_a_published_one_by_the_same_rounding_rule():
    from analyse import derived

    # 2,25 rounds to 2,3 as a reader rounds it (Python's round gives 2,2 and would call 2,3 not reproduced)
    assert derived._reproduces(2.3, 2.25) and not derived._reproduces(2.2, 2.25)
    assert derived._reproduces(30.0, 29.5) and not derived._reproduces(29.0, 29.5)
    assert math.isnan(round_as_shown(float("nan"), 1)) and round_as_shown(None, 1) != round_as_shown(None, 1)
