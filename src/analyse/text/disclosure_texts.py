"""Marks and notes of the small-numbers rule (:mod:`analyse.disclosure`), hidden numbers masked in a text, and
warnings for figures that rest on few cases."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd

from analyse.indicators import SERIES_KEY, SMALL_COUNT, small_groups
from analyse.text.notation import format_number, rounded, to_decimal


def disclosure_mark(threshold: int) -> str:
    """Shown instead of a count of persons below the threshold: '<10'."""
    return f"<{threshold}"


DISCLOSURE_HIDDEN = "×"
"""Shown instead of a share or rate resting on few persons, or a cell hidden to protect another (as CBS)."""


def disclosure_note_count(threshold: int) -> str:
    return (f"{disclosure_mark(threshold)}: minder dan {threshold} personen; zo'n klein aantal wordt niet als "
            "getal gepubliceerd, omdat het personen herkenbaar kan maken.")


def disclosure_note_share(threshold: int) -> str:
    return (f"{DISCLOSURE_HIDDEN}: niet gepubliceerd; het cijfer rust op minder dan {threshold} personen "
            "(teller of noemer).")


def disclosure_note_secondary() -> str:
    return (f"{DISCLOSURE_HIDDEN}: ook niet gepubliceerd, omdat een verborgen cel anders uit het totaal en de "
            "andere cellen terug te rekenen is.")


def disclosure_note_text() -> str:
    return ("[<10] of [×] in een tekst: daar stond een getal dat niet gepubliceerd wordt (een klein aantal personen, "
            "of een cijfer dat erop rust); ook in een citaat is het zo vervangen.")


def disclosure_note_base(base_threshold: int, count: int) -> str:
    what = "percentage rust" if count == 1 else "percentages rusten"
    return (f"Let op: {count} {what} op minder dan {base_threshold} waarnemingen (noemer of respondenten); "
            "verschillen tussen jaren of groepen kunnen dan toeval zijn.")


def small_count_warning(label: str, group_label: str, regio: str, number, kind: str, small_count: int) -> str:
    """The warning for a figure resting on few cases, quoting the number that triggered it.

    ``kind`` is 'teller', 'noemer', 'n' or 'aantal'. A number of persons below ``small_count`` is never
    quoted as a number: it reads 'minder dan 10'.
    """
    words = {"teller": "teller", "noemer": "noemer", "n": "respondenten", "aantal": "aantal personen"}
    shown = (f"minder dan {small_count}" if number < small_count else format_number(number, 0))
    return (f"Het cijfer voor {label[0].lower() + label[1:] if label[1:2].islower() else label} ({group_label}, "
            f"{regio}) rust op weinig waarnemingen ({words[kind]}: {shown}): "
            "verschillen tussen jaren of groepen kunnen toeval zijn.")


def small_group_warnings(obs: pd.DataFrame, labels: dict[str, str], group_labels: dict[str, str],
                         person_indicators: Iterable[str] = (), threshold: int = SMALL_COUNT,
                         small_count: int = 10) -> list[str]:
    """One Dutch warning per series (indicator, regio, groep) resting on few cases, quoting the smallest number
    that triggered it ('minder dan 10' for fewer than ``small_count`` persons)."""
    few = small_groups(obs, threshold, person_indicators)
    warnings = []
    for (indicator, regio, groep), rows in few.groupby(SERIES_KEY, sort=True):
        smallest = rows.loc[rows["klein_getal"].idxmin()]
        warnings.append(small_count_warning(labels.get(indicator, indicator), group_labels.get(groep, groep),
                                            regio, float(smallest["klein_getal"]), smallest["klein_soort"],
                                            small_count))
    return warnings


# --------------------------------------------------------------------------- hidden numbers in a text

NUMBER_WORDS = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf",
                "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien",
                "twintig")
"""Dutch number words 0-20 as a text writes a count ('vijf stagiaires'; 'een' without accents is the article)."""

# a number in Dutch ('1.234,5') or English ('2.4') notation, not part of a code ('H2', 'h4-10', '2009-2018') nor a
# mark ('<10'), so that masking a masked text changes nothing
_NUMBER = re.compile(r"(?<![\w.,<])(?<!\w-)(\d+(?:[.,]\d+)*)(?![\w.,-]?\w)(%?)")
_WORD = re.compile(r"(?<![\w-])(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?![\w-])",
                   re.IGNORECASE)


def _readings(token: str) -> list[tuple[Decimal, int]]:
    """The values a number in a text can mean, with their decimals: '2.4' is 2,4 (English); '1.234' is 1.234
    (Dutch thousands) or 1,234 (English); '2,381' is 2,381."""
    if "," in token:
        whole, _, fraction = token.replace(".", "").partition(",")
        return [] if "," in fraction else [(Decimal(f"{whole}.{fraction}"), len(fraction))]
    parts = token.split(".")
    readings = []
    if len(parts) == 2:
        readings.append((Decimal(token), len(parts[1])))
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        readings.append((Decimal("".join(parts)), 0))
    if len(parts) == 1:
        readings.append((Decimal(token), 0))
    return readings


def _same(value: Decimal, reading: tuple[Decimal, int], percent: bool) -> bool:
    """Is ``reading`` the hidden ``value`` as a text prints it (rounded to the decimals it shows)?

    A whole number matches itself; a fraction (2,381) matches its rounding with at least one decimal (2,4), and
    a whole number only with a per cent sign after it ('2%'), so that '2 metingen' is not taken for 2,381."""
    shown, decimals = reading
    if value == value.to_integral_value():
        return shown == value
    if decimals == 0 and not percent:
        return False
    return rounded(value, decimals) == shown


def mask_numbers(text: str, hidden: Iterable[tuple[float, str]]) -> str:
    """``text`` with every number equal to a hidden one replaced by the hidden number's mark in brackets.

    ``hidden``: (value, mark) pairs, e.g. (6, '<10') for a count of persons or (2.381, '×') for a share resting
    on one. Numbers are found in Dutch and English notation ('2,4', '2.4', '1.234') and, for whole numbers up to
    twenty, as a Dutch word ('vijf'); the brackets say the text was changed, also in a quotation:
    '[<10] stagiaires', '6/252 (2,4%)' becomes '[<10]/252 ([×])'. Codes (H2, h4-10) and ranges (2009-2018) pass
    unchanged.
    """
    pairs = [(d, mark) for value, mark in hidden if (d := to_decimal(value)) is not None]
    if not pairs or not text:
        return text

    def number(match: re.Match) -> str:
        percent = match.group(2) == "%"  # the sign goes with the number it follows
        for value, mark in pairs:
            if any(_same(value, reading, percent) for reading in _readings(match.group(1))):
                return f"[{mark}]"
        return match.group(0)

    def word(match: re.Match) -> str:
        spoken = NUMBER_WORDS.index(match.group(1).lower())
        for value, mark in pairs:
            if value == spoken:
                return f"[{mark}]"
        return match.group(0)

    return _WORD.sub(word, _NUMBER.sub(number, text))
