"""Records what a theme produces and writes it into ``reports/`` as :mod:`analyse.contract` describes.

One :class:`ReportWriter` per notebook. It saves tables (CSV plus a :class:`~analyse.contract.TableRecord`),
figures (PNG and SVG plus a :class:`~analyse.contract.FigureRecord`), key figures, key messages and warnings,
and :meth:`ReportWriter.save` writes the theme summary ``tables/<thema>/kerncijfers.json``.

Figures are cached: a figure is drawn again only when its fingerprint changed. The fingerprint covers
everything that shapes it: the data and arguments, the source code of every module of this package that
draws or words a figure, and the versions of the libraries that render it. The runner hands each run the
previous run's figures, so an unchanged figure is copied, not redrawn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import pandas as pd

from analyse import checksum, contract
from analyse.context import ThemeContext

FIGURE_CACHE = ".figuren.json"
_FIGURE_MODULES = ("plots", "figures", "text", "writer")
_FIGURE_LIBRARIES = ("matplotlib", "seaborn", "numpy", "pandas")


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in checksum.source_files(_FIGURE_MODULES):
        digest.update(path.read_bytes())
    for library in _FIGURE_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=-".encode())
    return digest.hexdigest()


_CODE = _code_fingerprint()


def fingerprint(*parts) -> str:
    """A stable digest of a figure's inputs (frames by content) and of the code and libraries drawing it."""
    digest = hashlib.sha256(_CODE.encode())
    for part in parts:
        if isinstance(part, dict):
            for key in sorted(part):
                digest.update(key.encode())
                digest.update(_part_bytes(part[key]))
        else:
            digest.update(_part_bytes(part))
    return digest.hexdigest()


def _part_bytes(value) -> bytes:
    if isinstance(value, pd.DataFrame):
        return value.to_csv(index=False).encode()
    if isinstance(value, dict):
        return repr(sorted(value.items())).encode()
    return repr(value).encode()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _clean_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Round float columns to at most 10 decimals so no binary noise ('3.5999999999') reaches a CSV."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].round(10)
    return frame


class ReportWriter:
    """Collects one theme's outputs and writes them under ``context.output_dir``."""

    def __init__(self, context: ThemeContext):
        self.context = context
        self.figure_dir = context.output_dir / "figures" / context.theme
        self.table_dir = context.output_dir / "tables" / context.theme
        self.figures: list[contract.FigureRecord] = []
        self.tables: list[contract.TableRecord] = []
        self.key_figures: list[contract.KeyFigure] = []
        self.messages: list[str] = []
        self._leads = 0
        self.warnings: list[str] = []
        self.key_table: str | None = None
        self._cache = _read_json(self.figure_dir / FIGURE_CACHE)
        self._drawn: dict[str, str] = {}

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.context.output_dir).as_posix()

    # ------------------------------------------------------------------ tables

    def table(self, name: str, frame: pd.DataFrame, *, title: str, source: str,
              columns: tuple[contract.Column, ...], in_note: bool = False,
              suppressed: tuple[contract.SuppressedCell, ...] = (), notes: tuple[str, ...] = (),
              key: bool = False) -> contract.TableRecord:
        """Write ``frame`` as ``tables/<thema>/<name>.csv`` and record it (replacing a record of that name)."""
        missing = [c.name for c in columns if c.name not in frame.columns]
        if missing:
            raise ValueError(f"tabel {name}: kolommen {missing} staan niet in de tabel")
        self.table_dir.mkdir(parents=True, exist_ok=True)
        path = self.table_dir / f"{name}.csv"
        _clean_numbers(frame).to_csv(path, index=False, lineterminator="\n")
        record = contract.TableRecord(name=name, csv=self._relative(path), title=title, source=source,
                                      columns=tuple(columns), in_note=in_note, suppressed=tuple(suppressed),
                                      notes=tuple(notes))
        self.tables = [t for t in self.tables if t.name != name] + [record]
        if key:
            self.key_table = name
        return record

    # ------------------------------------------------------------------ figures

    def figure(self, name: str, draw: Callable, data: pd.DataFrame, arguments: dict, *,
               record: contract.FigureRecord) -> contract.FigureRecord:
        """Draw (unless cached) and save a figure as PNG and SVG, and its data as CSV; ``draw(data, **arguments)``
        returns it.

        ``record`` carries everything but the paths, which are filled in here.
        """
        from analyse.plots.saving import save_figure

        png, svg, csv = (self.figure_dir / f"{name}{suffix}" for suffix in (".png", ".svg", ".csv"))
        key = fingerprint(getattr(draw, "__name__", repr(draw)), data, arguments)
        if not (self._cache.get(name) == key and png.exists() and svg.exists()):
            for path in (png, svg):  # never write through to a file the previous run published
                path.unlink(missing_ok=True)
            save_figure(draw(data, **arguments), self.figure_dir, name)
        self._drawn[name] = key
        _clean_numbers(data).to_csv(csv, index=False, lineterminator="\n")  # the figure's data, for download
        saved = replace(record, name=name, png=self._relative(png), svg=self._relative(svg), csv=self._relative(csv))
        self.figures = [f for f in self.figures if f.name != name] + [saved]
        return saved

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
