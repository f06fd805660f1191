"""``analyse run``: validate, write ``data/processed``, run the notebooks, collect, export, publish.

All or nothing (see :mod:`analyse.publish`): one run at a time per project (``reports/.lock``); the
complete new set of reports is built in a staging folder inside ``reports/`` and replaces the current set
only when every step succeeded. A failing notebook or export, a full disk, Ctrl+C or SIGTERM leave the
reports of the last complete run exactly as they were.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pandas as pd

from analyse import checksum, context, contract, data, freshness, monitor, publish, register, runner, trends
from analyse import parameters as notebook_params
from analyse.gate import Gate
from analyse.text.label_texts import slug
from analyse.text.notation import count_noun
from analyse.text.progress import batch_summary, changed_by_hand, nothing_changed, taken_over, unusable_manifest

# run-wide tables in reports/, each gathered from the table of the same name in reports/tables/<thema>/, and how
# each passes the small-numbers gate (None: its number columns by the standard key columns)
COLLECTED = {"trends": None, "reproductie": register.DISCLOSURE, "monitor": monitor.DISCLOSURE}


def _summaries(reports_dir: Path) -> list[contract.ThemeSummary]:
    """The theme summaries in report order (themes, then the monitor, then any other notebook)."""
    order = list(runner.NOTEBOOK_ORDER)
    paths = sorted((reports_dir / "tables").glob(f"*/{contract.SUMMARY_FILE}"), key=lambda p: (
        order.index(p.parent.name) if p.parent.name in order else len(order), p.parent.name))
    return [contract.read_summary(path) for path in paths]


def merged_source(sources: list[str]) -> str:
    """One source line for a table gathered from several themes: every source once, in order, the editor last.

    ``["Bron: CBS; bewerking gemeente X", "Bron: Politie; CBS; bewerking gemeente X"]`` ->
    ``"Bron: CBS; Politie; bewerking gemeente X"``."""
    parts, editors = [], []
    for source in sources:
        for part in source.removeprefix("Bron: ").split("; "):
            part = part.strip()
            target = editors if part.startswith("bewerking ") else parts
            if part and part not in target:
                target.append(part)
    return "Bron: " + "; ".join(parts + editors) if parts or editors else ""


def collect(reports_dir: Path, gate: Gate | None = None) -> list[contract.TableRecord]:
    """Gather the per-theme tables into the run-wide CSVs (order: theme, then rows) and describe them.

    The description (columns, units, decimals) is that of the first theme's table of the same name; the source
    line names the sources of every part. The run-wide ``trends.csv`` gets the false discovery rate over every
    trend test of the run (columns ``*_run``) beside the one each theme applied within itself. Each theme's hidden
    cells stay hidden (moved to their row in the whole table), and the whole table passes ``gate`` (the run's
    small-numbers gate, :class:`analyse.gate.Gate`) before it is written: what one theme hid, no other theme's
    rows give away. Its notes are those of every theme's table, then those of the gate.
    """
    gate = gate or Gate()
    records = []
    summaries = _summaries(reports_dir)
    for name, cells in COLLECTED.items():
        parts, used, suppressed, notes = [], [], [], []
        for summary in summaries:
            record = next((t for t in summary.tables if t.name == name), None)
            if record is None:
                continue
            used.append(record)
            offset = sum(len(part) for part in parts)
            suppressed += [replace(cell, row=cell.row + offset) for cell in record.suppressed]
            notes += record.notes
            parts.append(pd.read_csv(reports_dir / record.csv, dtype=str, keep_default_na=False))
        if not parts:
            continue
        first = used[0]
        table = pd.concat(parts, ignore_index=True)
        if name == "trends":  # the run-wide false discovery rate beside each theme's own (analyse.trends.add_fdr)
            table = trends.add_fdr(table, suffix="_run")
        protected = gate.table(table, first.columns, cells, suppressed)
        data.write_atomic(reports_dir / f"{name}.csv",
                          lambda tmp: protected.frame.to_csv(tmp, index=False, lineterminator="\n"))
        title = {"trends": "Trendschattingen, alle thema's", "reproductie": "Reproductieregister hoofdstuk 2",
                 "monitor": first.title}[name]
        records.append(replace(first, csv=f"{name}.csv", title=title, suppressed=tuple(protected.cells),
                               notes=tuple(dict.fromkeys([*notes, *protected.notes])),
                               source=merged_source([r.source for r in used]), in_note=name == "monitor"))
    return records


def write_manifest(reports_dir: Path, root: Path, dataset: data.Dataset,
                   tables: list[contract.TableRecord], fingerprints: dict[str, str] | None = None, *,
                   region: str, skipped: tuple[contract.SkippedTheme, ...] = ()) -> Path:
    """``manifest.json``: when the run was made, on which data, about which region, by whom (the settings),
    with which parameters, per theme the fingerprint of its inputs (:mod:`analyse.freshness`), and the themes
    skipped for lack of data."""
    years = dataset.observations["jaar"]
    versions = {name: metadata.version(name) for name in ("analyse", "pandas", "statsmodels", "matplotlib")}
    settings = context.publication_settings(context.load_settings(root), region,
                                            context.region_code(dataset.regios, region),
                                            context.document_title(dataset, region))
    manifest = contract.RunManifest(
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        data_checksum=checksum.raw_digest(root / "data" / "raw"), data_years=(int(years.min()), int(years.max())),
        settings=settings,
        themes=tuple(contract.ThemeRun(s.theme, s.title, s.parameters, (fingerprints or {}).get(s.theme, ""))
                     for s in _summaries(reports_dir)),
        tables=tuple(tables), versions=versions, skipped=tuple(skipped))
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


def report_folder(reports: Path, region: str, code: str) -> Path:
    """``reports/<slug>/``: the folder of one region's reports (see :func:`analyse.text.slug`)."""
    return Path(reports) / slug(region, code)


