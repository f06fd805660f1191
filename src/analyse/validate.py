"""The checks of the data contract (``docs/datacontract.md``) on the catalogues and the observations.

Every check appends a :class:`analyse.data.Problem` naming file, row, column, value and what was expected;
nothing is raised here, so one run of ``analyse validate`` lists every problem at once.
"""

from __future__ import annotations

import pandas as pd

from analyse import series
from analyse.indicators import number
from analyse.schema import (CALCULATIONS, CATALOGUES, CLAIM_UNITS, COUNT_LIKE_UNITS, DIRECTIONS, GRADES,
                            INDELINGEN, PERSON_FLAGS, STATUSES, TARGET_TYPES, THEMES, UNITS, Problem)

DERIVED_UNITS = ("procent", "per_100", "per_1000", "per_10000")


def _problem(problems: list[Problem], row, column: str, expected: str, value=None) -> None:
    shown = row.get(column, "") if value is None else value
    problems.append(Problem(row["_bestand"], row["_rij"], column, shown, expected))


def catalogue(name: str, frame: pd.DataFrame, key: str, problems: list[Problem]) -> None:
    """Required fields filled and the key unique."""
    for column in CATALOGUES[name]:
        if column in ("code", "decimalen", "vervolg_van"):  # optional by meaning: see their own checks
            continue
        for _, row in frame[frame[column] == ""].iterrows():
            _problem(problems, row, column, "verplicht veld is leeg.")
    for _, row in frame[frame.duplicated(key, keep="first")].iterrows():
        _problem(problems, row, key, f"'{key}' komt meer dan één keer voor.")


def indicators(ind: pd.DataFrame, problems: list[Problem]) -> None:
    known = set(ind["indicator"])
    units = dict(zip(ind["indicator"], ind["eenheid"]))
    for _, row in ind.iterrows():
        for column, allowed in (("eenheid", UNITS), ("richting", DIRECTIONS), ("thema", THEMES)):
            if row[column] not in allowed:
                _problem(problems, row, column, f"verwacht een van: {', '.join(allowed)}.")
        doel_type = row.get("doel_type", "")
        if doel_type and doel_type not in TARGET_TYPES:
            _problem(problems, row, "doel_type", f"verwacht leeg of een van: {', '.join(TARGET_TYPES)}.")
        for column in ("doel_waarde", "basis_waarde"):
            if row.get(column, "") and number(row[column]) is None:
                _problem(problems, row, column, "verwacht een getal.")
        margin = row.get("doel_marge", "")
        if margin and (number(margin) is None or number(margin) < 0):
            _problem(problems, row, "doel_marge", "verwacht leeg of een getal van 0 of meer (in de eenheid van de indicator).")
        persons = row.get("personen", "")
        if persons not in PERSON_FLAGS:
            _problem(problems, row, "personen", "verwacht leeg, 'ja' of 'nee'.")
        for column in ("doel_jaar", "basis_jaar"):
            if row.get(column, "") and not row[column].isdigit():
                _problem(problems, row, column, "verwacht een jaartal.")
        if doel_type == "niveau" and not (row.get("doel_waarde") and row.get("doel_jaar")):
            _problem(problems, row, "doel_waarde", "een doel van het type 'niveau' heeft een doel_waarde en een doel_jaar.")
        teller, noemer = row.get("afgeleid_teller", ""), row.get("afgeleid_noemer", "")
        if teller or noemer:
            if row["eenheid"] not in DERIVED_UNITS:
                _problem(problems, row, "eenheid", "een afgeleide indicator is een aandeel of cijfer per 100/1.000/"
                                                   f"10.000: eenheid een van {', '.join(DERIVED_UNITS)}.")
            for column, code in (("afgeleid_teller", teller), ("afgeleid_noemer", noemer)):
                if not code:
                    _problem(problems, row, column, "een afgeleide indicator noemt zowel afgeleid_teller als afgeleid_noemer.")
                elif code not in known:
                    _problem(problems, row, column, "onbekende indicator; zie indicatoren.csv.")
                elif units[code] != "aantal":
                    _problem(problems, row, column, f"teller en noemer zijn aantallen; '{code}' heeft eenheid '{units[code]}'.")


def sources(bronnen: pd.DataFrame, problems: list[Problem]) -> None:
    for _, row in bronnen.iterrows():
        if row["soort"] not in GRADES:
            _problem(problems, row, "soort", f"verwacht een van: {', '.join(GRADES)}.")
        if row.get("datum", "") and series.edition_order(row["datum"]) is None:
            _problem(problems, row, "datum", "verwacht een datum als JJJJ, JJJJ-MM of JJJJ-MM-DD.")


