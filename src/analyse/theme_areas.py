"""The wijk section of a theme notebook: the wijken side by side and segregation over the buurten.

:class:`Areas` works for :class:`analyse.theme.Thema`: shares per wijk computed from CBS counts in both origin
classifications (:mod:`analyse.profile`), small shares not published, the index of dissimilarity over the buurten
with its chance level (:mod:`analyse.segregation`), and the key messages that follow from them.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown

from analyse import areas, contract, disclosure, indicators, presenter, profile, segregation, series
from analyse.plots.bars import bar_figure, describe_bars
from analyse.text.area_texts import (chance_text, classification_note, dissimilarity_formula,
                                     segregation_explanation, sentence_area_difference, sentence_dissimilarity,
                                     sentence_top_area)
from analyse.text.figure_texts import figure_guidance
from analyse.text.label_texts import lower_first
from analyse.theme_part import ThemePart


def most_of_group(rows: pd.DataFrame, small_count: int) -> tuple[str, float] | None:
    """The wijk where most of the group lives and its share of the whole group (percent), from the counts of every
    wijk (rows of :func:`analyse.profile.profile` for one indicator: ``area``, ``count``); None when a wijk count is
    missing (the total would be wrong) or that wijk's count is under ``small_count``."""
    counts = rows["count"]
    if rows.empty or counts.isna().any() or counts.sum() <= 0:
        return None
    top = rows.loc[counts.idxmax()]
    if top["count"] < small_count:
        return None
    return str(top["area"]), float(100 * top["count"] / counts.sum())


