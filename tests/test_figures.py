"""Tests for analyse.figures: which figure a set of rows gets (small made-up frames, not report data)."""

import pandas as pd
import pytest

from analyse import contract, figures


def _rows(years, groep="totaal", regio="Maassluis", start=10.0, **columns):
    return pd.DataFrame(dict(indicator="x", regio=regio, groep=groep, jaar=list(years),
                             waarde=[start + i for i in range(len(years))], **columns))


def test_fewer_than_three_measurements_give_a_tile_not_a_line():
    two = _rows([2009, 2018])
    plan = figures.choose(two, unit="aantal", per="groep")
    assert plan.kind == "tegel" and plan.year == 2018
    assert not plan.trend and not plan.band
    assert figures.choose(_rows([2017]), unit="per_1000", per="groep").kind == "tegel"
    assert figures.choose(_rows([2014, 2015, 2016]), unit="aantal", per="groep").kind == "lijn"


def test_a_trend_needs_five_measurements_in_one_reeks():
    halt = pd.concat([_rows([2014, 2015, 2016]), _rows([2014, 2015, 2016], regio="Nederland")])
    plan = figures.choose(halt, unit="per_10000", per="regio", has_benchmark=True)
    assert plan.kind == "lijn" and not plan.trend and not plan.band  # three points: no band
    five = _rows(range(2012, 2017))
    assert figures.choose(five, unit="procent", per="groep").trend
    # five years, but three in one reeks and two in the next: no trend, and a break
    split = five.assign(reeks=["oud"] * 3 + ["nieuw"] * 2)
    plan = figures.choose(split, unit="procent", per="groep")
    assert plan.kind == "lijn" and not plan.trend and plan.breaks
    assert figures.MIN_TREND_POINTS == 5 and figures.draws_trend(5) and not figures.draws_trend(4)


def test_rows_without_reeks_belong_to_the_reeks_of_their_bron():
    rows = _rows(range(2010, 2016), bron=["a", "a", "a", "b", "b", "b"])
    assert figures.reeks_column(rows).tolist() == ["a"] * 3 + ["b"] * 3
    rows = rows.assign(reeks=["r", None, "r", "", "r", "r"])
    assert figures.reeks_column(rows).tolist() == ["r", "a", "r", "b", "r", "r"]
    assert figures.reeks_column(_rows([2010])).tolist() == [""]  # neither: one reeks


def test_many_series_become_small_multiples_with_bands_per_panel():
    groups = [f"g{i}" for i in range(figures.MAX_LINES + 1)]
    rows = pd.concat([_rows(range(2008, 2018), groep=g) for g in groups])
    plan = figures.choose(rows, unit="procent", per="groep")
    assert plan.kind == "kleine_veelvouden" and plan.trend and plan.band
    four = pd.concat([_rows(range(2008, 2018), groep=g) for g in groups[:4]])
    plan = figures.choose(four, unit="procent", per="groep")
    assert plan.kind == "lijn" and plan.trend and not plan.band  # four bands would cover the data
    assert plan.n_trends == 4


def test_a_count_gets_its_trend_line_but_no_band():
    """A count is a registration, not a sample: no shaded band through its trend (the old plan drew one)."""
    five = _rows(range(2012, 2019))
    plan = figures.choose(five, unit="aantal", per="groep")
    assert plan.kind == "lijn" and plan.trend and not plan.band
    assert figures.choose(five, unit="per_1000", per="groep").band  # a rate keeps its band
    groups = [f"g{i}" for i in range(figures.MAX_LINES + 1)]
    many = pd.concat([_rows(range(2008, 2018), groep=g) for g in groups])
    assert not figures.choose(many, unit="aantal", per="groep").band
    assert figures.draws_bands(1, "procent") and not figures.draws_bands(1, "aantal")


def test_rankings_are_tables_and_every_kind_is_in_the_contract():
    plan = figures.choose(_rows([2018], start=1), unit="rang", per="groep")
    assert plan.kind == "rangorde"
    for kind in ("tegel", "lijn", "staaf", "gestapeld", "kleine_veelvouden", "rangorde"):
        assert kind in contract.FIGURE_KINDS
    with pytest.raises(ValueError):
        figures.FigurePlan("taart", False, False, False, (), False, "")