def reeksen(frame: pd.DataFrame, problems: list[Problem]) -> None:
    known = set(frame["reeks"])
    previous = dict(zip(frame["reeks"], frame["vervolg_van"]))
    for _, row in frame.iterrows():
        before = row["vervolg_van"]
        if before and before not in known:
            _problem(problems, row, "vervolg_van", "onbekende reeks; verwacht leeg of een code uit reeksen.csv.")
        seen, current = {row["reeks"]}, before
        while current and current in previous:
            if current in seen:
                _problem(problems, row, "vervolg_van", "de reeksen volgen elkaar in een kring op.")
                break
            seen.add(current)
            current = previous[current]


def groups(frame: pd.DataFrame, problems: list[Problem]) -> None:
    if "indeling" not in frame.columns:
        return
    for _, row in frame.iterrows():
        if row["indeling"] and row["indeling"] not in INDELINGEN:
            _problem(problems, row, "indeling", f"verwacht leeg of een van: {', '.join(INDELINGEN)}.")


def regions(frame: pd.DataFrame, problems: list[Problem]) -> None:
    known = set(frame["regio"])
    for _, row in frame.iterrows():
        if row.get("ligt_in", "") and row["ligt_in"] not in known:
            _problem(problems, row, "ligt_in", "onbekende regio; verwacht leeg of een naam uit regios.csv.")


