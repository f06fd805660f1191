"""Execute the theme notebooks with papermill, in parallel, in worker processes that only write to staging.

:func:`run_notebooks` runs the notebooks into one output folder (``analyse run`` gives it its staging
folder, see :mod:`analyse.publish`): each notebook writes its figures and tables there, and its executed
copy and HTML page go to ``notebooks/`` inside it. Nothing here publishes.

The notebooks run in ``jobs`` worker processes (``python -m analyse.worker``), each executing one notebook
at a time on the project's kernel and taking the next from the queue. The workers ignore Ctrl+C: the run
decides. When the run stops (a failure elsewhere, Ctrl+C, SIGTERM), the queue is dropped and every worker
and the kernels it started are killed at once. A worker whose parent disappears (``kill -9`` of
``analyse run``) kills its kernel and exits by itself (:mod:`analyse.worker`).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from analyse.schema import THEMES, AnalyseError
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


def execute_notebook(notebook: Path, output_dir: Path, parameters: dict) -> NotebookResult:
    """Run one notebook with ``output_dir`` as its output folder; executed copy and HTML in ``notebooks/``.

    Writes only inside ``output_dir``. A failure is returned (theme, cell, error), not raised.
    """
    import papermill

    thema = notebook.stem
    start = time.perf_counter()
    executed = output_dir / "notebooks" / f"{thema}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    params = {**parameters, "output_dir": str(output_dir)}
    try:
        papermill.execute_notebook(
            str(notebook), str(executed), parameters=params, kernel_name=KERNEL_NAME,
            cwd=str(notebook.parent), progress_bar=False, log_output=False, report_mode=False,
            # the kernel talks to this process over loopback only; keep its start-up notices out of the log
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except Exception as error:  # papermill raises PapermillExecutionError and kernel errors
        return NotebookResult(thema, False, time.perf_counter() - start, _failure_message(thema, error))
    try:
        write_html(executed, executed.with_suffix(".html"))
    except Exception as error:
        return NotebookResult(thema, False, time.perf_counter() - start,
                              f"{thema}: de HTML-kopie is niet te maken: {type(error).__name__}: {error}")
    return NotebookResult(thema, True, time.perf_counter() - start)


# --------------------------------------------------------------------------- worker processes

PARENT_VARIABLE = "ANALYSE_WORKER_PARENT"


def kill_tree(pid: int, timeout: float = 3.0) -> None:
    """Kill process ``pid`` and everything it started (kernels run in sessions of their own)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        psutil = None
    family = []
    if psutil is not None:
        try:
            family = psutil.Process(pid).children(recursive=True)
        except psutil.Error:
            family = []
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for child in family:
        try:
            child.kill()
        except psutil.Error:
            pass
    if psutil is not None and family:
        psutil.wait_procs(family, timeout=timeout)


class _Worker:
    """One ``python -m analyse.worker`` process: a task in as a JSON line, a result out as a JSON line."""

    def __init__(self):
        self.log = tempfile.TemporaryFile()  # the worker's and its kernels' stderr; read if it dies
        env = {**os.environ, PARENT_VARIABLE: str(os.getpid())}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analyse.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, env=env, text=True, encoding="utf-8", bufsize=1)
        self.thema: str | None = None
        self.started = 0.0

    @property
    def busy(self) -> bool:
        return self.thema is not None

    def submit(self, notebook: Path, output_dir: Path, parameters: dict) -> None:
        self.thema, self.started = notebook.stem, time.perf_counter()
        task = {"notebook": str(notebook), "output_dir": str(output_dir), "parameters": parameters}
        self.process.stdin.write(json.dumps(task, ensure_ascii=False) + "\n")
        self.process.stdin.flush()

    def result(self) -> NotebookResult:
        line = self.process.stdout.readline()
        thema, self.thema = self.thema, None
        if line:
            try:
                return NotebookResult(**json.loads(line))
            except (ValueError, TypeError):
                pass
        code = self.process.wait()
        return NotebookResult(thema, False, time.perf_counter() - self.started,
                              f"{thema}: het uitvoerproces stopte onverwacht (code {code}){self._last_log_line()}")

    def _last_log_line(self) -> str:
        try:
            self.log.seek(0)
            lines = [l for l in self.log.read().decode("utf-8", "replace").splitlines() if l.strip()]
        except OSError:
            return ""
        return f": {lines[-1].strip()}" if lines else ""

    def stop(self, graceful: bool) -> None:
        """Idle and ``graceful``: close its input so it exits; otherwise (or if it lingers) kill it and its kernels."""
        try:
            if graceful and not self.busy:
                try:
                    self.process.stdin.close()
                except OSError:
                    pass
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            if self.process.poll() is None:
                kill_tree(self.process.pid)
                self.process.wait()
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self.log.close()


def run_notebooks(notebook_dir: Path, output_dir: Path, themes: list[str], parameters: dict, jobs: int,
                  echo=print) -> RunResult:
    """Execute ``themes`` into ``output_dir`` with up to ``jobs`` at a time; a progress line as each one ends.

    The notebooks are independent (each reads ``data/processed``). Any exception here (Ctrl+C arrives as
    :class:`KeyboardInterrupt`) cancels the queue and kills the running notebooks before it propagates.
    """
    ensure_kernel()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    queue = [Path(notebook_dir) / f"{t}.ipynb" for t in themes]
    result = RunResult()
    workers: list[_Worker] = []
    selector = selectors.DefaultSelector()
    finished = False
    try:
        for _ in range(max(1, min(jobs, len(queue)))):
            worker = _Worker()
            workers.append(worker)
            worker.submit(queue.pop(0), output_dir, parameters)
            selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
        while any(w.busy for w in workers):
            for key, _ in selector.select(timeout=1.0):
                worker = key.data
                outcome = worker.result()
                status = "klaar" if outcome.ok else "MISLUKT"
                echo(f"[{len(result.results) + 1}/{len(themes)}] {outcome.thema:<18} {status} "
                     f"({format_number(outcome.seconds, 1)} s)")
                if not outcome.ok:
                    echo(outcome.message)
                result.results.append(outcome)
                if queue:
                    if worker.process.poll() is not None:  # it died: a new one takes its place
                        selector.unregister(worker.process.stdout)
                        worker.stop(graceful=False)
                        workers.remove(worker)
                        worker = _Worker()
                        workers.append(worker)
                        selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
                    worker.submit(queue.pop(0), output_dir, parameters)
        finished = True
    finally:
        selector.close()
        for worker in workers:
            worker.stop(graceful=finished)
    order = {t: i for i, t in enumerate(themes)}
    result.results.sort(key=lambda r: order[r.thema])
    return result