def _municipalities(dataset: data.Dataset, settings: context.ProjectSettings, wanted: list[str] | None,
                    every: bool, given: dict) -> list[str]:
    """The regions a run is about, by name: ``wanted`` (codes or names), every municipality with data in the
    newest year (``every``), the ``regio`` parameter, or else the municipality of the settings."""
    if every:
        return context.current_municipalities(dataset)
    if wanted:
        return list(dict.fromkeys(context.region_name(dataset.regios, w) for w in wanted))
    if given.get("regio") is not None:
        return [context.region_name(dataset.regios, given["regio"], "regio")]
    return [context.default_region(dataset, settings)]


@dataclass
class RegionOutcome:
    """What a run did for one region: 'gepubliceerd', 'ongewijzigd', 'mislukt' or 'geweigerd', and why."""

    region: str
    status: str
    executed: int = 0
    skipped: tuple[contract.SkippedTheme, ...] = ()
    reason: str = ""


def run(root: Path, *, themes: list[str] | None = None, parameters: dict | None = None, jobs: int = 2,
        again: bool = False, regions: list[str] | None = None, every_municipality: bool = False,
        echo=print) -> bool:
    """The whole analysis for one region or a batch of them, each all or nothing; True when every region's
    reports are complete and current afterwards.

    ``regions``: municipalities by CBS code or name (default: the ``regio`` parameter, else the municipality of
    ``instellingen.toml``); ``every_municipality``: every municipality with data in the newest year. Each region
    gets ``reports/<slug>/``; the data are validated once and the workers' warm kernels serve every region.
    Per region only the themes whose inputs changed since its reports were made are executed (see
    :mod:`analyse.freshness`; ``again`` executes every selected theme); a theme without data for the region is
    skipped and said so. A region that fails keeps its previous reports and the batch goes on with the next.

    Raises :class:`~analyse.data.AnalyseError` for a refused request (unknown theme, parameter or region, bad
    data, another run busy), :class:`KeyboardInterrupt` (:class:`analyse.publish.Interrupted`) for Ctrl+C or
    SIGTERM: regions published before that stay published, the one in progress is not published.
    """
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
    if (regions or every_municipality) and given.get("regio") is not None:
        raise data.ParameterError("geef de gemeente met --gemeente of met -p regio=..., niet allebei.")
    settings = context.load_settings(root)

    command = " ".join(["analyse run", *(f"--thema {t}" for t in themes or [])])
    with publish.stop_on_signals(), publish.RunLock(reports, command) as lock:
        if lock.stale:
            echo(f"Let op: {publish.describe_stale(lock.stale)}")
        # what killed runs left: in reports/ (the overview's .tmp, the flat layout of earlier versions) and in the
        # folder of every region
        for folder in [reports, *sorted(p for p in reports.iterdir() if p.is_dir() and not p.name.startswith("."))]:
            for line in publish.clean_leftovers(folder):
                echo(f"  {line}")
        table = processed / data.PROCESSED_FILE
        batch = bool(every_municipality or (regions and len(regions) > 1))
        quick = None if batch else _unchanged(root, selected, available, given, regions, settings, again, table, raw)
        if quick is not None:  # one region, nothing changed: no validation, no kernel, nothing written
            echo(nothing_changed(quick.current, quick.previous_run, time.perf_counter() - started))
            return True
        with runner.WorkerPool(jobs, notebooks) as pool:
            raw_before = checksum.raw_digest(raw)
            dataset = _validated(root, table, echo)
            names = _municipalities(dataset, settings, regions, every_municipality, given)
            if not batch:  # a parameter the notebooks would refuse: refused now, before any notebook runs
                for thema in selected:
                    try:
                        freshness.resolve(root, dataset, thema, {**given, "regio": names[0]})
                    except context.NoThemeData:
                        pass
            outcomes = []
            gate = Gate.of(dataset, settings.small_count)  # one small-numbers decision for every region
            for number, region in enumerate(names, start=1):
                if batch:
                    echo(f"== {region} ({number}/{len(names)}) ==")
                outcomes.append(_run_region(root, dataset, pool, region, selected, available, given, again,
                                            raw_before, echo, batch=batch, gate=gate))
            pool.close()
        if batch or len(names) > 1:
            for line in batch_summary(outcomes, time.perf_counter() - started):
                echo(line)
        with step("overzicht van de gemeenten"):
            from analyse.export import html

            html.write_overview(reports)
    if publish.pending_signal():
        echo("Het stopsignaal kwam tijdens het publiceren; de run was toen al compleet en is afgemaakt.")
    if not batch and outcomes[0].status in ("gepubliceerd", "ongewijzigd"):
        folder = report_folder(reports, names[0], context.region_code(dataset.regios, names[0]))
        executed = count_noun(outcomes[0].executed, "notebook", "notebooks")
        echo(f"Klaar: {executed} uitgevoerd, rapporten in {folder.relative_to(root)}/ "
             f"({time.perf_counter() - started:.0f} s).")
    if not batch and outcomes[0].status == "geweigerd":
        raise data.ParameterError(outcomes[0].reason)
    return all(o.status in ("gepubliceerd", "ongewijzigd") for o in outcomes)


