"""Marks and notes of the small-numbers rule (:mod:`analyse.disclosure`) and warnings for figures that
rest on few cases."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analyse.indicators import SERIES_KEY, SMALL_COUNT, small_groups
from analyse.text.notation import format_number


def small_numbers_note(threshold: int) -> str:
    return (f"Aandelen die op minder dan {threshold} personen rusten, staan er niet als getal in "
            f"(<{threshold}): ze zouden personen herkenbaar maken en schommelen sterk.")


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
