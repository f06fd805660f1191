"""``analyse run``: validate, write ``data/processed``, run the notebooks, collect, export, publish.

All or nothing (see :mod:`analyse.publish`): one run at a time per project (``reports/.lock``); the
complete new set of reports is built in a staging folder inside ``reports/`` and replaces the current set
only when every step succeeded. A failing notebook or export, a full disk, Ctrl+C or SIGTERM leave the
reports of the last complete run exactly as they were.
"""

from __future__ import annotations

import time
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pandas as pd

from analyse import checksum, context, contract, data, freshness, publish, runner
from analyse import parameters as notebook_params
from analyse.text.notation import count_noun
from analyse.text.progress import nothing_changed, taken_over

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
                   tables: list[contract.TableRecord], fingerprints: dict[str, str] | None = None) -> Path:
    """``manifest.json``: when the run was made, on which data, with which settings and parameters, and per
    theme the fingerprint of its inputs (:mod:`analyse.freshness`)."""
    years = dataset.observations["jaar"]
    versions = {name: metadata.version(name) for name in ("analyse", "pandas", "statsmodels", "matplotlib")}
    manifest = contract.RunManifest(
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        data_checksum=checksum.raw_digest(root / "data" / "raw"), data_years=(int(years.min()), int(years.max())),
        settings=context.load_settings(root),
        themes=tuple(contract.ThemeRun(s.theme, s.title, s.parameters, (fingerprints or {}).get(s.theme, ""))
                     for s in _summaries(reports_dir)),
        tables=tuple(tables), versions=versions)
    path = reports_dir / contract.MANIFEST_FILE
    data.write_atomic(path, lambda tmp: tmp.write_text(contract.to_json(manifest), encoding="utf-8"))
    return path


def refresh_pages(folder: Path, themes: list[str]) -> list[str]:
    """Rewrite the HTML page of each of ``themes`` whose page would load or run something.

    Pages made by earlier versions (with CDN scripts, unsanitised outputs) are rebuilt from the executed
    notebook next to them, so a partial run (``--thema``) also publishes only offline, sanitised pages.
    """
    from analyse.safe_html import offline_problems

    rewritten = []
    for thema in themes:
        page, executed = folder / "notebooks" / f"{thema}.html", folder / "notebooks" / f"{thema}.ipynb"
        if page.is_file() and executed.is_file() and offline_problems(page.read_text(encoding="utf-8")):
            runner.write_html(executed, page)
            rewritten.append(thema)
    return rewritten


def execution_order(dataset: data.Dataset, themes: list[str]) -> list[str]:
    """``themes`` with the most work first: the number of indicators of the theme (every one is at least a
    figure), the monitor last. With the longest notebooks started first, no worker is left alone with a long
    notebook at the end while the others are idle."""
    counts = dataset.indicatoren["thema"].value_counts()
    return sorted(themes, key=lambda t: -int(counts.get(t, 0)))


class StepError(data.AnalyseError):
    """A step of the run failed; the message names the step and the reason."""


@contextmanager
def step(name: str):
    """Turn an unexpected error inside a step into one line naming the step and the reason.

    An :class:`~analyse.data.AnalyseError` already says what is wrong in Dutch and passes unchanged, as
    does Ctrl+C.
    """
    try:
        yield
    except data.AnalyseError:
        raise
    except OSError as error:
        raise StepError(f"stap '{name}' mislukt: {describe_os_error(error)}; {NOTHING_PUBLISHED}.") from error
    except Exception as error:
        reason = one_line(str(error)).rstrip(".")
        raise StepError(f"stap '{name}' mislukt: {type(error).__name__}: {reason}; {NOTHING_PUBLISHED}.") \
            from error


def one_line(text: str) -> str:
    """``text`` on one line, with invisible characters shown as escapes (``\\x01``) so they can be found."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.split()))


OS_ERRORS = {
    "ENOSPC": "de schijf is vol", "EDQUOT": "het schijfquotum is op", "EACCES": "geen toestemming",
    "EPERM": "geen toestemming", "EROFS": "het bestandssysteem is alleen-lezen", "EFBIG": "het bestand is te groot",
    "ENOENT": "bestand of map bestaat niet", "EIO": "lees- of schrijffout van het apparaat",
    "EMFILE": "te veel open bestanden", "ENAMETOOLONG": "de naam is te lang",
}


def describe_os_error(error: OSError) -> str:
    """An OSError in one Dutch line: what went wrong and with which file."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    what = OS_ERRORS.get(name) or (error.strerror or type(error).__name__)
    where = [str(f) for f in (error.filename, getattr(error, "filename2", None)) if f]
    return what + (f" ({' -> '.join(where)})" if where else "") + (f" [{name}]" if name else "")


NOTHING_PUBLISHED = "er is niets gepubliceerd; de rapporten van de vorige geslaagde run staan er nog"