def _unchanged(root: Path, selected: list[str], available: list[str], given: dict, regions: list[str] | None,
               settings: context.ProjectSettings, again: bool, table: Path, raw: Path) -> freshness.Plan | None:
    """The plan of a one-region run when nothing changed since its reports were made (else None).

    Decided without validating: the processed table is read when it still belongs to data/raw."""
    if again or not checksum.matches(table, raw):
        return None
    wanted = (regions or [None])[0] or given.get("regio") or settings.municipality
    try:
        dataset = data.load(root / "data")
        region = context.region_name(dataset.regios, wanted)
        folder = report_folder(root / "reports", region, context.region_code(dataset.regios, region))
        plan = freshness.plan(root, dataset, selected, {**given, "regio": region}, reports=folder,
                              others=[t for t in available if t not in selected])
    except (OSError, ValueError, KeyError, data.AnalyseError):
        return None
    from analyse import export

    return plan if plan.nothing_to_do and not export.pdf_missing(folder) else None


def _validated(root: Path, table: Path, echo) -> data.Dataset:
    """The dataset, validated now or read from data/processed when that still belongs to data/raw."""
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    echo("Data valideren ...")
    with step("data valideren"):
        # a table whose checksum record matches data/raw and the code that builds it, as they are now, is what
        # validating would write again: it is read, not rebuilt
        unchanged = checksum.matches(table, raw)
        if not unchanged and checksum.edited(table, raw):
            echo(f"  Let op: {table.relative_to(root)} is veranderd nadat het uit data/raw werd gebouwd (met de hand "
                 "bewerkt of vervangen); de tabel wordt opnieuw gebouwd uit data/raw. Verander cijfers in data/raw.")
        dataset = data.load(root / "data") if unchanged else data.build_processed(raw, processed)
    if unchanged:
        echo(f"  {len(dataset.observations)} waarnemingen in orde; data/raw is niet veranderd sinds "
             f"{table.relative_to(root)} werd geschreven")
    else:
        echo(f"  {len(dataset.observations)} waarnemingen in orde; geschreven naar {table.relative_to(root)}")
    for warning in dataset.warnings:  # only when validated now: a reused table was checked before
        echo(f"  Let op: {warning}")
    return dataset


