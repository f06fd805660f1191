"""Series: which numbers form one statistic over the years, and which series counts.

A number belongs to a *reeks* (the statistic: producer plus definition, ``reeksen.csv``) and was found in
a *bron* (the publication, ``bronnen.csv``). Yearly editions of a publication are different bronnen in the
same reeks, so they chain into one series. A changed definition is a new reeks that names the old one in
``vervolg_van``: a definition break, across which nothing is computed.

This module holds the rules that decide this, each in one place:

- :func:`resolve` (at build time): a row without a reeks takes its bron as reeks; where two editions of a
  reeks give a number for the same key and year, the newest edition (the later ``datum`` in
  ``bronnen.csv``) wins and the older row is kept, marked ``vervangen_door`` (a revision when the values
  differ, shown in the tables with a note).
- :data:`KEY`: one series is one (indicator, regio, groep, reeks).
- :func:`choose`: for one indicator, region and group with several reeksen, the one that counts: the reeks
  with the newest year; on a tie the one with the most years, then a primary source over a secondary one,
  then the code. Trends, changes, key figures, key messages and the monitor all use this reeks.
- :func:`chain`: the reeksen a reeks continues (via ``vervolg_van``), for drawing both sides of a break.
- :func:`latest`: the newest value per region (or group) of its chosen reeks, for comparisons in which a
  figure and its sentence must use the same year per region.
"""

from __future__ import annotations

import re

import pandas as pd

KEY = ["indicator", "regio", "groep", "reeks"]
"""One series: an indicator for one region and group in one reeks."""
GROUP_KEY = ["indicator", "regio", "groep"]
"""What a reader calls 'the' series: several reeksen may serve it; :func:`choose` picks one."""
GRADE_ORDER = {"primair": 0, "secundair": 1, "schatting": 2, "niet_citeerbaar": 3}
SHORT_NAMES = {"Centraal Bureau voor de Statistiek": "CBS", "Sociaal en Cultureel Planbureau": "SCP"}
"""Producers readers know by their abbreviation; 'CBS (via Centraal Bureau voor de Statistiek)' says nothing."""


def short_name(name: str) -> str:
    """'Centraal Bureau voor de Statistiek (CBS)' -> 'CBS'; '... (open data van derden)' -> 'CBS, open data van
    derden'; other names as they are."""
    for long, short in SHORT_NAMES.items():
        if name.startswith(long):
            rest = name[len(long):].strip()
            rest = "" if rest in (f"({short})", "") else rest.strip("()")
            return f"{short}, {rest}" if rest else short
    return name


def effective_grade(grade: str, bron_producer: str, reeks_producer: str) -> str:
    """The grade of a number: a publication graded primary for its own numbers is secondary for a number it
    quotes (the reeks has another producer than the publication)."""
    if grade == "primair" and reeks_producer and short_name(reeks_producer) != short_name(bron_producer):
        return "secundair"
    return grade


def _source_order(bronnen: pd.DataFrame, reeksen: pd.DataFrame | None) -> dict[tuple[str, str], int]:
    """(bron, reeks) -> the rank of its effective grade (primary first)."""
    producers = {} if reeksen is None else dict(zip(reeksen["reeks"], reeksen["producent"]))
    sources = {b: (g, p) for b, g, p in zip(bronnen["bron"], bronnen["soort"], bronnen["producent"])}

    def order(bron: str, reeks: str) -> int:
        grade, producer = sources.get(bron, ("secundair", ""))
        return GRADE_ORDER.get(effective_grade(grade, producer, producers.get(reeks, "")), len(GRADE_ORDER))
    return order

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?$")


def edition_order(datum: str) -> tuple[int, int, int] | None:
    """A sortable form of a ``bronnen.csv`` date ('2019', '2019-02', '2019-02-14'); None when absent."""
    match = _DATE.match(str(datum or "").strip())
    if not match:
        return None
    return tuple(int(part) if part else 0 for part in match.groups())


