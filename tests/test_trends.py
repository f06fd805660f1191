"""Tests for analyse.trends on synthetic series with known parameters.

Coverage checks simulate many series from a fixed seed. The tolerance for a nominal 95%
interval is [0.90, 0.99] for exact (OLS) intervals: with 200 series the standard error of
the observed coverage is about 1.5 percentage points, so a correct method stays inside
with overwhelming probability while an interval that is off by a factor ~1.5 in width
does not. Asymptotic (GLM) intervals get [0.88, 0.99].
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from analyse.trends import (
    compare_groups,
    fit_trend,
    fit_trends,
    project,
)

# Every scenario here must run without any warning from the code under test.
pytestmark = pytest.mark.filterwarnings("error")

YEARS = np.arange(2008, 2018)  # 10 years


def series(values, eenheid, years=YEARS, *, teller=None, noemer=None, bron="cbs",
           indicator="ind", regio="Maassluis", groep="totaal"):
    years = np.asarray(years)
    nan = np.full(len(years), np.nan)
    return pd.DataFrame(
        {
            "indicator": indicator,
            "regio": regio,
            "groep": groep,
            "jaar": years.astype(int),
            "waarde": np.asarray(values, dtype=float),
            "eenheid": eenheid,
            "bron": bron,
            "periode": [str(y) for y in years],
            "teller": nan if teller is None else np.asarray(teller, dtype=float),
            "noemer": nan if noemer is None else np.asarray(noemer, dtype=float),
        }
    )


def covers(result, truth, low="helling_ondergrens", high="helling_bovengrens"):
    return getattr(result, low) <= truth <= getattr(result, high)


# ---------------------------------------------------------------------------- OLS


def test_ols_interval_covers_true_slope_at_nominal_rate():
    rng = np.random.default_rng(20190101)
    slope = 0.4
    estimates, hits = [], 0
    for _ in range(200):
        values = 60 + slope * (YEARS - 2008) + rng.normal(0, 1.0, YEARS.size)
        result = fit_trend(series(values, "score"))
        assert result.methode == "ols"
        estimates.append(result.helling)
        hits += covers(result, slope)
    assert 0.90 <= hits / 200 <= 0.99
    # sd of one estimate is 1/sqrt(82.5) = 0.11; the mean of 200 is within 0.03 of the truth
    assert abs(np.mean(estimates) - slope) < 0.03


def test_ols_matches_least_squares_and_reports_unit_slope():
    rng = np.random.default_rng(1)
    values = 5 - 0.25 * (YEARS - 2008) + rng.normal(0, 0.3, YEARS.size)
    result = fit_trend(series(values, "rapportcijfer"))
    expected_slope, expected_intercept = np.polyfit(YEARS, values, 1)
    assert result.helling == pytest.approx(expected_slope)
    assert result.fitted["gefit"].to_numpy() == pytest.approx(expected_intercept + expected_slope * YEARS)
    assert result.n_jaren == 10 and (result.eerste_jaar, result.laatste_jaar) == (2008, 2017)
    assert not result.indicatief and not result.breuk and result.reden is None
    assert list(result.fitted.columns) == ["jaar", "waarde", "gefit", "ondergrens", "bovengrens"]
    assert (result.fitted["ondergrens"] < result.fitted["gefit"]).all()


def test_gap_years_are_used_as_they_are():
    years = np.array([2010, 2011, 2013, 2016, 2017])
    values = np.array([10.0, 11.5, 12.0, 16.5, 17.0])
    result = fit_trend(series(values, "index", years))
    assert result.helling == pytest.approx(np.polyfit(years, values, 1)[0])
    assert result.fitted["jaar"].tolist() == years.tolist()  # nothing interpolated
    assert result.n_jaren == 5 and not result.indicatief


def test_rate_without_denominator_and_count_without_population_use_ols():
    values = [3.1, 3.4, 3.3, 3.9, 4.2]
    years = np.arange(2013, 2018)
    assert fit_trend(series(values, "per_1000", years)).methode == "ols"
    assert fit_trend(series([310, 290, 300, 280, 250], "aantal", years)).methode == "ols"


# ---------------------------------------------------------------------------- refusals


def test_two_points_are_refused():
    result = fit_trend(series([40.0, 42.0], "procent", [2016, 2017]))
    assert result.methode == "geen"
    assert "2 jaren" in result.reden and "2016, 2017" in result.reden
    assert np.isnan(result.helling) and result.fitted.empty


def test_three_points_are_indicative():
    result = fit_trend(series([40.0, 42.5, 43.0], "procent", [2014, 2016, 2018]))
    assert result.methode == "ols"
    assert result.indicatief and "indicatief" in result.opmerking
    assert result.helling == pytest.approx(np.polyfit([2014, 2016, 2018], [40.0, 42.5, 43.0], 1)[0])


def test_rank_is_refused():
    result = fit_trend(series([1, 2, 2, 3], "rang", [2015, 2016, 2017, 2018]))
    assert result.methode == "geen" and "rangorde, geen trend" in result.reden


def test_duplicate_year_within_one_source_is_refused():
    result = fit_trend(series([1.0, 2.0, 2.5, 3.5], "score", [2015, 2016, 2016, 2017]))
    assert result.methode == "geen" and "2016" in result.reden


def test_exactly_collinear_values_are_refused_not_given_a_zero_width_interval():
    result = fit_trend(series([10.0, 11.0, 12.0, 13.0], "index", [2015, 2016, 2017, 2018]))
    assert result.methode == "geen" and result.reden


def test_several_sources_are_not_pooled():
    rng = np.random.default_rng(7)
    a = series(20 + 1.0 * (YEARS - 2008) + rng.normal(0, 0.5, YEARS.size), "score", bron="a")
    b = series([80.0, 81.0, 83.0, 84.0], "score", [2015, 2016, 2017, 2018], bron="b")
    result = fit_trend(pd.concat([b, a]))
    assert result.breuk and result.bron == "a" and result.n_jaren == 10
    assert "bron a (10 jaren)" in result.opmerking
    assert result.helling == pytest.approx(np.polyfit(YEARS, a["waarde"], 1)[0])
    assert set(result.fitted["jaar"]) == set(YEARS)


def test_source_choice_ties_go_to_latest_year_then_alphabet():
    years = [2012, 2014, 2016]
    first = series([1.0, 2.0, 2.5], "score", years, bron="z")
    later = series([5.0, 4.0, 4.5], "score", [y + 1 for y in years], bron="y")
    assert fit_trend(pd.concat([first, later])).bron == "y"
    same = series([5.0, 4.0, 4.5], "score", years, bron="b")
    assert fit_trend(pd.concat([first, same])).bron == "b"


# ---------------------------------------------------------------------------- binomial


def logistic(x):
    return 1 / (1 + np.exp(-x))


def test_binomial_recovers_slope_in_percentage_points():
    rng = np.random.default_rng(42)
    b0, b1, n = -1.0, 0.15, 400
    p = logistic(b0 + b1 * (YEARS - YEARS.mean()))
    # true average marginal effect in percentage points per year, over the observed years
    truth = 100 * b1 * np.mean(p * (1 - p))
    hits = 0
    methods = set()
    for _ in range(150):
        teller = rng.binomial(n, p)
        result = fit_trend(series(100 * teller / n, "procent", teller=teller, noemer=np.full(YEARS.size, n)))
        methods.add(result.methode)
        hits += covers(result, truth)
    assert methods <= {"binomiaal", "quasi_binomiaal"} and "binomiaal" in methods
    assert 0.88 <= hits / 150 <= 0.99


def test_overdispersed_shares_get_honest_intervals():
    rng = np.random.default_rng(17)
    b0, b1, n, k = -1.0, 0.15, 400, 50
    p = logistic(b0 + b1 * (YEARS - YEARS.mean()))
    truth = 100 * b1 * np.mean(p * (1 - p))
    hits = quasi = 0
    for _ in range(100):
        # beta-binomial: variance ~ 1 + (n - 1) / (k + 1) = 8.8 times the binomial one
        teller = rng.binomial(n, rng.beta(p * k, (1 - p) * k))
        result = fit_trend(series(100 * teller / n, "procent", teller=teller, noemer=np.full(YEARS.size, n)))
        quasi += result.methode == "quasi_binomiaal"
        hits += covers(result, truth)
    assert quasi >= 95
    assert 0.88 <= hits / 100 <= 0.99  # a plain binomial interval covers about half the time


def test_binomial_band_stays_within_0_and_100_where_a_linear_band_does_not():
    rng = np.random.default_rng(3)
    noemer = np.full(YEARS.size, 60)
    p = logistic(3.6 + 0.25 * (YEARS - YEARS.mean()))  # 91% .. 99.6%
    teller = rng.binomial(noemer, p)
    values = 100 * teller / noemer
    result = fit_trend(series(values, "procent", teller=teller, noemer=noemer))
    assert result.methode in {"binomiaal", "quasi_binomiaal"}
    fitted = result.fitted
    assert ((fitted["ondergrens"] >= 0) & (fitted["bovengrens"] <= 100)).all()
    assert ((fitted["ondergrens"] <= fitted["gefit"]) & (fitted["gefit"] <= fitted["bovengrens"])).all()
    far = project(result, 2030)
    assert 0 <= far.ondergrens <= far.verwacht <= far.bovengrens <= 100
    # the same figures without teller/noemer get a straight band that leaves 0-100
    naive = fit_trend(series(values, "procent"))
    assert naive.methode == "ols" and naive.fitted["bovengrens"].max() > 100


def test_binomial_needs_teller_and_noemer_on_every_row():
    teller = np.array([20, 22, 25, 27, np.nan])
    noemer = np.full(5, 100.0)
    values = [20.0, 22.0, 25.0, 27.0, 30.0]
    result = fit_trend(series(values, "procent", np.arange(2013, 2018), teller=teller, noemer=noemer))
    assert result.methode == "ols"


def test_binomial_all_100_percent_is_refused_explicitly():
    noemer = np.full(5, 50)
    result = fit_trend(series(np.full(5, 100.0), "procent", np.arange(2013, 2018), teller=noemer, noemer=noemer))
    assert result.methode == "geen" and "100%" in result.reden


# ---------------------------------------------------------------------------- Poisson


def rate_series(rng, *, rr=0.96, base=8.0, overdispersed_k=None):
    noemer = rng.integers(19_000, 21_000, YEARS.size)
    rate = base / 1000 * rr ** (YEARS - 2008)
    mu = noemer * rate
    if overdispersed_k is None:
        teller = rng.poisson(mu)
    else:  # negative binomial: variance mu + mu^2 / k
        teller = rng.negative_binomial(overdispersed_k, overdispersed_k / (overdispersed_k + mu))
    return series(1000 * teller / noemer, "per_1000", teller=teller, noemer=noemer), rate


def test_poisson_recovers_rate_ratio_and_slope_per_1000():
    rng = np.random.default_rng(11)
    rr = 0.96
    hits_rel = hits_slope = plain = 0
    for _ in range(150):
        data, rate = rate_series(rng, rr=rr)
        result = fit_trend(data)
        plain += result.methode == "poisson"
        hits_rel += covers(result, 100 * (rr - 1), "relatieve_ondergrens", "relatieve_bovengrens")
        # d/dt of 1000 * rate(t) = 1000 * rate(t) * log(rr), averaged over the years
        hits_slope += covers(result, np.mean(1000 * rate * np.log(rr)))
    # the switch to quasi-Poisson fires by chance when chi2_8 / 8 > 1.5: P = 0.15
    assert plain / 150 >= 0.75
    assert 0.88 <= hits_rel / 150 <= 0.99
    assert 0.88 <= hits_slope / 150 <= 0.99


def test_overdispersion_widens_the_interval():
    rng = np.random.default_rng(5)
    data, _ = rate_series(rng, overdispersed_k=10)  # variance ~ 17 x the mean
    result = fit_trend(data)
    assert result.methode == "quasi_poisson"
    assert result.overdispersie > 1.5 and "Overdispersie" in result.opmerking
    # independent plain Poisson fit of the same data
    X = sm.add_constant(data["jaar"].to_numpy(float) - data["jaar"].mean())
    teller, noemer = data["teller"].to_numpy(), data["noemer"].to_numpy()
    plain = sm.GLM(teller, X, family=sm.families.Poisson(), offset=np.log(noemer)).fit()
    plain_lo, plain_hi = 100 * np.expm1(plain.conf_int()[1])
    assert result.relatieve_verandering == pytest.approx(100 * np.expm1(plain.params[1]))
    width = result.relatieve_bovengrens - result.relatieve_ondergrens
    assert width > 2 * (plain_hi - plain_lo)


def test_count_with_population_uses_exposure():
    rng = np.random.default_rng(8)
    noemer = np.linspace(30_000, 36_000, YEARS.size).round()
    counts = rng.poisson(noemer * 0.01 * 1.03 ** (YEARS - 2008))
    result = fit_trend(series(counts, "aantal", noemer=noemer))
    assert result.methode in {"poisson", "quasi_poisson"}
    assert result.relatieve_ondergrens <= 3.0 <= result.relatieve_bovengrens
    default = project(result, 2020)
    double = project(result, 2020, noemer=2 * noemer[-1])
    assert double.verwacht == pytest.approx(2 * default.verwacht)
    assert "noemer van 2017" in default.opmerking


# ---------------------------------------------------------------------------- projection


def test_ols_projection_is_a_prediction_interval():
    rng = np.random.default_rng(99)
    values = 50 + 0.5 * (YEARS - 2008) + rng.normal(0, 1, YEARS.size)
    result = fit_trend(series(values, "score"))
    proj = project(result, 2020)
    # textbook interval for a new observation in simple regression
    n, x0 = YEARS.size, 2020
    slope, intercept = np.polyfit(YEARS, values, 1)
    s = np.sqrt(np.sum((values - intercept - slope * YEARS) ** 2) / (n - 2))
    sxx = np.sum((YEARS - YEARS.mean()) ** 2)
    t = stats.t.ppf(0.975, n - 2)
    leverage = 1 / n + (x0 - YEARS.mean()) ** 2 / sxx
    assert proj.verwacht == pytest.approx(intercept + slope * x0)
    assert proj.bovengrens - proj.verwacht == pytest.approx(t * s * np.sqrt(1 + leverage))
    assert proj.bovengrens - proj.verwacht > t * s * np.sqrt(leverage)  # wider than the mean CI
    assert proj.interval == "voorspelling" and proj.reden is None


def test_ols_prediction_interval_contains_new_observations_at_nominal_rate():
    rng = np.random.default_rng(123)
    hits = 0
    for _ in range(200):
        values = 10 - 0.3 * (YEARS - 2008) + rng.normal(0, 0.8, YEARS.size)
        proj = project(fit_trend(series(values, "score")), 2019)
        new = 10 - 0.3 * (2019 - 2008) + rng.normal(0, 0.8)
        hits += proj.ondergrens <= new <= proj.bovengrens
    assert 0.90 <= hits / 200 <= 0.99


def test_projection_of_glm_says_it_is_a_confidence_interval():
    rng = np.random.default_rng(6)
    data, _ = rate_series(rng)
    proj = project(fit_trend(data), 2020, level=0.9)
    assert proj.interval == "betrouwbaarheid" and "Betrouwbaarheidsinterval" in proj.opmerking
    assert proj.ondergrens < proj.verwacht < proj.bovengrens and proj.niveau == 0.9


def test_projection_without_fit_gives_reason():
    proj = project(fit_trend(series([1.0, 2.0], "score", [2016, 2017])), 2020)
    assert np.isnan(proj.verwacht) and "Te weinig meetpunten" in proj.reden


# ---------------------------------------------------------------------------- all series


def test_fit_trends_covers_every_series_in_key_order():
    rng = np.random.default_rng(2)
    obs = pd.concat(
        [
            series(rng.normal(5, 1, YEARS.size), "score", groep="westers"),
            series([1.0, 2.0], "score", [2016, 2017], groep="nederlands"),
            series(rng.normal(5, 1, YEARS.size), "score", regio="Vlaardingen"),
        ]
    )
    table, fitted = fit_trends(obs)
    assert list(zip(table["regio"], table["groep"])) == [
        ("Maassluis", "nederlands"), ("Maassluis", "westers"), ("Vlaardingen", "totaal")
    ]
    assert table["methode"].tolist() == ["geen", "ols", "ols"]
    assert "fitted" not in table.columns
    assert len(fitted) == 2 * YEARS.size
    assert {"indicator", "regio", "groep", "bron", "jaar", "gefit"} <= set(fitted.columns)
    again, _ = fit_trends(obs.sample(frac=1, random_state=0))
    pd.testing.assert_frame_equal(table, again)


# ---------------------------------------------------------------------------- gaps


def two_groups(gap_start, gap_slope, rng, years=YEARS):
    t = np.asarray(years) - years[0]
    b = 40 + 0.2 * t + rng.normal(0, 0.5, len(t))
    a = 40 + gap_start + (0.2 + gap_slope) * t + rng.normal(0, 0.5, len(t))
    return (series(a, "procent", years, groep="niet_westers"),
            series(b, "procent", years, groep="nederlands"))


def test_converging_gap_from_either_side():
    rng = np.random.default_rng(4)
    a, b = two_groups(-12, 1.0, rng)  # a below b, catching up
    result = compare_groups(a, b)
    assert result.verdict == "convergeert" and result.helling > 0
    assert result.helling == pytest.approx(np.polyfit(YEARS, a["waarde"] - b["waarde"], 1)[0])
    assert compare_groups(b, a).verdict == "convergeert"
    assert result.verschillen["verschil"].to_numpy() == pytest.approx((a["waarde"] - b["waarde"]).to_numpy())


def test_diverging_and_flat_gaps():
    rng = np.random.default_rng(10)
    assert compare_groups(*two_groups(-5, -1.0, rng)).verdict == "divergeert"
    assert compare_groups(*two_groups(-5, 0.0, rng)).verdict == "onduidelijk"


def test_crossing_groups_are_not_called_converging():
    rng = np.random.default_rng(12)
    result = compare_groups(*two_groups(-6, 1.5, rng))  # gap goes from -6 to +7.5
    assert result.verdict == "onduidelijk" and "teken" in result.opmerking


def test_gap_needs_three_common_years():
    rng = np.random.default_rng(0)
    a = series(rng.normal(30, 1, 4), "procent", [2014, 2015, 2016, 2017], groep="niet_westers")
    b = series(rng.normal(20, 1, 3), "procent", [2011, 2016, 2017], groep="nederlands")
    result = compare_groups(a, b)
    assert result.verdict is None and "2 jaren" in result.reden
    assert result.verschillen["jaar"].tolist() == [2016, 2017]
