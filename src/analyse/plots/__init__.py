"""The figures of the reports, one module per figure kind, all in one house style.

- :mod:`~analyse.plots.style`: the house style: size, fonts, colours per group and region, Dutch tick labels,
  the axes, title, source line and legend, and :class:`~analyse.plots.style.Drawn` (figure plus alt text).
- :mod:`~analyse.plots.pieces`: how a series is drawn as connected pieces, with definition breaks, estimates
  and trend lines (shared by lines and small multiples).
- :mod:`~analyse.plots.lines`: the line chart; :mod:`~analyse.plots.bars`: the bar chart (and a ranking drawn
  as a list); :mod:`~analyse.plots.tiles`: the key-figure tile; :mod:`~analyse.plots.stacked`: one 100% bar;
  :mod:`~analyse.plots.small_multiples`: one small line chart per group or region.
- :mod:`~analyse.plots.dispatch`: draws (or only describes) a :class:`analyse.figures.FigurePlan`.
- :mod:`~analyse.plots.saving`: the PNG (300 dpi) and the reproducible SVG.

Every figure function returns :class:`~analyse.plots.style.Drawn` ``(figure, alt)``: the figure and one Dutch
sentence that says what it shows (for screen readers and the index page). Each figure module also has a
``describe_*`` function that gives the same sentence without drawing (for a figure that is cached and not
redrawn). Which figure a set of rows gets is decided in :mod:`analyse.figures`; its thresholds (three points
for a line, five for a trend) are also enforced here, so a figure drawn directly obeys them too. This package
re-exports nothing: import the module you need.
"""