def test_complementary_shares_make_one_hundred_percent_bar():
    man = pd.DataFrame(dict(regio="Maassluis", groep=["man"], jaar=2017, waarde=[75.0]))
    assert figures.is_complementary(man, unit="procent")
    assert figures.complement_of(["man"]) == "vrouw"
    plan = figures.choose(man, unit="procent", per="groep")
    assert plan.kind == "gestapeld" and plan.year == 2017  # not a single bar 'Man 75%'
    origin = pd.DataFrame(dict(regio="Maassluis", groep=["nederlands", "niet_westers", "westers"], jaar=2012,
                               waarde=[75.0, 17.0, 7.0]))  # published rounded: 99
    assert figures.is_complementary(origin, unit="procent")
    assert not figures.is_complementary(origin.assign(waarde=[75.0, 17.0, 20.0]), unit="procent")
    assert not figures.is_complementary(origin, unit="aantal")
    assert not figures.is_complementary(origin.assign(jaar=[2012, 2012, 2013]), unit="procent")
    ages = pd.DataFrame(dict(regio="Maassluis", groep=["leeftijd_15_29", "leeftijd_45_59"], jaar=2018,
                             waarde=[15.5, 20.7]))
    assert not figures.is_complementary(ages, unit="procent")
    plan = figures.choose(ages, unit="procent", per="groep")
    assert plan.kind == "staaf" and plan.year == 2018
    assert figures.choose(man, unit="procent", per="groep", complementary=False).kind == "tegel"


def test_short_series_in_different_years_pick_the_newest_year_with_a_comparison():
    rows = pd.concat([
        pd.DataFrame(dict(regio="Maassluis", groep="migratieachtergrond", jaar=[2009, 2018], waarde=[23.3, 26.9])),
        pd.DataFrame(dict(regio="Maassluis", groep=["nederlands", "niet_westers", "westers"], jaar=2012,
                          waarde=[75.0, 17.0, 7.0])),
    ])
    plan = figures.choose(rows, unit="procent", per="groep")
    assert (plan.kind, plan.year) == ("gestapeld", 2012)


def test_estimates_are_reported_and_unknown_statuses_refused():
    rows = _rows([2018], status=["schatting"])
    assert figures.choose(rows, unit="aantal", per="groep").estimates == ("schatting",)
    rows = _rows(range(2014, 2018), status=["", "", "voorlopig", "schatting"])
    assert figures.choose(rows, unit="aantal", per="groep").estimates == ("schatting", "voorlopig")
    with pytest.raises(ValueError, match="status"):
        figures.choose(_rows([2018], status=["ongeveer"]), unit="aantal", per="groep")


def test_choose_is_pure():
    rows = _rows(range(2010, 2016), bron="a", status="")
    before = rows.copy()
    first = figures.choose(rows, unit="procent", per="groep", has_benchmark=True)
    assert figures.choose(rows, unit="procent", per="groep", has_benchmark=True) == first
    pd.testing.assert_frame_equal(rows, before)
    with pytest.raises(ValueError):
        figures.choose(_rows([2018]).assign(waarde=float("nan")), unit="procent", per="groep")


def test_benchmark_rows_pick_comparison_regions_or_the_reference_group():
    obs = pd.DataFrame(dict(
        regio=["Maassluis", "Maassluis", "Nederland", "Nederland", "Rotterdam", "Maassluis"],
        groep=["niet_westers", "nederlands", "niet_westers", "totaal", "niet_westers", "man"],
        jaar=2017, waarde=[18.0, 8.0, 30.0, 12.0, 40.0, 50.0]))
    regions = figures.benchmark_rows(obs, per="regio", region="Maassluis", group="niet_westers",
                                     comparison_regions=["Rotterdam", "Nederland"])
    assert regions["regio"].tolist() == ["Rotterdam", "Nederland"]  # in the order asked, same group
    reference = figures.benchmark_rows(obs, per="groep", region="Maassluis", group="niet_westers")
    assert reference[["regio", "groep"]].values.tolist() == [["Maassluis", "nederlands"]]
    # no reference group in the region: the same group in the comparison regions
    without = obs[obs["groep"] != "nederlands"]
    assert figures.benchmark_rows(without, per="groep", region="Maassluis", group="niet_westers").empty
    fallback = figures.benchmark_rows(without, per="groep", region="Maassluis", group="niet_westers",
                                      comparison_regions=["Nederland"])
    assert fallback[["regio", "groep"]].values.tolist() == [["Nederland", "niet_westers"]]
    assert figures.benchmark_rows(obs, per="groep", region="Maassluis", group="man").empty
    assert figures.reference_group("herkomst_europa") == "herkomst_nederland"
    assert figures.reference_group("turks") == "nederlands"
    assert figures.reference_group("leeftijd_15_24") == "totaal"


