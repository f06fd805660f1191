"""Lookups in the catalogues of ``data/raw``: labels, units, regions, producers, the source of a row.

One object per notebook (:class:`Catalogue`), built from a :class:`analyse.data.Dataset`. The Dutch source
line itself is written by :func:`analyse.text.sources.source_line`; this module only finds who produced a number
and where it was found.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analyse import areas, contract, series
from analyse.text.label_texts import CONTRACT_WORDS
from analyse.data import Dataset

@dataclass(frozen=True)
class Origin:
    """Who produced a number and where it was found, with the grade of that finding."""

    producer: str
    publisher: str
    grade: str  # primair | secundair | schatting


class Catalogue:
    """Labels and sources for one dataset."""

    def __init__(self, dataset: Dataset):
        ind = dataset.indicatoren
        self.dataset = dataset
        self.labels = dict(zip(ind["indicator"], ind["label"]))
        self.units = dict(zip(ind["indicator"], ind["eenheid"]))
        self.persons = {i for i, p in zip(ind["indicator"], ind["personen"]) if str(p).strip().lower() == "ja"}
        self.decimal_places = {i: int(d) for i, d in zip(ind["indicator"], ind.get("decimalen", [""] * len(ind)))
                               if str(d).strip()}
        self.group_labels = dict(zip(dataset.groepen["groep"], dataset.groepen["label"]))
        self.classification = dict(zip(dataset.groepen["groep"], dataset.groepen["indeling"]))
        regios = dataset.regios
        self.region_labels = dict(zip(regios["regio"], regios["label"]))
        self.region_levels = dict(zip(regios["regio"], regios["niveau"]))
        self.inside = dict(zip(regios["regio"], regios["ligt_in"]))
        bronnen = dataset.bronnen.set_index("bron")
        self.sources = bronnen
        self.reeks_producers = dict(zip(dataset.reeksen["reeks"], dataset.reeksen["producent"]))
        self.reeks_names = dict(zip(dataset.reeksen["reeks"], dataset.reeksen["naam"]))
        self._origins: dict[tuple[str, str | None], Origin] = {}  # origin() of a bron and reeks, once each

    # ------------------------------------------------------------------ labels

    def label(self, indicator: str) -> str:
        return self.labels.get(indicator, indicator)

    def unit(self, indicator: str) -> str:
        return self.units[indicator]

    def decimals(self, indicator: str) -> int | None:
        """The decimals an indicator is shown with everywhere (``decimalen`` in indicatoren.csv); None: as
        published."""
        return self.decimal_places.get(indicator)

    def group(self, groep: str) -> str:
        return self.group_labels.get(groep, groep)

    def region(self, regio: str) -> str:
        return self.region_labels.get(regio, regio)

    def series_labels(self) -> dict[str, str]:
        """Legend labels for group codes and region names together (figures colour by either)."""
        return {**self.group_labels, **self.region_labels}

    def parts_of(self, regio: str, level: str) -> list[str]:
        """The regions of ``level`` (``wijk``, ``buurt``) lying in ``regio`` (see :func:`analyse.areas.within`)."""
        return areas.within(self.dataset.regios, regio, level)

    def names(self) -> dict[str, str]:
        """Every code of the catalogues with the name a reader knows it by (for texts that mention codes).

        Only codes with an underscore: a code without one (``inwoners``, ``westers``) is a word already.
        """
        sources = {code: row["naam"] for code, row in self.sources.iterrows()}
        indicators = {code: label[:1].lower() + label[1:] for code, label in self.labels.items()}
        groups = {code: label[:1].lower() + label[1:] if code != "totaal" else "totaal"
                  for code, label in self.group_labels.items()}
        names = {**sources, **self.reeks_names, **indicators, **groups, **CONTRACT_WORDS}
        return {code: name for code, name in names.items() if "_" in code}  # other codes are plain words

    # ------------------------------------------------------------------ sources

    def origin(self, bron: str, reeks: str | None = None) -> Origin:
        """Producer (of the reeks when catalogued, else of the bron), publisher and grade of a number.

        A number counts as secondary when it was found with another publisher than its producer, even if
        ``bronnen.csv`` grades the publication as primary for its own numbers.
        """
        if (bron, reeks) not in self._origins:
            self._origins[(bron, reeks)] = self._origin(bron, reeks)
        return self._origins[(bron, reeks)]

    def _origin(self, bron: str, reeks: str | None) -> Origin:
        if bron not in self.sources.index:
            return Origin(bron, bron, "secundair")
        source = self.sources.loc[bron]
        reeks_producer = self.reeks_producers.get(reeks or "", "")
        producer = series.short_name(reeks_producer or source["producent"])
        grade = series.effective_grade(source["soort"], source["producent"], reeks_producer)
        return Origin(producer, series.short_name(source["uitgever"]), grade)

    def origins(self, rows: pd.DataFrame) -> list[Origin]:
        """Distinct origins of ``rows`` (denominators of derived rows included), in a stable order."""
        found = {}
        for bron, reeks in dict.fromkeys(zip(rows["bron"].tolist(), rows["reeks"].tolist())):
            origin = self.origin(bron, reeks)
            found[(origin.producer, origin.publisher)] = origin
        if "noemer_bron" in rows.columns:
            denominators = zip(rows["noemer_bron"].fillna("").tolist(), rows["noemer_reeks"].fillna("").tolist())
            for bron, reeks in dict.fromkeys(denominators):
                if bron:
                    origin = self.origin(bron, reeks)
                    found.setdefault((origin.producer, origin.publisher), origin)
        return [found[key] for key in sorted(found)]

    def source_records(self, rows: pd.DataFrame, grade: str | None = None) -> tuple[contract.Source, ...]:
        """The publications behind ``rows`` for the report contract (``grade`` instead of their own: the
        sources of rows a report leaves out, 'niet_citeerbaar')."""
        records = []
        for bron in sorted(set(rows["bron"]) | set(rows.get("noemer_bron", pd.Series(dtype=str)).dropna()) - {""}):
            if bron not in self.sources.index:
                continue
            source = self.sources.loc[bron]
            records.append(contract.Source(code=bron, name=source["naam"], publisher=source["uitgever"],
                                           producer=source["producent"], grade=grade or source["soort"],
                                           address=source.get("adres", "")))
        return tuple(records)
