"""The reproduction register: every kind of `berekening` on a small table with hand-computed numbers,
and the register on the shipped data."""

from pathlib import Path

import pandas as pd
import pytest

from analyse import register
from analyse.data import load_raw

ROOT = Path(__file__).resolve().parents[1]

# (indicator, regio, groep, jaar, waarde, bron)
OBSERVATIONS = [
    ("inwoners", "Maassluis", "totaal", 2009, 31390, "beleidsvisie_2019"),
    ("inwoners", "Maassluis", "totaal", 2018, 32518, "beleidsvisie_2019"),
    ("aandeel_herkomst", "Maassluis", "migratieachtergrond", 2009, 23.3, "beleidsvisie_2019"),
    ("aandeel_herkomst", "Maassluis", "migratieachtergrond", 2018, 26.9, "beleidsvisie_2019"),
    ("bijstand_personen", "Maassluis", "totaal", 2018, 825, "beleidsvisie_2019"),
    ("bijstand_personen", "Maassluis", "leeftijd_18_27", 2018, 50, "beleidsvisie_2019"),
    ("halt_verwijzingen", "Maassluis", "totaal", 2016, 12, "jaarverslag"),
    ("jongeren", "Maassluis", "totaal", 2016, 2400, "jaarverslag"),
    # A three-year series from one source, and one later figure from another source that must not be mixed in.
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2014, 88.3, "jaarverslag"),
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2015, 97.0, "jaarverslag"),
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2016, 93.3, "jaarverslag"),
    ("halt_per_10000", "Maassluis", "leeftijd_12_17", 2018, 50.0, "andere_gemeente"),
    ("vve_deelname", "Maassluis", "totaal", 2016, 90, "jaarverslag"),
    ("vve_deelname", "Maassluis", "totaal", 2017, 90, "jaarverslag"),
    ("verdachten_per_1000", "Maassluis", "nederlands", 2017, 5, "buurtmonitor"),
    ("verdachten_per_1000", "Maassluis", "westers", 2017, 8, "buurtmonitor"),
    ("verdachten_per_1000", "Maassluis", "niet_westers", 2017, 18, "buurtmonitor"),
    ("score", "Maassluis", "totaal", 2017, 2.45, "toets"),
    ("score", "Maassluis", "totaal", 2018, 0.125, "toets"),
]


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return pd.DataFrame(OBSERVATIONS, columns=["indicator", "regio", "groep", "jaar", "waarde", "bron"])


def claim(berekening: str, indicator: str, verwacht: str, *, regio="Maassluis", groep="totaal", jaar="",
          jaar_tot="", decimalen="0", noemer_indicator="", noemer_groep="", toelichting="") -> pd.Series:
    """A register row as read from beweringen.csv (all text)."""
    return pd.Series({
        "id": "t-01", "thema": "demografie", "citaat": "Een zin.", "vindplaats": "H2", "verwacht": verwacht,
        "eenheid": "", "decimalen": decimalen, "berekening": berekening, "indicator": indicator, "regio": regio,
        "groep": groep, "jaar": jaar, "jaar_tot": jaar_tot, "noemer_indicator": noemer_indicator,
        "noemer_groep": noemer_groep, "toelichting": toelichting,
    })