def test_ranking_table_shows_shared_ranks_and_values():
    wijken = pd.DataFrame(dict(regio=["Sluispolder", "Burgemeesterswijk"], waarde=[1, 1]))
    table = figures.ranking_table(wijken, category="regio", labels={"Sluispolder": "Sluispolder (Maassluis)"})
    assert table.columns.tolist() == ["Rang", "Regio"]
    assert table.values.tolist() == [["1 (gedeeld)", "Burgemeesterswijk"], ["1 (gedeeld)", "Sluispolder (Maassluis)"]]
    ages = pd.DataFrame(dict(groep=["leeftijd_35_44"], waarde=[1]))
    table = figures.ranking_table(ages, category="groep", labels={"leeftijd_35_44": "35-44 jaar"},
                                  values={"leeftijd_35_44": 1234.0}, unit="aantal")
    assert table.values.tolist() == [["1", "35-44 jaar", "1.234"]]
    with pytest.raises(ValueError):
        figures.ranking_table(ages.assign(waarde=[1.5]), category="groep")


@pytest.mark.parametrize("unit, low, high, least, limits", [
    ("rapportcijfer", 6.8, 7.0, 2.0, (1.0, 10.0)),   # 0,2 difference: a tenth of the axis, not all of it
    ("rapportcijfer", 9.6, 9.9, 2.0, (1.0, 10.0)),   # never above 10
    ("score", 5.9, 6.1, 2.0, None),                  # sociale cohesie on a 0-10 scale
    ("score", 534.9, 535.6, 53.5, None),             # CITO: a tenth of the value
    ("index", 12.0, 13.0, 1.3, None),
])
def test_score_axes_keep_a_meaningful_minimum_range(unit, low, high, least, limits):
    bottom, top = figures.y_range(unit, low, high)
    assert top - bottom >= least - 1e-9
    assert bottom <= low and top >= high
    if limits:
        assert limits[0] <= bottom and top <= limits[1]


def test_bars_start_at_zero_and_lines_at_zero_when_the_data_fill_half_the_axis():
    assert figures.y_range("aantal", 31390, 32518, bars=True) == (0.0, 32518)
    assert figures.y_range("procent", 60.0, 67.0, bars=True) == (0.0, 67.0)
    assert figures.y_range("per_1000", 47.9, 108.8) == (0.0, 108.8)  # the data fill more than half of 0-109
    # a tenth of a point does not fill the height: the minimum span of 10 points reaches 0, so 0 it is
    assert figures.y_range("procent", 1.7, 1.8) == (0.0, 1.8)
    assert figures.starts_at_zero("procent", [1.7, 1.8]) and figures.starts_at_zero("aantal", [])


def test_rates_of_60_to_67_percent_get_an_axis_around_them_with_a_minimum_span():
    low, high = figures.y_range("procent", 60.0, 67.0)
    assert 50 < low < 60 and 67 < high < 80  # not 0-70%, where 66% hides behind 65%
    assert high - low >= figures.MIN_SPAN["procent"] and high - low >= 0.2 * 67
    assert not figures.starts_at_zero("procent", [60.0, 67.0])
    low, high = figures.y_range("aantal", 31390, 35832)
    assert 0 < low < 31390 and high > 35832 and high - low >= 0.2 * 35832 - 1e-6  # growth shown, not invented


