"""Records what a theme produces and writes it into ``reports/`` as :mod:`analyse.contract` describes.

One :class:`ReportWriter` per notebook. It saves tables (CSV plus a :class:`~analyse.contract.TableRecord`),
figures (PNG and SVG plus a :class:`~analyse.contract.FigureRecord`), key figures, key messages and warnings,
and :meth:`ReportWriter.save` writes the theme summary ``tables/<thema>/kerncijfers.json``.

Every table and key figure passes the run's small-numbers gate (:class:`analyse.gate.Gate`) before it is
written: the CSV, the record's suppressed cells and notes, ``kerncijfers.json`` and the table the notebook shows
(:meth:`ReportWriter.display`) all hold the same protected table.

Figures are cached (:mod:`analyse.cache`): a figure is drawn again unless its key and its files are as
recorded. The key covers everything that shapes it: the data and arguments, the code of the drawing function's
module and of every module it imports, and the versions of the libraries that render it. The record,
``figures/<thema>/.figuren.json``, holds per figure that key and the SHA-256 of its PNG and SVG as drawn, so an
emptied, replaced or edited figure file is drawn again, never published as it is. ``analyse run`` hands each
run the previous run's figures (not with ``--opnieuw``), so an unchanged figure is copied, not redrawn.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analyse import cache, contract, presenter
from analyse.context import ThemeContext
from analyse.disclosure import Cells
from analyse.gate import Gate

FIGURE_CACHE = ".figuren.json"
SAVING = "analyse.plots.saving"
"""The module that writes every figure's PNG and SVG: part of every figure's code."""


def figure_key(draw: Callable, data: pd.DataFrame, arguments: dict) -> str:
    """The cache key of a figure: the drawing function and the code it runs (its module and what that imports,
    and the module that saves it), the library versions, the data and the arguments."""
    module = getattr(draw, "__module__", "") or ""
    return cache.key("figuur", draw, cache.code(module, SAVING), cache.libraries(), data, arguments)


def _read_cache(path: Path) -> dict[str, dict[str, str]]:
    """The figure records in ``path``: name -> {'sleutel', 'png', 'svg'}; a record of another form is left out
    (that figure is drawn again), as is a file that is not such a JSON object."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {name: entry for name, entry in found.items() if isinstance(entry, dict)
            and all(isinstance(entry.get(part), str) for part in ("sleutel", "png", "svg"))}


def _clean_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Round float columns to at most 10 decimals so no binary noise ('3.5999999999') reaches a CSV."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].round(10)
    return frame