def test_waarde(obs):
    row = register.check_claim(claim("waarde", "inwoners", "31390", jaar="2009"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", 31390)


def test_verandering_procent(obs):
    # (32518 - 31390) / 31390 * 100 = 1128 / 31390 * 100 = 3,59...% -> 3,6
    row = register.check_claim(
        claim("verandering_procent", "inwoners", "3.6", jaar="2009", jaar_tot="2018", decimalen="1"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", 3.6)


def test_verschil_in_procentpunt(obs):
    # 26,9% - 23,3% = 3,6 procentpunt
    row = register.check_claim(
        claim("verschil", "aandeel_herkomst", "3.6", groep="migratieachtergrond", jaar="2009", jaar_tot="2018",
              decimalen="1"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", 3.6)


@pytest.mark.parametrize("noemer_groep", ["totaal", ""])  # empty = totaal
def test_aandeel(obs, noemer_groep):
    # 50 / 825 * 100 = 6,06...% -> 6,1
    row = register.check_claim(
        claim("aandeel", "bijstand_personen", "6.1", groep="leeftijd_18_27", jaar="2018", decimalen="1",
              noemer_indicator="bijstand_personen", noemer_groep=noemer_groep), obs)
    assert (row["status"], row["berekend"]) == ("klopt", 6.1)


def test_per_1000(obs):
    # 12 / 2400 * 1000 = 5
    row = register.check_claim(
        claim("per_1000", "halt_verwijzingen", "5", jaar="2016", noemer_indicator="jongeren"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", 5)


def test_aandeel_without_denominator_is_geen_data(obs):
    # halt_verwijzingen is measured in 2016, but there is no inwoners figure for 2016
    row = register.check_claim(
        claim("aandeel", "halt_verwijzingen", "1", jaar="2016", noemer_indicator="inwoners"), obs)
    assert (row["status"], row["berekend"]) == ("geen_data", "")
    assert "geen noemer inwoners" in row["toelichting"]


@pytest.mark.parametrize(("indicator", "groep", "jaar", "jaar_tot", "expected"), [
    ("inwoners", "totaal", "2009", "2018", "stijging"),       # 31.390 -> 32.518
    ("halt_per_10000", "leeftijd_12_17", "2015", "2016", "daling"),  # 97,0 -> 93,3
    ("vve_deelname", "totaal", "2016", "2017", "gelijk"),    # 90 -> 90
])
def test_richting_between_two_years(obs, indicator, groep, jaar, jaar_tot, expected):
    row = register.check_claim(claim("richting", indicator, expected, groep=groep, jaar=jaar, jaar_tot=jaar_tot), obs)
    assert (row["status"], row["berekend"]) == ("klopt", expected)


def test_richting_without_years_uses_one_source_first_to_last(obs):
    # jaarverslag has three years (2014: 88,3 -> 2016: 93,3); the single 2018 figure of another source is not mixed in
    row = register.check_claim(claim("richting", "halt_per_10000", "stijging", groep="leeftijd_12_17"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", "stijging")
    assert "2014: 88,3" in row["toelichting"] and "2016: 93,3" in row["toelichting"]
    assert "het document noemt geen jaren" in row["toelichting"]


def test_richting_with_start_year_only(obs):
    # from 2015: 97,0 -> 93,3 (last year of the same source)
    row = register.check_claim(claim("richting", "halt_per_10000", "daling", groep="leeftijd_12_17", jaar="2015"), obs)
    assert (row["status"], row["berekend"]) == ("klopt", "daling")
    assert "het document noemt alleen het beginjaar 2015" in row["toelichting"]


def test_richting_with_one_year_is_geen_data(obs):
    row = register.check_claim(claim("richting", "bijstand_personen", "stijging"), obs)
    assert row["status"] == "geen_data"


def test_hoogste(obs):
    row = register.check_claim(
        claim("hoogste", "verdachten_per_1000", "niet_westers", groep="nederlands;westers;niet_westers", jaar="2017"),
        obs)
    assert (row["status"], row["berekend"]) == ("klopt", "niet_westers")
    row = register.check_claim(
        claim("hoogste", "verdachten_per_1000", "nederlands", groep="nederlands;westers", jaar="2017"), obs)
    assert (row["status"], row["berekend"]) == ("wijkt_af", "westers")


def test_hoogste_with_a_missing_group_is_geen_data(obs):
    row = register.check_claim(
        claim("hoogste", "verdachten_per_1000", "niet_westers", groep="nederlands;niet_westers;migratieachtergrond",
              jaar="2017"), obs)
    assert row["status"] == "geen_data"


@pytest.mark.parametrize(("berekening", "jaar", "jaar_tot"), [
    ("waarde", "2012", ""),                       # year not measured
    ("waarde", "", ""),                           # year not printed
    ("verandering_procent", "2009", "2012"),      # end year not measured
    ("verschil", "2012", "2018"),                 # start year not measured
    ("richting", "2009", "2012"),
])
def test_missing_value_is_geen_data(obs, berekening, jaar, jaar_tot):
    row = register.check_claim(
        claim(berekening, "inwoners", "1", jaar=jaar, jaar_tot=jaar_tot, toelichting="Eigen uitleg."), obs)
    assert row["status"] == "geen_data"
    assert row["berekend"] == ""
    assert row["toelichting"].startswith("Niet te herberekenen")
    assert row["toelichting"].endswith("Eigen uitleg.")


def test_wijkt_af_names_both_numbers_in_dutch_notation(obs):
    row = register.check_claim(
        claim("verandering_procent", "inwoners", "3.7", jaar="2009", jaar_tot="2018", decimalen="1",
              toelichting="Zo gedrukt."), obs)
    assert (row["status"], row["berekend"]) == ("wijkt_af", 3.6)
    assert "Het document drukt 3,7, de data geven 3,6." in row["toelichting"]
    assert row["toelichting"].endswith("Zo gedrukt.")
    row = register.check_claim(claim("waarde", "inwoners", "32581", jaar="2018"), obs)
    assert row["status"] == "wijkt_af"
    assert "32.581" in row["toelichting"] and "32.518" in row["toelichting"]


def test_wijkt_af_for_a_word(obs):
    row = register.check_claim(claim("richting", "inwoners", "daling", jaar="2009", jaar_tot="2018"), obs)
    assert row["status"] == "wijkt_af"
    assert "Het document drukt daling, de data geven stijging." in row["toelichting"]


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (2.45, 1, 2.5),
    (0.125, 2, 0.13),   # banker's rounding would give 0,12
    (0.25, 1, 0.3),     # banker's rounding would give 0,2
    (2.5, 0, 3.0),      # banker's rounding would give 2
    (3.5935, 1, 3.6),
    (-2.45, 1, -2.5),   # half away from zero
])
def test_round_half_up(value, decimals, expected):
    assert register.round_half_up(value, decimals) == expected


def test_check_claim_rounds_half_up(obs):
    assert register.check_claim(claim("waarde", "score", "2.5", jaar="2017", decimalen="1"), obs)["status"] == "klopt"
    assert register.check_claim(claim("waarde", "score", "2.4", jaar="2017", decimalen="1"), obs)["status"] == "wijkt_af"
    assert register.check_claim(claim("waarde", "score", "0.13", jaar="2018", decimalen="2"), obs)["status"] == "klopt"


def test_value_from_the_document_is_preferred(obs):
    other = pd.concat([obs, pd.DataFrame([("inwoners", "Maassluis", "totaal", 2009, 31400, "andere_bron")],
                                         columns=obs.columns)], ignore_index=True)
    row = register.check_claim(claim("waarde", "inwoners", "31390", jaar="2009"), other)
    assert row["status"] == "klopt"


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
    assert list(table["status"]) == ["klopt", "geen_data"]


def test_shipped_register():
    dataset = load_raw(ROOT / "data" / "raw")
    claims = dataset.beweringen
    table = register.reproduce(claims, dataset.observations)
    assert set(table["status"]) <= {"klopt", "wijkt_af", "geen_data"}
    assert table["status"].notna().all()
    assert claims["id"].is_unique
    assert list(table["id"]) == list(claims["id"])
    # A deviation is a finding about the policy document: the register row itself must explain it.
    notes = claims.set_index("id")["toelichting"].fillna("").str.strip()
    unexplained = [i for i in table.loc[table["status"] == "wijkt_af", "id"] if not notes[i]]
    assert not unexplained, f"wijkt_af zonder toelichting in beweringen.csv: {unexplained}"


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
