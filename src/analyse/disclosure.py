"""Disclosure control: small numbers of persons are never published as a number (one rule, in one place).

The rule, as CBS and the Buurtmonitor practise it, with the threshold ``t`` from ``instellingen.toml``
(:attr:`analyse.contract.Settings.small_count`, default 10):

1. **Primary suppression, counts.** A count of persons (an indicator with ``personen`` = ``ja`` in
   ``indicatoren.csv``) below ``t`` (0 included) is shown as ``'<10'``.
2. **Primary suppression, shares and rates.** A percentage, or a rate (``per_100``, ``per_1000``,
   ``per_10000``) of persons (``personen`` = ``ja``, or derived from a count of persons), whose teller or noemer
   (or number of respondents ``n``) is below ``t`` is shown as ``'×'``. A rate of events that are not persons
   (crimes, reports) follows its count, which is published.
   Where the teller is not given but the noemer is, the teller implied by the value (value × noemer / factor)
   counts: 2,4% of 252 is 6 persons.
   The cells of a suppressed row that would give the number back (the value and the teller columns) are hidden
   with it; a denominator column is hidden only when it is itself below ``t``.
3. **Secondary suppression.** Within one breakdown (rows equal on ``group_columns``, cells distinguished by
   ``breakdown_column``, with a total row ``total_label`` or, for percentages, an implicit total of 100), a
   hidden cell must not be recomputable from the total and its siblings. When exactly one cell of an additive
   breakdown is hidden (the siblings sum to the total), the smallest visible sibling is hidden too (``'×'``),
   or the total when no sibling is left; repeated until no breakdown has a single hidden cell. Only additive
   breakdowns (siblings that sum exactly to the total) are checked; nested or overlapping breakdowns in one
   table (westers and niet-westers beside migratieachtergrond) are not.
4. **Flag.** A percentage on a base (noemer or ``n``) below 50 is published with a note: it can swing by
   chance.

:func:`protect` applies this to a table (the table writer calls it for every table it writes) and returns the
table with the hidden cells emptied, the :class:`analyse.contract.SuppressedCell` list for the table record and
the Dutch footnotes; :func:`protect_value` does the same for one key figure. Both are pure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analyse.contract import Settings, SuppressedCell
from analyse.indicators import SMALL_COUNT
from analyse.schema import number
from analyse.text.disclosure_texts import (DISCLOSURE_HIDDEN, disclosure_mark, disclosure_note_base,
                                           disclosure_note_count, disclosure_note_secondary, disclosure_note_share)

DEFAULT_THRESHOLD = Settings().small_count
"""Counts of persons below this are not published (``instellingen.toml``: ``small_count``)."""
BASE_THRESHOLD = SMALL_COUNT
"""A percentage on a base below this is flagged (:data:`analyse.indicators.SMALL_COUNT`)."""
FACTORS = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}
HIDDEN = DISCLOSURE_HIDDEN


def person_indicators(indicatoren: pd.DataFrame) -> frozenset[str]:
    """The indicators about persons: ``personen`` = ``ja`` in ``indicatoren.csv``, and derived indicators whose
    teller (``afgeleid_teller``) is such an indicator."""
    if "personen" not in indicatoren.columns:
        return frozenset()
    flags = indicatoren["personen"].fillna("").astype(str).str.strip().str.lower()
    persons = set(indicatoren.loc[flags == "ja", "indicator"])
    if "afgeleid_teller" in indicatoren.columns:
        tellers = indicatoren["afgeleid_teller"].fillna("").astype(str).str.strip()
        persons |= set(indicatoren.loc[tellers.isin(persons), "indicator"])
    return frozenset(persons)


@dataclass(frozen=True)
class Flag:
    """A published percentage resting on a small base (row 0-based over the data rows)."""

    row: int
    column: str
    base: float


@dataclass(frozen=True)
class Protected:
    """A table after disclosure control: ``frame`` has the hidden cells empty (NaN)."""

    frame: pd.DataFrame
    cells: list[SuppressedCell]
    notes: list[str]
    flags: list[Flag]


@dataclass(frozen=True)
class ProtectedValue:
    """One key figure after disclosure control: ``value`` None and ``mark`` ('<10', '×') when hidden."""

    value: float | None
    mark: str | None
    notes: list[str]


def _columns(names: str | Sequence[str] | None) -> list[str]:
    if names is None:
        return []
    return [names] if isinstance(names, str) else list(names)


def _primary(row: Mapping, value_column: str, unit: str | None, person: bool, counts: list[str],
             bases: list[str], threshold: int) -> tuple[bool, float | None]:
    """(hide the row?, the base of a percentage for the flag)."""
    value = number(row.get(value_column))
    if unit == "aantal":
        if not person:
            return False, None
        small_teller = any((c := number(row.get(col))) is not None and c < threshold for col in counts)
        return (value is not None and value < threshold) or small_teller, None
    if unit not in FACTORS or (unit != "procent" and not person):
        return False, None
    base_values = [b for col in bases if (b := number(row.get(col))) is not None]
    tellers = [c for col in counts if (c := number(row.get(col))) is not None]
    if not tellers and value is not None:
        noemers = [number(row.get(col)) for col in bases[:1]]
        if noemers and noemers[0] is not None:
            tellers = [round(value * noemers[0] / FACTORS[unit])]
    small = any(v < threshold for v in tellers + base_values)
    return small, (min(base_values) if base_values and unit == "procent" else None)


def protect(frame: pd.DataFrame, *, value_column: str = "waarde", unit_column: str | None = "eenheid",
            unit: str | None = None, count_columns: str | Sequence[str] = ("teller",),
            base_columns: str | Sequence[str] = ("noemer", "n"), person_indicators: Iterable[str] = (),
            indicator_column: str = "indicator", group_columns: str | Sequence[str] | None = None,
            breakdown_column: str = "groep", total_label: str = "totaal",
            threshold: int = DEFAULT_THRESHOLD, base_threshold: int = BASE_THRESHOLD) -> Protected:
    """Apply the small-numbers rule (module docstring) to a table with one value per row.

    - ``value_column``: the published number; ``unit_column`` the column with its unit per row, or ``unit`` for
      the whole table; ``indicator_column`` names the indicator (for ``person_indicators``);
    - ``count_columns``: teller-like counts shown in the table (hidden with their row); ``base_columns``:
      noemer and respondents (hidden only when below ``threshold``; the first one gives an implied teller);
    - ``group_columns``: the columns that are equal within one breakdown (e.g. indicator, regio, jaar); None:
      no secondary suppression; ``breakdown_column`` / ``total_label``: the cells and the total of a breakdown.

    Rows are numbered 0-based in the order of ``frame``; columns not named here pass unchanged.
    """
    counts = [c for c in _columns(count_columns) if c in frame.columns]
    bases = [c for c in _columns(base_columns) if c in frame.columns]
    persons = set(person_indicators)
    records = frame.to_dict("records")
    units = [(r.get(unit_column) if unit_column and unit_column in frame.columns else unit) for r in records]
    marks: dict[tuple[int, str], str] = {}
    hidden: set[int] = set()
    flags: list[Flag] = []
    primary_share = secondary = False

    is_person = [str(r.get(indicator_column, "")) in persons for r in records]
    small_mark = disclosure_mark(threshold)

    def mark(i: int, column: str) -> None:
        """'<10' for a count of persons below the threshold, '×' for anything else hidden."""
        value = number(records[i].get(column))
        if value is None or (i, column) in marks:
            return
        count = column != value_column or (units[i] == "aantal" and is_person[i])
        marks[(i, column)] = small_mark if count and value < threshold else HIDDEN

    def hide(i: int) -> None:
        hidden.add(i)
        for column in (value_column, *counts):
            mark(i, column)
        for column in bases:
            value = number(records[i].get(column))
            if value is not None and value < threshold:
                mark(i, column)

    for i, row in enumerate(records):
        small, base = _primary(row, value_column, units[i], is_person[i], counts, bases, threshold)
        if small:
            hide(i)
            primary_share = primary_share or units[i] in FACTORS
        elif base is not None and base < base_threshold:
            flags.append(Flag(i, value_column, base))

    groups = _columns(group_columns)
    if groups and breakdown_column in frame.columns and hidden:
        positions = frame.reset_index(drop=True).groupby(groups, sort=False, dropna=False).indices
        changed = True
        while changed:
            changed = False
            for members in positions.values():
                for column in (value_column, *counts):
                    pick = _second_cell(records, list(members), column, units, hidden, breakdown_column,
                                        total_label, value_column)
                    if pick is not None:
                        hide(pick)
                        secondary = changed = True

    protected = frame.copy()
    cells = []
    for (i, column), shown in sorted(marks.items(), key=lambda item: (item[0][0], list(frame.columns).index(item[0][1]))):
        if protected[column].dtype.kind in "iub":
            protected[column] = protected[column].astype(float)
        protected.iloc[i, protected.columns.get_loc(column)] = math.nan
        cells.append(SuppressedCell(i, column, shown))
    notes = []
    if any(c.mark == small_mark for c in cells):
        notes.append(disclosure_note_count(threshold))
    if primary_share:
        notes.append(disclosure_note_share(threshold))
    if secondary:
        notes.append(disclosure_note_secondary())
    if flags:
        notes.append(disclosure_note_base(base_threshold, len(flags)))
    return Protected(protected, cells, notes, flags)


def _second_cell(records: list[dict], members: list[int], column: str, units: list, hidden: set[int],
                 breakdown_column: str, total_label: str, value_column: str) -> int | None:
    """The cell to hide so that a single hidden cell of an additive breakdown cannot be recomputed."""
    totals = [i for i in members if str(records[i].get(breakdown_column)) == total_label]
    siblings = [i for i in members if i not in totals]
    values = {i: number(records[i].get(column)) for i in members}
    if not siblings or any(values[i] is None for i in siblings):
        return None
    if len(totals) == 1 and values[totals[0]] is not None:
        cells = siblings + totals
        additive = abs(sum(values[i] for i in siblings) - values[totals[0]]) < 1e-6
    elif not totals and column == value_column and len(siblings) >= 2 and all(units[i] == "procent" for i in siblings):
        cells = siblings
        additive = abs(sum(values[i] for i in siblings) - 100) <= 0.5
    else:
        return None
    if not additive or len([i for i in cells if i in hidden]) != 1:
        return None
    visible = sorted((i for i in siblings if i not in hidden), key=lambda i: values[i])
    if visible:
        return visible[0]
    return next((i for i in totals if i not in hidden), None)


def protect_value(row: Mapping, *, value_column: str = "waarde", unit_column: str = "eenheid",
                  count_columns: str | Sequence[str] = ("teller",), base_columns: str | Sequence[str] = ("noemer", "n"),
                  person_indicators: Iterable[str] = (), indicator_column: str = "indicator",
                  threshold: int = DEFAULT_THRESHOLD, base_threshold: int = BASE_THRESHOLD) -> ProtectedValue:
    """The small-numbers rule for one key figure (a row of the observation table): value or mark, and notes."""
    result = protect(pd.DataFrame([dict(row)]), value_column=value_column, unit_column=unit_column,
                     count_columns=count_columns, base_columns=base_columns, person_indicators=person_indicators,
                     indicator_column=indicator_column, threshold=threshold, base_threshold=base_threshold)
    shown = next((c.mark for c in result.cells if c.column == value_column), None)
    value = None if shown else number(row.get(value_column))
    return ProtectedValue(value, shown, result.notes)