class ReportWriter:
    """Collects one theme's outputs and writes them under ``context.output_dir``."""

    def __init__(self, context: ThemeContext, gate: Gate | None = None):
        self.context = context
        self.gate = gate or Gate(context.settings.small_count)
        self._shown: dict[str, pd.DataFrame] = {}  # the protected frame of each table, as written
        self.figure_dir = context.output_dir / "figures" / context.theme
        self.table_dir = context.output_dir / "tables" / context.theme
        self.figures: list[contract.FigureRecord] = []
        self.tables: list[contract.TableRecord] = []
        self.key_figures: list[contract.KeyFigure] = []
        self.messages: list[str] = []
        self._leads = 0
        self.warnings: list[str] = []
        self.key_table: str | None = None
        self._cache = _read_cache(self.figure_dir / FIGURE_CACHE)
        self._drawn: dict[str, dict[str, str]] = {}

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.context.output_dir).as_posix()

    # ------------------------------------------------------------------ tables

    def table(self, name: str, frame: pd.DataFrame, *, title: str, source: str,
              columns: tuple[contract.Column, ...], in_note: bool = False,
              suppressed: tuple[contract.SuppressedCell, ...] = (), notes: tuple[str, ...] = (),
              key: bool = False, cells: Cells | None = None) -> contract.TableRecord:
        """Write ``frame`` through the gate as ``tables/<thema>/<name>.csv`` and record it (replacing a record of
        that name).

        ``cells`` says how the table's values are found in the data (:class:`analyse.disclosure.Cells`; None:
        its number columns by the standard key columns); ``suppressed`` are cells the theme hid itself. The
        record carries every hidden cell and, after ``notes``, the notes of the small-numbers rule.
        """
        missing = [c.name for c in columns if c.name not in frame.columns]
        if missing:
            raise ValueError(f"tabel {name}: kolommen {missing} staan niet in de tabel")
        protected = self.gate.table(frame, columns, cells, suppressed)
        self.table_dir.mkdir(parents=True, exist_ok=True)
        path = self.table_dir / f"{name}.csv"
        _clean_numbers(protected.frame).to_csv(path, index=False, lineterminator="\n")
        record = contract.TableRecord(name=name, csv=self._relative(path), title=title, source=source,
                                      columns=tuple(columns), in_note=in_note, suppressed=tuple(protected.cells),
                                      notes=tuple(dict.fromkeys([*notes, *protected.notes])))
        self.tables = [t for t in self.tables if t.name != name] + [record]
        self._shown[name] = protected.frame
        if key:
            self.key_table = name
        return record

    def display(self, name: str, caption: str | None = None):
        """The table ``name`` as written (after the gate), for the notebook to show."""
        record = next(t for t in self.tables if t.name == name)
        return presenter.table(self._shown[name], record.columns, record.suppressed, caption=caption)

    # ------------------------------------------------------------------ figures

    def figure(self, name: str, draw: Callable, data: pd.DataFrame, arguments: dict, *,
               record: contract.FigureRecord) -> contract.FigureRecord:
        """Draw (unless cached) and save a figure as PNG and SVG, and its data as CSV; ``draw(data, **arguments)``
        returns it.

        ``record`` carries everything but the paths, which are filled in here.
        """
        from analyse.plots.saving import save_figure

        png, svg, csv = (self.figure_dir / f"{name}{suffix}" for suffix in (".png", ".svg", ".csv"))
        key = figure_key(draw, data, arguments)
        if not self._reusable(name, key):
            for path in (png, svg):  # never write through to a file the previous run published
                path.unlink(missing_ok=True)
            save_figure(draw(data, **arguments), self.figure_dir, name)
        self._drawn[name] = {"sleutel": key, "png": cache.file_digest(png), "svg": cache.file_digest(svg)}
        table = _clean_numbers(data).to_csv(index=False, lineterminator="\n")  # the figure's data, for download
        if not (csv.is_file() and csv.read_text(encoding="utf-8") == table):  # an unchanged file keeps its time
            csv.unlink(missing_ok=True)  # never write through to a file the previous run published
            csv.write_text(table, encoding="utf-8")
        saved = replace(record, name=name, png=self._relative(png), svg=self._relative(svg), csv=self._relative(csv))
        self.figures = [f for f in self.figures if f.name != name] + [saved]
        return saved

    def _reusable(self, name: str, key: str) -> bool:
        """True when figure ``name`` was drawn under ``key`` and its PNG and SVG are still as drawn."""
        entry = self._cache.get(name)
        if entry is None or entry["sleutel"] != key:
            return False
        recorded = {f"{name}.png": entry["png"], f"{name}.svg": entry["svg"]}
        present = [name for name in recorded if (self.figure_dir / name).is_file()]
        return not cache.differences(self.figure_dir, recorded, present)

    def png_path(self, figure: contract.FigureRecord) -> Path:
        return self.context.output_dir / figure.png

    # ------------------------------------------------------------------ text

    def message(self, text: str, *, lead: bool = False) -> str:
        """Record a key message; ``lead`` messages (level, benchmark, direction of a headline indicator) go
        before the others, so the publications can show the strongest first."""
        if text not in self.messages:
            position = self._leads if lead else len(self.messages)
            self.messages.insert(position, text)
            self._leads += lead
        return text

    def warning(self, text: str) -> str:
        if text not in self.warnings:
            self.warnings.append(text)
        return text

    def key_figure(self, figure: contract.KeyFigure) -> None:
        """Record a key figure (through the gate: a hidden value and benchmark show their mark)."""
        figure = self.gate.key_figure(figure)
        same = (figure.indicator, figure.region, figure.group)
        self.key_figures = [k for k in self.key_figures if (k.indicator, k.region, k.group) != same] + [figure]

    # ------------------------------------------------------------------ summary

    def summary(self, *, intro: str, sources: tuple[contract.Source, ...]) -> contract.ThemeSummary:
        ctx = self.context
        parameters = contract.Parameters(region=ctx.region, comparison_regions=ctx.comparison_regions,
                                         start_year=ctx.start_year, end_year=ctx.end_year, level=ctx.level)
        return contract.ThemeSummary(
            theme=ctx.theme, title=ctx.title, intro=intro, parameters=parameters, messages=tuple(self.messages),
            key_figures=tuple(self.key_figures), figures=tuple(self.figures), tables=tuple(self.tables),
            key_table=self.key_table, warnings=tuple(self.warnings), sources=sources)

    def save(self, summary: contract.ThemeSummary) -> Path:
        """Write ``kerncijfers.json`` and the figure cache; remove figures of earlier runs not made now."""
        self.table_dir.mkdir(parents=True, exist_ok=True)
        self.figure_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.figure_dir.iterdir():
            if stale.suffix in (".png", ".svg", ".csv") and stale.stem not in self._drawn:
                stale.unlink()
        (self.figure_dir / FIGURE_CACHE).write_text(json.dumps(self._drawn, indent=1, sort_keys=True),
                                                    encoding="utf-8")
        path = self.table_dir / contract.SUMMARY_FILE
        path.write_text(contract.to_json(summary), encoding="utf-8")
        return path
