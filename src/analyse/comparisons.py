"""One rule for every comparison between regions: the same year and the same reeks, or no comparison.

A key message, a comparison figure, a key-figure tile and its benchmarks all take their numbers from
:func:`compare_regions`, so a sentence and the figure beneath it can never disagree. The comparison year is the
newest year of the region's own reeks in which at least one comparison region (or the municipalities of the same
size, :mod:`analyse.peers`) has a figure of that same reeks; a comparison region without one that year is named
as having no comparable figure, never shown with a figure of another year or another statistic. Counts are
never compared across regions (a count grows with the size of the region).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analyse import peers, series

COUNT_UNITS = ("aantal",)
"""Units whose level is not compared across regions of different size."""


@dataclass(frozen=True)
class RegionComparison:
    """The region and its comparison regions in one year and one reeks (see the module docstring)."""

    indicator: str
    groep: str
    region: str
    reeks: str
    year: int  # the comparison year
    own: pd.Series  # the region's row in ``year``
    others: dict[str, pd.Series] = field(default_factory=dict)  # comparison region -> its row in ``year``
    missing: tuple[str, ...] = ()  # comparison regions without a figure of this reeks in ``year``
    peers: peers.PeerComparison | None = None

    @property
    def rows(self) -> pd.DataFrame:
        """The region's row and the comparable rows, in the order of the comparison regions."""
        return pd.DataFrame([self.own, *self.others.values()])


def _rows_in(rows: pd.DataFrame, reeks: str, year: int) -> dict[str, pd.Series]:
    found = rows[(rows["reeks"] == reeks) & (rows["jaar"] == year)]
    return {regio: part.iloc[0] for regio, part in found.groupby("regio", sort=False)}


def compare_regions(obs: pd.DataFrame, regios: pd.DataFrame, *, region: str, comparisons: tuple[str, ...] | list[str],
                    indicator: str, groep: str, grades: dict[str, str] | None = None, start: int | None = None,
                    end: int | None = None, with_peers: bool = True) -> RegionComparison | None:
    """The comparison of ``region`` with ``comparisons`` (and its peers) for one indicator and group.

    ``obs`` holds every observation the comparison may use (the peers are found in it too); ``start``/``end``
    bound the years of the region's own series. None when the region has no figure, or the unit is a count.
    """
    rows = series.active(obs[(obs["indicator"] == indicator) & (obs["groep"] == groep)])
    own = rows[rows["regio"] == region]
    if start is not None:
        own = own[own["jaar"] >= start]
    if end is not None:
        own = own[own["jaar"] <= end]
    chosen = series.choose(own, grades)
    if chosen.empty or chosen["eenheid"].iloc[0] in COUNT_UNITS:
        return None
    reeks = str(chosen["reeks"].iloc[0])
    years = sorted(int(y) for y in chosen["jaar"].unique())
    others = rows[rows["regio"].isin([c for c in comparisons if c != region])]
    fallback = None
    for year in reversed(years):
        found = _rows_in(others, reeks, year)
        group = peers.compare(obs, regios, region, indicator, groep, year, reeks) if with_peers else None
        own_row = chosen[chosen["jaar"] == year].iloc[-1]
        result = RegionComparison(
            indicator=indicator, groep=groep, region=region, reeks=reeks, year=year,
            own=own_row, others={c: found[c] for c in comparisons if c in found},
            missing=tuple(c for c in comparisons if c != region and c not in found), peers=group)
        if found or group is not None:
            return result
        fallback = fallback or result
    return fallback  # nothing comparable in any year: the newest year, every comparison region missing
