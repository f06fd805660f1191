"""Municipalities of the same size (analyse.peers): the CBS size classes, the same year and reeks, the position."""

from __future__ import annotations

import pandas as pd
import pytest

from analyse import peers


def _obs(rows):
    frame = pd.DataFrame(rows, columns=["indicator", "regio", "groep", "jaar", "waarde", "eenheid", "reeks"])
    frame["vervangen_door"] = ""
    frame["bron"] = "b"
    return frame


def _regios(names):
    return pd.DataFrame({"regio": names, "code": [f"GM{i:04d}" for i in range(len(names))],
                         "niveau": ["gemeente"] * len(names)})


def test_size_classes_are_the_eight_cbs_classes_with_the_lower_bound_included():
    assert peers.size_class(4_999) == (0, 5_000)
    assert peers.size_class(20_000) == (20_000, 50_000)
    assert peers.size_class(49_999) == (20_000, 50_000)
    assert peers.size_class(250_000) == (250_000, None)
    assert len(peers.SIZE_CLASSES) == 8


def _town_data():
    names = [f"G{i}" for i in range(8)]
    sizes = [30_000, 25_000, 45_000, 21_000, 35_000, 49_000, 60_000, 19_000]  # G6 and G7: other classes
    rows = [("inwoners", n, "totaal", 2023, s, "aantal", "cbs_bevolking") for n, s in zip(names, sizes)]
    rows += [("misdrijven_per_1000", n, "totaal", 2023, v, "per_1000", "politie")
             for n, v in zip(names, [40.0, 10.0, 20.0, 30.0, 50.0, 60.0, 1.0, 99.0])]
    rows += [("misdrijven_per_1000", "G1", "totaal", 2022, 70.0, "per_1000", "politie"),  # another year
             ("misdrijven_per_1000", "G2", "totaal", 2023, 5.0, "per_1000", "andere_reeks")]  # another reeks
    return _obs(rows), _regios(names)


def test_the_peer_group_is_the_size_class_in_the_same_year_without_the_region():
    obs, regios = _town_data()
    group = peers.peer_group(obs, regios, "G0", 2023)
    assert group.size_class == (20_000, 50_000)
    assert group.members == ("G5", "G2", "G4", "G1", "G3")  # largest first; G6 (60.000) and G7 (19.000) are not
    assert peers.peer_group(obs, regios, "G0", 2022) is None  # no inhabitants of G0 in 2022


def test_the_position_uses_only_the_same_year_and_reeks():
    obs, regios = _town_data()
    found = peers.compare(obs, regios, "G0", "misdrijven_per_1000", "totaal", 2023, "politie")
    assert sorted(found.peers.to_dict().items()) == [("G1", 10.0), ("G2", 20.0), ("G3", 30.0), ("G4", 50.0),
                                                     ("G5", 60.0)]
    assert found.median == 30.0 and (found.lower_quartile, found.upper_quartile) == (20.0, 50.0)
    assert (found.minimum, found.maximum, found.below, found.above) == (10.0, 60.0, 3, 2)
    assert found.value == 40.0 and found.n == 5 and found.missing == 0


def test_no_comparison_for_counts_or_with_too_few_peers():
    obs, regios = _town_data()
    assert peers.compare(obs, regios, "G0", "inwoners", "totaal", 2023, "cbs_bevolking") is None  # a count
    fewer = obs[~((obs["regio"] == "G5") & (obs["indicator"] == "misdrijven_per_1000"))]
    assert peers.compare(fewer, regios, "G0", "misdrijven_per_1000", "totaal", 2023, "politie") is None  # 4 < 5


def test_maassluis_2023_has_its_cbs_size_class_among_every_municipality(shipped_dataset):
    group = peers.peer_group(shipped_dataset.observations, shipped_dataset.regios, "Maassluis", 2023)
    assert group.size_class == (20_000, 50_000) and group.inhabitants == 35_303
    assert "Vlaardingen" not in group.members and "Schiedam" not in group.members  # 74.000 and 80.000
    population = peers.municipal_population(shipped_dataset.observations, shipped_dataset.regios, 2023)
    assert len(population) == 342  # every municipality of 2023
    assert len(group.members) == int(((population >= 20_000) & (population < 50_000)).sum()) - 1