def _run_region(root: Path, dataset: data.Dataset, pool, region: str, selected: list[str], available: list[str],
                given: dict, again: bool, raw_before: str, echo, batch: bool = False,
                gate: Gate | None = None) -> RegionOutcome:
    """Everything for one region, all or nothing (see :func:`run`). In a batch a failed step is returned, so
    the next region can run; alone it is raised (one line, and the run ends with an error). Ctrl+C is raised."""
    from analyse import export

    folder = report_folder(root / "reports", region, context.region_code(dataset.regios, region))
    parameters = {**given, "regio": region}
    try:
        try:
            with step("vorige rapporten vergelijken"):
                plan = freshness.plan(root, dataset, selected, parameters, again=again, reports=folder,
                                      others=[t for t in available if t not in selected])
        except data.ParameterError as refused:
            return RegionOutcome(region, "geweigerd", reason=str(refused))
        skipped = plan.skipped
        if set(selected) <= set(skipped):
            return RegionOutcome(region, "geweigerd", skipped=tuple(skipped.values()),
                                 reason=" ".join(s.reason for s in skipped.values()) + " Er is niets uitgevoerd.")
        if plan.unusable:
            echo(unusable_manifest(plan.unusable))
        for line in [*changed_by_hand(plan.changed, plan.previous_run), *taken_over(plan.current, plan.previous_run)]:
            echo(line)
        for thema in selected:
            if thema in skipped:
                echo(f"  Overgeslagen: {thema}. {skipped[thema].reason}")
        pdf_missing = export.pdf_missing(folder)
        if plan.nothing_to_do and not pdf_missing:  # every theme current, or skipped again as before
            echo(nothing_changed(plan.current, plan.previous_run, 0))
            return RegionOutcome(region, "ongewijzigd", skipped=tuple(skipped.values()))
        if pdf_missing:  # a run without LibreOffice made none, or they were removed
            echo("LibreOffice is er nu: de PDF's van de nota en het technisch rapport worden gemaakt.")
        to_run = list(plan.run)
        run_parameters = {**parameters, "data_dir": str(root / "data")}
        with publish.Staging(folder) as staging:
            kept = [t for t in available if t not in plan.run and t not in skipped]
            with step("vorige rapporten klaarzetten"):
                publish.copy_current(folder, staging, keep=kept, cache=[] if again else to_run,
                                     leave_out=[f for files in plan.changed.values() for f in files])
                refresh_pages(staging, kept)
            if to_run:
                echo(f"Notebooks uitvoeren ({len(to_run)}, {min(len(pool.workers), len(to_run))} tegelijk) ...")
                result = pool.run(staging, to_run, run_parameters, echo=echo,
                                  order=execution_order(dataset, to_run))
                failed = [r.thema for r in result.results if not r.ok]
                if failed:
                    echo(f"Mislukt: {', '.join(failed)}"
                         + (f"; voor {region} is niets gepubliceerd, de vorige rapporten van {region} staan er nog." if batch
                            else f"; {NOTHING_PUBLISHED}."))
                    return RegionOutcome(region, "mislukt", reason=f"notebook {', '.join(failed)} mislukt")
            with step("tabellen verzamelen"):
                fingerprints = {**plan.recorded, **plan.fingerprints}
                fingerprints = {t: f for t, f in fingerprints.items() if t not in skipped}
                write_manifest(staging, root, dataset, collect(staging, gate), fingerprints,
                               skipped=tuple(skipped.values()), region=region)
            echo("Publicatiebestanden maken ...")
            with step("publicatiebestanden maken"):  # the previous PDF is not reused when it was changed by hand
                exports = export.export_all(staging, previous=None if again or "" in plan.changed else folder)
                freshness.record_outputs(staging)
            if checksum.raw_digest(root / "data" / "raw") != raw_before:
                raise StepError("stap 'publiceren' overgeslagen: data/raw is tijdens de run gewijzigd, dus de "
                                f"rapporten horen niet bij één versie van de data; {NOTHING_PUBLISHED}. Start opnieuw.")
            with step("publiceren"):
                publish.publish(staging, folder)
        for path in exports:
            echo(f"  {(folder / Path(path).relative_to(staging)).relative_to(root)}")
        return RegionOutcome(region, "gepubliceerd", executed=len(to_run), skipped=tuple(skipped.values()))
    except StepError as error:
        if not batch:
            raise
        echo(f"Mislukt voor {region}: {error}")
        return RegionOutcome(region, "mislukt", reason=str(error))
