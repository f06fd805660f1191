"""Municipalities of the same size: who they are in a year, and where a municipality stands among them.

A municipality is compared with the municipalities of its CBS size class (inhabitants on 1 January of the same
year, :data:`SIZE_CLASSES`), for the same indicator, group, year and reeks: a comparison across years or across
statistics is never made. Counts are not compared (a count grows with the size of the municipality); shares
and rates are.

The position is given as the peers' median, the middle half of them (25th to 75th percentile), their range and
how many lie below and above the municipality. Computing modules give numbers; :mod:`analyse.text` words them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyse import series

SIZE_CLASSES: tuple[tuple[int, int | None], ...] = (
    (0, 5_000), (5_000, 10_000), (10_000, 20_000), (20_000, 50_000), (50_000, 100_000), (100_000, 150_000),
    (150_000, 250_000), (250_000, None),
)
"""The eight municipal size classes of CBS (gemeentegrootteklassen), by inhabitants on 1 January: lower bound
included, upper bound excluded (CBS, 'Gemeentegrootte en stedelijkheid', cbs.nl, classificaties; the same
classes as the column Gemeentegrootte of the tables Gebieden in Nederland)."""
POPULATION = ("inwoners", "totaal", "cbs_bevolking")
"""The inhabitant count that decides the size class: indicator, group and reeks."""
PEER_TABLE = ("inwoners", "stedelijkheid")
"""The indicators the table of peers (:func:`peer_table`) shows for every member."""
COMPARABLE_UNITS = ("procent", "per_100", "per_1000", "per_10000", "rapportcijfer", "score", "index")
"""Units a municipality can be compared in with municipalities of other sizes (not counts, not ranks)."""
MIN_PEERS = 5
"""Fewer peers with a value than this: no comparison (a median of two municipalities says little)."""


def size_class(inhabitants: float) -> tuple[int, int | None]:
    """The CBS size class of a municipality with ``inhabitants``."""
    for low, high in SIZE_CLASSES:
        if inhabitants >= low and (high is None or inhabitants < high):
            return low, high
    raise ValueError(f"geen grootteklasse voor {inhabitants!r} inwoners")


@dataclass(frozen=True)
class PeerGroup:
    """The municipalities of the same size class as ``region`` in ``year`` (the region itself not included)."""

    region: str
    year: int
    size_class: tuple[int, int | None]
    inhabitants: float  # of the region
    members: tuple[str, ...]  # names, in the order of their inhabitants (largest first)


def municipal_population(obs: pd.DataFrame, regios: pd.DataFrame, year: int) -> pd.Series:
    """Inhabitants per municipality on 1 January of ``year`` (name -> count), from the CBS population reeks."""
    indicator, groep, reeks = POPULATION
    municipal = set(regios.loc[regios["niveau"] == "gemeente", "regio"])
    rows = series.active(obs)
    rows = rows[(rows["indicator"] == indicator) & (rows["groep"] == groep) & (rows["reeks"] == reeks)
                & (rows["jaar"] == year) & rows["regio"].isin(municipal)]
    return rows.drop_duplicates("regio").set_index("regio")["waarde"].astype(float)


def peer_group(obs: pd.DataFrame, regios: pd.DataFrame, region: str, year: int) -> PeerGroup | None:
    """The peers of ``region`` in ``year``; None when the region has no CBS inhabitant count for that year."""
    population = municipal_population(obs, regios, year)
    if region not in population.index:
        return None
    inhabitants = float(population[region])
    low, high = size_class(inhabitants)
    same = population[(population >= low) & ((population < high) if high is not None else True)]
    members = same.drop(index=region).sort_values(ascending=False, kind="stable")
    return PeerGroup(region, year, (low, high), inhabitants, tuple(members.index))


@dataclass(frozen=True)
class PeerComparison:
    """Where ``value`` of the region lies among the same figure of its peers (one indicator, group, year, reeks)."""

    indicator: str
    groep: str
    year: int
    reeks: str
    unit: str
    group: PeerGroup
    value: float
    peers: pd.Series  # peer name -> value, the peers that have this figure
    median: float
    lower_quartile: float
    upper_quartile: float
    minimum: float
    maximum: float
    below: int  # peers with a lower value
    above: int  # peers with a higher value

    @property
    def n(self) -> int:
        return len(self.peers)

    @property
    def missing(self) -> int:
        """Peers without this figure in this year and reeks."""
        return len(self.group.members) - self.n


def compare(obs: pd.DataFrame, regios: pd.DataFrame, region: str, indicator: str, groep: str, year: int,
            reeks: str) -> PeerComparison | None:
    """The region's figure among its peers' figures of the same indicator, group, year and reeks.

    None when the unit is not comparable across sizes, the region has no such figure, it has no peer group in
    that year, or fewer than :data:`MIN_PEERS` peers have the figure.
    """
    rows = series.active(obs)
    rows = rows[(rows["indicator"] == indicator) & (rows["groep"] == groep) & (rows["jaar"] == year)
                & (rows["reeks"] == reeks)]
    if rows.empty or rows["eenheid"].iloc[0] not in COMPARABLE_UNITS:
        return None
    values = rows.drop_duplicates("regio").set_index("regio")["waarde"].astype(float)
    if region not in values.index:
        return None
    group = peer_group(obs, regios, region, year)
    if group is None:
        return None
    peers = values.reindex(list(group.members)).dropna()
    if len(peers) < MIN_PEERS:
        return None
    value = float(values[region])
    quartiles = np.percentile(peers.to_numpy(), [25, 50, 75])
    return PeerComparison(
        indicator=indicator, groep=groep, year=year, reeks=reeks, unit=str(rows["eenheid"].iloc[0]), group=group,
        value=value, peers=peers, median=float(quartiles[1]), lower_quartile=float(quartiles[0]),
        upper_quartile=float(quartiles[2]), minimum=float(peers.min()), maximum=float(peers.max()),
        below=int((peers < value).sum()), above=int((peers > value).sum()))


def peer_table(obs: pd.DataFrame, regios: pd.DataFrame, group: PeerGroup) -> pd.DataFrame:
    """The peers as a table: name, CBS code, inhabitants in the group's year and the degree of urbanisation
    (the newest CBS class up to that year; empty where CBS gives none)."""
    population = municipal_population(obs, regios, group.year)
    codes = dict(zip(regios["regio"], regios["code"]))
    urban = series.active(obs)
    urban = urban[(urban["indicator"] == "stedelijkheid") & (urban["jaar"] <= group.year)]
    urban = urban.sort_values("jaar").drop_duplicates("regio", keep="last").set_index("regio")
    names = [group.region, *group.members]
    return pd.DataFrame({
        "gemeente": names,
        "code": [codes.get(n, "") for n in names],
        "inwoners": [float(population.get(n, np.nan)) for n in names],
        "stedelijkheid": [float(urban["waarde"].get(n, np.nan)) for n in names],
        "stedelijkheid_jaar": [float(urban["jaar"].get(n, np.nan)) for n in names],
        "zelf": [True] + [False] * len(group.members),
    })
