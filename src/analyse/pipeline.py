"""``analyse run``: validate, write ``data/processed``, run the notebooks, collect and export."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pandas as pd

from analyse import context, contract, data, runner

# run-wide tables in reports/, each gathered from the table of the same name in reports/tables/<thema>/
COLLECTED = ("trends", "reproductie", "monitor")


def _summaries(reports_dir: Path) -> list[contract.ThemeSummary]:
    """The theme summaries in report order (themes, then the monitor, then any other notebook)."""
    order = list(runner.NOTEBOOK_ORDER)
    paths = sorted((reports_dir / "tables").glob(f"*/{contract.SUMMARY_FILE}"), key=lambda p: (
        order.index(p.parent.name) if p.parent.name in order else len(order), p.parent.name))
    return [contract.read_summary(path) for path in paths]


def collect(reports_dir: Path) -> list[contract.TableRecord]:
    """Gather the per-theme tables into the run-wide CSVs (order: theme, then rows) and describe them.

    The description (columns, units, decimals) is that of the first theme's table of the same name.
    """
    records = []
    summaries = _summaries(reports_dir)
    for name in COLLECTED:
        parts, first = [], None
        for summary in summaries:
            record = next((t for t in summary.tables if t.name == name), None)
            if record is None:
                continue
            first = first or record
            parts.append(pd.read_csv(reports_dir / record.csv, dtype=str, keep_default_na=False))
        if not parts:
            continue
        table = pd.concat(parts, ignore_index=True)
        data.write_atomic(reports_dir / f"{name}.csv",
                          lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"))
        title = {"trends": "Trendschattingen, alle thema's", "reproductie": "Reproductieregister hoofdstuk 2",
                 "monitor": first.title}[name]
        records.append(replace(first, csv=f"{name}.csv", title=title, suppressed=(), in_note=name == "monitor"))
    return records


def write_manifest(reports_dir: Path, root: Path, dataset: data.Dataset,
                   tables: list[contract.TableRecord]) -> Path:
    """``manifest.json``: when the run was made, on which data, with which settings and parameters."""
    years = dataset.observations["jaar"]
    versions = {name: metadata.version(name) for name in ("analyse", "pandas", "statsmodels", "matplotlib")}
    manifest = contract.RunManifest(
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        data_checksum=data.raw_checksum(root / "data" / "raw"), data_years=(int(years.min()), int(years.max())),
        settings=context.load_settings(root),
        themes=tuple(contract.ThemeRun(s.theme, s.title, s.parameters) for s in _summaries(reports_dir)),
        tables=tuple(tables), versions=versions)
    path = reports_dir / contract.MANIFEST_FILE
    data.write_atomic(path, lambda tmp: tmp.write_text(contract.to_json(manifest), encoding="utf-8"))
    return path


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
    write_manifest(reports, root, dataset, collect(reports))
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
