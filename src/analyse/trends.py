"""Trend estimates for one reeks (issues "Trend estimates", 14 "Honest checks" and 17).

Input
-----
:func:`fit_trend` receives ONE reeks (docs/datacontract.md: one statistic, producer plus
definition), one row per year: ``jaar``, ``waarde``, ``eenheid`` and optionally ``teller``,
``noemer``, ``ondergrens``, ``bovengrens``, ``n``, ``reeks``, ``bron``, ``indicator``,
``regio``, ``groep``. Which reeks to fit is chosen elsewhere (``analyse.series``); a year that
occurs twice raises ValueError. A row without ``waarde`` is left out (caveat
``waarden_ontbreken``). Nothing is interpolated or filled in; gaps between years need no special
treatment because the year itself is the regressor: ``x = jaar - mean(observed years)``.

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
  every row that reproduce ``waarde`` within ``RAPPORTEERMARGE``. ``logit p_i = b0 + b1 x_i``,
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
  ``max(1, phi)`` (caveat ``overdispersie`` when ``phi > 1``). The slope is the *average
  marginal effect* (AME) on the unit scale, ``mean_i b1 dmu_i/deta``, with a delta-method SE,
  so the interval and p-value of ``helling`` agree.
* Fitted band (``fitted``): 95% confidence band of the expected value (the trend line), for
  GLMs computed on the link scale and transformed back (a share stays within 0-100).

Projection (:func:`project`): always a *prediction* interval for one new yearly measurement
(``Projection.interval == 'voorspelling'``), with ``x0 = year - centre``,
``V0 = x0' Cov(b) x0`` the variance of the fitted mean on the linear-predictor scale:

* OLS: ``yhat0 +- t sqrt(V0 + sigma2)``.
* WLS: ``yhat0 +- t sqrt(V0 + max(1, phi) v0)``, ``v0`` the measurement variance of the last
  observed year (margins), or ``100^2 p0 (1 - p0) / n_last + f`` at the projected share
  ``p0`` (sample size); caveat ``marge_laatste_jaar``.
* Binomial: on the logit scale, ``eta0 +- t sqrt(V0 + max(1, phi) / (m0 p0 (1 - p0)))``,
  transformed back with the logistic function (the second term is the delta-method variance of
  ``logit(teller/m0)`` for a new year with denominator ``m0``).
* Poisson: on the log scale, ``eta0 +- t sqrt(V0 + max(1, phi) / (m0 lambda0))``, transformed
  back with exp (``m0 lambda0`` is the expected count at denominator ``m0``).

  ``m0`` is the ``noemer`` argument, or the last observed denominator (caveat
  ``noemer_laatste_jaar``).

Autocorrelation: for OLS and WLS fits with at least ``MIN_JAREN_DW`` years the Durbin-Watson
statistic ``DW = sum (e_i - e_{i-1})^2 / sum e_i^2`` of the (whitened) residuals in year order is
reported with its exact one-sided p-value under independent normal errors (the distribution of
a ratio of quadratic forms, from the eigenvalues of ``M (A - DW I) M`` and Imhof's (1961)
inversion formula). ``p < DW_NIVEAU`` sets caveat ``autocorrelatie``: the intervals are then too
narrow. Nothing is corrected: with 5-15 yearly points a correction cannot be estimated reliably.

Group gaps (:func:`compare_groups`): the absolute gap ``a - b`` and, for units with a natural
zero, the relative gap ``log(a / b)`` (``procent``: the logit difference, the log odds ratio),
each with an OLS trend (rounding floor ``f_a + f_b``, and on the relative scale the mean over the
years of the delta-method floor). Each scale gets a direction: ``'kleiner'`` (moves toward no
gap, 95% interval excludes no change), ``'groter'``, ``'onduidelijk'`` or ``'kruist'`` (the gap
changes sign). The verdict is ``'convergeert'`` / ``'divergeert'`` / ``'onduidelijk'`` only when
both scales agree; otherwise ``'absoluut_<dir>_relatief_<dir>'`` (e.g.
``'absoluut_kleiner_relatief_groter'``); ``'kruist'`` when the groups cross.

Reasons and caveats are codes (:data:`REASONS`, :data:`CAVEATS`) with their numbers in fields;
``analyse.text`` writes the Dutch. Fewer than ``MIN_JAREN`` years give no trend, up to
``MAX_JAREN_INDICATIEF`` an indicative one.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, fields
from decimal import Decimal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import integrate, stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

MIN_JAREN = 3
"""A trend needs at least this many distinct years."""
MAX_JAREN_INDICATIEF = 4
"""With at most this many years the interval is only indicative."""
MIN_JAREN_DW = 5
"""Durbin-Watson is reported for linear fits with at least this many years."""
DW_NIVEAU = 0.05
"""One-sided level of the exact Durbin-Watson test for positive autocorrelation."""
RAPPORTEERMARGE = 0.5
"""Maximum difference (in the unit) between ``waarde`` and the value computed from
``teller``/``noemer``; larger means teller/noemer describe something else than the
published figure, and the figure itself is modelled with OLS."""
MAX_DECIMALEN_AANDEEL = 2
"""A published share is taken as rounded to at most this many decimals."""
MAX_DECIMALEN = 6
"""Other published values: at most this many decimals for the rounding floor."""

SLEUTEL = ("indicator", "regio", "groep", "reeks")
PER_EENHEID = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}
RATIO_EENHEDEN = frozenset({"aantal", "procent", "per_100", "per_1000", "per_10000", "euro", "jaren"})
"""Units with a natural zero: a ratio of two values means something (relative group gaps)."""
FITTED_KOLOMMEN = ["jaar", "waarde", "gefit", "ondergrens", "bovengrens"]
GAP_KOLOMMEN = ["jaar", "waarde_a", "waarde_b", "verschil", "verhouding", "relatief"]

REASONS = {
    "rang": "unit 'rang' is an ordering, not a quantity",
    "geen_waarnemingen": "no rows with a value",
    "te_weinig_jaren": "fewer than MIN_JAREN years (reason_years: the years there are)",
    "dubbele_jaren": "a year occurs twice in one reeks (fit_trends only; reason_years)",
    "model_faalt": "the model cannot be estimated (reason_detail: 'alles_0_of_100', 'alles_0', "
                   "'convergentie', 'scheiding')",
}
"""Reason codes for a refused estimate (``reason``)."""
CAVEATS = {
    "indicatief": "only MIN_JAREN..MAX_JAREN_INDICATIEF years",
    "autocorrelatie": "Durbin-Watson test significant: intervals too narrow (durbin_watson)",
    "afronding_vloer": "the residual variance is the rounding floor (decimalen)",
    "marges_gebruikt": "survey margins used as weights (gewichten)",
    "marges_onvolledig": "margin columns present but not valid on every row: not used",
    "n_alleen_bij_aandeel": "sample size n given for a unit other than procent: not used",
    "overdispersie": "GLM dispersion > 1: intervals widened by sqrt(dispersie)",
    "waarden_ontbreken": "rows without waarde left out (n_ontbrekend)",
    "teller_noemer_wijken_af": "teller/noemer do not reproduce waarde: OLS on waarde (afwijking)",
    "teller_groter_dan_noemer": "teller > noemer: OLS on waarde",
    # projections only
    "extrapolatie": "projection year after the last measurement",
    "noemer_laatste_jaar": "projection at the last observed denominator (noemer, noemer_jaar)",
    "marge_laatste_jaar": "projection with the measurement variance of the last year",
}
"""Caveat codes (``caveats``)."""

_NIVEAU = 0.95
_Z_PUBLISHED = float(stats.norm.ppf(0.975))  # a published 95% interval is +- 1.96 SE
_OPTIONAL = ("teller", "noemer", "ondergrens", "bovengrens", "n")


# --------------------------------------------------------------------------------------
# One reeks


@dataclass(frozen=True)
class _Reeks:
    keys: dict  # indicator, regio, groep: None when the column is absent
    reeks: str | None
    bron: str | None  # the bron codes of the rows, sorted, joined by ';'
    eenheid: str
    rows: pd.DataFrame  # rows with a value, sorted by year
    duplicates: tuple[int, ...]
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


def _prepare(series: pd.DataFrame, eenheid: str | None = None, *, strict: bool = True) -> _Reeks:
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
    if duplicates and strict:
        raise ValueError(f"a reeks has one row per year; {list(duplicates)} occur more than once")
    for column in ("waarde", *_OPTIONAL):
        rows[column] = pd.to_numeric(rows[column], errors="coerce") if column in rows else np.nan
    missing = int(rows["waarde"].isna().sum())
    rows = rows[rows["waarde"].notna()].sort_values("jaar").reset_index(drop=True)
    return _Reeks(keys, reeks, ";".join(bronnen) or None, unit, rows, duplicates, missing)


def _decimals(values, eenheid: str) -> int:
    """Decimals of the values as published (see module docstring)."""
    if eenheid == "aantal":
        return 0
    d = 0
    for value in values:
        exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
        if isinstance(exponent, int):
            d = max(d, -exponent)
    return min(d, MAX_DECIMALEN_AANDEEL if eenheid == "procent" else MAX_DECIMALEN)


def _rounding_variance(decimals: int) -> float:
    """Variance of an error uniform on +-0.5 * 10^-decimals."""
    return 10.0 ** (-2 * decimals) / 12


# --------------------------------------------------------------------------------------
# Fits


class _FitRefused(Exception):
    """A model could not be estimated; the message is the reason_detail code."""


def _checked(fit):
    """Run a statsmodels fit; convergence/separation problems refuse, other warnings pass on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = fit()
    for w in caught:
        if issubclass(w.category, PerfectSeparationWarning):
            raise _FitRefused("scheiding")
        if issubclass(w.category, ConvergenceWarning):
            raise _FitRefused("convergentie")
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return results