class Areas(ThemePart):
    """The wijk section of one notebook (see the module docstring)."""

    AREA_PROFILE_COUNTS = (
        ("aantal_herkomst", "niet_westers"), ("aantal_herkomst", "westers"),
        ("aantal_herkomst", "herkomst_buiten_europa"), ("aantal_herkomst", "herkomst_europa"),
        ("aantal_leeftijd", "leeftijd_0_14"), ("aantal_leeftijd", "leeftijd_65_plus"),
    )
    """Counts per wijk whose share of all inhabitants the wijk profile shows (both origin classifications)."""

    def _area_year(self, indicator: str, groep: str, level: str) -> int | None:
        """The newest year up to the window's end with counts for the areas of ``level`` in the region."""
        names = areas.within(self.dataset.regios, self.context.region, level)
        rows = indicators.select(series.active(self.theme_obs), indicator=indicator, groep=groep, regio=names,
                                 end=self.context.end_year)
        return int(rows["jaar"].max()) if not rows.empty else None

    def _region_value(self, indicator: str, groep: str, jaar: int) -> float:
        rows = indicators.select(series.active(self.theme_obs), indicator=indicator, groep=groep,
                                 regio=self.context.region)
        rows = rows[rows["jaar"] == jaar]
        return float(rows["waarde"].iloc[0]) if len(rows) == 1 else float("nan")

    def profile(self):
        """The wijken of the region side by side: inhabitants, origin in both CBS classifications, age.

        Each share is computed from CBS counts (count / inhabitants of the same wijk and year), for the
        newest year with wijk counts; a share resting on fewer persons than the small-numbers threshold is
        not published. Key messages name the wijk with the highest share and where wijken differ most from
        the municipal average. No change is computed between the two origin classifications.
        """
        ctx = self.context
        parts, municipal, sources, keys = [], [], [], {}
        for indicator, groep in self.AREA_PROFILE_COUNTS:
            jaar = self._area_year(indicator, groep, "wijk")
            if jaar is None:
                continue
            label = f"{self.cat.group(groep)} ({jaar})"
            keys[label] = {"indicator": indicator, "groep": groep, "jaar": jaar}  # the count a share rests on
            counts = areas.area_counts(self.theme_obs, self.dataset.regios, region=ctx.region, level="wijk",
                                       jaar=jaar, indicator=indicator, groep=groep)
            parts.append(counts.assign(indicator=label, groep=groep, jaar=jaar))
            municipal.append({"indicator": label, "count": self._region_value(indicator, groep, jaar),
                              "base": self._region_value("inwoners", "totaal", jaar)})
            sources.append(self.theme_obs[self.theme_obs["regio"].isin(counts["area"])
                                          & self.theme_obs["indicator"].isin([indicator, "inwoners"])
                                          & (self.theme_obs["jaar"] == jaar)])
        if not parts:
            return [presenter.paragraph(f"Voor {ctx.region} zijn er geen cijfers per wijk in de data.", italic=True)]
        counts = pd.concat(parts, ignore_index=True)
        table = profile.profile(counts, municipal=pd.DataFrame(municipal))
        rows = pd.concat(sources, ignore_index=True)
        source = self._source(rows)
        frame = self._wijk_table(table, counts)
        self._wijk_messages(table, counts)
        labels = [c for c in frame.columns if c not in ("wijk", "inwoners", "jaar_inwoners")]
        columns = (contract.Column("wijk", "Wijk"),
                   contract.Column("inwoners", f"Inwoners ({int(frame['jaar_inwoners'].iloc[0])})", "number",
                                   "aantal", decimals=0),
                   *(contract.Column(label, f"{label}, %", "number", "procent", decimals=1) for label in labels))
        cells = disclosure.Cells(measures=(  # a share per wijk is hidden with the count it rests on (the gate)
            disclosure.Measure("inwoners", unit="aantal", keys={"regio": "wijk", "jaar": "jaar_inwoners"},
                               fixed={"indicator": "inwoners", "groep": "totaal"}, persons=True),
            *(disclosure.Measure(label, unit="procent", keys={"regio": "wijk"}, fixed=keys[label])
              for label in labels)))
        notes = (classification_note(),)  # the gate adds what its marks mean
        self.out.table("wijken", frame, title=f"Wijken van {ctx.region}: herkomst en leeftijd", source=source,
                       columns=columns, notes=notes, in_note=True, cells=cells)
        figure = self._wijk_figure(table, source, keys)
        return [item for item in (figure, self.out.display("wijken")) if item is not None]

    def _wijk_table(self, table: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
        """One row per wijk (and the municipality): inhabitants and every share (the writer's gate hides what
        rests on few persons)."""
        ctx = self.context
        wijken = list(dict.fromkeys(counts["area"]))
        year = int(counts["jaar"].max())
        population = areas.area_counts(self.theme_obs, self.dataset.regios, region=ctx.region, level="wijk",
                                       jaar=year, indicator="inwoners", groep="totaal")
        frame = pd.DataFrame({"wijk": [*wijken, f"{ctx.region} (gemeente)"]})
        frame["inwoners"] = [*population.set_index("area")["count"].reindex(wijken),
                             self._region_value("inwoners", "totaal", year)]
        frame["jaar_inwoners"] = year
        for label, rows in table.groupby("indicator", sort=False):
            rows = rows.set_index("area").reindex(wijken)
            frame[label] = [*rows["value"], float(rows["average"].iloc[0])]
        return frame

    def _wijk_messages(self, table: pd.DataFrame, counts: pd.DataFrame) -> None:
        """Which wijk has the highest share of the origin groups, and which wijk differs most from the average."""
        ctx = self.context
        meta = counts.drop_duplicates("indicator").set_index("indicator")[["groep", "jaar"]]
        name = {a: a for a in counts["area"]}
        usable = table[~table["small_area"] & table["value"].notna()]
        for label, rows in usable.groupby("indicator", sort=False):
            groep, jaar = meta.loc[label, "groep"], int(meta.loc[label, "jaar"])
            if groep not in ("niet_westers", "herkomst_buiten_europa"):
                continue
            top = rows.loc[rows["value"].idxmax()]
            self.out.message(sentence_top_area(name[top["area"]], lower_first(self.cat.group(groep)),
                                               top["value"], top["average"], ctx.region, jaar,
                                               most=most_of_group(table[table["indicator"] == label],
                                                                  ctx.settings.small_count)))
        most = profile.highlights(table, n=1, min_difference=2.0)
        if not most.empty:
            row = most.iloc[0]
            groep, jaar = meta.loc[row["indicator"], "groep"], int(meta.loc[row["indicator"], "jaar"])
            self.out.message(sentence_area_difference(name[row["area"]], lower_first(self.cat.group(groep)),
                                                      row["value"], row["average"], row["difference"], jaar))

    def _wijk_figure(self, table: pd.DataFrame, source: str, keys: dict) -> presenter.FigureView | None:
        ctx = self.context
        rows = table[table["indicator"].str.startswith("Herkomst buiten Europa")]
        if rows.empty:
            return None
        label = str(rows["indicator"].iloc[0])
        drawn = pd.DataFrame({"regio": [*rows["area"], f"{ctx.region} (gemiddeld)"],
                              "waarde": [*rows["value"], float(rows["average"].iloc[0])]})
        key = keys[label]
        hidden = [self.out.gate.hides((key["indicator"], area, key["groep"], key["jaar"]), "procent", value)
                  for area, value in zip(rows["area"], rows["value"])]
        drawn.loc[[*hidden, False], "waarde"] = float("nan")
        drawn = drawn.assign(afgeleid=True)  # shares computed here: one decimal on the bars and in the alt text
        title = f"{label}, wijken van {ctx.region}"
        average = drawn["regio"].iloc[-1]  # the municipality as a whole: a reference line, not one more bar
        guidance = figure_guidance("staaf", per="regio", unit="procent", series=len(drawn),
                                   year=int(label[-5:-1]), references=[average])
        alt = describe_bars(drawn, category="regio", eenheid="procent", title=title,
                            references=[average])
        record = contract.FigureRecord(name="wijken_herkomst", indicator="aandeel_herkomst", kind="staaf", png="",
                                       svg="", title=title, source=source, guidance=guidance, alt=alt)
        saved = self.out.figure("wijken_herkomst", bar_figure, drawn,
                                {"title": title, "bron": source, "category": "regio", "eenheid": "procent",
                                 "references": [average]}, record=record)
        return presenter.FigureView(self.out.png_path(saved), saved)

    def segregation(self, groep: str = "niet_westers", *, jaar: int | None = None):
        """The index of dissimilarity (and isolation) of ``groep`` against the rest, over the buurten.

        Computed on the real counts per buurt (small counts are used, never shown); next to it the value
        expected when everybody lived at random, since small buurten give D > 0 by chance alone.
        """
        ctx = self.context
        jaar = jaar or self._area_year("aantal_herkomst", groep, "buurt")
        if jaar is None:
            return [presenter.paragraph(f"Voor {ctx.region} zijn er geen cijfers per buurt over "
                                        f"{lower_first(self.cat.group(groep))} in de data.", italic=True)]
        counts = areas.area_counts(self.theme_obs, self.dataset.regios, region=ctx.region, level="buurt",
                                   jaar=jaar, indicator="aantal_herkomst", groep=groep)
        counts = counts.rename(columns={"count": "group", "base": "total"})
        if len(counts) < 2:  # a wijk of one buurt: there is nothing to spread over
            return [presenter.paragraph(f"{ctx.region} heeft in {jaar} cijfers over één buurt; een ongelijkheidsindex "
                                        "meet de spreiding over meer buurten en is hier niet te berekenen.",
                                        italic=True)]
        d = segregation.dissimilarity(counts, small_count=ctx.settings.small_count)
        x = segregation.exposure(counts, small_count=ctx.settings.small_count)
        group_label = lower_first(self.cat.group(groep))
        frame = pd.DataFrame([{
            "jaar": jaar, "groep": self.cat.group(groep), "buurten": d.n_areas, "weggelaten": len(d.left_out),
            "d": d.value, "d_gecorrigeerd": d.systematic, "d_toeval": d.expected_random,
            "d_toeval_laag": d.random_range[0], "d_toeval_hoog": d.random_range[1],
            "kans_toeval": chance_text(d, how=False), "simulaties": d.simulations,
            "isolatie": x.isolation, "blootstelling": x.exposure}])
        columns = (contract.Column("jaar", "Jaar", "year"), contract.Column("groep", "Groep", "label"),
                   contract.Column("buurten", "Buurten", "number", "aantal", decimals=0),
                   contract.Column("d", "Ongelijkheidsindex D", "number", "index", decimals=3),
                   contract.Column("d_gecorrigeerd", "D gecorrigeerd voor toeval", "number", "index", decimals=3),
                   contract.Column("d_toeval", "Verwachte D bij willekeurige spreiding", "number", "index",
                                   decimals=3),
                   contract.Column("d_toeval_laag", "95%-bereik bij toeval, van", "number", "index", decimals=3),
                   contract.Column("d_toeval_hoog", "tot", "number", "index", decimals=3),
                   contract.Column("kans_toeval", "Kans op deze D of hoger bij toeval"),
                   contract.Column("simulaties", "Gesimuleerde spreidingen", "number", "aantal", decimals=0),
                   contract.Column("isolatie", "Isolatie-index", "number", "index", decimals=3),
                   contract.Column("blootstelling", "Blootstellingsindex", "number", "index", decimals=3))
        rows = self.theme_obs[self.theme_obs["regio"].isin(counts["area"]) & (self.theme_obs["jaar"] == jaar)
                              & self.theme_obs["indicator"].isin(["aantal_herkomst", "inwoners"])]
        self.out.table("segregatie", frame, title=f"Segregatie van {group_label} over de buurten van {ctx.region}, "
                       f"{jaar}", source=self._source(rows), columns=columns, in_note=True,
                       notes=(dissimilarity_formula(),))
        self.out.message(sentence_dissimilarity(d, group_label, ctx.region, jaar))
        explanation = segregation_explanation(d, exposure_result=x, group_label=html.escape(group_label),
                                              region=html.escape(ctx.region), jaar=jaar,
                                              source=html.escape(self._source(rows).removeprefix("Bron: ")))
        return [Markdown(explanation), presenter.table(frame, columns)]
