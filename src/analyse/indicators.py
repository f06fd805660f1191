"""Selections, changes, shares and rates on the tidy observation table.

Which reeks counts for a series is decided in :mod:`analyse.series`; the functions here take the rows a
notebook selected and return values (tables, numbers), never text or figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from analyse import series

SHARE_UNITS = ("procent",)
SERIES_KEY = series.GROUP_KEY

# Populations below this many people make a share or rate swing from year to year; figures resting on
# fewer cases are flagged (the policy text itself warns about the small western-migrant group).
SMALL_COUNT = 50


def select(obs: pd.DataFrame, *, indicator: str | list[str] | None = None, regio: str | list[str] | None = None,
           groep: str | list[str] | None = None, start: int | None = None, end: int | None = None,
           thema: str | None = None) -> pd.DataFrame:
    """Rows matching every given filter; lists mean 'one of'; ``start``/``end`` bound ``jaar`` inclusively."""
    mask = pd.Series(True, index=obs.index)
    for column, wanted in (("indicator", indicator), ("regio", regio), ("groep", groep), ("thema", thema)):
        if wanted is None:
            continue
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        mask &= obs[column].isin(values)
    if start is not None:
        mask &= obs["jaar"] >= start
    if end is not None:
        mask &= obs["jaar"] <= end
    return obs[mask]


def value_at(obs: pd.DataFrame, indicator: str, regio: str, groep: str, jaar: int,
             prefer_bron: str | None = None) -> pd.Series | None:
    """The observation for one key and year; with several, ``prefer_bron`` first, then by source name."""
    rows = obs[(obs["indicator"] == indicator) & (obs["regio"] == regio) & (obs["groep"] == groep)
               & (obs["jaar"] == jaar)]
    if rows.empty:
        return None
    if prefer_bron is not None and (rows["bron"] == prefer_bron).any():
        return rows[rows["bron"] == prefer_bron].iloc[0]
    return rows.sort_values("bron").iloc[0]


RELATIVE_UNITS = ("aantal", "euro")  # a change is reported as a relative change in percent


@dataclass(frozen=True)
class Change:
    """The change from ``v0`` to ``v1`` (see :func:`change`)."""

    absolute: float
    """``v1 - v0`` in the unit of the values (procentpunt for percentages)."""
    relative_pct: float | None
    """``(v1 - v0) / v0 * 100``; ``None`` when ``v0`` is 0 or the values are percentages."""
    kind: str
    """How the change is reported: ``'procent'`` (relative change of a count or amount),
    ``'procentpunt'`` (difference of two percentages) or ``'verschil'`` (difference in the unit,
    for rates, scores, indices and years)."""
    direction: str
    """``'stijging'``, ``'daling'`` or ``'gelijk'``."""
    eenheid: str
    """Unit of the two values."""


def _exact(x) -> Decimal:
    if x is None or (isinstance(x, float) and not math.isfinite(x)) or pd.isna(x):
        raise ValueError("Geen verandering te berekenen: een van de twee waarden ontbreekt.")
    return Decimal(repr(float(x))) if not isinstance(x, int) else Decimal(x)


def change(v0, v1, eenheid: str) -> Change:
    """Compute the change from ``v0`` to ``v1`` (both in unit ``eenheid``).

    The difference is computed on the decimal notation of the values, so the difference of two
    published figures is exact (``26.9 - 23.3`` is ``3.6``, not ``3.5999...``).
    Counts and amounts (``aantal``, ``euro``) are reported as a relative change (kind ``'procent'``),
    percentages as a difference in procentpunt, everything else as a difference in its unit.
    """
    if eenheid == "rang":
        raise ValueError("Een verandering van een rangnummer is geen hoeveelheid.")
    d0, d1 = _exact(v0), _exact(v1)
    diff = d1 - d0
    relative = None
    if eenheid not in SHARE_UNITS and d0 != 0:
        relative = float(diff / d0 * 100)
    if eenheid in SHARE_UNITS:
        kind = "procentpunt"
    elif eenheid in RELATIVE_UNITS:
        kind = "procent"
    else:
        kind = "verschil"
    direction = "stijging" if diff > 0 else "daling" if diff < 0 else "gelijk"
    return Change(float(diff), relative, kind, direction, eenheid)


def changes(obs: pd.DataFrame, grades: dict[str, str] | None = None) -> pd.DataFrame:
    """First and last measured year of every series in ``obs``, and the change between them.

    One row per (indicator, regio, groep), on the reeks that counts (:func:`analyse.series.choose`); a series
    with a single year has no change and says so in ``opmerking``; a reeks that continues another across a
    definition break names it in ``breuk`` (no change is computed across the break).
    """
    rows = []
    for key, part in obs.groupby(SERIES_KEY, sort=True):
        chosen = series.choose(part, grades)
        if chosen.empty:
            continue
        first, last = chosen.iloc[0], chosen.iloc[-1]
        others = [r for r in series.rank(part, grades) if r != first["reeks"]]
        record = dict(zip(SERIES_KEY, key))
        record.update(label=first["label"], eenheid=first["eenheid"], reeks=first["reeks"], bron=last["bron"],
                      andere_reeksen=", ".join(others), n_jaren=chosen["jaar"].nunique(),
                      jaar_van=int(first["jaar"]), waarde_van=first["waarde"],
                      afgeleid_van=bool(first.get("afgeleid", False)), jaar_tot=int(last["jaar"]),
                      waarde_tot=last["waarde"], teller_tot=last["teller"], noemer_tot=last["noemer"],
                      status_tot=last.get("status", ""), afgeleid_tot=bool(last.get("afgeleid", False)),
                      verschil=None, relatief=None, soort=None, opmerking="")
        if len(chosen) == 1:
            record["opmerking"] = "een_meting"
        elif first["eenheid"] == "rang":
            record["opmerking"] = "rang"
        else:
            moved = change(first["waarde"], last["waarde"], first["eenheid"])
            record.update(verschil=moved.absolute, relatief=moved.relative_pct, soort=moved.kind)
        rows.append(record)
    columns = [*SERIES_KEY, "label", "eenheid", "reeks", "bron", "andere_reeksen", "n_jaren", "jaar_van",
               "waarde_van", "afgeleid_van", "jaar_tot", "waarde_tot", "teller_tot", "noemer_tot", "status_tot", "afgeleid_tot",
               "verschil", "relatief", "soort", "opmerking"]
    return pd.DataFrame(rows, columns=columns)


def availability(obs: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, region, group and reeks: the years measured (missing years stay missing)."""
    rows = []
    for (indicator, regio, groep, reeks), part in series.active(obs).groupby(series.KEY, sort=True):
        rows.append({"indicator": indicator, "regio": regio, "groep": groep, "reeks": reeks,
                     "jaren": sorted(int(y) for y in part["jaar"].unique()),
                     "bronnen": sorted(part["bron"].unique())})
    return pd.DataFrame(rows, columns=["indicator", "regio", "groep", "reeks", "jaren", "bronnen"])


