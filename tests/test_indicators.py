"""indicators.py: selections, changes, shares and rates, and the small-group warning (which number it quotes)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyse import disclosure, indicators
from analyse.text import disclosure_texts
from conftest import load_shipped

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["indicator", "label", "regio", "groep", "jaar", "waarde", "eenheid", "bron", "teller", "noemer", "n"]


def frame(rows) -> pd.DataFrame:
    rows = [tuple(r) + (np.nan,) * (len(COLUMNS) - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=COLUMNS)


OBS = frame([
    ("inwoners", "Inwoners", "Maassluis", "totaal", 2009, 31390, "aantal", "doc"),
    ("inwoners", "Inwoners", "Maassluis", "totaal", 2018, 32518, "aantal", "doc"),
    ("inwoners", "Inwoners", "Maassluis", "totaal", 2017, 32450, "aantal", "begroting"),
    ("aandeel", "Aandeel", "Maassluis", "totaal", 2009, 23.3, "procent", "doc"),
    ("aandeel", "Aandeel", "Maassluis", "totaal", 2018, 26.9, "procent", "doc"),
    ("aandeel", "Aandeel", "Nederland", "totaal", 2018, 22.6, "procent", "doc"),
    ("rang", "Rang", "Maassluis", "totaal", 2016, 1, "rang", "doc"),
    ("rang", "Rang", "Maassluis", "totaal", 2017, 2, "rang", "doc"),
])


def test_select_filters_inclusively():
    assert len(indicators.select(OBS, indicator="inwoners")) == 3
    assert len(indicators.select(OBS, indicator=["inwoners", "aandeel"], regio="Maassluis")) == 5
    assert indicators.select(OBS, indicator="inwoners", start=2017, end=2018)["jaar"].tolist() == [2018, 2017]
    assert indicators.select(OBS, indicator="inwoners", start=2019).empty


def test_value_at_prefers_the_named_source_then_the_name():
    two = pd.concat([OBS, frame([("inwoners", "Inwoners", "Maassluis", "totaal", 2009, 31400, "aantal", "andere")])])
    assert indicators.value_at(two, "inwoners", "Maassluis", "totaal", 2009, prefer_bron="doc")["waarde"] == 31390
    assert indicators.value_at(two, "inwoners", "Maassluis", "totaal", 2009)["bron"] == "andere"  # alphabetical
    assert indicators.value_at(two, "inwoners", "Maassluis", "totaal", 2010) is None


def test_change_in_procentpunt_for_shares_and_percent_for_counts():
    share = indicators.change(23.3, 26.9, "procent")
    assert (share.kind, share.absolute, share.relative_pct, share.direction) == ("procentpunt", 3.6, None, "stijging")
    count = indicators.change(31390, 32518, "aantal")
    assert count.kind == "procent" and count.relative_pct == pytest.approx(1128 / 31390 * 100)
    assert indicators.change(0, 5, "aantal").relative_pct is None
    assert indicators.change(5, 3, "per_1000").kind == "verschil"
    with pytest.raises(ValueError):
        indicators.change(1, 2, "rang")


def test_changes_per_series_on_the_reeks_that_counts():
    obs = OBS.assign(reeks=OBS["bron"])
    table = indicators.changes(obs).set_index(["indicator", "regio"])
    row = table.loc[("inwoners", "Maassluis")]
    # series.choose: the reeks with the newest year (doc: 2009, 2018) over begroting (2017)
    assert (row["reeks"], row["jaar_van"], row["jaar_tot"], row["n_jaren"]) == ("doc", 2009, 2018, 2)
    assert row["andere_reeksen"] == "begroting"
    assert row["relatief"] == pytest.approx(1128 / 31390 * 100)
    assert table.loc[("aandeel", "Maassluis"), "soort"] == "procentpunt"
    assert table.loc[("aandeel", "Nederland"), "opmerking"] == "een_meting"
    assert table.loc[("rang", "Maassluis"), "opmerking"] == "rang"


def test_share_and_rate():
    assert indicators.share(6, 252) == pytest.approx(2.380952, abs=1e-6)
    assert indicators.rate_per_1000(12, 2400) == 5
    with pytest.raises(ValueError):
        indicators.share(1, 0)
    with pytest.raises(ValueError):
        indicators.rate_per_1000(1, -1)


# --------------------------------------------------------------------------- few cases

SMALL = frame([
    ("personeel", "Medewerkers", "Maassluis", "leeftijd_tot_29", 2017, 6, "aantal", "doc", 6, 252),
    ("personeel", "Medewerkers", "Maassluis", "totaal", 2017, 252, "aantal", "doc"),
    ("stagiaires", "Stagiaires", "Maassluis", "opleiding_hbo", 2017, 5, "aantal", "doc"),
    ("aangiften", "Aangiften", "Maassluis", "totaal", 2017, 5, "aantal", "doc"),
    ("vve", "VVE", "Maassluis", "totaal", 2017, 50.0, "procent", "doc", 15, 30),
    ("vve", "VVE", "Maassluis", "totaal", 2018, 60.0, "procent", "doc", 60, 100),
    ("tevreden", "Tevreden", "Maassluis", "totaal", 2017, 70.0, "procent", "enq", np.nan, np.nan, 40),
    ("bijstand", "Bijstand", "Nederland", "totaal", 2017, 35.0, "per_1000", "cbs", 496600, np.nan),
])


def test_small_groups_quotes_the_teller_when_the_teller_is_small():
    few = indicators.small_groups(SMALL, person_indicators={"personeel", "stagiaires"})
    found = {(r.indicator, int(r.jaar)): (r.klein_getal, r.klein_soort) for r in few.itertuples()}
    assert found == {
        ("personeel", 2017): (6, "teller"),   # 6/252: the teller, not 'minimaal 252'
        ("stagiaires", 2017): (5, "aantal"),  # a count of persons
        ("vve", 2017): (15, "teller"),        # 15 of 30: the smaller of the two
        ("tevreden", 2017): (40, "n"),        # 40 respondents
    }


def test_counts_that_are_not_persons_are_not_small_groups():
    few = indicators.small_groups(SMALL)  # no person indicators given
    assert set(few["indicator"]) == {"personeel", "vve", "tevreden"}  # personeel via its teller


def test_small_group_warnings_never_print_fewer_than_10_persons():
    labels = {"personeel": "Medewerkers van de gemeente", "stagiaires": "Stagiaires", "vve": "VVE-deelname",
              "tevreden": "Tevreden inwoners"}
    groups = {"leeftijd_tot_29": "tot 29 jaar", "opleiding_hbo": "hbo", "totaal": "totaal"}
    warnings = disclosure_texts.small_group_warnings(SMALL, labels, groups, {"personeel", "stagiaires"})
    assert warnings == [
        "Het cijfer voor medewerkers van de gemeente (tot 29 jaar, Maassluis) rust op weinig waarnemingen "
        "(teller: minder dan 10): verschillen tussen jaren of groepen kunnen toeval zijn.",
        "Het cijfer voor stagiaires (hbo, Maassluis) rust op weinig waarnemingen (aantal personen: minder dan 10): "
        "verschillen tussen jaren of groepen kunnen toeval zijn.",
        "Het cijfer voor tevreden inwoners (totaal, Maassluis) rust op weinig waarnemingen (respondenten: 40): "
        "verschillen tussen jaren of groepen kunnen toeval zijn.",
        "Het cijfer voor VVE-deelname (totaal, Maassluis) rust op weinig waarnemingen (teller: 15): "
        "verschillen tussen jaren of groepen kunnen toeval zijn.",
    ]
    assert not any("252" in w for w in warnings)


def test_small_groups_fire_on_the_shipped_data():
    dataset = load_shipped()
    persons = disclosure.person_indicators(dataset.indicatoren)
    few = indicators.small_groups(dataset.observations, person_indicators=persons)
    found = {(r.indicator, r.groep, int(r.jaar)): (r.klein_getal, r.klein_soort) for r in few.itertuples()}
    assert found[("personeel_gemeente", "leeftijd_tot_29", 2017)] == (6, "teller")
    for level, count in (("hbo", 5), ("mbo", 8), ("vmbo", 1)):
        assert found[("stagiaires_gemeente", f"opleiding_{level}", 2017)] == (count, "aantal")
    labels = dict(zip(dataset.indicatoren["indicator"], dataset.indicatoren["label"]))
    groups = dict(zip(dataset.groepen["groep"], dataset.groepen["label"]))
    warnings = disclosure_texts.small_group_warnings(dataset.observations, labels, groups, persons)
    assert len(warnings) >= 5
    assert any("medewerkers" in w and "teller: minder dan 10" in w for w in warnings)


@pytest.mark.parametrize("module", ["indicators", "disclosure", "monitor", "register"])
def test_imports_on_their_own(module):
    # text imports indicators (Change); indicators must not import text at import time
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", f"import analyse.{module}"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
