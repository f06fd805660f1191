"""Which themes ``analyse run`` must execute: a theme whose reports were made from the same inputs is current.

A theme's fingerprint covers everything that decides what its notebook writes: the notebook itself, the
parameters given on the command line, ``data/raw`` (its checksum), the settings file, every file of this
package, the Python version and the version of every installed distribution. ``analyse run`` records it per
theme in ``manifest.json``. The next run executes only the themes whose fingerprint changed or whose outputs
are no longer all there; the others are taken over as they are (``--opnieuw`` executes them anyway). A theme
with the same fingerprint gives the same outputs: ``tests/test_determinism.py`` checks that a rerun is
byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from analyse import checksum, contract, publish
from analyse.context import SETTINGS_FILE

# what a complete published set needs besides the themes (the PDF only when LibreOffice made one)
EXPORTS = ("manifest.json", "trends.csv", "tabellen.xlsx", "beleidsnota.docx", "technisch-rapport.docx", "index.html")


def environment_digest(root: Path) -> str:
    """The inputs every theme shares: data/raw, settings, this package's files, Python and library versions."""
    digest = hashlib.sha256()
    digest.update(b"raw\0" + checksum.raw_digest(Path(root) / "data" / "raw").encode())
    settings = Path(root) / SETTINGS_FILE
    digest.update(b"settings\0" + (settings.read_bytes() if settings.is_file() else b"-"))
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"code\0{path.relative_to(package).as_posix()}\0{checksum.file_digest(path)}\n".encode())
    digest.update(f"python\0{sys.version}\n".encode())
    versions = sorted({f"{d.metadata['Name']}={d.version}" for d in metadata.distributions()})
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()


def theme_fingerprint(environment: str, notebook: Path, parameters: dict) -> str:
    """The fingerprint of one theme: the shared inputs, its notebook's bytes and the given parameters."""
    digest = hashlib.sha256(environment.encode())
    digest.update(b"notebook\0" + checksum.file_digest(notebook).encode())
    digest.update(b"parameters\0" + json.dumps(parameters, sort_keys=True, default=repr).encode())
    return digest.hexdigest()


def recorded(reports: Path) -> tuple[dict[str, str], str, dict[str, contract.SkippedTheme]]:
    """The fingerprints in the current ``manifest.json``, when that run was made, and the themes it skipped
    ({}, "", {} when there is none)."""
    try:
        manifest = contract.read_manifest(Path(reports) / contract.MANIFEST_FILE)
    except contract.ContractError:
        return {}, "", {}
    return ({run.theme: run.fingerprint for run in manifest.themes if run.fingerprint}, manifest.created,
            {s.theme: s for s in manifest.skipped if s.fingerprint})


def outputs_present(reports: Path, thema: str) -> bool:
    """True when every output of ``thema`` is in ``reports``: its pages, its summary and what it lists."""
    reports = Path(reports)
    parts = [reports / p.format(t=thema) for p in publish.THEME_PARTS if p.startswith("notebooks/")]
    if not all(p.is_file() for p in parts):
        return False
    try:
        summary = contract.read_summary(reports / "tables" / thema / contract.SUMMARY_FILE)
    except contract.ContractError:
        return False
    files = [t.csv for t in summary.tables] + [f for figure in summary.figures for f in (figure.png, figure.svg)]
    return all((reports / f).is_file() for f in files)


@dataclass(frozen=True)
class Plan:
    """What a run does with the selected themes."""

    run: tuple[str, ...]  # executed now
    current: tuple[str, ...]  # taken over: same fingerprint, all outputs present (or skipped for lack of data)
    fingerprints: dict[str, str]  # of every selected theme, as it is now
    previous_run: str  # when the current reports were made (ISO 8601), "" when there are none
    skipped: dict[str, contract.SkippedTheme] = field(default_factory=dict)  # current themes skipped last time

    @property
    def nothing_to_do(self) -> bool:
        return not self.run


def plan(root: Path, themes: list[str], parameters: dict, *, again: bool = False,
         reports: Path | None = None) -> Plan:
    """Split ``themes`` into those to execute and those whose reports are current (none with ``again``).

    ``reports``: the folder of the region's reports (default ``reports/`` of the project). A theme that the
    previous run skipped for lack of data, on the same fingerprint, is current too: it would be skipped again.
    """
    root = Path(root)
    reports = Path(reports) if reports is not None else root / "reports"
    environment = environment_digest(root)
    now = {t: theme_fingerprint(environment, root / "notebooks" / f"{t}.ipynb", parameters) for t in themes}
    before, created, skipped = recorded(reports)
    exports = all((reports / name).is_file() for name in EXPORTS)
    current = [] if again or not exports else [
        t for t in themes if (before.get(t) == now[t] and outputs_present(reports, t))
        or (t in skipped and skipped[t].fingerprint == now[t])]
    return Plan(run=tuple(t for t in themes if t not in current), current=tuple(current), fingerprints=now,
                previous_run=created, skipped={t: skipped[t] for t in current if t in skipped})