def run(root: Path, *, themes: list[str] | None = None, parameters: dict | None = None, jobs: int = 2,
        again: bool = False, echo=print) -> bool:
    """The whole analysis, all or nothing; True when the reports are complete and current afterwards.

    Only the themes whose inputs changed since the reports were made are executed (see
    :mod:`analyse.freshness`); ``again`` executes every selected theme. When nothing changed, nothing is
    written.

    Returns False (after the notebooks' failure messages) when a notebook failed. Raises
    :class:`~analyse.data.AnalyseError` for a refused request (unknown theme or parameter, bad data,
    another run busy) or a failed step, and :class:`KeyboardInterrupt` (:class:`analyse.publish.Interrupted`)
    for Ctrl+C or SIGTERM; in every one of these cases nothing new is published.
    """
    from analyse import export

    started = time.perf_counter()
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    reports, notebooks = root / "reports", root / "notebooks"
    available = runner.available_notebooks(notebooks)
    selected = list(dict.fromkeys(themes or available))
    unknown = [t for t in selected if t not in available]
    if not selected:
        raise data.ParameterError(f"geen notebooks gevonden in {notebooks}.")
    if unknown:
        raise data.ParameterError(f"onbekend thema: {', '.join(unknown)}; beschikbaar: {', '.join(available)}.")
    given = notebook_params.check_notebooks(dict(parameters or {}),
                                                {t: notebooks / f"{t}.ipynb" for t in selected})

    command = " ".join(["analyse run", *(f"--thema {t}" for t in themes or [])])
    with publish.stop_on_signals(), publish.RunLock(reports, command) as lock:
        if lock.stale:
            echo(f"Let op: {publish.describe_stale(lock.stale)}")
        for line in publish.clean_leftovers(reports):
            echo(f"  {line}")
        with step("vorige rapporten vergelijken"):
            plan = freshness.plan(root, selected, given, again=again)
        table = processed / data.PROCESSED_FILE
        if plan.nothing_to_do and checksum.matches(table, raw):
            echo(nothing_changed(plan.current, plan.previous_run, time.perf_counter() - started))
            return True
        for line in taken_over(plan.current, plan.previous_run):
            echo(line)
        # the workers start their kernels and import the libraries in them while the data is validated
        with runner.WorkerPool(min(jobs, len(plan.run)), notebooks) if plan.run else nullcontext() as pool:
            echo("Data valideren ...")
            raw_before = checksum.raw_digest(raw)
            with step("data valideren"):
                # a table whose checksum record matches data/raw and the code that builds it, as they are now,
                # is what validating would write again: it is read, not rebuilt
                unchanged = checksum.matches(table, raw)
                dataset = data.load(root / "data") if unchanged else data.build_processed(raw, processed)
            if unchanged:
                echo(f"  {len(dataset.observations)} waarnemingen in orde; data/raw is niet veranderd sinds "
                     f"{table.relative_to(root)} werd geschreven")
            else:
                echo(f"  {len(dataset.observations)} waarnemingen in orde; geschreven naar {table.relative_to(root)}")
            for warning in dataset.warnings:  # only when validated now: a reused table was checked before
                echo(f"  Let op: {warning}")
            for thema in selected:  # the same check the notebook makes, before any notebook runs
                defaults = notebook_params.declared(notebooks / f"{thema}.ipynb")
                merged = {k: v for k, v in {**defaults, **given}.items() if k not in ("data_dir", "output_dir")}
                context.resolve(thema, dataset, **merged, root=root, data_dir=root / "data", output_dir=reports)
            if plan.nothing_to_do:  # only data/processed was missing or stale; it is written again now
                echo(nothing_changed(plan.current, plan.previous_run, time.perf_counter() - started))
                return True
            run_parameters = {**given, "data_dir": str(root / "data")}
            with publish.Staging(reports) as staging:
                kept = [t for t in available if t not in plan.run]
                with step("vorige rapporten klaarzetten"):
                    publish.copy_current(reports, staging, keep=kept, cache=list(plan.run))
                    refresh_pages(staging, kept)
                echo(f"Notebooks uitvoeren ({len(plan.run)}, {min(jobs, len(plan.run))} tegelijk) ...")
                result = pool.run(staging, list(plan.run), run_parameters, echo=echo,
                                  order=execution_order(dataset, list(plan.run)))
                pool.close()  # the workers and their kernels are done
                failed = [r.thema for r in result.results if not r.ok]
                if failed:
                    echo(f"Mislukt: {', '.join(failed)}; {NOTHING_PUBLISHED} "
                         f"({time.perf_counter() - started:.0f} s).")
                    return False
                with step("tabellen verzamelen"):
                    fingerprints = {**freshness.recorded(reports)[0], **plan.fingerprints}
                    write_manifest(staging, root, dataset, collect(staging), fingerprints)
                echo("Publicatiebestanden maken ...")
                with step("publicatiebestanden maken"):
                    exports = export.export_all(staging, previous=reports)
                if checksum.raw_digest(raw) != raw_before:
                    raise StepError("stap 'publiceren' overgeslagen: data/raw is tijdens de run gewijzigd, dus de "
                                    f"rapporten horen niet bij één versie van de data; {NOTHING_PUBLISHED}. "
                                    "Start opnieuw.")
                with step("publiceren"):
                    publish.publish(staging, reports)
        for path in exports:
            echo(f"  {(reports / Path(path).relative_to(staging)).relative_to(root)}")
        if publish.pending_signal():
            echo("Het stopsignaal kwam tijdens het publiceren; de run was toen al compleet en is afgemaakt.")
    executed = count_noun(len(plan.run), "notebook", "notebooks")
    echo(f"Klaar: {executed} uitgevoerd, rapporten in {reports.relative_to(root)}/ "
         f"({time.perf_counter() - started:.0f} s).")
    return True
