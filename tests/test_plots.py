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
from matplotlib.patches import Polygon, PathPatch
from matplotlib.colors import to_hex
from matplotlib.text import Text
from PIL import Image

from analyse import figures
from analyse.plots import bars, dispatch, lines, saving, small_multiples, stacked, style, tiles

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
    line, _ = lines.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    bar, _ = bars.bar_figure(
        data=pd.DataFrame(dict(regio=["Maassluis", "Maassluis"], groep=["niet_westers", "nederlands"],
                               waarde=[3.0, 4.0])),
        category="regio", hue="groep", labels=LABELS, title="t", eenheid="procent", bron=BRON)
    in_line, in_bars = _legend_colours(line), _legend_colours(bar)
    label = LABELS["niet_westers"]
    # Same colour although the group is second in one figure and first in the other.
    assert in_line[label] == in_bars[label] == style.GROUP_STYLES["niet_westers"][0].lower()
    assert in_line[LABELS["nederlands"]] != in_line[label]


def test_fallback_colour_is_deterministic_across_processes():
    code = ("from analyse.plots.style import series_styles; "
            "print(*series_styles(['onbekende_groep', 'andere_groep'])['onbekende_groep'][:2])")
    env = dict(os.environ, PYTHONHASHSEED="12345",
               PYTHONPATH=os.pathsep.join([str(Path(style.__file__).parents[2]), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == list(style.series_styles(["onbekende_groep", "andere_groep"])["onbekende_groep"][:2])


def test_tick_labels_use_decimal_comma():
    data = pd.DataFrame(dict(jaar=[2014, 2015, 2016, 2017, 2018], waarde=[0.5, 1.0, 1.5, 2.0, 2.5]))
    fig, _ = lines.series_figure(data=data, hue=None, title="t", eenheid="score", bron=BRON)
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
    procent, _ = lines.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    procent.canvas.draw()
    assert all(t.get_text().endswith("%") for t in procent.axes[0].get_yticklabels() if t.get_text())
    data = pd.DataFrame(dict(jaar=[2009, 2018], waarde=[31390, 32518]))
    counts, _ = lines.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)
    counts.canvas.draw()
    labels = [t.get_text() for t in counts.axes[0].get_yticklabels() if t.get_text()]
    assert "30.000" in labels and all(re.fullmatch(r"0|\d{1,2}\.\d{3}", text) for text in labels), labels


def _break_marks(ax) -> int:
    return sum(isinstance(p, PathPatch) for p in ax.patches)


def test_shares_start_at_zero_so_a_tenth_of_a_point_looks_small():
    data = pd.DataFrame(dict(regio=["Nederland", "Nederland", "Maassluis"], jaar=[2016, 2017, 2017],
                             waarde=[1.70, 1.80, 1.73]))
    fig, _ = lines.series_figure(data=data, hue="regio", title="t", eenheid="procent", bron=BRON)
    ax = fig.axes[0]
    bottom, top = ax.get_ylim()
    assert bottom == 0 and 1.80 < top < 2.0  # the 0,1 point rise is a twentieth of the height
    assert _break_marks(ax) == 0


def test_scores_keep_a_minimum_span_and_show_an_axis_break():
    data = pd.DataFrame(dict(jaar=[2016, 2017], waarde=[534.9, 535.6]))
    fig, _ = lines.series_figure(data=data, hue=None, title="t", eenheid="score", bron=BRON)
    ax = fig.axes[0]
    bottom, top = ax.get_ylim()
    assert top - bottom >= 0.1 * 535.6  # not 534,9 to 535,6 over the full height
    assert bottom < 534.9 and top > 535.6 and bottom > 0
    assert _break_marks(ax) == 1  # the axis does not start at 0, and says so


def test_every_year_of_a_short_span_gets_a_tick():
    data = pd.DataFrame(dict(jaar=[2009, 2012, 2018], waarde=[1.0, 2.0, 3.0]))
    fig, _ = lines.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)
    fig.canvas.draw()
    years = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert years == [str(y) for y in range(2009, 2019)]


def _legend_texts(fig) -> list[str]:
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
    return [t.get_text() for t in legend.get_texts()]


def test_legend_follows_the_lines_from_top_to_bottom():
    data = pd.DataFrame(dict(groep=["a", "a", "b", "b", "c"], jaar=[2016, 2017, 2016, 2017, 2016],
                             waarde=[5.0, 1.0, 2.0, 3.0, 9.0]))  # last values: a 1, b 3, c 9
    fig, _ = lines.series_figure(data=data, title="t", eenheid="aantal", bron=BRON)
    assert _legend_texts(fig) == ["c", "b", "a"]


def test_many_trend_series_get_lines_but_no_bands():
    groups = [f"groep_{i}" for i in range(figures.MAX_TREND_BANDS + 1)]
    data = _series(groups=groups, years=range(2012, 2019))  # enough points for a trend
    trend = data.assign(gefit=data.waarde, ondergrens=data.waarde - 1.0, bovengrens=data.waarde + 1.0)
    fig, _ = lines.series_figure(data=data, title="t", eenheid="procent", bron=BRON, trend=trend)
    ax = fig.axes[0]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert sum(line.get_linestyle() == "--" for line in ax.get_lines()) == len(groups)
    assert "Trend" in _legend_texts(fig) and "Trend met 95%-interval" not in _legend_texts(fig)


def test_long_legend_labels_wrap_into_two_columns():
    long = "Tweede generatie, beide ouders in buitenland geboren"
    groups = [f"g{i}" for i in range(9)]
    labels = {g: f"Groep nummer {i}" for i, g in enumerate(groups)} | {"g0": long}
    fig, _ = lines.series_figure(data=_series(groups=groups), labels=labels, title="t", eenheid="procent",
                              bron=BRON)
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
    assert legend._ncols == 2
    wrapped = next(t for t in _legend_texts(fig) if t.startswith("Tweede"))
    assert wrapped.replace("\n", " ") == long and "\n" in wrapped
    fig.canvas.draw()  # the legend stays inside the figure
    box = legend.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width


def test_title_source_line_and_font_sizes():
    fig, _ = lines.series_figure(data=_series(), labels=LABELS, title="Aandeel werkenden", eenheid="procent",
                              bron=BRON, target=(2021, 90))
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
    fig, _ = lines.series_figure(data=data, labels=LABELS, title="t", eenheid="procent", bron=BRON, trend=trend)
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
    fig, _ = lines.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)
    drawn_lines = fig.axes[0].get_lines()
    assert len(drawn_lines) == pieces
    assert all(line.get_marker() not in (None, "None", "") for line in drawn_lines)
    drawn = sorted(x for line in drawn_lines for x in line.get_xdata())
    measured = sorted(y for y, v in zip(years, values) if not np.isnan(v))
    assert drawn == measured


