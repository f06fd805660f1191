"""The small-numbers gate of a run: one decision for every table, key figure and figure (rules 4 and 5).

The rule itself (counts of persons, shares resting on them, secondary suppression, the flag) is
:mod:`analyse.disclosure`. :meth:`Gate.of` takes its decisions once, on the observations of the run, and every
table of every notebook (:mod:`analyse.writer`), every key figure and figure, and the run-wide tables
(:func:`analyse.pipeline.collect`) pass the same gate:

4. **One decision per run.** A figure hidden in the data (rules 1-3 applied to the observations, every
   breakdown of one indicator, region, year and reeks) is hidden in every table that shows it (same indicator,
   region, group and year), so that a total minus the other cells cannot be taken across two tables. A share or
   rate equal (at its published decimals) to a hidden one of the same region, group and year is hidden wherever
   it appears under another name: the monitor's baseline '2,4%' of young staff is the register's 6 of 252.
5. **The register.** A claim of ``beweringen.csv`` whose figure is such a count, or rests on one (a share with a
   small teller or noemer, a change from a hidden value), is hidden in the register's cells (``'<10'``,
   ``'×'``); every hidden number the claim touches is masked in its texts and in the quotation from the
   document, which several claims can share ('[<10] stagiaires'). Its recomputed share counts for rule 4.

A text column of a table (the monitor's toelichting) gets every hidden number of its row's series masked.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from analyse import series
from analyse.contract import Column, KeyFigure, SuppressedCell
from analyse.disclosure import (BASE_THRESHOLD, DEFAULT_THRESHOLD, FACTORS, HIDDEN, KEY, TOTAL, Cells, Measure,
                                Protected, ProtectedValue, Suppression, person_indicators, primary_rule)
from analyse.schema import number
from analyse.text.disclosure_texts import disclosure_mark
from analyse.text.notation import published_decimals


@dataclass(frozen=True)
class Claim:
    """What the register may not show of one claim: the mark of its figure (None: shown), the hidden numbers
    (value, mark) its texts could quote, and those its quotation could (also the hidden figures of the rest of
    the breakdown it quotes: 'vijf hbo, acht mbo en één vmbo')."""

    mark: str | None = None
    numbers: tuple[tuple[float, str], ...] = ()
    quoted: tuple[tuple[float, str], ...] = ()


OBSERVATION = Measure("waarde", counts=("teller",), bases=("noemer", "n"))
"""A row of the observation table as a cell: its value, teller, noemer and respondents."""


@dataclass(frozen=True)
class Gate:
    """The small-numbers decisions of one run (rules 1-5), applied to every table, key figure and figure.

    ``marks``: the hidden figures of the data by (indicator, regio, groep, jaar) with their mark; ``values``: the
    values behind them (what a text must not quote); ``shares``: hidden shares and rates by (regio, groep, jaar,
    eenheid), for a share published under another indicator, and ``behind`` the numbers they rest on (the
    register's teller); ``claims``: per register id what its row may not show; ``classes``: group ->
    classification, for secondary suppression; ``secondary``: the figures hidden only to protect another. An
    empty gate applies rules 1-3 only.
    """

    threshold: int = DEFAULT_THRESHOLD
    persons: frozenset[str] = frozenset()
    marks: Mapping[tuple, str] = field(default_factory=dict)
    values: Mapping[tuple, tuple[float, ...]] = field(default_factory=dict)
    shares: Mapping[tuple, tuple[float, ...]] = field(default_factory=dict)
    claims: Mapping[str, Claim] = field(default_factory=dict)
    classes: Mapping[str, str] = field(default_factory=dict)
    behind: Mapping[tuple, tuple[tuple[float, str], ...]] = field(default_factory=dict)
    secondary: frozenset[tuple] = frozenset()
    base_threshold: int = BASE_THRESHOLD

    @classmethod
    def of(cls, dataset, threshold: int = DEFAULT_THRESHOLD) -> Gate:
        """The gate of a run on ``dataset`` (:class:`analyse.data.Dataset`)."""
        persons = person_indicators(dataset.indicatoren)
        classes = group_classes(dataset.groepen)
        marks, values, shares, secondary = _data_decisions(dataset.observations, persons, classes, threshold)
        gate = cls(threshold, persons, marks, values, shares, {}, classes, secondary=secondary)
        claims, claim_shares, behind = _claim_secrets(gate, dataset.beweringen, dataset.observations)
        merged = {k: tuple(dict.fromkeys([*shares.get(k, ()), *claim_shares.get(k, ())]))
                  for k in {*shares, *claim_shares}}
        return replace(gate, claims=claims, shares=merged, behind=behind)

    # ---------------------------------------------------------------- lookups

    @functools.cached_property
    def _series(self) -> dict[tuple, list[tuple[int, float, str]]]:
        """(indicator, regio, groep) -> (jaar, value, mark) of its hidden figures."""
        index: dict[tuple, list[tuple[int, float, str]]] = {}
        for (indicator, regio, groep, jaar), mark in self.marks.items():
            index.setdefault((indicator, regio, groep), []).extend(
                (jaar, value, mark) for value in self.values.get((indicator, regio, groep, jaar), ()))
        return index

    @functools.cached_property
    def _breakdowns(self) -> dict[tuple, list[tuple[float, str]]]:
        """(indicator, regio, jaar) -> (value, mark) of the hidden figures of its groups."""
        index: dict[tuple, list[tuple[float, str]]] = {}
        for (indicator, regio, groep, jaar), mark in self.marks.items():
            index.setdefault((indicator, regio, jaar), []).extend(
                (value, mark) for value in self.values.get((indicator, regio, groep, jaar), ()))
        return index

    def decision(self, key: tuple, unit: str | None, value: float | None) -> tuple[list, bool] | None:
        """Rule 4 for one published value: None when it may be shown, else the hidden numbers behind it (which a
        text beside it must not quote either) and whether it is hidden only to protect another (rule 3). Hidden:
        the figure of ``key`` is hidden in the data, or ``value`` is a share or rate equal to a hidden one of the
        same region, group and year (at the decimals it is shown with)."""
        if None not in key and key in self.marks:
            return self.hidden_numbers(*key[:3], key[3], key[3]), key in self.secondary
        indicator, regio, groep, jaar = key
        if unit not in FACTORS or value is None or None in (regio, groep, jaar):
            return None
        share = (regio, groep, jaar, unit)
        if any(_same_figure(value, hidden) for hidden in self.shares.get(share, ())):
            return [*((v, HIDDEN) for v in self.shares[share]), *self.behind.get(share, ())], False
        return None

    def hides(self, key: tuple, unit: str | None, value: float | None) -> bool:
        """Whether :meth:`decision` hides ``value``."""
        return self.decision(key, unit, value) is not None

    def breakdown_numbers(self, indicator: str, regio: str, jaar: int | None) -> list[tuple[float, str]]:
        """(value, mark) of the hidden figures of every group of one indicator, region and year."""
        return list(self._breakdowns.get((indicator, regio, jaar), ()))

    def hidden_numbers(self, indicator: str, regio: str, groep: str, first: int | None = None,
                       last: int | None = None) -> list[tuple[float, str]]:
        """(value, mark) of the hidden figures of one series, in the years ``first`` to ``last`` (None: all)."""
        return [(value, mark) for jaar, value, mark in self._series.get((indicator, regio, groep), ())
                if (first is None or jaar >= first) and (last is None or jaar <= last)]

    # ---------------------------------------------------------------- tables, figures, key figures

    def table(self, frame: pd.DataFrame, columns: Sequence[Column] = (), cells: Cells | None = None,
              suppressed: Iterable[SuppressedCell] = ()) -> Protected:
        """``frame`` as it may be published: hidden cells empty, texts masked, the suppressed cells (those given
        in ``suppressed`` first) and the notes that say why. Pure."""
        cells = cells or Cells()
        frame = frame.reset_index(drop=True)
        table = Suppression(frame, cells.keys, self.threshold, self.persons)
        for cell in suppressed:
            if cell.column in frame.columns and 0 <= cell.row < len(frame):
                table.marks[(cell.row, cell.column)] = cell.mark
        measures = cells.measures if cells.measures is not None else _inferred(frame, columns)
        for measure in measures:
            if measure.column in frame.columns:
                table.apply(measure, self.decision, self.base_threshold)
        for measure in measures:
            if measure.column in frame.columns:
                groups = [p for p in KEY if p != "groep" and (p in measure.fixed or measure.keys.get(p))]
                groups += [column for part, column in measure.keys.items() if part not in KEY]
                grouped = "groep" in measure.fixed or measure.keys.get("groep")
                table.protect_breakdowns(measure, groups, "groep" if grouped else None, self.classes)
        extra, quotes = self._claims(table, cells)
        if cells.texts:  # a text may quote any hidden figure of the row's series, in any year
            for measure in measures:
                for i, row in enumerate(table.records):
                    indicator, regio, groep, _ = measure.key(row, table.codes[i])
                    if None not in (indicator, regio, groep):
                        extra.setdefault(i, []).extend(self.hidden_numbers(indicator, regio, groep))
        return table.result(self.base_threshold, cells.texts, extra, quotes)

    def _claims(self, table: Suppression, cells: Cells) -> tuple[dict[int, list], dict[str, dict[int, list]]]:
        """Rule 5 on a register: the claim's cells hidden, its hidden numbers for its texts and quotations."""
        if not cells.claims or cells.claims not in table.frame.columns:
            return {}, {}
        extra, by_quote = {}, {}
        ids = [str(r.get(cells.claims, "")) for r in table.records]
        for i, claim_id in enumerate(ids):
            claim = self.claims.get(claim_id)
            if claim is None:
                continue
            if claim.mark:
                for column in cells.claim_cells:
                    table.mark(i, column, claim.mark)
                table.primary_share = table.primary_share or claim.mark == HIDDEN
            extra[i] = list(claim.numbers)
            for column in cells.quotes:
                by_quote.setdefault((column, table.records[i].get(column)), []).extend(claim.quoted)
        quotes: dict[str, dict[int, list]] = {}
        for i in range(len(ids)):
            for column in cells.quotes:
                numbers = by_quote.get((column, table.records[i].get(column)))
                if numbers:
                    quotes.setdefault(column, {})[i] = numbers
        return extra, quotes

    def observations(self, rows: pd.DataFrame) -> Protected:
        """Rows of the observation table (a figure's data) with their hidden values emptied."""
        return self.table(rows, cells=Cells(measures=(OBSERVATION,)))

    def value(self, row: Mapping) -> ProtectedValue:
        """One observation as a key figure or in a key message: its value, or None and the mark."""
        result = self.observations(pd.DataFrame([dict(row)]))
        shown = next((c.mark for c in result.cells if c.column == "waarde"), None)
        return ProtectedValue(None if shown else number(row.get("waarde")), shown, result.notes)

    def key_figure(self, figure: KeyFigure) -> KeyFigure:
        """A key figure and its benchmarks with every hidden value replaced by its mark."""
        def shown(region: str, year: int, value: float | None, text: str) -> tuple[float | None, str]:
            key = (figure.indicator, region, figure.group, year)
            if value is None or not self.hides(key, figure.unit, value):
                return value, text
            count = figure.unit == "aantal" and figure.indicator in self.persons and value < self.threshold
            return None, disclosure_mark(self.threshold) if count else HIDDEN

        value, text = shown(figure.region, figure.year, figure.value, figure.text)
        benchmarks = tuple(replace(b, value=v, text=t) for b in figure.benchmarks
                           for v, t in [shown(b.region, b.year, b.value, b.text)])
        return replace(figure, value=value, text=text, benchmarks=benchmarks)


def _same_figure(value: float, hidden: float) -> bool:
    """Is ``value`` (as published, with its own decimals) the hidden figure rounded?"""
    decimals = published_decimals(value) or 0
    return abs(value - hidden) <= 0.5 * 10 ** -decimals + 1e-9


def _inferred(frame: pd.DataFrame, columns: Sequence[Column]) -> tuple[Measure, ...]:
    """Every number column of the table as a measure, keyed by the standard columns it has."""
    keys = {part: part for part in KEY if part in frame.columns}
    measures = []
    for column in columns:
        if column.kind != "number" or column.name not in frame.columns:
            continue
        own = column.name.startswith("waarde")  # other numbers (years, ranks, estimates) count no persons
        counts = ("teller", "noemer", "n") if column.name == "waarde" else ()
        measures.append(Measure(column.name, unit=column.unit, unit_column=column.unit_column, keys=keys,
                                counts=counts[:1], bases=counts[1:], persons=None if own else False))
    return tuple(measures)


def group_classes(groepen: pd.DataFrame | None) -> dict[str, str]:
    """Group -> its classification for secondary suppression: ``soort`` and ``indeling`` of ``groepen.csv``
    ('herkomst/migratieachtergrond', 'leeftijd/'); the total belongs to every one."""
    if groepen is None or "groep" not in groepen.columns:
        return {}
    soort = groepen.get("soort", pd.Series("", index=groepen.index)).fillna("").astype(str)
    indeling = groepen.get("indeling", pd.Series("", index=groepen.index)).fillna("").astype(str)
    return {g: f"{s}/{i}" for g, s, i in zip(groepen["groep"], soort, indeling) if g != TOTAL}


def _data_decisions(obs: pd.DataFrame, persons: frozenset[str], classes: Mapping[str, str],
                    threshold: int) -> tuple[dict, dict, dict, frozenset]:
    """Rules 1-3 on the observations of the run: (marks, values, shares) by figure, and the figures hidden only
    by rule 3."""
    live = series.active(obs).reset_index(drop=True)
    if live.empty:
        return {}, {}, {}, frozenset()
    candidates = _candidates(live, persons, threshold)
    decided = Gate(threshold, persons, classes=classes).table(
        candidates, cells=Cells(measures=(replace(OBSERVATION, keys={p: p for p in (*KEY, "reeks")}),)))
    marks, values, shares, primary = {}, {}, {}, set()
    for cell in decided.cells:
        if cell.column != "waarde":
            continue
        row = candidates.iloc[cell.row]
        key = (row["indicator"], row["regio"], row["groep"], int(row["jaar"]))
        if _primary_row(row, persons, threshold):
            primary.add(key)
        if marks.get(key) != disclosure_mark(threshold):
            marks[key] = cell.mark
        values[key] = (*values.get(key, ()), float(row["waarde"]))
        if row["eenheid"] in FACTORS:
            share = (row["regio"], row["groep"], int(row["jaar"]), row["eenheid"])
            shares[share] = (*shares.get(share, ()), float(row["waarde"]))
    return marks, values, shares, frozenset(set(marks) - primary)


def _primary_row(row: pd.Series, persons: frozenset[str], threshold: int) -> bool:
    """Do rules 1 and 2 hide this observation by itself?"""
    tellers = [v for c in ("teller",) if (v := number(row.get(c))) is not None]
    bases = [v for c in ("noemer", "n") if (v := number(row.get(c))) is not None]
    return primary_rule(number(row["waarde"]), row["eenheid"], row["indicator"] in persons, tellers, bases, threshold)


def _candidates(live: pd.DataFrame, persons: frozenset[str], threshold: int) -> pd.DataFrame:
    """The observations a decision can touch: every row of a breakdown (indicator, regio, jaar, reeks) that holds
    a figure rules 1 and 2 hide. The rest of the data is published as it is."""
    columns = [c for c in ("teller", "noemer", "n") if c in live.columns]
    small = pd.Series(False, index=live.index)
    for column in columns:
        small |= pd.to_numeric(live[column], errors="coerce") < threshold
    value = pd.to_numeric(live["waarde"], errors="coerce")
    small |= (live["eenheid"] == "aantal") & live["indicator"].isin(persons) & (value < threshold)
    if "noemer" in live.columns:  # an implied teller: 2,4% of 252
        factor = live["eenheid"].map(FACTORS)
        implied = (value * pd.to_numeric(live["noemer"], errors="coerce") / factor).round()
        small |= implied.notna() & (implied < threshold)
    breakdown = ["indicator", "regio", "jaar", "reeks"]
    touched = live.loc[small, breakdown].drop_duplicates()
    return live.merge(touched, on=breakdown, how="inner")


def _year(value) -> int | None:
    return int(value) if str(value).strip().isdigit() else None


def _claim_secrets(gate: Gate, beweringen: pd.DataFrame | None, obs: pd.DataFrame) -> tuple[dict, dict]:
    """Rule 5: per claim of ``beweringen.csv`` the mark of its figure and the hidden numbers it touches, read from
    the claim's own columns (indicator, regio, groep, jaar, jaar_tot, noemer_indicator, noemer_groep); the shares
    the register would recompute from a hidden teller or noemer (for rule 4) and the numbers behind them."""
    if beweringen is None or beweringen.empty:
        return {}, {}, {}
    live = series.active(obs)
    small = disclosure_mark(gate.threshold)
    claims, shares, behind = {}, {}, {}

    def values_at(indicator: str, regio: str, groep: str, jaar: int | None) -> list[float]:
        rows = live[(live["indicator"] == indicator) & (live["regio"] == regio) & (live["groep"] == groep)
                    & (live["jaar"] == jaar)]
        return [float(v) for v in rows["waarde"]]

    for claim in beweringen.fillna("").to_dict("records"):
        kind, indicator = str(claim.get("berekening", "")), str(claim.get("indicator", ""))
        regio, groep = str(claim.get("regio", "")), str(claim.get("groep", ""))
        jaar, jaar_tot = _year(claim.get("jaar", "")), _year(claim.get("jaar_tot", ""))
        expected = number(claim.get("verwacht"))
        numbers: list[tuple[float, str]] = []

        def at(indicator: str, regio: str, groep: str, first: int | None, last: int | None = None) -> str | None:
            """The mark of the figure (any year from ``first`` to ``last``), its values added to ``numbers``."""
            if first is None:
                return None
            found = gate.hidden_numbers(indicator, regio, groep, first, first if last is None else last)
            numbers.extend(found)
            return found[0][1] if found else None

        mark = None
        if kind == "waarde":
            mark = at(indicator, regio, groep, jaar)
            if (mark is None and indicator in gate.persons and str(claim.get("eenheid")) == "aantal"
                    and expected is not None and expected < gate.threshold):
                mark = small
        elif kind in ("aandeel", "per_1000"):
            noemer_groep = str(claim.get("noemer_groep") or TOTAL)
            noemer = str(claim.get("noemer_indicator", ""))
            teller_mark, noemer_mark = at(indicator, regio, groep, jaar), at(noemer, regio, noemer_groep, jaar)
            if teller_mark or noemer_mark:
                mark = HIDDEN
                unit, factor = ("procent", 100) if kind == "aandeel" else ("per_1000", 1000)
                ratios = [t / n * factor for t in values_at(indicator, regio, groep, jaar)
                          for n in values_at(noemer, regio, noemer_groep, jaar) if n]
                for ratio in ratios:
                    numbers.append((ratio, HIDDEN))
                found = [v for v in [expected, *ratios] if v is not None]
                share = (regio, groep, jaar, unit)
                shares[share] = (*shares.get(share, ()), *found)
                behind[share] = (*behind.get(share, ()), *(n for n in numbers if n[1] != HIDDEN))
        elif kind in ("verandering_procent", "verschil"):
            if [at(indicator, regio, groep, jaar), at(indicator, regio, groep, jaar_tot)] != [None, None]:
                mark = HIDDEN
        elif kind == "richting":
            at(indicator, regio, groep, jaar if jaar is not None else 0, jaar_tot if jaar_tot is not None else 9999)
        elif kind in ("hoogste", "laagste"):
            over_regions = ";" in regio
            for candidate in (regio if over_regions else groep).split(";"):
                where = (candidate.strip(), groep) if over_regions else (regio, candidate.strip())
                at(indicator, *where, jaar if jaar is not None else 0, jaar if jaar is not None else 9999)
        if mark and expected is not None:
            numbers.append((expected, mark))
        quoted = [*numbers, *(n for r in regio.split(";") for n in gate.breakdown_numbers(indicator, r.strip(), jaar))]
        if mark or numbers or quoted:
            claims[str(claim.get("id", ""))] = Claim(mark, tuple(dict.fromkeys(numbers)), tuple(dict.fromkeys(quoted)))
    return claims, shares, behind
