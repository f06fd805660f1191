"""Trend estimates for one reeks (:func:`fit_trend`) and their projection to a later year
(:func:`project`).

Input
-----
:func:`fit_trend` receives ONE reeks (docs/datacontract.md: one statistic, producer plus
definition), one row per year: ``jaar``, ``waarde``, ``eenheid`` and optionally ``teller``,
``noemer``, ``ondergrens``, ``bovengrens``, ``n``, ``reeks``, ``bron``, ``indicator``,
``regio``, ``groep``. Which reeks to fit is chosen elsewhere (``analyse.series``); a year that
occurs twice raises ValueError. A row without ``waarde`` is left out (caveat
``waarden_ontbreken``). Nothing is interpolated or filled in; gaps between years need no special
treatment because the year itself is the regressor: ``x = jaar - mean(observed years)``.

The models (OLS, WLS with survey margins, binomial and Poisson GLMs), the rounding floor and the
Durbin-Watson test are in :mod:`analyse.trend_models`; gaps between two groups in :mod:`analyse.group_gaps`.

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

A straight line (OLS, WLS) knows no bounds: for a count, share or rate (``trend_models.NON_NEGATIVE``) the
projection and its interval are cut off at 0 (a share also at 100), caveat ``begrensd``. The GLMs stay within
their bounds by construction (log and logit link).

What a trend *says* (:func:`direction`): a rise or a fall only when the whole 95% interval lies on one side of
0 and, among the trend tests of one report, the Benjamini-Hochberg false discovery rate at :data:`FDR_ALPHA`
(:func:`add_fdr`) confirms it. A count (:data:`REGISTRATION_UNITS`) is a registration, not a sample: its
interval is about the year-to-year variation around the trend line, not about sampling error.

Reasons and caveats are codes (:data:`REASONS`, :data:`CAVEATS`) with their numbers in fields;
:mod:`analyse.text.trend_texts` writes the Dutch. Fewer than ``MIN_YEARS`` years give no trend, up to
``MAX_YEARS_INDICATIVE`` an indicative one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from statsmodels.stats.multitest import multipletests

from analyse.trend_models import (DW_ALPHA, LEVEL, NON_NEGATIVE, PER_UNIT, FitRefused, Model, bounded,
                                  choose_model, durbin_watson, fitted_band, glm_fit, linear_fit,
                                  mean_derivative, mean_on_unit, prepare_reeks, rounding_variance, series_decimals,
                                  t_quantile, two_sided_p, wls_variances)

MIN_YEARS = 3
"""A trend needs at least this many distinct years."""
MAX_YEARS_INDICATIVE = 4
"""With at most this many years the interval is only indicative."""
FITTED_COLUMNS = ["jaar", "waarde", "gefit", "ondergrens", "bovengrens"]

FDR_ALPHA = 0.05
"""False discovery rate (Benjamini-Hochberg) over the trend tests of one report."""
REGISTRATION_UNITS = frozenset({"aantal"})
"""Units of a registration: a count (inhabitants from the population register, registered crimes, clients) is a
full count, not a sample. Its trend interval describes how far the years vary around the trend line (a model of
year-to-year variation), not a sampling margin; figures draw no band through it."""
DIRECTIONS = ("stijging", "daling", "geen", "niet_na_correctie")
"""What a trend says (:func:`direction`): a rise, a fall, no demonstrable change (the interval holds 0), or no
demonstrable change after the correction for many tests (the interval excludes 0, the false discovery rate
does not confirm it)."""

REASONS = {
    "rang": "unit 'rang' is an ordering, not a quantity",
    "geen_waarnemingen": "no rows with a value",
    "te_weinig_jaren": "fewer than MIN_YEARS years (reden_jaren: the years there are)",
    "model_faalt": "the model cannot be estimated (reden_detail: 'alles_0_of_100', 'alles_0', "
                   "'convergentie', 'scheiding')",
}
"""Reason codes for a refused estimate (``reden_code``)."""
CAVEATS = {
    "indicatief": "only MIN_YEARS..MAX_YEARS_INDICATIVE years",
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
    "begrensd": "a straight-line projection below 0 (or a share above 100) cut off at that bound",
    "noemer_laatste_jaar": "projection at the last observed denominator (noemer, noemer_jaar)",
    "marge_laatste_jaar": "projection with the measurement variance of the last year",
}
"""Caveat codes (``opmerking_codes``)."""


def _empty_fitted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "jaar" else "float64") for c in FITTED_COLUMNS})


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What every estimate record (:class:`TrendResult`, :class:`Projection`,
    :class:`analyse.group_gaps.GapResult`) says besides its numbers, read alike by
    :mod:`analyse.text.trend_texts`: why there is no estimate (``reden_code`` from :data:`REASONS`, with the years
    and detail it concerns; None when there is one), the years it needed (``minimum``) and its caveats
    (``opmerking_codes`` from :data:`CAVEATS`)."""

    reden_code: str | None = None
    reden_jaren: tuple[int, ...] = ()
    reden_detail: str | None = None
    minimum: int = MIN_YEARS
    opmerking_codes: tuple[str, ...] = ()