def _design(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.column_stack([np.ones_like(x), x])


def _t(df: int, level: float = _NIVEAU) -> float:
    return float(stats.t.ppf(0.5 + level / 2, df))


def _two_sided_p(statistic: float, df: int) -> float:
    return float(2 * stats.t.sf(abs(statistic), df))


@dataclass(frozen=True)
class _Linear:
    params: np.ndarray
    cov: np.ndarray
    residuals: np.ndarray  # whitened, in year order
    whitened_design: np.ndarray
    total: float  # sum of the squared (whitened) values: the size of the data
    estimate: float  # OLS: s2 = SSR/(n-2); WLS: Pearson phi
    scale: float  # OLS: sigma2 = max(s2, floor); WLS: max(1, phi)
    floor_binds: bool


def _linear(x, y, *, weights=None, floor: float = 0.0) -> _Linear:
    """OLS (``weights=None``, residual variance floored at ``floor``) or WLS with known
    variances ``1/weights`` (scale ``max(1, phi)``)."""
    X = _design(x)
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
    return _Linear(params, scale * inverse, residuals, Xw, float(yw @ yw), estimate, scale,
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


def _durbin_watson(fit: _Linear) -> tuple[float, float]:
    """(DW, one-sided p-value for positive autocorrelation); NaN below MIN_JAREN_DW years or
    when the residuals are zero."""
    e = fit.residuals
    total = float(e @ e)
    if len(e) < MIN_JAREN_DW or total <= 1e-20 * fit.total:
        return math.nan, math.nan
    dw = float(np.sum(np.diff(e) ** 2) / total)
    return dw, _dw_p_value(dw, fit.whitened_design)


def _pearson(kind: str, observed, fitted, trials=None) -> float:
    """Pearson chi2 of a binomial (counts ``observed`` out of ``trials``) or Poisson fit."""
    if kind == "binomiaal":
        p = fitted
        return float(np.sum((observed - trials * p) ** 2 / (trials * p * (1 - p))))
    return float(np.sum((observed - fitted) ** 2 / fitted))


def _glm(kind: str, rows: pd.DataFrame, eenheid: str, x: np.ndarray):
    """Binomial or Poisson fit; returns (params, unscaled cov, phi)."""
    X = _design(x)
    if kind == "binomiaal":
        teller, noemer = rows["teller"].to_numpy(float), rows["noemer"].to_numpy(float)
        if np.all(teller == 0) or np.all(teller == noemer):
            raise _FitRefused("alles_0_of_100")
        model = sm.GLM(np.column_stack([teller, noemer - teller]), X, family=sm.families.Binomial())
        results = _checked(model.fit)
        phi = _pearson(kind, teller, np.asarray(results.fittedvalues), noemer) / (len(x) - 2)
    else:
        counts = rows["waarde" if eenheid == "aantal" else "teller"].to_numpy(float)
        if np.all(counts == 0):
            raise _FitRefused("alles_0")
        model = sm.GLM(counts, X, family=sm.families.Poisson(), offset=np.log(rows["noemer"].to_numpy(float)))
        results = _checked(model.fit)
        phi = _pearson(kind, counts, np.asarray(results.fittedvalues)) / (len(x) - 2)
    return np.asarray(results.params, float), np.asarray(results.cov_params(), float), phi


@dataclass(frozen=True)
class _Model:
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


def _mean_on_unit(model: _Model, eta: np.ndarray, exposure) -> np.ndarray:
    """Linear predictor -> expected value in the unit of the indicator."""
    if model.kind in ("ols", "wls"):
        return eta
    if model.kind == "binomiaal":
        return model.factor / (1 + np.exp(-eta))
    if model.factor is None:  # count with population: the offset is part of the mean
        return exposure * np.exp(eta)
    return model.factor * np.exp(eta)


def _fitted(model: _Model, rows: pd.DataFrame) -> pd.DataFrame:
    X = _design(rows["jaar"].to_numpy(float) - model.centre)
    eta = X @ model.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", X, model.cov, X))
    q = _t(model.df)
    exposure = rows["noemer"].to_numpy(float)
    gefit, lower, upper = (_mean_on_unit(model, v, exposure) for v in (eta, eta - q * se, eta + q * se))
    return pd.DataFrame({
        "jaar": rows["jaar"].to_numpy(int),
        "waarde": rows["waarde"].to_numpy(float),
        "gefit": np.asarray(gefit, float),
        "ondergrens": np.asarray(lower, float),
        "bovengrens": np.asarray(upper, float),
    })


def _average_marginal_effect(model: _Model, rows: pd.DataFrame) -> tuple[float, float]:
    """AME of the year on the unit scale and its delta-method standard error."""
    b0, b1 = model.params
    x = rows["jaar"].to_numpy(float) - model.centre
    eta = b0 + b1 * x
    if model.kind == "binomiaal":
        p = 1 / (1 + np.exp(-eta))
        d = model.factor * p * (1 - p)  # d mean / d eta
        dd = d * (1 - 2 * p)  # d^2 mean / d eta^2
    else:
        weight = rows["noemer"].to_numpy(float) if model.factor is None else model.factor
        d = dd = weight * np.exp(eta)
    ame = float(np.mean(b1 * d))
    gradient = np.array([np.mean(b1 * dd), np.mean(d + b1 * dd * x)])
    return ame, float(np.sqrt(gradient @ model.cov @ gradient))


def _complete(rows: pd.DataFrame, column: str) -> bool:
    return bool(rows[column].notna().all())


def _choose(rows: pd.DataFrame, eenheid: str) -> tuple[str, str | None, list[str], dict]:
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
    elif eenheid in PER_EENHEID and has_both:
        worst = float((PER_EENHEID[eenheid] * teller / noemer - rows["waarde"]).abs().max())
        if worst > RAPPORTEERMARGE:
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


def _wls_variances(rows: pd.DataFrame, x: np.ndarray, weights: str, floor: float) -> np.ndarray:
    if weights == "marges":
        se = (rows["bovengrens"] - rows["ondergrens"]).to_numpy(float) / (2 * _Z_PUBLISHED)
        return se ** 2 + floor
    n = rows["n"].to_numpy(float)
    first = _linear(x, rows["waarde"].to_numpy(float))
    p = np.clip((_design(x) @ first.params) / 100, 1 / (2 * n), 1 - 1 / (2 * n))
    return 100 ** 2 * p * (1 - p) / n + floor


# --------------------------------------------------------------------------------------
# Public API: trends


def _empty_fitted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "jaar" else "float64") for c in FITTED_KOLOMMEN})


