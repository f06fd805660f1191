"""Areas inside a municipality: which buurten or wijken, their counts, and which counts are small.

Shared by :mod:`analyse.segregation` and :mod:`analyse.profile`. Pure functions: no I/O, no plotting.

- :func:`within`: the regions of one level (``buurt``, ``wijk``) that lie in a region, following
  ``ligt_in`` in ``regios.csv`` (buurt -> wijk -> gemeente) as far up as needed.
- :func:`area_counts`: from the tidy observation table (``docs/datacontract.md``), a count and its
  denominator per area for one year, one row per area of the level, in ``regios.csv`` order. An area
  without an observation keeps a missing count (NaN): nothing is imputed, the caller decides.
- :func:`small_counts`: which counts are under :data:`SMALL_COUNT` persons.

**Small numbers.** A count under 10 persons must not be *published* as a number (the disclosure rule,
applied by ``analyse.disclosure`` when tables and texts are written). The functions here and in the
modules that use them never change or drop a small count: every index is computed from the real counts,
and small counts are only *marked* so that the caller can suppress them at publication.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from analyse import series
from analyse.contract import Settings

SMALL_COUNT = Settings().small_count
"""A count of persons below this is not published as a number (it is marked, never changed here); the setting
``kleine_aantallen`` in ``instellingen.toml``, passed on by the callers."""


def as_count(value) -> float:
    """``value`` as a non-negative whole number (a float), or NaN when it is missing or not a count.

    Missing: None, NaN, ``pd.NA``, an empty string, or a CBS secrecy mark such as ``"."`` or ``"x"``
    (any text that is not a number). A negative or fractional number is not a count either: NaN.
    """
    if value is None or isinstance(value, bool):
        return float("nan")
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text)
        except ValueError:
            return float("nan")
    if not isinstance(value, numbers.Real):
        try:
            value = float(value)
        except (TypeError, ValueError):
            return float("nan")
    if pd.isna(value):
        return float("nan")
    value = float(value)
    if not np.isfinite(value) or value < 0 or value != round(value):
        return float("nan")
    return value


def small_counts(values, threshold: int = SMALL_COUNT) -> pd.Series:
    """True where a count is under ``threshold`` (0 included); False for a missing count.

    The values themselves are not touched: this only says which ones the publication must suppress.
    """
    numeric = pd.to_numeric(pd.Series(values), errors="coerce")
    return (numeric < threshold).fillna(False).astype(bool)


def within(regios: pd.DataFrame, region: str, level: str) -> list[str]:
    """The regions of ``level`` (``niveau`` in ``regios.csv``) that lie in ``region``, in catalogue order.

    Follows ``ligt_in`` upwards, so the buurten of a municipality are found through their wijk.
    """
    parent = dict(zip(regios["regio"], regios.get("ligt_in", pd.Series("", index=regios.index)).fillna("")))
    found = []
    for name, niveau in zip(regios["regio"], regios["niveau"]):
        if niveau != level:
            continue
        seen, current = set(), parent.get(name, "")
        while current and current not in seen and current != region:
            seen.add(current)
            current = parent.get(current, "")
        if current == region:
            found.append(name)
    return found


def municipality_code(regios: pd.DataFrame, region: str) -> str:
    """The CBS code of the municipality ``region`` is (or lies in, following ``ligt_in``); '' for a region that
    lies in no municipality (a country, a COROP area)."""
    parent = dict(zip(regios["regio"], regios.get("ligt_in", pd.Series("", index=regios.index)).fillna("")))
    level = dict(zip(regios["regio"], regios["niveau"]))
    codes = dict(zip(regios["regio"], regios["code"].fillna("")))
    seen, current = set(), region
    while current and current not in seen:
        if level.get(current) == "gemeente":
            return codes.get(current, "")
        seen.add(current)
        current = parent.get(current, "")
    return ""


def _value(obs: pd.DataFrame, regio: str, indicator: str, groep: str, jaar: int,
           reeks: str | None) -> float:
    rows = obs[(obs["regio"] == regio) & (obs["indicator"] == indicator) & (obs["groep"] == groep)
               & (obs["jaar"] == jaar)]
    if reeks is not None:
        rows = rows[rows["reeks"] == reeks]
    if rows.empty:
        return float("nan")
    if rows["reeks"].nunique() > 1:
        raise ValueError(f"{indicator} ({groep}) voor {regio} in {jaar} staat in meer dan één reeks "
                         f"({', '.join(sorted(rows['reeks'].unique()))}); kies er één met reeks=.")
    return as_count(rows["waarde"].iloc[0])


def area_counts(obs: pd.DataFrame, regios: pd.DataFrame, *, region: str, level: str, jaar: int,
                indicator: str, groep: str, base_indicator: str = "inwoners", base_groep: str = "totaal",
                reeks: str | None = None, base_reeks: str | None = None) -> pd.DataFrame:
    """Count and denominator per area of ``level`` in ``region`` for one year, from the tidy table.

    Returns columns ``area`` (the ``regio`` name), ``code`` (the CBS code), ``count`` (``indicator`` for
    ``groep``) and ``base`` (``base_indicator`` for ``base_groep``), one row per area in ``regios.csv``,
    in catalogue order. A count that is not in the table is NaN (never imputed); rows replaced by a newer
    edition (``vervangen_door``) do not count. Where one indicator has several reeksen for a region and
    year, pass ``reeks`` (and ``base_reeks``) to choose; otherwise this refuses.

    Example: the non-western population and all inhabitants per buurt of Maassluis in 2022::

        area_counts(obs, regios, region="Maassluis", level="buurt", jaar=2022,
                    indicator="aantal_herkomst", groep="niet_westers")
    """
    live = series.active(obs)
    if "reeks" not in live.columns:
        live = live.assign(reeks=live.get("bron", ""))
    codes = dict(zip(regios["regio"], regios.get("code", pd.Series("", index=regios.index)).fillna("")))
    rows = []
    for area in within(regios, region, level):
        rows.append({"area": area, "code": codes.get(area, ""),
                     "count": _value(live, area, indicator, groep, jaar, reeks),
                     "base": _value(live, area, base_indicator, base_groep, jaar, base_reeks)})
    return pd.DataFrame(rows, columns=["area", "code", "count", "base"])
