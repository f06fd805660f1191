"""What a theme notebook reads from the data: rows of the processed table and the catalogue entries behind them.

``analyse run`` executes a theme again only when something it reads changed (:mod:`analyse.freshness`), so this
follows what :class:`analyse.theme.Thema` and :class:`analyse.theme.Doelenmonitor` select (:func:`read_by`):

- **indicators**: those of the theme in ``indicatoren.csv`` (the target monitor: every indicator), and those the
  claims compute with (``indicator``, ``noemer_indicator`` in ``beweringen.csv``) when the region has the policy
  document the claims come from: every claim, not only the theme's, because the small-numbers gate
  (:meth:`analyse.gate.Gate.of`) hides in every table what any claim would give away;
- **regions**: the region, its comparison regions, the regions its notebook names (a string in its code such as
  ``regio="Nederland"``) and its claims name and, for a theme (not the monitor), its wijken and buurten and every
  municipality of its CBS size class in each year the region has an inhabitant count (:mod:`analyse.peers`);
- **rows**: every row of the processed table of those indicators in those regions, and the rows of the table of
  peers (:data:`analyse.peers.PEER_TABLE`) of every peer;
- **catalogue entries**: the rows of ``indicatoren.csv`` of those indicators (the monitor: all, they hold its
  targets), of ``groepen.csv`` of the groups in the rows and claims and the groups they make a whole with
  (:data:`analyse.figures.PARTITIONS`, named in a figure of shares), of ``regios.csv`` of the regions, of
  ``bronnen.csv`` and ``reeksen.csv`` that the rows name (``bron``, ``noemer_bron``, ``reeks``,
  ``noemer_reeks``) with the reeksen they continue or that continue them, the policy documents, the
  claims, and the codes that the claims' expected values mention;
- **size classes**: which municipalities were peers of the region in which year, with the inhabitant counts
  that decide it (those come from rows of another theme).

``tests/test_freshness.py`` runs each notebook on only these inputs and checks that it writes the same reports
as on all data.
"""

from __future__ import annotations

import ast
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from analyse import areas, data, figures, peers, series
from analyse.schema import MONITOR

CLAIM_TEXTS = ("verwacht",)
"""Columns of ``beweringen.csv`` whose codes are replaced by names in the register (see ``Catalogue.names``)."""


@dataclass(frozen=True)
class ThemeInputs:
    """What one theme reads for one region (see the module docstring)."""

    indicators: tuple[str, ...]
    regions: tuple[str, ...]
    rows: pd.Series  # a mask over the dataset's observations
    catalogues: dict[str, pd.DataFrame]  # dataset attribute ('indicatoren', ...) -> the rows read
    peer_groups: tuple[peers.PeerGroup, ...]


def names_in_code(source: str) -> set[str]:
    """Every text constant in a notebook's code (a region it names, ``regio="Nederland"``); every line's words
    when the code cannot be parsed."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"[\w'.-]+", source))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _regions_named(regios: pd.DataFrame, texts: Iterable[str]) -> set[str]:
    """The regions of ``regios.csv`` that ``texts`` name, by name or by CBS code (a ';'-list names several)."""
    by_code = dict(zip(regios["code"].astype(str).str.upper(), regios["regio"]))
    names = set(regios["regio"])
    found = set()
    for text in texts:
        for part in str(text).split(";"):
            part = part.strip()
            if part in names:
                found.add(part)
            elif part.upper() in by_code:
                found.add(by_code[part.upper()])
    return found


_POPULATION: dict[int, tuple[weakref.ref, pd.DataFrame, dict[str, tuple[peers.PeerGroup, ...]]]] = {}


def _population(obs: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The rows that decide the size classes (the CBS inhabitant counts, :data:`analyse.peers.POPULATION`) and
    the peer groups found in them so far; once per table (a run plans every theme, a batch every region, on the
    same table)."""
    known = _POPULATION.get(id(obs))
    if known is not None and known[0]() is obs:
        return known[1], known[2]
    for stale in [k for k, (ref, _, _) in _POPULATION.items() if ref() is None]:
        del _POPULATION[stale]
    indicator, groep, reeks = peers.POPULATION
    rows = series.active(obs[(obs["indicator"] == indicator) & (obs["groep"] == groep) & (obs["reeks"] == reeks)])
    _POPULATION[id(obs)] = (weakref.ref(obs), rows, {})
    return rows, _POPULATION[id(obs)][2]


def population(obs: pd.DataFrame) -> pd.DataFrame:
    """The CBS inhabitant counts of every region: the rows the size classes come from."""
    return _population(obs)[0]