def _joined(values) -> str | None:
    return ";".join(str(v) for v in values) or None


@dataclass
class TrendResult:
    """Trend of one reeks. ``helling`` is per year in the unit of the indicator (percentage
    points for ``procent``), with a 95% interval and a two-sided p-value on t(n - 2).

    ``methode``: 'ols' | 'wls' | 'binomiaal' | 'poisson' | 'geen' (refused: see ``reason``).
    ``relatieve_*``: percent per year, Poisson only. ``dispersie``: Pearson phi (GLM, WLS);
    ``schaal``: max(1, phi) as used; ``residu_sd``: OLS residual SD used (after the rounding
    floor); ``decimalen``: published decimals behind the floor (OLS, WLS); ``gewichten``:
    'marges' | 'n' | None. ``durbin_watson``/``dw_p_waarde``: OLS and WLS with >= 5 years.
    ``reason``: code from :data:`REASONS` with ``reason_years`` and ``reason_detail``;
    ``caveats``: codes from :data:`CAVEATS` with their numbers (``n_ontbrekend``, ``afwijking``,
    ``durbin_watson``, ``dispersie``, ``decimalen``, ``n_jaren``)."""

    indicator: str | None
    regio: str | None
    groep: str | None
    reeks: str | None
    bron: str | None
    eenheid: str
    methode: str
    n_jaren: int
    eerste_jaar: int | None
    laatste_jaar: int | None
    helling: float = math.nan
    helling_ondergrens: float = math.nan
    helling_bovengrens: float = math.nan
    p_waarde: float = math.nan
    relatieve_verandering: float = math.nan
    relatieve_ondergrens: float = math.nan
    relatieve_bovengrens: float = math.nan
    dispersie: float = math.nan
    schaal: float = math.nan
    residu_sd: float = math.nan
    decimalen: int | None = None
    gewichten: str | None = None
    durbin_watson: float = math.nan
    dw_p_waarde: float = math.nan
    indicatief: bool = False
    reason: str | None = None
    reason_years: tuple[int, ...] = ()
    reason_detail: str | None = None
    minimum: int = MIN_JAREN
    caveats: tuple[str, ...] = ()
    n_ontbrekend: int = 0
    afwijking: float = math.nan
    fitted: pd.DataFrame = field(default_factory=_empty_fitted, repr=False)
    _model: _Model | None = field(default=None, repr=False, compare=False)

    def to_record(self) -> dict:
        """One row of the tidy trend table (without ``fitted``); ``reason_years`` and
        ``caveats`` are joined with ';' (None when empty)."""
        record = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("fitted", "_model")}
        record["reason_years"] = _joined(self.reason_years)
        record["caveats"] = _joined(self.caveats)
        return record


