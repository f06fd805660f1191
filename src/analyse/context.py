"""The parameters of one theme, resolved and checked once: a frozen :class:`ThemeContext`.

The same function serves ``analyse run`` (before any notebook starts, so a bad request is refused in
seconds) and a notebook (at its first cell, in JupyterLab or under papermill). Defaults:

- the window ends at the newest year of any series of the theme in scope (the region, its comparison
  regions and, at level 'wijk', the wijken of the region), so newer comparison data are never dropped silently;
- the window starts at the oldest year in scope;
- ``data_dir`` is ``data/`` of the project; ``output_dir`` is ``reports/interactief/`` for a notebook run by
  hand (``analyse run`` passes its own staging folder), so published reports are never overwritten by a
  notebook run in JupyterLab.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from analyse import areas, contract, data, series
from analyse.schema import MONITOR, MONITOR_TITLE, THEMES, ParameterError
from analyse.text.notation import year_range

INTERACTIVE_DIR = Path("reports") / "interactief"
SETTINGS_FILE = "instellingen.toml"
_SETTINGS_KEYS = {"gemeente": "municipality", "afdeling": "department", "contact": "contact",
                  "kleine_aantallen": "small_count"}
LEVELS = ("gemeente", "wijk")
TITLES = {**THEMES, MONITOR: MONITOR_TITLE}


@dataclass(frozen=True)
class ThemeContext:
    """Everything a theme run depends on besides the data itself."""

    theme: str
    region: str
    comparison_regions: tuple[str, ...]
    start_year: int
    end_year: int
    level: str
    data_dir: Path
    output_dir: Path
    interactive: bool
    root: Path | None
    settings: contract.Settings = field(default_factory=contract.Settings)

    @property
    def title(self) -> str:
        return TITLES.get(self.theme, self.theme)

    @property
    def window(self) -> str:
        """'2009-2024', or one year."""
        return year_range(self.start_year, self.end_year)

    def shown_path(self, path: Path) -> str:
        """``path`` relative to the project folder where it lies inside it (for messages)."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return path.as_posix()


def load_settings(root: Path | None) -> contract.Settings:
    """The settings in ``instellingen.toml`` in the project folder; the defaults when there is none."""
    path = None if root is None else Path(root) / SETTINGS_FILE
    if path is None or not path.is_file():
        return contract.Settings()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ParameterError(f"{SETTINGS_FILE} is niet te lezen: {error}") from error
    unknown = sorted(set(values) - set(_SETTINGS_KEYS))
    if unknown:
        raise ParameterError(f"{SETTINGS_FILE}: onbekende instelling {', '.join(unknown)}; bekend zijn "
                             f"{', '.join(_SETTINGS_KEYS)}.")
    small = values.get("kleine_aantallen", contract.Settings.small_count)
    if isinstance(small, bool) or not isinstance(small, int) or small < 1:
        raise ParameterError(f"{SETTINGS_FILE}: kleine_aantallen moet een positief geheel getal zijn, niet {small!r}.")
    for key in ("gemeente", "afdeling", "contact"):
        if key in values and not isinstance(values[key], str):
            raise ParameterError(f"{SETTINGS_FILE}: {key} moet tekst zijn.")
    return contract.Settings(**{_SETTINGS_KEYS[k]: v for k, v in values.items()})


def _years(value, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"{name} moet een jaartal zijn (geheel getal, bijv. 2018) of None, niet {value!r}.")
    return value


