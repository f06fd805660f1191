"""Trend estimates per series of observations (GitHub issue "Trend estimates").

One series is one (indicator, regio, groep) in the tidy observation format of
docs/datacontract.md. The year is the regressor (centred on the mean observed year),
so gaps and irregular years need no special treatment. The model follows the data:

* ``procent`` with ``teller`` and ``noemer`` on every row: binomial GLM (logit link).
  The slope is reported in percentage points per year as the *average marginal effect*
  (AME): the derivative of the fitted percentage with respect to the year, averaged over
  the observed years; its interval and p-value come from the same delta-method standard
  error, so ``p_waarde < 0.05`` exactly when the interval excludes 0 (the Wald test of the
  logit coefficient can disagree slightly near the boundary). Fitted values and band
  are transformed back from the logit scale, so they stay within 0-100.
* ``aantal`` with a population (``noemer``), or ``per_100``/``per_1000``/``per_10000``
  with ``teller`` and ``noemer``: Poisson GLM with ``log(noemer)`` as offset. The slope
  is the AME in the unit of the indicator (e.g. per 1000 per year; for ``aantal``: the
  expected count at the observed populations) and the relative change per year is
  ``exp(b) - 1`` in percent.
* Overdispersion (both GLMs): if Pearson chi2/df exceeds ``OVERDISPERSIE_DREMPEL`` (1.5)
  the model is refitted as quasi-likelihood (scale = Pearson chi2/df, t-distribution with the
  residual degrees of freedom, as R's quasi families do): same point estimates, intervals
  widened by the estimated dispersion. Methods ``quasi_poisson`` / ``quasi_binomiaal``.
  A negative binomial model is not used: with 3-15 yearly points its extra parameter
  cannot be estimated reliably, and quasi-likelihood needs no distributional assumption.
* Everything else: OLS, slope per year in the unit, t-based 95% interval and p-value.

Published figures are modelled as they are: nothing is interpolated, rounded or filled in.
Series from several sources (``bron``) are never pooled: the trend uses the source with the
most years and flags ``breuk``. Fewer than 3 years gives no trend (``methode='geen'`` and a
Dutch ``reden``); 3 or 4 years give an indicative trend.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, fields
from typing import NamedTuple

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

MIN_JAREN = 3
"""A trend needs at least this many distinct years."""
MAX_JAREN_INDICATIEF = 4
"""With at most this many years the interval is only indicative."""
OVERDISPERSIE_DREMPEL = 1.5
"""Pearson chi2/df above this switches a GLM to quasi-likelihood."""
RAPPORTEERMARGE = 0.5
"""Maximum difference (in the unit) between ``waarde`` and the value computed from
``teller``/``noemer``; larger means teller/noemer describe something else than the
published figure, and the figure itself is modelled with OLS."""

SLEUTEL = ("indicator", "regio", "groep")
PER_EENHEID = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}
FITTED_KOLOMMEN = ["jaar", "waarde", "gefit", "ondergrens", "bovengrens"]
GAP_KOLOMMEN = ["jaar", "waarde_a", "waarde_b", "verschil"]
_NIVEAU = 0.95


def _nl(x: float, decimals: int = 1) -> str:
    """Dutch number notation (decimal comma, thousands point) for user-facing text."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _join(notes: list[str]) -> str | None:
    return " ".join(notes) if notes else None


# --------------------------------------------------------------------------------------
# Selecting one consistent series


class _Selection(NamedTuple):
    keys: dict[str, str]
    eenheid: str
    rows: pd.DataFrame  # rows of the chosen bron, sorted by year
    bron: str | None
    breuk: bool
    notes: list[str]
    reden: str | None


def _single(series: pd.DataFrame, column: str) -> str:
    values = series[column].dropna().unique()
    if len(values) != 1:
        raise ValueError(f"series must have exactly one {column!r}, got {list(values)}")
    return str(values[0])


def _unit(series: pd.DataFrame, eenheid: str | None) -> str:
    if "eenheid" not in series.columns:
        if eenheid is None:
            raise ValueError("no 'eenheid' column and no eenheid given")
        return eenheid
    found = _single(series, "eenheid")
    if eenheid is not None and eenheid != found:
        raise ValueError(f"eenheid {eenheid!r} given, but the series has {found!r}")
    return found


