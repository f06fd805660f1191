"""Disclosure control: counts of persons under the threshold, shares resting on them, secondary suppression,
the base-under-50 flag, key figures, and the rule on the shipped data."""

from pathlib import Path

import pandas as pd
import pytest

from analyse import data, disclosure
from analyse.contract import Settings, SuppressedCell
from analyse.gate import Gate
from conftest import CATALOGUES, make_raw, load_shipped

ROOT = Path(__file__).resolve().parents[1]
PERSONS = {"stagiaires_gemeente", "personeel_gemeente", "inwoners", "halt_per_1000"}
COLUMNS = ["indicator", "regio", "groep", "jaar", "waarde", "eenheid", "teller", "noemer"]


def table(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("teller", "noemer"):
        frame[column] = pd.to_numeric(frame[column])
    return frame


def protect(frame, **kwargs):
    kwargs.setdefault("person_indicators", PERSONS)
    kwargs.setdefault("group_columns", ["indicator", "regio", "jaar"])
    return disclosure.protect(frame, **kwargs)


def interns(*counts, total=None):
    rows = [("stagiaires_gemeente", "Maassluis", f"opleiding_{level}", 2017, n, "aantal", None, None)
            for level, n in zip(("hbo", "mbo", "vmbo"), counts)]
    if total is not None:
        rows.append(("stagiaires_gemeente", "Maassluis", "totaal", 2017, total, "aantal", None, None))
    return table(rows)


def test_the_threshold_is_the_setting():
    assert disclosure.DEFAULT_THRESHOLD == Settings().small_count == 10


def test_counts_of_persons_under_10_are_not_published():
    # the interns of 2017: 5 hbo, 8 mbo, 1 vmbo, total 14. All three are hidden; the total stays: 14 = a + b + c
    # with each under 10 has many solutions, so nothing can be recomputed.
    result = protect(interns(5, 8, 1, total=14))
    assert result.cells == [SuppressedCell(0, "waarde", "<10"), SuppressedCell(1, "waarde", "<10"),
                            SuppressedCell(2, "waarde", "<10")]
    assert result.frame["waarde"].isna().tolist() == [True, True, True, False]
    assert result.frame.loc[3, "waarde"] == 14
    assert any(note.startswith("<10: minder dan 10 personen") for note in result.notes)


def test_secondary_suppression_when_a_hidden_cell_could_be_recomputed():
    # 5 + 12 + 20 = 37: with only the 5 hidden, 37 - 12 - 20 gives it back; the smallest other cell (12) goes too
    result = protect(interns(5, 12, 20, total=37))
    assert result.cells == [SuppressedCell(0, "waarde", "<10"), SuppressedCell(1, "waarde", "×")]
    assert result.frame["waarde"].tolist()[2:] == [20, 37]
    assert any("terug te rekenen" in note for note in result.notes)


def test_no_secondary_suppression_without_a_total_or_when_the_cells_do_not_add_up():
    assert [c.row for c in protect(interns(5, 12, 20)).cells] == [0]
    # 5 + 12 + 20 is not 40: a partial breakdown does not give the hidden cell back
    assert [c.row for c in protect(interns(5, 12, 20, total=40)).cells] == [0]
    # no group columns: no secondary suppression asked
    assert [c.row for c in protect(interns(5, 12, 20, total=37), group_columns=None).cells] == [0]


def test_a_hidden_total_with_visible_cells_is_protected_too():
    rows = interns(12, 20, total=None)
    rows = pd.concat([rows, table([("stagiaires_gemeente", "Maassluis", "totaal", 2017, 9, "aantal", None, None)])],
                     ignore_index=True)
    rows.loc[0, "waarde"], rows.loc[1, "waarde"] = 4, 5  # 4 + 5 = 9: every cell under 10
    assert {c.row for c in protect(rows).cells} == {0, 1, 2}


def test_zero_is_under_10():
    assert protect(interns(0, 12, 20)).cells[0] == SuppressedCell(0, "waarde", "<10")


def test_counts_that_are_not_persons_are_published():
    rows = table([("fietsdiefstal_aangiften", "Maassluis", "totaal", 2017, 3, "aantal", None, None)])
    result = protect(rows)
    assert result.cells == [] and result.notes == [] and result.frame.equals(rows)


def test_a_share_with_a_small_teller_is_hidden_and_its_teller_too():
    # 6 of 252 young staff: 2,4%
    rows = table([("aandeel_jongeren", "Maassluis", "leeftijd_tot_29", 2017, 2.4, "procent", 6, 252)])
    result = protect(rows)
    assert result.cells == [SuppressedCell(0, "waarde", "×"), SuppressedCell(0, "teller", "<10")]
    assert result.frame.loc[0, "noemer"] == 252  # the denominator alone gives nothing away
    assert any("minder dan 10 personen (teller of noemer)" in note for note in result.notes)


def test_a_share_without_teller_uses_the_implied_teller():
    # 2,4% of 252 is 6 persons
    rows = table([("aandeel_jongeren", "Maassluis", "leeftijd_tot_29", 2017, 2.4, "procent", None, 252)])
    assert protect(rows).cells == [SuppressedCell(0, "waarde", "×")]
    bigger = table([("aandeel_jongeren", "Maassluis", "leeftijd_tot_29", 2017, 24.0, "procent", None, 252)])
    assert protect(bigger).cells == []


def test_a_rate_with_a_small_denominator_is_hidden():
    rows = table([("halt_per_1000", "Maassluis", "totaal", 2017, 125.0, "per_1000", 1, 8)])
    result = protect(rows)
    assert {(c.column, c.mark) for c in result.cells} == {("waarde", "×"), ("teller", "<10"), ("noemer", "<10")}


def test_a_rate_of_events_that_are_not_persons_follows_its_published_count():
    # 4 street robberies per 32.000 inhabitants: the count itself is published, so the rate is too
    rows = table([("straatroof_per_1000", "Maassluis", "totaal", 2023, 0.1, "per_1000", 4, 32000)])
    assert protect(rows).cells == []


def test_complementary_percentages_are_protected():
    # 97,6% and 2,4% of the staff: 100 - 97,6 gives the hidden share back
    rows = table([("aandeel_leeftijd_personeel", "Maassluis", "ouder", 2017, 97.6, "procent", 246, 252),
                  ("aandeel_leeftijd_personeel", "Maassluis", "leeftijd_tot_29", 2017, 2.4, "procent", 6, 252)])
    result = protect(rows)
    assert {(c.row, c.column, c.mark) for c in result.cells} == {
        (1, "waarde", "×"), (1, "teller", "<10"), (0, "waarde", "×"), (0, "teller", "×")}
    assert result.frame["waarde"].isna().all()


def test_a_percentage_on_a_base_under_50_is_flagged_not_hidden():
    rows = table([("vve_deelname", "Maassluis", "totaal", 2017, 50.0, "procent", 15, 30),
                  ("vve_deelname", "Maassluis", "totaal", 2018, 60.0, "procent", 60, 100)])
    result = protect(rows)
    assert result.cells == []
    assert any("1 percentage rust op minder dan 50 waarnemingen" in note for note in result.notes)


def test_survey_respondents_count_as_the_base():
    rows = pd.DataFrame([{"indicator": "tevreden", "groep": "totaal", "jaar": 2017, "waarde": 50.0,
                          "eenheid": "procent", "n": 8}])
    result = disclosure.protect(rows)
    assert {(c.column, c.mark) for c in result.cells} == {("waarde", "×"), ("n", "<10")}


def test_threshold_is_a_parameter():
    result = protect(interns(5, 12, 1), threshold=5)
    assert result.cells == [SuppressedCell(2, "waarde", "<5")]
    assert result.notes[0].startswith("<5: minder dan 5 personen")


def test_protect_is_pure_and_counts_rows_by_position():
    frame = interns(5, 12, 20, total=37)
    frame.index = [10, 11, 12, 13]
    before = frame.copy()
    result = protect(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert [c.row for c in result.cells] == [0, 1]
    assert list(result.frame.index) == [10, 11, 12, 13]


def test_unit_for_the_whole_table_and_other_column_names():
    frame = pd.DataFrame({"indicator": ["personeel_gemeente"] * 2, "groep": ["leeftijd_tot_29", "totaal"],
                          "aantal": [6, 252]})
    result = disclosure.protect(frame, value_column="aantal", unit_column=None, unit="aantal",
                                person_indicators=PERSONS)
    assert result.cells == [SuppressedCell(0, "aantal", "<10")]


def test_a_key_figure_on_its_own_follows_rules_1_to_3():
    gate = Gate(persons=frozenset(PERSONS))  # an empty gate: rules 1-3 only
    small = gate.value({"indicator": "personeel_gemeente", "waarde": 6, "eenheid": "aantal", "teller": 6,
                        "noemer": 252})
    assert (small.value, small.mark) == (None, "<10") and small.notes
    big = gate.value({"indicator": "inwoners", "waarde": 32518, "eenheid": "aantal"})
    assert (big.value, big.mark, big.notes) == (32518, None, [])
    share = gate.value({"indicator": "x", "waarde": 2.4, "eenheid": "procent", "noemer": 252})
    assert (share.value, share.mark) == (None, "×")


# --------------------------------------------------------------------------- catalogue and shipped data

def test_person_indicators_from_the_catalogue():
    dataset = load_shipped()
    persons = disclosure.person_indicators(dataset.indicatoren)
    assert {"stagiaires_gemeente", "personeel_gemeente", "bijstand_personen", "inburgeringsplichtigen",
            "laaggeletterden", "taalhuis_deelnemers", "statushouders_gehuisvest", "halt_verwijzingen",
            "vsv_aantal", "veiligheidshuis_jongeren", "aantal_herkomst", "aantal_leeftijd", "inwoners"} <= persons
    assert not persons & {"fietsdiefstal_aangiften", "vernieling_aangiften", "jeugdoverlast_meldingen",
                          "discriminatie_meldingen_totaal", "statushouders_taakstelling", "misdrijven_straatroof",
                          "misdrijven_straatroof_per_1000", "discriminatie_meldingen_radar"}
    # rates of persons, and shares derived from a count of persons
    assert {"verdachten_per_1000", "bijstand_per_1000", "halt_verwijzingen_per_10000", "aandeel_herkomst"} <= persons


def test_no_count_of_persons_under_10_survives_on_the_shipped_data():
    dataset = load_shipped()
    persons = disclosure.person_indicators(dataset.indicatoren)
    obs = dataset.observations.reset_index(drop=True)
    result = disclosure.protect(obs, person_indicators=persons, group_columns=["indicator", "regio", "jaar", "bron"])
    shown = result.frame
    person_rows = shown["indicator"].isin(persons) & (shown["eenheid"] == "aantal")
    assert not (person_rows & (shown["waarde"] < 10)).any()
    about_persons = shown["indicator"].isin(persons) | (shown["eenheid"] == "procent")
    assert not (about_persons & (shown["teller"] < 10)).any()
    # street robberies are events: their small tellers stay, as their counts are published
    assert (shown.loc[shown["indicator"] == "misdrijven_straatroof_per_1000", "teller"] < 10).any()
    hidden = {(obs.loc[c.row, "indicator"], obs.loc[c.row, "groep"], c.column) for c in result.cells}
    assert {("stagiaires_gemeente", "opleiding_hbo", "waarde"), ("stagiaires_gemeente", "opleiding_mbo", "waarde"),
            ("stagiaires_gemeente", "opleiding_vmbo", "waarde"), ("personeel_gemeente", "leeftijd_tot_29", "waarde"),
            ("personeel_gemeente", "leeftijd_tot_29", "teller")} <= hidden
    # 6 young staff beside a total of 252 in the same year and source, without the other age groups: the
    # breakdown does not add up, so the total stays
    assert shown.loc[(obs["indicator"] == "personeel_gemeente") & (obs["groep"] == "totaal")
                     & (obs["jaar"] == 2017), "waarde"].tolist() == [252]


def test_the_personen_column_is_validated(tmp_path):
    header, *rows = CATALOGUES["indicatoren.csv"].splitlines()
    bad = [header + ",personen", rows[0] + ",misschien", rows[1] + ",ja", rows[2] + ",nee"]
    raw = make_raw(tmp_path / "raw")
    (raw / "indicatoren.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError) as caught:
        data.load_raw(raw)
    messages = [str(p) for p in caught.value.problems]
    assert any("personen" in m and "misschien" in m for m in messages), messages
    assert len([m for m in messages if "personen" in m]) == 1, messages  # 'ja' and 'nee' are fine
