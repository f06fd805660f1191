"""Residential segregation of one group over the areas (buurten) of a municipality.

Pure functions on a table of counts per area: no I/O, no plotting. The input has one row per area with
the area name, the count of the group (e.g. inhabitants with a non-western migration background) and the
total population of the area. The rest is total minus group.

Indices (Duncan & Duncan 1955; Massey & Denton 1988):

- **Dissimilarity** ``D = 1/2 * sum_i |a_i/A - b_i/B|`` with ``a_i`` the group and ``b_i`` the rest in
  area ``i`` and ``A``, ``B`` their totals over the areas used. ``D`` is the share of the group (or of the
  rest) that would have to move to another area for both to be spread alike; 0 is an even spread, 1
  complete separation. See :func:`dissimilarity`.
- **Exposure** ``xPy = sum_i (a_i/A) * (b_i/t_i)``: the share of the rest in the area of the average
  group member; **isolation** ``xPx = sum_i (a_i/A) * (a_i/t_i)``: the share of the own group there.
  With two groups ``xPy + xPx = 1``; under an even spread ``xPx`` equals the group's overall share ``P``.
  See :func:`exposure`.

**Small areas.** Even when people are allocated to areas at random, ``D`` is above 0: in a small area the
group's share drifts from the average by chance. :func:`dissimilarity` therefore reports the expected
``D`` under random allocation (every person of the municipality equally likely to be in the group, area
sizes and group total as observed: a multivariate hypergeometric model), computed exactly, and the range
of ``D`` in simulated random allocations with a fixed seed. A reader compares ``D`` with that baseline:
only the part above it is systematic. Carrington & Troske (1997) correct ``D`` for it as ``(D - E) / (1 - E)``
(``systematic``, published beside ``D`` as the bias-corrected index). How likely the observed ``D`` is under
random allocation is the share of the simulations with a ``D`` at or above it (``exceedances`` out of
``simulations``): with none, the chance is below 1 in ``simulations``.

**Left out, never imputed.** An area is left out, with its reason, when its total is 0 or when a count is
missing or suppressed (NaN, empty, a CBS secrecy mark such as ``"."``), not a whole non-negative number,
or when the group exceeds the total. Nothing is estimated in its place.

**Small numbers.** Counts under 10 persons must not be published as numbers (``analyse.disclosure``
suppresses them at publication). The indices here are computed from the real counts, small ones
included: suppression happens when a number is published, not before computing. Small counts are only
marked (``small_counts``, and per area in ``areas``) so the caller can suppress them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import gammaln

from analyse.areas import SMALL_COUNT, as_count, small_counts

SIMULATIONS = 10_000
"""Random allocations simulated for the range of D under randomness."""
SEED = 556
"""Fixed seed of the simulation (the CBS municipality number of Maassluis), so results repeat exactly."""

REASONS = ("missing_count", "total_zero", "not_a_count", "group_exceeds_total")
"""Why an area was left out (the Dutch for each code: :data:`analyse.text.area_texts.LEFT_OUT_REASONS`)."""


@dataclass(frozen=True)
class LeftOut:
    """An area that was not used, and why (a key of :data:`REASONS`)."""

    area: str
    reason: str


@dataclass(frozen=True, eq=False, kw_only=True)
class AreasUsed:
    """The areas an index was computed over: how many (``n_areas``), those left out with their reason, and
    those with a count under 10 (``small_counts``: used as they are, suppressed at publication)."""

    n_areas: int
    left_out: tuple[LeftOut, ...]
    small_counts: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Dissimilarity(AreasUsed):
    """The index of dissimilarity of one group against the rest, with its random-allocation baseline.

    ``value`` is D (0-1). ``expected_random`` is the exact expected D when the same number of group
    members is spread at random over areas of the observed sizes; ``random_range`` the 2.5% and 97.5%
    percentiles of D in ``simulations`` such random allocations (seed ``seed``); ``exceedances`` how many of
    them reach D or more (the chance of D under random allocation is ``exceedances / simulations``, below
    ``1 / simulations`` when it is 0). ``systematic`` is Carrington & Troske's bias-corrected
    ``(D - E) / (1 - E)`` (negative, as ``(D - E) / E``, when D is below E).
    ``areas`` has one row per area used: ``area, group, rest, total, group_fraction`` (a_i/A),
    ``rest_fraction`` (b_i/B), ``contribution`` (|a_i/A - b_i/B| / 2, summing to D) and ``small``
    (a count under 10 among group, rest, total; see :class:`AreasUsed`).
    """

    value: float
    expected_random: float
    random_range: tuple[float, float]
    systematic: float
    group_total: int
    rest_total: int
    areas: pd.DataFrame = field(repr=False)
    simulations: int = SIMULATIONS
    seed: int = SEED
    exceedances: int = 0


@dataclass(frozen=True, eq=False)
class Exposure(AreasUsed):
    """Exposure (xPy) and isolation (xPx) of one group, with their baselines.

    ``group_share`` is P = A / T, the isolation of an even spread. ``expected_isolation`` is the exact
    expected xPx under random allocation, ``P + (1 - P) (k - 1) / (T - 1)`` for k areas and T persons
    (above P by chance alone). ``eta2`` is the correlation ratio ``(xPx - P) / (1 - P)``.
    """

    exposure: float
    isolation: float
    group_share: float
    expected_isolation: float
    eta2: float


def prepare(counts: pd.DataFrame, *, area: str = "area", group: str = "group",
            total: str = "total") -> tuple[pd.DataFrame, tuple[LeftOut, ...]]:
    """The areas that can be used (columns ``area, group, rest, total``, integers) and those left out.

    Raises ``ValueError`` for missing columns or an area named twice. Counts are not changed.
    """
    missing = [c for c in (area, group, total) if c not in counts.columns]
    if missing:
        raise ValueError(f"Kolommen ontbreken: {', '.join(missing)}.")
    names = counts[area].astype(str)
    doubles = sorted(names[names.duplicated()].unique())
    if doubles:
        raise ValueError(f"Gebied staat meer dan eens in de tabel: {', '.join(doubles)}.")
    used, left_out = [], []
    for name, raw_group, raw_total in zip(names, counts[group], counts[total]):
        g, t = as_count(raw_group), as_count(raw_total)
        if _is_missing(raw_group) or _is_missing(raw_total):
            left_out.append(LeftOut(name, "missing_count"))
        elif np.isnan(g) or np.isnan(t):
            left_out.append(LeftOut(name, "not_a_count"))
        elif t == 0:
            left_out.append(LeftOut(name, "total_zero"))
        elif g > t:
            left_out.append(LeftOut(name, "group_exceeds_total"))
        else:
            used.append({"area": name, "group": int(g), "rest": int(t - g), "total": int(t)})
    frame = pd.DataFrame(used, columns=["area", "group", "rest", "total"]).astype(
        {"group": "int64", "rest": "int64", "total": "int64"})
    return frame, tuple(left_out)


def _is_missing(value) -> bool:
    """Missing or suppressed: None, NaN, empty, or text that is not a number (a secrecy mark)."""
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return True
        try:
            float(text)
        except ValueError:
            return True
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _check_both_groups(used: pd.DataFrame) -> tuple[int, int]:
    if used.empty:
        raise ValueError("Geen bruikbare gebieden: de index is niet te berekenen.")
    a, b = int(used["group"].sum()), int(used["rest"].sum())
    if a == 0 or b == 0:
        raise ValueError("De groep of de rest is nul in alle gebruikte gebieden: de index is niet gedefinieerd.")
    return a, b


def _small(used: pd.DataFrame, threshold: int) -> pd.Series:
    return (small_counts(used["group"], threshold) | small_counts(used["rest"], threshold)
            | small_counts(used["total"], threshold))


def _log_choose(n, k):
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def expected_dissimilarity(totals, group_total: int) -> float:
    """Exact expected D when ``group_total`` persons are allocated at random over areas of ``totals``.

    Under random allocation the group count of area i is hypergeometric (population T = sum of totals,
    A group members, t_i draws). Because ``a_i/A - b_i/B = T/(A B) * (a_i - t_i A/T)``,
    ``E[D] = T / (2 A B) * sum_i E|a_i - t_i A / T|``, and each expectation is a finite sum over the
    hypergeometric probabilities (computed in log space, so large areas are exact and fast).
    """
    totals = np.asarray(totals, dtype=np.int64)
    t_all, a_all = int(totals.sum()), int(group_total)
    b_all = t_all - a_all
    if not 0 < a_all < t_all:
        raise ValueError("De groep moet groter dan nul en kleiner dan het totaal zijn.")
    mean_abs = 0.0
    for t in totals:
        low, high = max(0, int(t) - b_all), min(int(t), a_all)
        k = np.arange(low, high + 1)
        pmf = np.exp(_log_choose(a_all, k) + _log_choose(b_all, t - k) - _log_choose(t_all, t))
        mean_abs += float(np.sum(np.abs(k - t * a_all / t_all) * pmf))
    return t_all / (2 * a_all * b_all) * mean_abs


def simulate_dissimilarity(totals, group_total: int, *, simulations: int = SIMULATIONS,
                           seed: int = SEED) -> np.ndarray:
    """D in ``simulations`` random allocations of ``group_total`` persons over areas of ``totals``.

    Each allocation draws the group counts from the multivariate hypergeometric distribution with a
    :class:`numpy.random.Generator` seeded with ``seed``, so the same inputs give the same draws.
    """
    totals = np.asarray(totals, dtype=np.int64)
    t_all, a_all = int(totals.sum()), int(group_total)
    b_all = t_all - a_all
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_hypergeometric(totals, a_all, size=simulations)
    return t_all / (2 * a_all * b_all) * np.abs(draws - totals * a_all / t_all).sum(axis=1)


def dissimilarity(counts: pd.DataFrame, *, area: str = "area", group: str = "group", total: str = "total",
                  simulations: int = SIMULATIONS, seed: int = SEED,
                  small_count: int = SMALL_COUNT) -> Dissimilarity:
    """The index of dissimilarity D of the group against the rest (total minus group) over the areas.

    ``counts`` has one row per area: the area name (column ``area``), the group count (``group``) and
    the total population (``total``). Areas with total 0 or a missing/suppressed/invalid count are left
    out with their reason (:attr:`Dissimilarity.left_out`); nothing is imputed. D is computed from the
    real counts, including counts under 10, which are only marked for suppression at publication.
    Raises ``ValueError`` when no area is usable or the group or the rest is 0 over the areas used.
    """
    used, left_out = prepare(counts, area=area, group=group, total=total)
    a_all, b_all = _check_both_groups(used)
    frame = used.assign(group_fraction=used["group"] / a_all, rest_fraction=used["rest"] / b_all)
    frame["contribution"] = (frame["group_fraction"] - frame["rest_fraction"]).abs() / 2
    frame["small"] = _small(used, small_count)
    value = float(frame["contribution"].sum())
    expected = expected_dissimilarity(used["total"], a_all)
    simulated = simulate_dissimilarity(used["total"], a_all, simulations=simulations, seed=seed)
    low, high = (float(x) for x in np.percentile(simulated, [2.5, 97.5]))
    systematic = (value - expected) / (1 - expected) if value >= expected else (value - expected) / expected
    exceedances = int(np.sum(simulated >= value - 1e-12))  # "at or above", robust to rounding in the sums
    return Dissimilarity(value=value, expected_random=expected, random_range=(low, high),
                         systematic=float(systematic), n_areas=len(frame), group_total=a_all,
                         rest_total=b_all, left_out=left_out,
                         small_counts=tuple(frame.loc[frame["small"], "area"]), areas=frame,
                         simulations=simulations, seed=seed, exceedances=exceedances)


def exposure(counts: pd.DataFrame, *, area: str = "area", group: str = "group", total: str = "total",
             small_count: int = SMALL_COUNT) -> Exposure:
    """Exposure of the group to the rest (xPy) and its isolation (xPx) over the areas.

    Same input, left-out rules and small-number marking as :func:`dissimilarity`; computed from the
    real counts.
    """
    used, left_out = prepare(counts, area=area, group=group, total=total)
    a_all, _ = _check_both_groups(used)
    weight = used["group"] / a_all
    isolation = float((weight * used["group"] / used["total"]).sum())
    exposure_value = float((weight * used["rest"] / used["total"]).sum())
    t_all, k = int(used["total"].sum()), len(used)
    share = a_all / t_all
    expected = share + (1 - share) * (k - 1) / (t_all - 1) if t_all > 1 else 1.0
    return Exposure(exposure=exposure_value, isolation=isolation, group_share=share,
                    expected_isolation=expected, eta2=(isolation - share) / (1 - share), n_areas=k,
                    left_out=left_out, small_counts=tuple(used.loc[_small(used, small_count), "area"]))