def peer_groups(dataset: data.Dataset, region: str) -> tuple[peers.PeerGroup, ...]:
    """The peers of ``region`` in every year it has a CBS inhabitant count (none for a region that is no
    municipality)."""
    population, found = _population(dataset.observations)
    if region not in found:
        years = sorted(int(y) for y in population.loc[population["regio"] == region, "jaar"].unique())
        groups = (peers.peer_group(population, dataset.regios, region, year) for year in years)
        found[region] = tuple(group for group in groups if group is not None)
    return found[region]


def _continued(reeksen: pd.DataFrame, named: set[str]) -> set[str]:
    """``named`` with every reeks they continue and every reeks that continues them (``vervolg_van``)."""
    links = [(str(r), str(v or "").strip()) for r, v in zip(reeksen["reeks"], reeksen.get(
        "vervolg_van", pd.Series("", index=reeksen.index)).fillna(""))]
    found, grew = set(named), True
    while grew:
        more = {v for r, v in links if r in found and v} | {r for r, v in links if v in found}
        grew = not more <= found
        found |= more
    return found


def _codes(frame: pd.DataFrame, columns: Iterable[str]) -> set[str]:
    values = set()
    for column in columns:
        if column in frame.columns:
            values |= set(frame[column].dropna().astype(str).str.strip().unique()) - {""}
    return values


def _words(texts: Iterable[str]) -> set[str]:
    return {word for text in texts for word in re.findall(r"\w+", str(text))}


def read_by(dataset: data.Dataset, theme: str, region: str, comparisons: Iterable[str] = (),
            level: str = "gemeente", named: Iterable[str] = ()) -> ThemeInputs:
    """What notebook ``theme`` reads for ``region`` with ``comparisons`` at ``level``; ``named``: the text constants
    in the notebook's code (:func:`names_in_code`)."""
    obs, regios = dataset.observations, dataset.regios
    # every claim of the region's policy document, not only the theme's: the small-numbers gate
    # (analyse.gate.Gate.of) hides what any claim would give away, in every table of the run
    claims = dataset.beweringen if dataset.has_policy_document(region) else dataset.beweringen.iloc[0:0]
    indicatoren = dataset.indicatoren
    own = indicatoren if theme == MONITOR else indicatoren[indicatoren["thema"] == theme]
    indicators = set(own["indicator"]) | _codes(claims, ("indicator", "noemer_indicator"))
    groups_found = () if theme == MONITOR else peer_groups(dataset, region)
    parts = () if theme == MONITOR else (*areas.within(regios, region, "wijk"), *areas.within(regios, region, "buurt"))
    regions = ({region, *comparisons, *parts} | _regions_named(regios, named) | _regions_named(regios, claims["regio"])
               | {member for group in groups_found for member in group.members})
    members = {region} | {member for group in groups_found for member in group.members}
    rows = (obs["indicator"].isin(indicators) & obs["regio"].isin(regions)) \
        | (obs["indicator"].isin(peers.PEER_TABLE) & obs["regio"].isin(members))
    read = obs.loc[rows, ["groep", "bron", "noemer_bron", "reeks", "noemer_reeks"]]
    sources = _codes(read, ("bron", "noemer_bron", "reeks", "noemer_reeks"))
    reeksen = _continued(dataset.reeksen, sources & set(dataset.reeksen["reeks"]))
    mentioned = _words(claims[[c for c in CLAIM_TEXTS if c in claims.columns]].to_numpy().ravel())
    named_groups = ";".join(_codes(claims, ("groep", "noemer_groep"))).split(";")  # a ';'-list names several
    groups = _codes(read, ("groep",)) | {g.strip() for g in named_groups}
    groups |= {g for partition in figures.PARTITIONS if groups & set(partition) for g in partition}
    bronnen = dataset.bronnen
    catalogues = {
        "indicatoren": indicatoren[indicatoren["indicator"].isin(indicators | mentioned)],
        "groepen": dataset.groepen[dataset.groepen["groep"].isin(groups | mentioned)],
        "regios": regios[regios["regio"].isin(regions)],
        "bronnen": bronnen[bronnen["bron"].isin(sources | reeksen | mentioned)
                           | (bronnen["beleidsdocument"].fillna("") == "ja")],
        "reeksen": dataset.reeksen[dataset.reeksen["reeks"].isin(reeksen | mentioned)],
        "beweringen": claims,
    }
    return ThemeInputs(tuple(sorted(indicators)), tuple(sorted(regions)), rows, catalogues, groups_found)
