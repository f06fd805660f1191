"""The gap between two groups over the years, absolute and relative, with a trend per scale.

Group gaps (:func:`compare_groups`): the absolute gap ``a - b`` and, for units with a natural
zero, the relative gap ``log(a / b)`` (``procent``: the logit difference, the log odds ratio),
each with an OLS trend (rounding floor ``f_a + f_b``, and on the relative scale the mean over the
years of the delta-method floor). Each scale gets a direction: ``'kleiner'`` (moves toward no
gap, 95% interval excludes no change), ``'groter'``, ``'onduidelijk'`` or ``'kruist'`` (the gap
changes sign). The verdict is ``'convergeert'`` / ``'divergeert'`` / ``'onduidelijk'`` only when
both scales agree; otherwise ``'absoluut_<dir>_relatief_<dir>'`` (e.g.
``'absoluut_kleiner_relatief_groter'``); ``'kruist'`` when the groups cross. A gap is one question
the notebook asks by name, so its tests are not part of the false discovery rate over a theme's
trends (:func:`analyse.trends.add_fdr`).

Reasons and caveats are the codes of :mod:`analyse.trends`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analyse.trend_models import (DW_ALPHA, durbin_watson, linear_fit, prepare_reeks, rounding_variance,
                                  series_decimals, t_quantile, two_sided_p)
from analyse.trends import MAX_YEARS_INDICATIVE, MIN_YEARS, Outcome, as_record, direction

RATIO_UNITS = frozenset({"aantal", "procent", "per_100", "per_1000", "per_10000", "euro", "jaren"})
"""Units with a natural zero: a ratio of two values means something (relative group gaps)."""
GAP_COLUMNS = ["jaar", "waarde_a", "waarde_b", "verschil", "verhouding", "relatief"]


@dataclass(frozen=True)
class GapResult(Outcome):
    """Gap between two reeksen of one indicator in their common years, absolute (a - b, in the
    unit; ``helling*``, ``p_waarde``) and relative (``relatief_*``: slope per year of log(a/b),
    or for ``procent`` of logit(a) - logit(b); ``verhouding_*``: the same as percent change per
    year of the ratio / odds ratio). ``richting_absoluut`` and ``richting_relatief``: 'kleiner',
    'groter', 'onduidelijk', 'kruist'; the relative one also 'niet_beschikbaar' (a value <= 0,
    or >= 100 for a share) or 'niet_van_toepassing' (a unit without a natural zero: score,
    rapportcijfer, index; then the absolute scale alone decides). ``oordeel``: 'convergeert',
    'divergeert', 'onduidelijk', 'kruist' or 'absoluut_<richting>_relatief_<richting>'; None
    when refused (``reden_code``). Durbin-Watson per scale with >= 5 common years."""

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
    oordeel: str | None = None
    durbin_watson: float = math.nan
    dw_p_waarde: float = math.nan
    relatief_durbin_watson: float = math.nan
    relatief_dw_p_waarde: float = math.nan
    indicatief: bool = False
    verschillen: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GAP_COLUMNS), repr=False)

    def to_record(self) -> dict:
        """One row of a tidy table (without ``verschillen``; see :func:`analyse.trends.as_record`)."""
        return as_record(self, leave_out=("verschillen",))


def _direction(values: np.ndarray, lower: float, upper: float) -> str:
    """Direction of a gap series whose slope has interval [lower, upper] (the rule of
    :func:`analyse.trends.direction`: the whole interval on one side of 0)."""
    signs = np.sign(values[values != 0])
    if signs.size and not (np.all(signs > 0) or np.all(signs < 0)):
        return "kruist"
    moved = direction(lower, upper)
    if signs.size == 0 or moved not in ("stijging", "daling"):
        return "onduidelijk"
    return "kleiner" if (moved == "daling") == bool(signs[0] > 0) else "groter"


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
    a, b = prepare_reeks(series_a), prepare_reeks(series_b)
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
    indicative = MIN_YEARS <= len(years) <= MAX_YEARS_INDICATIVE
    caveats = ["waarden_ontbreken"] if a.n_missing or b.n_missing else []
    base = dict(
        indicator=a.keys["indicator"], eenheid=eenheid,
        regio_a=a.keys["regio"], groep_a=a.keys["groep"], reeks_a=a.reeks, bron_a=a.bron,
        regio_b=b.keys["regio"], groep_b=b.keys["groep"], reeks_b=b.reeks, bron_b=b.bron,
        n_jaren=len(years), eerste_jaar=min(years) if years else None, laatste_jaar=max(years) if years else None,
        indicatief=indicative, verschillen=gaps[GAP_COLUMNS],
    )
    code, refused_years = None, ()
    if eenheid == "rang":
        code = "rang"
    elif a.rows.empty or b.rows.empty:
        code = "geen_waarnemingen"
    elif len(years) < MIN_YEARS:
        code, refused_years = "te_weinig_jaren", tuple(years)
    if code is not None:
        return GapResult(reden_code=code, reden_jaren=refused_years, opmerking_codes=tuple(caveats), **base)
    if indicative:
        caveats.append("indicatief")

    centre = float(np.mean(years))
    x = np.asarray(years, float) - centre
    df = len(years) - 2
    q = t_quantile(df)
    fa = rounding_variance(series_decimals(va, eenheid))
    fb = rounding_variance(series_decimals(vb, eenheid))

    absolute = linear_fit(x, gaps["verschil"].to_numpy(float), floor=fa + fb)
    slope, se = float(absolute.params[1]), float(np.sqrt(absolute.cov[1, 1]))
    dw, dw_p = durbin_watson(absolute)
    out = dict(helling=slope, helling_ondergrens=slope - q * se, helling_bovengrens=slope + q * se,
               p_waarde=two_sided_p(slope / se, df), durbin_watson=dw, dw_p_waarde=dw_p)
    out["richting_absoluut"] = _direction(gaps["verschil"].to_numpy(float), slope - q * se, slope + q * se)
    floors = [absolute.floor_binds]
    autocorrelated = [dw_p < DW_ALPHA]

    relative_values = gaps["relatief"].to_numpy(float)
    if eenheid not in RATIO_UNITS:
        out["richting_relatief"] = "niet_van_toepassing"
    elif not np.all(np.isfinite(relative_values)):
        out["richting_relatief"] = "niet_beschikbaar"
        out["schaal_relatief"] = "logit_verschil" if eenheid == "procent" else "log_verhouding"
    else:
        floor = float(np.mean(fa * da ** 2 + fb * db ** 2))
        relative = linear_fit(x, relative_values, floor=floor)
        r_slope, r_se = float(relative.params[1]), float(np.sqrt(relative.cov[1, 1]))
        r_dw, r_dw_p = durbin_watson(relative)
        lo, hi = r_slope - q * r_se, r_slope + q * r_se
        out.update(
            schaal_relatief="logit_verschil" if eenheid == "procent" else "log_verhouding",
            relatief_helling=r_slope, relatief_ondergrens=lo, relatief_bovengrens=hi,
            relatief_p_waarde=two_sided_p(r_slope / r_se, df),
            verhouding_verandering=100 * math.expm1(r_slope), verhouding_ondergrens=100 * math.expm1(lo),
            verhouding_bovengrens=100 * math.expm1(hi),
            relatief_durbin_watson=r_dw, relatief_dw_p_waarde=r_dw_p,
            richting_relatief=_direction(relative_values, lo, hi),
        )
        floors.append(relative.floor_binds)
        autocorrelated.append(r_dw_p < DW_ALPHA)
    out["oordeel"] = _gap_verdict(out["richting_absoluut"], out["richting_relatief"])
    if any(autocorrelated):
        caveats.append("autocorrelatie")
    if any(floors):
        caveats.append("afronding_vloer")
    return GapResult(opmerking_codes=tuple(caveats), **out, **base)
