"""Tests for analyse.plots on small made-up frames (layout checks only, not report data)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.patches import PathPatch
from matplotlib.colors import to_hex
from matplotlib.text import Text
from PIL import Image

from analyse import plots

BRON = "Bron: CBS; bewerking gemeente Maassluis"
LABELS = {"nederlands": "Nederlandse achtergrond", "niet_westers": "Niet-westerse migratieachtergrond"}


def _series(groups=("nederlands", "niet_westers"), years=range(2015, 2019)):
    return pd.DataFrame([dict(groep=g, jaar=j, waarde=10.0 + i + 0.5 * k)
                         for i, g in enumerate(groups) for k, j in enumerate(years)])


def _legend_colours(fig) -> dict[str, str]:
    """Legend label -> colour of its handle (hex), from the legend row below the plot."""
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
    colours = {}
    for handle, text in zip(legend.legend_handles, legend.get_texts()):
        colour = handle.get_color() if hasattr(handle, "get_marker") else handle.get_facecolor()
        colours[text.get_text()] = to_hex(colour)
    return colours


def _drawn_texts(fig) -> list[Text]:
    fig.canvas.draw()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_fixed_colour_per_group_in_every_figure():
    line = plots.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    bars = plots.bar_figure(
        data=pd.DataFrame(dict(regio=["Maassluis", "Maassluis"], groep=["niet_westers", "nederlands"],
                               waarde=[3.0, 4.0])),
        category="regio", hue="groep", labels=LABELS, title="t", eenheid="procent", bron=BRON)
    in_line, in_bars = _legend_colours(line), _legend_colours(bars)
    label = LABELS["niet_westers"]
    # Same colour although the group is second in one figure and first in the other.
    assert in_line[label] == in_bars[label] == plots.STYLES["niet_westers"][0].lower()
    assert in_line[LABELS["nederlands"]] != in_line[label]


def test_fallback_colour_is_deterministic_across_processes():
    code = "from analyse.plots import colour_for, marker_for; print(colour_for('onbekende_groep'), marker_for('onbekende_groep'))"
    env = dict(os.environ, PYTHONHASHSEED="12345",
               PYTHONPATH=os.pathsep.join([str(Path(plots.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [plots.colour_for("onbekende_groep"), plots.marker_for("onbekende_groep")]


def test_tick_labels_use_decimal_comma():
    data = pd.DataFrame(dict(jaar=[2014, 2015, 2016, 2017, 2018], waarde=[0.5, 1.0, 1.5, 2.0, 2.5]))
    fig = plots.series_figure(data=data, hue=None, title="t", eenheid="score", bron=BRON)
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = [(t.get_position()[1], t.get_text()) for t in ax.get_yticklabels() if t.get_text()]
    assert len(ticks) >= 3
    for value, text in ticks:
        assert re.fullmatch(r"\d,\d+", text), text
        assert float(text.replace(",", ".")) == pytest.approx(value)
    # every tick has the same number of decimals, e.g. 0,5 1,0 1,5 (not 0,5 1 1,5)
    assert len({len(text.split(",")[1]) for _, text in ticks}) == 1
    years = [t.get_text() for t in ax.get_xticklabels()]
    assert years == ["2014", "2015", "2016", "2017", "2018"]  # no thousands point in years


def test_percentage_axis_and_thousands():
    procent = plots.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    procent.canvas.draw()
    assert all(t.get_text().endswith("%") for t in procent.axes[0].get_yticklabels() if t.get_text())
    data = pd.DataFrame(dict(jaar=[2009, 2018], waarde=[31390, 32518]))
    counts = plots.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)
    counts.canvas.draw()
    labels = [t.get_text() for t in counts.axes[0].get_yticklabels() if t.get_text()]
    assert "30.000" in labels and all(re.fullmatch(r"0|\d{1,2}\.\d{3}", text) for text in labels), labels


def _break_marks(ax) -> int:
    return sum(isinstance(p, PathPatch) for p in ax.patches)


def test_shares_start_at_zero_so_a_tenth_of_a_point_looks_small():
    data = pd.DataFrame(dict(regio=["Nederland", "Nederland", "Maassluis"], jaar=[2016, 2017, 2017],
                             waarde=[1.70, 1.80, 1.73]))
    fig = plots.series_figure(data=data, hue="regio", title="t", eenheid="procent", bron=BRON)
    ax = fig.axes[0]
    bottom, top = ax.get_ylim()
    assert bottom == 0 and 1.80 < top < 2.0  # the 0,1 point rise is a twentieth of the height
    assert _break_marks(ax) == 0


def test_scores_keep_a_minimum_span_and_show_an_axis_break():
    data = pd.DataFrame(dict(jaar=[2016, 2017], waarde=[534.9, 535.6]))
    fig = plots.series_figure(data=data, hue=None, title="t", eenheid="score", bron=BRON)
    ax = fig.axes[0]
    bottom, top = ax.get_ylim()
    assert top - bottom >= 0.1 * 535.6  # not 534,9 to 535,6 over the full height
    assert bottom < 534.9 and top > 535.6 and bottom > 0
    assert _break_marks(ax) == 1  # the axis does not start at 0, and says so


def test_every_year_of_a_short_span_gets_a_tick():
    data = pd.DataFrame(dict(jaar=[2009, 2012, 2018], waarde=[1.0, 2.0, 3.0]))
    fig = plots.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)
    fig.canvas.draw()
    years = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert years == [str(y) for y in range(2009, 2019)]


def _legend_texts(fig) -> list[str]:
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
    return [t.get_text() for t in legend.get_texts()]


def test_legend_follows_the_lines_from_top_to_bottom():
    data = pd.DataFrame(dict(groep=["a", "a", "b", "b", "c"], jaar=[2016, 2017, 2016, 2017, 2016],
                             waarde=[5.0, 1.0, 2.0, 3.0, 9.0]))  # last values: a 1, b 3, c 9
    fig = plots.series_figure(data=data, title="t", eenheid="aantal", bron=BRON)
    assert _legend_texts(fig) == ["c", "b", "a"]


def test_many_trend_series_get_lines_but_no_bands():
    groups = [f"groep_{i}" for i in range(plots.MAX_TREND_BANDS + 1)]
    data = _series(groups=groups)
    trend = data.assign(gefit=data.waarde, ondergrens=data.waarde - 1.0, bovengrens=data.waarde + 1.0)
    fig = plots.series_figure(data=data, title="t", eenheid="procent", bron=BRON, trend=trend)
    ax = fig.axes[0]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert sum(line.get_linestyle() == "--" for line in ax.get_lines()) == len(groups)
    assert "Trend" in _legend_texts(fig) and "Trend met 95%-interval" not in _legend_texts(fig)


def test_long_legend_labels_wrap_into_two_columns():
    long = "Tweede generatie, beide ouders in buitenland geboren"
    groups = [f"g{i}" for i in range(9)]
    labels = {g: f"Groep nummer {i}" for i, g in enumerate(groups)} | {"g0": long}
    fig = plots.series_figure(data=_series(groups=groups), labels=labels, title="t", eenheid="procent",
                              bron=BRON)
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
    assert legend._ncols == 2
    wrapped = next(t for t in _legend_texts(fig) if t.startswith("Tweede"))
    assert wrapped.replace("\n", " ") == long and "\n" in wrapped
    fig.canvas.draw()  # the legend stays inside the figure
    box = legend.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width


def test_title_source_line_and_font_sizes():
    fig = plots.series_figure(data=_series(), labels=LABELS, title="Aandeel werkenden", eenheid="procent",
                              bron=BRON, doel=(2021, 90))
    assert fig.get_figwidth() == pytest.approx(6.3)
    texts = _drawn_texts(fig)
    strings = [t.get_text() for t in texts]
    assert BRON in strings
    assert "Aandeel werkenden" in strings
    assert "Doel 2021: 90%" in strings
    assert min(t.get_fontsize() for t in texts) >= 8


def test_trend_band_and_line():
    data = _series(groups=("niet_westers",), years=range(2010, 2019))
    trend = data.assign(gefit=data.waarde, ondergrens=data.waarde - 1.0, bovengrens=data.waarde + 2.0)
    fig = plots.series_figure(data=data, labels=LABELS, title="t", eenheid="procent", bron=BRON, trend=trend)
    ax = fig.axes[0]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    ys = bands[0].get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(trend.ondergrens.min())
    assert ys.max() == pytest.approx(trend.bovengrens.max())
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())
    assert "Trend met 95%-interval" in [t.get_text() for t in _drawn_texts(fig)]


@pytest.mark.parametrize("years, values, pieces", [
    ([2009, 2010, 2011, 2014, 2015], [1, 2, 3, 4, 5], 2),         # gap 2012-2013: two pieces
    ([2012, 2014, 2016, 2018], [1, 2, 3, 4], 1),                  # measured every two years: one line
    ([2009, 2010, 2011, 2012], [1, np.nan, 3, 4], 2),             # missing value breaks the line
    ([2016], [7], 1),                                             # a single point: a marker
])
def test_gaps_are_not_connected(years, values, pieces):
    data = pd.DataFrame(dict(jaar=years, waarde=values))
    fig = plots.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)
    lines = fig.axes[0].get_lines()
    assert len(lines) == pieces
    assert all(line.get_marker() not in (None, "None", "") for line in lines)
    drawn = sorted(x for line in lines for x in line.get_xdata())
    measured = sorted(y for y, v in zip(years, values) if not np.isnan(v))
    assert drawn == measured


def test_two_values_in_one_year_are_refused():
    data = pd.DataFrame(dict(jaar=[2018, 2018], waarde=[1.0, 2.0]))
    with pytest.raises(ValueError):
        plots.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)


def test_bar_annotations_in_dutch_notation():
    data = pd.DataFrame(dict(regio=["Maassluis", "Rotterdam", "Nederland", "Schiedam"],
                             waarde=[26.9, 50.3, 22.0, np.nan]))
    fig = plots.bar_figure(data=data, category="regio", title="t", eenheid="procent", bron=BRON)
    strings = [t.get_text() for t in _drawn_texts(fig)]
    # one decimal on every bar because some values are not whole: 22 -> "22,0%"
    for expected in ("26,9%", "50,3%", "22,0%", "geen gegevens", BRON):
        assert expected in strings
    ax = fig.axes[0]
    assert len(ax.patches) == 3  # no bar for the missing value
    assert ax.get_xlim()[0] == 0


def test_rank_figure_orders_by_rank():
    data = pd.DataFrame(dict(grond=["Leeftijd", "Herkomst of kleur", "Handicap"], waarde=[2, 1, 3]))
    fig = plots.rank_figure(data=data, category="grond", title="t", bron=BRON)
    ax = fig.axes[0]
    labels = sorted((t.get_position()[1], t.get_text()) for t in ax.texts if not t.get_text().isdigit())
    assert [text for _, text in labels] == ["Herkomst of kleur", "Leeftijd", "Handicap"]
    with pytest.raises(ValueError):
        plots.rank_figure(data=data.assign(waarde=[1.5, 1, 2]), category="grond", title="t", bron=BRON)


def test_save_figure_png_300_dpi_and_svg(tmp_path):
    fig = plots.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    paths = plots.save_figure(fig, tmp_path / "figures" / "demografie", "inwoners")
    assert paths == {"png": tmp_path / "figures/demografie/inwoners.png",
                     "svg": tmp_path / "figures/demografie/inwoners.svg"}
    with Image.open(paths["png"]) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        width_in = image.size[0] / 300
    assert 6.0 < width_in < 6.6  # the A4 column width, plus the small tight-bbox padding
    assert paths["svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_svg_is_reproducible(tmp_path):
    fig = plots.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    first = plots.save_figure(fig, tmp_path / "a", "f")["svg"].read_bytes()
    second = plots.save_figure(fig, tmp_path / "b", "f")["svg"].read_bytes()
    rebuilt = plots.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    third = plots.save_figure(rebuilt, tmp_path / "c", "f")["svg"].read_bytes()
    assert first == second == third
    assert b"<dc:date>" not in first


def test_keys_in_one_figure_never_share_a_colour():
    ages = [f"leeftijd_{a}" for a in ("0_14", "15_29", "30_44", "45_59", "60_74", "75_plus")]
    keys = ["niet_westers", *ages, "Maassluis", "nederlands"]  # Maassluis and nederlands are both blue
    colours = plots.colours_for(keys)
    assert len(set(colours.values())) == len(keys)
    assert colours["niet_westers"] == plots.STYLES["niet_westers"][0]
    assert colours["Maassluis"] == plots.STYLES["Maassluis"][0]  # the first of the two keeps its colour
    assert colours["nederlands"] != plots.STYLES["nederlands"][0]