def _fit(series: pd.DataFrame, eenheid: str | None, *, strict: bool) -> TrendResult:
    r = _prepare(series, eenheid, strict=strict)
    rows = r.rows
    years = rows["jaar"].tolist()
    caveats = ["waarden_ontbreken"] if r.n_missing else []
    indicative = MIN_JAREN <= len(years) <= MAX_JAREN_INDICATIEF
    base = dict(**r.keys, reeks=r.reeks, bron=r.bron, eenheid=r.eenheid, n_jaren=len(years),
                eerste_jaar=min(years) if years else None, laatste_jaar=max(years) if years else None,
                indicatief=indicative, n_ontbrekend=r.n_missing)

    def refuse(reason: str, reason_years=(), detail=None, extra=()) -> TrendResult:
        return TrendResult(methode="geen", reason=reason, reason_years=tuple(int(y) for y in reason_years),
                           reason_detail=detail, caveats=tuple([*caveats, *extra]), **base)

    if r.duplicates:
        return refuse("dubbele_jaren", r.duplicates)
    if r.eenheid == "rang":
        return refuse("rang")
    if rows.empty:
        return refuse("geen_waarnemingen")
    if len(years) < MIN_JAREN:
        return refuse("te_weinig_jaren", years)
    if indicative:
        caveats.append("indicatief")

    kind, weights, choice_caveats, numbers = _choose(rows, r.eenheid)
    caveats += choice_caveats
    centre = float(np.mean(years))
    x = np.asarray(years, float) - centre
    df = len(years) - 2
    q = _t(df)
    factor = PER_EENHEID.get(r.eenheid)
    y = rows["waarde"].to_numpy(float)
    stats_fields: dict = dict(afwijking=numbers.get("afwijking", math.nan))
    if kind in ("ols", "wls"):
        decimals = _decimals(y, r.eenheid)
        floor = _rounding_variance(decimals)
        variances = _wls_variances(rows, x, weights, floor) if kind == "wls" else None
        fit = _linear(x, y, weights=None if variances is None else 1 / variances, floor=floor)
        if fit.floor_binds:
            caveats.append("afronding_vloer")
        dw, dw_p = _durbin_watson(fit)
        if dw_p < DW_NIVEAU:
            caveats.append("autocorrelatie")
        model = _Model(kind, fit.params, fit.cov, df, centre, fit.scale, factor, max(years), weights=weights,
                       last_variance=float(variances[-1]) if weights == "marges" else None,
                       last_n=float(rows["n"].iloc[-1]) if weights == "n" else None, floor=floor)
        slope = float(fit.params[1])
        se = float(np.sqrt(fit.cov[1, 1]))
        stats_fields.update(decimalen=decimals, gewichten=weights, durbin_watson=dw, dw_p_waarde=dw_p)
        if kind == "ols":
            stats_fields["residu_sd"] = math.sqrt(fit.scale)
        else:
            stats_fields.update(dispersie=fit.estimate, schaal=fit.scale)
    else:
        try:
            params, cov, phi = _glm(kind, rows, r.eenheid, x)
        except _FitRefused as refusal:
            return refuse("model_faalt", detail=str(refusal))
        scale = max(1.0, phi)
        if phi > 1:
            caveats.append("overdispersie")
        model = _Model(kind, params, scale * cov, df, centre, scale, factor, max(years),
                       last_noemer=float(rows["noemer"].iloc[-1]))
        slope, se = _average_marginal_effect(model, rows)
        stats_fields.update(dispersie=phi, schaal=scale)
        if kind == "poisson":
            b1, se1 = float(params[1]), float(np.sqrt(model.cov[1, 1]))
            stats_fields.update(
                relatieve_verandering=100 * math.expm1(b1),
                relatieve_ondergrens=100 * math.expm1(b1 - q * se1),
                relatieve_bovengrens=100 * math.expm1(b1 + q * se1),
            )
    return TrendResult(
        methode=kind,
        helling=slope,
        helling_ondergrens=slope - q * se,
        helling_bovengrens=slope + q * se,
        p_waarde=_two_sided_p(slope / se, df),
        caveats=tuple(caveats),
        fitted=_fitted(model, rows),
        _model=model,
        **stats_fields,
        **base,
    )


