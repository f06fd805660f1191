"""Which themes ``analyse run`` must execute, and whether what it takes over is still as it was made.

A theme's fingerprint (:func:`fingerprint`, a key of :mod:`analyse.cache`) covers what decides what its notebook
writes:

- its notebook (the bytes) and the parameters given;
- what they resolve to for the region (comparison regions, window, level) and the publication settings of the
  region (organisation, department, contact, small numbers, policy document);
- what it reads from the data (:mod:`analyse.theme_inputs`): its rows of ``data/processed``, the catalogue entries
  behind them and the size classes of its peers; not the rest of ``data/raw``, so a year of police figures
  executes the themes that read them only;
- the code that runs it: the modules its notebook imports with every module they import, and the worker that
  executes it and writes its page (:func:`analyse.cache.code`);
- the versions of Python and of every installed library.

A theme without data for the region is skipped; its fingerprint covers the notebook, the parameters, the code and
the region's rows of the theme, so it is looked at again when those change.

``analyse run`` records per theme in ``manifest.json`` the fingerprint and the SHA-256 of every file the theme
published, and the SHA-256 of the run-wide files (:func:`record_outputs`). The next run (:func:`plan`) takes a
theme over only when its fingerprint is the same and each of its files is as recorded; a file that differs, is
missing or was added is named and the theme is made again (the run-wide files likewise: then the publications
are made again). ``--opnieuw`` takes nothing over. A manifest that cannot be read, or has a field of the wrong
type, counts as no previous run, and the run says so. The same fingerprint gives the same outputs:
``tests/test_determinism.py`` checks that a rerun is byte-identical.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analyse import cache, context, contract, data, publish, theme_inputs
from analyse import parameters as notebook_params
from analyse.text.label_texts import upper_first

WORKER = "analyse.worker"
"""The module that executes a notebook and writes its page: part of every theme's code."""
RUN_WIDE = tuple(name for name in publish.PUBLISHED
                 if name not in ("notebooks", "figures", "tables", contract.MANIFEST_FILE))
"""The files of a report folder that belong to the whole run (collected tables and publications)."""


# --------------------------------------------------------------------------- files

def theme_files(folder: Path, thema: str) -> list[str]:
    """Every file of ``thema`` in a report folder (its pages, figures and tables), as relative paths."""
    folder, found = Path(folder), []
    for part in publish.THEME_PARTS:
        path = folder / part.format(t=thema)
        if path.is_file():
            found.append(path.relative_to(folder).as_posix())
        elif path.is_dir():
            found += [p.relative_to(folder).as_posix() for p in sorted(path.rglob("*")) if p.is_file()]
    return found


def run_files(folder: Path) -> list[str]:
    """The run-wide files in a report folder (:data:`RUN_WIDE`)."""
    return [name for name in RUN_WIDE if (Path(folder) / name).is_file()]


def record_outputs(folder: Path) -> None:
    """Record in the folder's ``manifest.json`` the SHA-256 of every file each theme published and of the
    run-wide files: what the next run checks before it takes anything over."""
    path = Path(folder) / contract.MANIFEST_FILE
    manifest = contract.read_manifest(path)
    themes = tuple(replace(run, files=cache.hashes(folder, theme_files(folder, run.theme))) for run in manifest.themes)
    sealed = replace(manifest, themes=themes, files=cache.hashes(folder, run_files(folder)))
    data.write_atomic(path, lambda tmp: tmp.write_text(contract.to_json(sealed), encoding="utf-8"))


# --------------------------------------------------------------------------- fingerprints

def resolve(root: Path, dataset: data.Dataset, thema: str, parameters: dict) -> context.ThemeContext:
    """The check a notebook makes at its first cell, made here with its declared defaults and ``parameters``."""
    defaults = notebook_params.declared(root / "notebooks" / f"{thema}.ipynb")
    merged = {k: v for k, v in {**defaults, **parameters}.items() if k not in ("data_dir", "output_dir")}
    return context.resolve(thema, dataset, **merged, root=root, data_dir=root / "data", output_dir=root / "reports")


def _code_cells(notebook: Path) -> str:
    """The code of a notebook, cell after cell ('' when it cannot be read: then no import is ruled out)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        return "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
    except (OSError, ValueError, AttributeError, TypeError):
        return "%"  # not Python: analyse.cache.imported_by counts every module


_HASHED: dict[int, tuple[weakref.ref, pd.Series]] = {}


def _row_hashes(frame: pd.DataFrame) -> pd.Series:
    """:func:`analyse.cache.row_hashes` of a table of the dataset, computed once per table (a batch plans every
    region on the same dataset)."""
    known = _HASHED.get(id(frame))
    if known is not None and known[0]() is frame:
        return known[1]
    for stale in [k for k, (ref, _) in _HASHED.items() if ref() is None]:
        del _HASHED[stale]
    hashed = pd.Series(cache.row_hashes(frame), index=frame.index)
    _HASHED[id(frame)] = (weakref.ref(frame), hashed)
    return hashed


def inputs_digest(dataset: data.Dataset, inputs: theme_inputs.ThemeInputs) -> str:
    """The key of what a theme reads: its rows, its catalogue entries and its peers' size classes."""
    obs = dataset.observations
    parts = [cache.rows_digest(obs.columns, _row_hashes(obs)[inputs.rows].to_numpy())]
    for name, rows in sorted(inputs.catalogues.items()):
        full = getattr(dataset, name)
        parts.append((name, cache.rows_digest(full.columns, _row_hashes(full).loc[rows.index].to_numpy())))
    return cache.key(*parts, inputs.peer_groups)


def _region(root: Path, dataset: data.Dataset, parameters: dict) -> str:
    given = parameters.get("regio")
    if given is not None:
        return context.region_name(dataset.regios, given, "regio")
    return context.default_region(dataset, context.load_settings(root))


