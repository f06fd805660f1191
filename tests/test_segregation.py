"""Segregation indices over buurten: hand-computed values, left-out areas, the random baseline, real counts."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analyse import areas, segregation
from analyse.theme_areas import most_of_group
from analyse.text import area_texts
from analyse.segregation import LeftOut


def counts(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area", "group", "total"])


# --------------------------------------------------------------------------- hand-computed, exact fractions

def test_two_areas_exact():
    # X: 10 of 40 in the group, Y: 30 of 60. A = 40, B = 30 + 30 = 60.
    # D = 1/2 (|10/40 - 30/60| + |30/40 - 30/60|) = 1/2 (1/4 + 1/4) = 1/4
    result = segregation.dissimilarity(counts(("X", 10, 40), ("Y", 30, 60)))
    assert result.value == pytest.approx(1 / 4, abs=1e-15)
    assert (result.n_areas, result.group_total, result.rest_total, result.left_out) == (2, 40, 60, ())
    assert list(result.areas["contribution"]) == pytest.approx([1 / 8, 1 / 8])
    assert list(result.areas["rest"]) == [30, 30]
    # exposure xPy = 10/40 * 30/40 + 30/40 * 30/60 = 3/16 + 3/8 = 9/16; isolation = 1/16 + 3/8 = 7/16
    # P = 40/100; expected isolation = P + (1 - P)(k - 1)/(T - 1) = 2/5 + 3/5 * 1/99 = 67/165
    exp = segregation.exposure(counts(("X", 10, 40), ("Y", 30, 60)))
    assert exp.exposure == pytest.approx(9 / 16)
    assert exp.isolation == pytest.approx(7 / 16)
    assert exp.group_share == pytest.approx(2 / 5)
    assert exp.expected_isolation == pytest.approx(67 / 165)
    assert exp.eta2 == pytest.approx((7 / 16 - 2 / 5) / (3 / 5))


def test_three_areas_exact():
    # group (10, 20, 0), totals (20, 40, 40): A = 30, rest (10, 20, 40), B = 70.
    # D = 1/2 (|1/3 - 1/7| + |2/3 - 2/7| + |0 - 4/7|) = 1/2 (4/21 + 8/21 + 12/21) = 4/7
    result = segregation.dissimilarity(counts(("a", 10, 20), ("b", 20, 40), ("c", 0, 40)))
    assert result.value == pytest.approx(4 / 7, abs=1e-15)
    assert list(result.areas["contribution"]) == pytest.approx([2 / 21, 4 / 21, 6 / 21])


def test_complete_separation_and_even_spread():
    apart = counts(("a", 50, 50), ("b", 0, 150))
    assert segregation.dissimilarity(apart).value == pytest.approx(1.0)
    assert segregation.exposure(apart).isolation == pytest.approx(1.0)
    assert segregation.exposure(apart).exposure == pytest.approx(0.0)
    even = segregation.dissimilarity(counts(("a", 10, 40), ("b", 20, 80)))
    assert even.value == pytest.approx(0.0, abs=1e-15)
    # below its random baseline: Carrington-Troske gives (D - E) / E = -1
    assert even.expected_random > 0
    assert even.systematic == pytest.approx(-1.0)


# --------------------------------------------------------------------------- the random-allocation baseline

def test_expected_d_by_enumeration():
    # Two areas of 2 persons, 2 in the group: a_1 = 0, 1, 2 with probabilities 1/6, 4/6, 1/6 and then
    # D = |a_1 - 1| (1, 0, 1): E[D] = 2/6 = 1/3.
    assert segregation.expected_dissimilarity([2, 2], 2) == pytest.approx(1 / 3, abs=1e-12)
    # Areas of 1, 1 and 2 persons, one group member: in area 1 or 2 (probability 1/4 each) D = 1,
    # in area 3 (1/2) D = 4/6 * (1/4 + 1/4 + 1/2) = 2/3: E[D] = 1/2 + 1/3 = 5/6.
    assert segregation.expected_dissimilarity([1, 1, 2], 1) == pytest.approx(5 / 6, abs=1e-12)


def test_simulation_repeats_with_its_seed_and_centres_on_the_exact_value():
    totals = [row[3] for row in KWB_2022_BUURTEN]
    first = segregation.simulate_dissimilarity(totals, 6915, simulations=4000, seed=7)
    again = segregation.simulate_dissimilarity(totals, 6915, simulations=4000, seed=7)
    other = segregation.simulate_dissimilarity(totals, 6915, simulations=4000, seed=8)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    # the simulated mean estimates the exact expectation (standard error about 0.004 / sqrt(4000))
    assert first.mean() == pytest.approx(segregation.expected_dissimilarity(totals, 6915), abs=3e-4)
    result = segregation.dissimilarity(counts(("X", 10, 40), ("Y", 30, 60)), simulations=500, seed=3)
    assert result.random_range == segregation.dissimilarity(
        counts(("X", 10, 40), ("Y", 30, 60)), simulations=500, seed=3).random_range
    assert (result.simulations, result.seed) == (500, 3)


# --------------------------------------------------------------------------- left out, never imputed

def test_areas_left_out_with_their_reason_and_nothing_imputed():
    frame = counts(("X", 10, 40), ("Y", 30, 60), ("leeg", 0, 0), ("geheim", ".", 55), ("ontbreekt", np.nan, 70),
                   ("zonder totaal", 5, None), ("leeg veld", "", 30), ("half", 2.5, 30), ("negatief", -5, 30),
                   ("te groot", 50, 40))
    result = segregation.dissimilarity(frame)
    assert result.value == pytest.approx(1 / 4)  # as for X and Y alone
    assert result.n_areas == 2
    assert result.left_out == (
        LeftOut("leeg", "total_zero"), LeftOut("geheim", "missing_count"),
        LeftOut("ontbreekt", "missing_count"), LeftOut("zonder totaal", "missing_count"),
        LeftOut("leeg veld", "missing_count"), LeftOut("half", "not_a_count"),
        LeftOut("negatief", "not_a_count"), LeftOut("te groot", "group_exceeds_total"))
    assert set(segregation.REASONS) >= {item.reason for item in result.left_out}
    assert segregation.exposure(frame).left_out == result.left_out


def test_small_counts_are_marked_and_used_as_they_are():
    # (5, 50) and (45, 50): A = 50, rest (45, 5), B = 50; D = 1/2 (|0.1 - 0.9| + |0.9 - 0.1|) = 0.8
    frame = counts(("a", 5, 50), ("b", 45, 50), ("c", 100, 200))
    result = segregation.dissimilarity(frame)
    # with c: A = 150, B = 150; D = 1/2 (|5 - 45| + |45 - 5| + |100 - 100|) / 150 = 40/150
    assert result.value == pytest.approx(40 / 150)
    assert result.small_counts == ("a", "b")  # a: group 5; b: rest 5
    assert list(result.areas["group"]) == [5, 45, 100]
    assert list(result.areas["small"]) == [True, True, False]
    assert segregation.exposure(frame).small_counts == ("a", "b")
    assert list(areas.small_counts([0, 9, 10, np.nan, 250])) == [True, True, False, False, False]


def test_refuses_what_it_cannot_compute():
    with pytest.raises(ValueError, match="meer dan eens"):
        segregation.dissimilarity(counts(("X", 1, 4), ("X", 2, 4)))
    with pytest.raises(ValueError, match="Kolommen ontbreken"):
        segregation.dissimilarity(pd.DataFrame({"area": ["X"], "total": [4]}))
    with pytest.raises(ValueError, match="niet gedefinieerd"):
        segregation.dissimilarity(counts(("X", 0, 4), ("Y", 0, 5)))
    with pytest.raises(ValueError, match="Geen bruikbare"):
        segregation.exposure(counts(("X", 0, 0)))


def test_other_column_names():
    frame = pd.DataFrame({"buurt": ["X", "Y"], "niet_westers": [10, 30], "inwoners": [40, 60]})
    result = segregation.dissimilarity(frame, area="buurt", group="niet_westers", total="inwoners")
    assert result.value == pytest.approx(1 / 4)


# --------------------------------------------------------------------------- real counts: Maassluis, 2022

# CBS Kerncijfers wijken en buurten 2022 (85318NED), 1 January 2022: inhabitants with a non-western migration
# background and all inhabitants per buurt of Maassluis (19 buurten), copied from
# /work/shared/data/cbs_kerncijfers_2012_2024.csv (rows with cbs_tabel 'KWB 2022 (85318NED) ...'). CBS rounds
# buurt counts to fives, so they sum to 6.915 and 34.140, not to the municipal 6.905 and 34.148.
# Spreadsheet columns, worked out by hand: rest = total - group; a/A = group / 6915; b/B = rest / 27225;
# |a/A - b/B|. The last column sums to 0.457858, so D = 0.457858 / 2 = 0.228929.
KWB_2022_BUURTEN = [
    # code, buurt, niet-westers, inwoners, rest, a/A, b/B, |a/A - b/B|
    ("BU05560101", "Taanschuurpolder", 400, 2505, 2105, 0.057845, 0.077319, 0.019473),
    ("BU05560201", "Vertobuurt", 515, 2680, 2165, 0.074476, 0.079522, 0.005047),
    ("BU05560202", "Bloemenbuurt", 320, 860, 540, 0.046276, 0.019835, 0.026442),
    ("BU05560203", "Bomendal", 470, 2090, 1620, 0.067968, 0.059504, 0.008464),
    ("BU05560301", "Sluispolder Oost", 900, 3365, 2465, 0.130152, 0.090542, 0.039610),
    ("BU05560302", "Sluispolder West", 370, 1765, 1395, 0.053507, 0.051240, 0.002267),
    ("BU05560303", "Binnenstad", 265, 1005, 740, 0.038322, 0.027181, 0.011142),
    ("BU05560401", "Kapelpolder", 300, 1335, 1035, 0.043384, 0.038017, 0.005367),
    ("BU05560402", "Componistenbuurt", 715, 2025, 1310, 0.103398, 0.048118, 0.055281),
    ("BU05560403", "Koningshoek", 265, 1745, 1480, 0.038322, 0.054362, 0.016039),
    ("BU05560404", "Het Balkon", 270, 1875, 1605, 0.039046, 0.058953, 0.019908),
    ("BU05560405", "Nieuwe waterweg", 0, 40, 40, 0.000000, 0.001469, 0.001469),
    ("BU05560501", "Vogelbuurt", 480, 3725, 3245, 0.069414, 0.119192, 0.049778),
    ("BU05560502", "Burgemeesterswijk", 1070, 3095, 2025, 0.154736, 0.074380, 0.080356),
    ("BU05560601", "Steendijkpolder Noord", 205, 2165, 1960, 0.029646, 0.071993, 0.042347),
    ("BU05560602", "Steendijkpolder Zuid", 285, 2670, 2385, 0.041215, 0.087603, 0.046389),
    ("BU05560701", "Zuidbuurt", 0, 130, 130, 0.000000, 0.004775, 0.004775),
    ("BU05560702", "De Dijk", 0, 10, 10, 0.000000, 0.000367, 0.000367),
    ("BU05560801", "Wilgenrijk", 85, 1055, 970, 0.012292, 0.035629, 0.023337),
]
# The same sum in exact fractions: D = 191548 / 836715.
D_2022 = Fraction(191548, 836715)


def kwb_2022() -> pd.DataFrame:
    return pd.DataFrame([(row[1], row[2], row[3]) for row in KWB_2022_BUURTEN], columns=["area", "group", "total"])


def test_spreadsheet_columns_are_consistent():
    for _, _, group, total, rest, share_a, share_b, diff in KWB_2022_BUURTEN:
        assert rest == total - group
        assert share_a == pytest.approx(group / 6915, abs=5e-7)
        assert share_b == pytest.approx(rest / 27225, abs=5e-7)
        assert diff == pytest.approx(abs(share_a - share_b), abs=1.5e-6)
    assert sum(row[7] for row in KWB_2022_BUURTEN) == pytest.approx(0.457858, abs=1e-9)
    exact = sum(abs(Fraction(row[2], 6915) - Fraction(row[4], 27225)) for row in KWB_2022_BUURTEN) / 2
    assert exact == D_2022


def test_dissimilarity_maassluis_buurten_2022():
    result = segregation.dissimilarity(kwb_2022())
    assert result.value == pytest.approx(float(D_2022), abs=1e-12)
    assert result.value == pytest.approx(0.228929, abs=5e-7)
    assert (result.n_areas, result.group_total, result.rest_total, result.left_out) == (19, 6915, 27225, ())
    assert list(result.areas["contribution"]) == pytest.approx([row[7] / 2 for row in KWB_2022_BUURTEN],
                                                               abs=1e-6)
    # Random allocation of 6.915 persons over buurten of these sizes: E[D] = 0.0209 (exact sum over the
    # hypergeometric probabilities); the observed D is about eleven times that.
    assert result.expected_random == pytest.approx(0.0208967, abs=1e-7)
    low, high = result.random_range
    assert 0.010 < low < result.expected_random < high < 0.035
    assert result.value > 5 * high
    assert result.systematic == pytest.approx((result.value - result.expected_random)
                                              / (1 - result.expected_random))
    # The three tiny buurten (groep 0) are used as they are and marked for suppression.
    assert result.small_counts == ("Nieuwe waterweg", "Zuidbuurt", "De Dijk")


def test_exposure_maassluis_buurten_2022():
    # isolation = sum a_i/A * a_i/t_i, written out over the table; P = 6915 / 34140
    isolation = sum(Fraction(g, 6915) * Fraction(g, t) for _, _, g, t, *_ in KWB_2022_BUURTEN)
    result = segregation.exposure(kwb_2022())
    assert result.isolation == pytest.approx(float(isolation), abs=1e-12)
    assert result.isolation == pytest.approx(0.240521, abs=5e-7)
    assert result.exposure == pytest.approx(1 - 0.240521, abs=5e-7)
    assert result.group_share == pytest.approx(6915 / 34140)  # 0.202548
    assert result.expected_isolation == pytest.approx(6915 / 34140 + (27225 / 34140) * 18 / 34139)  # 0.202969


def test_the_chance_of_d_under_random_allocation_is_the_share_of_simulations_at_or_above_it():
    # Maassluis 2022: none of the 10.000 random allocations reaches D = 0,229
    result = segregation.dissimilarity(kwb_2022())
    assert (result.exceedances, result.simulations) == (0, 10_000)
    # two areas, a D that random allocation reaches often: counted from the same seeded draws
    small = counts(("X", 4, 10), ("Y", 6, 10))
    result = segregation.dissimilarity(small, simulations=2_000, seed=7)
    draws = segregation.simulate_dissimilarity([10, 10], 10, simulations=2_000, seed=7)
    assert result.exceedances == int(np.sum(draws >= result.value - 1e-12)) and 0 < result.exceedances < 2_000


def test_key_message_gives_expected_d_chance_and_bias_corrected_d():
    """The old message read 'bij een willekeurige spreiding zou dat rond 2% liggen' (an expected value worded as if
    it were the chance) and left out the bias-corrected D."""
    result = segregation.dissimilarity(kwb_2022())
    text = area_texts.sentence_dissimilarity(result, "niet-westerse migratieachtergrond", "Maassluis", 2022)
    assert text == (
        "In 2022 zou 23% van de inwoners met een niet-westerse migratieachtergrond in Maassluis moeten verhuizen "
        "om gelijk over de 19 buurten verspreid te wonen (ongelijkheidsindex D = 0,23; gecorrigeerd voor toeval "
        "0,21). Bij een willekeurige spreiding over dezelfde buurten is D gemiddeld 0,02; de kans op een D van "
        "0,23 of hoger bij een willekeurige spreiding is kleiner dan 1 op de 10.000 (geen van 10.000 gesimuleerde "
        "willekeurige spreidingen komt zo hoog).")
    assert result.systematic == pytest.approx((0.228929 - 0.0208967) / (1 - 0.0208967), abs=1e-6)  # 0,2125
    some = segregation.dissimilarity(counts(("X", 4, 10), ("Y", 6, 10)), simulations=2_000, seed=7)
    assert some.exceedances == 1335
    assert area_texts.chance_text(some, how=False) == "1.335 op de 2.000"


def test_top_wijk_sentence_separates_the_share_within_a_wijk_from_where_most_of_the_group_lives():
    """The old sentence said 'woont het grootste aandeel ... in Sluispolder' for the share within Sluispolder,
    while Kapelpolder houses more of the group."""
    text = area_texts.sentence_top_area("Sluispolder", "niet-westerse migratieachtergrond", 25.1, 20.2,
                                        "Maassluis", 2022, most=("Kapelpolder", 31.0))
    assert text == ("In 2022 is het aandeel inwoners uit de groep niet-westerse migratieachtergrond het hoogst in "
                    "Sluispolder: 25,1% van de inwoners van die wijk, tegen 20,2% in heel Maassluis. De meeste "
                    "inwoners uit die groep wonen in Kapelpolder (31,0% van de groep).")
    same = area_texts.sentence_top_area("Sluispolder", "g", 25.1, 20.2, "Maassluis", 2022, most=("Sluispolder", 40.0))
    assert same.endswith("Daar wonen ook de meeste inwoners uit die groep (40,0% van de groep).")
    assert "grootste aandeel" not in text + same


def test_most_of_the_group_is_counted_over_all_wijken():
    # the highest share (60%, in a small wijk) is not where most of the group lives (Groot: 300 of 420)
    rows = pd.DataFrame({"area": ["Klein", "Groot", "Midden"], "count": [60.0, 300.0, 60.0],
                         "base": [100.0, 1500.0, 400.0]})
    assert most_of_group(rows, 10) == ("Groot", pytest.approx(100 * 300 / 420))
    assert most_of_group(rows.assign(count=[6.0, 8.0, 2.0]), 10) is None  # the top count is small: not said
    assert most_of_group(rows.assign(count=[60.0, np.nan, 60.0]), 10) is None  # a missing wijk: no total


# --------------------------------------------------------------------------- reader text

def test_explanation_without_numbers():
    text = area_texts.segregation_explanation()
    assert "het aandeel van de groep dat zou moeten verhuizen voor een gelijke spreiding" in text
    assert area_texts.FORMULA in text and "$" not in text  # plain text: the pages work without MathJax
    assert "Kleine buurten" in text and "willekeurig" in text
    assert "'van factor 19 naar 13'" in text and "nooit getalsmatig mee vergeleken" in text
    assert "reproductieregister" in text
    assert "Uitkomst" not in text


def test_explanation_with_numbers():
    result = segregation.dissimilarity(kwb_2022())
    text = area_texts.segregation_explanation(result, exposure_result=segregation.exposure(kwb_2022()), jaar=2022)
    assert "In 2022 is *D* over 19 buurten van Maassluis 0,23 (22,9%)" in text
    assert "gemiddeld 2,1% (een verwachte waarde)" in text
    assert "De kans op een *D* van 22,9% of hoger bij een willekeurige verdeling is kleiner dan 1 op de 10.000" in text
    assert "Gecorrigeerd voor toeval" in text and "is *D* 0,21." in text
    assert "ligt daarboven" in text
    assert "Nieuwe waterweg, Zuidbuurt, De Dijk" in text
    assert "isolatie" in text and "24,1%" in text and "20,3%" in text
    # no count of persons appears in the reader text
    for _, _, group, total, rest, *_ in KWB_2022_BUURTEN:
        for number in (group, total, rest):
            if number >= 100:
                assert f" {number} " not in text
    left = segregation.dissimilarity(counts(("X", 10, 40), ("Y", 30, 60), ("Z", ".", 20)), simulations=200)
    text = area_texts.segregation_explanation(left, area_label="wijken")
    assert "Niet meegeteld (niets bijgeschat): Z (aantal ontbreekt of is geheim)." in text
    assert "valt binnen wat door toeval" in text or "ligt daarboven" in text
    assert "elke wijk" in text and "buurt" not in text.replace("Buurtmonitor", "").replace("wijken en buurten", "")


# --------------------------------------------------------------------------- from the tidy table

REGIOS = pd.DataFrame([
    ("Maassluis", "GM0556", "gemeente", ""), ("Schiedam", "GM0606", "gemeente", ""),
    ("Wijk A", "WK055601", "wijk", "Maassluis"), ("Wijk B", "WK055602", "wijk", "Maassluis"),
    ("Buurt 1", "BU05560101", "buurt", "Wijk A"), ("Buurt 2", "BU05560201", "buurt", "Wijk B"),
    ("Buurt 3", "BU05560202", "buurt", "Wijk B"), ("Wijk S", "WK060601", "wijk", "Schiedam"),
    ("Buurt S", "BU06060101", "buurt", "Wijk S"),
], columns=["regio", "code", "niveau", "ligt_in"])


def observation(indicator, regio, groep, jaar, waarde, reeks="cbs_kwb", vervangen_door=""):
    return {"indicator": indicator, "regio": regio, "groep": groep, "jaar": jaar, "waarde": waarde,
            "reeks": reeks, "bron": reeks, "vervangen_door": vervangen_door}


def test_area_counts_from_the_tidy_table():
    obs = pd.DataFrame([
        observation("aantal_herkomst", "Buurt 1", "niet_westers", 2022, 10.0),
        observation("inwoners", "Buurt 1", "totaal", 2022, 40.0),
        observation("aantal_herkomst", "Buurt 2", "niet_westers", 2022, 30.0),
        observation("aantal_herkomst", "Buurt 2", "niet_westers", 2022, 99.0, reeks="oud", vervangen_door="x"),
        observation("inwoners", "Buurt 2", "totaal", 2022, 60.0),
        observation("inwoners", "Buurt 3", "totaal", 2022, 25.0),  # no count: stays missing
        observation("aantal_herkomst", "Buurt 1", "niet_westers", 2021, 12.0),
        observation("aantal_herkomst", "Buurt S", "niet_westers", 2022, 500.0),
        observation("inwoners", "Buurt S", "totaal", 2022, 900.0),
    ])
    assert areas.within(REGIOS, "Maassluis", "buurt") == ["Buurt 1", "Buurt 2", "Buurt 3"]
    assert areas.within(REGIOS, "Maassluis", "wijk") == ["Wijk A", "Wijk B"]
    assert areas.within(REGIOS, "Wijk B", "buurt") == ["Buurt 2", "Buurt 3"]
    frame = areas.area_counts(obs, REGIOS, region="Maassluis", level="buurt", jaar=2022,
                              indicator="aantal_herkomst", groep="niet_westers")
    assert list(frame["area"]) == ["Buurt 1", "Buurt 2", "Buurt 3"]
    assert list(frame["code"]) == ["BU05560101", "BU05560201", "BU05560202"]
    assert list(frame["count"][:2]) == [10.0, 30.0] and np.isnan(frame["count"].iloc[2])
    assert list(frame["base"]) == [40.0, 60.0, 25.0]
    result = segregation.dissimilarity(frame, group="count", total="base")
    assert result.value == pytest.approx(1 / 4)
    assert result.left_out == (LeftOut("Buurt 3", "missing_count"),)


def test_area_counts_refuses_two_reeksen():
    obs = pd.DataFrame([observation("inwoners", "Buurt 1", "totaal", 2022, 40.0),
                        observation("inwoners", "Buurt 1", "totaal", 2022, 41.0, reeks="andere"),
                        observation("aantal_herkomst", "Buurt 1", "niet_westers", 2022, 10.0)])
    with pytest.raises(ValueError, match="meer dan één reeks"):
        areas.area_counts(obs, REGIOS, region="Wijk A", level="buurt", jaar=2022,
                          indicator="aantal_herkomst", groep="niet_westers")
    frame = areas.area_counts(obs, REGIOS, region="Wijk A", level="buurt", jaar=2022,
                              indicator="aantal_herkomst", groep="niet_westers", base_reeks="andere")
    assert list(frame["base"]) == [41.0]