def _years_text(years: list[int], *, listed: bool = True) -> str:
    """'2 jaren (2016, 2017)'; with ``listed=False`` only '2 jaren'."""
    text = f"{len(years)} {'jaar' if len(years) == 1 else 'jaren'}"
    if listed and years:
        text += f" ({', '.join(str(y) for y in years)})"
    return text


def _select(series: pd.DataFrame, eenheid: str | None = None) -> _Selection:
    """Check one series and keep the rows of one source (see module docstring)."""
    keys = {k: _single(series, k) for k in SLEUTEL}
    unit = _unit(series, eenheid)
    rows = series.copy()
    for column in ("teller", "noemer"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce") if column in rows else np.nan
    rows["waarde"] = pd.to_numeric(rows["waarde"], errors="coerce")
    rows["jaar"] = rows["jaar"].astype(int)
    notes: list[str] = []
    missing = int(rows["waarde"].isna().sum())
    if missing:
        notes.append(f"{missing} rij(en) zonder waarde genegeerd.")
        rows = rows[rows["waarde"].notna()]

    def refuse(reden: str) -> _Selection:
        return _Selection(keys, unit, rows.iloc[0:0], None, False, notes, reden)

    if unit == "rang":
        return refuse("Eenheid 'rang' is een rangorde, geen trend.")
    if rows.empty:
        return refuse("Geen waarnemingen.")
    doubles = rows[rows.duplicated(["bron", "jaar"], keep=False)]
    if not doubles.empty:
        first = doubles.sort_values(["bron", "jaar"]).iloc[0]
        return refuse(
            f"Bron {first['bron']} heeft meer dan één waarde voor {int(first['jaar'])}; "
            "zo'n reeks is niet eenduidig, dus geen trend."
        )
    per_bron = rows.groupby("bron")["jaar"].agg(["nunique", "max"])
    ranking = sorted(per_bron.itertuples(), key=lambda r: (-r.nunique, -r.max, str(r.Index)))
    bron = str(ranking[0].Index)
    chosen = rows[rows["bron"] == bron].sort_values("jaar").reset_index(drop=True)
    breuk = len(ranking) > 1
    if breuk:
        names = ", ".join(sorted(str(r.Index) for r in ranking))
        notes.append(
            f"Reeks uit meerdere bronnen ({names}); trend alleen op bron {bron} "
            f"({_years_text(chosen['jaar'].tolist(), listed=False)})."
        )
    if len(chosen) < MIN_JAREN:
        return _Selection(
            keys, unit, chosen, bron, breuk, notes,
            f"Te weinig meetpunten: {_years_text(chosen['jaar'].tolist())}; "
            f"een trend vraagt er minstens {MIN_JAREN}.",
        )
    if len(chosen) <= MAX_JAREN_INDICATIEF:
        notes.append(
            f"Slechts {len(chosen)} meetpunten: de trend en het interval zijn indicatief."
        )
    return _Selection(keys, unit, chosen, bron, breuk, notes, None)


# --------------------------------------------------------------------------------------
# Models


@dataclass(frozen=True)
class _Model:
    """What `project` and the fitted band need from a fit."""

    kind: str  # 'ols', 'binomiaal', 'poisson'
    results: object  # statsmodels results
    centre: float
    factor: float | None  # unit multiplier (100, 1000, ...); None: count with exposure
    last_noemer: float | None
    last_year: int


def _choose(rows: pd.DataFrame, eenheid: str) -> tuple[str, list[str]]:
    """Pick 'binomiaal', 'poisson' or 'ols' for the rows of one source."""
    teller, noemer, waarde = rows["teller"], rows["noemer"], rows["waarde"]
    has_noemer = bool(noemer.notna().all() and (noemer > 0).all())
    has_both = has_noemer and bool(teller.notna().all() and (teller >= 0).all())
    if eenheid == "aantal":
        return ("poisson", []) if has_noemer else ("ols", [])
    if eenheid not in PER_EENHEID or not has_both:
        return "ols", []
    computed = PER_EENHEID[eenheid] * teller / noemer
    worst = float((computed - waarde).abs().max())
    if worst > RAPPORTEERMARGE:
        return "ols", [
            f"Teller/noemer wijken tot {_nl(worst)} af van de gepubliceerde waarde; "
            "trend op de gepubliceerde waarde (OLS)."
        ]
    if eenheid == "procent":
        if bool((teller > noemer).any()):
            return "ols", ["Teller groter dan noemer; trend op de gepubliceerde waarde (OLS)."]
        return "binomiaal", []
    return "poisson", []


class _FitRefused(Exception):
    """A model could not be estimated; the message is the Dutch reden."""


def _checked(fit):
    """Run a statsmodels fit; convergence/separation problems refuse, other warnings pass on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = fit()
    for w in caught:
        if issubclass(w.category, (ConvergenceWarning, PerfectSeparationWarning)):
            raise _FitRefused(f"Model schat niet betrouwbaar ({w.category.__name__}): {w.message}")
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return results


def _design(years, centre: float) -> np.ndarray:
    x = np.asarray(years, dtype=float) - centre
    return np.column_stack([np.ones_like(x), x])


def _quantile(results, level: float) -> float:
    if results.use_t:
        return float(stats.t.ppf(0.5 + level / 2, results.df_resid))
    return float(stats.norm.ppf(0.5 + level / 2))


def _two_sided_p(statistic: float, results) -> float:
    if results.use_t:
        return float(2 * stats.t.sf(abs(statistic), results.df_resid))
    return float(2 * stats.norm.sf(abs(statistic)))


def _fit_ols(years, values, centre: float):
    X = _design(years, centre)
    y = np.asarray(values, dtype=float)
    results = sm.OLS(y, X).fit()
    if results.ssr <= 1e-12 * max(1.0, float(np.sum((y - y.mean()) ** 2))):
        raise _FitRefused(
            "De waarden liggen precies op een rechte lijn (of zijn gelijk); "
            "de onzekerheid is dan niet te schatten."
        )
    return results


def _glm(kind: str, rows: pd.DataFrame, eenheid: str, centre: float):
    """Fit binomial/Poisson; refit as quasi-likelihood on overdispersion."""
    X = _design(rows["jaar"], centre)
    if kind == "binomiaal":
        teller, noemer = rows["teller"].to_numpy(float), rows["noemer"].to_numpy(float)
        if np.all(teller == 0) or np.all(teller == noemer):
            raise _FitRefused("Alle waarden zijn 0% of 100%; geen logistische trend te schatten.")
        endog = np.column_stack([teller, noemer - teller])
        family, offset = sm.families.Binomial(), None
    else:
        counts = rows["waarde" if eenheid == "aantal" else "teller"].to_numpy(float)
        if np.all(counts == 0):
            raise _FitRefused("Alle aantallen zijn 0; geen trend te schatten.")
        endog, family = counts, sm.families.Poisson()
        offset = np.log(rows["noemer"].to_numpy(float))
    model = sm.GLM(endog, X, family=family, offset=offset)
    results = _checked(lambda: model.fit())
    dispersion = float(results.pearson_chi2 / results.df_resid)
    if dispersion <= OVERDISPERSIE_DREMPEL:
        return results, dispersion, []
    # The dispersion is passed as a number: statsmodels' scale="X2" ignores the number of
    # trials of a two-column binomial endog and then shrinks the intervals instead.
    results = _checked(lambda: model.fit(scale=dispersion, use_t=True))
    note = (
        f"Overdispersie (Pearson chi²/df = {_nl(dispersion, 2)} > {_nl(OVERDISPERSIE_DREMPEL)}): "
        "quasi-likelihood, intervallen verbreed met de geschatte spreiding."
    )
    return results, dispersion, [note]


def _mean_on_unit(model: _Model, eta: np.ndarray, exposure: np.ndarray | None) -> np.ndarray:
    """Linear predictor -> expected value in the unit of the indicator."""
    if model.kind == "ols":
        return eta
    if model.kind == "binomiaal":
        return model.factor / (1 + np.exp(-eta))
    if model.factor is None:  # count with population: offset is part of the mean
        return exposure * np.exp(eta)
    return model.factor * np.exp(eta)


def _linear_band(model: _Model, years, level: float):
    X = _design(years, model.centre)
    eta = X @ np.asarray(model.results.params)
    se = np.sqrt(np.einsum("ij,jk,ik->i", X, np.asarray(model.results.cov_params()), X))
    q = _quantile(model.results, level)
    return eta, eta - q * se, eta + q * se


def _fitted(model: _Model, rows: pd.DataFrame) -> pd.DataFrame:
    exposure = rows["noemer"].to_numpy(float)
    if model.kind == "ols":
        frame = model.results.get_prediction(_design(rows["jaar"], model.centre)).summary_frame(
            alpha=1 - _NIVEAU
        )
        gefit, lower, upper = frame["mean"], frame["mean_ci_lower"], frame["mean_ci_upper"]
    else:
        eta, lo, hi = _linear_band(model, rows["jaar"], _NIVEAU)
        gefit, lower, upper = (_mean_on_unit(model, v, exposure) for v in (eta, lo, hi))
    return pd.DataFrame(
        {
            "jaar": rows["jaar"].to_numpy(int),
            "waarde": rows["waarde"].to_numpy(float),
            "gefit": np.asarray(gefit, float),
            "ondergrens": np.asarray(lower, float),
            "bovengrens": np.asarray(upper, float),
        }
    )


def _average_marginal_effect(model: _Model, rows: pd.DataFrame) -> tuple[float, float]:
    """AME of the year on the unit scale and its delta-method standard error."""
    b0, b1 = np.asarray(model.results.params)
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
    se = float(np.sqrt(gradient @ np.asarray(model.results.cov_params()) @ gradient))
    return ame, se


# --------------------------------------------------------------------------------------
# Public API


def _empty_fitted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "jaar" else "float64") for c in FITTED_KOLOMMEN})


@dataclass
class TrendResult:
    """Trend of one series. ``helling`` is per year in the unit of the indicator
    (percentage points for ``procent``); bounds are 95%. ``relatieve_verandering`` (percent
    per year) only for Poisson-type models; ``overdispersie`` (Pearson chi2/df) for GLMs."""

    indicator: str
    regio: str
    groep: str
    eenheid: str
    bron: str | None
    methode: str  # 'ols' | 'binomiaal' | 'quasi_binomiaal' | 'poisson' | 'quasi_poisson' | 'geen'
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
    overdispersie: float = math.nan
    indicatief: bool = False
    breuk: bool = False
    reden: str | None = None
    opmerking: str | None = None
    fitted: pd.DataFrame = field(default_factory=_empty_fitted, repr=False)
    _model: _Model | None = field(default=None, repr=False, compare=False)

    def to_record(self) -> dict:
        """One row of the tidy trend table (without ``fitted``)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("fitted", "_model")
        }