def fingerprint(root: Path, dataset: data.Dataset, thema: str,
                parameters: dict) -> tuple[str, context.NoThemeData | None]:
    """The fingerprint of ``thema`` with ``parameters`` (see the module docstring), and why it is skipped when
    the region has no data for it (else None). A parameter the notebook would refuse raises ParameterError."""
    root = Path(root)
    notebook = root / "notebooks" / f"{thema}.ipynb"
    source = _code_cells(notebook)
    common = ("thema", thema, cache.file_digest(notebook), dict(parameters),
              cache.code(*cache.imported_by(source), WORKER), cache.libraries())
    try:
        ctx = resolve(root, dataset, thema, parameters)
    except context.NoThemeData as missing:
        region = _region(root, dataset, parameters)
        read = theme_inputs.read_by(dataset, thema, region, level=parameters.get("niveau") or "gemeente")
        return cache.key(*common, "geen gegevens", str(missing), inputs_digest(dataset, read)), missing
    read = theme_inputs.read_by(dataset, thema, ctx.region, ctx.comparison_regions, ctx.level,
                                theme_inputs.names_in_code(source))
    resolved = (ctx.region, ctx.comparison_regions, ctx.start_year, ctx.end_year, ctx.level, ctx.settings)
    return cache.key(*common, resolved, inputs_digest(dataset, read)), None


# --------------------------------------------------------------------------- the plan

def previous(reports: Path) -> tuple[contract.RunManifest | None, str]:
    """The manifest of the current reports, or None and why it cannot be used ('' when there is none)."""
    path = Path(reports) / contract.MANIFEST_FILE
    if not path.exists():
        return None, ""
    try:
        manifest = contract.read_manifest(path)
    except contract.ContractError as error:
        return None, str(error)
    if not manifest.files:
        return None, f"{path.name}: gemaakt door een eerdere versie, zonder controlegetallen van de bestanden."
    return manifest, ""


@dataclass(frozen=True)
class Plan:
    """What a run does with the selected themes."""

    run: tuple[str, ...]  # executed now
    current: tuple[str, ...]  # taken over: same fingerprint, every file as recorded
    fingerprints: dict[str, str]  # of every theme that runs or is taken over, as it is now
    previous_run: str  # when the current reports were made (ISO 8601), "" when there are none
    skipped: dict[str, contract.SkippedTheme] = field(default_factory=dict)  # selected, without data for the region
    skipped_before: frozenset[str] = frozenset()  # of ``skipped``: skipped last time on the same fingerprint
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per theme ('' = run-wide): files not as made
    recorded: dict[str, str] = field(default_factory=dict)  # the fingerprints in the current manifest
    unusable: str = ""  # why the current manifest.json cannot be used ('' when it can or there is none)

    @property
    def nothing_to_do(self) -> bool:
        return not self.run and not self.changed and set(self.skipped) <= self.skipped_before


def plan(root: Path, dataset: data.Dataset, themes: list[str], parameters: dict, *, again: bool = False,
         reports: Path | None = None, others: list[str] | tuple[str, ...] = ()) -> Plan:
    """Split ``themes`` into those to execute, those whose reports are current (none with ``again``) and those
    without data for the region.

    ``reports``: the folder of the region's reports (default ``reports/`` of the project). ``others``: themes not
    selected whose current reports a run takes over as they are; one with a file that is not as recorded is
    executed too (a file changed by hand is never published again). A theme skipped by the previous run for
    lack of data, on the same fingerprint, would be skipped again: ``skipped_before``.
    """
    root = Path(root)
    reports = Path(reports) if reports is not None else root / "reports"
    manifest, unusable = previous(reports)
    fingerprints, skipped = {}, {}
    for thema in themes:
        fingerprints[thema], missing = fingerprint(root, dataset, thema, parameters)
        if missing is not None:
            skipped[thema] = contract.SkippedTheme(thema, context.TITLES.get(thema, thema), upper_first(str(missing)),
                                                   fingerprints[thema])
    wanted = [t for t in themes if t not in skipped]
    if manifest is None or again:
        return Plan(run=tuple(wanted), current=(), fingerprints=fingerprints,
                    previous_run=manifest.created if manifest is not None else "", skipped=skipped,
                    unusable=unusable)
    made = {run.theme: run for run in manifest.themes}
    run, changed = [], {}
    for thema in wanted:  # a file changed by hand is named also when the theme runs anyway
        record = made.get(thema)
        if record is not None and (found := cache.differences(reports, record.files, theme_files(reports, thema))):
            changed[thema] = tuple(found)
        if record is None or record.fingerprint != fingerprints[thema] or thema in changed:
            run.append(thema)
    for thema in (t for t in others if t in made and t not in themes):
        if found := cache.differences(reports, made[thema].files, theme_files(reports, thema)):
            changed[thema] = tuple(found)
            fingerprints[thema], missing = fingerprint(root, dataset, thema, parameters)
            if missing is None:
                run.append(thema)
            else:  # no data for it any more: left out, as it would be if it were selected
                skipped[thema] = contract.SkippedTheme(thema, context.TITLES.get(thema, thema),
                                                       upper_first(str(missing)), fingerprints[thema])
    if found := cache.differences(reports, manifest.files, run_files(reports)):
        changed[""] = tuple(found)
    before = {s.theme: s.fingerprint for s in manifest.skipped}
    return Plan(run=tuple(run), current=tuple(t for t in wanted if t not in run), fingerprints=fingerprints,
                previous_run=manifest.created, skipped=skipped,
                skipped_before=frozenset(t for t, s in skipped.items() if before.get(t) == s.fingerprint),
                changed=changed, recorded={r.theme: r.fingerprint for r in manifest.themes})
