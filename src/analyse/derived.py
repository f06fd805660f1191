"""Derived figures: a count for a group that is the sum of its parts, and a share or rate from two counts.

A group with ``som_van`` in ``groepen.csv`` (e.g. ``migratieachtergrond`` = ``westers+niet_westers``) gets a
count where a publication gives the counts of all its parts for the same indicator, region, year and reeks
but not the whole (CBS's wijk and buurt figures give westers and niet-westers, not their sum). Only counts
(unit ``aantal``) are summed.

An indicator with ``afgeleid_teller`` and ``afgeleid_noemer`` is teller / noemer times the factor of its
unit (100 for ``procent``, 1.000 for ``per_1000``, ...), for every region, group and year where both counts
exist. ``afgeleid_noemer_groep`` is the group of the denominator (empty: the numerator's own group; e.g.
``totaal`` for the share of an origin group in the whole population).

Which denominator: the one in the numerator's reeks if there is one, else the one from the numerator's
bron, else the one that :func:`analyse.series.choose` would pick. The derived number belongs to the
numerator's reeks and bron; where that reeks already has a published number for the year, the published
number stays and gains the teller and noemer (when they reproduce it at its published decimals), so the
binomial and Poisson models run on real counts. Nothing else is filled in: a year without both counts has
no derived number.
"""

from __future__ import annotations

import pandas as pd

from analyse import series
from analyse.text.notation import format_number, published_decimals, round_as_shown

FACTORS = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}


def definitions(indicatoren: pd.DataFrame) -> list[dict]:
    """The derived indicators: indicator, unit, numerator, denominator and denominator group."""
    if "afgeleid_teller" not in indicatoren.columns:
        return []
    rows = indicatoren[indicatoren["afgeleid_teller"].fillna("").str.strip() != ""]
    return [{"indicator": r["indicator"], "eenheid": r["eenheid"], "thema": r["thema"], "label": r["label"],
             "teller": r["afgeleid_teller"].strip(), "noemer": str(r.get("afgeleid_noemer", "")).strip(),
             "noemer_groep": str(r.get("afgeleid_noemer_groep", "") or "").strip()}
            for _, r in rows.iterrows()]


def _denominator(candidates: list[dict], numerator: dict, grades: dict[str, str]) -> dict | None:
    """The denominator row for ``numerator`` among ``candidates`` (rows of one region, group and year)."""
    if not candidates:
        return None
    for column in ("reeks", "bron"):
        for candidate in candidates:
            if candidate[column] == numerator[column]:
                return candidate
    if len(candidates) == 1:
        return candidates[0]
    chosen = series.choose(pd.DataFrame(candidates), grades)
    return chosen.iloc[-1].to_dict() if not chosen.empty else None


def _reproduces(published: float, computed: float) -> bool:
    decimals = published_decimals(published) or 0
    return abs(round_as_shown(computed, decimals) - published) <= 0.5 * 10 ** -decimals + 1e-9


def compositions(groepen: pd.DataFrame) -> dict[str, list[str]]:
    """Group -> the groups it is the sum of (``som_van``, parts joined by '+'); only groups that declare one."""
    if "som_van" not in groepen.columns:
        return {}
    return {row["groep"]: [part.strip() for part in row["som_van"].split("+")]
            for _, row in groepen.iterrows() if str(row["som_van"]).strip()}


def _status(statuses) -> str:
    statuses = set(statuses)
    return "schatting" if "schatting" in statuses else ("voorlopig" if "voorlopig" in statuses else "")


def sums(obs: pd.DataFrame, groepen: pd.DataFrame) -> list[dict]:
    """Rows for a group's count that a publication gives only as its parts (see the module docstring)."""
    parts_of = compositions(groepen)
    if not parts_of:
        return []
    labels = dict(zip(groepen["groep"], groepen["label"]))
    live = series.active(obs)
    counts = live[live["eenheid"] == "aantal"]
    key = ["indicator", "regio", "jaar", "reeks", "bron"]
    new_rows = []
    for whole, parts in parts_of.items():
        present = counts[counts["groep"] == whole].set_index(["indicator", "regio", "jaar", "reeks"]).index
        candidates = counts[counts["groep"].isin(parts)]
        for values, rows in candidates.groupby(key, sort=True):
            if sorted(rows["groep"]) != sorted(parts) or values[:4] in present:
                continue
            ordered = rows.set_index("groep").loc[parts]
            how = " + ".join(f"{format_number(v)} ({labels.get(g, g)})" for g, v in ordered["waarde"].items())
            first = rows.iloc[0]
            new_rows.append({
                **{column: "" for column in obs.columns},
                **{column: first[column] for column in ("indicator", "thema", "label", "regio", "jaar", "periode",
                                                       "eenheid", "reeks", "bron", "vindplaats", "bestand", "rij")
                   if column in obs.columns},
                "groep": whole, "waarde": float(ordered["waarde"].sum()),
                "teller": float("nan"), "noemer": float("nan"), "ondergrens": float("nan"),
                "bovengrens": float("nan"), "n": float("nan"), "status": _status(rows["status"]),
                "vervangen_door": "", "afgeleid": True, "noemer_bron": "", "noemer_reeks": "",
                "opmerking": f"Berekend als som: {how}.",
                **({"regio_code": first["regio_code"]} if "regio_code" in obs.columns else {}),
            })
    return new_rows


