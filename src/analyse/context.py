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

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analyse import areas, contract, data, series
from analyse.schema import AREA_THEME, MONITOR, MONITOR_TITLE, THEMES, ParameterError
from analyse.text import label_texts, sources
from analyse.text.notation import year_range

INTERACTIVE_DIR = Path("reports") / "interactief"
SETTINGS_FILE = "instellingen.toml"
LEVELS = ("gemeente", "wijk")
TITLES = {**THEMES, MONITOR: MONITOR_TITLE}
NATIONAL = "NL01"
"""The CBS code of Nederland: the comparison of every municipality unless the settings say otherwise."""


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

    @property
    def editor(self) -> str:
        """'bewerking gemeente Maassluis' or 'bewerking <organisation>': the last part of every source line."""
        return sources.editor_line(self.settings.organisation)

    def shown_path(self, path: Path) -> str:
        """``path`` relative to the project folder where it lies inside it (for messages)."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return path.as_posix()


@dataclass(frozen=True)
class MunicipalitySettings:
    """What ``instellingen.toml`` says about one municipality (``[gemeenten.GM0556]``)."""

    neighbours: tuple[str, ...] = ()  # CBS codes or names of the regions it is compared with besides its peers
    department: str = ""
    contact: str = ""


@dataclass(frozen=True)
class ProjectSettings:
    """``instellingen.toml``: the default municipality, who publishes, small numbers, per municipality details."""

    municipality: str = ""  # CBS code (or name) of the municipality a run is about when none is named
    organisation: str = ""  # author and publisher; '' = the municipality itself ('Gemeente <naam>')
    compare: tuple[str, ...] = (NATIONAL,)  # compared with for every municipality (besides neighbours and peers)
    small_count: int = contract.Settings.small_count
    municipalities: dict[str, MunicipalitySettings] = field(default_factory=dict)

    def of(self, code: str) -> MunicipalitySettings:
        return self.municipalities.get(code, MunicipalitySettings())


_TOP_KEYS = {"gemeente", "organisatie", "vergelijk", "kleine_aantallen", "gemeenten"}
_MUNICIPALITY_KEYS = {"buren", "afdeling", "contact"}


def _text(value, where: str) -> str:
    if not isinstance(value, str):
        raise ParameterError(f"{SETTINGS_FILE}: {where} moet tekst zijn, niet {value!r}.")
    return value.strip()


def _texts(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ParameterError(f"{SETTINGS_FILE}: {where} moet een lijst met CBS-codes of namen zijn, bijv. "
                             f"[\"GM0606\", \"NL01\"], niet {value!r}.")
    return tuple(v.strip() for v in value)


def load_settings(root: Path | None) -> ProjectSettings:
    """The settings in ``instellingen.toml`` in the project folder; the defaults when there is none."""
    path = None if root is None else Path(root) / SETTINGS_FILE
    if path is None or not path.is_file():
        return ProjectSettings()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ParameterError(f"{SETTINGS_FILE} is niet te lezen: {error}") from error
    unknown = sorted(set(values) - _TOP_KEYS)
    if unknown:
        raise ParameterError(f"{SETTINGS_FILE}: onbekende instelling {', '.join(unknown)}; bekend zijn "
                             f"{', '.join(sorted(_TOP_KEYS))}.")
    small = values.get("kleine_aantallen", contract.Settings.small_count)
    if isinstance(small, bool) or not isinstance(small, int) or small < 1:
        raise ParameterError(f"{SETTINGS_FILE}: kleine_aantallen moet een positief geheel getal zijn, niet {small!r}.")
    municipalities = {}
    table = values.get("gemeenten", {})
    if not isinstance(table, dict):
        raise ParameterError(f"{SETTINGS_FILE}: [gemeenten] moet per CBS-code een tabel zijn, bijv. [gemeenten.GM0556].")
    for code, entry in table.items():
        if not isinstance(entry, dict):
            raise ParameterError(f"{SETTINGS_FILE}: gemeenten.{code} moet een tabel zijn.")
        wrong = sorted(set(entry) - _MUNICIPALITY_KEYS)
        if wrong:
            raise ParameterError(f"{SETTINGS_FILE}: gemeenten.{code}: onbekende instelling {', '.join(wrong)}; "
                                 f"bekend zijn {', '.join(sorted(_MUNICIPALITY_KEYS))}.")
        municipalities[code] = MunicipalitySettings(
            neighbours=_texts(entry.get("buren", []), f"gemeenten.{code}.buren"),
            department=_text(entry.get("afdeling", ""), f"gemeenten.{code}.afdeling"),
            contact=_text(entry.get("contact", ""), f"gemeenten.{code}.contact"))
    return ProjectSettings(
        municipality=_text(values.get("gemeente", ""), "gemeente"),
        organisation=_text(values.get("organisatie", ""), "organisatie"),
        compare=_texts(values.get("vergelijk", [NATIONAL]), "vergelijk"),
        small_count=small, municipalities=municipalities)


def publication_settings(settings: ProjectSettings, region: str, code: str, document: str = "") -> contract.Settings:
    """Whom one run's reports are about and who publishes them: the organisation from the settings, else the
    municipality itself; department and contact only from the municipality's own entry. ``document``: the
    title of the region's policy document, if it has one."""
    own = settings.of(code)
    return contract.Settings(region=region, region_code=code,
                             organisation=settings.organisation or (f"Gemeente {region}" if code.startswith("GM")
                                                                    else region),
                             department=own.department, contact=own.contact, small_count=settings.small_count,
                             policy_document=document)