def test_two_values_in_one_year_are_refused():
    data = pd.DataFrame(dict(jaar=[2018, 2018], waarde=[1.0, 2.0]))
    with pytest.raises(ValueError):
        lines.series_figure(data=data, hue=None, title="t", eenheid="aantal", bron=BRON)


def test_bar_annotations_in_dutch_notation():
    data = pd.DataFrame(dict(regio=["Maassluis", "Rotterdam", "Nederland", "Schiedam"],
                             waarde=[26.9, 50.3, 22.0, np.nan]))
    fig, _ = bars.bar_figure(data=data, category="regio", title="t", eenheid="procent", bron=BRON)
    strings = [t.get_text() for t in _drawn_texts(fig)]
    # one decimal on every bar because some values are not whole: 22 -> "22,0%"
    for expected in ("26,9%", "50,3%", "22,0%", "geen gegevens", BRON):
        assert expected in strings
    ax = fig.axes[0]
    assert len(ax.patches) == 3  # no bar for the missing value
    assert ax.get_xlim()[0] == 0


def test_save_figure_png_300_dpi_and_svg(tmp_path):
    fig, _ = lines.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    paths = saving.save_figure(fig, tmp_path / "figures" / "demografie", "inwoners")
    assert paths == {"png": tmp_path / "figures/demografie/inwoners.png",
                     "svg": tmp_path / "figures/demografie/inwoners.svg"}
    with Image.open(paths["png"]) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        width_in = image.size[0] / 300
    assert 6.0 < width_in < 6.6  # the A4 column width, plus the small tight-bbox padding
    assert paths["svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_svg_is_reproducible(tmp_path):
    fig, _ = lines.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    first = saving.save_figure(fig, tmp_path / "a", "f")["svg"].read_bytes()
    second = saving.save_figure(fig, tmp_path / "b", "f")["svg"].read_bytes()
    rebuilt, _ = lines.series_figure(data=_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    third = saving.save_figure(rebuilt, tmp_path / "c", "f")["svg"].read_bytes()
    assert first == second == third
    assert b"<dc:date>" not in first


def test_keys_in_one_figure_never_share_a_colour():
    keys = ["westers", "marokkaans", "niet_westers", "herkomst_buiten_europa", "onbekend"]  # two fixed pairs collide
    styles = style.series_styles(keys)
    assert len({s.colour for s in styles.values()}) == len(keys)
    assert styles["westers"].colour == style.GROUP_STYLES["westers"][0]  # the first of the two keeps its colour
    assert styles["marokkaans"].colour != style.GROUP_STYLES["marokkaans"][0]


# --------------------------------------------------------------------------- series model: reeks, status, trends

def _data_lines(ax):
    """Lines that carry data (not the vertical break marks, the target line or trend lines)."""
    return [line for line in ax.get_lines()
            if line.get_linestyle() == "-" and len(set(np.asarray(line.get_xdata(), float))) == len(line.get_xdata())]


def _data_lines_any_style(ax):
    """Lines through more than one year (seaborn gives every line a dash pattern, so the style does not tell)."""
    return [line for line in ax.get_lines() if len(set(np.asarray(line.get_xdata(), float))) > 1]


def _halt_with_break(**extra):
    return pd.DataFrame(dict(regio="Maassluis", jaar=list(range(2009, 2019)),
                             waarde=[80.1, 84.0, 86.5, 85.2, 88.3, 97.0, 93.3, 70.2, 72.5, 71.0],
                             reeks=["oud"] * 7 + ["nieuw"] * 3, **extra))


def test_a_definition_break_is_drawn_as_two_parts_with_a_labelled_mark():
    fig, alt = lines.series_figure(_halt_with_break(), hue="regio", title="t", eenheid="per_10000", bron=BRON)
    ax = fig.axes[0]
    parts = sorted((min(line.get_xdata()), max(line.get_xdata())) for line in _data_lines(ax))
    assert parts == [(2009, 2015), (2016, 2018)]  # never joined across 2015-2016
    marks = [line for line in ax.get_lines() if list(line.get_xdata()) == [2015.5, 2015.5]]
    assert len(marks) == 1 and marks[0].get_linestyle() == ":"
    assert "breuk in de reeks" in [t.get_text() for t in _drawn_texts(fig)]
    assert "breuk in de reeks (nieuwe definitie) tussen 2015 en 2016" in alt


def test_rows_without_a_reeks_column_break_where_the_bron_changes():
    data = pd.DataFrame(dict(jaar=[2014, 2015, 2016, 2017], waarde=[1.0, 2.0, 3.0, 4.0],
                             bron=["a", "a", "b", "b"]))
    fig, _ = lines.series_figure(data, hue=None, title="t", eenheid="aantal", bron=BRON)
    assert len(_data_lines(fig.axes[0])) == 2


def test_estimates_get_open_and_half_filled_markers_with_legend_entries():
    data = _halt_with_break(status=[""] * 8 + ["voorlopig", "schatting"])
    fig, alt = lines.series_figure(data, hue="regio", title="t", eenheid="per_10000", bron=BRON)
    ax = fig.axes[0]
    marker_only = [line for line in ax.get_lines() if line.get_linestyle() == "None"]
    open_ = [line for line in marker_only if to_hex(line.get_markerfacecolor()) == "#ffffff"]
    half = [line for line in marker_only if line.get_fillstyle() == "left"]
    assert [list(line.get_xdata()) for line in open_] == [[2018]]
    assert [list(line.get_xdata()) for line in half] == [[2017]]
    # the final measurements keep their filled markers on the line itself
    second = next(line for line in _data_lines(ax) if min(line.get_xdata()) == 2016)
    assert list(second.get_markevery()) == [0]
    assert {"Schatting", "Voorlopig"} <= set(_legend_texts(fig))
    assert "2018 is een schatting" in alt and "2017 is voorlopig" in alt


def test_a_trend_is_drawn_only_over_its_own_reeks_and_from_five_points():
    data = _halt_with_break()
    trend = data[data.reeks == "oud"].assign(gefit=lambda d: d.waarde, ondergrens=lambda d: d.waarde - 5,
                                             bovengrens=lambda d: d.waarde + 5)
    trend = pd.concat([trend, trend.tail(1).assign(jaar=2020)])  # a fitted value beyond its reeks
    fig, alt = lines.series_figure(data, hue="regio", title="t", eenheid="per_10000", bron=BRON, trend=trend)
    ax = fig.axes[0]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and (min(dashed[0].get_xdata()), max(dashed[0].get_xdata())) == (2009, 2015)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1 and bands[0].get_paths()[0].vertices[:, 0].max() <= 2015
    assert "met de geschatte trend" in alt
    # three points (Halt 2014-2016): no dashed line and no band, whatever the trend table holds
    three = data[data.jaar.between(2014, 2016) & (data.reeks == "oud")]
    fitted = three.assign(gefit=three.waarde, ondergrens=three.waarde - 60, bovengrens=three.waarde + 60)
    fig, _ = lines.series_figure(three, hue="regio", title="t", eenheid="per_10000", bron=BRON, trend=fitted)
    ax = fig.axes[0]
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert not any(t.startswith("Trend") for t in _legend_texts(fig))
    assert ax.get_ylim()[1] < 120  # the band that was not drawn does not stretch the axis either


def test_a_trend_fitted_across_a_break_is_refused():
    data = _halt_with_break()
    trend = data.assign(gefit=data.waarde, ondergrens=data.waarde - 1, bovengrens=data.waarde + 1,
                        bron="één_bron").drop(columns="reeks")
    with pytest.raises(ValueError, match="breuk"):
        lines.series_figure(data, hue="regio", title="t", eenheid="per_10000", bron=BRON, trend=trend)


def test_two_measurements_nine_years_apart_are_not_joined():
    data = pd.DataFrame(dict(jaar=[2009, 2018], waarde=[31390, 32518]))
    fig, alt = lines.series_figure(data, hue=None, title="Inwoners, Maassluis, 2009-2018", eenheid="aantal",
                                   bron=BRON, subject="het aantal inwoners van Maassluis")
    assert sorted(len(line.get_xdata()) for line in fig.axes[0].get_lines()) == [1, 1]
    assert alt == "Lijn van het aantal inwoners van Maassluis, 2009-2018: van 31.390 naar 32.518."
    consecutive = pd.DataFrame(dict(jaar=[2017, 2018], waarde=[32450, 32518]))
    fig, _ = lines.series_figure(consecutive, hue=None, title="t", eenheid="aantal", bron=BRON)
    assert [len(line.get_xdata()) for line in fig.axes[0].get_lines()] == [2]


def test_report_marks_keep_two_points_of_axis_and_stay_within_the_scale():
    data = pd.DataFrame(dict(jaar=[2016, 2017, 2018], waarde=[6.8, 7.0, 6.9]))
    fig, alt = lines.series_figure(data, hue=None, title="t", eenheid="rapportcijfer", bron=BRON)
    bottom, top = fig.axes[0].get_ylim()
    assert top - bottom >= 2.0 and 1.0 <= bottom and top <= 10.0
    assert (7.0 - 6.8) / (top - bottom) <= 0.1  # the 0,2 difference is at most a tenth of the height
    high = pd.DataFrame(dict(jaar=[2016, 2017, 2018], waarde=[9.6, 9.9, 9.8]))
    fig, _ = lines.series_figure(high, hue=None, title="t", eenheid="rapportcijfer", bron=BRON)
    assert fig.axes[0].get_ylim()[1] <= 10.05
    assert alt.endswith("van 6,8 naar 6,9.")


# --------------------------------------------------------------------------- texts are literal

def test_dollar_signs_are_not_mathtext(tmp_path):
    label = "Turks $x^2$"
    data = _series(groups=("turks", "marokkaans"))
    drawn = lines.series_figure(data, labels={"turks": label}, title="Kosten in $ en $x$", eenheid="procent",
                                bron="Bron: $CBS$")
    fig = drawn.figure
    texts = _drawn_texts(fig)
    strings = [t.get_text() for t in texts]
    assert label in strings and "Kosten in $ en $x$" in strings and "Bron: $CBS$" in strings
    assert all(not t.get_parse_math() for t in fig.findobj(Text))
    # drawn as typed: the label is as wide as its literal characters, not as a rendered formula
    legend_text = next(t for t in texts if t.get_text() == label)
    plain = Text(0, 0, label, fontsize=legend_text.get_fontsize(), parse_math=False, figure=fig)
    renderer = fig.canvas.get_renderer()
    assert legend_text.get_window_extent(renderer).width == pytest.approx(plain.get_window_extent(renderer).width)
    paths = saving.save_figure(drawn, tmp_path, "f")
    assert "Turks $x^2$" in paths["svg"].read_text(encoding="utf-8")  # the glyph comment keeps the text


def test_a_script_label_is_drawn_as_plain_text(tmp_path):
    label = "<script>alert('x')</script>"
    data = pd.DataFrame(dict(groep=["a", "b"], waarde=[1.0, 2.0]))
    drawn = bars.bar_figure(data, category="groep", labels={"a": label}, title="t", eenheid="aantal", bron=BRON)
    assert label in [t.get_text() for t in _drawn_texts(drawn.figure)]
    assert label in drawn.alt  # the alt text is data: every export escapes it
    svg = saving.save_figure(drawn, tmp_path, "f")["svg"].read_text(encoding="utf-8")
    assert "<script" not in svg and "&lt;script&gt;" in svg


# --------------------------------------------------------------------------- tile, 100% bar, small multiples

def _texts(fig) -> list[str]:
    return [t.get_text() for t in _drawn_texts(fig)]


def test_tile_shows_value_year_earlier_value_and_benchmark():
    data = pd.DataFrame(dict(regio="Maassluis", jaar=[2009, 2018], waarde=[31390, 32518]))
    bench = pd.DataFrame(dict(regio=["Nederland", "Nederland"], jaar=[2017, 2018], waarde=[8.0, 8.1]))
    fig, alt = tiles.tile_figure(data, title="Inwoners", label="inwoners van Maassluis", eenheid="aantal",
                                 bron=BRON, benchmarks=bench)
    texts = _texts(fig)
    for expected in ("32.518", "inwoners van Maassluis", "2018", "Eerder: 31.390 (2009)", "Ter vergelijking",
                     "Nederland: 8,1 (2018)", "Inwoners", BRON):
        assert expected in texts, expected
    assert not [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 2]  # no data line
    assert alt == ("Kerncijfer van inwoners: 32.518 inwoners van Maassluis in 2018; eerder 31.390 in 2009; "
                   "ter vergelijking Nederland: 8,1 (2018).")
    big = next(t for t in _drawn_texts(fig) if t.get_text() == "32.518")
    assert big.get_fontsize() == tiles.TILE_VALUE_SIZE


def test_tile_marks_an_estimate_and_a_missing_benchmark():
    data = pd.DataFrame(dict(jaar=[2018], waarde=[250], status=["schatting"]))
    fig, alt = tiles.tile_figure(data, title="Inburgeringsplichtigen", label="inwoners met inburgeringsplicht",
                                 eenheid="aantal", bron=BRON, missing_benchmark=True)
    texts = _texts(fig)
    assert "ca. 250" in texts and "schatting, geen meting" in texts
    assert "Geen vergelijkingscijfer beschikbaar" in texts
    assert "ca. 250" in alt and "een schatting, geen meting" in alt
    rate = pd.DataFrame(dict(jaar=[2017], waarde=[18]))
    fig, _ = tiles.tile_figure(rate, title="t", label="inwoners, niet-westers", eenheid="per_1000", bron=BRON)
    assert "18" in _texts(fig) and "per 1.000 inwoners, niet-westers" in _texts(fig)


def test_one_hundred_percent_bar_adds_the_complement_and_fills_the_bar():
    man = pd.DataFrame(dict(groep=["man"], waarde=[75.0]))
    fig, alt = stacked.stacked_share_figure(man, labels={"man": "Man", "vrouw": "Vrouw"}, title="t", bron=BRON)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches if p.get_width() > 0]
    assert widths == [75.0, 25.0] and ax.get_xlim() == (0, 100)
    assert to_hex(ax.patches[1].get_facecolor()) == style.GROUP_STYLES["vrouw"][0].lower()
    assert {"Man: 75%", "Vrouw (rest tot 100%): 25%"} <= set(_legend_texts(fig))
    assert "75%" in _texts(fig) and "25%" in _texts(fig)  # inside the segments
    assert alt == "Balk van 100% voor t: Man 75% en Vrouw 25% (rest tot 100%)."
    rounded = pd.DataFrame(dict(groep=["nederlands", "niet_westers", "westers"], waarde=[75.0, 17.0, 7.0]))
    fig, _ = stacked.stacked_share_figure(rounded, title="t", bron=BRON)
    assert sum(p.get_width() for p in fig.axes[0].patches) == pytest.approx(100)  # 99 published, bar full
    with pytest.raises(ValueError, match="meer dan 100%"):
        stacked.stacked_share_figure(rounded.assign(waarde=[75.0, 17.0, 20.0]), title="t", bron=BRON)


def test_a_count_gets_a_trend_line_without_a_band():
    """Inhabitants are a registration: the trend line is drawn, no 95% band (lines and small multiples)."""
    data = _series(groups=("totaal",), years=range(2010, 2019)).assign(waarde=lambda d: 31000 + 100.0 * (d.jaar - 2010))
    trend = data.assign(gefit=data.waarde, ondergrens=data.waarde - 300.0, bovengrens=data.waarde + 300.0)
    fig, _ = lines.series_figure(data=data, title="t", eenheid="aantal", bron=BRON, trend=trend)
    ax = fig.axes[0]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())
    assert "Trend" in _legend_texts(fig) and "Trend met 95%-interval" not in _legend_texts(fig)
    groups = ["turks", "marokkaans", "surinaams", "antilliaans", "overig_niet_westers"]
    panels = _series(groups=groups, years=range(2008, 2018))
    fitted = panels.assign(gefit=panels.waarde, ondergrens=panels.waarde - 1.0, bovengrens=panels.waarde + 1.0)
    for eenheid, banded in (("aantal", False), ("procent", True)):
        fig, _ = small_multiples.small_multiples_figure(panels, title="t", eenheid=eenheid, bron=BRON, trend=fitted)
        # seaborn.objects draws a band as a Polygon patch
        shaded = [p for ax in fig.axes if ax.get_title(loc="left") for p in ax.patches if isinstance(p, Polygon)]
        assert bool(shaded) == banded
        assert ("Trend met 95%-interval" in _legend_texts(fig)) == banded


