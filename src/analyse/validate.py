"""The checks of the data contract (``docs/datacontract.md``) on the catalogues and the observations.

Every check appends a :class:`analyse.data.Problem` naming file, row, column, value and what was expected;
nothing is raised here, so one run of ``analyse validate`` lists every problem at once.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from analyse import lookalike, series
from analyse.schema import (CALCULATIONS, CATALOGUES, CLAIM_UNITS, COUNT_RANGE, DIRECTIONS, GRADES, ORIGIN_CLASSIFICATIONS,
                            INDICATOR_THEMES, LARGEST, PERSON_FLAGS, SMALLEST, STATUSES, TARGET_TYPES, THEMES,
                            UNIT_RANGES, UNITS, Problem, number, visible)

DERIVED_UNITS = ("procent", "per_100", "per_1000", "per_10000")
PER = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}
"""What teller / noemer is multiplied by to give a value in each unit of a share or rate."""
SHARE_TOLERANCE = 0.05
"""A share or rate may differ this much (relatively) from its own teller / noemer, or by its rounding, whichever
is more: teller and noemer are sometimes rounded themselves or counted on a slightly different date."""
WORD_CALCULATIONS = ("richting", "hoogste", "laagste")
"""Claims whose expected value is a word, not a number."""
_WHOLE = re.compile(r"[0-9]+")
MAX_DECIMALS = 6
"""Most decimals a claim in ``beweringen.csv`` can be rounded to (the smallest number is 0,000001)."""
COUNT_COLUMNS = ("teller", "noemer", "n")
"""Optional columns that hold counts: whole numbers, not negative."""
MAX_PER_CHECK = 1000
"""Rows listed per check before the rest is counted in one line (memory stays bounded on a bad file)."""
JUMP = 10
"""Plausibility: a value more than this factor above or below the previous year of its series is named."""


def whole(value) -> int | None:
    """The whole number in ``value`` written with ASCII digits only ('2019'); None otherwise (also '2019²')."""
    text = "" if value is None else str(value).strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def per_value(values: pd.Series, function) -> pd.Series:
    """``function`` applied once to each distinct value of ``values`` (a column repeats most of its values)."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([function(value) for value in uniques] + [np.nan], dtype=float)
    return pd.Series(mapped[codes], index=values.index)  # code -1 (a missing value) takes the last entry: NaN


def numbers(values: pd.Series) -> pd.Series:
    """:func:`number` for a whole column at once: floats, NaN where there is no finite number."""
    return per_value(values, lambda value: number(value) if value else np.nan)


