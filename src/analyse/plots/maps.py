"""Overview maps of the municipalities (plain matplotlib: one path per municipality, no GIS library):
:func:`peer_map_figure` (the municipality and the municipalities of its size) and :func:`choropleth_figure`
(one indicator per municipality in classes of a sequential, colour-blind-safe scale, the municipality outlined).

The boundaries come from :func:`analyse.boundaries.read` (longitude and latitude, WGS84); the map keeps the
shape of the country by the aspect of a degree at its middle latitude. Every municipality is one
:class:`~matplotlib.patches.PathPatch` of all its rings (holes run against their outer ring, so they stay open).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from analyse.boundaries import aspect
from analyse.plots.style import (AXIS_LABELS, FONT, FONT_SMALL, PEER_COLOUR, TEXT_COLOUR, Drawn, Roles, check_columns,
                                 decorate, label_of, new_figure, plain_text, subject_of)
from analyse.text.figure_texts import alt_sentence
from analyse.text.notation import count_noun, format_number, format_value, join_words, published_decimals

MAP_HEIGHT = 6.0  # inch; the map keeps its shape within the column width
MIDDLE_LATITUDE = 52.2  # of the Netherlands
OTHER_FILL = "#EBEBEB"
BORDER = "#FFFFFF"
MISSING_FILL = "#F7F7F7"
CLASSES = 5
SCALE = "crest"
"""The seaborn colour map of a choropleth: sequential (light to dark), one hue family, colour-blind safe."""


def _paths(shapes: pd.DataFrame) -> dict[str, MplPath]:
    """One compound path per municipality code, from the rows of :func:`analyse.boundaries.read`."""
    paths = {}
    for code, rows in shapes.groupby("gemeentecode", sort=True):
        vertices, codes = [], []
        for _, ring in rows.groupby("ring", sort=False):
            xy = ring[["lon", "lat"]].to_numpy(float)
            vertices.append(xy)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
        paths[code] = MplPath(np.concatenate(vertices), codes)
    return paths


def _draw(ax, paths: Mapping[str, MplPath], fills: Mapping[str, str], *, hatch: set | frozenset = frozenset(),
          outlines: Mapping[str, tuple[str, float]] | None = None) -> None:
    """Fill every municipality, then draw the outlines on top (so no neighbour covers them)."""
    codes = sorted(paths)
    ax.add_collection(PatchCollection([PathPatch(paths[c]) for c in codes], match_original=False,
                                      facecolors=[fills.get(c, OTHER_FILL) for c in codes], edgecolors=BORDER,
                                      linewidths=0.25, zorder=1))
    for code in sorted(hatch & set(codes)):
        ax.add_patch(PathPatch(paths[code], facecolor="none", edgecolor="#BBBBBB", hatch="////", linewidth=0,
                               zorder=1.5))
    for code, (colour, width) in (outlines or {}).items():
        if code in paths:
            ax.add_patch(PathPatch(paths[code], facecolor="none", edgecolor=colour, linewidth=width, zorder=3))
    lon = np.concatenate([p.vertices[:, 0] for p in paths.values()])
    lat = np.concatenate([p.vertices[:, 1] for p in paths.values()])
    ax.set_xlim(lon.min() - 0.05, lon.max() + 0.05)
    ax.set_ylim(lat.min() - 0.05, lat.max() + 0.05)
    ax.set_aspect(aspect(MIDDLE_LATITUDE))
    ax.set_axis_off()


def _zoom(ax, paths: Mapping[str, MplPath], code: str, draw) -> None:
    """An inset in the lower left corner (the sea and Belgium) with the surroundings of ``code`` enlarged: a small
    municipality is hardly more than a dot on the map of the country. ``draw(inset)`` fills it as the map."""
    if code not in paths:
        return
    vertices = paths[code].vertices
    (west, south), (east, north) = vertices.min(axis=0), vertices.max(axis=0)
    half = max(east - west, (north - south) * aspect(MIDDLE_LATITUDE), 0.12) * 1.2
    x, y = (west + east) / 2, (south + north) / 2
    inset = ax.inset_axes([0.0, 0.0, 0.34, 0.34])
    draw(inset)
    inset.set_xlim(x - half, x + half)
    inset.set_ylim(y - half / aspect(MIDDLE_LATITUDE), y + half / aspect(MIDDLE_LATITUDE))
    inset.set_axis_on()
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set(visible=True, color="#666666", linewidth=0.8)
    ax.indicate_inset_zoom(inset, edgecolor="#666666", linewidth=0.8)


def _name_on_map(ax, path: MplPath, name: str) -> None:
    """The municipality's name west of it, with a short leader line (the west of the country is sea)."""
    x, y = path.vertices[:, 0].mean(), path.vertices[:, 1].mean()
    ax.annotate(name, xy=(x, y), xytext=(-45, 18), textcoords="offset points", ha="right", va="center",
                fontsize=FONT, fontweight="bold", color=TEXT_COLOUR, zorder=4,
                arrowprops=dict(arrowstyle="-", color=TEXT_COLOUR, linewidth=0.8),
                bbox=dict(facecolor="white", edgecolor="none", pad=1.0, alpha=0.85))