OUTCOME_FIELDS = tuple(f.name for f in fields(Outcome))


def as_record(result, *, leave_out: tuple[str, ...] = ()) -> dict:
    """One row of a tidy table from a result dataclass: every field but ``leave_out``, the numbers first and the
    :class:`Outcome` fields last; ``reden_jaren`` and ``opmerking_codes`` joined with ';' (None when empty)."""
    names = [f.name for f in fields(result) if f.name not in (*leave_out, *OUTCOME_FIELDS)]
    record = {name: getattr(result, name) for name in [*names, *OUTCOME_FIELDS]}
    for name in ("reden_jaren", "opmerking_codes"):
        record[name] = ";".join(str(v) for v in record[name]) or None
    return record


@dataclass(frozen=True)
class TrendResult(Outcome):
    """Trend of one reeks. ``helling`` is per year in the unit of the indicator (percentage
    points for ``procent``), with a 95% interval and a two-sided p-value on t(n - 2). For a GLM the
    p-value is the Wald test of its trend parameter and every interval is that parameter's interval
    (:mod:`analyse.trend_models`, "one parameter, one test"): p < 0,05 exactly when an interval excludes 0.

    ``methode``: 'ols' | 'wls' | 'binomiaal' | 'poisson' | 'geen' (refused: see ``reden_code``).
    ``relatieve_*``: percent per year (the rate ratio minus 1), Poisson only. ``dispersie``: Pearson phi (GLM, WLS);
    ``schaal``: max(1, phi) as used; ``residu_sd``: OLS residual SD used (after the rounding
    floor); ``decimalen``: published decimals behind the floor (OLS, WLS); ``gewichten``:
    'marges' | 'n' | None. ``durbin_watson``/``dw_p_waarde``: OLS and WLS with >= 5 years.
    ``reden_code``: code from :data:`REASONS` with ``reden_jaren`` and ``reden_detail``;
    ``opmerking_codes``: codes from :data:`CAVEATS` with their numbers (``n_ontbrekend``, ``afwijking``,
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
    n_ontbrekend: int = 0
    afwijking: float = math.nan
    fitted: pd.DataFrame = field(default_factory=_empty_fitted, repr=False)
    _model: Model | None = field(default=None, repr=False, compare=False)

    def to_record(self) -> dict:
        """One row of the tidy trend table (without ``fitted``; see :func:`as_record`)."""
        return as_record(self, leave_out=("fitted", "_model"))


def _fit(series: pd.DataFrame, eenheid: str | None) -> TrendResult:
    r = prepare_reeks(series, eenheid)
    rows = r.rows
    years = rows["jaar"].tolist()
    caveats = ["waarden_ontbreken"] if r.n_missing else []
    indicative = MIN_YEARS <= len(years) <= MAX_YEARS_INDICATIVE
    base = dict(**r.keys, reeks=r.reeks, bron=r.bron, eenheid=r.eenheid, n_jaren=len(years),
                eerste_jaar=min(years) if years else None, laatste_jaar=max(years) if years else None,
                indicatief=indicative, n_ontbrekend=r.n_missing)

    def refuse(code: str, years=(), detail=None, extra=()) -> TrendResult:
        return TrendResult(methode="geen", reden_code=code, reden_jaren=tuple(int(y) for y in years),
                           reden_detail=detail, opmerking_codes=tuple([*caveats, *extra]), **base)

    if r.eenheid == "rang":
        return refuse("rang")
    if rows.empty:
        return refuse("geen_waarnemingen")
    if len(years) < MIN_YEARS:
        return refuse("te_weinig_jaren", years)
    if indicative:
        caveats.append("indicatief")

    kind, weights, choice_caveats, numbers = choose_model(rows, r.eenheid)
    caveats += choice_caveats
    centre = float(np.mean(years))
    x = np.asarray(years, float) - centre
    df = len(years) - 2
    q = t_quantile(df)
    factor = PER_UNIT.get(r.eenheid)
    y = rows["waarde"].to_numpy(float)
    stats_fields: dict = dict(afwijking=numbers.get("afwijking", math.nan))
    if kind in ("ols", "wls"):
        decimals = series_decimals(y, r.eenheid)
        floor = rounding_variance(decimals)
        variances = wls_variances(rows, x, weights, floor) if kind == "wls" else None
        fit = linear_fit(x, y, weights=None if variances is None else 1 / variances, floor=floor)
        if fit.floor_binds:
            caveats.append("afronding_vloer")
        dw, dw_p = durbin_watson(fit)
        if dw_p < DW_ALPHA:
            caveats.append("autocorrelatie")
        model = Model(kind, fit.params, fit.cov, df, centre, fit.scale, factor, max(years), weights=weights,
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
            params, cov, phi = glm_fit(kind, rows, r.eenheid, x)
        except FitRefused as refusal:
            return refuse("model_faalt", detail=str(refusal))
        scale = max(1.0, phi)
        if phi > 1:
            caveats.append("overdispersie")
        model = Model(kind, params, scale * cov, df, centre, scale, factor, max(years),
                      last_noemer=float(rows["noemer"].iloc[-1]))
        b1, se1 = float(params[1]), float(np.sqrt(model.cov[1, 1]))
        derivative = mean_derivative(model, rows)  # > 0: the slope's interval is b1's, on the unit scale
        slope, se = b1 * derivative, se1 * derivative
        stats_fields.update(dispersie=phi, schaal=scale)
        if kind == "poisson":
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
        p_waarde=two_sided_p(slope / se, df),
        opmerking_codes=tuple(caveats),
        fitted=fitted_band(model, rows, r.eenheid),
        _model=model,
        **stats_fields,
        **base,
    )


def fit_trend(series: pd.DataFrame, *, eenheid: str | None = None) -> TrendResult:
    """Estimate the yearly trend of ONE reeks (one row per year; see the module docstring).

    Raises ValueError when a year occurs twice, or when the rows hold more than one reeks,
    indicator, regio, groep or unit. Every data reason not to estimate a trend gives
    ``methode='geen'`` with a ``reden_code`` (:func:`analyse.text.trend_texts.trend_reason` writes it in Dutch).
    """
    return _fit(series, eenheid)


@dataclass(frozen=True)
class Projection(Outcome):
    """Expected value in ``jaar`` with an interval at ``niveau``.

    ``interval`` is 'voorspelling' for every model (where one new yearly measurement is expected;
    see the module docstring for the construction), None without a fit. ``noemer`` is the
    denominator the GLM prediction is for (``noemer_jaar``: the observed year it was taken from,
    None when it was passed in). Without a fit the numbers are NaN and ``reden_code`` /
    ``reden_jaren`` / ``reden_detail`` are the trend's."""

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
    durbin_watson: float = math.nan

    def to_record(self) -> dict:
        return as_record(self)


