"""Time the full analysis three ways on the same machine and data, and write reports/benchmark.json.

(a) ``analyse run``: the pipeline (validation, notebooks in parallel, exports);
(b) the plain way: each notebook executed one by one with ``jupyter nbconvert --to notebook --execute``;
(c) the floor: one Python process that imports the libraries once and runs the same analysis code
    (the notebooks' code cells) for every theme, without kernels or notebooks.

Every approach runs in its own copy of ``data/raw`` and ``notebooks/`` and starts without reports, so
every figure is drawn each time (a cold run). (a) is the whole command as a user runs it, exports included
(the PDF too when LibreOffice is there); (b) and (c) do the analysis only (the notebooks' code, the same work
for all three). Also timed: a rerun of (a) and of one theme with nothing changed (every theme is current, so
nothing is executed), the same with ``--opnieuw`` (executed, every figure drawn again), one theme with another
end year (executed, as a researcher reruns it), a run after the newest year of police figures is added (only the
themes that read them executed; as a fraction of (a)), ``analyse validate``, and, on the reports (a) made, the
exports alone and the PDF conversion alone.

Batches (``--batches 1,10,50``): ``analyse run`` with ``--gemeente`` for the first 1, 10 and 50 municipalities of
now (the settings' municipality first, then by CBS code), each from a clean project: seconds per municipality,
peak memory of the whole process tree (the run, its workers and kernels; sampled from ``/proc``), and the
projection for every municipality at the rate of the largest batch.

    python benchmarks/run_benchmark.py                 # all themes, 3 repeats
    python benchmarks/run_benchmark.py --quick         # one small theme, 1 repeat
    python benchmarks/run_benchmark.py --dry-run       # set up and show what would be measured (the test)
    python benchmarks/run_benchmark.py --alleen-batches --batches 1,10   # only the batches
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

FLOOR = r"""
import sys, time
start = time.perf_counter()
from pathlib import Path
import nbformat
root, themes = Path(sys.argv[1]), sys.argv[2:]
for thema in themes:
    notebook = nbformat.read(root / "notebooks" / f"{thema}.ipynb", as_version=4)
    namespace = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "parameters" in cell.metadata.get("tags", []):
            source += f"\ndata_dir = {str(root / 'data')!r}\noutput_dir = {str(root / 'reports')!r}"
        exec(compile(source, f"{thema}.ipynb", "exec"), namespace)
"""


def copy_project(target: Path) -> Path:
    for name in ("data/raw", "notebooks"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "instellingen.toml", target / "instellingen.toml")
    (target / "data" / "processed").mkdir(parents=True, exist_ok=True)
    return target


def timed(command: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"Mislukt: {' '.join(command)}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def clean(project: Path) -> None:
    shutil.rmtree(project / "reports", ignore_errors=True)  # every municipality's folder
    for path in (project / "data" / "processed").glob("*.csv"):
        path.unlink()


def run_pipeline(project: Path, themes: list[str], jobs: int, *extra: str) -> float:
    args = [str(BIN / "analyse"), "run", "--jobs", str(jobs), *extra] + [a for t in themes for a in ("--thema", t)]
    return timed(args, project, {"ANALYSE_ROOT": str(project)})


def run_plain(project: Path, themes: list[str]) -> float:
    start = time.perf_counter()
    for thema in themes:
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output-dir",
               str(project / "executed"), str(project / "notebooks" / f"{thema}.ipynb")], project / "notebooks")
    return time.perf_counter() - start


def run_floor(project: Path, themes: list[str]) -> float:
    return timed([sys.executable, "-c", FLOOR, str(project), *themes], project)


EXPORTS = r"""
import shutil, sys, tempfile, time
from pathlib import Path
from analyse import export
from analyse.export import pdf
work = Path(tempfile.mkdtemp(prefix="exports-"))
reports = work / "reports"
shutil.copytree(sys.argv[1], reports)  # a copy: the published reports stay as their manifest records them
start = time.perf_counter()
export.export_all(reports, make_pdf=False)
middle = time.perf_counter()
if pdf.find_soffice() is not None:
    for name in ("beleidsnota", "technisch-rapport"):
        pdf.convert(reports / f"{name}.docx", reports / f"benchmark-{name}.pdf")
