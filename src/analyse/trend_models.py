"""The statistics behind a trend: one reeks prepared for fitting, the models, the rounding floor and the
Durbin-Watson test (used by :mod:`analyse.trends` and :mod:`analyse.group_gaps`).

Models
------
Notation: ``n`` years, design ``X = [1, x]``, ``t = t_{0.975; n-2}`` for every 95% interval and
every p-value (all model types, also the GLMs).

* **OLS** (default). ``y = b0 + b1 x + e``, ``s2 = SSR / (n - 2)``. Published values are rounded
  to ``d`` decimals, which adds an error uniform on ``+-0.5 * 10^-d`` with variance
  ``f = 10^(-2d) / 12``. That error is already part of the residuals, so it is not added to
  ``s2``; it is a *floor*: the residual variance used is ``sigma2 = max(s2, f)`` and
  ``Cov(b) = sigma2 (X'X)^-1``. A perfectly straight (or constant) published series therefore
  gets a finite interval instead of none (caveat ``afronding_vloer`` when the floor binds).
  ``d`` comes from the values as published (the longest shortest-decimal notation in the
  series), at most 2 for ``procent`` (a share is never taken as more precise than 0.01) and at
  most 6 otherwise; counts (``aantal``) are whole numbers, ``d = 0``.
* **WLS with survey margins** (``methode='wls'``). When every row has a published 95% interval
  (``ondergrens`` < ``bovengrens``) the variance of a measurement is
  ``v_i = ((bovengrens - ondergrens) / (2 * 1.96))^2 + f``; otherwise, for ``procent`` with a
  sample size ``n`` on every row, ``v_i = 100^2 p_i (1 - p_i) / n_i + f`` with ``p_i`` the share
  fitted by a first OLS step (two-step feasible GLS), clipped to ``[1/(2n), 1 - 1/(2n)]``.
  Weights ``w_i = 1 / v_i``; ``phi = sum w_i r_i^2 / (n - 2)`` (Pearson dispersion) and
  ``Cov(b) = max(1, phi) (X'WX)^-1``: the published margin is a floor on the uncertainty, and
  year-to-year variation beyond it widens the interval. ``gewichten`` says ``'marges'`` or
  ``'n'`` and the caveat ``marges_gebruikt`` is set.
* **Binomial GLM** (``methode='binomiaal'``): ``procent`` with ``teller`` and ``noemer`` on
  every row that reproduce ``waarde`` within ``REPORTING_MARGIN``. ``logit p_i = b0 + b1 x_i``,
  ``Var(teller_i) = phi m_i p_i (1 - p_i)``.
* **Poisson GLM** (``methode='poisson'``): ``aantal`` with a population (``noemer``), or
  ``per_100``/``per_1000``/``per_10000`` with ``teller`` and ``noemer``:
  ``log E[Y_i] = log(noemer_i) + b0 + b1 x_i``, ``Var(Y_i) = phi mu_i``.
  ``relatieve_verandering`` is ``100 (exp(b1) - 1)`` percent per year.

  For both GLMs the dispersion is always estimated as Pearson
  ``phi = sum (y_i - mu_i)^2 / V(mu_i) / (n - 2)`` and ``Cov(b) = max(1, phi) (X'WX)^-1``
  (quasi-likelihood, as R's quasi families, but never narrower than the plain model). There is
  no threshold and so no jump: interval width is a continuous function of ``phi``. The method
  name stays ``binomiaal``/``poisson``; ``dispersie`` is ``phi`` and ``schaal`` is
  ``max(1, phi)`` (caveat ``overdispersie`` when ``phi > 1``).

  **One parameter, one test.** A GLM has one trend parameter, ``b1`` (the log rate ratio per year for
  Poisson, the log odds ratio per year for the binomial model). Its Wald test (``b1 / SE(b1)`` on
  t(n - 2)) is the p-value, and every interval reported is ``b1 +- t SE(b1)`` on some scale:
  ``relatieve_*`` (Poisson) is ``100 (exp(.) - 1)`` of it, and the slope in the unit of the indicator,
  ``helling``, is the *average marginal effect* ``b1 * mean_i dmu_i/deta`` with interval
  ``(b1 +- t SE(b1)) * mean_i dmu_i/deta`` (the interval of ``b1`` at the fitted level, see
  :func:`mean_derivative`). The factor is positive, so "p < 0,05", "the interval of the relative change
  excludes 0" and "the interval of the slope excludes 0" are one and the same statement. (A delta-method
  interval of the AME would be a second test, on another scale, that can disagree with the first near the
  5% boundary.)
* Fitted band (``fitted``): 95% confidence band of the expected value (the trend line), for
  GLMs computed on the link scale and transformed back (a share stays within 0-100). For a unit that
  cannot be negative (:data:`NON_NEGATIVE`) a straight-line band is cut off at 0 (and a share at 100).


Autocorrelation: for OLS and WLS fits with at least ``MIN_YEARS_DW`` years the Durbin-Watson
statistic ``DW = sum (e_i - e_{i-1})^2 / sum e_i^2`` of the (whitened) residuals in year order is
reported with its exact one-sided p-value under independent normal errors (the distribution of
a ratio of quadratic forms, from the eigenvalues of ``M (A - DW I) M`` and Imhof's (1961)
inversion formula). ``p < DW_ALPHA`` sets caveat ``autocorrelatie``: the intervals are then too
narrow. Nothing is corrected: with 5-15 yearly points a correction cannot be estimated reliably.

"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import integrate, stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

MIN_YEARS_DW = 5
"""Durbin-Watson is reported for linear fits with at least this many years."""
DW_ALPHA = 0.05
"""One-sided level of the exact Durbin-Watson test for positive autocorrelation."""
REPORTING_MARGIN = 0.5
"""Maximum difference (in the unit) between ``waarde`` and the value computed from
``teller``/``noemer``; larger means teller/noemer describe something else than the
published figure, and the figure itself is modelled with OLS."""
MAX_SHARE_DECIMALS = 2
"""A published share is taken as rounded to at most this many decimals."""
MAX_TREND_DECIMALS = 6
"""Other published values: at most this many decimals for the rounding floor."""
PER_UNIT = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}
NON_NEGATIVE = frozenset({"aantal", "procent", "per_100", "per_1000", "per_10000"})
"""Units that cannot be below 0 (counts, shares, rates): a straight line is cut off at 0 (a share also at 100)."""
LEVEL = 0.95
"""Level of every interval (and default level of a projection)."""
_Z_PUBLISHED = float(stats.norm.ppf(0.975))  # a published 95% interval is +- 1.96 SE
_OPTIONAL = ("teller", "noemer", "ondergrens", "bovengrens", "n")


@dataclass(frozen=True)
class Reeks:
    keys: dict  # indicator, regio, groep: None when the column is absent
    reeks: str | None
    bron: str | None  # the bron codes of the rows, sorted, joined by ';'
    eenheid: str
    rows: pd.DataFrame  # rows with a value, sorted by year
    n_missing: int


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        pd.api.types.is_scalar(value) and pd.isna(value))


def _single(frame: pd.DataFrame, column: str) -> str | None:
    if column not in frame.columns:
        return None
    values = sorted({str(v) for v in frame[column] if not _is_blank(v)})
    if len(values) > 1:
        raise ValueError(f"series must have one {column!r}, got {values}")
    return values[0] if values else None


def effective_reeks(frame: pd.DataFrame) -> pd.Series | None:
    """The reeks of every row: ``reeks`` where filled in, else the ``bron`` (data contract v2)."""
    bron = frame["bron"] if "bron" in frame.columns else None
    if "reeks" in frame.columns:
        reeks = frame["reeks"].astype(object).where(~frame["reeks"].map(_is_blank), None)
        return reeks.where(reeks.notna(), bron) if bron is not None else reeks
    return bron


def _unit(frame: pd.DataFrame, eenheid: str | None) -> str:
    found = _single(frame, "eenheid")
    if found is None:
        if eenheid is None:
            raise ValueError("no 'eenheid' column and no eenheid given")
        return eenheid
    if eenheid is not None and eenheid != found:
        raise ValueError(f"eenheid {eenheid!r} given, but the series has {found!r}")
    return found


def prepare_reeks(series: pd.DataFrame, eenheid: str | None = None) -> Reeks:
    keys = {k: _single(series, k) for k in ("indicator", "regio", "groep")}
    unit = _unit(series, eenheid)
    reeks_column = effective_reeks(series)
    reeks = None
    if reeks_column is not None:
        found = sorted({str(v) for v in reeks_column if not _is_blank(v)})
        if len(found) > 1:
            raise ValueError(f"fit one reeks at a time, got {found}")
        reeks = found[0] if found else None
    bronnen = sorted({str(v) for v in series["bron"] if not _is_blank(v)}) if "bron" in series else []
    rows = series.copy()
    rows["jaar"] = rows["jaar"].astype(int)
    counts = rows["jaar"].value_counts()
    duplicates = tuple(sorted(int(y) for y in counts[counts > 1].index))
    if duplicates:
        raise ValueError(f"a reeks has one row per year; {list(duplicates)} occur more than once")
    for column in ("waarde", *_OPTIONAL):
        rows[column] = pd.to_numeric(rows[column], errors="coerce") if column in rows else np.nan
    missing = int(rows["waarde"].isna().sum())
    rows = rows[rows["waarde"].notna()].sort_values("jaar").reset_index(drop=True)
    return Reeks(keys, reeks, ";".join(bronnen) or None, unit, rows, missing)


def series_decimals(values, eenheid: str) -> int:
    """Decimals of the values as published (see module docstring)."""
    if eenheid == "aantal":
        return 0
    d = 0
    for value in values:
        exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
        if isinstance(exponent, int):
            d = max(d, -exponent)
    return min(d, MAX_SHARE_DECIMALS if eenheid == "procent" else MAX_TREND_DECIMALS)


def rounding_variance(decimals: int) -> float:
    """Variance of an error uniform on +-0.5 * 10^-decimals."""
    return 10.0 ** (-2 * decimals) / 12


class FitRefused(Exception):
    """A model could not be estimated; the message is the reden_detail code."""


def _checked(fit):
    """Run a statsmodels fit; convergence/separation problems refuse, other warnings pass on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = fit()
    for w in caught:
        if issubclass(w.category, PerfectSeparationWarning):
            raise FitRefused("scheiding")
        if issubclass(w.category, ConvergenceWarning):
            raise FitRefused("convergentie")
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return results