def group_codes(columns: list[pd.Series]) -> np.ndarray:
    """One integer per row, equal for rows that are equal in all ``columns`` (a fast key for grouping)."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for values in columns:
        codes, uniques = pd.factorize(values)
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes + 1)
    return combined


def number_hint(value: str) -> str:
    """Why ``value`` is not read as a number, when there is a likely reason."""
    text = str(value).strip()
    if "," in text:
        return " Gebruik een punt als decimaalteken (3.6, niet 3,6)."
    if any(c.isdigit() and not c.isascii() for c in text):
        return (" Het veld bevat een teken dat op een cijfer lijkt maar het niet is (zoals ² of ３); typ het getal "
                "opnieuw met gewone cijfers.")
    try:
        parsed = float(text)
    except ValueError:
        return ""
    if not math.isfinite(parsed):
        return (" 'inf', 'nan' en getallen buiten het bereik (zoals 1e309) zijn geen eindige getallen: vul het "
                "gepubliceerde getal in, of laat de rij weg als er geen getal is.")
    return " Schrijf het getal met gewone cijfers en een punt, zonder liggende streepjes of spaties."


def thousands_hint(value: str) -> str:
    """A hint when a count looks like it was written with a thousands separator ('34.148')."""
    text = str(value).strip()
    if re.fullmatch(r"[0-9]{1,3}(?:[.,][0-9]{3})+", text):
        return (f" Is {text} bedoeld als {re.sub('[.,]', '', text)}, met een scheidingsteken voor duizendtallen? "
                "Schrijf aantallen zonder scheidingsteken (in Excel: celnotatie 'Getal' zonder "
                "'scheidingsteken voor duizendtallen').")
    return ""


def bound_text(bound: float) -> str:
    """A bound in Dutch notation: 10.000.000.000, 0,000001, -1.000.000.000."""
    if bound == int(bound):
        return f"{int(bound):,}".replace(",", ".")
    return f"{bound:.6f}".rstrip("0").replace(".", ",")


def range_text(unit: str, value: float) -> str:
    """Why ``value`` lies outside the range of ``unit`` (:data:`~analyse.schema.UNIT_RANGES`)."""
    low, high = UNIT_RANGES[unit]
    if unit == "procent":
        return "een percentage ligt tussen 0 en 100."
    if low == 0 and value < 0:
        return f"een waarde in '{unit}' kan niet negatief zijn."
    return (f"een waarde in '{unit}' ligt tussen {bound_text(low)} en {bound_text(high)}; een getal daarbuiten kan "
            "geen indicator in deze eenheid hebben. Staat er een exponent (1e300), een verschoven decimaalteken of "
            "een andere eenheid?")


TOO_LARGE = (f"een getal ligt tussen -{bound_text(LARGEST)} en {bound_text(LARGEST)}; een getal daarbuiten kan "
             "geen indicator hebben. Staat er een exponent (1e300) of een verschoven decimaalteken?")
TOO_SMALL = (f"een getal anders dan 0 is ten minste {bound_text(SMALLEST)} (of -{bound_text(SMALLEST)}): zo'n "
             "klein getal publiceert geen bron. Staat er een exponent (1e-9) of een verschoven decimaalteken?")


def magnitude_problem(value: float, unit: str | None = None) -> str | None:
    """What is wrong with the size of ``value`` (in ``unit`` when it has a range), or None."""
    if unit in UNIT_RANGES:
        low, high = UNIT_RANGES[unit]
        if not low <= value <= high:
            return range_text(unit, value)
    elif abs(value) > LARGEST:
        return TOO_LARGE
    if value != 0 and abs(value) < SMALLEST:
        return TOO_SMALL
    return None


def rounding(values: pd.Series) -> pd.Series:
    """Half a unit of the last decimal written in each value ('36.0' -> 0.05, '37' -> 0.5)."""
    def half(text: str) -> float:
        decimals = len(text.split(".", 1)[1]) if "." in text and "e" not in text.lower() else 0
        return 0.5 * 10.0 ** -decimals
    return per_value(values, half)


def shown_number(value: float) -> str:
    """A computed share or rate in a message: two decimals, decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def year_problem(value: str, expected: str = "verwacht een jaartal als geheel getal (bijv. 2018); het precieze "
                                              "label hoort in 'periode'.") -> str | None:
    """What is wrong with a year, or None: ASCII digits, between 1900 and 2100."""
    year = whole(value)
    if year is not None and 1900 <= year <= 2100:
        return None
    if any(c.isdigit() and not c.isascii() for c in str(value)):
        expected += (" Het veld bevat een teken dat op een cijfer lijkt maar het niet is (zoals ² of ２); typ het "
                     "jaartal opnieuw met gewone cijfers.")
    return expected


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
        for column, allowed in (("eenheid", UNITS), ("richting", DIRECTIONS), ("thema", INDICATOR_THEMES)):
            if row[column] not in allowed:
                _problem(problems, row, column, f"verwacht een van: {', '.join(allowed)}.")
        doel_type = row.get("doel_type", "")
        if doel_type and doel_type not in TARGET_TYPES:
            _problem(problems, row, "doel_type", f"verwacht leeg of een van: {', '.join(TARGET_TYPES)}.")
        for column in ("doel_waarde", "basis_waarde"):
            if row.get(column, "") and number(row[column]) is None:
                _problem(problems, row, column, "verwacht een getal." + number_hint(row[column]))
            elif row.get(column, "") and (wrong := magnitude_problem(number(row[column]), row["eenheid"])):
                _problem(problems, row, column, wrong)
        margin = row.get("doel_marge", "")
        if margin and (number(margin) is None or number(margin) < 0):
            _problem(problems, row, "doel_marge", "verwacht leeg of een getal van 0 of meer (in de eenheid van de indicator).")
        elif margin and (wrong := magnitude_problem(number(margin))):
            _problem(problems, row, "doel_marge", wrong)
        decimals = row.get("decimalen", "")
        if decimals and decimals not in ("0", "1", "2", "3"):
            _problem(problems, row, "decimalen", "verwacht leeg of een heel getal van 0 tot en met 3 (het aantal "
                     "decimalen waarmee de indicator overal getoond wordt).")
        persons = row.get("personen", "")
        if persons not in PERSON_FLAGS:
            _problem(problems, row, "personen", "verwacht leeg, 'ja' of 'nee'.")
        for column in ("doel_jaar", "basis_jaar"):
            if row.get(column, "") and (wrong := year_problem(row[column], "verwacht een jaartal (bijv. 2021).")):
                _problem(problems, row, column, wrong)
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