print(middle - start, time.perf_counter() - middle if pdf.find_soffice() else 0.0)
shutil.rmtree(work, ignore_errors=True)
"""


def run_exports(project: Path) -> tuple[float, float]:
    """Seconds for the exports without the PDFs, and for the conversion of both PDFs alone, on a copy of (a)'s
    reports (writing into the published folder would make the next run see files changed by hand)."""
    done = subprocess.run([sys.executable, "-c", EXPORTS, str(project / "reports" / "maassluis")], capture_output=True, text=True,
                          env={**os.environ, "ANALYSE_ROOT": str(project)})
    if done.returncode != 0:
        raise SystemExit(f"Mislukt: exports\n{done.stderr[-2000:]}")
    without_pdf, pdf_alone = (float(x) for x in done.stdout.split()[-2:])
    return without_pdf, pdf_alone


def earlier_end_years(project: Path, thema: str) -> list[str]:
    """Two end years before the default one for which ``thema`` has Maassluis figures (alternated, so that
    every repetition changes the parameter)."""
    import pandas as pd

    observations = pd.read_csv(project / "data" / "processed" / "waarnemingen.csv",
                               usecols=["indicator", "regio", "jaar"])
    catalogue = pd.read_csv(project / "data" / "raw" / "indicatoren.csv", usecols=["indicator", "thema"])
    mine = observations["indicator"].isin(catalogue.loc[catalogue["thema"] == thema, "indicator"])
    years = sorted(set(observations.loc[mine & (observations["regio"] == "Maassluis"), "jaar"]))
    return [str(y) for y in years[-3:-1]][::-1]


POLICE = Path("data") / "raw" / "politie_47018ned.csv"


def _tree_rss(root_pid: int) -> int:
    """Resident memory in bytes of ``root_pid`` and every process below it (Linux ``/proc``; 0 elsewhere)."""
    parents, rss = {}, {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, grew = {root_pid}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(more)
        tree |= more
    return sum(rss.get(pid, 0) for pid in tree)


def run_batch(project: Path, municipalities: list[str], jobs: int) -> tuple[float, int]:
    """``analyse run`` for ``municipalities`` in one batch: seconds and peak memory (bytes) of the process tree."""
    command = [str(BIN / "analyse"), "run", "--jobs", str(jobs)]
    for code in municipalities:
        command += ["--gemeente", code]
    start, peak = time.perf_counter(), 0
    with subprocess.Popen(command, cwd=project, env={**os.environ, "ANALYSE_ROOT": str(project)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as process:
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.25)
        errors = process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"batch van {len(municipalities)} gemeenten mislukt: {errors.strip()[-500:]}")
    return time.perf_counter() - start, peak


def batch_municipalities(n: int) -> list[str]:
    """The first ``n`` municipalities of now, by CBS code: the settings' municipality first, then by code."""
    from analyse import context, data

    dataset = data.load_raw(ROOT / "data" / "raw")
    codes = dict(zip(dataset.regios["regio"], dataset.regios["code"]))
    names = context.current_municipalities(dataset)
    own = context.load_settings(ROOT).municipality
    ordered = [own] + [codes[name] for name in names if codes[name] != own]
    return ordered[:n]


def summarise_batches(batches: dict[int, tuple[float, int]], every: int) -> dict:
    """Seconds per municipality and peak memory per batch size; the projection for ``every`` municipalities at the
    rate of the largest batch, and the memory of the largest batch over that of the second largest."""
    sizes = sorted(batches)
    report = {str(n): {"seconden": round(t, 1), "seconden_per_gemeente": round(t / n, 2),
                       "piekgeheugen_mb": round(m / 2**20)} for n, (t, m) in batches.items()}
    largest = sizes[-1]
    projection = batches[largest][0] / largest * every
    result = {"batches": report, "gemeenten_totaal": every, "projectie_alle_gemeenten_minuten": round(projection / 60, 1),
              "doel_projectie_hoogstens_minuten": BATCH_GOAL_MINUTES}
    if len(sizes) > 1:
        result["geheugen_grootste_gedeeld_door_vorige"] = round(batches[largest][1] / batches[sizes[-2]][1], 2)
        result["doel_geheugen_verhouding_hoogstens"] = MEMORY_GOAL
    return result


BATCH_GOAL_MINUTES = 30
"""Every municipality in one batch on this machine: at most this many minutes (projected)."""
MEMORY_GOAL = 1.5
"""Peak memory of a 50-municipality batch over that of a 10-municipality batch: at most this."""


def police_year_out(project: Path) -> bytes:
    """Take the newest year of police figures (CBS 47018NED) out of the project's data/raw, as before it was
    published; returns the complete file, to put back."""
    import pandas as pd

    path = project / POLICE
    complete = path.read_bytes()
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    years = table["jaar"].astype(int)
    table[years != years.max()].to_csv(path, index=False, lineterminator="\n")
    return complete