def _regions(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ParameterError(f"vergelijk_regios moet een lijst met regionamen zijn, bijv. ['Schiedam', 'Nederland'], "
                             f"niet {value!r}.")
    return tuple(value)


def scope_regions(dataset: data.Dataset, region: str, comparisons: tuple[str, ...], level: str = "gemeente") -> list[str]:
    """The region and its comparison regions; at ``level`` 'wijk' also the wijken lying in the region.

    Buurten are never in the general analysis of a theme: they are too small for trends and key figures
    and appear only where a notebook asks for them (the wijk section, the segregation index).
    """
    if level == "gemeente":
        return [region, *comparisons]
    return [region, *comparisons, *areas.within(dataset.regios, region, "wijk")]


def resolve(theme: str, dataset: data.Dataset, *, regio: str = "Maassluis", vergelijk_regios=None,
            start_jaar=None, eind_jaar=None, niveau: str = "gemeente", data_dir: Path | None = None,
            output_dir: Path | None = None, root: Path | None = None) -> ThemeContext:
    """Check the parameters against the data and fill in the defaults; :class:`ParameterError` otherwise."""
    comparisons = _regions(vergelijk_regios)
    start, end = _years(start_jaar, "start_jaar"), _years(eind_jaar, "eind_jaar")
    if not isinstance(regio, str):
        raise ParameterError(f"regio moet een regionaam zijn, bijv. 'Maassluis', niet {regio!r}.")
    if niveau not in LEVELS:
        raise ParameterError(f"niveau '{niveau}' onbekend; kies uit {', '.join(LEVELS)}.")
    obs = dataset.observations
    regions = sorted(obs["regio"].unique())
    for name, wanted in (("regio", (regio,)), ("vergelijkingsregio", comparisons)):
        for other in wanted:
            if other not in regions:
                raise ParameterError(f"{name} '{other}' komt niet voor in de data; beschikbaar: {', '.join(regions)}.")
    own = obs[obs["regio"] == regio]
    for name, year in (("start_jaar", start), ("eind_jaar", end)):
        if year is not None and year not in set(own["jaar"]):
            raise ParameterError(f"{name} {year} staat niet in de data voor {regio}; jaren met gegevens: "
                                 f"{_span(sorted(own['jaar'].unique()))}.")
    if start is not None and end is not None and start > end:
        raise ParameterError(f"start_jaar ({start}) ligt na eind_jaar ({end}).")
    in_theme = obs if theme not in THEMES else obs[obs["thema"] == theme]
    in_scope = in_theme[in_theme["regio"].isin(scope_regions(dataset, regio, comparisons, niveau))]
    own_theme = in_scope[in_scope["regio"] == regio]
    if own_theme.empty:
        raise ParameterError(f"thema {theme} heeft geen gegevens voor {regio}.")
    end = end if end is not None else int(in_scope["jaar"].max())
    start = start if start is not None else int(in_scope["jaar"].min())
    inside = own_theme[(own_theme["jaar"] >= start) & (own_theme["jaar"] <= end)]
    if inside.empty:
        raise ParameterError(
            f"thema {theme} heeft voor {regio} geen gegevens in het gevraagde venster ({start}-{end}); jaren met "
            f"gegevens voor dit thema: {_span(sorted(own_theme['jaar'].unique()))}. Kies een ander venster of laat "
            "dit thema weg met --thema.")
    interactive = output_dir is None
    if root is None and (data_dir is None or output_dir is None):
        root = data.project_root()
    return ThemeContext(
        theme=theme, region=regio, comparison_regions=comparisons, start_year=start, end_year=end, level=niveau,
        data_dir=Path(data_dir) if data_dir is not None else root / "data",
        output_dir=(Path(output_dir) if output_dir is not None else root / INTERACTIVE_DIR).resolve(),
        interactive=interactive, root=root, settings=load_settings(root if root is not None else _root_of(data_dir)))


def _root_of(data_dir) -> Path | None:
    """The project folder above ``data_dir`` when it is one (``analyse run`` passes the project's data/)."""
    if data_dir is None:
        return None
    folder = Path(data_dir).resolve().parent
    return folder if data.is_project_root(folder) else None


def _span(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def outside_reports(dataset: data.Dataset, defaults: dict[str, dict]) -> list[tuple[str, str, int, list[str]]]:
    """Rows that no notebook shows with its default parameters: (theme, region, number of rows, indicators).

    ``defaults`` maps each theme to its notebook's default parameters (``regio``, ``vergelijk_regios``). A row
    is shown when its region is the theme's region, one of its comparison regions, or a wijk or buurt of the
    region (the wijk sections and ``niveau='wijk'``); everything else only sits in ``data/raw``.
    """
    obs = series.active(dataset.observations)
    found = []
    for theme, rows in obs.groupby("thema", sort=True):
        parameters = defaults.get(theme)
        if parameters is None:
            found.append((theme, "", len(rows), sorted(rows["indicator"].unique())))
            continue
        region = parameters.get("regio") or "Maassluis"
        shown = {region, *(parameters.get("vergelijk_regios") or []),
                 *areas.within(dataset.regios, region, "wijk"), *areas.within(dataset.regios, region, "buurt")}
        for regio, part in rows[~rows["regio"].isin(shown)].groupby("regio", sort=True):
            found.append((theme, regio, len(part), sorted(part["indicator"].unique())))
    return found
