"""Wijk profiles: shares from counts, difference, index, standardised score, highlights, small flags."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analyse import profile

# Three wijken: A (1.000 inhabitants), B (2.600), C (400, below the 500 threshold).
#   x: A 100, B 780, C 120 -> 10%, 30%, 30%; pooled 1000/4000 = 25%; differences -15, +5, +5 procentpunt;
#      weighted variance (1000*225 + 2600*25 + 400*25)/4000 = 75, spread sqrt(75) = 5*sqrt(3);
#      z = -sqrt(3), 1/sqrt(3), 1/sqrt(3); index 40, 120, 120.
#   y: A 300, B 260, C 40 -> 30%, 10%, 10%; pooled 600/4000 = 15%; differences +15, -5, -5; spread sqrt(75);
#      z = sqrt(3), -1/sqrt(3), -1/sqrt(3); index 200, 66.67, 66.67.
#   s: A 50, B 130, C 5 -> 5%, 5%, 1.25%; pooled 185/4000 = 4.625%; differences 0.375, 0.375, -3.375;
#      variance (3600*0.140625 + 400*11.390625)/4000 = 1.265625, spread 1.125; z = 1/3, 1/3, -3.
TOY = pd.DataFrame([
    ("A", "x", 100, 1000), ("B", "x", 780, 2600), ("C", "x", 120, 400),
    ("A", "y", 300, 1000), ("B", "y", 260, 2600), ("C", "y", 40, 400),
    ("A", "s", 50, 1000), ("B", "s", 130, 2600), ("C", "s", 5, 400),
], columns=["area", "indicator", "count", "base"])
R3 = math.sqrt(3)


def row(frame: pd.DataFrame, area: str, indicator: str) -> pd.Series:
    return frame[(frame["area"] == area) & (frame["indicator"] == indicator)].iloc[0]


def test_hand_computed_profile():
    result = profile.profile(TOY)
    assert list(result.columns) == profile.COLUMNS
    expected = {
        ("A", "x"): (10, 25, -15, 40, -R3), ("B", "x"): (30, 25, 5, 120, 1 / R3),
        ("C", "x"): (30, 25, 5, 120, 1 / R3),
        ("A", "y"): (30, 15, 15, 200, R3), ("B", "y"): (10, 15, -5, 200 / 3, -1 / R3),
        ("C", "y"): (10, 15, -5, 200 / 3, -1 / R3),
        ("A", "s"): (5, 4.625, 0.375, 500 / 4.625, 1 / 3), ("B", "s"): (5, 4.625, 0.375, 500 / 4.625, 1 / 3),
        ("C", "s"): (1.25, 4.625, -3.375, 125 / 4.625, -3),
    }
    for (area, indicator), (value, average, difference, index, z) in expected.items():
        r = row(result, area, indicator)
        assert r["value"] == pytest.approx(value)
        assert r["average"] == pytest.approx(average)
        assert r["difference"] == pytest.approx(difference)
        assert r["index"] == pytest.approx(index)
        assert r["z"] == pytest.approx(z)
        assert r["from_counts"]
    assert row(result, "A", "x")["spread"] == pytest.approx(math.sqrt(75))
    assert row(result, "A", "s")["spread"] == pytest.approx(1.125)


def test_small_areas_and_small_counts_are_flagged_and_counts_kept():
    result = profile.profile(TOY)
    assert dict(zip(result["area"], result["population"])) == {"A": 1000, "B": 2600, "C": 400}
    assert set(result.loc[result["small_area"], "area"]) == {"C"}
    assert list(result.loc[result["count_small"], ["area", "indicator"]].itertuples(index=False)) == [("C", "s")]
    assert not result["base_small"].any()
    assert list(result["count"]) == list(TOY["count"])  # kept as given, small ones too
    # a lower threshold, and the inhabitants given explicitly
    other = profile.profile(TOY, small_population=300, population={"A": 1000, "B": 2600, "C": 450})
    assert not other["small_area"].any()
    assert row(other, "C", "x")["population"] == 450


def test_highlights():
    result = profile.profile(TOY)
    top = profile.highlights(result, 5)
    # |z|: A x and A y sqrt(3); B x and B y 1/sqrt(3); A s and B s 1/3; C (small) is not ranked
    pairs = [tuple(r) for r in top[["area", "indicator"]].itertuples(index=False)]
    assert set(pairs[:2]) == {("A", "x"), ("A", "y")}
    assert set(pairs[2:4]) == {("B", "x"), ("B", "y")}
    assert top["z"].abs().iloc[4] == pytest.approx(1 / 3)
    assert "C" not in set(top["area"])
    with_small = profile.highlights(result, 1, include_small_areas=True)
    assert (with_small["area"].iloc[0], with_small["indicator"].iloc[0]) == ("C", "s")
    assert with_small["z"].iloc[0] == pytest.approx(-3)
    per_area = profile.highlights(result, 2, per_area=1)
    assert list(per_area["area"]) == ["A", "B"]
    assert "s" not in set(profile.highlights(result, 9, min_difference=1)["indicator"])
    assert profile.highlights(result.iloc[0:0], 3).empty
    assert profile.highlights(result.iloc[0:0], 3, per_area=2).empty


def test_municipal_average_instead_of_pooled():
    # the municipality's own count for x: 260 of 1000 = 26%: differences -16, +4, +4;
    # spread sqrt((1000*256 + 2600*16 + 400*16)/4000) = sqrt(76)
    municipal = pd.DataFrame({"indicator": ["x"], "count": [260], "base": [1000]})
    result = profile.profile(TOY[TOY["indicator"] == "x"], municipal=municipal)
    assert row(result, "A", "x")["average"] == pytest.approx(26)
    assert row(result, "A", "x")["difference"] == pytest.approx(-16)
    assert row(result, "A", "x")["spread"] == pytest.approx(math.sqrt(76))
    assert row(result, "B", "x")["z"] == pytest.approx(4 / math.sqrt(76))
    assert row(result, "A", "x")["index"] == pytest.approx(1000 / 26)
    shares_only = profile.profile(TOY[TOY["indicator"] == "x"],
                                  municipal=pd.DataFrame({"indicator": ["x"], "share": [26.0]}))
    assert row(shares_only, "A", "x")["average"] == pytest.approx(26)


def test_counts_first_published_share_only_where_counts_are_missing():
    frame = pd.DataFrame({"area": ["P", "Q", "R", "S"], "indicator": "x",
                          "count": [20, np.nan, ".", 30], "base": [100, np.nan, 200, 100],
                          "share": [99.0, 40.0, np.nan, 10.0]})
    result = profile.profile(frame, population={"P": 100, "Q": 300, "R": 200, "S": 100})
    # P and S from counts (20%, 30%: the published 99 and 10 are ignored), Q from its published 40%,
    # R has nothing (a secrecy mark is not a count) and is left empty. Weights 100, 300, 100:
    # average (100*20 + 300*40 + 100*30) / 500 = 34
    assert list(result["from_counts"]) == [True, False, False, True]
    assert row(result, "P", "x")["value"] == pytest.approx(20)
    assert row(result, "Q", "x")["value"] == pytest.approx(40)
    assert np.isnan(row(result, "R", "x")["value"]) and np.isnan(row(result, "R", "x")["z"])
    assert row(result, "P", "x")["average"] == pytest.approx(34)
    # spread sqrt((100*196 + 300*36 + 100*16) / 500) = sqrt(64) = 8
    assert row(result, "P", "x")["spread"] == pytest.approx(8)
    assert row(result, "Q", "x")["z"] == pytest.approx(6 / 8)
    assert "R" not in set(profile.highlights(result, 10)["area"])
    # without inhabitants for Q its size is unknown: flagged as small (its published share cannot be vouched for)
    unknown = profile.profile(frame)
    assert list(unknown["small_area"]) == [True, True, True, True]  # P, R, S have 100-200 inhabitants
    assert list(profile.profile(frame, small_population=100)["small_area"]) == [False, True, False, False]


def test_refuses_doubles_and_missing_columns():
    with pytest.raises(ValueError, match="meer dan eens"):
        profile.profile(pd.concat([TOY, TOY.head(1)]))
    with pytest.raises(ValueError, match="Kolommen ontbreken"):
        profile.profile(TOY.drop(columns="base"))
    with pytest.raises(ValueError, match="meer dan eens in de gemeentecijfers"):
        profile.profile(TOY, municipal=pd.DataFrame({"indicator": ["x", "x"], "share": [1.0, 2.0]}))


def test_rate_per_1000():
    frame = pd.DataFrame({"area": ["A", "B"], "indicator": "r", "count": [3, 9], "base": [1000, 1000]})
    result = profile.profile(frame, factor=1000)
    assert list(result["value"]) == pytest.approx([3, 9])
    assert list(result["index"]) == pytest.approx([50, 150])
    assert list(result["count_small"]) == [True, True]


# CBS Kerncijfers wijken en buurten 2024 (85984NED), 1 January 2024, per wijk of Maassluis: inhabitants,
# herkomst buiten Europa, 0 tot 15 jaar, 65 jaar of ouder (counts rounded to fives by CBS), copied from
# /work/shared/data/cbs_kerncijfers_2012_2024.csv.
KWB_2024_WIJKEN = [
    ("WK055601", "Wijk 01 Taanschuurpolder", 2915, 555, 435, 515),
    ("WK055602", "Wijk 02 Dijkpolder", 5680, 1650, 1050, 1385),
    ("WK055603", "Sluispolder", 6140, 1735, 1035, 1075),
    ("WK055604", "Wijk 04 Kapelpolder", 7590, 1950, 1170, 2155),
    ("WK055605", "Wijk 05 Burgemeesterswijk", 6695, 1720, 1100, 1705),
    ("WK055606", "Wijk 06 Steendijkpolder", 4875, 705, 715, 1235),
    ("WK055607", "Wijk 07 Aalkeetpolder", 135, 5, 20, 40),
    ("WK055608", "Wijk 08 Wilgenrijk", 1810, 285, 465, 130),
]


def kwb_2024() -> pd.DataFrame:
    names = {3: "herkomst_buiten_europa", 4: "leeftijd_0_14", 5: "leeftijd_65_plus"}
    return pd.DataFrame([(r[1], names[j], r[j], r[2]) for r in KWB_2024_WIJKEN for j in names],
                        columns=["area", "indicator", "count", "base"])


def test_maassluis_wijken_2024():
    result = profile.profile(kwb_2024())
    # 0-14 jaar: 5.990 of 35.840 over the wijken = 16.7132%; Wilgenrijk 465 / 1810 = 25.6906%,
    # +8.977 procentpunt; the weighted spread over the eight wijken is 2.4057 procentpunt.
    young = row(result, "Wijk 08 Wilgenrijk", "leeftijd_0_14")
    assert young["average"] == pytest.approx(100 * 5990 / 35840)
    assert young["value"] == pytest.approx(100 * 465 / 1810)
    assert young["difference"] == pytest.approx(8.977, abs=5e-4)
    assert young["spread"] == pytest.approx(2.4057, abs=5e-5)
    assert young["z"] == pytest.approx(3.732, abs=5e-4)
    assert young["index"] == pytest.approx(153.7, abs=0.05)
    # the spread written out: sqrt(sum n_w (p_w - p)^2 / sum n_w)
    p = 100 * 5990 / 35840
    by_hand = math.sqrt(sum(r[2] * (100 * r[4] / r[2] - p) ** 2 for r in KWB_2024_WIJKEN) / 35840)
    assert young["spread"] == pytest.approx(by_hand)
    # Aalkeetpolder (135 inhabitants) is flagged; its buiten-Europa count (5) is marked for suppression
    aalkeet = row(result, "Wijk 07 Aalkeetpolder", "herkomst_buiten_europa")
    assert aalkeet["small_area"] and aalkeet["count_small"] and aalkeet["count"] == 5
    top = profile.highlights(result, 3)
    assert list(zip(top["area"], top["indicator"])) == [
        ("Wijk 08 Wilgenrijk", "leeftijd_0_14"), ("Wijk 08 Wilgenrijk", "leeftijd_65_plus"),
        ("Wijk 06 Steendijkpolder", "herkomst_buiten_europa")]
    assert list(top["z"]) == pytest.approx([3.732, -2.955, -1.816], abs=5e-4)
    assert list(top["difference"]) == pytest.approx([8.977, -15.809, -9.548], abs=5e-4)
