"""Tests for analyse.trends, analyse.trend_models and analyse.group_gaps.

Two kinds of checks:

* Reference values. The GLM coefficients, standard errors, dispersion, average marginal effect
  (AME) and a prediction interval are compared to 4 decimals with literals computed once by an
  independent route that lives in this file: a hand-written IRLS (numpy only), the Pearson
  dispersion by hand, the AME by finite differences, and the prediction-interval formula of the
  module docstring. The slope's interval is the interval of b1 times AME / b1 (one parameter, one
  test). A test also checks
  that the literals still follow from that route, so they can be recomputed.
* Simulated coverage from a fixed seed. With 200 series the standard error of an observed
  coverage is about 1.5 percentage points; exact (OLS) intervals must land in [0.90, 0.99].
  GLM intervals use max(1, phi) and t(n - 2), which is conservative when the data really are
  binomial or Poisson (about 0.98), and nominal when they are overdispersed.
"""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from analyse.text.trend_texts import (add_trend_texts, gap_reason, projection_caveats, projection_reason, sentence_gap,
                                      trend_caveats, trend_reason)
from analyse.group_gaps import compare_groups
from analyse.trends import CAVEATS, REASONS, fit_trend, project

# Every scenario here must run without any warning from the code under test.
pytestmark = pytest.mark.filterwarnings("error")

YEARS = np.arange(2008, 2018)  # 10 years
T975 = {n: stats.t.ppf(0.975, n - 2) for n in range(3, 16)}