def fit_trend(series: pd.DataFrame, *, eenheid: str | None = None) -> TrendResult:
    """Estimate the yearly trend of one series (one indicator, regio, groep).

    Raises ValueError if the rows belong to more than one series or unit; every data
    reason not to estimate a trend gives ``methode='geen'`` with a Dutch ``reden``.
    """
    sel = _select(series, eenheid)
    rows = sel.rows
    years = rows["jaar"].tolist()
    base = dict(
        **sel.keys,
        eenheid=sel.eenheid,
        bron=sel.bron,
        n_jaren=len(years),
        eerste_jaar=min(years) if years else None,
        laatste_jaar=max(years) if years else None,
        breuk=sel.breuk,
        indicatief=MIN_JAREN <= len(years) <= MAX_JAREN_INDICATIEF,
    )
    notes = list(sel.notes)
    if sel.reden is not None:
        return TrendResult(methode="geen", reden=sel.reden, opmerking=_join(notes), **base)

    kind, choice_notes = _choose(rows, sel.eenheid)
    notes += choice_notes
    centre = float(np.mean(years))
    factor = PER_EENHEID.get(sel.eenheid)
    last_noemer = float(rows["noemer"].iloc[-1]) if kind != "ols" else None
    try:
        if kind == "ols":
            results = _checked(lambda: _fit_ols(years, rows["waarde"], centre))
            dispersion, methode = math.nan, "ols"
        else:
            results, dispersion, glm_notes = _glm(kind, rows, sel.eenheid, centre)
            notes += glm_notes
            methode = ("quasi_" if glm_notes else "") + kind
    except _FitRefused as refusal:
        return TrendResult(methode="geen", reden=str(refusal), opmerking=_join(notes), **base)

    model = _Model(kind, results, centre, factor, last_noemer, max(years))
    coef_bounds = [float(v) for v in results.conf_int(alpha=1 - _NIVEAU)[1]]
    relative = (math.nan,) * 3
    if kind == "ols":
        slope = float(results.params[1])
        lower, upper = coef_bounds
        p_value = float(results.pvalues[1])
    else:
        slope, se = _average_marginal_effect(model, rows)
        q = _quantile(results, _NIVEAU)
        lower, upper = slope - q * se, slope + q * se
        p_value = _two_sided_p(slope / se, results)
    if kind == "poisson":
        relative = tuple(100 * math.expm1(v) for v in (float(results.params[1]), *coef_bounds))
    return TrendResult(
        methode=methode,
        helling=slope,
        helling_ondergrens=lower,
        helling_bovengrens=upper,
        p_waarde=p_value,
        relatieve_verandering=relative[0],
        relatieve_ondergrens=relative[1],
        relatieve_bovengrens=relative[2],
        overdispersie=dispersion,
        opmerking=_join(notes),
        fitted=_fitted(model, rows),
        _model=model,
        **base,
    )