def design(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.column_stack([np.ones_like(x), x])


def t_quantile(df: int, level: float = LEVEL) -> float:
    return float(stats.t.ppf(0.5 + level / 2, df))


def two_sided_p(statistic: float, df: int) -> float:
    return float(2 * stats.t.sf(abs(statistic), df))


@dataclass(frozen=True)
class Linear:
    params: np.ndarray
    cov: np.ndarray
    residuals: np.ndarray  # whitened, in year order
    whitened_design: np.ndarray
    total: float  # sum of the squared (whitened) values: the size of the data
    estimate: float  # OLS: s2 = SSR/(n-2); WLS: Pearson phi
    scale: float  # OLS: sigma2 = max(s2, floor); WLS: max(1, phi)
    floor_binds: bool


def linear_fit(x, y, *, weights=None, floor: float = 0.0) -> Linear:
    """OLS (``weights=None``, residual variance floored at ``floor``) or WLS with known
    variances ``1/weights`` (scale ``max(1, phi)``)."""
    X = design(x)
    y = np.asarray(y, dtype=float)
    root = np.ones_like(y) if weights is None else np.sqrt(np.asarray(weights, dtype=float))
    Xw, yw = X * root[:, None], y * root
    inverse = np.linalg.inv(Xw.T @ Xw)
    params = inverse @ Xw.T @ yw
    if np.all(y == y[0]):  # a constant series: exactly level, not a rounding-noise slope
        params = np.array([y[0], 0.0])
    residuals = yw - Xw @ params
    estimate = float(residuals @ residuals / (len(y) - 2))
    bound = floor if weights is None else 1.0
    scale = max(estimate, bound)
    return Linear(params, scale * inverse, residuals, Xw, float(yw @ yw), estimate, scale,
                  weights is None and estimate < floor)


def _dw_p_value(dw: float, whitened_design: np.ndarray) -> float:
    """Exact P(DW <= dw) under independent normal errors (Imhof 1961).

    DW = e'Ae / e'e with e = M u, so P(DW <= dw) = P(u' M (A - dw I) M u <= 0), a weighted sum
    of independent chi2(1) variables with the eigenvalues as weights."""
    n = whitened_design.shape[0]
    hat = whitened_design @ np.linalg.solve(whitened_design.T @ whitened_design, whitened_design.T)
    M = np.eye(n) - hat
    D = np.diff(np.eye(n), axis=0)
    lam = np.linalg.eigvalsh(M @ (D.T @ D - dw * np.eye(n)) @ M)
    lam = lam[np.abs(lam) > 1e-10]

    def integrand(u: float) -> float:
        theta = 0.5 * np.sum(np.arctan(lam * u))
        rho = np.prod((1 + (lam * u) ** 2) ** 0.25)
        return math.sin(theta) / (u * rho)

    value, _ = integrate.quad(integrand, 0, np.inf, limit=500)
    return float(min(1.0, max(0.0, 0.5 - value / math.pi)))


def durbin_watson(fit: Linear) -> tuple[float, float]:
    """(DW, one-sided p-value for positive autocorrelation); NaN below MIN_YEARS_DW years or
    when the residuals are zero."""
    e = fit.residuals
    total = float(e @ e)
    if len(e) < MIN_YEARS_DW or total <= 1e-20 * fit.total:
        return math.nan, math.nan
    dw = float(np.sum(np.diff(e) ** 2) / total)
    return dw, _dw_p_value(dw, fit.whitened_design)


def _pearson(kind: str, observed, fitted, trials=None) -> float:
    """Pearson chi2 of a binomial (counts ``observed`` out of ``trials``) or Poisson fit."""
    if kind == "binomiaal":
        p = fitted
        return float(np.sum((observed - trials * p) ** 2 / (trials * p * (1 - p))))
    return float(np.sum((observed - fitted) ** 2 / fitted))


def glm_fit(kind: str, rows: pd.DataFrame, eenheid: str, x: np.ndarray):
    """Binomial or Poisson fit; returns (params, unscaled cov, phi)."""
    X = design(x)
    if kind == "binomiaal":
        teller, noemer = rows["teller"].to_numpy(float), rows["noemer"].to_numpy(float)
        if np.all(teller == 0) or np.all(teller == noemer):
            raise FitRefused("alles_0_of_100")
        model = sm.GLM(np.column_stack([teller, noemer - teller]), X, family=sm.families.Binomial())
        results = _checked(model.fit)
        phi = _pearson(kind, teller, np.asarray(results.fittedvalues), noemer) / (len(x) - 2)
    else:
        counts = rows["waarde" if eenheid == "aantal" else "teller"].to_numpy(float)
        if np.all(counts == 0):
            raise FitRefused("alles_0")
        model = sm.GLM(counts, X, family=sm.families.Poisson(), offset=np.log(rows["noemer"].to_numpy(float)))
        results = _checked(model.fit)
        phi = _pearson(kind, counts, np.asarray(results.fittedvalues)) / (len(x) - 2)
    return np.asarray(results.params, float), np.asarray(results.cov_params(), float), phi


@dataclass(frozen=True)
class Model:
    """What `project` and the fitted band need from a fit."""

    kind: str  # 'ols', 'wls', 'binomiaal', 'poisson'
    params: np.ndarray
    cov: np.ndarray  # scaled
    df: int
    centre: float
    scale: float  # OLS: sigma2; WLS and GLMs: max(1, phi)
    factor: float | None  # unit multiplier (100, 1000, ...); None: count with exposure
    last_year: int
    last_noemer: float | None = None
    weights: str | None = None  # WLS: 'marges' | 'n'
    last_variance: float | None = None  # WLS 'marges': v of the last year
    last_n: float | None = None  # WLS 'n': sample size of the last year
    floor: float = 0.0


def mean_on_unit(model: Model, eta: np.ndarray, exposure) -> np.ndarray:
    """Linear predictor -> expected value in the unit of the indicator."""
    if model.kind in ("ols", "wls"):
        return eta
    if model.kind == "binomiaal":
        return model.factor / (1 + np.exp(-eta))
    if model.factor is None:  # count with population: the offset is part of the mean
        return exposure * np.exp(eta)
    return model.factor * np.exp(eta)


def bounded(values, eenheid: str) -> np.ndarray:
    """``values`` within the range a unit allows: at least 0 for :data:`NON_NEGATIVE`, at most 100 for a share."""
    values = np.asarray(values, dtype=float)
    if eenheid in NON_NEGATIVE:
        values = np.maximum(values, 0.0)
    if eenheid == "procent":
        values = np.minimum(values, 100.0)
    return values


def fitted_band(model: Model, rows: pd.DataFrame, eenheid: str) -> pd.DataFrame:
    X = design(rows["jaar"].to_numpy(float) - model.centre)
    eta = X @ model.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", X, model.cov, X))
    q = t_quantile(model.df)
    exposure = rows["noemer"].to_numpy(float)
    gefit, lower, upper = (bounded(mean_on_unit(model, v, exposure), eenheid)
                           for v in (eta, eta - q * se, eta + q * se))
    return pd.DataFrame({
        "jaar": rows["jaar"].to_numpy(int),
        "waarde": rows["waarde"].to_numpy(float),
        "gefit": np.asarray(gefit, float),
        "ondergrens": np.asarray(lower, float),
        "bovengrens": np.asarray(upper, float),
    })


def mean_derivative(model: Model, rows: pd.DataFrame) -> float:
    """``mean_i dmu_i/deta`` over the observed years, in the unit of the indicator (always > 0).

    The average marginal effect of the year is ``b1`` times this factor; the slope's interval is the interval
    of ``b1`` times the same factor (see the module docstring: one parameter, one test)."""
    b0, b1 = model.params
    x = rows["jaar"].to_numpy(float) - model.centre
    eta = b0 + b1 * x
    if model.kind == "binomiaal":
        p = 1 / (1 + np.exp(-eta))
        return float(np.mean(model.factor * p * (1 - p)))
    weight = rows["noemer"].to_numpy(float) if model.factor is None else model.factor
    return float(np.mean(weight * np.exp(eta)))


def _complete(rows: pd.DataFrame, column: str) -> bool:
    return bool(rows[column].notna().all())


def choose_model(rows: pd.DataFrame, eenheid: str) -> tuple[str, str | None, list[str], dict]:
    """(kind, weights, caveats, caveat numbers) for the rows of one reeks.

    Order: complete survey margins (WLS), then teller/noemer (GLM), then a sample size for a
    share (WLS), then OLS on the published values."""
    caveats: list[str] = []
    numbers: dict = {}
    if (rows["ondergrens"].notna() | rows["bovengrens"].notna()).any():
        valid = rows["ondergrens"].notna() & rows["bovengrens"].notna() & (rows["bovengrens"] > rows["ondergrens"])
        if bool(valid.all()):
            return "wls", "marges", ["marges_gebruikt"], numbers
        caveats.append("marges_onvolledig")
    teller, noemer = rows["teller"], rows["noemer"]
    has_noemer = _complete(rows, "noemer") and bool((noemer > 0).all())
    has_both = has_noemer and _complete(rows, "teller") and bool((teller >= 0).all())
    kind = "ols"
    if eenheid == "aantal":
        kind = "poisson" if has_noemer else "ols"
    elif eenheid in PER_UNIT and has_both:
        worst = float((PER_UNIT[eenheid] * teller / noemer - rows["waarde"]).abs().max())
        if worst > REPORTING_MARGIN:
            caveats.append("teller_noemer_wijken_af")
            numbers["afwijking"] = worst
        elif eenheid == "procent" and bool((teller > noemer).any()):
            caveats.append("teller_groter_dan_noemer")
        else:
            kind = "binomiaal" if eenheid == "procent" else "poisson"
    if kind == "ols" and rows["n"].notna().any():
        if eenheid == "procent" and _complete(rows, "n") and bool((rows["n"] > 0).all()):
            return "wls", "n", [*caveats, "marges_gebruikt"], numbers
        caveats.append("marges_onvolledig" if eenheid == "procent" else "n_alleen_bij_aandeel")
    return kind, None, caveats, numbers


def wls_variances(rows: pd.DataFrame, x: np.ndarray, weights: str, floor: float) -> np.ndarray:
    if weights == "marges":
        se = (rows["bovengrens"] - rows["ondergrens"]).to_numpy(float) / (2 * _Z_PUBLISHED)
        return se ** 2 + floor
    n = rows["n"].to_numpy(float)
    first = linear_fit(x, rows["waarde"].to_numpy(float))
    p = np.clip((design(x) @ first.params) / 100, 1 / (2 * n), 1 - 1 / (2 * n))
    return 100 ** 2 * p * (1 - p) / n + floor
