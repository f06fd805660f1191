"""Disclosure control: small numbers of persons are never published, nor anything they can be recomputed from.

One rule, in one place, with the threshold ``t`` from ``instellingen.toml`` (``kleine_aantallen``, default 10;
:attr:`analyse.contract.Settings.small_count`):

1. **Primary suppression, counts.** A count of persons (an indicator with ``personen`` = ``ja`` in
   ``indicatoren.csv``) below ``t`` (0 included) is shown as ``'<10'``.
2. **Primary suppression, shares and rates.** A percentage, or a rate (``per_100``, ``per_1000``,
   ``per_10000``) of persons (``personen`` = ``ja``, or derived from a count of persons), whose teller or noemer
   (or number of respondents ``n``) is below ``t`` is shown as ``'×'``. Where the teller is not given but the
   noemer is, the teller implied by the value (value × noemer / factor) counts: 2,4% of 252 is 6 persons. A rate
   of events that are not persons (crimes, reports) follows its count, which is published. With a hidden value
   its teller goes (``'<10'``, or ``'×'`` when not small), and whatever gives the value back (a change, an
   interval); its noemer goes only when it is itself below ``t`` (a noemer alone says nothing about the teller).
3. **Secondary suppression.** A hidden cell must not be recomputable from the cells beside it: within one
   breakdown (the groups of one indicator, region, year and reeks) no hidden cell may equal a published whole
   (the total, a group that holds others, or 100 for percentages) minus a sum of published cells of the same
   classification (at most four: 'totaal − westers − nederlands', 'migratieachtergrond − niet-westers'). While
   one is, the smallest published cell of that sum is hidden too (``'×'``). A hidden whole is protected the same
   way: it must not be the sum of its published parts.
4. **One decision per run, and the register**: :mod:`analyse.gate` (the same figure hidden in every table,
   a share equal to a hidden one hidden under any name, the register's cells and texts).
5. **Flag.** A percentage on a base (noemer or ``n``) below 50 is published with a note: it can swing by
   chance.
6. **Texts.** A text column that quotes a hidden number of its row gets the number masked (``'[<10]'``,
   ``'[×]'``, see :func:`analyse.text.disclosure_texts.mask_numbers`).

:func:`protect` applies rules 1-3 to one table on its own (pure, as :class:`Suppression` does for the gate;
one key figure: :meth:`analyse.gate.Gate.value`). A table says which of its columns are values and how a row is found in
the data with :class:`Measure` and :class:`Cells`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analyse.contract import Settings, SuppressedCell
from analyse.indicators import SMALL_COUNT
from analyse.schema import number
from analyse.text.disclosure_texts import (DISCLOSURE_HIDDEN, disclosure_mark, disclosure_note_base,
                                           disclosure_note_count, disclosure_note_secondary, disclosure_note_share,
                                           disclosure_note_text, mask_numbers)
from analyse.text.notation import MISSING

DEFAULT_THRESHOLD = Settings().small_count
"""Counts of persons below this are not published (``instellingen.toml``: ``kleine_aantallen``)."""
BASE_THRESHOLD = SMALL_COUNT
"""A percentage on a base below this is flagged (:data:`analyse.indicators.SMALL_COUNT`)."""
FACTORS = {"procent": 100, "per_100": 100, "per_1000": 1000, "per_10000": 10000}
HIDDEN = DISCLOSURE_HIDDEN
TOTAL = "totaal"
KEY = ("indicator", "regio", "groep", "jaar")
"""What identifies a figure in the data (and in every table that shows it)."""
MAX_PARTS = 4
"""Secondary suppression looks for a hidden cell as a whole minus at most this many published cells."""


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
class Protected:
    """A table after disclosure control: ``frame`` has the hidden cells empty (NaN) and masked texts."""

    frame: pd.DataFrame
    cells: list[SuppressedCell]
    notes: list[str]


@dataclass(frozen=True)
class ProtectedValue:
    """One key figure after disclosure control: ``value`` None and ``mark`` ('<10', '×') when hidden."""

    value: float | None
    mark: str | None
    notes: list[str]


@dataclass(frozen=True)
class Measure:
    """A column of published values, and how each of its cells is found in the data.

    ``keys`` maps the parts of :data:`KEY` to the columns holding them (codes, not labels; a column missing from
    the table, or from :attr:`Cells.keys`, leaves that part unknown), ``fixed`` gives parts that are the same for
    every row (``{'groep': 'turks'}``). ``unit`` is the unit of the whole column, ``unit_column`` the column with
    the unit per row. ``counts``: teller-like columns of the same cell (hidden with it); ``bases``: noemer and
    respondents (hidden when below the threshold; the first gives an implied teller); ``follows``: columns that
    would give the value back (a change, an interval), hidden with it. ``persons``: whether the column counts
    persons (None: as the indicator says in the catalogue).
    """

    column: str
    unit: str | None = None
    unit_column: str | None = "eenheid"
    keys: Mapping[str, str] = field(default_factory=lambda: {part: part for part in KEY})
    fixed: Mapping[str, object] = field(default_factory=dict)
    counts: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    follows: tuple[str, ...] = ()
    persons: bool | None = None

    def key(self, row: Mapping, codes: Mapping) -> tuple:
        """(indicator, regio, groep, jaar) of the cell in ``row``; None for a part the table does not give."""
        parts = []
        for part in KEY:
            if part in self.fixed:
                value = self.fixed[part]
            else:
                column = self.keys.get(part)
                value = codes.get(column, row.get(column)) if column else None
            if part == "jaar":
                value = int(year) if (year := number(value)) is not None and year == int(year) else None
            elif value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "":
                value = None
            else:
                value = str(value)
            parts.append(value)
        return tuple(parts)


@dataclass(frozen=True)
class Cells:
    """How the cells of one table are found in the data, for :meth:`analyse.gate.Gate.table`.

    ``measures``: the value columns (None: every number column of the table's :class:`~analyse.contract.Column`
    list, keyed by the columns ``indicator``, ``regio``, ``groep`` and ``jaar`` where the table has them).
    ``keys``: per row, codes the table shows as labels (aligned with the table's rows; not written).
    ``texts``: text columns that quote the row's numbers: a hidden number is masked in them.
    ``claims``: the column with a claim id of ``beweringen.csv`` (the register); ``claim_cells`` the columns with
    the claim's figure, ``quotes`` the columns quoting the document (masked with the numbers of every claim that
    quotes the same passage).
    """

    measures: tuple[Measure, ...] | None = None
    keys: pd.DataFrame | None = None
    texts: tuple[str, ...] = ()
    claims: str | None = None
    claim_cells: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- one table

def primary_rule(value: float | None, unit: str | None, person: bool, tellers: list[float], bases: list[float],
                 threshold: int) -> bool:
    """Does rule 1 or 2 hide this value (with the tellers and bases of its row)?"""
    if unit == "aantal":
        return person and ((value is not None and value < threshold) or any(c < threshold for c in tellers))
    if unit not in FACTORS or (unit != "procent" and not person):
        return False
    if not tellers and value is not None and bases:
        tellers = [round(value * bases[0] / FACTORS[unit])]
    return any(v < threshold for v in tellers + bases)


def _columns(names: str | Sequence[str] | None) -> list[str]:
    if names is None:
        return []
    return [names] if isinstance(names, str) else list(names)


class Suppression:
    """One table while the rule is applied: its rows, the hidden cells with their marks, the numbers hidden per
    row (for its texts) and what the notes must say. :func:`protect` and :class:`analyse.gate.Gate` drive it."""

    def __init__(self, frame: pd.DataFrame, codes: pd.DataFrame | None, threshold: int, persons: Iterable[str]):
        self.frame = frame
        self.records = frame.to_dict("records")
        self.codes = (codes.reset_index(drop=True).to_dict("records") if codes is not None
                      else [{} for _ in self.records])
        self.threshold, self.persons = threshold, set(persons)
        self.small_mark = disclosure_mark(threshold)
        self.marks: dict[tuple[int, str], str] = {}
        self.hidden: dict[int, list[tuple[float, str]]] = {}  # per row: the numbers hidden in it, for its texts
        self.primary_share = self.secondary = False
        self.flagged = 0  # published percentages resting on a base under the base threshold

    def value(self, i: int, column: str) -> float | None:
        return number(self.records[i].get(column))

    def mark(self, i: int, column: str, mark: str) -> None:
        value = self.value(i, column)
        if (i, column) in self.marks or column not in self.frame.columns:
            return
        text = self.records[i].get(column)
        if value is None and not (isinstance(text, str) and text.strip() not in ("", MISSING)):
            return  # nothing shown, or the dash of 'geen gegevens': nothing to hide
        self.marks[(i, column)] = mark
        if value is not None:
            self.hidden.setdefault(i, []).append((value, mark))

    def hide(self, i: int, measure: Measure, count: bool) -> None:
        """Hide the value of ``measure`` in row ``i`` and what goes with it; ``count``: a count of persons."""
        value = self.value(i, measure.column)
        self.mark(i, measure.column, self.small_mark if count and value is not None and value < self.threshold
                  else HIDDEN)
        for column in measure.counts:
            teller = self.value(i, column)
            if teller is not None:
                self.mark(i, column, self.small_mark if teller < self.threshold else HIDDEN)
        for column in measure.bases:
            base = self.value(i, column)
            if base is not None and base < self.threshold:
                self.mark(i, column, self.small_mark)
        for column in measure.follows:
            self.mark(i, column, HIDDEN)

    def unit(self, i: int, measure: Measure) -> str | None:
        if measure.unit_column and measure.unit_column in self.frame.columns:
            unit = self.records[i].get(measure.unit_column)
            if isinstance(unit, str) and unit:
                return unit
        return measure.unit

    def person(self, measure: Measure, key: tuple) -> bool:
        return measure.persons if measure.persons is not None else key[0] in self.persons

    def apply(self, measure: Measure, decided: Callable[[tuple, str | None, float], tuple | None] | None,
              base_threshold: int) -> None:
        """Rules 1 and 2 on every cell of ``measure``; ``decided(key, unit, value)``: what the run decided on top
        (:meth:`analyse.gate.Gate.decision`: None, or the numbers behind a hidden figure and whether it was
        hidden to protect another)."""
        counts = [c for c in measure.counts if c in self.frame.columns]
        bases = [c for c in measure.bases if c in self.frame.columns]
        for i, row in enumerate(self.records):
            value = self.value(i, measure.column)
            if value is None:
                continue
            unit, key = self.unit(i, measure), measure.key(row, self.codes[i])
            person = self.person(measure, key)
            tellers = [v for c in counts if (v := self.value(i, c)) is not None]
            base_values = [v for c in bases if (v := self.value(i, c)) is not None]
            if primary_rule(value, unit, person, tellers, base_values, self.threshold):
                self.hide(i, measure, unit == "aantal" and person)
                self.primary_share = self.primary_share or unit in FACTORS
            elif decided is not None and (decision := decided(key, unit, value)) is not None:
                behind, secondary = decision
                self.hide(i, measure, unit == "aantal" and person)
                self.hidden.setdefault(i, []).extend(behind)  # what a text of the row must not quote either
                self.secondary = self.secondary or secondary
                self.primary_share = self.primary_share or (unit in FACTORS and not secondary)
            elif unit == "procent" and base_values and min(base_values) < base_threshold:
                self.flagged += 1

    def protect_breakdowns(self, measure: Measure, groups: list[str], breakdown: str | None,
                           classes: Mapping[str, str]) -> None:
        """Rule 3 within the table: rows equal on ``groups`` are one breakdown whose cells are told apart by
        ``breakdown``. A name is a key part of ``measure`` where the measure maps it, else a column."""
        if breakdown is None:
            return
        keyed = [measure.key(r, c) for r, c in zip(self.records, self.codes)]

        def get(i: int, name: str):
            if name in KEY and (name in measure.fixed or measure.keys.get(name)):
                return keyed[i][KEY.index(name)]
            return self.codes[i].get(name, self.records[i].get(name))

        known = {*KEY, *self.frame.columns, *(self.codes[0] if self.codes else {})}
        if not all(name in known for name in [*groups, breakdown]):
            return
        members: dict[tuple, list[int]] = {}
        for i in range(len(self.records)):
            members.setdefault(tuple(str(get(i, g)) for g in groups), []).append(i)
        columns = [measure.column, *[c for c in measure.counts if c in self.frame.columns]]
        changed = True
        while changed:
            changed = False
            for rows in members.values():
                if not any((i, measure.column) in self.marks for i in rows):
                    continue
                for column in columns:
                    cells = {i: (str(get(i, breakdown)), self.value(i, column)) for i in rows}
                    hidden = {i for i in cells if (i, column) in self.marks}
                    percent = column == measure.column and {self.unit(i, measure) for i in rows} == {"procent"}
                    pick = second_cell(cells, hidden, classes, percent)
                    if pick is not None:
                        self.hide(pick, measure, False)
                        self.secondary = changed = True

    def result(self, base_threshold: int, texts: Sequence[str] = (), extra: Mapping[int, list] | None = None,
               quotes: Mapping[str, Mapping[int, list]] | None = None) -> Protected:
        """The protected table: hidden numbers masked in ``texts`` (with the row's ``extra`` numbers) and in the
        quotations (``quotes``: column -> row -> numbers), then the hidden cells emptied."""
        protected = self.frame.copy()
        masked = False
        wanted = {(column, i): [*self.hidden.get(i, []), *(extra or {}).get(i, [])]
                  for column in texts if column in protected.columns for i in range(len(self.records))}
        for column, rows in (quotes or {}).items():
            for i, numbers in rows.items():
                wanted[(column, i)] = numbers
        for (column, i), numbers in wanted.items():
            text = self.records[i].get(column)
            if numbers and isinstance(text, str) and (i, column) not in self.marks:
                new = mask_numbers(text, numbers)
                if new != text:
                    protected.iloc[i, protected.columns.get_loc(column)] = new
                    masked = True
        order = list(self.frame.columns)
        cells = []
        for (i, column), shown in sorted(self.marks.items(), key=lambda item: (item[0][0], order.index(item[0][1]))):
            if protected[column].dtype.kind in "iub":
                protected[column] = protected[column].astype(float)
            protected.iloc[i, protected.columns.get_loc(column)] = math.nan
            cells.append(SuppressedCell(i, column, shown))
        notes = []
        if any(c.mark == self.small_mark for c in cells):
            notes.append(disclosure_note_count(self.threshold))
        if self.primary_share:
            notes.append(disclosure_note_share(self.threshold))
        if self.secondary:
            notes.append(disclosure_note_secondary())
        if masked:
            notes.append(disclosure_note_text())
        if self.flagged:
            notes.append(disclosure_note_base(base_threshold, self.flagged))
        return Protected(protected, cells, notes)


def second_cell(cells: Mapping[int, tuple[str, float | None]], hidden: set[int], classes: Mapping[str, str],
                percent: bool) -> int | None:
    """The cell to hide so that no hidden cell of one breakdown is a whole minus published cells (rule 3).

    ``cells``: row -> (group code, value) (the value of a hidden cell as it was); ``classes``: group ->
    classification (a whole and its parts share one; 'totaal' holds every class). ``percent``: 100 is a whole
    too. Exact for counts; for percentages within the rounding of the cells summed.
    """
    visible = {i: c for i, c in cells.items() if i not in hidden and c[1] is not None}
    for h in sorted(hidden, key=lambda i: (cells[i][1] is None, cells[i][1] or 0)):
        group, value = cells[h]
        if value is None:
            continue
        kind = classes.get(group, "")
        wholes = [(i, v) for i, (g, v) in visible.items() if v >= value and (g == TOTAL or classes.get(g, "") == kind)]
        if percent and not any(g == TOTAL for g, _ in visible.values()):
            wholes.append((None, 100.0))
        parts = sorted((i for i, (g, _) in visible.items() if g != TOTAL and classes.get(g, "") == kind),
                       key=lambda i: visible[i][1])
        for whole, total in wholes:  # the hidden cell as a whole minus published parts
            pick = _sum_to(total - value, [i for i in parts if i != whole], visible, percent, 1)
            if pick is not None:
                return pick
        pools = ([[i for i, (g, _) in visible.items() if g != TOTAL and classes.get(g, "") == c]
                  for c in sorted({classes.get(g, "") for g, _ in visible.values()})] if group == TOTAL else [parts])
        for pool in pools:  # the hidden cell as a whole: the sum of published parts
            pick = _sum_to(value, sorted(pool, key=lambda i: visible[i][1]), visible, percent, 2)
            if pick is not None:
                return pick
    return None


def _sum_to(target: float, pool: list[int], visible: Mapping[int, tuple[str, float]], percent: bool,
            fewest: int) -> int | None:
    """The smallest cell of a set of ``fewest`` to :data:`MAX_PARTS` cells of ``pool`` (ordered by value) that
    sums to ``target``: exactly for counts, within the rounding of each cell for percentages."""
    for size in range(fewest, min(MAX_PARTS, len(pool)) + 1):
        tolerance = 0.05 * (size + 1) if percent else 1e-6  # each printed share is rounded
        for subset in itertools.combinations(pool, size):
            if abs(sum(visible[i][1] for i in subset) - target) <= tolerance:
                return subset[0]
    return None


def protect(frame: pd.DataFrame, *, value_column: str = "waarde", unit_column: str | None = "eenheid",
            unit: str | None = None, count_columns: str | Sequence[str] = ("teller",),
            base_columns: str | Sequence[str] = ("noemer", "n"), person_indicators: Iterable[str] = (),
            indicator_column: str = "indicator", group_columns: str | Sequence[str] | None = None,
            breakdown_column: str = "groep", total_label: str = TOTAL, classes: Mapping[str, str] | None = None,
            threshold: int = DEFAULT_THRESHOLD, base_threshold: int = BASE_THRESHOLD) -> Protected:
    """Apply rules 1-3 (module docstring) to a table with one value per row, on its own (no run-wide gate).

    - ``value_column``: the published number; ``unit_column`` the column with its unit per row, or ``unit`` for
      the whole table; ``indicator_column`` names the indicator (for ``person_indicators``);
    - ``count_columns``: teller-like counts shown in the table (hidden with their row); ``base_columns``:
      noemer and respondents (hidden only when below ``threshold``; the first one gives an implied teller);
    - ``group_columns``: the columns that are equal within one breakdown (e.g. indicator, regio, jaar); None:
      no secondary suppression; ``breakdown_column`` / ``total_label``: the cells and the total of a breakdown;
      ``classes``: group -> classification (see :func:`second_cell`; default: one class for all).

    Rows are numbered 0-based in the order of ``frame``; columns not named here pass unchanged.
    """
    measure = Measure(value_column, unit=unit, unit_column=unit_column,
                      keys={"indicator": indicator_column, "groep": breakdown_column},
                      counts=tuple(_columns(count_columns)), bases=tuple(_columns(base_columns)))
    table = Suppression(frame, None, threshold, person_indicators)
    table.apply(measure, None, base_threshold)
    groups = _columns(group_columns)
    if groups and breakdown_column in frame.columns:
        if total_label != TOTAL:  # the breakdown's own word for its total
            table.codes = [{**c, breakdown_column: TOTAL if str(r.get(breakdown_column)) == total_label
                            else r.get(breakdown_column)} for c, r in zip(table.codes, table.records)]
        table.protect_breakdowns(measure, groups, "groep", dict(classes or {}))
    return table.result(base_threshold)