def test_small_multiples_one_panel_per_group_with_the_benchmark_in_each():
    groups = ["turks", "marokkaans", "surinaams", "antilliaans", "overig_niet_westers"]
    data = _series(groups=groups, years=range(2008, 2018))
    bench = _series(groups=("nederlands",), years=range(2008, 2018)).assign(waarde=1.0)
    fig, alt = small_multiples.small_multiples_figure(data, labels={"turks": "Turkse achtergrond"}, title="t",
                                                      eenheid="procent", bron=BRON, benchmark=bench,
                                                      benchmark_label="Nederlandse achtergrond",
                                                      roles=style.Roles("Maassluis"), area="Maassluis")
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == ["Turkse achtergrond", *groups[1:]]
    assert len({ax.get_ylim() for ax in panels}) == 1 and panels[0].get_ylim()[0] == 0  # one shared axis
    for ax, group in zip(panels, groups):
        colours = {to_hex(line.get_color()) for line in ax.get_lines()}
        # the groups of the municipality in its colour, not a rainbow; the benchmark grey in every panel
        assert colours == {style.REFERENCE_COLOUR.lower(), style.HIGHLIGHT.lower()}
        assert len(ax.get_lines()) == 2  # one line per connected piece: the group and the benchmark
    assert "Nederlandse achtergrond" in _legend_texts(fig)
    assert fig.get_figwidth() == pytest.approx(style.WIDTH)
    assert alt.startswith("Kleine figuren van t, één per groep, 2008-2017: Turkse achtergrond")
    assert "in elk paneel ter vergelijking Nederlandse achtergrond (grijs)" in alt