def project(
    result: TrendResult, year: int, level: float = LEVEL, *, noemer: float | None = None
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
                          laatste_jaar=result.laatste_jaar, reden_code=result.reden_code,
                          reden_jaren=result.reden_jaren, reden_detail=result.reden_detail,
                          minimum=result.minimum)
    caveats = []
    if year > model.last_year:
        caveats.append("extrapolatie")
    caveats += [c for c in ("indicatief", "autocorrelatie", "afronding_vloer", "overdispersie")
                if c in result.opmerking_codes]
    x0 = np.array([1.0, year - model.centre])
    eta = float(x0 @ model.params)
    var_mean = float(x0 @ model.cov @ x0)
    q = t_quantile(model.df, level)
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
    if model.kind in ("ols", "wls"):  # a straight line has no bounds of its own: a count or rate stays >= 0
        straight = (verwacht, lower, upper)
        verwacht, lower, upper = (float(v) for v in bounded(straight, result.eenheid))
        if (verwacht, lower, upper) != straight:
            caveats.append("begrensd")
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
        verwacht, lower, upper = (float(mean_on_unit(model, np.array([v]), exposure)[0])
                                  for v in (eta, eta - half, eta + half))
    return Projection(year, float(verwacht), float(lower), float(upper), result.methode, "voorspelling", level,
                      laatste_jaar=model.last_year, noemer=used_noemer, noemer_jaar=noemer_jaar,
                      opmerking_codes=tuple(caveats), durbin_watson=result.durbin_watson)