GOALS = {"a_b_hoogstens": 0.38, "a_c_hoogstens": 1.0}
"""Issue 28: a/b at most 0,38 on a quiet 2-core machine, a/c at most 1,0 (the single-theme 4 s goal is retired)."""
POLICE_GOAL = 0.4
"""A run after a year of police figures was added, as a fraction of (a): at most this."""


def summarise(results: dict[str, tuple[float, list[float]]], themes: list[str], repeat: int, jobs: int) -> dict:
    """The report: medians, every measurement, the ratios a/b and a/c and the goals."""
    a, b, c = (results[k][0] for k in ("a_analyse_run", "b_nbconvert_een_voor_een", "c_ondergrens_een_proces"))
    return {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_1_5_15_min": [round(x, 2) for x in os.getloadavg()]},
        "themas": themes, "herhalingen": repeat, "jobs": jobs,
        "seconden_mediaan": {k: round(v[0], 2) for k, v in results.items()},
        "seconden_alle": {k: [round(t, 2) for t in v[1]] for k, v in results.items()},
        "verhouding_a_b": round(a / b, 3), "verhouding_a_c": round(a / c, 3),
        "doel": GOALS,
        **({"verhouding_politiejaar_a": round(results["a_politiejaar_erbij"][0] / a, 3),
            "doel_politiejaar_hoogstens": POLICE_GOAL} if "a_politiejaar_erbij" in results else {}),
    }


def batch_report(project: Path, sizes: list[int], jobs: int) -> dict:
    """Each batch from a clean project (validation included, as a user starts it), printed and summarised."""
    from analyse import context, data

    every = len(context.current_municipalities(data.load_raw(ROOT / "data" / "raw")))
    batches = {}
    for n in sizes:
        clean(project)
        batches[n] = run_batch(project, batch_municipalities(n), jobs)
        seconds, peak = batches[n]
        print(f"  batch van {n:>3} gemeenten          {seconds:7.1f} s  {seconds / n:6.1f} s per gemeente  "
              f"piekgeheugen {peak / 2**20:6.0f} MB", flush=True)
    report = summarise_batches(batches, every)
    print(f"  projectie voor alle {every} gemeenten: {report['projectie_alle_gemeenten_minuten']} minuten "
          f"(doel <= {BATCH_GOAL_MINUTES})", flush=True)
    return report