def share(teller: float, noemer: float) -> float:
    """``teller`` as a percentage of ``noemer``."""
    if noemer <= 0:
        raise ValueError(f"noemer moet positief zijn, niet {noemer}")
    return teller / noemer * 100


def rate_per_1000(count: float, population: float) -> float:
    """``count`` per 1,000 of ``population``."""
    if population <= 0:
        raise ValueError(f"populatie moet positief zijn, niet {population}")
    return count / population * 1000


def small_groups(obs: pd.DataFrame, threshold: int = SMALL_COUNT,
                 person_indicators: Iterable[str] = ()) -> pd.DataFrame:
    """Rows whose figure rests on few cases, with the number that says so.

    A row counts when a known ``teller``, ``noemer`` or ``n`` (respondents) is below ``threshold``, or when it is
    a count of persons (``person_indicators``, see :func:`analyse.disclosure.person_indicators`) below it.
    Added columns: ``klein_getal``, the smallest such number (the teller whenever the teller is small, never the
    noemer beside it), and ``klein_soort`` (``teller``, ``noemer``, ``n`` or ``aantal``).
    """
    persons = set(person_indicators)
    candidates = []
    for column in ("teller", "noemer", "n"):
        values = (pd.to_numeric(obs[column], errors="coerce") if column in obs.columns
                  else pd.Series(float("nan"), index=obs.index))
        candidates.append((column, values.where(values < threshold)))
    counts = pd.to_numeric(obs["waarde"], errors="coerce").where(
        (obs["eenheid"] == "aantal") & obs["indicator"].isin(persons))
    candidates.append(("aantal", counts.where(counts < threshold)))
    table = pd.DataFrame({kind: values for kind, values in candidates}, index=obs.index)
    few = table.notna().any(axis=1)
    result = obs[few].copy()
    smallest = table[few]
    result["klein_getal"] = smallest.min(axis=1)
    result["klein_soort"] = smallest.idxmin(axis=1)  # first column on a tie: the teller before the count
    return result