def publishing_municipalities(bronnen: pd.DataFrame, regios: pd.DataFrame, problems: list[Problem]) -> None:
    """``uitgever_gemeente``: the CBS code of the municipality that publishes the bron; ``beleidsdocument`` 'ja'
    for the one policy document whose claims (beweringen.csv) and targets (indicatoren.csv) are checked."""
    municipal = set(regios.loc[regios["niveau"] == "gemeente", "code"])
    for _, row in bronnen[bronnen["uitgever_gemeente"] != ""].iterrows():
        if row["uitgever_gemeente"] not in municipal:
            _problem(problems, row, "uitgever_gemeente", "verwacht leeg of de CBS-code van een gemeente uit regios.csv.")
    for _, row in bronnen[~bronnen["beleidsdocument"].isin(["", "ja"])].iterrows():
        _problem(problems, row, "beleidsdocument", "verwacht leeg of 'ja'.")
    marked = bronnen[bronnen["beleidsdocument"] == "ja"]
    for _, row in marked[marked["uitgever_gemeente"] == ""].iterrows():
        _problem(problems, row, "uitgever_gemeente", "een beleidsdocument hoort bij een gemeente: vul haar CBS-code in.")
    for _, row in marked.iloc[1:].iterrows():
        _problem(problems, row, "beleidsdocument", "al een andere bron is het beleidsdocument waar beweringen.csv "
                 "en de doelen in indicatoren.csv bij horen; er kan er één zijn.")


def reeksen(frame: pd.DataFrame, problems: list[Problem]) -> None:
    """``vervolg_van`` names a known reeks without a cycle; ``tot_en_met`` is empty or a year."""
    for _, row in frame[frame["tot_en_met"] != ""].iterrows():
        if wrong := year_problem(row["tot_en_met"], "verwacht leeg of het laatste jaar van de reeks (bijv. 2019)."):
            _problem(problems, row, "tot_en_met", wrong)
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
    """``indeling`` is one of the two CBS classifications; ``som_van`` names other groups of that classification,
    and no group is (through other groups) a sum of itself."""
    indeling = dict(zip(frame["groep"], frame["indeling"])) if "indeling" in frame.columns else {}
    known = set(frame["groep"])
    parts_of: dict[str, list[str]] = {}
    for _, row in frame.iterrows():
        if row.get("indeling", "") and row["indeling"] not in ORIGIN_CLASSIFICATIONS:
            _problem(problems, row, "indeling", f"verwacht leeg of een van: {', '.join(ORIGIN_CLASSIFICATIONS)}.")
        if not str(row.get("som_van", "")).strip():
            continue
        parts = [part.strip() for part in row["som_van"].split("+")]
        wrong = [p for p in parts if p not in known or p == row["groep"]
                 or indeling.get(p, "") != indeling.get(row["groep"], "")]
        if wrong or len(parts) < 2 or len(set(parts)) < len(parts):
            _problem(problems, row, "som_van", "verwacht twee of meer verschillende groepen uit groepen.csv, "
                     "gescheiden door '+', uit dezelfde herkomstindeling als de groep zelf.")
        else:
            parts_of.setdefault(row["groep"], parts)
    rows = {row["groep"]: row for _, row in frame.drop_duplicates("groep").iterrows()}
    for cycle in _cycles(parts_of):
        _problem(problems, rows[cycle[0]], "som_van",
                 f"de groepen zijn via som_van elkaars som: {visible(' → '.join([*cycle, cycle[0]]))}. Een groep is de "
                 "som van kleinere groepen; haal som_van weg bij de groep die geen som is.")