def median_of(repeat: int, prepare, measure) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        prepare()
        times.append(measure())
    return statistics.median(times), times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--thema", action="append", default=None)
    parser.add_argument("--quick", action="store_true", help="één klein thema, één herhaling")
    parser.add_argument("--dry-run", action="store_true",
                        help="alleen klaarzetten en tonen wat er gemeten zou worden (voor de tests)")
    parser.add_argument("--output", type=Path, default=ROOT / "reports" / "benchmark.json")
    parser.add_argument("--batches", default="1,10,50",
                        help="groottes van de batches gemeenten, met komma's (standaard 1,10,50); leeg: geen batches")
    parser.add_argument("--alleen-batches", action="store_true", help="alleen de batches meten")
    args = parser.parse_args(argv)
    sizes = sorted({int(n) for n in args.batches.split(",") if n.strip()})
    sys.path.insert(0, str(ROOT / "src"))
    from analyse.runner import available_notebooks, ensure_kernel

    ensure_kernel()  # (b) runs the notebooks with nbconvert, which starts the kernel their metadata names

    themes = args.thema or (["basisvaardigheden"] if args.quick else available_notebooks(ROOT / "notebooks"))
    repeat = 1 if args.quick else args.repeat
    work = Path(tempfile.mkdtemp(prefix="benchmark-"))
    try:
        projects = {name: copy_project(work / name) for name in ("a", "b", "c")}
        print(f"Benchmark: {len(themes)} notebooks, {repeat}x, {args.jobs} jobs, {os.cpu_count()} cores, "
              f"belasting {os.getloadavg()[0]:.2f}", flush=True)
        measurements = (
            ("a_analyse_run", "(a) analyse run", lambda: run_pipeline(projects["a"], themes, args.jobs)),
            ("b_nbconvert_een_voor_een", "(b) nbconvert, een voor een", lambda: run_plain(projects["b"], themes)),
            ("c_ondergrens_een_proces", "(c) ondergrens, een proces", lambda: run_floor(projects["c"], themes)),
        )
        if args.dry_run:
            compile(FLOOR, "ondergrens", "exec")
            compile(EXPORTS, "exports", "exec")
            for key, label, _ in measurements:
                print(f"  {label:<32} {key} in {projects[key[0]]}")
            police_year_out(projects["a"])
            chosen = batch_municipalities(max(sizes)) if sizes else []
            for n in sizes:
                print(f"  batch van {n} gemeenten: {', '.join(chosen[:min(n, 3)])}{' ...' if n > 3 else ''}")
            print("  daarna: exports, pdf, herhaling zonder wijziging (alles en één thema), dezelfde met --opnieuw, "
                  "één thema met een ander eindjaar, een jaar politiecijfers erbij, analyse validate")
            print("Niets gemeten (--dry-run).")
            return 0
        if args.alleen_batches:
            report = {"machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                      **batch_report(projects["a"], sizes, args.jobs)}
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
            print(f"Geschreven: {args.output}")
            return 0
        results = {}
        for key, label, measure in measurements:
            project = projects[key[0]]
            results[key] = median_of(repeat, lambda p=project: clean(p), measure)
            print(f"  {label:<32} mediaan {results[key][0]:6.1f} s  {[round(t, 1) for t in results[key][1]]}", flush=True)
        exports = [run_exports(projects["a"]) for _ in range(repeat)]
        results["exports_zonder_pdf"] = (statistics.median(e[0] for e in exports), [e[0] for e in exports])
        results["pdf_alleen"] = (statistics.median(e[1] for e in exports), [e[1] for e in exports])
        a, first = projects["a"], themes[:1]
        # nothing changed: the run finds every theme current and executes nothing
        results["a_herhaling_zonder_wijziging"] = median_of(repeat, lambda: None,
                                                            lambda: run_pipeline(a, themes, args.jobs))
        results["een_thema_herhaling"] = median_of(repeat, lambda: None,
                                                   lambda: run_pipeline(a, first, args.jobs))
        # executed although nothing changed (--opnieuw): the figures come from the figure cache
        results["a_herhaling_opnieuw"] = median_of(repeat, lambda: None,
                                                   lambda: run_pipeline(a, themes, args.jobs, "--opnieuw"))
        results["een_thema_opnieuw"] = median_of(repeat, lambda: None,
                                                 lambda: run_pipeline(a, first, args.jobs, "--opnieuw"))
        # what a researcher does: one theme with another parameter (a different end year every time)
        years = iter(earlier_end_years(a, first[0]) * repeat)
        results["een_thema_andere_parameter"] = median_of(repeat, lambda: None, lambda: run_pipeline(
            a, first, args.jobs, "--eind-jaar", str(next(years))))
        # a year of police figures added: executed are only the themes that read them (criminaliteit, the monitor)
        complete = {}

        def police_year_taken_out() -> None:  # and the reports made without it (not measured)
            complete["bytes"] = police_year_out(a)
            run_pipeline(a, themes, args.jobs)

        def police_year_added() -> float:
            (a / POLICE).write_bytes(complete["bytes"])
            return run_pipeline(a, themes, args.jobs)

        results["a_politiejaar_erbij"] = median_of(repeat, police_year_taken_out, police_year_added)
        results["analyse_validate"] = median_of(repeat, lambda: None, lambda: timed(
            [str(BIN / "analyse"), "validate"], a, {"ANALYSE_ROOT": str(a)}))
        for key in ("exports_zonder_pdf", "pdf_alleen", "a_herhaling_zonder_wijziging", "een_thema_herhaling",
                    "a_herhaling_opnieuw", "een_thema_opnieuw", "een_thema_andere_parameter", "a_politiejaar_erbij",
                    "analyse_validate"):
            print(f"  {key:<32} mediaan {results[key][0]:6.1f} s  {[round(t, 1) for t in results[key][1]]}",
                  flush=True)
        report = summarise(results, themes, repeat, args.jobs)
        if sizes:
            clean(projects["a"])
            report.update(batch_report(projects["a"], sizes, args.jobs))
        print(f"  a/b = {report['verhouding_a_b']:.2f} (doel <= {GOALS['a_b_hoogstens']})   "
              f"a/c = {report['verhouding_a_c']:.2f} (doel <= {GOALS['a_c_hoogstens']})   "
              f"politiejaar/a = {report['verhouding_politiejaar_a']:.2f} (doel <= {POLICE_GOAL})   "
              f"belasting na afloop {os.getloadavg()[0]:.2f}")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"Geschreven: {args.output}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
