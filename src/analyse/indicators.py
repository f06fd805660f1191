"""Selections, changes, shares and rates on the tidy observation table."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analyse import text

SHARE_UNITS = ("procent",)
SERIES_KEY = ["indicator", "regio", "groep"]

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


def preferred_source(rows: pd.DataFrame) -> pd.DataFrame:
    """One consistent series: the rows of the source with the most years (ties: latest year, then name).

    Figures of one indicator from sources with a different definition or reference date are never
    mixed into one series.
    """
    if rows.empty or rows["bron"].nunique() == 1:
        return rows
    stats = rows.groupby("bron")["jaar"].agg(["nunique", "max"]).reset_index()
    stats = stats.sort_values(["nunique", "max", "bron"], ascending=[False, False, True])
    return rows[rows["bron"] == stats.iloc[0]["bron"]]


def value_at(obs: pd.DataFrame, indicator: str, regio: str, groep: str, jaar: int,
             prefer_bron: str | None = None) -> pd.Series | None:
    """The observation for one key; with several sources, ``prefer_bron`` first, then by source name."""
    rows = obs[(obs["indicator"] == indicator) & (obs["regio"] == regio) & (obs["groep"] == groep)
               & (obs["jaar"] == jaar)]
    if rows.empty:
        return None
    if prefer_bron is not None and (rows["bron"] == prefer_bron).any():
        return rows[rows["bron"] == prefer_bron].iloc[0]
    return rows.sort_values("bron").iloc[0]


def change(v0: float, v1: float, eenheid: str) -> dict:
    """Change between two values in the right unit: procentpunt for shares, percent for counts.

    Returns ``verschil`` (absolute, in the indicator's unit or procentpunt), ``relatief`` (percent; None for
    shares and when the start value is 0) and ``soort`` ('procentpunt' or 'procent').
    """
    difference = v1 - v0
    if eenheid in SHARE_UNITS:
        return {"verschil": difference, "relatief": None, "soort": "procentpunt"}
    relative = None if v0 == 0 else difference / v0 * 100
    return {"verschil": difference, "relatief": relative, "soort": "procent"}


def changes(obs: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """First and last measured year of every series within the window, and the change between them.

    One row per (indicator, regio, groep) using one consistent source (see :func:`preferred_source`);
    a series with a single year in the window has no change and says so in ``opmerking``.
    """
    window = select(obs, start=start, end=end)
    rows = []
    for key, series in window.groupby(SERIES_KEY, sort=True):
        series = preferred_source(series).sort_values("jaar")
        first, last = series.iloc[0], series.iloc[-1]
        record = dict(zip(SERIES_KEY, key))
        record.update(label=first["label"], eenheid=first["eenheid"], bron=first["bron"],
                      n_jaren=series["jaar"].nunique(), jaar_van=int(first["jaar"]), waarde_van=first["waarde"],
                      jaar_tot=int(last["jaar"]), waarde_tot=last["waarde"], teller_tot=last["teller"],
                      noemer_tot=last["noemer"], verschil=None, relatief=None,
                      soort=None, opmerking="")
        if len(series) == 1:
            record["opmerking"] = f"Eén meting ({int(first['jaar'])}): geen verandering."
        elif first["eenheid"] == "rang":
            record["opmerking"] = "Rangorde: geen verandering berekend."
        else:
            record.update(change(first["waarde"], last["waarde"], first["eenheid"]))
        rows.append(record)
    columns = [*SERIES_KEY, "label", "eenheid", "bron", "n_jaren", "jaar_van", "waarde_van", "jaar_tot",
               "waarde_tot", "teller_tot", "noemer_tot", "verschil", "relatief", "soort", "opmerking"]
    return pd.DataFrame(rows, columns=columns)


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


def small_group_warnings(obs: pd.DataFrame, labels: dict[str, str], group_labels: dict[str, str],
                         person_indicators: Iterable[str] = (), threshold: int = SMALL_COUNT,
                         small_count: int = 10) -> list[str]:
    """One Dutch warning per series (indicator, regio, groep) resting on few cases, quoting the smallest number
    that triggered it ('minder dan 10' for fewer than ``small_count`` persons)."""
    few = small_groups(obs, threshold, person_indicators)
    warnings = []
    for (indicator, regio, groep), rows in few.groupby(SERIES_KEY, sort=True):
        smallest = rows.loc[rows["klein_getal"].idxmin()]
        warnings.append(text.small_group_warning(labels.get(indicator, indicator), group_labels.get(groep, groep),
                                                 regio, float(smallest["klein_getal"]), smallest["klein_soort"],
                                                 small_count))
    return warnings
