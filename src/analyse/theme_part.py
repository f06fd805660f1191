"""What the parts of a theme notebook read: the figures (:mod:`analyse.theme_figures`), the wijk section
(:mod:`analyse.theme_areas`) and the position among peers (:mod:`analyse.theme_peers`) get the state of their
:class:`analyse.theme.Thema` as named, typed fields, never the notebook itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analyse.catalogue import Catalogue
from analyse.comparisons import RegionComparison
from analyse.context import ThemeContext
from analyse.data import Dataset
from analyse.text.sources import source_line
from analyse.trends import TrendResult
from analyse.writer import ReportWriter


@dataclass(frozen=True)
class ThemePart:
    """A part of a theme notebook and everything it reads of the notebook.

    ``theme_obs``: the theme's citable observations; ``window_obs``: those in the years of the run; ``obs``: those
    of the regions in scope. ``trend_results`` gives the trends of ``obs`` (computed once, when first asked for);
    ``compare_region(indicator, groep, where)`` is the notebook's one comparison of a region (same year, same reeks).
    """

    context: ThemeContext
    dataset: Dataset
    cat: Catalogue
    grades: dict[str, str]
    out: ReportWriter
    theme_obs: pd.DataFrame
    window_obs: pd.DataFrame
    obs: pd.DataFrame
    trend_results: Callable[[], dict[tuple, TrendResult]]
    compare_region: Callable[[str, str, str], RegionComparison | None]

    def _source(self, rows: pd.DataFrame) -> str:
        """The source line under a figure or table of ``rows``: the producers and publishers of their bronnen."""
        return source_line([(o.producer, o.publisher) for o in self.cat.origins(rows)], self.context.editor)