def test_small_multiples_keep_gaps_and_breaks_in_seaborn_facets():
    data = pd.concat([_halt_with_break().assign(groep=g) for g in ("turks", "marokkaans", "surinaams", "pools",
                                                                       "antilliaans")])
    data = data[data["jaar"] != 2012]  # a gap in the old reeks
    fig, _ = small_multiples.small_multiples_figure(data, title="t", eenheid="per_10000", bron=BRON)
    panel = next(ax for ax in fig.axes if ax.get_title(loc="left") == "turks")
    pieces = sorted((min(line.get_xdata()), max(line.get_xdata())) for line in _data_lines_any_style(panel))
    assert pieces == [(2009, 2011), (2013, 2015), (2016, 2018)]  # never joined across the gap or the break
    marks = [line.get_xdata()[0] for line in panel.get_lines() if len(set(line.get_xdata())) == 1]
    assert marks == [2015.5]


def test_small_multiples_make_no_pyplot_figure():
    code = ("import pandas as pd, sys; from analyse.plots import small_multiples; "
            "d = pd.DataFrame(dict(groep=['a']*3+['b']*3, jaar=[1,2,3]*2, waarde=[1.,2,3,4,5,6])); "
            "small_multiples.small_multiples_figure(d, title='t', eenheid='aantal', bron='b'); "
            "import matplotlib.pyplot as plt; print(plt.get_fignums())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # seaborn draws on our own figure: no pyplot state, nothing shown twice


def test_describe_functions_give_the_alt_without_drawing():
    data = _halt_with_break(status=[""] * 9 + ["schatting"])
    drawn = lines.series_figure(data, hue="regio", title="Halt, 2009-2018", eenheid="per_10000", bron=BRON)
    assert lines.describe_series(data, hue="regio", title="Halt, 2009-2018", eenheid="per_10000") == drawn.alt
    marks = pd.DataFrame(dict(regio=["Maassluis", "Nederland"], jaar=2018, waarde=[7.1, 6.3]))
    drawn = bars.bar_figure(marks, category="regio", title="Rapportcijfer, 2018", eenheid="rapportcijfer", bron=BRON)
    assert drawn.alt == "Staafdiagram van rapportcijfer, 2018: Maassluis 7,1; Nederland 6,3."
    assert bars.describe_bars(marks, category="regio", title="Rapportcijfer, 2018", eenheid="rapportcijfer") == drawn.alt


def test_save_figure_takes_the_drawn_result_and_crops_as_tight(tmp_path):
    drawn = lines.series_figure(_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    paths = saving.save_figure(drawn, tmp_path, "f")
    reference = lines.series_figure(_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON).figure
    reference.savefig(tmp_path / "tight.png", dpi=300, bbox_inches="tight", facecolor="white")
    with Image.open(paths["png"]) as ours, Image.open(tmp_path / "tight.png") as tight:
        assert abs(ours.size[0] - tight.size[0]) <= 2 and abs(ours.size[1] - tight.size[1]) <= 2


def test_png_is_rgb_and_has_the_pixels_matplotlib_draws(tmp_path):
    drawn = lines.series_figure(_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    png = saving.save_figure(drawn, tmp_path, "f")["png"]
    reference = lines.series_figure(_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON).figure
    bbox = reference.get_tightbbox(reference.canvas.get_renderer()).padded(0.1)
    reference.savefig(tmp_path / "matplotlib.png", dpi=300, bbox_inches=bbox, facecolor="white")
    with Image.open(png) as ours, Image.open(tmp_path / "matplotlib.png") as theirs:
        assert ours.mode == "RGB" and theirs.mode == "RGBA"
        assert ours.size == theirs.size
        difference = np.abs(np.asarray(ours, dtype=int) - np.asarray(theirs.convert("RGB"), dtype=int))
    assert difference.max() == 0


def test_saving_draws_the_figure_once_per_format(tmp_path, monkeypatch):
    """The layout is frozen when the figure is built: a save draws it for the PNG and for the SVG, and
    not again to lay it out (a layout engine, even matplotlib's placeholder, costs two more draws each)."""
    from matplotlib.figure import Figure

    drawn = lines.series_figure(_series(), labels=LABELS, title="t", eenheid="procent", bron=BRON)
    assert drawn.figure.get_layout_engine() is None
    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(1) or original(self, renderer))
    saving.save_figure(drawn, tmp_path, "f")
    assert len(draws) == 2


def test_value_colours_keep_readable_contrast():
    data = pd.DataFrame(dict(jaar=[2018], waarde=[26.9]))
    roles = style.Roles("Maassluis", comparisons=("Vlaardingen",))
    fig, _ = tiles.tile_figure(data, title="t", label="x", eenheid="procent", bron=BRON, roles=roles, area="Maassluis")
    big = next(t for t in _drawn_texts(fig) if t.get_text() == "26,9%")
    assert to_hex(big.get_color()) == style.HIGHLIGHT.lower()  # the municipality of the run, whatever its name
    fig, _ = tiles.tile_figure(data, title="t", label="x", eenheid="procent", bron=BRON, roles=roles, area="Delft")
    big = next(t for t in _drawn_texts(fig) if t.get_text() == "26,9%")
    assert to_hex(big.get_color()) == "#000000"  # an area without a role: black
    shares = pd.DataFrame(dict(groep=["nederlands", "niet_westers", "westers"], waarde=[75.0, 17.0, 8.0]))
    fig, _ = stacked.stacked_share_figure(shares, title="t", bron=BRON)
    inside = {t.get_text(): to_hex(t.get_color()) for t in fig.axes[0].texts}
    assert inside["75%"] == "#ffffff" and inside["17%"] == "#000000"  # white on indigo, black on vermilion


def test_draw_follows_the_plan():
    two = pd.DataFrame(dict(regio="Maassluis", groep="totaal", jaar=[2009, 2018], waarde=[31390, 32518]))
    plan = figures.choose(two, unit="aantal", per="regio")
    drawn = dispatch.draw(plan, two, per="regio", title="Inwoners", eenheid="aantal", bron=BRON, label="inwoners")
    assert "32.518" in _texts(drawn.figure) and drawn.alt.startswith("Kerncijfer")
    man = pd.DataFrame(dict(regio="Maassluis", groep=["man"], jaar=[2017], waarde=[75.0]))
    drawn = dispatch.draw(figures.choose(man, unit="procent", per="groep"), man, per="groep", title="t",
                          eenheid="procent", bron=BRON, labels={"man": "Man", "vrouw": "Vrouw"})
    assert drawn.alt.startswith("Balk van 100%")
    halt = _halt_with_break().assign(groep="totaal")
    fitted = halt.assign(gefit=halt.waarde, ondergrens=halt.waarde - 1, bovengrens=halt.waarde + 1)
    nl = halt.assign(regio="Nederland", waarde=halt.waarde + 40)
    plan = figures.choose(halt, unit="per_10000", per="regio", has_benchmark=True)
    drawn = dispatch.draw(plan, halt, per="regio", title="t", eenheid="per_10000", bron=BRON, benchmarks=nl,
                          trend=fitted[fitted.reeks == "oud"])
    assert set(_legend_texts(drawn.figure)) >= {"Maassluis", "Nederland", "Trend met 95%-interval"}
    with pytest.raises(ValueError, match="tabel"):
        dispatch.draw(figures.choose(man.assign(waarde=1), unit="rang", per="groep"), man, per="groep", title="t",
                      eenheid="rang", bron=BRON)


def test_draw_names_the_benchmark_of_a_tile_by_region_or_by_group():
    from analyse import figures
    own = pd.DataFrame(dict(regio="Maassluis", groep="niet_westers", jaar=[2017], waarde=[18.0]))
    reference = pd.DataFrame(dict(regio="Maassluis", groep="nederlands", jaar=[2017], waarde=[8.0]))
    plan = figures.choose(own, unit="per_1000", per="groep", has_benchmark=True)
    labels = {"nederlands": "Nederlandse achtergrond"}
    drawn = dispatch.draw(plan, own, per="groep", title="t", eenheid="per_1000", bron=BRON, benchmarks=reference,
                          labels=labels)
    assert "Nederlandse achtergrond: 8 per 1.000 (2017)" in _texts(drawn.figure)
    national = reference.assign(regio="Nederland", groep="niet_westers", waarde=30.0)
    drawn = dispatch.draw(plan, own, per="groep", title="t", eenheid="per_1000", bron=BRON, benchmarks=national)
    assert "Nederland: 30 per 1.000 (2017)" in _texts(drawn.figure)
    drawn = dispatch.draw(plan, own, per="groep", title="t", eenheid="per_1000", bron=BRON, benchmarks=national.iloc[0:0])
    assert "Geen vergelijkingscijfer beschikbaar" in _texts(drawn.figure)


# --------------------------------------------------------------------------- colours by role, contrast, layout

ROLES = style.Roles(region="Delft", comparisons=("Leiden", "Gouda"), national=("Nederland",))


def test_no_region_name_is_written_in_the_figure_code():
    """Colours follow the role of an area, never its name: no string in the figure code names a region."""
    import ast

    names = set(pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "raw" / "regios.csv")["regio"])
    source = Path(style.__file__).parents[1]
    files = [*sorted((source / "plots").glob("*.py")), source / "figures.py", source / "theme_figures.py",
             source / "theme_peers.py"]
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        found += [(path.name, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                  and any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", node.value) for name in names
                          if len(name) > 4)]
    assert not found


def test_every_line_bar_and_marker_colour_has_3_to_1_contrast_on_white():
    colours = {style.HIGHLIGHT, style.REFERENCE_COLOUR, style.PEER_COLOUR, style.OTHER_AREA_COLOUR,
               *(c for c, _ in style.COMPARISON_STYLES), *(c for c, _ in style.GROUP_STYLES.values()),
               *style.sequential(8), *style.series_styles([f"onbekend_{i}" for i in range(12)]).values()}
    colours = {c.colour if isinstance(c, style.SeriesStyle) else c for c in colours}
    weak = {c: round(style._contrast(c, "#FFFFFF"), 2) for c in colours
            if style._contrast(c, "#FFFFFF") < style.MIN_CONTRAST}
    assert not weak  # the light khaki (#DDCC77), orange (#E69F00) and sky blue (#56B4E9) are gone


def test_the_municipality_of_the_run_is_highlighted_whatever_its_name():
    data = pd.concat([_series(groups=(r,), years=range(2015, 2019)).rename(columns={"groep": "regio"})
                      for r in ("Nederland", "Gouda", "Delft", "Leiden")])
    for roles, highlighted in ((ROLES, "Delft"), (style.Roles("Gouda", ("Delft",), ("Nederland",)), "Gouda")):
        fig, _ = lines.series_figure(data, hue="regio", title="t", eenheid="per_1000", bron=BRON, roles=roles)
        colours = _legend_colours(fig)
        assert colours[highlighted] == style.HIGHLIGHT.lower()
        assert colours["Nederland"] == style.REFERENCE_COLOUR.lower()
        thick = [line for line in fig.axes[0].get_lines() if line.get_linewidth() == style.HIGHLIGHT_WIDTH]
        assert {to_hex(line.get_color()) for line in thick} == {style.HIGHLIGHT.lower()}
    colours = _legend_colours(lines.series_figure(data, hue="regio", title="t", eenheid="per_1000", bron=BRON,
                                                  roles=ROLES).figure)
    # the comparison regions in the order the settings name them
    assert colours["Leiden"] == style.COMPARISON_STYLES[0][0].lower()
    assert colours["Gouda"] == style.COMPARISON_STYLES[1][0].lower()


def test_ordered_categories_get_a_sequential_scale_not_a_rainbow():
    ages = ["leeftijd_65_plus", "leeftijd_0_14", "leeftijd_25_44"]
    styles = style.series_styles(ages)
    shades = style.sequential(3)
    assert [styles[a].colour for a in ("leeftijd_0_14", "leeftijd_25_44", "leeftijd_65_plus")] == shades
    assert [style._luminance(c) for c in shades] == sorted((style._luminance(c) for c in shades), reverse=True)


def test_a_line_of_rates_of_60_to_67_percent_is_not_drawn_on_a_0_to_70_axis():
    data = pd.DataFrame(dict(regio=["Delft"] * 3 + ["Leiden"] * 3, jaar=[2018, 2019, 2022] * 2,
                             waarde=[66.0, 67.0, 64.0, 65.0, 66.0, 63.0]))
    fig, _ = lines.series_figure(data, hue="regio", title="t", eenheid="procent", bron=BRON, roles=ROLES)
    bottom, top = fig.axes[0].get_ylim()
    assert 50 < bottom < 63 and top < 80  # the one-point differences are visible
    assert _break_marks(fig.axes[0]) == 1  # and the axis says it does not start at 0


def _bar_colours(ax) -> list[str]:
    return [to_hex(p.get_facecolor()) for p in ax.patches if np.isfinite(p.get_width()) and p.get_width() > 0]


def test_bars_colour_areas_by_role_and_draw_the_national_figure_as_a_reference_line():
    data = pd.DataFrame(dict(regio=["Delft", "Gouda", "Leiden", "Nederland"], jaar=[2022, 2022, 2022, 2018],
                             waarde=[29.5, 53.7, 34.0, 22.6]))
    drawn = bars.bar_figure(data, category="regio", title="t", eenheid="procent", bron=BRON, roles=ROLES,
                            references=["Nederland"], labels={"Nederland": "Nederland (2018)"})
    ax = drawn.figure.axes[0]
    assert _bar_colours(ax) == [style.HIGHLIGHT.lower(), style.COMPARISON_STYLES[1][0].lower(),
                                style.COMPARISON_STYLES[0][0].lower()]  # three bars: Nederland is no bar
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Delft", "Gouda", "Leiden"]
    vertical = [line for line in ax.get_lines() if list(line.get_xdata()) == [22.6, 22.6]]
    assert len(vertical) == 1 and to_hex(vertical[0].get_color()) == style.REFERENCE_COLOUR.lower()
    assert "Nederland (2018): 22,6%" in _legend_texts(drawn.figure)
    assert drawn.alt == ("Staafdiagram van t, 2022: Delft 29,5%; Gouda 53,7%; Leiden 34,0%; ter vergelijking "
                         "Nederland (2018) 22,6% (lijn).")


def test_groups_of_one_area_share_its_colour_and_nested_groups_sit_under_their_whole():
    data = pd.DataFrame(dict(regio="Delft", groep=["totaal", "leeftijd_18_27", "leeftijd_18_20"], jaar=2018,
                             waarde=[825.0, 50.0, 12.0]))
    arrangement = figures.arrange(data["groep"], per="groep", unit="aantal")
    labels = {"totaal": "Totaal", "leeftijd_18_27": "18-27 jaar", "leeftijd_18_20": "18-20 jaar"}
    drawn = bars.bar_figure(data, category="groep", title="t", eenheid="aantal", bron=BRON, roles=ROLES, area="Delft",
                            labels=labels, parents=arrangement.parents, parts=arrangement.parts)
    ax = drawn.figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Totaal", "waarvan 18-27 jaar", "waarvan 18-20 jaar"]
    solid = [p for p in ax.patches if p.get_alpha() is None and np.isfinite(p.get_width())]
    assert sorted(p.get_width() for p in solid) == [12.0, 50.0, 825.0]
    assert {to_hex(p.get_facecolor()) for p in solid} == {style.HIGHLIGHT.lower()}  # one colour, no rainbow
    light = sorted(p.get_width() for p in ax.patches if p.get_alpha() == bars.GHOST_ALPHA)
    assert light == [50.0, 825.0]  # the whole each part belongs to, behind it
    assert drawn.alt == "Staafdiagram van t, 2018: Totaal 825; waarvan 18-27 jaar 50; waarvan 18-20 jaar 12."


def test_the_tile_never_says_there_is_nothing_to_compare_when_it_shows_a_target():
    data = pd.DataFrame(dict(jaar=[2017], waarde=[13.0]))
    drawn = tiles.tile_figure(data, title="Segregatie-index", label="segregatie-index", eenheid="index", bron=BRON,
                              target=(2021, 10.0), missing_benchmark=True)
    texts = _texts(drawn.figure)
    assert "Doel" in texts and "10 in 2021" in texts and "Geen vergelijkingscijfer beschikbaar" not in texts
    assert "geen vergelijkingscijfer" not in drawn.alt and "doel 10 in 2021" in drawn.alt
    rate = tiles.tile_figure(pd.DataFrame(dict(jaar=[2017], waarde=[41.1])), title="t",
                             label="bijstandsuitkeringen per 1.000 inwoners", eenheid="per_1000", bron=BRON)
    assert "41,1 bijstandsuitkeringen per 1.000 inwoners in 2017" in rate.alt  # the unit once, not twice


# --------------------------------------------------------------------------- position among peers, maps

def _position_frame():
    peers_values = [60.0, 62.0, 62.0, 63.0, 64.0, 64.0, 64.0, 65.0, 66.0, 70.0]
    return pd.concat([
        pd.DataFrame(dict(regio=["Delft"], waarde=[63.0], rol="gemeente")),
        pd.DataFrame(dict(regio=[f"Gemeente {i}" for i in range(len(peers_values))], waarde=peers_values,
                          rol="gelijke")),
        pd.DataFrame(dict(regio=["Leiden", "Nederland"], waarde=[61.0, 65.0], rol=["vergelijking", "land"]))],
        ignore_index=True)


SUMMARY = dict(median=64.0, lower_quartile=62.25, upper_quartile=64.75, minimum=60.0, maximum=70.0, below=3, above=7)


def test_position_shows_every_peer_with_the_municipality_highlighted(tmp_path):
    from analyse.plots import position

    frame = _position_frame()
    drawn = position.position_figure(frame, title="Arbeidsparticipatie (%), 2022", eenheid="procent", bron=BRON,
                                     peers_label="10 gemeenten met 20.000 tot 50.000 inwoners", summary=SUMMARY,
                                     jaar=2022, roles=ROLES, subject="arbeidsparticipatie (%)")
    ax = drawn.figure.axes[0]
    points = [c for c in ax.collections if c.get_offsets().shape[0] == 10]  # the swarm: every peer, none hidden
    assert len(points) == 1 and sorted(points[0].get_offsets()[:, 0]) == sorted(frame["waarde"][1:11])
    own = [c for c in ax.collections if c.get_offsets().shape[0] == 1 and list(c.get_offsets()[0]) == [63.0, 0.0]]
    assert to_hex(own[0].get_facecolor()[0]) == style.HIGHLIGHT.lower()
    assert "Delft: 63%" in _texts(drawn.figure) and "Nederland: 65%" in _legend_texts(drawn.figure)
    assert drawn.alt == ("Positie van Delft tussen 10 gemeenten met 20.000 tot 50.000 inwoners, arbeidsparticipatie "
                         "(%), 2022: Delft 63%; middelste waarde 64%, middelste helft 62,3% tot 64,8%, van 60% tot "
                         "70%; 3 gemeenten lager en 7 hoger; ter vergelijking Leiden 61% en Nederland 65%.")
    first = saving.save_figure(drawn, tmp_path / "a", "p")["svg"].read_bytes()
    again = position.position_figure(frame, title="Arbeidsparticipatie (%), 2022", eenheid="procent", bron=BRON,
                                     peers_label="10 gemeenten met 20.000 tot 50.000 inwoners", summary=SUMMARY,
                                     jaar=2022, roles=ROLES, subject="arbeidsparticipatie (%)")
    assert saving.save_figure(again, tmp_path / "b", "p")["svg"].read_bytes() == first  # no random jitter


def test_a_dense_swarm_gets_the_height_it_needs():
    from analyse.plots import position

    size, row = position.swarm_layout([64.0] * 12 + [65.0] * 3)
    assert size == position.SWARM_SIZE and row >= 12 * size / 72 / 0.8  # twelve equal values in one column
    size, row = position.swarm_layout([64.0] * 200)
    assert row == position.SWARM_ROW[1] and size < position.SWARM_SIZE  # too many: smaller dots, not lost ones


def _squares(codes):
    """A row of unit squares (0,1 degree) as boundaries.read gives them."""
    rows = []
    for i, code in enumerate(codes):
        x = 4.0 + 0.1 * i
        for lon, lat in ((x, 52.0), (x + 0.1, 52.0), (x + 0.1, 52.1), (x, 52.1), (x, 52.0)):
            rows.append(dict(gemeentecode=code, gemeentenaam=code, ring=i, lon=lon, lat=lat))
    return pd.DataFrame(rows)


def _fills(fig) -> dict[str, str]:
    from matplotlib.collections import PatchCollection

    collection = next(c for c in fig.axes[0].collections if isinstance(c, PatchCollection))
    codes = sorted(_squares(["GM0001", "GM0002", "GM0003", "GM0004"])["gemeentecode"].unique())
    return dict(zip(codes, (to_hex(c) for c in collection.get_facecolors())))


def test_the_peer_map_fills_the_municipality_and_its_peers_by_role():
    from analyse.plots import maps

    shapes = _squares(["GM0001", "GM0002", "GM0003", "GM0004"])
    data = pd.DataFrame(dict(regio=["Delft", "Leiden", "Gouda"], code=["GM0002", "GM0003", "GM0004"],
                             rol=["gemeente", "gelijke", "vergelijking"]))
    drawn = maps.peer_map_figure(data, shapes=shapes, title="t", bron=BRON, peers_label="1 gemeente met 20.000 tot "
                                 "50.000 inwoners", jaar=2023, roles=ROLES)
    fills = _fills(drawn.figure)
    assert fills == {"GM0001": maps.OTHER_FILL.lower(), "GM0002": style.HIGHLIGHT.lower(),
                     "GM0003": style.PEER_COLOUR.lower(), "GM0004": maps.OTHER_FILL.lower()}
    outlined = [p for p in drawn.figure.axes[0].patches if to_hex(p.get_edgecolor()) == style.COMPARISON_STYLES[1][0].lower()]
    assert outlined  # Gouda, the second comparison region, has its colour as outline
    assert drawn.alt == ("Kaart van alle gemeenten met Delft (blauw) en de 1 gemeente met 20.000 tot 50.000 inwoners "
                         "in 2023 (grijs): met een gekleurde rand Gouda.")


def test_a_choropleth_puts_values_in_classes_of_a_sequential_scale_and_hatches_the_missing():
    from analyse.plots import maps

    shapes = _squares(["GM0001", "GM0002", "GM0003", "GM0004"])
    data = pd.DataFrame(dict(regio=["A", "Delft", "C", "D"], code=["GM0001", "GM0002", "GM0003", "GM0004"],
                             waarde=[50.0, 60.0, 70.0, np.nan], rol=["", "gemeente", "", ""]))
    assert maps.classes([50.0, 60.0, 70.0], n=2) == [50.0, 60.0, 70.0]
    drawn = maps.choropleth_figure(data, shapes=shapes, title="Participatie (%), per gemeente, 2022",
                                   eenheid="procent", bron=BRON, jaar=2022, roles=ROLES, subject="participatie (%)")
    fills = _fills(drawn.figure)
    lightness = [style._luminance(fills[c]) for c in ("GM0001", "GM0002", "GM0003")]
    assert lightness == sorted(lightness, reverse=True)  # the higher the value, the darker
    ax = drawn.figure.axes[0]
    assert any(p.get_hatch() == "////" for p in ax.patches)  # GM0004 has no value
    assert any(to_hex(p.get_edgecolor()) == "#000000" and p.get_linewidth() > 1 for p in ax.patches)  # Delft outlined
    assert "Geen cijfer in 2022" in _legend_texts(drawn.figure)
    assert drawn.alt.startswith("Kaart van participatie (%) per gemeente, 2022, in ")
    assert "Delft 60%" in drawn.alt and drawn.alt.endswith("1 gemeente zonder cijfer.")
    # at the scale of the country a municipality may be a sliver: its name on the map carries its value
    assert "Delft: 60%" in [t.get_text() for t in ax.texts]


# --------------------------------------------------------------------------- the catalogue's decimals

def test_a_tile_shows_the_indicators_fixed_decimals_as_the_key_figures_do():
    data = pd.DataFrame(dict(regio="Maassluis", jaar=[2009, 2018], waarde=[2.0, 1.73]))
    bench = pd.DataFrame(dict(regio=["Nederland"], jaar=[2018], waarde=[2.04]))
    fixed = tiles.tile_figure(data, title="t", label="werkloosheid", eenheid="procent", bron=BRON,
                              benchmarks=bench, decimals=1)
    texts = _texts(fixed.figure)
    assert "1,7%" in texts and "1,73%" not in texts  # the key figure says 1,7%, the tile too
    assert "Eerder: 2,0% (2009)" in texts and "Nederland: 2,0% (2018)" in texts
    assert fixed.alt == ("Kerncijfer van t: werkloosheid 1,7% in 2018; eerder 2,0% in 2009; "
                         "ter vergelijking Nederland: 2,0% (2018).")
    published = tiles.tile_figure(data, title="t", label="werkloosheid", eenheid="procent", bron=BRON,
                                  benchmarks=bench)  # no decimalen in the catalogue: as published
    assert {"1,73%", "Eerder: 2% (2009)", "Nederland: 2,04% (2018)"} <= set(_texts(published.figure))
    rate = tiles.tile_figure(pd.DataFrame(dict(jaar=[2017], waarde=[41.06])), title="t",
                             label="bijstandsuitkeringen per 1.000 inwoners", eenheid="per_1000", bron=BRON, decimals=0)
    assert "41" in _texts(rate.figure) and "41 bijstandsuitkeringen per 1.000 inwoners in 2017" in rate.alt


def test_bar_labels_legend_and_alt_show_the_indicators_fixed_decimals():
    data = pd.DataFrame(dict(regio=["Maassluis", "Schiedam", "Nederland"], jaar=2018, waarde=[1.73, 2.0, 2.04]))
    drawn = bars.bar_figure(data, category="regio", title="t, 2018", eenheid="procent", bron=BRON,
                            references=["Nederland"], decimals=1)
    texts = _texts(drawn.figure)
    assert "1,7%" in texts and "2,0%" in texts and "1,73%" not in texts
    assert "Nederland: 2,0%" in _legend_texts(drawn.figure)
    assert drawn.alt == "Staafdiagram van t, 2018: Maassluis 1,7%; Schiedam 2,0%; ter vergelijking Nederland 2,0% (lijn)."
    assert bars.describe_bars(data, category="regio", title="t, 2018", eenheid="procent", references=["Nederland"],
                              decimals=1) == drawn.alt
    published = bars.bar_figure(data, category="regio", title="t, 2018", eenheid="procent", bron=BRON,
                                references=["Nederland"])  # as published: the most decimals any value has
    assert {"1,73%", "2,00%"} <= set(_texts(published.figure)) and "Nederland: 2,04%" in _legend_texts(published.figure)
    assert "Maassluis 1,73%" in published.alt


def test_draw_passes_the_indicators_decimals_to_tiles_and_bars():
    two = pd.DataFrame(dict(regio="Maassluis", groep="totaal", jaar=[2009, 2018], waarde=[2.0, 1.73]))
    plan = figures.choose(two, unit="procent", per="regio")
    arguments = dict(per="regio", title="t", eenheid="procent", label="werkloosheid", decimals=1)
    assert plan.kind == "tegel"
    drawn = dispatch.draw(plan, two, bron=BRON, **arguments)
    assert "1,7%" in _texts(drawn.figure) and "1,7% in 2018" in drawn.alt
    assert dispatch.describe(plan=plan, rows=two, **arguments) == drawn.alt
    regions = pd.DataFrame(dict(regio=["Maassluis", "Schiedam"], groep="totaal", jaar=2018, waarde=[1.73, 2.04]))
    plan = figures.choose(regions, unit="procent", per="regio")
    assert plan.kind == "staaf"
    drawn = dispatch.draw(plan, regions, bron=BRON, **arguments)
    assert {"1,7%", "2,0%"} <= set(_texts(drawn.figure)) and "Maassluis 1,7%; Schiedam 2,0%" in drawn.alt
    assert dispatch.describe(plan=plan, rows=regions, **arguments) == drawn.alt