def is_registration(eenheid: str | None) -> bool:
    """Whether a series of unit ``eenheid`` is a registration (a full count, no sampling error)."""
    return eenheid in REGISTRATION_UNITS


def direction(lower, upper, confirmed: bool | None = None) -> str | None:
    """What a trend with 95% interval [``lower``, ``upper``] says, one of :data:`DIRECTIONS`; None without an
    interval (no trend, or two measurements).

    The one rule for every direction word in the reports: 'stijging' or 'daling' only when the whole interval is
    on one side of 0 and ``confirmed`` is not False (``confirmed``: the test survives the false discovery rate of
    :func:`add_fdr`; None when that was not applied)."""
    try:
        low, high = float(lower), float(upper)
    except (TypeError, ValueError):
        return None
    if math.isnan(low) or math.isnan(high):
        return None
    if low <= 0 <= high:
        return "geen"
    if confirmed is False:
        return "niet_na_correctie"
    return "stijging" if low > 0 else "daling"


def fdr_adjust(p_values, q: float = FDR_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg over the p-values that exist (statsmodels ``multipletests``, ``fdr_bh``): the adjusted
    p-values and whether each test is rejected at false discovery rate ``q``. A missing p-value (no trend) is
    no test: NaN and False."""
    p = pd.to_numeric(pd.Series(list(p_values), dtype=object), errors="coerce").to_numpy(float)
    adjusted, rejected = np.full(p.shape, np.nan), np.zeros(p.shape, dtype=bool)
    tested = ~np.isnan(p)
    if tested.any():
        reject, corrected, _, _ = multipletests(p[tested], alpha=q, method="fdr_bh")
        adjusted[tested], rejected[tested] = corrected, reject
    return adjusted, rejected


def add_fdr(table: pd.DataFrame, suffix: str = "", q: float = FDR_ALPHA) -> pd.DataFrame:
    """A copy of a trend table with the false discovery rate over all its tests (rows with a ``p_waarde``):
    ``p_fdr<suffix>`` (Benjamini-Hochberg adjusted p-value), ``fdr_aantoonbaar<suffix>`` (rejected at ``q``;
    None for a row without a test) and ``fdr_toetsen<suffix>`` (the number of tests in the family).

    The family is the table: a theme's trends in its notebook (no suffix), every trend of a run in the run-wide
    ``trends.csv`` (suffix ``_run``, :func:`analyse.pipeline.collect`)."""
    out = table.copy()
    p = out["p_waarde"] if "p_waarde" in out.columns else pd.Series(np.nan, index=out.index)
    adjusted, rejected = fdr_adjust(p, q)
    tested = ~np.isnan(pd.to_numeric(p, errors="coerce").to_numpy(float))
    out[f"p_fdr{suffix}"] = adjusted
    out[f"fdr_aantoonbaar{suffix}"] = pd.Series([bool(r) if t else None for r, t in zip(rejected, tested)],
                                                index=out.index, dtype=object)
    out[f"fdr_toetsen{suffix}"] = int(tested.sum())
    return out
