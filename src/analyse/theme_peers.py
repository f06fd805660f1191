"""The figures that set a municipality among all municipalities, for :class:`analyse.theme.Thema`.

:meth:`Peers.position`: where the municipality stands among the municipalities of its CBS size class, for one
indicator, group, year and reeks (:func:`analyse.peers.compare`), with its comparison regions marked.
:meth:`Peers.overview_map`: a map of all municipalities (``data/raw/gemeentegrenzen_<jaar>.geojson``) with the
municipality and its peers, or one indicator per municipality. Both read the data of every municipality, not
only the notebook's regions: a peer is any municipality of the same size.
"""

from __future__ import annotations

import pandas as pd

from analyse import boundaries, contract, peers, presenter, series
from analyse.plots.maps import choropleth_figure, describe_choropleth, describe_peer_map, peer_map_figure
from analyse.plots.position import describe_position, position_figure
from analyse.schema import DataError, Problem
from analyse.text import label_texts
from analyse.text.figure_texts import figure_guidance, no_map, no_position, size_class_text
from analyse.text.sources import source_line
from analyse.theme_figures import Figures, area_roles
from analyse.theme_part import ThemePart


class Peers(ThemePart):
    """Position among peers and overview maps for one notebook (see the module docstring)."""

    def _all(self, indicator: str, groep: str) -> pd.DataFrame:
        """The rows of ``indicator`` and ``groep`` that count, for every region."""
        obs = series.active(self.dataset.observations)
        return obs[(obs["indicator"] == indicator) & (obs["groep"] == groep)]

    def _save(self, name: str, draw, data: pd.DataFrame, arguments: dict, *, indicator: str, kind: str,
              guidance: str, alt: str, in_note: bool) -> presenter.FigureView:
        record = contract.FigureRecord(name=name, indicator=indicator, kind=kind, png="", svg="",
                                       title=arguments["title"], source=arguments["bron"], guidance=guidance, alt=alt,
                                       in_note=in_note, main=in_note and not any(f.main for f in self.out.figures))
        saved = self.out.figure(name, draw, data, arguments, record=record)
        return presenter.FigureView(self.out.png_path(saved), saved)

    def position(self, indicator: str, *, groep: str = "totaal", jaar: int | None = None, title: str | None = None,
                 name: str | None = None, in_note: bool = True):
        """The municipality among the municipalities of its size: the newest year of its chosen reeks in the
        window (or ``jaar``), the same indicator, group and reeks for every peer and comparison region."""
        ctx = self.context
        rows = self._all(indicator, groep)
        own = series.choose(rows[(rows["regio"] == ctx.region) & rows["jaar"].between(ctx.start_year, ctx.end_year)],
                            self.grades)
        label = self.cat.label(indicator)
        comparison, year = None, jaar if jaar is not None else ctx.end_year
        for year in ([jaar] if jaar is not None else sorted(set(own["jaar"]), reverse=True)):  # newest possible
            in_year = own[own["jaar"] == year]
            comparison = None if in_year.empty else peers.compare(
                self.dataset.observations, self.dataset.regios, ctx.region, indicator, groep, year,
                in_year["reeks"].iloc[0])
            if comparison is not None:
                break
        if comparison is None:
            return presenter.paragraph(no_position(label, ctx.region, year), italic=True)
        same = rows[(rows["jaar"] == year) & (rows["reeks"] == comparison.reeks)].drop_duplicates("regio")
        roles = area_roles(ctx, self.cat, comparison.peers.index)
        others = [(r, "vergelijking") for r in roles.comparisons] + [(r, "land") for r in roles.national]
        values = same.set_index("regio")["waarde"]
        frame = pd.DataFrame([(ctx.region, comparison.value, "gemeente")]
                             + [(r, float(v), "gelijke") for r, v in comparison.peers.items()]
                             + [(r, float(values[r]), role) for r, role in others if r in values.index],
                             columns=["regio", "waarde", "rol"])
        peers_label = f"{comparison.n} gemeenten met {size_class_text(comparison.group.size_class)}"
        labels = self.cat.series_labels()
        title = title or label_texts.title(label, self.cat.group(groep),
                                           f"{ctx.region} tussen gemeenten van dezelfde grootte", str(year))
        source = self._source(same[same["regio"].isin(frame["regio"])])
        summary = {"median": comparison.median, "lower_quartile": comparison.lower_quartile,
                   "upper_quartile": comparison.upper_quartile, "minimum": comparison.minimum,
                   "maximum": comparison.maximum, "below": comparison.below, "above": comparison.above}
        subject = label_texts.lower_first(label_texts.title(label, self.cat.group(groep)))
        arguments = dict(title=title, eenheid=comparison.unit, bron=source, peers_label=peers_label, summary=summary,
                         jaar=year, roles=roles, labels=labels, subject=subject)
        guidance = figure_guidance(
            "positie", per="regio", unit=comparison.unit, year=year, peers=peers_label, highlight=ctx.region,
            comparisons=[labels.get(r, r) for r in frame.loc[frame["rol"] == "vergelijking", "regio"]],
            references=[labels.get(r, r) for r in frame.loc[frame["rol"] == "land", "regio"]])
        alt = describe_position(frame, eenheid=comparison.unit, title=title, peers_label=peers_label,
                                summary=summary, jaar=year, labels=labels, subject=subject)
        name = name or f"positie_{indicator}_{groep}".lower()
        return self._save(name, position_figure, frame, arguments, indicator=indicator, kind="positie",
                          guidance=guidance, alt=alt, in_note=in_note)

    def _boundaries(self) -> tuple[pd.DataFrame, int, str]:
        """The municipal boundaries of ``data/raw`` (only the municipalities of ``regios.csv``), their year and
        their source line part (producer, publisher); :class:`~analyse.schema.DataError` when the file is wrong or
        ``bronnen.csv`` has no line for it."""
        found = boundaries.find(self.context.data_dir / "raw")
        if found is None:
            raise FileNotFoundError(f"data/raw heeft geen gemeentegrenzen ({boundaries.PATTERN})")
        path, year = found
        if path.stem not in self.cat.sources.index:
            raise DataError([Problem("bronnen.csv", None, "bron", path.stem,
                                     f"een regel voor {path.name} (producent, uitgever, licentie)")])
        regios = self.dataset.regios
        municipal = set(regios.loc[regios["niveau"] == "gemeente", "code"])
        shapes = boundaries.read(path)
        origin = self.cat.origin(path.stem)
        return shapes[shapes["gemeentecode"].isin(municipal)].reset_index(drop=True), year, \
            (origin.producer, origin.publisher)

    def overview_map(self, indicator: str | None = None, *, groep: str = "totaal", jaar: int | None = None,
                     title: str | None = None, name: str | None = None, in_note: bool = True):
        """A map of all municipalities: without ``indicator`` the municipality and the municipalities of its size
        in the year of the boundaries (or ``jaar``); with one, its value per municipality (a rate or share: a count
        grows with size), in the newest year up to the window's end (or ``jaar``), the municipality outlined."""
        ctx = self.context
        try:
            shapes, borders, border_origin = self._boundaries()
        except FileNotFoundError as missing:
            return presenter.paragraph(no_map(f"{missing}."), italic=True)
        codes = dict(zip(self.dataset.regios["regio"], self.dataset.regios["code"]))
        labels = self.cat.series_labels()
        roles = area_roles(ctx, self.cat)
        if indicator is None:
            return self._peer_map(shapes, borders, border_origin, codes, labels, roles, jaar, title, name, in_note)
        unit = self.cat.unit(indicator)
        if unit not in peers.COMPARABLE_UNITS:
            return presenter.paragraph(no_map(f"{label_texts.lower_first(self.cat.label(indicator))} is een aantal of "
                                              "rangorde; dat groeit met de grootte van de gemeente."), italic=True)
        rows = self._all(indicator, groep)
        rows = rows[rows["regio"].map(codes).isin(set(shapes["gemeentecode"])) & (rows["jaar"] <= ctx.end_year)]
        if rows.empty:
            return presenter.paragraph(no_map(f"geen cijfers per gemeente van {self.cat.label(indicator)}."), italic=True)
        year = jaar if jaar is not None else (borders if borders in set(rows["jaar"]) else int(rows["jaar"].max()))
        rows = rows[rows["jaar"] == year]
        own = rows[rows["regio"] == ctx.region]
        reeks = own["reeks"].iloc[0] if len(own) else rows["reeks"].value_counts().index[0]
        values = Figures._for_display(rows[rows["reeks"] == reeks].drop_duplicates("regio"))
        by_code = dict(zip(values["regio"].map(codes), values["waarde"].astype(float)))
        names = {code: regio for regio, code in codes.items()}
        frame = pd.DataFrame({"code": sorted(set(shapes["gemeentecode"]))})
        frame = frame.assign(regio=frame["code"].map(names), waarde=frame["code"].map(by_code),
                             rol=["gemeente" if c == codes.get(ctx.region) else "" for c in frame["code"]])
        label = self.cat.label(indicator)
        title = title or label_texts.title(label, self.cat.group(groep), "per gemeente", str(year))
        source = source_line([(o.producer, o.publisher) for o in self.cat.origins(values)] + [border_origin],
                             ctx.editor)
        subject = label_texts.lower_first(label_texts.title(label, self.cat.group(groep)))
        arguments = dict(shapes=shapes, title=title, eenheid=unit, bron=source, jaar=year, roles=roles, labels=labels,
                         subject=subject)
        guidance = figure_guidance("kaart", choropleth=True, unit=unit, year=year, borders=borders,
                                   highlight=ctx.region if "gemeente" in set(frame["rol"]) else None)
        alt = describe_choropleth(frame, eenheid=unit, title=title, jaar=year, labels=labels, subject=subject)
        return self._save(name or f"kaart_{indicator}_{groep}".lower(), choropleth_figure, frame, arguments,
                          indicator=indicator, kind="kaart", guidance=guidance, alt=alt, in_note=in_note)

    def _peer_map(self, shapes, borders, border_origin, codes, labels, roles, jaar, title, name, in_note):
        ctx = self.context
        obs, regios = self.dataset.observations, self.dataset.regios
        indicator, groep, reeks = peers.POPULATION
        counted = obs[(obs["indicator"] == indicator) & (obs["groep"] == groep) & (obs["reeks"] == reeks)
                      & (obs["regio"] == ctx.region) & (obs["jaar"] <= ctx.end_year)]
        candidates = set(counted["jaar"])
        year = jaar if jaar is not None else (borders if borders in candidates else max(candidates, default=borders))
        group = peers.peer_group(obs, regios, ctx.region, year)
        if group is None:
            return presenter.paragraph(no_map(f"{ctx.region} heeft geen CBS-inwonertal in {year}."), italic=True)
        comparisons = [r for r in roles.comparisons if codes.get(r, "").startswith("GM")]
        frame = pd.DataFrame([(ctx.region, codes[ctx.region], "gemeente")]
                             + [(m, codes[m], "gelijke") for m in group.members]
                             + [(r, codes[r], "vergelijking") for r in comparisons], columns=["regio", "code", "rol"])
        peers_label = f"{len(group.members)} gemeenten met {size_class_text(group.size_class)}"
        title = title or label_texts.title(f"{ctx.region} en de gemeenten van dezelfde grootte", str(year))
        population = series.active(obs)
        population = population[(population["indicator"] == indicator) & (population["jaar"] == year)
                                & (population["reeks"] == reeks) & population["regio"].isin(frame["regio"])]
        source = source_line([(o.producer, o.publisher) for o in self.cat.origins(population)] + [border_origin],
                             ctx.editor)
        arguments = dict(shapes=shapes, title=title, bron=source, peers_label=peers_label, jaar=year, roles=roles,
                         labels=labels)
        guidance = figure_guidance("kaart", year=year, borders=borders, peers=peers_label, highlight=ctx.region,
                                   comparisons=[labels.get(r, r) for r in comparisons])
        alt = describe_peer_map(frame, jaar=year, peers_label=peers_label, labels=labels)
        return self._save(name or "kaart_gemeenten_zelfde_grootte", peer_map_figure, frame, arguments,
                          indicator=indicator, kind="kaart", guidance=guidance, alt=alt, in_note=in_note)