def series(values, eenheid, years=YEARS, *, teller=None, noemer=None, bron="cbs",
           indicator="ind", regio="Maassluis", groep="totaal", **extra):
    years = np.asarray(years)
    nan = np.full(len(years), np.nan)
    frame = pd.DataFrame(
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
    for column, value in extra.items():
        frame[column] = value
    return frame


def covers(result, truth, low="helling_ondergrens", high="helling_bovengrens"):
    return getattr(result, low) <= truth <= getattr(result, high)


def half_width(result):
    return (result.helling_bovengrens - result.helling_ondergrens) / 2


# ============================================================================ reference values
# Independent route: IRLS, Pearson dispersion and finite-difference AME, numpy only.

REF_YEARS = np.arange(2010, 2018)
REF_X = np.column_stack([np.ones(8), REF_YEARS - REF_YEARS.mean()])
REF_T = stats.t.ppf(0.975, 6)


def irls(y, m=None, offset=None, family="binomial"):
    """Fisher scoring for logit-binomial (m trials) or log-Poisson (offset); returns
    (beta, unscaled covariance, Pearson chi2 / (n - 2))."""
    offset = np.zeros(len(y)) if offset is None else offset

    def working(beta):
        eta = REF_X @ beta + offset
        if family == "binomial":
            p = 1 / (1 + np.exp(-eta))
            return m * p, m * p * (1 - p)  # mean, variance (= IRLS weight for canonical link)
        mu = np.exp(eta)
        return mu, mu

    beta = np.zeros(2)
    for _ in range(200):
        mu, w = working(beta)
        z = REF_X @ beta + (y - mu) / w
        new = np.linalg.solve(REF_X.T @ (w[:, None] * REF_X), REF_X.T @ (w * z))
        done = np.max(np.abs(new - beta)) < 1e-13
        beta = new
        if done:
            break
    mu, w = working(beta)
    cov = np.linalg.inv(REF_X.T @ (w[:, None] * REF_X))
    return beta, cov, np.sum((y - mu) ** 2 / w) / (len(y) - 2)


def finite_difference_ame(beta, curve, h=1e-5):
    """AME = mean over the years of d curve / d year (central differences)."""
    x = REF_YEARS - REF_YEARS.mean()
    return float(np.mean((curve(beta, x + h) - curve(beta, x - h)) / (2 * h)))


def share_curve(b, x):
    return 100 / (1 + np.exp(-(b[0] + b[1] * x)))


def rate_curve(b, x):
    return 1000 * np.exp(b[0] + b[1] * x)


NOEMER_B = np.array([400, 410, 405, 420, 415, 425, 430, 428])
NOEMER_P = np.array([20000, 20150, 20300, 20420, 20600, 20750, 20900, 21000])
REFERENCE = {
    # name: (unit, teller, noemer, literals computed once with the route above)
    "binomiaal, phi < 1": ("procent", [112, 118, 131, 127, 140, 149, 151, 163], NOEMER_B, dict(
        b=(-0.726999, 0.061896), se=(0.037091, 0.016215), phi=0.247622, ame=1.355347,
        pi=(33.546035, 41.953681, 50.855929))),
    "binomiaal, phi > 1 (quasi)": ("procent", [100, 135, 118, 150, 129, 170, 140, 175], np.full(8, 400), dict(
        b=(-0.629612, 0.090307), se=(0.065669, 0.028745), phi=3.093326, ame=2.032225,
        pi=(33.544060, 48.934819, 64.530207))),
    "poisson, phi < 1": ("per_1000", [160, 152, 149, 141, 139, 128, 130, 119], NOEMER_P, dict(
        b=(-4.993001, -0.046563), se=(0.030029, 0.013088), phi=0.051236, ame=-0.317746,
        pi=(3.614434, 5.013292, 6.953538))),
    "poisson, phi > 1 (quasi)": ("per_1000", [160, 135, 158, 120, 150, 110, 135, 100], NOEMER_P, dict(
        b=(-5.040653, -0.054880), se=(0.046113, 0.020083), phi=2.244124, ame=-0.357862,
        pi=(2.717954, 4.528458, 7.544990))),
}
PI_YEAR, PI_NOEMER = 2020, {"procent": None, "per_1000": 21500}


def reference_route(eenheid, teller, noemer):
    """The literals of REFERENCE from the independent route."""
    teller, noemer = np.asarray(teller, float), np.asarray(noemer, float)
    if eenheid == "procent":
        beta, cov, phi = irls(teller, m=noemer)
        curve = share_curve
    else:
        beta, cov, phi = irls(teller, offset=np.log(noemer), family="poisson")
        curve = rate_curve
    scale = max(1.0, phi)
    cov = scale * cov
    ame = finite_difference_ame(beta, curve)
    v = np.array([1.0, PI_YEAR - REF_YEARS.mean()])
    eta0 = v @ beta
    if eenheid == "procent":  # new share at the last observed denominator, on the logit scale
        p0 = 1 / (1 + np.exp(-eta0))
        new = scale / (noemer[-1] * p0 * (1 - p0))
    else:  # new rate at a given population, on the log scale
        new = scale / (PI_NOEMER[eenheid] * np.exp(eta0))
    half = REF_T * math.sqrt(v @ cov @ v + new)
    # back-transform eta0 + k * half with the curve itself (x = 0, intercept = that value)
    pi = tuple(curve(np.array([eta0 + k * half, 0.0]), np.array([0.0]))[0] for k in (-1, 0, 1))
    return dict(b=tuple(beta), se=tuple(np.sqrt(np.diag(cov))), phi=phi, ame=ame, pi=pi)


def reference_series(eenheid, teller, noemer):
    teller, noemer = np.asarray(teller, float), np.asarray(noemer, float)
    factor = 100 if eenheid == "procent" else 1000
    return series(np.round(factor * teller / noemer, 1), eenheid, REF_YEARS, teller=teller, noemer=noemer)


@pytest.mark.parametrize("name", REFERENCE)
def test_literals_follow_from_the_independent_route(name):
    eenheid, teller, noemer, expected = REFERENCE[name]
    route = reference_route(eenheid, teller, noemer)
    for key, value in expected.items():
        assert np.asarray(route[key]) == pytest.approx(np.asarray(value), abs=1e-6), key


@pytest.mark.parametrize("name", REFERENCE)
def test_glm_matches_reference_values_to_4_decimals(name):
    eenheid, teller, noemer, expected = REFERENCE[name]
    result = fit_trend(reference_series(eenheid, teller, noemer))
    model = result._model
    assert result.methode == ("binomiaal" if eenheid == "procent" else "poisson")  # no 'quasi_' switch
    assert model.params == pytest.approx(expected["b"], abs=5e-5)
    assert np.sqrt(np.diag(model.cov)) == pytest.approx(expected["se"], abs=5e-5)
    assert result.dispersie == pytest.approx(expected["phi"], abs=5e-5)
    assert result.schaal == pytest.approx(max(1.0, expected["phi"]), abs=5e-5)
    assert result.helling == pytest.approx(expected["ame"], abs=5e-5)
    # the slope's interval is b1's interval at the fitted level: t * SE(b1) * AME / b1
    b1, se1 = expected["b"][1], expected["se"][1]
    assert half_width(result) == pytest.approx(REF_T * se1 * expected["ame"] / b1, abs=5e-5)
    assert ("overdispersie" in result.opmerking_codes) == (expected["phi"] > 1)
    proj = project(result, PI_YEAR, noemer=PI_NOEMER[eenheid])
    assert proj.interval == "voorspelling"
    assert (proj.ondergrens, proj.verwacht, proj.bovengrens) == pytest.approx(expected["pi"], abs=5e-5)


def test_poisson_relative_change_matches_reference():
    eenheid, teller, noemer, expected = REFERENCE["poisson, phi > 1 (quasi)"]
    result = fit_trend(reference_series(eenheid, teller, noemer))
    b1, se1 = expected["b"][1], expected["se"][1]
    assert result.relatieve_verandering == pytest.approx(100 * math.expm1(b1), abs=1e-3)
    assert result.relatieve_ondergrens == pytest.approx(100 * math.expm1(b1 - REF_T * se1), abs=1e-3)
    assert result.relatieve_bovengrens == pytest.approx(100 * math.expm1(b1 + REF_T * se1), abs=1e-3)


@pytest.mark.parametrize("name", REFERENCE)
def test_glm_p_value_is_the_wald_test_of_its_trend_parameter(name):
    eenheid, teller, noemer, expected = REFERENCE[name]
    result = fit_trend(reference_series(eenheid, teller, noemer))
    b1, se1 = expected["b"][1], expected["se"][1]
    assert result.p_waarde == pytest.approx(2 * stats.t.sf(abs(b1) / se1, 6), abs=1e-4)


# the registered home burglaries of a town of ~33.000 inhabitants, six police years: the fit the review found
# with three answers (the delta-method AME p = 0,057 beside a relative change whose interval excluded 0)
BURGLARY = dict(years=[2012, 2017, 2018, 2019, 2022, 2023], teller=[136, 140, 76, 100, 63, 30],
                noemer=[31850, 32450, 32518, 32768, 34148, 35303])


def burglary_series():
    teller, noemer = np.array(BURGLARY["teller"], float), np.array(BURGLARY["noemer"], float)
    return series(1000 * teller / noemer, "per_1000", BURGLARY["years"], teller=teller, noemer=noemer)


def test_glm_test_interval_and_relative_change_tell_one_story():
    """One parameter, one test: p < 0,05 exactly when the slope's interval and the relative change's interval
    exclude 0, and the three intervals are the same interval of b1 (the old code tested the delta-method AME,
    p = 0,057, while the relative interval excluded 0)."""
    result = fit_trend(burglary_series())
    assert result.methode == "poisson"
    b1, se1 = result._model.params[1], math.sqrt(result._model.cov[1, 1])
    t = T975[6]
    assert result.p_waarde == pytest.approx(2 * stats.t.sf(abs(b1) / se1, 4))
    assert result.p_waarde < 0.05  # the relative change's interval excludes 0, and so does the test
    assert result.relatieve_bovengrens == pytest.approx(100 * math.expm1(b1 + t * se1))
    assert result.relatieve_bovengrens < 0 and result.helling_bovengrens < 0
    factor = result.helling / b1  # the mean derivative: the same factor for the estimate and both bounds
    assert factor > 0
    assert result.helling_ondergrens == pytest.approx(factor * (b1 - t * se1))
    assert result.helling_bovengrens == pytest.approx(factor * (b1 + t * se1))


@pytest.mark.parametrize("seed", range(40))
def test_significance_and_interval_never_disagree(seed):
    """For every model: (p < 0,05) == (the slope's interval excludes 0) == (the relative interval excludes 0)."""
    rng = np.random.default_rng(seed)
    years = np.arange(2012, 2012 + int(rng.integers(4, 9)))
    noemer = rng.integers(20_000, 40_000, years.size).astype(float)
    kind = ("per_1000", "procent", "aantal", "score")[seed % 4]
    if kind == "per_1000":
        teller = rng.poisson(noemer * 0.004 * rng.uniform(0.85, 1.1) ** (years - 2012)).astype(float)
        data = series(1000 * teller / noemer, kind, years, teller=teller, noemer=noemer)
    elif kind == "procent":
        m = rng.integers(200, 600, years.size).astype(float)
        teller = rng.binomial(m.astype(int), 0.3 + rng.uniform(-0.02, 0.02) * (years - 2012)).astype(float)
        data = series(np.round(100 * teller / m, 1), kind, years, teller=teller, noemer=m)
    elif kind == "aantal":
        data = series(rng.poisson(noemer * 0.01).astype(float), kind, years, noemer=noemer)
    else:
        data = series(np.round(60 + rng.normal(0, 1, years.size) + 0.2 * (years - 2012), 1), kind, years)
    result = fit_trend(data)
    excludes = result.helling_ondergrens > 0 or result.helling_bovengrens < 0
    assert (result.p_waarde < 0.05) == excludes
    if not math.isnan(result.relatieve_ondergrens):
        assert (result.relatieve_ondergrens > 0 or result.relatieve_bovengrens < 0) == excludes


# ============================================================================ dispersion rule


def test_interval_width_is_continuous_in_the_dispersion_around_1_5():
    """Three years of a count with population (df = 1): the middle count moves one at a time so
    Pearson phi crosses 1.5. The old switch to quasi-Poisson at 1.5 made the width jump ~8x
    (t_1 sqrt(1.5) / z); now width = t_1 * SE_plain * sqrt(max(1, phi))."""
    years, noemer = [2015, 2016, 2017], np.full(3, 100_000.0)
    phis, widths = [], []
    for middle in range(1020, 1100):
        counts = np.array([1000.0, middle, 1040.0])
        result = fit_trend(series(counts, "aantal", years, noemer=noemer))
        assert result.methode == "poisson"
        # independent plain Poisson fit: SE of the AME = SE(b1) * mean expected count (b0 drops out
        # of the gradient only approximately, so compare the slope coefficient's interval)
        X = sm.add_constant(np.array(years, float) - 2016)
        plain = sm.GLM(counts, X, family=sm.families.Poisson(), offset=np.log(noemer)).fit()
        phi = np.sum((counts - plain.fittedvalues) ** 2 / plain.fittedvalues)
        assert result.dispersie == pytest.approx(phi, rel=1e-6)
        lo, hi = result.relatieve_ondergrens, result.relatieve_bovengrens
        b1, se1 = plain.params[1], plain.bse[1] * math.sqrt(max(1.0, phi))
        assert (lo, hi) == pytest.approx((100 * np.expm1(b1 - T975[3] * se1), 100 * np.expm1(b1 + T975[3] * se1)))
        phis.append(phi)
        widths.append(half_width(result))
    phis, widths = np.array(phis), np.array(widths)
    assert phis.min() < 1.4 and phis.max() > 1.6  # the sweep crosses the old threshold
    ratios = widths[1:] / widths[:-1]
    assert np.all(np.abs(ratios - 1) < 0.05)  # no jump anywhere
    crossing = np.argmax(phis > 1.5)
    assert widths[crossing] / widths[crossing - 1] < 1.05


# ============================================================================ OLS


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
    residuals = values - expected_intercept - expected_slope * YEARS
    s = np.sqrt(np.sum(residuals ** 2) / 8)
    assert result.helling == pytest.approx(expected_slope)
    assert half_width(result) == pytest.approx(T975[10] * s / np.sqrt(np.sum((YEARS - YEARS.mean()) ** 2)))
    assert result.residu_sd == pytest.approx(s)
    assert result.fitted["gefit"].to_numpy() == pytest.approx(expected_intercept + expected_slope * YEARS)
    assert result.n_jaren == 10 and (result.eerste_jaar, result.laatste_jaar) == (2008, 2017)
    assert not result.indicatief and result.reden_code is None and "afronding_vloer" not in result.opmerking_codes
    assert (result.reeks, result.bron) == ("cbs", "cbs")
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


# ============================================================================ rounding floor


def test_perfectly_straight_rounded_series_gets_a_finite_interval_with_the_true_slope():
    # true line 10.04 + 0.498 t, published with one decimal: 10.0, 10.5, 11.0, 11.5 (straight)
    years = np.array([2015, 2016, 2017, 2018])
    truth = 10.04 + 0.498 * (years - 2015)
    published = np.round(truth, 1)
    assert np.ptp(np.diff(published)) == 0  # exactly straight as published
    result = fit_trend(series(published, "procent", years))
    assert result.methode == "ols" and result.reden_code is None
    assert "afronding_vloer" in result.opmerking_codes and result.decimalen == 1
    # floor: uniform rounding error on +-0.05, variance 0.1^2 / 12; SE(b1) = sqrt(floor / Sxx)
    floor = 0.1 ** 2 / 12
    assert result.residu_sd == pytest.approx(math.sqrt(floor))
    assert half_width(result) == pytest.approx(T975[4] * math.sqrt(floor / 5.0))
    assert result.helling == pytest.approx(0.5)
    assert covers(result, 0.498)
    assert math.isfinite(result.p_waarde)
    proj = project(result, 2020)
    assert proj.interval == "voorspelling" and proj.ondergrens < proj.verwacht < proj.bovengrens


def test_rounding_floor_uses_published_decimals_whole_counts_and_at_most_2_for_shares():
    years = np.arange(2014, 2019)
    counts = fit_trend(series([100, 110, 120, 130, 140], "aantal", years))
    assert counts.decimalen == 0 and counts.residu_sd == pytest.approx(math.sqrt(1 / 12))
    shares = fit_trend(series([10.125, 10.25, 10.375, 10.5, 10.625], "procent", years))
    assert shares.decimalen == 2 and shares.residu_sd == pytest.approx(math.sqrt(0.01 ** 2 / 12))
    scores = fit_trend(series([7.125, 7.25, 7.375, 7.5, 7.625], "score", years))
    assert scores.decimalen == 3 and scores.residu_sd == pytest.approx(math.sqrt(0.001 ** 2 / 12))
    constant = fit_trend(series([5.0] * 5, "rapportcijfer", years))
    assert constant.helling == 0 and constant.helling_ondergrens < 0 < constant.helling_bovengrens


def test_rounding_floor_does_not_bind_for_a_noisy_series():
    rng = np.random.default_rng(31)
    values = np.round(40 + 0.3 * (YEARS - 2008) + rng.normal(0, 1, YEARS.size), 1)
    result = fit_trend(series(values, "procent"))
    residuals = values - np.polyval(np.polyfit(YEARS, values, 1), YEARS)
    assert "afronding_vloer" not in result.opmerking_codes
    assert result.residu_sd == pytest.approx(np.sqrt(np.sum(residuals ** 2) / 8))


# ============================================================================ survey margins


def hand_wls(years, values, variances):
    """WLS by hand: weights 1/v, Pearson phi, covariance max(1, phi) (X'WX)^-1."""
    x = np.asarray(years, float) - np.mean(years)
    X = np.column_stack([np.ones_like(x), x])
    W = np.diag(1 / variances)
    inverse = np.linalg.inv(X.T @ W @ X)
    beta = inverse @ X.T @ W @ values
    residuals = values - X @ beta
    phi = residuals @ W @ residuals / (len(values) - 2)
    return beta, max(1.0, phi) * inverse, phi


def test_published_margins_are_used_as_weights():
    years = np.arange(2011, 2019)
    values = np.array([6.8, 6.9, 7.1, 6.9, 7.3, 7.2, 7.6, 7.4])
    half = np.array([0.3, 0.3, 0.5, 0.2, 0.6, 0.2, 0.4, 0.3])  # published 95% margins
    data = series(values, "rapportcijfer", years, ondergrens=values - half, bovengrens=values + half)
    result = fit_trend(data)
    assert result.methode == "wls" and result.gewichten == "marges" and "marges_gebruikt" in result.opmerking_codes
    variances = (2 * half / (2 * 1.959964)) ** 2 + 0.1 ** 2 / 12  # margin SE^2 + rounding floor
    beta, cov, phi = hand_wls(years, values, variances)
    assert result.helling == pytest.approx(beta[1])
    assert result.dispersie == pytest.approx(phi) and result.schaal == pytest.approx(max(1, phi))
    assert half_width(result) == pytest.approx(T975[8] * math.sqrt(cov[1, 1]))
    assert result.helling != pytest.approx(np.polyfit(years, values, 1)[0])  # not the OLS slope
    # prediction for 2021: mean variance + scale * the last year's measurement variance
    proj = project(result, 2021)
    v = np.array([1, 2021 - years.mean()])
    expected = T975[8] * math.sqrt(v @ cov @ v + max(1, phi) * variances[-1])
    assert proj.verwacht == pytest.approx(v @ beta)
    assert proj.bovengrens - proj.verwacht == pytest.approx(expected)
    assert "marge_laatste_jaar" in proj.opmerking_codes


def test_margins_wider_than_the_scatter_set_the_interval():
    # values scatter far less than the margins say: phi < 1, the margins are the floor
    years = np.arange(2013, 2019)
    values = np.array([50.0, 50.5, 51.0, 51.5, 52.1, 52.5])
    data = series(values, "procent", years, ondergrens=values - 4, bovengrens=values + 4)
    result = fit_trend(data)
    assert result.dispersie < 1 and result.schaal == 1.0
    v = (8 / (2 * 1.959964)) ** 2 + 0.1 ** 2 / 12
    sxx = np.sum((years - years.mean()) ** 2)
    assert half_width(result) == pytest.approx(T975[6] * math.sqrt(v / sxx))


def test_sample_size_weights_a_share_by_p_1_minus_p_over_n():
    years = np.arange(2012, 2019)
    values = np.array([31.0, 33.0, 32.0, 35.0, 36.0, 35.0, 38.0])
    n = np.array([200, 800, 300, 1200, 250, 900, 400])
    result = fit_trend(series(values, "procent", years, n=n))
    assert result.methode == "wls" and result.gewichten == "n" and "marges_gebruikt" in result.opmerking_codes
    # two-step by hand: OLS fit -> p_i -> v_i = 100^2 p(1-p)/n + floor -> WLS; the shares are
    # published as whole percentages, so the rounding floor is 1/12
    assert result.decimalen == 0
    p = np.polyval(np.polyfit(years, values, 1), years) / 100
    variances = 100 ** 2 * p * (1 - p) / n + 1 / 12
    beta, cov, _ = hand_wls(years, values, variances)
    assert result.helling == pytest.approx(beta[1])
    assert half_width(result) == pytest.approx(T975[7] * math.sqrt(cov[1, 1]))


def test_incomplete_margins_are_not_used_and_the_result_says_so():
    years = np.arange(2014, 2019)
    values = np.array([20.0, 21.0, 23.0, 22.0, 24.0])
    low = np.array([18.0, np.nan, 21.0, 20.0, 22.0])
    result = fit_trend(series(values, "procent", years, ondergrens=low, bovengrens=values + 2))
    assert result.methode == "ols" and result.gewichten is None
    assert "marges_onvolledig" in result.opmerking_codes and "marges_gebruikt" not in result.opmerking_codes
    score = fit_trend(series(values, "score", years, n=[100] * 5))
    assert score.methode == "ols" and "n_alleen_bij_aandeel" in score.opmerking_codes


# ============================================================================ Durbin-Watson


def test_durbin_watson_value_and_exact_p_value():
    rng = np.random.default_rng(8)
    values = 3 + 0.1 * (YEARS - 2008) + np.cumsum(rng.normal(0, 0.2, YEARS.size))  # random walk errors
    result = fit_trend(series(values, "score"))
    e = values - np.polyval(np.polyfit(YEARS, values, 1), YEARS)
    dw = np.sum(np.diff(e) ** 2) / np.sum(e ** 2)
    assert result.durbin_watson == pytest.approx(dw)
    # P(DW <= dw) under independent normal errors, by simulation (SE of the estimate < 0.004)
    X = np.column_stack([np.ones(10), YEARS - YEARS.mean()])
    M = np.eye(10) - X @ np.linalg.solve(X.T @ X, X.T)
    E = M @ np.random.default_rng(0).normal(size=(10, 20_000))
    simulated = np.sum(np.diff(E, axis=0) ** 2, axis=0) / np.sum(E ** 2, axis=0)
    assert result.dw_p_waarde == pytest.approx(np.mean(simulated <= dw), abs=0.012)
    assert ("autocorrelatie" in result.opmerking_codes) == (result.dw_p_waarde < 0.05)


def test_marked_positive_autocorrelation_is_flagged_and_independent_noise_rarely():
    rng = np.random.default_rng(77)
    flagged_ar = flagged_white = 0
    for _ in range(100):
        ar = np.zeros(YEARS.size)
        for i in range(1, YEARS.size):
            ar[i] = 0.9 * ar[i - 1] + rng.normal(0, 1)
        flagged_ar += "autocorrelatie" in fit_trend(series(50 + ar, "score")).opmerking_codes
        flagged_white += "autocorrelatie" in fit_trend(series(50 + rng.normal(0, 1, YEARS.size), "score")).opmerking_codes
    assert flagged_white <= 12  # the exact test has level 5%
    assert flagged_ar >= 30


def test_durbin_watson_needs_five_years():
    result = fit_trend(series([1.0, 1.4, 1.3, 2.0], "score", [2015, 2016, 2017, 2018]))
    assert math.isnan(result.durbin_watson) and "autocorrelatie" not in result.opmerking_codes


# ============================================================================ reasons


def test_two_points_are_refused_with_a_reason_code():
    result = fit_trend(series([40.0, 42.0], "procent", [2016, 2017]))
    assert result.methode == "geen" and result.reden_code == "te_weinig_jaren"
    assert result.reden_jaren == (2016, 2017) and result.minimum == 3
    assert np.isnan(result.helling) and result.fitted.empty
    assert trend_reason(result) == "Te weinig meetpunten: 2 jaren (2016, 2017); een trend vraagt er minstens 3."


def test_three_points_are_indicative():
    result = fit_trend(series([40.0, 42.5, 43.0], "procent", [2014, 2016, 2018]))
    assert result.methode == "ols" and result.indicatief and "indicatief" in result.opmerking_codes
    assert result.helling == pytest.approx(np.polyfit([2014, 2016, 2018], [40.0, 42.5, 43.0], 1)[0])


def test_rank_and_empty_series_are_refused():
    assert fit_trend(series([1, 2, 2, 3], "rang", [2015, 2016, 2017, 2018])).reden_code == "rang"
    empty = fit_trend(series([np.nan, np.nan, np.nan], "score", [2015, 2016, 2017]))
    assert empty.reden_code == "geen_waarnemingen" and empty.n_ontbrekend == 3
    assert "waarden_ontbreken" in empty.opmerking_codes


def test_a_year_twice_in_one_reeks_raises():
    data = series([1.0, 2.0, 2.5, 3.5], "score", [2015, 2016, 2016, 2017])
    with pytest.raises(ValueError, match="2016"):
        fit_trend(data)


def test_one_reeks_at_a_time_several_editions_of_one_reeks_are_one_series():
    a = series([1.0, 2.0, 2.5], "score", [2015, 2016, 2017], bron="a")
    b = series([3.1, 3.9], "score", [2018, 2019], bron="b")
    with pytest.raises(ValueError, match="one reeks"):
        fit_trend(pd.concat([a, b]))  # no reeks column: each bron is its own reeks
    editions = pd.concat([a, b]).assign(reeks="cbs_reeks")
    result = fit_trend(editions)
    assert result.reeks == "cbs_reeks" and result.bron == "a;b" and result.n_jaren == 5
    assert result.helling == pytest.approx(np.polyfit(editions["jaar"], editions["waarde"], 1)[0])


def test_binomial_all_100_percent_is_refused_as_model_failure():
    noemer = np.full(5, 50)
    result = fit_trend(series(np.full(5, 100.0), "procent", np.arange(2013, 2018), teller=noemer, noemer=noemer))
    assert (result.methode, result.reden_code, result.reden_detail) == ("geen", "model_faalt", "alles_0_of_100")
    assert "100%" in trend_reason(result)


def test_reason_and_caveat_codes_are_documented_and_have_dutch_text():
    for code in REASONS:
        assert trend_reason({"reden_code": code, "reden_jaren": "2016", "reden_detail": "alles_0"})
    for code in CAVEATS:
        assert trend_caveats({"opmerking_codes": code, "n_jaren": 3, "jaar": 2020, "laatste_jaar": 2017,
                              "noemer": 1000, "noemer_jaar": 2017, "decimalen": 1, "n_ontbrekend": 1})


def test_teller_noemer_that_do_not_reproduce_the_value_fall_back_to_ols():
    teller = np.array([20, 22, 25, 27, 30])
    result = fit_trend(series([25.0, 27.0, 30.0, 33.0, 36.0], "procent", np.arange(2013, 2018),
                              teller=teller, noemer=np.full(5, 100)))
    assert result.methode == "ols" and "teller_noemer_wijken_af" in result.opmerking_codes
    assert result.afwijking == pytest.approx(6.0)


# ============================================================================ binomial


def logistic(x):
    return 1 / (1 + np.exp(-x))


def test_binomial_recovers_slope_in_percentage_points():
    rng = np.random.default_rng(42)
    b0, b1, n = -1.0, 0.15, 400
    p = logistic(b0 + b1 * (YEARS - YEARS.mean()))
    # true average marginal effect in percentage points per year, over the observed years
    truth = 100 * b1 * np.mean(p * (1 - p))
    hits = 0
    for _ in range(150):
        teller = rng.binomial(n, p)
        result = fit_trend(series(100 * teller / n, "procent", teller=teller, noemer=np.full(YEARS.size, n)))
        assert result.methode == "binomiaal" and result.schaal == max(1.0, result.dispersie)
        hits += covers(result, truth)
    assert 0.93 <= hits / 150 <= 1.0  # conservative: max(1, phi) and t(8) on truly binomial data


def test_overdispersed_shares_get_honest_intervals():
    rng = np.random.default_rng(17)
    b0, b1, n, k = -1.0, 0.15, 400, 50
    p = logistic(b0 + b1 * (YEARS - YEARS.mean()))
    truth = 100 * b1 * np.mean(p * (1 - p))
    hits = widened = 0
    for _ in range(100):
        # beta-binomial: variance ~ 1 + (n - 1) / (k + 1) = 8.8 times the binomial one
        teller = rng.binomial(n, rng.beta(p * k, (1 - p) * k))
        result = fit_trend(series(100 * teller / n, "procent", teller=teller, noemer=np.full(YEARS.size, n)))
        widened += result.schaal > 1
        hits += covers(result, truth)
    assert widened >= 95
    assert 0.90 <= hits / 100 <= 0.99  # a plain binomial interval covers about half the time


def test_binomial_band_and_projection_stay_within_0_and_100_where_a_linear_band_does_not():
    rng = np.random.default_rng(3)
    noemer = np.full(YEARS.size, 60)
    p = logistic(3.6 + 0.25 * (YEARS - YEARS.mean()))  # 91% .. 99.6%
    teller = rng.binomial(noemer, p)
    values = 100 * teller / noemer
    result = fit_trend(series(values, "procent", teller=teller, noemer=noemer))
    assert result.methode == "binomiaal"
    fitted = result.fitted
    assert ((fitted["ondergrens"] >= 0) & (fitted["bovengrens"] <= 100)).all()
    assert ((fitted["ondergrens"] <= fitted["gefit"]) & (fitted["gefit"] <= fitted["bovengrens"])).all()
    far = project(result, 2030)
    assert 0 <= far.ondergrens <= far.verwacht <= far.bovengrens <= 100
    # the same figures without teller/noemer get a straight band, which would leave 0-100: cut off at 100
    naive = fit_trend(series(values, "procent"))
    model = naive._model
    straight = model.params[0] + model.params[1] * (YEARS - model.centre) + 2 * np.sqrt(model.cov[1, 1])
    assert naive.methode == "ols" and straight.max() > 100
    assert naive.fitted["bovengrens"].max() == 100


def falling_count():
    """A registered count that falls fast: the straight line reaches 0 before 2030."""
    return series([120.0, 100.0, 85.0, 60.0, 48.0, 30.0], "aantal", np.arange(2015, 2021))


def test_linear_projection_of_a_count_never_goes_below_zero():
    result = fit_trend(falling_count())
    assert result.methode == "ols"
    eta = result._model.params @ [1.0, 2022 - result._model.centre]
    assert eta < 0  # the straight line itself is below 0 in 2022
    proj = project(result, 2022)
    assert proj.verwacht == 0.0 and proj.ondergrens == 0.0 and proj.bovengrens > 0
    assert "begrensd" in proj.opmerking_codes
    assert "afgekapt" in projection_caveats(proj)
    inside = project(result, 2020)  # within the data the line is above 0: nothing cut off
    assert inside.ondergrens < inside.verwacht and "begrensd" not in inside.opmerking_codes
    assert (result.fitted[["gefit", "ondergrens", "bovengrens"]] >= 0).all().all()


def test_a_score_is_not_bounded_at_zero():
    result = fit_trend(series([3.0, 2.0, 1.0, 0.2, -0.5, -1.6], "score", np.arange(2015, 2021)))
    proj = project(result, 2026)
    assert proj.verwacht < 0 and "begrensd" not in proj.opmerking_codes


def test_binomial_needs_teller_and_noemer_on_every_row():
    teller = np.array([20, 22, 25, 27, np.nan])
    noemer = np.full(5, 100.0)
    values = [20.0, 22.0, 25.0, 27.0, 30.0]
    result = fit_trend(series(values, "procent", np.arange(2013, 2018), teller=teller, noemer=noemer))
    assert result.methode == "ols"


# ============================================================================ Poisson


def rate_series(rng, *, rr=0.96, base=8.0, overdispersed_k=None, years=YEARS):
    noemer = rng.integers(19_000, 21_000, len(years))
    rate = base / 1000 * rr ** (years - 2008)
    mu = noemer * rate
    if overdispersed_k is None:
        teller = rng.poisson(mu)
    else:  # negative binomial: variance mu + mu^2 / k
        teller = rng.negative_binomial(overdispersed_k, overdispersed_k / (overdispersed_k + mu))
    return series(1000 * teller / noemer, "per_1000", years, teller=teller, noemer=noemer), rate


def test_poisson_recovers_rate_ratio_and_slope_per_1000():
    rng = np.random.default_rng(11)
    rr = 0.96
    hits_rel = hits_slope = 0
    for _ in range(150):
        data, rate = rate_series(rng, rr=rr)
        result = fit_trend(data)
        assert result.methode == "poisson"
        hits_rel += covers(result, 100 * (rr - 1), "relatieve_ondergrens", "relatieve_bovengrens")
        # d/dt of 1000 * rate(t) = 1000 * rate(t) * log(rr), averaged over the years
        hits_slope += covers(result, np.mean(1000 * rate * np.log(rr)))
    assert 0.93 <= hits_rel / 150 <= 1.0
    assert 0.93 <= hits_slope / 150 <= 1.0


def test_overdispersion_widens_the_interval_by_sqrt_phi():
    rng = np.random.default_rng(5)
    data, _ = rate_series(rng, overdispersed_k=10)  # variance ~ 17 x the mean
    result = fit_trend(data)
    assert result.methode == "poisson" and result.dispersie > 1.5 and "overdispersie" in result.opmerking_codes
    # independent plain Poisson fit of the same data
    X = sm.add_constant(data["jaar"].to_numpy(float) - data["jaar"].mean())
    teller, noemer = data["teller"].to_numpy(), data["noemer"].to_numpy()
    plain = sm.GLM(teller, X, family=sm.families.Poisson(), offset=np.log(noemer)).fit()
    phi = np.sum((teller - plain.fittedvalues) ** 2 / plain.fittedvalues) / 8
    assert result.dispersie == pytest.approx(phi)
    se = plain.bse[1] * math.sqrt(phi)
    assert result.relatieve_verandering == pytest.approx(100 * np.expm1(plain.params[1]))
    assert result.relatieve_bovengrens == pytest.approx(100 * np.expm1(plain.params[1] + T975[10] * se))


def test_count_with_population_uses_exposure():
    rng = np.random.default_rng(8)
    noemer = np.linspace(30_000, 36_000, YEARS.size).round()
    counts = rng.poisson(noemer * 0.01 * 1.03 ** (YEARS - 2008))
    result = fit_trend(series(counts, "aantal", noemer=noemer))
    assert result.methode == "poisson"
    assert result.relatieve_ondergrens <= 3.0 <= result.relatieve_bovengrens
    default = project(result, 2020)
    double = project(result, 2020, noemer=2 * noemer[-1])
    assert double.verwacht == pytest.approx(2 * default.verwacht)
    assert default.noemer == noemer[-1] and default.noemer_jaar == 2017
    assert "noemer_laatste_jaar" in default.opmerking_codes and "noemer van 2017" in projection_caveats(default)
    assert double.noemer_jaar is None and "noemer_laatste_jaar" not in double.opmerking_codes


# ============================================================================ projection


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
    assert proj.interval == "voorspelling" and proj.reden_code is None
    assert "extrapolatie" in proj.opmerking_codes and proj.laatste_jaar == 2017


def test_ols_prediction_interval_contains_new_observations_at_nominal_rate():
    rng = np.random.default_rng(123)
    hits = 0
    for _ in range(200):
        values = 10 - 0.3 * (YEARS - 2008) + rng.normal(0, 0.8, YEARS.size)
        proj = project(fit_trend(series(values, "score")), 2019)
        new = 10 - 0.3 * (2019 - 2008) + rng.normal(0, 0.8)
        hits += proj.ondergrens <= new <= proj.bovengrens
    assert 0.90 <= hits / 200 <= 0.99


def test_glm_prediction_intervals_contain_new_yearly_measurements():
    rng = np.random.default_rng(606)
    years = np.arange(2008, 2019)  # the last year is the "new" measurement
    hits_share = hits_rate = 0
    p = logistic(-1 + 0.1 * (years - 2012))
    for _ in range(200):
        n = rng.integers(300, 500, years.size)
        teller = rng.binomial(n, rng.beta(p * 60, (1 - p) * 60))  # overdispersed shares
        data = series(100 * teller / n, "procent", years, teller=teller, noemer=n)
        proj = project(fit_trend(data.iloc[:-1]), 2018, noemer=n[-1])
        hits_share += proj.ondergrens <= 100 * teller[-1] / n[-1] <= proj.bovengrens
        rates, _ = rate_series(rng, overdispersed_k=20, years=years)
        proj = project(fit_trend(rates.iloc[:-1]), 2018, noemer=rates["noemer"].iloc[-1])
        hits_rate += proj.ondergrens <= rates["waarde"].iloc[-1] <= proj.bovengrens
    assert 0.90 <= hits_share / 200 <= 0.99
    assert 0.90 <= hits_rate / 200 <= 0.99


def test_every_model_projects_with_a_prediction_interval_of_comparable_width():
    """The issue: the same data gave niet_op_koers (GLM confidence interval) or onzeker (OLS
    prediction interval) depending on whether teller and noemer were filled in."""
    eenheid, teller, noemer, _ = REFERENCE["binomiaal, phi > 1 (quasi)"]
    with_counts = reference_series(eenheid, teller, noemer)
    without = with_counts.drop(columns=["teller", "noemer"])
    glm, ols = project(fit_trend(with_counts), 2020), project(fit_trend(without), 2020)
    assert glm.interval == ols.interval == "voorspelling"
    ratio = (glm.bovengrens - glm.ondergrens) / (ols.bovengrens - ols.ondergrens)
    assert 0.75 < ratio < 1.33


def test_projection_without_fit_gives_reason():
    proj = project(fit_trend(series([1.0, 2.0], "score", [2016, 2017])), 2020)
    assert np.isnan(proj.verwacht) and proj.interval is None
    assert proj.reden_code == "te_weinig_jaren" and proj.reden_jaren == (2016, 2017)
    assert projection_reason(proj).startswith("Geen trend om door te trekken: Te weinig meetpunten")


def test_projection_level_is_used():
    rng = np.random.default_rng(6)
    data, _ = rate_series(rng)
    result = fit_trend(data)
    p90, p95 = project(result, 2020, level=0.9), project(result, 2020)
    assert p90.niveau == 0.9 and p95.ondergrens < p90.ondergrens < p90.verwacht < p90.bovengrens < p95.bovengrens
    with pytest.raises(ValueError):
        project(result, 2020, level=95)


# ============================================================================ all series


def test_a_table_of_trend_records_holds_codes_and_the_texts_add_the_dutch():
    rng = np.random.default_rng(2)
    table = pd.DataFrame([fit_trend(series([1.0, 2.0], "score", [2016, 2017], groep="nederlands")).to_record(),
                          fit_trend(series(rng.normal(5, 1, YEARS.size), "score", groep="westers")).to_record()])
    assert table["methode"].tolist() == ["geen", "ols"]
    assert table["reden_code"].tolist()[0] == "te_weinig_jaren" and table["reden_jaren"].tolist()[0] == "2016;2017"
    assert "fitted" not in table.columns and "reden" not in table.columns  # codes only; text adds Dutch
    assert list(table.columns[-5:]) == ["reden_code", "reden_jaren", "reden_detail", "minimum", "opmerking_codes"]
    with_text = add_trend_texts(table)
    assert with_text["reden"].tolist()[0].startswith("Te weinig meetpunten: 2 jaren (2016, 2017)")
    assert with_text["reden"].isna().tolist() == [False, True]


# ============================================================================ gaps


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
    assert result.oordeel == "convergeert" and result.helling > 0
    assert (result.richting_absoluut, result.richting_relatief) == ("kleiner", "kleiner")
    assert result.helling == pytest.approx(np.polyfit(YEARS, a["waarde"] - b["waarde"], 1)[0])
    assert compare_groups(b, a).oordeel == "convergeert"
    assert result.verschillen["verschil"].to_numpy() == pytest.approx((a["waarde"] - b["waarde"]).to_numpy())


def test_diverging_and_flat_gaps():
    rng = np.random.default_rng(10)
    assert compare_groups(*two_groups(-5, -1.0, rng)).oordeel == "divergeert"
    assert compare_groups(*two_groups(-5, 0.0, rng)).oordeel == "onduidelijk"


def test_crossing_groups_are_not_called_converging():
    rng = np.random.default_rng(12)
    result = compare_groups(*two_groups(-6, 1.5, rng))  # gap goes from -6 to +7.5
    assert result.oordeel == "kruist" and result.richting_absoluut == "kruist"
    assert "kruisen" in sentence_gap(result, "Het verschil")


def test_gap_needs_three_common_years():
    rng = np.random.default_rng(0)
    a = series(rng.normal(30, 1, 4), "procent", [2014, 2015, 2016, 2017], groep="niet_westers")
    b = series(rng.normal(20, 1, 3), "procent", [2011, 2016, 2017], groep="nederlands")
    result = compare_groups(a, b)
    assert result.oordeel is None and result.reden_code == "te_weinig_jaren" and result.reden_jaren == (2016, 2017)
    assert "Te weinig gemeenschappelijke meetpunten: 2 jaren (2016, 2017)" in gap_reason(result)
    assert result.verschillen["jaar"].tolist() == [2016, 2017]


def published_suspects():
    raw = pd.read_csv("data/raw/gepubliceerd_cbs.csv")
    rows = raw[(raw["indicator"] == "geregistreerde_verdachten") & (raw["regio"] == "Nederland")]
    return rows[rows["groep"] == "marokkaans"], rows[rows["groep"] == "nederlands"]


def test_moroccan_and_dutch_suspect_rates_do_not_read_as_converging():
    """CBS: 7.1% -> 3.7% (Moroccan) and 1.4% -> 0.7% (Dutch background), 2008-2017. The
    absolute gap shrinks by about 0.30 percentage point a year, but the ratio goes from 5.07 to
    5.29: the groups do not 'grow toward each other' on the relative scale."""
    moroccan, dutch = published_suspects()
    assert moroccan["waarde"].tolist() == [7.1, 6.9, 6.7, 6.5, 6.0, 5.7, 5.2, 4.8, 4.3, 3.7]
    assert dutch["waarde"].tolist() == [1.4, 1.4, 1.3, 1.2, 1.1, 1.0, 1.0, 0.9, 0.8, 0.7]
    result = compare_groups(moroccan, dutch)
    a, b = moroccan["waarde"].to_numpy(), dutch["waarde"].to_numpy()
    assert result.verschillen["verhouding"].round(2).tolist()[::9] == [5.07, 5.29]
    # absolute scale: OLS on the gap, by hand
    gap = a - b
    slope, intercept = np.polyfit(YEARS, gap, 1)
    residuals = gap - intercept - slope * YEARS
    se = np.sqrt(np.sum(residuals ** 2) / 8 / np.sum((YEARS - YEARS.mean()) ** 2))
    assert result.helling == pytest.approx(-0.298788, abs=1e-6) == pytest.approx(slope)
    assert result.helling_bovengrens == pytest.approx(slope + T975[10] * se)
    assert result.richting_absoluut == "kleiner"
    # relative scale for shares: logit difference (log odds ratio)
    logit = lambda v: np.log(v / 100 / (1 - v / 100))  # noqa: E731
    rel = logit(a) - logit(b)
    assert result.schaal_relatief == "logit_verschil"
    assert result.relatief_helling == pytest.approx(np.polyfit(YEARS, rel, 1)[0]) == pytest.approx(0.003296, abs=1e-6)
    assert result.relatief_ondergrens < 0 < result.relatief_bovengrens
    assert result.richting_relatief == "onduidelijk"
    assert result.oordeel == "absoluut_kleiner_relatief_onduidelijk" and result.oordeel != "convergeert"
    # autocorrelated residuals of the absolute gap (Durbin-Watson 0.66)
    assert result.durbin_watson == pytest.approx(np.sum(np.diff(residuals) ** 2) / np.sum(residuals ** 2))
    assert round(result.durbin_watson, 2) == 0.66 and "autocorrelatie" in result.opmerking_codes
    sentence = sentence_gap(result, "Het verschil in het aandeel verdachten tussen Marokkaans en Nederlands")
    assert "groeien naar elkaar toe" not in sentence and "wordt absoluut kleiner, maar relatief" in sentence
    assert "-0,30 procentpunt per jaar" in sentence and "Durbin-Watson 0,66" in sentence


def test_absolute_gap_shrinking_while_the_ratio_grows():
    years = np.arange(2010, 2016)
    a = np.array([20.0, 18.1, 15.9, 14.0, 12.1, 9.9])
    b = np.array([10.0, 8.6, 6.9, 5.6, 4.0, 2.4])  # gap 10 -> 7.5, ratio 2.0 -> 4.1
    result = compare_groups(series(a, "per_1000", years, groep="x"), series(b, "per_1000", years, groep="y"))
    assert result.schaal_relatief == "log_verhouding"
    assert result.relatief_helling == pytest.approx(np.polyfit(years, np.log(a / b), 1)[0])
    assert result.verhouding_verandering == pytest.approx(100 * np.expm1(result.relatief_helling))
    assert result.oordeel == "absoluut_kleiner_relatief_groter"
    assert "wordt absoluut kleiner, maar relatief wordt het groter" in sentence_gap(result, "Het verschil")


def test_units_without_a_natural_zero_are_judged_on_the_absolute_gap():
    rng = np.random.default_rng(4)
    a, b = two_groups(-12, 1.0, rng)
    result = compare_groups(a.assign(eenheid="score"), b.assign(eenheid="score"))
    assert result.richting_relatief == "niet_van_toepassing" and result.oordeel == "convergeert"
    assert math.isnan(result.relatief_helling)


def test_a_zero_value_leaves_the_relative_scale_undetermined():
    years = np.arange(2012, 2018)
    a = series([12.0, 10.0, 9.0, 7.0, 6.0, 4.0], "aantal", years, groep="x")
    b = series([0.0, 1.0, 1.0, 2.0, 1.0, 2.0], "aantal", years, groep="y")
    result = compare_groups(a, b)
    assert result.richting_relatief == "niet_beschikbaar"
    assert result.oordeel == "absoluut_kleiner_relatief_niet_beschikbaar"


def test_straight_gaps_get_a_finite_interval():
    years = np.arange(2013, 2018)
    result = compare_groups(series([30.0, 29.0, 28.0, 27.0, 26.0], "procent", years, groep="x"),
                            series([20.0, 20.0, 20.0, 20.0, 20.0], "procent", years, groep="y"))
    assert result.oordeel == "convergeert" and "afronding_vloer" in result.opmerking_codes
    # two values rounded to whole numbers: floor variance 2 / 12
    assert result.helling_bovengrens - result.helling == pytest.approx(T975[5] * math.sqrt(2 / 12 / 10))


def test_compare_groups_refuses_mismatched_series_and_duplicate_years():
    a = series([1.0, 2.0, 3.0], "score", [2015, 2016, 2017])
    with pytest.raises(ValueError):
        compare_groups(a, a.assign(eenheid="index"))
    with pytest.raises(ValueError):
        compare_groups(a, series([1.0, 2.0, 3.0], "score", [2015, 2015, 2017]))


# ============================================================================ what a trend says; many tests


def test_direction_needs_the_whole_interval_on_one_side_and_the_correction():
    from analyse.trends import direction
    assert direction(0.2, 0.6) == "stijging" and direction(-0.6, -0.2) == "daling"
    assert direction(-0.5, 0.3) == "geen" and direction(0.0, 0.4) == "geen"  # 0 itself is inside
    assert direction(-0.6, -0.2, confirmed=False) == "niet_na_correctie"
    assert direction(-0.6, -0.2, confirmed=True) == "daling"
    assert direction(-0.5, 0.3, confirmed=True) == "geen"
    assert direction(math.nan, math.nan) is None and direction("", "") is None and direction(None, 1) is None


def test_benjamini_hochberg_by_hand():
    """Six p-values and one missing: sorted 0,001 0,008 0,039 0,041 0,042 0,60; BH adjusted p_(i) = min over j>=i of
    p_(j) m / j with m = 6 tests (the missing one is no test)."""
    from analyse.trends import add_fdr, fdr_adjust
    p = [0.041, 0.001, None, 0.60, 0.008, 0.039, 0.042]
    adjusted, rejected = fdr_adjust(p)
    by_hand = {0.001: 0.006, 0.008: 0.024, 0.039: 0.0504, 0.041: 0.0504, 0.042: 0.0504, 0.60: 0.60}
    for value, adj, rej in zip(p, adjusted, rejected):
        if value is None:
            assert math.isnan(adj) and not rej
        else:
            assert adj == pytest.approx(by_hand[value])
            assert rej == (by_hand[value] <= 0.05)
    table = add_fdr(pd.DataFrame({"p_waarde": [str(v) if v is not None else "" for v in p]}), suffix="_run")
    assert table["fdr_toetsen_run"].tolist() == [6] * 7
    assert table["fdr_aantoonbaar_run"].tolist() == [False, True, None, False, True, False, False]
    assert table["p_fdr_run"].iloc[1] == pytest.approx(0.006)