def test_groups_are_ordered_and_nested_as_they_are():
    counts = figures.arrange(["leeftijd_18_20", "leeftijd_18_27", "totaal"], per="groep", unit="aantal")
    assert counts.order == ("totaal", "leeftijd_18_27", "leeftijd_18_20")  # 18-20 within 18-27 within the total
    assert counts.parents == {"leeftijd_18_27": "totaal", "leeftijd_18_20": "leeftijd_18_27"}
    assert counts.parts and counts.references == ()
    shares = figures.arrange(["niet_westers", "westers", "migratieachtergrond", "totaal"], per="groep",
                             unit="procent", values={"migratieachtergrond": 29.5, "westers": 9.3,
                                                     "niet_westers": 20.2, "totaal": 100.0},
                             sums={"migratieachtergrond": ["westers", "niet_westers"]},
                             catalogue_order=["totaal", "nederlands", "migratieachtergrond", "westers",
                                              "niet_westers"])
    assert shares.order == ("migratieachtergrond", "westers", "niet_westers")
    assert shares.parts and shares.references == ("totaal",)  # the average is a line, never one more bar
    rates = figures.arrange(["niet_westers", "westers", "migratieachtergrond"], per="groep", unit="procent",
                            values={"migratieachtergrond": 12.0, "westers": 8.0, "niet_westers": 15.0},
                            sums={"migratieachtergrond": ["westers", "niet_westers"]})
    assert rates.parents and not rates.parts  # 8% + 15% is not 12%: a rate of a part is no part of the rate
    ages = figures.arrange(["leeftijd_65_plus", "leeftijd_0_14", "leeftijd_45_64", "leeftijd_15_24"],
                           per="groep", unit="procent")
    assert ages.order == ("leeftijd_0_14", "leeftijd_15_24", "leeftijd_45_64", "leeftijd_65_plus")
    assert figures.is_ordered(ages.order) and not figures.is_ordered(["leeftijd_0_14", "westers"])
    regions = figures.arrange(["Delft", "Nederland", "Leiden"], per="regio", unit="procent", national=["Nederland"])
    assert regions.order == ("Delft", "Leiden") and regions.references == ("Nederland",)
    assert figures.arrange(["Nederland"], per="regio", unit="procent", national=["Nederland"]).references == ()
    assert figures.age_bounds("leeftijd_tot_29") == (0.0, 29.0) and figures.age_bounds("leeftijd_tot_aow") is None


# --------------------------------------------------------------------------- the notebook's figures on the shipped data

@pytest.mark.slow
def test_figures_of_a_run_describe_what_they_draw_and_place_the_municipality_among_its_peers(tmp_path):
    from conftest import copy_project

    from analyse import presenter
    from analyse.theme import Thema

    root = copy_project(tmp_path / "project")
    demografie = Thema("demografie", data_dir=root / "data", output_dir=tmp_path / "out")
    bars = demografie.vergelijking("aandeel_herkomst", groep="migratieachtergrond").record
    # Maassluis 2022 has no Nederland figure of the same year: Nederland (2018) is not drawn, and the guidance says so
    assert bars.guidance.endswith("Geen vergelijkbaar cijfer voor 2022: Nederland (niet getekend).")
    assert "Nederland" not in bars.alt and "2018" not in bars.alt and "Maassluis 29,5%" in bars.alt
    nested = demografie.figuur("aandeel_herkomst", groepen=["migratieachtergrond", "westers", "niet_westers"]).record
    assert "waarvan westerse migratieachtergrond 9,3%" in nested.alt

    work = Thema("arbeid_inkomen", data_dir=root / "data", output_dir=tmp_path / "out")
    position = work.positie("netto_arbeidsparticipatie_kwb", groep="leeftijd_15_74").record
    assert position.kind == "positie" and position.title.endswith(", 2022")
    assert position.alt.startswith("Positie van Maassluis tussen 182 gemeenten met 20.000 tot 50.000 inwoners")
    assert "Maassluis 64%;" in position.alt and (tmp_path / "out" / position.png).is_file()
    assert isinstance(work.positie("bijstand_personen"), presenter.HTMLBlock)  # a count is not compared
    chart = work.kaart("netto_arbeidsparticipatie_kwb", groep="leeftijd_15_74").record
    assert chart.kind == "kaart" and "Maassluis 64% (klasse" in chart.alt
    assert "CBS/Kadaster" in chart.source and "de grenzen zijn die van 2023" in chart.guidance

    other = Thema("demografie", regio="GM0606", data_dir=root / "data", output_dir=tmp_path / "schiedam")
    assert demografie._figures._target("segregatie_index") == (2021, 10.0)
    assert other._figures._target("segregatie_index") is None  # Maassluis' targets are not Schiedam's
    lone = Thema("arbeid_inkomen", regio="GM0606", data_dir=root / "data", output_dir=tmp_path / "schiedam")
    # Schiedam has no unemployment figure of its own: no comparison is drawn (not Nederland alone in its place)
    assert lone.vergelijking("werkloosheid").plain.startswith("Geen gegevens voor 'Werkloosheid")
