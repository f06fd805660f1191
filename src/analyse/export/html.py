"""``index.html``: the offline start page, rendered from ``templates/index.html`` with Jinja2.

Autoescape is on for the whole template and no data value is marked safe: every text from the records
reaches the page escaped. Links and image sources are relative paths inside ``reports/``; a path that
is not (a scheme such as ``javascript:``, an absolute path, ``..``) is refused and the item left out.
The page loads nothing from outside: the style sheet is in the page, the images are the PNGs next to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import jinja2

from analyse import contract
from analyse.data import write_atomic
from analyse.text.label_texts import REGISTER_STATUSES
from analyse.text.notation import EN_DASH, format_date, format_number
from analyse.export.docx import area_line, benchmark_text, key_figure_label, newest_years
from analyse.export.nota import chapters
from analyse.export.plain import Abbreviations, nota_messages
from analyse.export.read import (
    Reports, Theme, log, png_size, register_counts, source_line, verdict_counts,
)

MESSAGES_PER_THEME = 2
_SAFE_PATH = re.compile(r"[A-Za-z0-9_.\-/ ]+")
DOWNLOADS = (("beleidsnota.pdf", "Nota (PDF)"), ("beleidsnota.docx", "Nota (Word)"),
             ("technisch-rapport.pdf", "Technisch rapport (PDF)"), ("technisch-rapport.docx", "Technisch rapport (Word)"),
             ("tabellen.xlsx", "Alle tabellen (Excel)"))

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("analyse.export", "templates"),
    autoescape=True,  # every template, whatever its name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)
_ENVIRONMENT.filters["getal"] = format_number  # every number on the page in Dutch notation


def relative_href(path: str) -> str | None:
    """``path`` as a URL relative to ``reports/``, or None when it is not a plain relative path."""
    parts = path.split("/")
    if not path or not _SAFE_PATH.fullmatch(path) or path.startswith("/") or ".." in parts or "" in parts:
        return None
    return quote(path)


@dataclass(frozen=True)
class Figure:
    href: str
    title: str
    alt: str
    width: int | None
    height: int | None
    data: str | None  # the CSV of the figure's data, when there is one


@dataclass(frozen=True)
class Tile:
    """A key figure as the page shows it: whose number, of which year, and its comparison of the same year."""

    label: str
    area: str
    year: int
    text: str
    comparison: str


@dataclass(frozen=True)
class ThemeCard:
    anchor: str
    title: str
    where: str
    messages: tuple[str, ...]
    tiles: tuple[Tile, ...]
    figures: tuple[Figure, ...]
    notebook: str | None


def _card(root: Path, theme: Theme, index: int, words: Abbreviations) -> ThemeCard:
    figures = []
    main = [f for f in theme.figures if f.main] or theme.figures[:1]
    for figure in main:
        href = relative_href(figure.png)
        if href is None:
            log.warning("%s: figuur met ongeldig pad overgeslagen: %r", theme.code, figure.png)
            continue
        size = png_size(root / figure.png)
        data = relative_href(figure.csv) if figure.csv and (root / figure.csv).is_file() else None
        figures.append(Figure(href, figure.title, figure.alt or figure.title, *(size if size else (None, None)),
                              data))
    notebook = relative_href(f"notebooks/{theme.code}.html")
    if notebook is not None and not (root / "notebooks" / f"{theme.code}.html").is_file():
        notebook = None
    tiles = tuple(Tile(key_figure_label(k), k.region, k.year, k.text,
                       "" if benchmark_text(k) == EN_DASH else benchmark_text(k))
                  for k in theme.summary.key_figures if k.value is not None)
    messages = [words.explain(m) for m in
                nota_messages(theme.summary.messages, theme.summary.key_figures, MESSAGES_PER_THEME)]
    return ThemeCard(f"thema-{index}", theme.title, area_line(theme), tuple(messages), tiles, tuple(figures),
                     notebook)


def render(reports: Reports) -> str:
    root = reports.root
    downloads = [(name, label) for name, label in DOWNLOADS if (root / name).is_file()]
    register = None
    if reports.register is not None:
        counts = register_counts(reports.register)
        meanings = REGISTER_STATUSES
        register = {"total": sum(n for _, _, n in counts),
                    "counts": [(label, n, meanings.get(code, "")) for code, label, n in counts],
                    "transcribed": next((n for code, _, n in counts if code == "overgenomen"), 0)}
    monitor = None
    if reports.monitor is not None:
        counts = verdict_counts(reports.monitor)
        monitor = {"total": sum(n for _, n in counts), "rules": reports.monitor.record.notes,
                   "counts": counts}
    monitor_page = (root / "notebooks" / "monitor.html").is_file()
    words = Abbreviations()  # explained at their first use on the page
    template = _ENVIRONMENT.get_template("index.html")
    return template.render(
        title=reports.title, subtitle=reports.subtitle, settings=reports.settings, run_date=reports.run_date,
        years=newest_years(chapters(reports)), downloads=downloads, notes=reports.notes, region=reports.region,
        themes=[_card(root, theme, i, words) for i, theme in enumerate(chapters(reports), start=1)],
        monitor=monitor, monitor_page=monitor_page, register=register,
        sources=[(producer, [source_line(s) for s in sources]) for producer, sources in reports.sources().items()],
        small_count=reports.settings.small_count,
    )


def write_index(reports: Reports, path: Path) -> None:
    path.write_text(render(reports), encoding="utf-8")


# --------------------------------------------------------------------------- the overview of all regions

OVERVIEW = "index.html"
"""``reports/index.html``: one line per region with reports in ``reports/<slug>/``."""


@dataclass(frozen=True)
class RegionLink:
    name: str
    code: str
    href: str
    made: str
    downloads: tuple[tuple[str, str], ...]
    skipped: tuple[str, ...]


def region_links(reports_dir: Path) -> list[RegionLink]:
    """Every region folder with a readable manifest, in the order of the region names."""
    links = []
    for folder in sorted(p for p in Path(reports_dir).iterdir() if p.is_dir() and not p.name.startswith(".")):
        href = relative_href(f"{folder.name}/index.html")
        if href is None or not (folder / "index.html").is_file():
            continue
        try:
            manifest = contract.read_manifest(folder / contract.MANIFEST_FILE)
        except contract.ContractError:
            continue
        downloads = tuple((quote(f"{folder.name}/{name}"), label) for name, label in DOWNLOADS
                          if (folder / name).is_file())
        links.append(RegionLink(manifest.settings.region, manifest.settings.region_code, href,
                                format_date(datetime.fromisoformat(manifest.created)), downloads,
                                tuple(s.title for s in manifest.skipped)))
    return sorted(links, key=lambda link: link.name.casefold())


def write_overview(reports_dir: Path) -> Path | None:
    """Write ``reports/index.html`` listing the regions with reports (atomically); None when there are none."""
    links = region_links(reports_dir)
    if not links:
        return None
    page = _ENVIRONMENT.get_template("overview.html").render(regions=links)
    path = Path(reports_dir) / OVERVIEW
    write_atomic(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return path
