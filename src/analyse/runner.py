"""Execute the theme notebooks with papermill, safely and in parallel.

Each notebook runs into its own temporary folder inside ``reports/``; only when it succeeds are its
executed notebook, HTML copy, figures and tables moved into place. A failing notebook therefore never
replaces the reports of the last good run.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from analyse.data import THEMES, AnalyseError
from analyse.text import format_number

NOTEBOOK_ORDER = (*THEMES, "monitor")
OUTPUT_KINDS = ("figures", "tables")
# the kernel named in every notebook's metadata; papermill and JupyterLab both start this one
KERNEL_NAME = "integratie-analyse"
KERNEL_DISPLAY_NAME = "Python (integratie-analyse)"


@dataclass
class NotebookResult:
    thema: str
    ok: bool
    seconds: float
    message: str = ""


@dataclass
class RunResult:
    results: list[NotebookResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def ensure_kernel() -> Path:
    """Register the project's kernel in this environment if needed; return its kernelspec folder.

    The kernelspec goes into ``sys.prefix`` (the project's ``.venv`` or conda environment), where this
    environment's JupyterLab and papermill find it, and starts this environment's Python. A kernel of the
    same name that starts another Python (an older registration in the user's folder, which Jupyter
    searches first) is refused with the command that removes it.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix)
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    python = Path(spec.argv[0])
    if not (python.exists() and os.path.samefile(python.parent, Path(sys.executable).parent)):
        raise AnalyseError(
            f"de kernel '{KERNEL_NAME}' in {spec.resource_dir} start {python}, niet de Python van deze "
            f"omgeving ({sys.executable}). Verwijder die registratie met `jupyter kernelspec remove "
            f"{KERNEL_NAME}` en start opnieuw; de kernel wordt dan in deze omgeving geregistreerd.")
    return Path(spec.resource_dir)


def available_notebooks(notebook_dir: Path) -> list[str]:
    """Themes with a notebook in ``notebook_dir``, in report order (unknown names last, sorted)."""
    names = {p.stem for p in notebook_dir.glob("*.ipynb") if not p.name.startswith(".")}
    ordered = [n for n in NOTEBOOK_ORDER if n in names]
    return ordered + sorted(names - set(ordered))


def notebook_parameters(path: Path) -> dict[str, str]:
    """The parameters a notebook declares (name -> default source), as papermill infers them."""
    import papermill

    params = papermill.inspect_notebook(str(path))
    return {name: info["default"] for name, info in params.items()}


def _failure_message(thema: str, error: BaseException) -> str:
    source = getattr(error, "source", None)
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    if source is None:
        return f"{thema}: {ename}: {evalue}"
    cell = getattr(error, "exec_count", None)
    code = "\n".join("    " + line for line in str(source).strip().splitlines()[-12:])
    return f"{thema}: fout in cel {cell}:\n{code}\n  {ename}: {evalue}"


def write_html(executed: Path, html_path: Path) -> None:
    """The HTML copy without code: offline (no scripts, nothing from the internet) and sanitised."""
    import nbformat

    from analyse.safe_html import OfflineHTMLExporter, offline_problems

    exporter = OfflineHTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    problems = offline_problems(body)
    if problems:  # fail closed: a page that would load or run something is not written
        raise AnalyseError(f"de HTML-kopie van {executed.stem} zou iets laden of uitvoeren: {problems[0]}")
    html_path.write_text(body, encoding="utf-8")


def execute_notebook(notebook: Path, reports_dir: Path, parameters: dict) -> NotebookResult:
    """Run one notebook into a staging folder and move its outputs into ``reports_dir`` on success."""
    import papermill

    thema = notebook.stem
    start = time.perf_counter()
    reports_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".run-{thema}-", dir=reports_dir))
    try:
        executed = staging / "notebooks" / f"{thema}.ipynb"
        executed.parent.mkdir(parents=True)
        previous = reports_dir / "figures" / thema
        if previous.is_dir():  # lets the notebook keep figures whose data did not change
            shutil.copytree(previous, staging / "figures" / thema)
        params = {**parameters, "output_dir": str(staging)}
        try:
            papermill.execute_notebook(
                str(notebook), str(executed), parameters=params, kernel_name=KERNEL_NAME,
                cwd=str(notebook.parent), progress_bar=False, log_output=False, report_mode=False,
                # the kernel talks to this process over loopback only; keep its start-up notices out of the log
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except Exception as error:  # papermill raises PapermillExecutionError and kernel errors
            return NotebookResult(thema, False, time.perf_counter() - start, _failure_message(thema, error))
        write_html(executed, executed.with_suffix(".html"))
        _publish(staging, reports_dir, thema)
        return NotebookResult(thema, True, time.perf_counter() - start)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(staging: Path, reports_dir: Path, thema: str) -> None:
    """Move a successful run's outputs into place, replacing that theme's previous outputs."""
    for kind in OUTPUT_KINDS:
        source = staging / kind / thema
        target = reports_dir / kind / thema
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            old = target.with_name(f".old-{thema}")
            if target.exists():
                shutil.rmtree(old, ignore_errors=True)
                os.replace(target, old)
            os.replace(source, target)
            shutil.rmtree(old, ignore_errors=True)
    (reports_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    for suffix in (".ipynb", ".html"):
        os.replace(staging / "notebooks" / f"{thema}{suffix}", reports_dir / "notebooks" / f"{thema}{suffix}")


def run_notebooks(notebook_dir: Path, reports_dir: Path, themes: list[str], parameters: dict, jobs: int,
                  echo=print) -> RunResult:
    """Execute ``themes`` with up to ``jobs`` notebooks at a time; a progress line as each one ends.

    The notebooks are independent (each reads ``data/processed``), so they all run in one pool, on the
    project's kernel (registered first if this environment does not have it yet).
    """
    ensure_kernel()
    result = RunResult()
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(themes)))) as pool:
        futures = [pool.submit(execute_notebook, notebook_dir / f"{t}.ipynb", reports_dir, parameters)
                   for t in themes]
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            status = "klaar" if outcome.ok else "MISLUKT"
            echo(f"[{done}/{len(themes)}] {outcome.thema:<18} {status} ({format_number(outcome.seconds, 1)} s)")
            if not outcome.ok:
                echo(outcome.message)
            result.results.append(outcome)
    order = {t: i for i, t in enumerate(themes)}
    result.results.sort(key=lambda r: order[r.thema])
    return result