def region_name(regios: pd.DataFrame, wanted: str, what: str = "gemeente") -> str:
    """The name of a region given by CBS code or by name; :class:`ParameterError` with suggestions otherwise."""
    wanted = wanted.strip()
    by_code = dict(zip(regios["code"].str.upper(), regios["regio"]))
    if wanted.upper() in by_code:
        return by_code[wanted.upper()]
    names = list(regios["regio"])
    if wanted in names:
        return wanted
    folded = {n.casefold(): n for n in names}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.75)
    hint = f"; bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
    raise ParameterError(f"{what} {wanted!r} staat niet in data/raw/regios.csv (geef een CBS-code als GM0556 of een "
                         f"naam uit de kolom regio){hint}")


def document_title(dataset: data.Dataset, region: str) -> str:
    """The title of ``region``'s policy document ('' when it has none in the data)."""
    document = dataset.policy_document
    return document.title if document is not None and dataset.has_policy_document(region) else ""


def region_code(regios: pd.DataFrame, region: str) -> str:
    codes = dict(zip(regios["regio"], regios["code"]))
    return str(codes.get(region, "") or "")


def current_municipalities(dataset: data.Dataset) -> list[str]:
    """Every municipality with an inhabitant count in the newest year that has one for the whole country (the
    municipalities of now, merged ones excluded), by name, in the order of their CBS code. A newer year with
    counts for only some municipalities (a newer edition imported for one municipality) does not decide it: the
    year counts when it has at least half as many municipalities as the year with the most."""
    obs = dataset.observations
    regios = dataset.regios
    municipal = regios.loc[regios["niveau"] == "gemeente", ["regio", "code"]]
    counted = obs[(obs["indicator"] == "inwoners") & (obs["groep"] == "totaal") & obs["regio"].isin(municipal["regio"])]
    if counted.empty:
        raise ParameterError("er zijn geen inwonertallen van gemeenten in de data, dus geen lijst van alle gemeenten.")
    per_year = counted.groupby("jaar")["regio"].nunique()
    year = max(y for y, n in per_year.items() if n >= per_year.max() / 2)
    present = set(counted.loc[counted["jaar"] == year, "regio"])
    return [r for r in municipal.sort_values("code")["regio"] if r in present]