@plain_text
def peer_map_figure(data: pd.DataFrame, *, shapes: pd.DataFrame, title: str, bron: str, peers_label: str,
                    jaar: int, roles: Roles = Roles(), labels: Mapping[str, str] | None = None) -> Drawn:
    """The municipality (its role colour), its peers (``rol`` ``gelijke``: :data:`PEER_COLOUR`) and every other
    municipality (light), the comparison regions outlined in their role colour.

    - ``data``: ``regio``, ``code``, ``rol`` (``gemeente``, ``gelijke``, ``vergelijking``); municipalities not in
      it are drawn as others.
    - ``shapes``: :func:`analyse.boundaries.read`; ``peers_label`` names the peers in the legend; ``jaar`` is the
      year of their size class.
    """
    check_columns(data, "regio", "code", "rol")
    paths = _paths(shapes)
    fig, ax = new_figure(MAP_HEIGHT)
    fills, outlines, handles, texts = {}, {}, [], []
    for regio, code, role in zip(data["regio"], data["code"], data["rol"]):
        style = roles.style(regio)
        if role == "gemeente":
            fills[code] = style.colour if style else "#000000"
        elif role == "gelijke":
            fills[code] = PEER_COLOUR
        elif role == "vergelijking" and style is not None:
            outlines[code] = (style.colour, 1.6)
    _draw(ax, paths, fills, outlines=outlines)
    for regio, code in zip(data.loc[data["rol"] == "gemeente", "regio"], data.loc[data["rol"] == "gemeente", "code"]):
        if code in paths:
            _zoom(ax, paths, code, lambda inset: _draw(inset, paths, fills, outlines=outlines))
            _name_on_map(ax, paths[code], label_of(labels, regio))
            handles.append(Patch(color=fills[code]))
            texts.append(label_of(labels, regio))
    handles += [Patch(color=PEER_COLOUR), Patch(color=OTHER_FILL)]
    texts += [peers_label[:1].upper() + peers_label[1:], "Andere gemeenten"]
    for regio, code in zip(data.loc[data["rol"] == "vergelijking", "regio"], data.loc[data["rol"] == "vergelijking", "code"]):
        if code in outlines:
            handles.append(Patch(facecolor="none", edgecolor=outlines[code][0], linewidth=1.6))
            texts.append(f"{label_of(labels, regio)} (rand)")
    ax.legend(handles, texts, loc="upper left", frameon=False, fontsize=FONT_SMALL, borderaxespad=0)
    decorate(fig, ax, title=title, bron=bron)
    alt = describe_peer_map(data, jaar=jaar, peers_label=peers_label, labels=labels)
    return fig, alt


def describe_peer_map(data: pd.DataFrame, *, jaar: int, peers_label: str,
                      labels: Mapping[str, str] | None = None) -> str:
    """"Kaart van alle gemeenten met Maassluis (blauw) en de 182 gemeenten met 20.000 tot 50.000
    inwoners in 2023 (grijs): met een gekleurde rand Rotterdam en Vlaardingen."."""
    own = [label_of(labels, r) for r in data.loc[data["rol"] == "gemeente", "regio"]]
    compared = [label_of(labels, r) for r in data.loc[data["rol"] == "vergelijking", "regio"]]
    details = [f"met een gekleurde rand {join_words(compared)}"] if compared else []
    return alt_sentence(f"Kaart van alle gemeenten met {join_words(own)} (blauw) en de {peers_label} in "
                        f"{jaar} (grijs)", details)


def _class_value(value: float, eenheid: str, decimals: int) -> str:
    """A class edge in the legend: with "%" or "€", other units in the legend's title ("2023, per 1.000")."""
    return format_value(value, eenheid, decimals) if eenheid in ("procent", "euro") else format_number(value, decimals)


def classes(values, n: int = CLASSES) -> list[float]:
    """Class edges with about as many municipalities in every class (quantiles), from the lowest to the highest
    value; fewer classes when values repeat."""
    values = np.asarray(values, dtype=float)
    return sorted(set(np.quantile(values, np.linspace(0, 1, n + 1)).tolist()))