def fit_trends(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit every (indicator, regio, groep) series in ``obs``.

    Returns (trend table with one record per series, refused ones included; fitted values
    with the keys indicator, regio, groep, bron), both sorted by the keys and year.
    """
    records, fitted = [], []
    for _, series in obs.groupby(list(SLEUTEL), sort=True, dropna=False):
        result = fit_trend(series)
        records.append(result.to_record())
        if not result.fitted.empty:
            keys = {k: getattr(result, k) for k in (*SLEUTEL, "bron")}
            fitted.append(result.fitted.assign(**keys)[[*keys, *FITTED_KOLOMMEN]])
    record_columns = [f.name for f in fields(TrendResult) if f.name not in ("fitted", "_model")]
    table = pd.DataFrame(records, columns=record_columns)
    fitted_columns = [*SLEUTEL, "bron", *FITTED_KOLOMMEN]
    values = pd.concat(fitted, ignore_index=True) if fitted else pd.DataFrame(columns=fitted_columns)
    return table, values


@dataclass(frozen=True)
class Projection:
    """Expected value in ``jaar`` with an interval at ``niveau``.

    ``interval`` says what the bounds are: 'voorspelling' (OLS: where a single new
    measurement is expected) or 'betrouwbaarheid' (GLMs: the expected level only)."""

    jaar: int
    verwacht: float
    ondergrens: float
    bovengrens: float
    methode: str
    interval: str | None
    niveau: float
    reden: str | None = None
    opmerking: str | None = None


def project(
    result: TrendResult, year: int, level: float = _NIVEAU, *, noemer: float | None = None
) -> Projection:
    """Project a fitted trend to ``year``.

    OLS: prediction interval for a single new measurement (``obs_ci``). Binomial and
    Poisson: confidence interval of the expected level (not of a single measurement, which
    would need the future denominator and ignores year-to-year variation beyond the model);
    the ``opmerking`` says so. For ``aantal`` with a population the expected count needs a
    population in ``year``: pass ``noemer``; otherwise the last observed population is used
    and named in ``opmerking``. Without a fit the projection has NaNs and a ``reden``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    model = result._model
    if model is None:
        return Projection(
            year, math.nan, math.nan, math.nan, result.methode, None, level,
            reden=f"Geen trend om door te trekken: {result.reden}",
        )
    notes = []
    if year > model.last_year:
        notes.append(f"Extrapolatie: {year - model.last_year} jaar na de laatste meting ({model.last_year}).")
    if result.indicatief:
        notes.append("Trend op weinig meetpunten: indicatief.")
    if model.kind == "ols":
        frame = model.results.get_prediction(_design([year], model.centre)).summary_frame(alpha=1 - level)
        row = frame.iloc[0]
        return Projection(
            year, float(row["mean"]), float(row["obs_ci_lower"]), float(row["obs_ci_upper"]),
            result.methode, "voorspelling", level, opmerking=_join(notes),
        )
    exposure = None
    if model.factor is None:
        if noemer is None:
            noemer = model.last_noemer
            notes.append(f"Verwacht aantal bij de noemer van {model.last_year} ({_nl(noemer, 0)}).")
        exposure = np.array([float(noemer)])
    notes.append(
        "Betrouwbaarheidsinterval voor het verwachte niveau, geen voorspellingsinterval: "
        "een enkele meting kan erbuiten vallen."
    )
    eta, lo, hi = _linear_band(model, [year], level)
    verwacht, lower, upper = (float(_mean_on_unit(model, v, exposure)[0]) for v in (eta, lo, hi))
    return Projection(
        year, verwacht, lower, upper, result.methode, "betrouwbaarheid", level,
        opmerking=_join(notes),
    )


@dataclass
class GapResult:
    """Gap (a - b) between two series of one indicator in their common years and the OLS
    trend of that gap. ``verdict``: 'convergeert' (the gap moves toward zero, 95% interval
    of the slope excludes 0), 'divergeert' (away from zero, idem), 'onduidelijk', or None
    when no trend could be estimated (see ``reden``)."""

    indicator: str
    eenheid: str
    regio_a: str
    groep_a: str
    bron_a: str | None
    regio_b: str
    groep_b: str
    bron_b: str | None
    n_jaren: int
    eerste_jaar: int | None
    laatste_jaar: int | None
    helling: float = math.nan
    helling_ondergrens: float = math.nan
    helling_bovengrens: float = math.nan
    p_waarde: float = math.nan
    verdict: str | None = None
    indicatief: bool = False
    breuk: bool = False
    reden: str | None = None
    opmerking: str | None = None
    verschillen: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=GAP_KOLOMMEN), repr=False
    )

    def to_record(self) -> dict:
        """One row of a tidy table (without ``verschillen``)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "verschillen"}


def _verdict(gaps: np.ndarray, lower: float, upper: float) -> tuple[str, str | None]:
    signs = np.sign(gaps[gaps != 0])
    if signs.size == 0 or not (np.all(signs > 0) or np.all(signs < 0)):
        return "onduidelijk", (
            "Het verschil wisselt van teken (de reeksen kruisen elkaar); "
            "of ze naar elkaar toe groeien is dan niet eenduidig."
        )
    if lower <= 0 <= upper:
        return "onduidelijk", None
    toward_zero = (upper < 0) == bool(signs[0] > 0)
    return ("convergeert" if toward_zero else "divergeert"), None


def compare_groups(series_a: pd.DataFrame, series_b: pd.DataFrame) -> GapResult:
    """Gap a - b per common year and whether it shrinks (OLS on the gap, year centred).

    Each side is reduced to one source as in `fit_trend`. Raises ValueError if the two
    series differ in indicator or unit."""
    a, b = _select(series_a), _select(series_b)
    if a.keys["indicator"] != b.keys["indicator"] or a.eenheid != b.eenheid:
        raise ValueError("compare_groups needs two series of the same indicator and unit")
    notes = [f"a: {n}" for n in a.notes] + [f"b: {n}" for n in b.notes]
    gaps = (
        a.rows[["jaar", "waarde"]]
        .merge(b.rows[["jaar", "waarde"]], on="jaar", suffixes=("_a", "_b"))
        .sort_values("jaar", ignore_index=True)
    )
    gaps["verschil"] = gaps["waarde_a"] - gaps["waarde_b"]
    years = gaps["jaar"].astype(int).tolist()
    base = dict(
        indicator=a.keys["indicator"], eenheid=a.eenheid,
        regio_a=a.keys["regio"], groep_a=a.keys["groep"], bron_a=a.bron,
        regio_b=b.keys["regio"], groep_b=b.keys["groep"], bron_b=b.bron,
        n_jaren=len(years),
        eerste_jaar=min(years) if years else None,
        laatste_jaar=max(years) if years else None,
        indicatief=MIN_JAREN <= len(years) <= MAX_JAREN_INDICATIEF,
        breuk=a.breuk or b.breuk,
        verschillen=gaps[GAP_KOLOMMEN],
    )
    reden = a.reden or b.reden
    if reden is None and len(years) < MIN_JAREN:
        reden = (
            f"Te weinig gemeenschappelijke meetpunten: {_years_text(years)}; "
            f"een trend vraagt er minstens {MIN_JAREN}."
        )
    if reden is not None:
        return GapResult(reden=reden, opmerking=_join(notes), **base)
    if base["indicatief"]:
        notes.append(f"Slechts {len(years)} gemeenschappelijke jaren: het oordeel is indicatief.")
    try:
        results = _checked(lambda: _fit_ols(years, gaps["verschil"], float(np.mean(years))))
    except _FitRefused as refusal:
        return GapResult(reden=str(refusal), opmerking=_join(notes), **base)
    lower, upper = (float(v) for v in results.conf_int(alpha=1 - _NIVEAU)[1])
    verdict, note = _verdict(gaps["verschil"].to_numpy(float), lower, upper)
    if note:
        notes.append(note)
    return GapResult(
        helling=float(results.params[1]),
        helling_ondergrens=lower,
        helling_bovengrens=upper,
        p_waarde=float(results.pvalues[1]),
        verdict=verdict,
        opmerking=_join(notes),
        **base,
    )