def _positions(frame: pd.DataFrame, key: list[str]) -> dict[tuple, list]:
    """Key values -> the index labels of ``frame`` with those values, in the frame's order. A key with a
    missing value is left out, as an equality test leaves it out."""
    return {values: list(labels) for values, labels in frame.groupby(key, sort=False).groups.items()}


def derive(obs: pd.DataFrame, indicatoren: pd.DataFrame, grades: dict[str, str],
           groepen: pd.DataFrame | None = None) -> pd.DataFrame:
    """``obs`` (resolved, see :func:`analyse.series.resolve`) plus derived rows; published rows gain counts.

    First the sums of groups (``groepen``), then the shares and rates, so a summed count gets its share.
    Derived rows have ``afgeleid`` True, ``noemer_bron``/``noemer_reeks`` those of the denominator and a Dutch
    ``opmerking`` saying how they were computed.
    """
    obs = obs.copy(deep=False)  # pandas copies on write: the caller's frame stays as it was
    obs["afgeleid"] = False
    obs["noemer_bron"] = ""
    obs["noemer_reeks"] = ""
    if groepen is not None:
        summed = sums(obs, groepen)
        if summed:
            obs = pd.concat([obs, pd.DataFrame(summed, columns=obs.columns)], ignore_index=True)
    live = series.active(obs).copy()  # as it is now: published rows below gain counts in obs, not here
    # the rows of one indicator, region, group, year (and reeks), looked up instead of searched for per row
    published_at = _positions(obs, ["indicator", "regio", "groep", "jaar", "reeks"])
    new_rows = []
    used = [c for c in ("regio", "groep", "jaar", "reeks", "bron", "waarde", "status", "periode", "vindplaats",
                        "bestand", "rij", "regio_code") if c in live.columns]  # plain records of these: fast
    for spec in definitions(indicatoren):
        factor = FACTORS[spec["eenheid"]]
        numerators = live.loc[live["indicator"] == spec["teller"], used].to_dict("records")
        denominators_at: dict[tuple, list[dict]] = {}  # (regio, groep, jaar) -> rows, in table order
        for den in live.loc[live["indicator"] == spec["noemer"], used].to_dict("records"):
            denominators_at.setdefault((den["regio"], den["groep"], den["jaar"]), []).append(den)
        for num in numerators:
            group = spec["noemer_groep"] or num["groep"]
            den = _denominator(denominators_at.get((num["regio"], group, num["jaar"]), []), num, grades)
            if den is None or not den["waarde"] > 0:
                continue
            value = num["waarde"] / den["waarde"] * factor
            key = (spec["indicator"], num["regio"], num["groep"], num["jaar"], num["reeks"])
            how = (f"{format_number(num['waarde'])} / {format_number(den['waarde'])} × {format_number(factor)}"
                   f" (teller uit {num['bron']}, noemer uit {den['bron']})")
            if key in published_at:
                for index in published_at[key]:
                    row = obs.loc[index]
                    if pd.isna(row["teller"]) and pd.isna(row["noemer"]) and _reproduces(row["waarde"], value):
                        obs.loc[index, ["teller", "noemer"]] = [num["waarde"], den["waarde"]]
                        obs.loc[index, ["noemer_bron", "noemer_reeks"]] = [den["bron"], den["reeks"]]
                        note = f"Teller en noemer: {how}."
                        obs.loc[index, "opmerking"] = " ".join(p for p in (row["opmerking"], note) if p)
                continue
            status = _status((num["status"], den["status"]))
            new_rows.append({
                **{column: "" for column in obs.columns},
                "indicator": spec["indicator"], "thema": spec["thema"], "label": spec["label"],
                "regio": num["regio"], "groep": num["groep"], "jaar": num["jaar"], "periode": num["periode"],
                "waarde": value, "eenheid": spec["eenheid"], "teller": num["waarde"], "noemer": den["waarde"],
                "ondergrens": float("nan"), "bovengrens": float("nan"), "n": float("nan"),
                "status": status, "reeks": num["reeks"], "bron": num["bron"], "vervangen_door": "",
                "afgeleid": True, "noemer_bron": den["bron"], "noemer_reeks": den["reeks"], "vindplaats": num["vindplaats"],
                "opmerking": f"Berekend: {how}.", "bestand": num["bestand"], "rij": num["rij"],
                **({"regio_code": num["regio_code"]} if "regio_code" in obs.columns else {}),
            })
    if new_rows:
        obs = pd.concat([obs, pd.DataFrame(new_rows, columns=obs.columns)], ignore_index=True)
    return obs
