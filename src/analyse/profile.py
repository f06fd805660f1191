"""Wijk profiles: each wijk against the municipal average on a set of shares, as wijk monitors show them.

Pure functions: no I/O, no plotting. The input is long, one row per wijk and indicator: ``area``,
``indicator``, ``count`` (teller) and ``base`` (noemer), e.g. inhabitants aged 65+ and all inhabitants.
Where counts are given the share is computed from them (``count / base * factor``, percent by default);
only where a count is missing may a published ``share`` column fill in. Nothing is imputed.

Per wijk and indicator, :func:`profile` gives

- ``difference``: wijk share minus the municipal average, in procentpunt (for percentages);
- ``index``: wijk share / average * 100 (average = 100), for reading rates;
- ``z``: the standardised score ``(wijk - average) / spread``, where ``spread`` is the standard deviation
  of the wijk shares around the average, weighted by the wijk's denominator:
  ``sqrt(sum_w n_w (p_w - p)^2 / sum_w n_w)``. Weighting keeps a tiny wijk from setting the scale that
  all wijken are measured by; with the pooled average it is the spread a resident's wijk share has
  around the municipal share.

The municipal average is, by default, pooled over the wijken given (``sum count / sum base``: the same
people as the wijk figures); pass ``municipal`` to use the municipality's own counts instead (CBS rounds
wijk counts to fives, so the pooled and published municipal figures can differ a little).

**Small wijken.** A wijk with fewer than :data:`SMALL_POPULATION` inhabitants is flagged
(``small_area``): its shares swing from year to year by chance. At 500 inhabitants a share near 20% has
a binomial 95% margin of about 3.5 procentpunt (near 50%: 4.4) and CBS's rounding of counts to fives adds
up to 0.5 procentpunt; below 500 the chance margin grows past 5 procentpunt, the size of the
differences between wijken that a profile is meant to show. :func:`highlights` leaves small wijken out
of its ranking unless asked.

**Small numbers.** Counts under 10 persons must not be published as numbers (``analyse.disclosure``
suppresses them at publication). This module keeps counts as they are and computes every share from the
real counts; it only marks which inputs are under 10 (``count_small``, ``base_small``) so the caller can
suppress them, and a share whose count is small, at publication.

To build the input from the tidy observation table, use :func:`analyse.areas.area_counts` once per
indicator and stack the results::

    parts = {"niet_westers": ("aantal_herkomst", "niet_westers"),
             "65_plus": ("aantal_leeftijd", "leeftijd_65_plus")}
    counts = pd.concat([areas.area_counts(obs, regios, region="Maassluis", level="wijk", jaar=2024,
                                          indicator=ind, groep=grp).assign(indicator=name)
                        for name, (ind, grp) in parts.items()])
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analyse.areas import SMALL_COUNT, as_count, small_counts

SMALL_POPULATION = 500
"""Wijken with fewer inhabitants than this are flagged: their shares swing (see the module text)."""

COLUMNS = ["area", "indicator", "count", "base", "value", "from_counts", "average", "difference", "index",
           "spread", "z", "population", "small_area", "count_small", "base_small"]


def _share_value(raw) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return float("nan")
    return value if np.isfinite(value) else float("nan")


def _values(frame: pd.DataFrame, factor: float, share: str) -> pd.DataFrame:
    """Counts as counts, the share from them (or the published share where counts are missing)."""
    out = frame.copy()
    out["count"] = [as_count(v) for v in frame["count"]]
    out["base"] = [as_count(v) for v in frame["base"]]
    valid = (out["base"] > 0) & (out["count"] <= out["base"])
    out["value"] = (out["count"] / out["base"] * factor).where(valid)
    out["from_counts"] = valid
    if share in frame.columns:
        published = pd.Series([_share_value(v) for v in frame[share]], index=frame.index)
        out["value"] = out["value"].where(valid, published)
    return out


def _population(frame: pd.DataFrame, population) -> pd.Series:
    if population is None:
        return frame.groupby("area")["base"].max()
    if isinstance(population, Mapping):
        population = pd.Series(population, dtype=float)
    return pd.Series([as_count(v) for v in population.to_numpy()], index=population.index)


def profile(counts: pd.DataFrame, *, municipal: pd.DataFrame | None = None,
            population: Mapping[str, float] | pd.Series | None = None,
            small_population: int = SMALL_POPULATION, small_count: int = SMALL_COUNT, factor: float = 100,
            area: str = "area", indicator: str = "indicator", count: str = "count", base: str = "base",
            share: str = "share") -> pd.DataFrame:
    """Each area against the average, per indicator: share, difference, index and standardised score.

    ``counts``: one row per area and indicator with the count (``count``) and its denominator (``base``);
    optionally a published ``share`` (in the unit of ``factor``) used only where the counts are missing.
    ``municipal``: optional, one row per indicator (columns ``indicator``, ``count``, ``base`` and/or
    ``share``) giving the average; without it the average is pooled over the areas
    (``sum count / sum base``, or the base-weighted mean of the shares). ``population``: inhabitants per
    area for the small-area flag; by default the largest ``base`` of the area (the whole population when
    an indicator is a share of all inhabitants); an area of unknown size is flagged as small.
    ``factor``: 100 for percentages (differences in procentpunt), 1000 for a rate per 1.000.

    Returns one row per input row with the columns in :data:`COLUMNS`. Counts are kept as given;
    ``count_small`` / ``base_small`` mark counts under ``small_count`` for suppression at publication.
    A row without counts or share keeps NaN values and is never ranked.
    """
    missing = [c for c in (area, indicator, count, base) if c not in counts.columns]
    if missing:
        raise ValueError(f"Kolommen ontbreken: {', '.join(missing)}.")
    frame = counts.rename(columns={area: "area", indicator: "indicator", count: "count", base: "base"})
    if frame.duplicated(["area", "indicator"]).any():
        doubles = frame.loc[frame.duplicated(["area", "indicator"]), ["area", "indicator"]]
        raise ValueError("Gebied en indicator staan meer dan eens in de tabel: "
                         + ", ".join(f"{a} ({i})" for a, i in doubles.itertuples(index=False)) + ".")
    frame = _values(frame.reset_index(drop=True), factor, share)
    sizes = _population(frame, population)
    frame["population"] = frame["area"].map(sizes).astype(float)
    weight = frame["base"].where(frame["base"] > 0, frame["population"])

    averages = _averages(frame, weight, municipal, factor, share)
    frame["average"] = frame["indicator"].map(averages).astype(float)
    usable = frame["value"].notna() & weight.notna() & (weight > 0)
    squared = (weight * (frame["value"] - frame["average"]) ** 2).where(usable)
    spread = np.sqrt(squared.groupby(frame["indicator"]).sum()
                     / weight.where(usable).groupby(frame["indicator"]).sum())
    frame["spread"] = frame["indicator"].map(spread).astype(float)
    frame["difference"] = frame["value"] - frame["average"]
    frame["index"] = (100 * frame["value"] / frame["average"]).where(frame["average"] != 0)
    frame["z"] = (frame["difference"] / frame["spread"]).where(frame["spread"] > 0)
    frame["small_area"] = ~(frame["population"] >= small_population)  # unknown size: flagged too
    frame["count_small"] = small_counts(frame["count"], small_count).to_numpy()
    frame["base_small"] = small_counts(frame["base"], small_count).to_numpy()
    return frame[COLUMNS]


def _averages(frame: pd.DataFrame, weight: pd.Series, municipal: pd.DataFrame | None, factor: float,
              share: str) -> dict[str, float]:
    if municipal is not None:
        if "indicator" not in municipal.columns:
            raise ValueError("Kolom 'indicator' ontbreekt in de gemeentecijfers.")
        if municipal["indicator"].duplicated().any():
            raise ValueError("Een indicator staat meer dan eens in de gemeentecijfers.")
        own = municipal.reset_index(drop=True)
        for column in ("count", "base"):
            if column not in own.columns:
                own[column] = np.nan
        own = _values(own, factor, share)
        return dict(zip(own["indicator"], own["value"]))
    averages = {}
    for name, rows in frame.groupby("indicator", sort=False):
        w = weight.loc[rows.index]
        ok = rows["value"].notna() & w.notna() & (w > 0)
        averages[name] = float((rows["value"][ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else float("nan")
    return averages


def highlights(frame: pd.DataFrame, n: int = 5, *, per_area: int | None = None,
               include_small_areas: bool = False, min_difference: float = 0.0) -> pd.DataFrame:
    """Where areas differ most from the average: rows of :func:`profile` by absolute ``z``, largest first.

    Without ``per_area``: the ``n`` rows (area and indicator) with the largest ``|z|``. With ``per_area=k``:
    for the ``n`` areas whose largest ``|z|`` is largest, their ``k`` most different indicators (areas in
    that order). Small areas (``small_area``) are left out unless ``include_small_areas``; rows without a
    score are never ranked. Ties are broken by area and indicator name, so the order is fixed.

    A standardised score is large when the wijken hardly differ on an indicator, even if the difference is
    a fraction of a procentpunt; ``min_difference`` (in the unit of ``difference``) leaves such rows out.
    """
    rows = frame[frame["z"].notna() & (frame["difference"].abs() >= min_difference)]
    if not include_small_areas:
        rows = rows[~rows["small_area"]]
    rows = rows.assign(_abs=rows["z"].abs()).sort_values(["_abs", "area", "indicator"],
                                                         ascending=[False, True, True], kind="mergesort")
    if per_area is None:
        return rows.head(n).drop(columns="_abs").reset_index(drop=True)
    order = list(dict.fromkeys(rows["area"]))[:n]
    parts = [rows[rows["area"] == name].head(per_area) for name in order]
    if not parts:
        return rows.drop(columns="_abs").iloc[0:0].reset_index(drop=True)
    return pd.concat(parts).drop(columns="_abs").reset_index(drop=True)