def resolve(obs: pd.DataFrame, bronnen: pd.DataFrame, reeksen: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fill ``reeks`` (the bron when empty) and mark rows replaced by another publication of the same number.

    Adds ``vervangen_door``: empty for the row that counts, otherwise the bron code of the row that counts
    for the same indicator, regio, groep, jaar and reeks. The producer's own publication wins over a quote of
    it, whatever the dates (the effective grade: :func:`effective_grade`); between publications of the same
    grade the newer edition wins (``datum`` in ``bronnen.csv``). Rows with equal grades and edition dates and
    different values must have been refused by validation (:func:`conflicting_editions`).
    """
    obs = obs.copy(deep=False)  # pandas copies on write: the caller's frame stays as it was
    reeks = obs["reeks"]
    blank = reeks.map({value: str(value).strip() == "" for value in reeks.unique()}).astype(bool)
    obs["reeks"] = reeks.where(~blank, obs["bron"])
    obs["vervangen_door"] = ""
    key = [*KEY, "jaar"]
    shared = obs[obs.duplicated(key, keep=False)]
    if shared.empty:
        return obs
    order = {b: edition_order(d) or (0, 0, 0) for b, d in zip(bronnen["bron"], bronnen.get("datum", ""))}
    grade = _source_order(bronnen, reeksen)
    shared = shared.assign(_editie=shared["bron"].map(lambda b: order.get(b, (0, 0, 0))),
                           _soort=[grade(b, r) for b, r in zip(shared["bron"], shared["reeks"])])
    for _, rows in shared.groupby(key, sort=False):
        ranked = rows.sort_values(["_soort", "_editie", "bron"], ascending=[True, False, True])
        counts = ranked.iloc[0]["bron"]
        obs.loc[ranked.index[1:], "vervangen_door"] = counts
    return obs


def with_reeks(obs: pd.DataFrame) -> pd.DataFrame:
    """``obs`` with ``reeks`` filled (the bron where empty or absent), for frames that did not pass :func:`resolve`."""
    if "reeks" not in obs.columns:
        return obs.assign(reeks=obs["bron"])
    empty = obs["reeks"].isna() | (obs["reeks"].astype(str).str.strip() == "")
    return obs.assign(reeks=obs["reeks"].where(~empty, obs["bron"])) if empty.any() else obs


def conflicting_editions(obs: pd.DataFrame, bronnen: pd.DataFrame,
                         reeksen: pd.DataFrame | None = None) -> list[tuple[pd.Series, pd.Series]]:
    """Pairs of rows (same key, year and reeks) whose values differ while nothing orders them.

    Two rows are ordered when their effective grades differ (the producer's own publication first) or when both
    have a date in ``bronnen.csv`` and the dates differ.
    """
    order = {b: edition_order(d) for b, d in zip(bronnen["bron"], bronnen.get("datum", ""))}
    grade = _source_order(bronnen, reeksen)
    reeks = obs["reeks"].where(obs["reeks"].astype(str).str.strip() != "", obs["bron"])
    key = [*GROUP_KEY, "_reeks", "jaar"]
    shared = obs[[*GROUP_KEY, "jaar"]].assign(_reeks=reeks).duplicated(key, keep=False)
    frame = obs[shared].assign(_reeks=reeks[shared])
    pairs = []
    for _, rows in frame.groupby(key, sort=True):
        rows = rows.to_dict("records")
        for i, first in enumerate(rows):
            for second in rows[i + 1:]:
                same_value = str(first["waarde"]).strip() == str(second["waarde"]).strip()
                a, b = order.get(first["bron"]), order.get(second["bron"])
                graded = grade(first["bron"], first["_reeks"]) != grade(second["bron"], second["_reeks"])
                if not same_value and not graded and (a is None or b is None or a == b):
                    pairs.append((pd.Series(first), pd.Series(second)))
    return pairs


def active(obs: pd.DataFrame) -> pd.DataFrame:
    """The rows that count: not replaced by a newer edition of their reeks."""
    if "vervangen_door" not in obs.columns:
        return obs
    counts = obs["vervangen_door"].to_numpy(dtype=object, na_value="") == ""
    return obs if counts.all() else obs[counts]  # most series have no replaced row: no copy then


def revisions(obs: pd.DataFrame) -> pd.DataFrame:
    """Rows replaced by a newer edition with a *different* value, next to the value that replaced them.

    Columns: the series key, jaar, ``waarde`` (old), ``bron`` (old), ``nieuwe_waarde``, ``nieuwe_bron``.
    """
    replaced = obs[obs.get("vervangen_door", pd.Series("", index=obs.index)).fillna("") != ""]
    if replaced.empty:
        return pd.DataFrame(columns=[*KEY, "jaar", "waarde", "bron", "nieuwe_waarde", "nieuwe_bron"])
    current = active(obs)[[*KEY, "jaar", "waarde", "bron"]].rename(
        columns={"waarde": "nieuwe_waarde", "bron": "nieuwe_bron"})
    merged = replaced[[*KEY, "jaar", "waarde", "bron"]].merge(current, on=[*KEY, "jaar"], how="inner")
    return merged[merged["waarde"] != merged["nieuwe_waarde"]].reset_index(drop=True)


def rank(rows: pd.DataFrame, grades: dict[str, str] | None = None) -> list[str]:
    """The reeksen of ``rows`` (one indicator, region, group) from the one that counts to the last.

    Order: the newest year first, then more years, then the best grade of source, then the name. (Plain
    Python over the few rows of one series: a pandas group-by costs milliseconds a call, and this is called
    for every series of every figure. Rows without a reeks are left out, as a group-by leaves them out.)
    """
    return _rank_active(active(rows), grades)


def _rank_active(rows: pd.DataFrame, grades: dict[str, str] | None) -> list[str]:
    """:func:`rank` of rows that are all active."""
    if rows.empty:
        return []
    if grades is None:
        ranks = [0] * len(rows)
    else:
        ranks = [GRADE_ORDER.get(grades.get(b, ""), len(GRADE_ORDER)) for b in rows["bron"].tolist()]
    stats: dict[str, list] = {}  # reeks -> [years, best grade]
    for reeks, jaar, grade in zip(rows["reeks"].tolist(), rows["jaar"].tolist(), ranks):
        if pd.isna(reeks):
            continue
        entry = stats.setdefault(reeks, [set(), grade])
        if not pd.isna(jaar):
            entry[0].add(jaar)
        entry[1] = min(entry[1], grade)

    def order(reeks: str) -> tuple:
        years, grade = stats[reeks]
        newest = max(years) if years else None
        return (newest is None, -(newest or 0), -len(years), grade, reeks)

    return sorted(stats, key=order)


def choose(rows: pd.DataFrame, grades: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows of the reeks that counts for one indicator, region and group, one per year, by year.

    ``grades`` maps bron codes to their ``soort`` in ``bronnen.csv`` (primair before secundair before
    schatting); without it the grade does not break ties. Replaced rows never count.
    """
    chosen = active(rows)
    ranking = _rank_active(chosen, grades)
    if not ranking:
        return rows.iloc[0:0]
    return chosen[chosen["reeks"] == ranking[0]].sort_values("jaar")


def choose_each(rows: pd.DataFrame, per: str, grades: dict[str, str] | None = None) -> pd.DataFrame:
    """:func:`choose` for every value of ``per`` (``regio`` or ``groep``) in ``rows``, concatenated."""
    parts = [choose(part, grades) for _, part in rows.groupby(per, sort=False)]
    return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]


def chain(reeks: str, reeksen: pd.DataFrame) -> list[str]:
    """``reeks`` and the reeksen it continues, oldest first: ['oud', 'nieuw'] for nieuw.vervolg_van = oud.

    Validation guarantees that ``vervolg_van`` names known reeksen without cycles.
    """
    previous = dict(zip(reeksen["reeks"], reeksen.get("vervolg_van", pd.Series("", index=reeksen.index))))
    found = [reeks]
    while (before := str(previous.get(found[-1], "") or "").strip()) and before not in found:
        found.append(before)
    return found[::-1]


def with_predecessors(rows: pd.DataFrame, chosen: pd.DataFrame, reeksen: pd.DataFrame) -> pd.DataFrame:
    """The chosen series plus the rows of the reeksen it continues after a definition break (for drawing).

    Years the chosen reeks itself covers are not repeated from its predecessors.
    """
    if chosen.empty:
        return chosen
    order = chain(str(chosen["reeks"].iloc[0]), reeksen)
    if len(order) == 1:
        return chosen
    older = active(rows)
    older = older[older["reeks"].isin(order[:-1]) & ~older["jaar"].isin(chosen["jaar"])]
    return pd.concat([older, chosen]).sort_values("jaar")


def breaks(reeks: str, reeksen: pd.DataFrame) -> list[str]:
    """The reeksen before ``reeks`` across a definition break (empty when there was none)."""
    return chain(reeks, reeksen)[:-1]


def latest(rows: pd.DataFrame, per: str, grades: dict[str, str] | None = None) -> pd.DataFrame:
    """Per value of ``per``: the newest row of its chosen reeks (one row each, ordered as in ``rows``)."""
    chosen = choose_each(rows, per, grades)
    if chosen.empty:
        return chosen
    newest = chosen.sort_values("jaar").groupby(per, sort=False).tail(1)
    order = list(pd.unique(rows[per]))
    return newest.assign(_o=newest[per].map(order.index)).sort_values("_o").drop(columns="_o")


def citable(obs: pd.DataFrame, bronnen: pd.DataFrame, publisher_of_region: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rows a report about a region may publish, the rows it may not).

    Never published: a number whose only source cannot be cited (``soort`` niet_citeerbaar: a copy site, a
    document-sharing site, a blog, another municipality's budget quoting national figures). Not published in
    the reports of another municipality: what a municipality's own publication (``uitgever_gemeente``) says about
    other regions (a quote of national or neighbouring figures is that municipality's to cite, not another's);
    its numbers about itself stay. ``publisher_of_region``: the CBS code of the report's municipality.
    """
    grades = dict(zip(bronnen["bron"], bronnen["soort"]))
    publisher = dict(zip(bronnen["bron"], bronnen.get("uitgever_gemeente", pd.Series("", index=bronnen.index))))
    codes = obs["regio_code"] if "regio_code" in obs.columns else pd.Series("", index=obs.index)
    by_bron = obs["bron"]
    uncitable = by_bron.map(lambda b: grades.get(b) == "niet_citeerbaar").astype(bool)
    own_publisher = by_bron.map(lambda b: publisher.get(b, "") or "")
    quoted = (own_publisher != "") & (own_publisher != publisher_of_region) & (own_publisher != codes)
    out = uncitable | quoted
    if not out.any():
        return obs, obs.iloc[0:0]
    return obs[~out], obs[out]
