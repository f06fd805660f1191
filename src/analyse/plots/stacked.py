"""One 100% bar of complementary shares (:func:`stacked_share_figure`, rule 5 of :mod:`analyse.figures`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.patches import Patch

from analyse import figures
from analyse.plots.style import (FONT, FONT_SMALL, PEER_COLOUR, WIDTH, Drawn, check_columns, decorate, keys_of,
                                 label_of, new_figure, plain_text, series_styles, subject_of, subset_of,
                                 text_colour_on, text_width)
from analyse.text.figure_texts import alt_sentence
from analyse.text.notation import format_number, join_words, value_text


BAR_POINTS = (WIDTH - 0.4) * 72  # about the width of a 100% bar in points


def _shares(rows: pd.DataFrame, *, category: str, value: str) -> tuple[list, list[float], float]:
    values = pd.to_numeric(rows[value], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ValueError("Een aandeel ontbreekt of is negatief; een balk van 100% kan dan niet.")
    return list(rows[category]), values.tolist(), float(values.sum())


@plain_text
def stacked_share_figure(data: pd.DataFrame, *, category: str = "groep", value: str = "waarde",
                         bar: str | None = None, labels: Mapping[str, str] | None = None, title: str,
                         bron: str, remainder_label: str | None = None, subject: str | None = None) -> Drawn:
    """One 100% bar of complementary shares (rule 5 of :mod:`analyse.figures`): man/vrouw, a group
    and its complement.

    - ``data``: ``category``, ``value`` (percentages), optional ``status`` and ``bar`` (one bar per
      value of that column, e.g. ``"jaar"`` or ``"regio"``, from top to bottom; ``None``: one bar).
    - Shares that add up to 100% within rounding (:data:`analyse.figures.ROUNDING_TOLERANCE` per
      category) fill the bar; the labels keep the published values. Shares that add up to less get
      a rest segment: the missing member of a known pair ("Vrouw" next to "Man 75%", see
      :func:`analyse.figures.complement_of`), else ``remainder_label`` or "Overig"; its label says
      "rest tot 100%". More than 100% is refused.
    - Each segment is labelled inside when it is wide enough; the legend lists every segment with
      its share. Estimates are hatched.
    """
    check_columns(data, category, value, bar)
    data = data.reset_index(drop=True)  # labels may repeat after a concat
    bars = keys_of(data, bar)
    categories = list(pd.unique(data[category]))
    complement = figures.complement_of(categories)
    rest_key = complement or "_rest"
    rest_name = label_of(labels, complement) if complement else (remainder_label or "Overig")
    all_keys = categories + [rest_key]
    colours = {key: style.colour for key, style in series_styles(all_keys).items()}
    colours["_rest"] = PEER_COLOUR
    fig, ax = new_figure(0.95 + 0.5 * len(bars))
    tolerance = figures.ROUNDING_TOLERANCE * max(2, len(categories) + (complement is not None))
    legend: dict = {}
    has_rest = False
    status_all = figures.status_column(data)
    statuses = set()
    for i, bar_key in enumerate(bars):
        rows = subset_of(data, bar, bar_key)
        keys, shares, total = _shares(rows, category=category, value=value)
        marks = list(status_all[rows.index])
        if total > 100 + tolerance:
            raise ValueError(f"De aandelen tellen op tot {format_number(total, 1)}%: meer dan 100%, dus geen "
                             "delen van één geheel.")
        widths = list(shares)
        if total < 100 - tolerance:
            keys, shares, widths, marks = keys + [rest_key], shares + [100 - total], widths + [100 - total], marks + [""]
            has_rest = True
        else:
            widths = [w * 100 / total for w in widths]
        left = 0.0
        for key, share, width, mark in zip(keys, shares, widths, marks):
            colour = colours[key]
            is_rest = key == rest_key and has_rest and key not in categories
            if mark:
                statuses.add(mark)
                ax.barh(i, width, left=left, height=0.6, facecolor="white", edgecolor=colour, hatch="///",
                        linewidth=1.2, zorder=2)
            else:
                ax.barh(i, width, left=left, height=0.6, color=colour, edgecolor="white", linewidth=1.0,
                        zorder=2, hatch="..." if is_rest and not complement else None)
            shown = ("ca. " if mark == "schatting" else "") + value_text(share, "procent")
            if text_width(shown) * FONT / FONT_SMALL + 8 <= width / 100 * BAR_POINTS:  # fits inside
                ax.text(left + width / 2, i, shown, ha="center", va="center", fontsize=FONT,
                        fontweight="bold", color="#000000" if mark else text_colour_on(colour), zorder=3)
            name = rest_name + " (rest tot 100%)" if is_rest else label_of(labels, key)
            legend.setdefault(key, (colour, name, [], mark))[2].append(shown)
            left += width
    handles, legend_labels = [], []
    for key, (colour, name, shown, mark) in legend.items():
        handles.append(Patch(facecolor="white", edgecolor=colour, hatch="///") if mark else Patch(color=colour))
        legend_labels.append(f"{name}: {' / '.join(shown)}" if len(bars) == 1 else name)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.set_xticks([])  # every segment carries its share; an axis would only repeat them
    ax.spines["bottom"].set_visible(False)
    if bar:
        ax.set_yticks(range(len(bars)), [str(label_of(labels, b)) for b in bars], fontsize=FONT_SMALL)
    else:
        ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    decorate(fig, ax, title=title, bron=bron, handles=handles, legend_labels=legend_labels)
    alt = describe_stacked(data, category=category, value=value, bar=bar, labels=labels, title=title,
                           remainder_label=remainder_label, subject=subject)
    return fig, alt


def describe_stacked(data: pd.DataFrame, *, category: str = "groep", value: str = "waarde",
                     bar: str | None = None, labels: Mapping[str, str] | None = None, title: str,
                     remainder_label: str | None = None, subject: str | None = None) -> str:
    """The alt text of :func:`stacked_share_figure`: "Balk van 100% voor ...: Man 75%, Vrouw 25% (rest tot 100%)."."""
    categories = list(pd.unique(data[category]))
    complement = figures.complement_of(categories)
    rest_name = label_of(labels, complement) if complement else (remainder_label or "overig")
    tolerance = figures.ROUNDING_TOLERANCE * max(2, len(categories) + (complement is not None))
    details = []
    for bar_key in keys_of(data, bar):
        rows = subset_of(data, bar, bar_key)
        keys, shares, total = _shares(rows, category=category, value=value)
        parts = [f"{label_of(labels, k)} {value_text(v, 'procent')}" for k, v in zip(keys, shares)]
        if total < 100 - tolerance:
            parts.append(f"{rest_name} {value_text(round(100 - total, 6), 'procent')} (rest tot 100%)")
        details.append((f"{label_of(labels, bar_key)}: " if bar else "") + join_words(parts))
    head = f"Balk{'en' if bar else ''} van 100% voor {subject or subject_of(title)}"
    return alt_sentence(head, details)
