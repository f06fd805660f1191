"""Where the municipality stands among the municipalities of its size (:func:`position_figure`), and its alt
text (:func:`describe_position`): one indicator, one year and one reeks, as :func:`analyse.peers.compare`
gives them.

seaborn draws the distribution on the figure's own axes, under the house rc settings: a box of the peers (the
middle half and the median; the whiskers from the lowest to the highest value, ``whis=(0, 100)``, as the peer
comparison states them) and a swarm of every peer (a layout without random jitter, so the SVG is the same on
every run). The municipality is the large dot in the highlight colour in that row, labelled with its value;
each comparison region a dot in the colour of its role on a row of its own; the national figure a dashed
reference line.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from analyse.plots.style import (AXIS_LABELS, FONT, FONT_SMALL, GRID_COLOUR, PEER_COLOUR, REFERENCE_COLOUR,
                                 TEXT_COLOUR, Drawn, DutchFormatter, Roles, check_columns, decorate, label_of,
                                 new_figure, plain_text, subject_of, wrap)
from analyse.text.figure_texts import alt_sentence
from analyse.text.notation import format_value, join_words

ROLES = ("gemeente", "gelijke", "vergelijking", "land")
"""Values of the column ``rol``: the municipality, a peer, a comparison region, the country."""
SWARM_SIZE = 3.2  # points: the diameter of a peer's dot
SWARM_ROW = (0.9, 2.4)  # inch: the least and the most height of the peers' row
ROW_HEIGHT = 0.34  # inch per comparison region
PLOT_WIDTH = 4.3  # inch: about the width of the axes (the figure minus the row labels)


def swarm_layout(values, size: float = SWARM_SIZE, width: float = PLOT_WIDTH) -> tuple[float, float]:
    """The dot size (points) and the height of the peers' row (inch) that place every dot of the swarm: the
    densest spot needs a column of dots as tall as their number, within the 0,8 of the row seaborn uses; when
    that would exceed :data:`SWARM_ROW`, the dots get smaller instead."""
    values = np.sort(np.asarray(values, dtype=float))
    span = (values[-1] - values[0]) * 1.2 or 1.0 if len(values) else 1.0
    diameter = size / 72 * span / width  # one dot, in data units
    densest = max((int(np.searchsorted(values, v + diameter, side="right") - i) for i, v in enumerate(values)),
                  default=1)
    needed = densest * size / 72 / 0.8 + 0.1
    if needed <= SWARM_ROW[1]:
        return size, max(SWARM_ROW[0], needed)
    return max(1.5, size * SWARM_ROW[1] / needed), SWARM_ROW[1]


@plain_text
def position_figure(data: pd.DataFrame, *, title: str, eenheid: str, bron: str, peers_label: str,
                    summary: Mapping[str, float], jaar: int, roles: Roles = Roles(),
                    labels: Mapping[str, str] | None = None, subject: str | None = None) -> Drawn:
    """The municipality among its peers for one indicator, year and reeks.

    - ``data``: ``regio``, ``waarde``, ``rol`` (:data:`ROLES`): one row per area, peers included.
    - ``peers_label``: what the peers are ("130 gemeenten met 20.000 tot 50.000 inwoners"), the label of their row.
    - ``summary``: the peers' ``median``, ``lower_quartile``, ``upper_quartile``, ``minimum``, ``maximum`` and how
      many lie ``below`` and ``above`` the municipality (:class:`analyse.peers.PeerComparison`), for the alt text.
    - ``jaar``: the year of the values; ``roles``: the colour of every area by its role.
    """
    import seaborn

    check_columns(data, "regio", "waarde", "rol")
    data = data.assign(waarde=pd.to_numeric(data["waarde"], errors="coerce")).dropna(subset=["waarde"])
    unknown = set(data["rol"]) - set(ROLES)
    if unknown:
        raise ValueError(f"Onbekende rol {', '.join(sorted(unknown))}; bekend zijn: {', '.join(ROLES)}.")
    peers = data[data["rol"] == "gelijke"]
    own = data[data["rol"] == "gemeente"]
    compared = data[data["rol"] == "vergelijking"]
    national = data[data["rol"] == "land"]
    size, row = swarm_layout(peers["waarde"])
    step = ROW_HEIGHT / row  # a comparison row, in units of the peers' row
    above = 0.3 / row  # room for the municipality's label
    fig, ax = new_figure(1.25 + row + above * row + ROW_HEIGHT * len(compared))
    rows = np.zeros(len(peers))
    seaborn.boxplot(x=peers["waarde"].to_numpy(), y=rows, orient="h", whis=(0, 100), showfliers=False, width=0.5,
                    color="#F2F2F2", linecolor="#666666", linewidth=1.0, native_scale=True, ax=ax, zorder=1)
    seaborn.swarmplot(x=peers["waarde"].to_numpy(), y=rows, orient="h", size=size, color=PEER_COLOUR,
                      native_scale=True, ax=ax, zorder=2)
    handles, legend_labels = [], []
    for key, value in zip(own["regio"], own["waarde"]):
        style = roles.style(key)
        ax.scatter([value], [0], s=90, color=style.colour if style else "#000000", edgecolor="white",
                   linewidth=1.2, zorder=4)
        ax.annotate(f"{label_of(labels, key)}: {format_value(value, eenheid)}", xy=(value, -0.05),
                    xytext=(value, -0.5 - 0.2 / row), ha="center", va="bottom", fontsize=FONT, fontweight="bold",
                    color=TEXT_COLOUR, arrowprops=dict(arrowstyle="-", color="#666666", linewidth=0.8),
                    bbox=dict(facecolor="white", edgecolor="none", pad=1.0), annotation_clip=False, zorder=5)
    positions, ticks = [0.0], [wrap(peers_label, 28)]
    for i, (key, value) in enumerate(zip(compared["regio"], compared["waarde"])):
        style = roles.style(key)
        colour, marker = (style.colour, style.marker) if style else ("#000000", "o")
        y = 0.5 + (i + 0.5) * step
        ax.scatter([value], [y], s=45, color=colour, marker=marker, zorder=4)
        ax.annotate(format_value(value, eenheid), xy=(value, y), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=FONT_SMALL, color=TEXT_COLOUR, zorder=5,
                    bbox=dict(facecolor="white", edgecolor="none", pad=0.5))
        positions.append(y)
        ticks.append(wrap(label_of(labels, key), 28))
    for key, value in zip(national["regio"], national["waarde"]):
        style = roles.style(key)
        colour = style.colour if style else REFERENCE_COLOUR
        ax.axvline(value, color=colour, linestyle=(0, (5, 2)), linewidth=1.4, zorder=3)
        handles.append(Line2D([], [], color=colour, linestyle=(0, (5, 2)), linewidth=1.4))
        legend_labels.append(f"{label_of(labels, key)}: {format_value(value, eenheid)}")
    values = data["waarde"].to_numpy(float)
    low, high = values.min(), values.max()
    pad = 0.06 * ((high - low) or abs(high) or 1.0)
    ax.set_xlim(low - pad, high + pad * 2.5)
    ax.set_ylim(0.5 + len(compared) * step + 0.05, -0.5 - above)
    ax.set_yticks(positions, ticks, fontsize=FONT_SMALL)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("")
    ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_formatter(DutchFormatter(eenheid))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xlabel(AXIS_LABELS.get(eenheid, ""), fontsize=FONT, color=TEXT_COLOUR)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    decorate(fig, ax, title=title, bron=bron, handles=handles or None, legend_labels=legend_labels)
    alt = describe_position(data, eenheid=eenheid, title=title, peers_label=peers_label, summary=summary,
                            jaar=jaar, labels=labels, subject=subject)
    return fig, alt


def describe_position(data: pd.DataFrame, *, eenheid: str, title: str, peers_label: str,
                      summary: Mapping[str, float], jaar: int, labels: Mapping[str, str] | None = None,
                      subject: str | None = None) -> str:
    """The alt text of :func:`position_figure`: "Positie van Maassluis tussen 130 gemeenten met 20.000 tot
    50.000 inwoners, <onderwerp>, 2022: Maassluis 66,0%; middelste waarde 67,0%, middelste helft 65,0% tot 69,0%,
    van 58,0% tot 75,0%; 40 gemeenten lager en 85 hoger; ter vergelijking Rotterdam 60,0% en Nederland 66,0%."."""
    data = data.assign(waarde=pd.to_numeric(data["waarde"], errors="coerce")).dropna(subset=["waarde"])
    own = data[data["rol"] == "gemeente"]
    names = [label_of(labels, k) for k in own["regio"]]
    head = f"Positie van {join_words(names)} tussen {peers_label}, {subject or subject_of(title)}, {jaar}"
    shown = lambda value: format_value(value, eenheid)  # noqa: E731
    details = [f"{name} {shown(v)}" for name, v in zip(names, own["waarde"])]
    details.append(f"middelste waarde {shown(summary['median'])}, middelste helft {shown(summary['lower_quartile'])} "
                   f"tot {shown(summary['upper_quartile'])}, van {shown(summary['minimum'])} tot "
                   f"{shown(summary['maximum'])}")
    details.append(f"{int(summary['below'])} gemeenten lager en {int(summary['above'])} hoger")
    others = data[data["rol"].isin(["vergelijking", "land"])]
    if len(others):
        details.append("ter vergelijking " + join_words(f"{label_of(labels, k)} {shown(v)}"
                                                        for k, v in zip(others["regio"], others["waarde"])))
    return alt_sentence(head, details)