@plain_text
def choropleth_figure(data: pd.DataFrame, *, shapes: pd.DataFrame, title: str, eenheid: str, bron: str,
                      jaar: int, roles: Roles = Roles(), labels: Mapping[str, str] | None = None,
                      subject: str | None = None) -> Drawn:
    """Every municipality in the colour of its value's class (:func:`classes`, :data:`SCALE`), the municipality
    of the run outlined thick and named; a municipality without a value is hatched.

    - ``data``: ``regio``, ``code``, ``waarde``, ``rol`` (``gemeente`` for the municipality of the run).
    """
    import seaborn

    check_columns(data, "regio", "code", "waarde", "rol")
    values = pd.to_numeric(data["waarde"], errors="coerce")
    data = data.assign(waarde=values)
    paths = _paths(shapes)
    measured = data[data["waarde"].notna() & data["code"].isin(paths)]
    edges = classes(measured["waarde"])
    colours = [seaborn.color_palette(SCALE, as_cmap=True)(x) for x in np.linspace(0.05, 1.0, max(1, len(edges) - 1))]
    index = np.clip(np.searchsorted(edges, measured["waarde"].to_numpy(), side="right") - 1, 0, len(colours) - 1)
    fills = {code: colours[i] for code, i in zip(measured["code"], index)}
    missing = set(paths) - set(measured["code"])
    own = data[data["rol"] == "gemeente"]
    outlines = {code: ("#000000", 1.8) for code in own["code"]}
    fig, ax = new_figure(MAP_HEIGHT)
    _draw(ax, paths, fills, hatch=missing, outlines=outlines)
    decimals = max((published_decimals(v) or 0 for v in measured["waarde"]), default=0)
    for regio, code, value in zip(own["regio"], own["code"], own["waarde"]):
        if code in paths:  # its value beside its name: at the scale of the country the municipality is a sliver
            _zoom(ax, paths, code, lambda inset: _draw(inset, paths, fills, hatch=missing, outlines=outlines))
            shown = "geen cijfer" if pd.isna(value) else format_value(value, eenheid, decimals)
            _name_on_map(ax, paths[code], f"{label_of(labels, regio)}: {shown}")
    handles = [Patch(color=c) for c in colours]
    texts = [f"{_class_value(low, eenheid, decimals)} tot {_class_value(high, eenheid, decimals)}"
             for low, high in zip(edges[:-1], edges[1:])]
    if missing:
        handles.append(Patch(facecolor=MISSING_FILL, edgecolor="#BBBBBB", hatch="////", linewidth=0))
        texts.append(f"Geen cijfer in {jaar}")
    unit = AXIS_LABELS.get(eenheid, "").lower() if eenheid not in ("procent", "euro") else ""
    ax.legend(handles, texts, loc="upper left", frameon=False, fontsize=FONT_SMALL, borderaxespad=0,
              title=f"{jaar}, {unit}" if unit and unit != "aantal" else str(jaar), title_fontsize=FONT_SMALL)
    decorate(fig, ax, title=title, bron=bron)
    alt = describe_choropleth(data[data["code"].isin(paths)], eenheid=eenheid, title=title, jaar=jaar,
                              labels=labels, subject=subject)
    return fig, alt


def describe_choropleth(data: pd.DataFrame, *, eenheid: str, title: str, jaar: int,
                        labels: Mapping[str, str] | None = None, subject: str | None = None) -> str:
    """"Kaart van <onderwerp> per gemeente, 2022, in vijf klassen van 45% tot 80%: Maassluis 64% (klasse 2 van
    5); 12 gemeenten zonder cijfer."."""
    values = pd.to_numeric(data["waarde"], errors="coerce")
    measured = data[values.notna()].assign(waarde=values[values.notna()])
    edges = classes(measured["waarde"]) if len(measured) else [0.0, 0.0]
    n = len(edges) - 1
    decimals = max((published_decimals(v) or 0 for v in measured["waarde"]), default=0)
    details = []
    for regio, value in zip(data.loc[data["rol"] == "gemeente", "regio"], values[data["rol"] == "gemeente"]):
        if pd.isna(value):
            details.append(f"{label_of(labels, regio)} geen cijfer")
        else:
            rank = int(np.clip(np.searchsorted(edges, value, side="right") - 1, 0, n - 1)) + 1
            details.append(f"{label_of(labels, regio)} {format_value(value, eenheid, decimals)} (klasse {rank} van {n})")
    if (values.isna()).any():
        details.append(f"{count_noun(int(values.isna().sum()), 'gemeente', 'gemeenten')} zonder cijfer")
    head = (f"Kaart van {subject or subject_of(title)} per gemeente, {jaar}, in {n} klassen van "
            f"{format_value(edges[0], eenheid, decimals)} tot {format_value(edges[-1], eenheid, decimals)}")
    return alt_sentence(head, details)