def default_region(dataset: data.Dataset, settings: ProjectSettings) -> str:
    """The municipality of the settings, by name; refused when the settings name none."""
    if not settings.municipality:
        raise ParameterError(f"{SETTINGS_FILE} noemt geen gemeente: zet er bijv. gemeente = \"GM0556\" in, of kies "
                             "er een met analyse run --gemeente.")
    return region_name(dataset.regios, settings.municipality)


def default_comparisons(dataset: data.Dataset, settings: ProjectSettings, region: str) -> tuple[str, ...]:
    """The municipality a wijk or buurt lies in, the neighbours the settings name for ``region`` and the regions
    every municipality is compared with, by name, without the region itself and without regions the data lack."""
    own = settings.of(region_code(dataset.regios, region))
    municipality = areas.municipality_code(dataset.regios, region)
    names = [region_name(dataset.regios, r, "vergelijkingsregio")
             for r in ([municipality] if municipality else []) + [*own.neighbours, *settings.compare]]
    present = set(dataset.observations["regio"])
    return tuple(dict.fromkeys(n for n in names if n != region and n in present))


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


class NoThemeData(ParameterError):
    """A theme has no data for the region (or none in the window): ``analyse run`` skips it and says why."""


def resolve(theme: str, dataset: data.Dataset, *, regio: str | None = None, vergelijk_regios=None,
            start_jaar=None, eind_jaar=None, niveau: str = "gemeente", data_dir: Path | None = None,
            output_dir: Path | None = None, root: Path | None = None) -> ThemeContext:
    """Check the parameters against the data and fill in the defaults; :class:`ParameterError` otherwise.

    ``regio`` None is the municipality of ``instellingen.toml``; a CBS code or a name both work.
    ``vergelijk_regios`` None is that municipality's neighbours in the settings and the regions every
    municipality is compared with (Nederland); ``[]`` is no comparison. A theme without data for the region
    raises :class:`NoThemeData`.
    """
    start, end = _years(start_jaar, "start_jaar"), _years(eind_jaar, "eind_jaar")
    if regio is not None and not isinstance(regio, str):
        raise ParameterError(f"regio moet een regionaam of CBS-code zijn, bijv. 'GM0556', niet {regio!r}.")
    if niveau not in LEVELS:
        raise ParameterError(f"niveau '{niveau}' onbekend; kies uit {', '.join(LEVELS)}.")
    interactive = output_dir is None
    if root is None and (data_dir is None or output_dir is None):
        root = data.project_root()
    settings = load_settings(root if root is not None else _root_of(data_dir))
    regio = default_region(dataset, settings) if regio is None else region_name(dataset.regios, regio, "regio")
    if vergelijk_regios is None:
        comparisons = default_comparisons(dataset, settings, regio)
    else:
        comparisons = tuple(region_name(dataset.regios, r, "vergelijkingsregio") for r in _regions(vergelijk_regios))
    obs, _ = series.citable(dataset.observations, dataset.bronnen, areas.municipality_code(dataset.regios, regio))
    present = set(obs["regio"])
    for name, wanted in (("regio", (regio,)), ("vergelijkingsregio", comparisons)):
        for other in wanted:
            if other not in present:
                raise ParameterError(f"{name} '{other}' staat in regios.csv maar heeft geen gegevens in data/raw.")
    own = obs[obs["regio"] == regio]
    for name, year in (("start_jaar", start), ("eind_jaar", end)):
        if year is not None and year not in set(own["jaar"]):
            raise ParameterError(f"{name} {year} staat niet in de data voor {regio}; jaren met gegevens: "
                                 f"{_span(sorted(own['jaar'].unique()))}.")
    if start is not None and end is not None and start > end:
        raise ParameterError(f"start_jaar ({start}) ligt na eind_jaar ({end}).")
    if theme == MONITOR and not dataset.has_policy_document(regio):
        raise NoThemeData(f"voor {regio} zijn geen doelen uit een beleidsdocument in data/raw opgenomen.")
    in_theme = obs if theme not in THEMES else obs[obs["thema"] == theme]
    in_scope = in_theme[in_theme["regio"].isin(scope_regions(dataset, regio, comparisons, niveau))]
    own_theme = in_scope[in_scope["regio"] == regio]
    title = TITLES.get(theme, theme)
    if own_theme.empty:
        raise NoThemeData(f"over {label_texts.lower_first(title)} zijn voor {regio} geen gegevens.")
    end = end if end is not None else int(in_scope["jaar"].max())
    start = start if start is not None else int(in_scope["jaar"].min())
    inside = own_theme[(own_theme["jaar"] >= start) & (own_theme["jaar"] <= end)]
    if inside.empty:
        window = f"{start}-{end}" if start <= end else f"tot en met {end}"
        raise NoThemeData(
            f"over {label_texts.lower_first(title)} zijn voor {regio} geen gegevens in het venster {window}; jaren met "
            f"gegevens voor dit thema: {_span(sorted(own_theme['jaar'].unique()))}.")
    return ThemeContext(
        theme=theme, region=regio, comparison_regions=comparisons, start_year=start, end_year=end, level=niveau,
        data_dir=Path(data_dir) if data_dir is not None else root / "data",
        output_dir=(Path(output_dir) if output_dir is not None else root / INTERACTIVE_DIR).resolve(),
        interactive=interactive, root=root,
        settings=publication_settings(settings, regio, region_code(dataset.regios, regio), document_title(dataset, regio)))