def fit_trend(series: pd.DataFrame, *, eenheid: str | None = None) -> TrendResult:
    """Estimate the yearly trend of ONE reeks (one row per year; see the module docstring).

    Raises ValueError when a year occurs twice, or when the rows hold more than one reeks,
    indicator, regio, groep or unit. Every data reason not to estimate a trend gives
    ``methode='geen'`` with a ``reason`` code (``text.trend_reason`` writes it in Dutch).
    """
    return _fit(series, eenheid, strict=True)


def fit_trends(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit every (indicator, regio, groep, reeks) in ``obs``; without a ``reeks`` column (or
    where it is empty) the ``bron`` is the reeks.

    A reeks in which a year occurs twice (e.g. an unresolved revision) is not fitted but gets
    ``reason='dubbele_jaren'``. Returns (trend table with one record per reeks, refused ones
    included; fitted values with the keys indicator, regio, groep, reeks, bron), both sorted by
    the keys and year. The records hold codes; ``text.add_trend_texts`` adds the Dutch.
    """
    obs = obs.assign(reeks=effective_reeks(obs))
    records, fitted = [], []
    for _, series in obs.groupby(list(SLEUTEL), sort=True, dropna=False):
        result = _fit(series, None, strict=False)
        records.append(result.to_record())
        if not result.fitted.empty:
            keys = {k: getattr(result, k) for k in (*SLEUTEL, "bron")}
            fitted.append(result.fitted.assign(**keys)[[*keys, *FITTED_KOLOMMEN]])
    record_columns = [f.name for f in fields(TrendResult) if f.name not in ("fitted", "_model")]
    table = pd.DataFrame(records, columns=record_columns)
    fitted_columns = [*SLEUTEL, "bron", *FITTED_KOLOMMEN]
    values = pd.concat(fitted, ignore_index=True) if fitted else pd.DataFrame(columns=fitted_columns)
    return table, values


# --------------------------------------------------------------------------------------
# Public API: projection


@dataclass(frozen=True)
class Projection:
    """Expected value in ``jaar`` with an interval at ``niveau``.

    ``interval`` is 'voorspelling' for every model (where one new yearly measurement is expected;
    see the module docstring for the construction), None without a fit. ``noemer`` is the
    denominator the GLM prediction is for (``noemer_jaar``: the observed year it was taken from,
    None when it was passed in). Without a fit the numbers are NaN and ``reason`` /
    ``reason_years`` / ``reason_detail`` are the trend's."""

    jaar: int
    verwacht: float
    ondergrens: float
    bovengrens: float
    methode: str
    interval: str | None
    niveau: float
    laatste_jaar: int | None = None
    noemer: float | None = None
    noemer_jaar: int | None = None
    reason: str | None = None
    reason_years: tuple[int, ...] = ()
    reason_detail: str | None = None
    minimum: int = MIN_JAREN
    caveats: tuple[str, ...] = ()
    durbin_watson: float = math.nan

    def to_record(self) -> dict:
        record = {f.name: getattr(self, f.name) for f in fields(self)}
        record["reason_years"] = _joined(self.reason_years)
        record["caveats"] = _joined(self.caveats)
        return record


def project(
    result: TrendResult, year: int, level: float = _NIVEAU, *, noemer: float | None = None
) -> Projection:
    """Project a fitted trend to ``year`` with a prediction interval at ``level``.

    The interval is for one new yearly measurement for every model type (formulas in the module
    docstring): the uncertainty of the fitted mean plus the year-to-year variation of a single
    measurement. For GLMs that variation depends on the denominator of the new year: pass
    ``noemer``; otherwise the last observed one is used (caveat ``noemer_laatste_jaar``).
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    model = result._model
    if model is None:
        return Projection(year, math.nan, math.nan, math.nan, result.methode, None, level,
                          laatste_jaar=result.laatste_jaar, reason=result.reason,
                          reason_years=result.reason_years, reason_detail=result.reason_detail,
                          minimum=result.minimum)
    caveats = []
    if year > model.last_year:
        caveats.append("extrapolatie")
    caveats += [c for c in ("indicatief", "autocorrelatie", "afronding_vloer", "overdispersie")
                if c in result.caveats]
    x0 = np.array([1.0, year - model.centre])
    eta = float(x0 @ model.params)
    var_mean = float(x0 @ model.cov @ x0)
    q = _t(model.df, level)
    used_noemer = noemer_jaar = None
    if model.kind == "ols":
        half = q * math.sqrt(var_mean + model.scale)
        verwacht, lower, upper = eta, eta - half, eta + half
    elif model.kind == "wls":
        if model.weights == "marges":
            v0 = model.last_variance
        else:
            p0 = min(max(eta / 100, 1 / (2 * model.last_n)), 1 - 1 / (2 * model.last_n))
            v0 = 100 ** 2 * p0 * (1 - p0) / model.last_n + model.floor
        caveats.append("marge_laatste_jaar")
        half = q * math.sqrt(var_mean + model.scale * v0)
        verwacht, lower, upper = eta, eta - half, eta + half
    else:
        used_noemer = float(noemer) if noemer is not None else model.last_noemer
        if noemer is None:
            noemer_jaar = model.last_year
            caveats.append("noemer_laatste_jaar")
        if model.kind == "binomiaal":
            p0 = 1 / (1 + math.exp(-eta))
            var_new = model.scale / (used_noemer * p0 * (1 - p0))
        else:
            var_new = model.scale / (used_noemer * math.exp(eta))
        half = q * math.sqrt(var_mean + var_new)
        exposure = np.array([used_noemer])
        verwacht, lower, upper = (float(_mean_on_unit(model, np.array([v]), exposure)[0])
                                  for v in (eta, eta - half, eta + half))
    return Projection(year, float(verwacht), float(lower), float(upper), result.methode, "voorspelling", level,
                      laatste_jaar=model.last_year, noemer=used_noemer, noemer_jaar=noemer_jaar,
                      caveats=tuple(caveats), durbin_watson=result.durbin_watson)


# --------------------------------------------------------------------------------------
# Public API: group gaps


@dataclass
class GapResult:
    """Gap between two reeksen of one indicator in their common years, absolute (a - b, in the
    unit; ``helling*``, ``p_waarde``) and relative (``relatief_*``: slope per year of log(a/b),
    or for ``procent`` of logit(a) - logit(b); ``verhouding_*``: the same as percent change per
    year of the ratio / odds ratio). ``richting_absoluut`` and ``richting_relatief``: 'kleiner',
    'groter', 'onduidelijk', 'kruist'; the relative one also 'niet_beschikbaar' (a value <= 0,
    or >= 100 for a share) or 'niet_van_toepassing' (a unit without a natural zero: score,
    rapportcijfer, index; then the absolute scale alone decides). ``verdict``: 'convergeert',
    'divergeert', 'onduidelijk', 'kruist' or 'absoluut_<richting>_relatief_<richting>'; None
    when refused (``reason``). Durbin-Watson per scale with >= 5 common years."""

    indicator: str | None
    eenheid: str
    regio_a: str | None
    groep_a: str | None
    reeks_a: str | None
    bron_a: str | None
    regio_b: str | None
    groep_b: str | None
    reeks_b: str | None
    bron_b: str | None
    n_jaren: int
    eerste_jaar: int | None
    laatste_jaar: int | None
    helling: float = math.nan
    helling_ondergrens: float = math.nan
    helling_bovengrens: float = math.nan
    p_waarde: float = math.nan
    richting_absoluut: str | None = None
    schaal_relatief: str | None = None  # 'log_verhouding' | 'logit_verschil'
    relatief_helling: float = math.nan
    relatief_ondergrens: float = math.nan
    relatief_bovengrens: float = math.nan
    relatief_p_waarde: float = math.nan
    verhouding_verandering: float = math.nan
    verhouding_ondergrens: float = math.nan
    verhouding_bovengrens: float = math.nan
    richting_relatief: str | None = None
    verdict: str | None = None
    durbin_watson: float = math.nan
    dw_p_waarde: float = math.nan
    relatief_durbin_watson: float = math.nan
    relatief_dw_p_waarde: float = math.nan
    indicatief: bool = False
    reason: str | None = None
    reason_years: tuple[int, ...] = ()
    minimum: int = MIN_JAREN
    caveats: tuple[str, ...] = ()
    verschillen: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GAP_KOLOMMEN), repr=False)

    def to_record(self) -> dict:
        """One row of a tidy table (without ``verschillen``)."""
        record = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "verschillen"}
        record["reason_years"] = _joined(self.reason_years)
        record["caveats"] = _joined(self.caveats)
        return record


def _direction(values: np.ndarray, lower: float, upper: float) -> str:
    """Direction of a gap series whose slope has interval [lower, upper]."""
    signs = np.sign(values[values != 0])
    if signs.size and not (np.all(signs > 0) or np.all(signs < 0)):
        return "kruist"
    if signs.size == 0 or lower <= 0 <= upper:
        return "onduidelijk"
    return "kleiner" if (upper < 0) == bool(signs[0] > 0) else "groter"


_AGREE = {"kleiner": "convergeert", "groter": "divergeert", "onduidelijk": "onduidelijk"}


def _gap_verdict(absolute: str, relative: str) -> str:
    if absolute == "kruist":
        return "kruist"
    if relative == "niet_van_toepassing" or relative == absolute:
        return _AGREE[absolute]
    return f"absoluut_{absolute}_relatief_{relative}"


def _relative_scale(values: np.ndarray, eenheid: str) -> tuple[np.ndarray, np.ndarray]:
    """(log value or logit share, derivative of that transform) for relative gaps."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if eenheid == "procent":
            p = values / 100
            ok = (p > 0) & (p < 1)
            return np.where(ok, np.log(p / (1 - p)), np.nan), np.where(ok, 1 / (values * (1 - p)), np.nan)
        ok = values > 0
        return np.where(ok, np.log(values), np.nan), np.where(ok, 1 / values, np.nan)


def compare_groups(series_a: pd.DataFrame, series_b: pd.DataFrame) -> GapResult:
    """Gap between two reeksen (each one row per year) in their common years, on the absolute
    and the relative scale, with an OLS trend per scale (see the module docstring).

    Raises ValueError when a year occurs twice in one side, or when the two differ in
    indicator or unit."""
    a, b = _prepare(series_a), _prepare(series_b)
    if a.keys["indicator"] != b.keys["indicator"] or a.eenheid != b.eenheid:
        raise ValueError("compare_groups needs two series of the same indicator and unit")
    eenheid = a.eenheid
    gaps = (a.rows[["jaar", "waarde"]].merge(b.rows[["jaar", "waarde"]], on="jaar", suffixes=("_a", "_b"))
            .sort_values("jaar", ignore_index=True))
    va, vb = gaps["waarde_a"].to_numpy(float), gaps["waarde_b"].to_numpy(float)
    gaps["verschil"] = va - vb
    with np.errstate(divide="ignore", invalid="ignore"):
        gaps["verhouding"] = np.where(vb != 0, va / vb, np.nan)
    (ta, da), (tb, db) = _relative_scale(va, eenheid), _relative_scale(vb, eenheid)
    gaps["relatief"] = ta - tb
    years = gaps["jaar"].astype(int).tolist()
    indicative = MIN_JAREN <= len(years) <= MAX_JAREN_INDICATIEF
    caveats = ["waarden_ontbreken"] if a.n_missing or b.n_missing else []
    base = dict(
        indicator=a.keys["indicator"], eenheid=eenheid,
        regio_a=a.keys["regio"], groep_a=a.keys["groep"], reeks_a=a.reeks, bron_a=a.bron,
        regio_b=b.keys["regio"], groep_b=b.keys["groep"], reeks_b=b.reeks, bron_b=b.bron,
        n_jaren=len(years), eerste_jaar=min(years) if years else None, laatste_jaar=max(years) if years else None,
        indicatief=indicative, verschillen=gaps[GAP_KOLOMMEN],
    )
    reason, reason_years = None, ()
    if eenheid == "rang":
        reason = "rang"
    elif a.rows.empty or b.rows.empty:
        reason = "geen_waarnemingen"
    elif len(years) < MIN_JAREN:
        reason, reason_years = "te_weinig_jaren", tuple(years)
    if reason is not None:
        return GapResult(reason=reason, reason_years=reason_years, caveats=tuple(caveats), **base)
    if indicative:
        caveats.append("indicatief")

    centre = float(np.mean(years))
    x = np.asarray(years, float) - centre
    df = len(years) - 2
    q = _t(df)
    fa = _rounding_variance(_decimals(va, eenheid))
    fb = _rounding_variance(_decimals(vb, eenheid))

    absolute = _linear(x, gaps["verschil"].to_numpy(float), floor=fa + fb)
    slope, se = float(absolute.params[1]), float(np.sqrt(absolute.cov[1, 1]))
    dw, dw_p = _durbin_watson(absolute)
    out = dict(helling=slope, helling_ondergrens=slope - q * se, helling_bovengrens=slope + q * se,
               p_waarde=_two_sided_p(slope / se, df), durbin_watson=dw, dw_p_waarde=dw_p)
    out["richting_absoluut"] = _direction(gaps["verschil"].to_numpy(float), slope - q * se, slope + q * se)
    floors = [absolute.floor_binds]
    autocorrelated = [dw_p < DW_NIVEAU]

    relative_values = gaps["relatief"].to_numpy(float)
    if eenheid not in RATIO_EENHEDEN:
        out["richting_relatief"] = "niet_van_toepassing"
    elif not np.all(np.isfinite(relative_values)):
        out["richting_relatief"] = "niet_beschikbaar"
        out["schaal_relatief"] = "logit_verschil" if eenheid == "procent" else "log_verhouding"
    else:
        floor = float(np.mean(fa * da ** 2 + fb * db ** 2))
        relative = _linear(x, relative_values, floor=floor)
        r_slope, r_se = float(relative.params[1]), float(np.sqrt(relative.cov[1, 1]))
        r_dw, r_dw_p = _durbin_watson(relative)
        lo, hi = r_slope - q * r_se, r_slope + q * r_se
        out.update(
            schaal_relatief="logit_verschil" if eenheid == "procent" else "log_verhouding",
            relatief_helling=r_slope, relatief_ondergrens=lo, relatief_bovengrens=hi,
            relatief_p_waarde=_two_sided_p(r_slope / r_se, df),
            verhouding_verandering=100 * math.expm1(r_slope), verhouding_ondergrens=100 * math.expm1(lo),
            verhouding_bovengrens=100 * math.expm1(hi),
            relatief_durbin_watson=r_dw, relatief_dw_p_waarde=r_dw_p,
            richting_relatief=_direction(relative_values, lo, hi),
        )
        floors.append(relative.floor_binds)
        autocorrelated.append(r_dw_p < DW_NIVEAU)
    out["verdict"] = _gap_verdict(out["richting_absoluut"], out["richting_relatief"])
    if any(autocorrelated):
        caveats.append("autocorrelatie")
    if any(floors):
        caveats.append("afronding_vloer")
    return GapResult(caveats=tuple(caveats), **out, **base)
