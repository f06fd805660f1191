"""What the parts of a theme notebook share: the figures (:mod:`analyse.theme_figures`) and the wijk section
(:mod:`analyse.theme_areas`) work on the state of their :class:`analyse.theme.Thema`, read, never copied."""

from __future__ import annotations

import pandas as pd


class ThemePart:
    """A part of a theme notebook; the notebook's state is read through it."""

    SHARED = ("context", "dataset", "cat", "grades", "persons", "out", "theme_obs", "window_obs", "obs")

    def __init__(self, notebook):
        self.notebook = notebook

    def __getattr__(self, name: str):
        if name in ThemePart.SHARED:
            return getattr(self.notebook, name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @property
    def _trend_results(self) -> dict:
        return self.notebook.trend_results

    def _source(self, rows: pd.DataFrame) -> str:
        return self.notebook._source(rows)