def _root_of(data_dir) -> Path | None:
    """The folder holding ``data_dir``: where instellingen.toml lies next to data/ (None without a data_dir)."""
    if data_dir is None:
        return None
    return Path(data_dir).resolve().parent


def _span(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def outside_reports(dataset: data.Dataset, defaults: dict[str, dict],
                    settings: ProjectSettings | None = None) -> list[tuple[str, str, int, list[str]]]:
    """Rows that no report shows: (theme, region, number of rows, indicators).

    ``defaults`` maps each theme to its notebook's default parameters (``vergelijk_regios``; None there means
    the comparisons of ``settings``: the regions every municipality is compared with and the neighbours named
    per municipality). Every municipality can be the subject of a run (``analyse run --gemeente``) and is a
    peer of the municipalities of its size, so its rows and those of its wijken and buurten are always shown
    somewhere; so are the area characteristics that choose the peers. Rows of other regions (a country, a
    COROP area, a police unit) are shown only as a comparison region; everything else only sits in data/raw.
    """
    settings = settings or ProjectSettings()
    obs = series.active(dataset.observations)
    regios = dataset.regios
    municipalities = set(regios.loc[regios["niveau"] == "gemeente", "regio"])
    reachable = municipalities | {part for m in municipalities for level in ("wijk", "buurt")
                                  for part in areas.within(regios, m, level)}
    configured = [*settings.compare, *(n for own in settings.municipalities.values() for n in own.neighbours)]
    from_settings = {_known_name(regios, name) for name in configured} - {None}
    found = []
    for theme, rows in obs.groupby("thema", sort=True):
        if theme == AREA_THEME:
            continue
        parameters = defaults.get(theme)
        if parameters is None:
            found.append((theme, "", len(rows), sorted(rows["indicator"].unique())))
            continue
        comparisons = parameters.get("vergelijk_regios")
        shown = reachable | (from_settings if comparisons is None else set(comparisons))
        for regio, part in rows[~rows["regio"].isin(shown)].groupby("regio", sort=True):
            found.append((theme, regio, len(part), sorted(part["indicator"].unique())))
    return found


def _known_name(regios: pd.DataFrame, wanted: str) -> str | None:
    try:
        return region_name(regios, wanted)
    except ParameterError:
        return None
