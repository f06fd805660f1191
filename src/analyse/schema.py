"""The vocabulary of the data contract (``docs/datacontract.md``): themes, units, columns, catalogues, errors.

Kept apart from loading and validation so that every module can name the contract without importing
pandas machinery. Column and code names are Dutch because researchers type them in ``data/raw``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

UNITS = (
    "aantal", "procent", "per_100", "per_1000", "per_10000", "rapportcijfer", "index", "score", "rang",
    "euro", "jaren", "klasse",
)
# the chapter-2 themes, in report order, with their titles; a new theme is one line here plus its notebook
THEMES = {
    "demografie": "Demografie en diversiteit",
    "onderwijs": "Onderwijs",
    "basisvaardigheden": "Basisvaardigheden, nieuwkomers",
    "arbeid_inkomen": "Arbeid en inkomen",
    "werkvloer": "Diversiteit op de werkvloer",
    "discriminatie": "Discriminatie",
    "criminaliteit": "Criminaliteit en delinquentie",
}
AREA_THEME = "gebied"
"""``indicatoren.csv`` ``thema`` of a characteristic of an area (the degree of urbanisation): no chapter-2 theme and
no notebook; it decides which municipalities are comparable (:mod:`analyse.peers`)."""
INDICATOR_THEMES = (*THEMES, AREA_THEME)
MONITOR = "monitor"
MONITOR_TITLE = "Doelenmonitor"
DIRECTIONS = ("hoger_beter", "lager_beter", "neutraal")
TARGET_TYPES = ("niveau", "afname", "toename", "minimaal_gelijk")
CALCULATIONS = ("waarde", "verandering_procent", "verschil", "aandeel", "per_1000", "richting", "hoogste",
                "laagste")
PERSON_FLAGS = ("", "ja", "nee")
"""``indicatoren.csv`` ``personen``: 'ja' when the indicator counts persons (for a count: the small-numbers rule
applies to the value itself; for a share or rate it applies through teller and noemer anyway)."""
CLAIM_UNITS = (*UNITS, "procentpunt", "tekst")
"""Units of a claim in ``beweringen.csv`` (``eenheid``, ``tekst_eenheid``)."""
GRADES = ("primair", "secundair", "schatting", "niet_citeerbaar")
"""``bronnen.csv`` ``soort``: the producer publishes itself; a quote elsewhere; an estimate; a source a municipality
cannot cite (a copy site, a document-sharing site, a blog, another municipality's budget quoting national figures):
kept in data/raw as found, never published (:func:`analyse.series.citable`)."""
STATUSES = ("voorlopig", "schatting")
"""Observation ``status`` besides empty (definitive)."""
ORIGIN_CLASSIFICATIONS = ("migratieachtergrond", "herkomstland")
"""The two CBS origin classifications a group may belong to (``groepen.csv`` ``indeling``)."""

UNIT_RANGES = {
    "aantal": (0, 1e10), "procent": (0, 100), "per_100": (0, 1e5), "per_1000": (0, 1e6), "per_10000": (0, 1e7),
    "rapportcijfer": (0, 10), "index": (-1e9, 1e9), "score": (-1e9, 1e9), "rang": (1, 1e6), "euro": (0, 1e13),
    "jaren": (0, 150), "klasse": (1, 100),
}
"""The values a unit can have (both ends included). Generous on purpose: they stop magnitudes no indicator can
have (a value of 1e300 from a shifted exponent), not unusual figures. A count is at most ten billion (more than
the world's population); a rate per 100, 1.000 or 10.000 at most a thousand events per person; euro at most
ten thousand billion (ten times the Dutch gross domestic product); years of age or duration 0-150; a rank
starts at 1, and so does a class (the CBS degree of urbanisation is 1-5); an index or score lies between minus and plus a billion. See docs/datacontract.md."""
COUNT_RANGE = UNIT_RANGES["aantal"]
"""The range of ``teller``, ``noemer`` and ``n`` (counts)."""
LARGEST = max(high for _, high in UNIT_RANGES.values())
"""No number anywhere in ``data/raw`` is larger than this in absolute value (the highest bound of any unit)."""
SMALLEST = 1e-6
"""A number other than 0 is at least this large in absolute value: no source publishes a figure with more
than six decimals, and a change computed from a smaller one would have no sensible size."""

REQUIRED = ("indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron")
OPTIONAL = ("reeks", "periode", "teller", "noemer", "ondergrens", "bovengrens", "n", "status", "vindplaats",
            "opmerking")
NUMERIC = ("waarde", "teller", "noemer", "ondergrens", "bovengrens", "n")

CATALOGUES = {
    "indicatoren.csv": ("indicator", "thema", "label", "eenheid", "richting"),
    "bronnen.csv": ("bron", "naam", "uitgever", "producent", "soort"),
    "reeksen.csv": ("reeks", "naam", "producent", "definitie", "vervolg_van"),
    "regios.csv": ("regio", "code", "niveau", "label"),
    "groepen.csv": ("groep", "soort", "label"),
    "beweringen.csv": ("id", "thema", "citaat", "verwacht", "eenheid", "decimalen", "berekening", "indicator",
                       "regio", "groep"),
}
CATALOGUE_NUMERIC = {"indicatoren.csv": ("doel_waarde", "doel_marge", "basis_waarde"), "beweringen.csv": ("verwacht",)}
"""Catalogue columns holding numbers: in a semicolon file their decimal commas become points."""
CATALOGUE_KEYS = {"indicatoren.csv": "indicator", "bronnen.csv": "bron", "reeksen.csv": "reeks",
                  "regios.csv": "regio", "groepen.csv": "groep", "beweringen.csv": "id"}
OPTIONAL_CATALOGUE_COLUMNS = {
    "indicatoren.csv": ("personen", "doel_waarde", "doel_jaar", "doel_type", "doel_groep", "doel_omschrijving",
                        "doel_maat", "doel_marge", "basis_waarde", "basis_jaar", "basis_periode", "afgeleid_teller",
                        "afgeleid_noemer", "afgeleid_noemer_groep", "toelichting", "decimalen"),
    "bronnen.csv": ("datum", "adres", "licentie", "uitgever_gemeente", "beleidsdocument"),
    "reeksen.csv": ("tabel", "opmerking", "tot_en_met"),
    "regios.csv": ("ligt_in", "opmerking"),
    "groepen.csv": ("indeling", "som_van", "opmerking"),
    "beweringen.csv": ("vindplaats", "jaar", "jaar_tot", "noemer_indicator", "noemer_groep", "tekst_eenheid",
                       "tekst_jaren", "toelichting"),
}


NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
"""A number as the data contract writes it: ASCII digits, a point as decimal sign, optionally an exponent.
Stricter than Python's ``float``, which also takes 'inf', 'nan', '1_000' and digits of other scripts."""
_NUMBER = re.compile(NUMBER)


def number(value) -> float | None:
    """The finite float in ``value`` read as :data:`NUMBER`; None for text, an empty field, NaN, an infinite or
    too large value ('1e309'), and for what only Python reads as a number ('1_000', '２')."""
    text = "" if value is None else str(value).strip()
    if not _NUMBER.fullmatch(text):
        return None
    result = float(text)
    return result if math.isfinite(result) else None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located precisely enough to fix it in a spreadsheet."""

    file: str
    row: int | None  # spreadsheet row number: the header is row 1
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [visible(self.file)]
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column is not None:
            where.append(f"kolom '{visible(self.column)}'")
        shown = "" if self.value is None else f": waarde '{visible(self.value, SHOWN_VALUE)}'"
        return f"{', '.join(where)}{shown} — {self.expected}"


SHOWN_VALUE = 80
"""Characters of a value shown in a message; the rest is cut off ('...')."""


def visible(text, limit: int | None = None) -> str:
    """``text`` on one line: invisible characters as escapes (``\\x01``, ``\\u202e``), cut off at ``limit``.

    Every text from a data file that a message shows (a file name, a sheet name, a value) goes through here.
    """
    text = str(text)
    cut = limit is not None and len(text) > limit
    text = text[:limit] if cut else text
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text + ("..." if cut else "")


class AnalyseError(Exception):
    """Base of the errors the command line reports as a plain message (no traceback)."""


class ParameterError(AnalyseError):
    """A request that cannot be carried out as asked (unknown theme or region, a year without data, ...)."""


class DataError(AnalyseError):
    """Raised when ``data/raw`` breaks the contract; carries every problem found.

    ``warnings`` are the findings that would not have stopped the analysis (not part of the message).
    """

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = list(warnings or [])
        lines = [f"{len(problems)} probleem/problemen in de data:"] + [f"  - {p}" for p in problems[:200]]
        if len(problems) > 200:
            lines.append(f"  ... en nog {len(problems) - 200}")
        super().__init__("\n".join(lines))