def observations(obs: pd.DataFrame, cat: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Row checks, then duplicate keys, editions that cannot be ordered, and classifications per reeks."""
    ind = cat["indicatoren.csv"]
    units = dict(zip(ind["indicator"], ind["eenheid"]))
    known = {"regio": set(cat["regios.csv"]["regio"]), "groep": set(cat["groepen.csv"]["groep"]),
             "bron": set(cat["bronnen.csv"]["bron"]), "reeks": set(cat["reeksen.csv"]["reeks"])}
    catalogue_file = {"regio": "regios.csv", "groep": "groepen.csv", "bron": "bronnen.csv", "reeks": "reeksen.csv"}
    for row in obs.to_dict("records"):
        if row["indicator"] not in units:
            _problem(problems, row, "indicator", "onbekende indicator; voeg hem toe aan indicatoren.csv of corrigeer de code.")
        if row["eenheid"] not in UNITS:
            _problem(problems, row, "eenheid", f"onbekende eenheid; verwacht een van: {', '.join(UNITS)}.")
        elif row["indicator"] in units and row["eenheid"] != units[row["indicator"]]:
            _problem(problems, row, "eenheid", f"indicator '{row['indicator']}' heeft eenheid '{units[row['indicator']]}' "
                                               "in indicatoren.csv.")
        for column in ("regio", "groep", "bron", "reeks"):
            if (row[column] or column != "reeks") and row[column] not in known[column]:
                _problem(problems, row, column, f"onbekende {column}; bekend zijn de waarden in {catalogue_file[column]}.")
        if not row["jaar"].isdigit() or not 1900 <= int(row["jaar"]) <= 2100:
            _problem(problems, row, "jaar", "verwacht een jaartal als geheel getal (bijv. 2018); het precieze label "
                                            "hoort in 'periode'.")
        if row["status"] and row["status"] not in STATUSES:
            _problem(problems, row, "status", f"verwacht leeg of een van: {', '.join(STATUSES)}.")
        value = number(row["waarde"])
        if value is None:
            hint = " Gebruik een punt als decimaalteken (3.6, niet 3,6)." if "," in row["waarde"] else ""
            _problem(problems, row, "waarde", "verwacht een getal (eindig, bijv. 3.6)." + hint)
        elif row["eenheid"] == "procent" and not 0 <= value <= 100:
            _problem(problems, row, "waarde", "een percentage ligt tussen 0 en 100.")
        elif row["eenheid"] in COUNT_LIKE_UNITS and value < 0:
            _problem(problems, row, "waarde", f"een waarde in '{row['eenheid']}' kan niet negatief zijn.")
        parts = {}
        for column in ("teller", "noemer", "ondergrens", "bovengrens", "n"):
            text = row.get(column, "")
            if text:
                parts[column] = number(text)
                if parts[column] is None:
                    _problem(problems, row, column, "verwacht een getal of een leeg veld.")
                elif parts[column] < 0 and column in ("teller", "noemer", "n"):
                    _problem(problems, row, column, "kan niet negatief zijn.")
        if parts.get("teller") is not None and parts.get("noemer") is not None and parts["teller"] > parts["noemer"]:
            _problem(problems, row, "teller", f"de teller is groter dan de noemer ({row['noemer']}).")
        low, high = parts.get("ondergrens"), parts.get("bovengrens")
        if ("ondergrens" in parts) != ("bovengrens" in parts):
            _problem(problems, row, "ondergrens" if "bovengrens" in parts else "bovengrens",
                     "een interval heeft zowel een ondergrens als een bovengrens.")
        elif low is not None and high is not None and value is not None and not low <= value <= high:
            _problem(problems, row, "ondergrens", f"het interval ({row['ondergrens']} tot {row['bovengrens']}) moet de "
                                                  f"waarde {row['waarde']} bevatten.")
    duplicates(obs, problems)
    editions(obs, cat["bronnen.csv"], problems)
    classifications(obs, cat["groepen.csv"], problems)


def duplicates(obs: pd.DataFrame, problems: list[Problem]) -> None:
    """One publication gives one number per key and year, unless its rows name different reeksen explicitly
    (a publication giving both the old and the new definition)."""
    key = ["indicator", "regio", "groep", "jaar", "bron"]
    for _, group in obs[obs.duplicated(key, keep=False)].groupby(key, sort=True):
        reeksen = list(group["reeks"])
        if all(reeksen) and len(set(reeksen)) == len(reeksen):
            continue
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            same = row["waarde"] == first["waarde"]
            what = "dezelfde waarde (dubbele rij)" if same else f"een andere waarde ({first['waarde']})"
            _problem(problems, row, "waarde",
                     f"dezelfde indicator, regio, groep, jaar en bron staat al in {first['_bestand']} rij "
                     f"{first['_rij']} met {what}. Houd één rij; een cijfer met een andere definitie krijgt een "
                     "eigen reeks (zie reeksen.csv) en beide rijen noemen hun reeks.")


def editions(obs: pd.DataFrame, bronnen: pd.DataFrame, problems: list[Problem]) -> None:
    """Two editions of one reeks that disagree on a year must be ordered by their dates."""
    for first, second in series.conflicting_editions(obs, bronnen):
        if first["bron"] == second["bron"]:
            continue  # same bron, same reeks: reported by duplicates()
        _problem(problems, second, "waarde",
                 f"reeks '{second['reeks'] or second['bron']}' heeft voor dit jaar ook {first['waarde']} in "
                 f"{first['_bestand']} rij {first['_rij']} (bron {first['bron']}); welke editie de nieuwste is, "
                 "staat niet vast. Geef beide bronnen een verschillende datum in bronnen.csv, of geef een "
                 "cijfer met een andere definitie een eigen reeks.")


def classifications(obs: pd.DataFrame, groepen: pd.DataFrame, problems: list[Problem]) -> None:
    """A reeks never mixes groups of the two CBS origin classifications."""
    if "indeling" not in groepen.columns:
        return
    indeling = dict(zip(groepen["groep"], groepen["indeling"]))
    frame = obs.assign(_reeks=obs["reeks"].where(obs["reeks"] != "", obs["bron"]),
                       _indeling=obs["groep"].map(indeling).fillna(""))
    for reeks, rows in frame[frame["_indeling"] != ""].groupby("_reeks"):
        found = sorted(set(rows["_indeling"]))
        if len(found) > 1:
            row = rows[rows["_indeling"] == found[-1]].iloc[0]
            _problem(problems, row, "groep", f"reeks '{reeks}' bevat groepen uit twee herkomstindelingen "
                                             f"({', '.join(found)}); geef elke indeling een eigen reeks.")


def claims(claims_frame: pd.DataFrame, cat: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    known = set(cat["indicatoren.csv"]["indicator"])
    for _, row in claims_frame.iterrows():
        if row["berekening"] not in CALCULATIONS:
            _problem(problems, row, "berekening", f"verwacht een van: {', '.join(CALCULATIONS)}.")
        if row["thema"] not in THEMES:
            _problem(problems, row, "thema", f"verwacht een van: {', '.join(THEMES)}.")
        for column in ("indicator", "noemer_indicator"):
            if row.get(column, "") and row[column] not in known:
                _problem(problems, row, column, "onbekende indicator; zie indicatoren.csv.")
        claimed = row.get("tekst_eenheid", "")
        if claimed and claimed not in CLAIM_UNITS:
            _problem(problems, row, "tekst_eenheid", f"verwacht leeg of een van: {', '.join(CLAIM_UNITS)}.")
        span = row.get("tekst_jaren", "")
        if span and not (str(span).isdigit() and row.get("jaar", "") and row.get("jaar_tot", "")):
            _problem(problems, row, "tekst_jaren", "verwacht een aantal jaren (geheel getal), met jaar en jaar_tot ingevuld.")
        if not str(row["decimalen"]).isdigit() and row["berekening"] not in ("richting", "hoogste", "laagste"):
            _problem(problems, row, "decimalen", "verwacht het aantal decimalen (0, 1, 2) waarop het document afrondde.")