def _cycles(parts_of: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle of the graph group -> its parts once, starting at its first group in file order."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found: list[list[str]] = []
    for start in parts_of:
        if state.get(start):
            continue
        path, stack = [start], [iter(parts_of.get(start, ()))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                found.append(path[path.index(step):])
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append(iter(parts_of.get(step, ())))
    order = {group: index for index, group in enumerate(parts_of)}
    starts = [min(range(len(cycle)), key=lambda i, c=cycle: order[c[i]]) for cycle in found]
    return [cycle[start:] + cycle[:start] for cycle, start in zip(found, starts)]


def regions(frame: pd.DataFrame, problems: list[Problem]) -> None:
    """``ligt_in`` names a known region; no region name mixes scripts or looks like another one.

    Each name is reduced to what a reader sees (:func:`analyse.lookalike.skeleton`) once, so a catalogue of
    every Dutch municipality is checked in one pass.
    """
    known = set(frame["regio"])
    seen: dict[str, pd.Series] = {}
    for _, row in frame.iterrows():
        if row.get("ligt_in", "") and row["ligt_in"] not in known:
            _problem(problems, row, "ligt_in", "onbekende regio; verwacht leeg of een naam uit regios.csv.")
        name = row["regio"]
        mixed = lookalike.scripts(name)
        if len(mixed) > 1:
            _problem(problems, row, "regio", f"de naam mengt letters uit verschillende schriften ({', '.join(mixed)}), "
                                             "zodat hij lijkt op een naam die hij niet is. Typ de naam opnieuw met "
                                             "gewone letters.")
            continue
        key = lookalike.skeleton(name)
        first = seen.setdefault(key, row)
        if first is not row and first["regio"] != name:
            other = first["regio"]
            which = lookalike.differing(name, other) or lookalike.differing(other, name)
            _problem(problems, row, "regio",
                     f"de naam is niet te onderscheiden van '{visible(other)}' (rij {first['_rij']})"
                     + (f": ze verschillen alleen in {', '.join(which)}" if which else ": ze verschillen alleen in "
                        "hoofdletters, spaties of de vorm van tekens") + ". Twee regio's hebben namen die er anders "
                     "uitzien; is het dezelfde regio, houd dan één rij.")


def lookalike_hint(value: str, known: dict[str, str]) -> str:
    """For an unknown code: the known code it looks like (``known`` maps skeletons to codes), if any."""
    match = known.get(lookalike.skeleton(value))
    if match is None or match == value:
        return ""
    which = lookalike.differing(value, match)
    return (f" De waarde lijkt op '{visible(match)}' maar is het niet" + (f" (ze bevat {', '.join(which)})" if which else "")
            + "; typ haar opnieuw.")


class _Columns(dict):
    """Column name -> its values as an array, fetched when a failing row first needs one."""

    def __init__(self, frame: pd.DataFrame):
        super().__init__()
        self.frame = frame

    def __missing__(self, column: str):
        self[column] = self.frame[column].to_numpy()
        return self[column]


class _Findings:
    """Problems of the row checks with their position, to list them row by row as a reader fixes them."""

    def __init__(self, obs: pd.DataFrame):
        self.obs = obs
        self.files, self.rows = obs["_bestand"].to_numpy(), obs["_rij"].to_numpy()
        self.found: list[tuple[int, int, Problem]] = []
        self.extra: list[Problem] = []
        self.checks = 0
        self.text = _Columns(obs)

    def add(self, mask, column: str, expected) -> None:
        """A problem in ``column`` for every row in ``mask``; ``expected`` is a text or a function of the position."""
        self.checks += 1
        if isinstance(mask, pd.Series):
            mask = mask.to_numpy(dtype=bool, na_value=False)
        positions = np.flatnonzero(mask)
        if not positions.size:
            return
        order, values = self.checks, self.text[column]
        for position in positions[:MAX_PER_CHECK]:
            text = expected(position) if callable(expected) else expected
            self.found.append((int(position), order,
                               Problem(self.files[position], int(self.rows[position]), column, values[position], text)))
        if positions.size > MAX_PER_CHECK:
            self.extra.append(Problem(self.files[positions[MAX_PER_CHECK]], None, column, None,
                                      f"... en nog {positions.size - MAX_PER_CHECK} rij(en) met hetzelfde probleem."))

    def report(self, problems: list[Problem]) -> None:
        self.found.sort(key=lambda found: found[:2])
        problems.extend(problem for _, _, problem in self.found)
        problems.extend(self.extra)


def observations(obs: pd.DataFrame, cat: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Row checks, then duplicate keys, editions that cannot be ordered, and classifications per reeks.

    Each row check runs on whole columns at once; only the rows that fail are looked at one by one.
    """
    ind = cat["indicatoren.csv"]
    units = dict(zip(ind["indicator"], ind["eenheid"]))
    known = {"regio": set(cat["regios.csv"]["regio"]), "groep": set(cat["groepen.csv"]["groep"]),
             "bron": set(cat["bronnen.csv"]["bron"]), "reeks": set(cat["reeksen.csv"]["reeks"])}
    catalogue_file = {"regio": "regios.csv", "groep": "groepen.csv", "bron": "bronnen.csv", "reeks": "reeksen.csv"}
    found = _Findings(obs)
    text = found.text

    unit = obs["indicator"].map(units)
    found.add(unit.isna(), "indicator", "onbekende indicator; voeg hem toe aan indicatoren.csv of corrigeer de code.")
    eenheid = obs["eenheid"]
    unknown_unit = ~eenheid.isin(UNITS)
    found.add(unknown_unit, "eenheid", f"onbekende eenheid; verwacht een van: {', '.join(UNITS)}.")
    found.add(~unknown_unit & unit.notna() & (eenheid != unit), "eenheid",
              lambda p: f"indicator '{text['indicator'][p]}' heeft eenheid '{units[text['indicator'][p]]}' in indicatoren.csv.")
    for column in ("regio", "groep", "bron", "reeks"):
        unknown = ~obs[column].isin(known[column])
        if column == "reeks":
            unknown &= obs[column] != ""
        skeletons = {lookalike.skeleton(code): code for code in known[column]} if unknown.any() else {}
        found.add(unknown, column, lambda p, c=column, k=skeletons: f"onbekende {c}; bekend zijn de waarden in "
                                                                    f"{catalogue_file[c]}." + lookalike_hint(text[c][p], k))
    years = per_value(obs["jaar"], lambda value: np.nan if year_problem(value) else whole(value))
    found.add(years.isna(), "jaar", lambda p: year_problem(text["jaar"][p]))
    reeksen = cat["reeksen.csv"]
    last = dict(zip(reeksen["reeks"], pd.to_numeric(reeksen["tot_en_met"], errors="coerce")))
    successor = {before: after for after, before in zip(reeksen["reeks"], reeksen["vervolg_van"]) if before}
    ended = obs["reeks"].map(last)
    found.add(ended.notna() & (years > ended), "jaar",
              lambda p: f"reeks '{text['reeks'][p]}' loopt tot en met {int(ended.iloc[p])} (zie de opmerking in "
                        f"reeksen.csv: een nieuwe opzet is een definitiebreuk); zet dit jaar in de reeks die erop "
                        f"volgt" + (f": '{successor[text['reeks'][p]]}'." if text["reeks"][p] in successor else "."))
    found.add((obs["status"] != "") & ~obs["status"].isin(STATUSES), "status",
              f"verwacht leeg of een van: {', '.join(STATUSES)}.")

    value = numbers(obs["waarde"])
    found.add(value.isna(), "waarde", lambda p: "verwacht een getal (eindig, bijv. 3.6)." + number_hint(text["waarde"][p]))
    low = eenheid.map({unit: bounds[0] for unit, bounds in UNIT_RANGES.items()})
    high = eenheid.map({unit: bounds[1] for unit, bounds in UNIT_RANGES.items()})
    found.add(value.notna() & low.notna() & ~value.between(low, high), "waarde",
              lambda p: range_text(text["eenheid"][p], value.iloc[p]))
    found.add((value != 0) & (value.abs() < SMALLEST), "waarde", TOO_SMALL)
    found.add((eenheid == "aantal") & (value >= 0) & (value != np.floor(value)), "waarde",
              lambda p: "een aantal is een geheel getal." + thousands_hint(text["waarde"][p]))

    parts = {}
    for column in ("teller", "noemer", "ondergrens", "bovengrens", "n"):
        present = obs[column] != ""
        parts[column] = present, numbers(obs[column]) if present.any() else pd.Series(np.nan, index=obs.index)
        found.add(present & parts[column][1].isna(), column,
                  lambda p, c=column: "verwacht een getal of een leeg veld." + number_hint(text[c][p]))
        number_of = parts[column][1]
        if column in COUNT_COLUMNS:
            found.add(number_of < 0, column, "kan niet negatief zijn.")
            found.add(number_of > COUNT_RANGE[1], column,
                      f"een aantal is hoogstens {bound_text(COUNT_RANGE[1])} (meer dan de wereldbevolking). Staat er een "
                      "exponent of een verschoven decimaalteken?")
            found.add((number_of >= 0) & (number_of != np.floor(number_of)), column,
                      lambda p, c=column: "verwacht een geheel getal (een aantal)." + thousands_hint(text[c][p]))
        else:
            found.add(number_of.abs() > LARGEST, column, TOO_LARGE)
            found.add((number_of != 0) & (number_of.abs() < SMALLEST), column, TOO_SMALL)
    teller, noemer = parts["teller"][1], parts["noemer"][1]
    found.add(teller > noemer, "teller", lambda p: f"de teller is groter dan de noemer ({text['noemer'][p]}).")
    expected = teller / noemer.where(noemer > 0) * eenheid.map(PER)
    allowed = pd.Series(np.nan, index=obs.index)
    if expected.notna().any():  # the rounding of the few values that have a teller and a noemer
        allowed[expected.notna()] = np.maximum(rounding(obs["waarde"][expected.notna()]),
                                               SHARE_TOLERANCE * expected[expected.notna()])
    counts = ((teller <= noemer) & (teller == np.floor(teller)) & (noemer == np.floor(noemer))
              & (noemer <= COUNT_RANGE[1]))  # otherwise refused above
    found.add(value.notna() & expected.notna() & counts & ((value - expected).abs() > allowed), "waarde",
              lambda p: f"teller / noemer ({text['teller'][p]} / {text['noemer'][p]}) geeft "
                        f"{shown_number(expected.iloc[p])} {text['eenheid'][p]}, niet {text['waarde'][p]}; het verschil is "
                        "groter dan de afronding en dan 5%. Horen teller, noemer en waarde bij elkaar (dezelfde groep, "
                        "hetzelfde jaar, dezelfde eenheid)?")
    (low_present, low), (high_present, high) = parts["ondergrens"], parts["bovengrens"]
    one_sided = low_present != high_present
    found.add(one_sided & high_present, "ondergrens", "een interval heeft zowel een ondergrens als een bovengrens.")
    found.add(one_sided & low_present, "bovengrens", "een interval heeft zowel een ondergrens als een bovengrens.")
    found.add(~one_sided & low.notna() & high.notna() & value.notna() & ~((low <= value) & (value <= high)),
              "ondergrens", lambda p: f"het interval ({text['ondergrens'][p]} tot {text['bovengrens'][p]}) moet de "
                                      f"waarde {text['waarde'][p]} bevatten.")
    found.report(problems)
    duplicates(obs, problems)
    editions(obs, cat["bronnen.csv"], problems, cat["reeksen.csv"])
    classifications(obs, cat["groepen.csv"], problems)


SMALL_JUMP_BASE = 10
"""A count jumping from or to fewer than this is not flagged: small counts vary that much by chance."""


def plausibility(obs: pd.DataFrame, warnings: list[Problem]) -> None:
    """A warning for a value more than :data:`JUMP` times above or below the previous year of its series.

    The series is (indicator, regio, groep, reeks), the bron where the reeks is empty; per year the first
    row counts (a later edition of the same year is not compared). Values of 0 or below have no factor and
    are left out. A warning, not a problem: real jumps exist (a new definition should be a new reeks).
    """
    value = numbers(obs["waarde"])
    year = pd.to_numeric(obs["jaar"], errors="coerce")
    usable = np.flatnonzero(((value > 0) & year.notna()).to_numpy())
    if usable.size < 2:
        return
    reeks = obs["reeks"].where(obs["reeks"] != "", obs["bron"])
    codes = group_codes([obs["indicator"], obs["regio"], obs["groep"], reeks])[usable]
    years, values = year.to_numpy()[usable], value.to_numpy()[usable]
    order = np.lexsort((usable, years, codes))
    codes, years, values, positions = codes[order], years[order], values[order], usable[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (years[1:] != years[:-1])
    codes, years, values, positions = codes[first], years[first], values[first], positions[first]
    ratio = values[1:] / values[:-1]
    counts = (obs["eenheid"].to_numpy()[positions] == "aantal")
    small = counts[1:] & (np.minimum(values[1:], values[:-1]) < SMALL_JUMP_BASE)  # 1 -> 11: chance, not a typo
    jumps = np.flatnonzero((codes[1:] == codes[:-1]) & ((ratio > JUMP) | (ratio < 1 / JUMP)) & ~small)
    if not jumps.size:
        return
    files, rows, shown = obs["_bestand"].to_numpy(), obs["_rij"].to_numpy(), obs["waarde"].to_numpy()
    for jump in jumps[:MAX_PER_CHECK]:
        here, before = positions[jump + 1], positions[jump]
        factor = ratio[jump] if ratio[jump] > 1 else 1 / ratio[jump]
        way = "groot" if ratio[jump] > 1 else "klein"
        times = f"{factor:.0f}" if factor < 1000 else "meer dan 1.000"
        warnings.append(Problem(
            files[here], int(rows[here]), "waarde", shown[here],
            f"de waarde is {times} keer zo {way} als in {int(years[jump])} ({shown[before]}, {files[before]} rij "
            f"{int(rows[before])}) in dezelfde reeks. Klopt het getal (decimaalteken, scheidingsteken voor "
            "duizendtallen, eenheid)? Is het juist, dan kunt u deze waarschuwing negeren; een nieuwe definitie "
            "krijgt een eigen reeks."))
    if jumps.size > MAX_PER_CHECK:
        warnings.append(Problem(files[positions[jumps[MAX_PER_CHECK] + 1]], None, "waarde", None,
                                f"... en nog {jumps.size - MAX_PER_CHECK} sprong(en) van meer dan een factor {JUMP}."))


def duplicates(obs: pd.DataFrame, problems: list[Problem]) -> None:
    """One publication gives one number per key and year, unless its rows name different reeksen explicitly
    (a publication giving both the old and the new definition)."""
    key = ["indicator", "regio", "groep", "jaar", "bron"]
    shared = pd.Series(group_codes([obs[c] for c in key])).duplicated(keep=False).to_numpy()
    for _, group in obs[shared].groupby(key, sort=True):
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


def editions(obs: pd.DataFrame, bronnen: pd.DataFrame, problems: list[Problem],
             reeksen: pd.DataFrame | None = None) -> None:
    """Two publications of one reeks that disagree on a year must be ordered: by grade (the producer's own
    publication first) or by their dates."""
    reeks = obs["reeks"].where(obs["reeks"] != "", obs["bron"])
    shared = pd.Series(group_codes([obs["indicator"], obs["regio"], obs["groep"], reeks, obs["jaar"]]))
    for first, second in series.conflicting_editions(obs[shared.duplicated(keep=False).to_numpy()], bronnen,
                                                     reeksen):
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
    classified = obs["groep"].map(indeling).fillna("") != ""
    part = obs[classified]
    frame = part.assign(_reeks=part["reeks"].where(part["reeks"] != "", part["bron"]),
                        _indeling=part["groep"].map(indeling))
    for reeks, rows in frame.groupby("_reeks"):
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
        for column in ("jaar", "jaar_tot"):
            if row.get(column, "") and (wrong := year_problem(row[column], "verwacht een jaartal (bijv. 2018).")):
                _problem(problems, row, column, wrong)
        span = row.get("tekst_jaren", "")
        if span and not (whole(span) is not None and row.get("jaar", "") and row.get("jaar_tot", "")):
            _problem(problems, row, "tekst_jaren", "verwacht een aantal jaren (geheel getal), met jaar en jaar_tot ingevuld.")
        if row["berekening"] not in WORD_CALCULATIONS:
            if whole(row["decimalen"]) is None or whole(row["decimalen"]) > MAX_DECIMALS:
                _problem(problems, row, "decimalen", "verwacht het aantal decimalen (0, 1, 2, ... hoogstens "
                                                     f"{MAX_DECIMALS}) waarop het document afrondde.")
            if row["berekening"] in CALCULATIONS and number(row["verwacht"]) is None:
                _problem(problems, row, "verwacht", f"berekening '{row['berekening']}' geeft een getal: verwacht de "
                                                    "waarde zoals gedrukt, met een punt als decimaalteken."
                         + number_hint(row["verwacht"]))
            elif row["berekening"] in CALCULATIONS and (wrong := magnitude_problem(number(row["verwacht"]))):
                _problem(problems, row, "verwacht", wrong)
