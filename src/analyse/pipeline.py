"""``analyse run``: validate, write ``data/processed``, run the notebooks, collect and export."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from analyse import data, runner

# run-wide files in reports/, each gathered from the table of the same name in reports/tables/<thema>/
COLLECTED = ("trends.csv", "reproductie.csv", "monitor.csv")


def collect(reports_dir: Path) -> list[Path]:
    """Gather the per-theme tables into the run-wide files (deterministic order: theme, then rows)."""
    written = []
    themes = list(runner.NOTEBOOK_ORDER)
    for name in COLLECTED:
        parts = []
        for folder in sorted((reports_dir / "tables").glob("*/"), key=lambda p: (
                themes.index(p.name) if p.name in themes else len(themes), p.name)):
            path = folder / name
            if path.exists():
                parts.append(pd.read_csv(path, dtype=str, keep_default_na=False))
        if not parts:
            continue
        table = pd.concat(parts, ignore_index=True)
        data.write_atomic(reports_dir / name, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"))
        written.append(reports_dir / name)
    return written


def run(root: Path, *, themes: list[str] | None = None, parameters: dict | None = None, jobs: int = 2,
        echo=print) -> bool:
    """The whole analysis; returns True when every notebook succeeded."""
    from analyse import export

    parameters = dict(parameters or {})
    started = time.perf_counter()
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    reports, notebooks = root / "reports", root / "notebooks"
    echo("Data valideren ...")
    dataset = data.build_processed(raw, processed)
    echo(f"  {len(dataset.observations)} waarnemingen in orde; geschreven naar "
         f"{processed.relative_to(root) / data.PROCESSED_FILE}")
    available = runner.available_notebooks(notebooks)
    selected = themes or available
    unknown = [t for t in selected if t not in available]
    if unknown:
        raise data.ParameterError(f"onbekend thema: {', '.join(unknown)}; beschikbaar: {', '.join(available)}.")
    data.check_parameters(dataset, parameters, selected)
    parameters.setdefault("data_dir", str(root / "data"))
    echo(f"Notebooks uitvoeren ({len(selected)}, {jobs} tegelijk) ...")
    result = runner.run_notebooks(notebooks, reports, selected, parameters, jobs, echo=echo)
    collect(reports)
    echo("Publicatiebestanden maken ...")
    try:
        for path in export.export_all(reports):
            echo(f"  {Path(path).relative_to(root)}")
    except export.ExportError as error:
        echo(f"  Geen publicatiebestanden gemaakt: {error}")
    seconds = time.perf_counter() - started
    failed = [r.thema for r in result.results if not r.ok]
    if failed:
        echo(f"Klaar met fouten in {', '.join(failed)}; de rapporten van de vorige geslaagde run van die "
             f"thema's zijn bewaard ({seconds:.0f} s).")
    else:
        echo(f"Klaar: {len(selected)} notebooks, rapporten in {reports.relative_to(root)}/ ({seconds:.0f} s).")
    return not failed
