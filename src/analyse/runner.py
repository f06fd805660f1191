"""Execute the theme notebooks with papermill, in parallel, in worker processes that only write to staging.

:meth:`WorkerPool.run` runs the notebooks into one output folder (``analyse run`` gives it its staging
folder, see :mod:`analyse.publish`): each notebook writes its figures and tables there, and its executed
copy and HTML page go to ``notebooks/`` inside it. Nothing here publishes.

The notebooks run in ``jobs`` worker processes (``python -m analyse.worker``), each executing one notebook
at a time on the project's kernel and taking the next from the queue. A worker keeps its kernel warm
(:class:`WarmKernel`): the kernel is started, and the analysis libraries imported in it, as soon as the
worker starts (``analyse run`` starts the workers before it validates the data), and it runs every notebook
the worker gets, with a fresh namespace for each (:data:`RESET`): what a notebook computes does not depend on
the notebooks before it in that kernel (tests/test_determinism.py compares with notebooks run in a fresh
kernel). The workers ignore Ctrl+C: the run decides. When the run stops (a failure elsewhere, Ctrl+C,
SIGTERM), the queue is dropped and every worker and the kernels it started are killed at once. A worker
whose parent disappears (``kill -9`` of ``analyse run``) kills its kernel and exits by itself
(:mod:`analyse.worker`).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from analyse.schema import THEMES, AnalyseError
from analyse.text.label_texts import CODE_LABELS
from analyse.text.notation import EN_DASH, format_number, join_words, year_range

NOTEBOOK_ORDER = (*THEMES, "monitor")
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


def _failure_message(thema: str, error: BaseException) -> str:
    source = getattr(error, "source", None)
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    if source is None:
        return f"{thema}: {ename}: {evalue}"
    cell = getattr(error, "exec_count", None)
    code = "\n".join("    " + line for line in str(source).strip().splitlines()[-12:])
    return f"{thema}: fout in cel {cell}:\n{code}\n  {ename}: {evalue}"


def page_header(executed: Path) -> dict:
    """What a theme's page shows first: its title, area and period, and its key messages (from the
    ``kerncijfers.json`` the notebook wrote beside it); the title alone when there is none."""
    from analyse import contract

    thema = executed.stem
    summary = executed.parent.parent / "tables" / thema / contract.SUMMARY_FILE
    try:
        record = contract.read_summary(summary)
    except contract.ContractError:
        return {"title": THEMES.get(thema, thema.replace("_", " ").capitalize()), "where": "", "messages": []}
    params = record.parameters
    regions = list(params.comparison_regions)
    period = year_range(params.start_year, params.end_year, dash=EN_DASH)
    where = f"{params.region}, vergeleken met {join_words(regions)}; {period}." if regions else \
        f"{params.region}; {period}."
    return {"title": record.title, "where": where, "messages": list(record.messages)}


_CODE_SPAN = re.compile(r"`([a-z][a-z0-9_]*)`")


def reader_cells(cells: list) -> list:
    """The cells a reader of the published page needs. Left out: the notebook's introduction for researchers
    (the first Markdown cell: the page opens with its own title, area and key messages instead), the explanation
    of the parameters (the Markdown cell headed 'Parameters' and the parameter cell itself) and the key messages
    at the end (they are at the top now: the cell headed 'Kernboodschappen' and the cell after it). A code in
    Markdown that has a Dutch label ('`op_koers`') reads as that label (*op koers*)."""
    kept, skip_next = [], False
    for i, cell in enumerate(cells):
        source = "".join(cell.get("source", "")).lstrip()
        if skip_next and cell.get("cell_type") == "code":
            skip_next = False
            continue
        skip_next = False
        if cell.get("cell_type") == "markdown":
            if (i == 0 and source.startswith("# ")) or source.startswith("## Parameters"):
                continue
            if source.startswith("## Kernboodschappen"):
                skip_next = True
                continue
            cell["source"] = _CODE_SPAN.sub(lambda m: f"*{CODE_LABELS[m.group(1)]}*" if m.group(1) in CODE_LABELS
                                            else m.group(0), "".join(cell.get("source", "")))
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        kept.append(cell)
    return kept


def write_html(executed: Path, html_path: Path, notebook=None) -> None:
    """The HTML copy without code: offline (no scripts, nothing from the internet) and sanitised; in Dutch
    (``lang="nl"``), titled with the theme, its key messages first, readable on a phone.

    ``notebook``: the executed notebook as it was just written to ``executed`` (saves reading it again).
    """
    import copy

    import nbformat

    from analyse.safe_html import PAGE_STYLE, OfflineHTMLExporter, offline_problems

    page = page_header(executed)
    node = copy.deepcopy(notebook if notebook is not None else nbformat.read(executed, as_version=4))
    node.metadata["title"] = page["title"]
    node.cells = reader_cells(node.cells)
    exporter = OfflineHTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(node, resources={"analyse_page": page, "analyse_style": PAGE_STYLE})
    problems = offline_problems(body)
    if problems:  # fail closed: a page that would load or run something is not written
        raise AnalyseError(f"de HTML-kopie van {executed.stem} zou iets laden of uitvoeren: {problems[0]}")
    html_path.write_text(body, encoding="utf-8")


# the kernel talks to the worker over loopback only; keep its start-up notices out of the log, and its
# command history in memory (as papermill does)
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]
# imported in a warm kernel while it waits for its first notebook: what every notebook imports first
PRELOAD = "import analyse.theme, analyse.writer, IPython.display, matplotlib.pyplot"
# run in a warm kernel before every notebook after the first: a namespace, output cache, figure list and
# execution count as in a new kernel. Imported modules stay (that is the point); the analyse package keeps no
# state between notebooks besides pure caches keyed by their arguments.
RESET = """
def _analyse_reset():
    import sys
    shell = get_ipython()
    shell.reset(new_session=True)  # user namespace, Out cache and execution count back to the start
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    for module in list(sys.modules.values()):  # warnings shown once per place are shown again
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
_analyse_reset()
"""


class WarmKernel:
    """The project's kernel, started once in ``cwd`` and used for notebook after notebook.

    :meth:`preload` imports the analysis libraries without waiting for it; :meth:`prepare` gives the next
    notebook a fresh namespace; papermill runs the notebook on :attr:`manager`.
    """

    def __init__(self, cwd: Path):
        from jupyter_client.manager import AsyncKernelManager  # the manager papermill itself would create
        from jupyter_core.utils import run_sync

        self._sync = run_sync
        self.manager = AsyncKernelManager(kernel_name=KERNEL_NAME)
        run_sync(self.manager.start_kernel)(cwd=str(cwd), extra_arguments=list(KERNEL_ARGUMENTS))
        self.used = False
        self._pending = None
        self._client = None

    def _send(self, code: str, ready: bool = False):
        """Send ``code`` on a client of its own; ``ready``: first wait until the kernel answers (a kernel that
        already ran a notebook does; the wait costs 0,2-0,4 s)."""
        from jupyter_client.blocking import BlockingKernelClient

        client = BlockingKernelClient()
        client.load_connection_info(self.manager.get_connection_info())
        client.start_channels()
        try:
            if ready:
                client.wait_for_ready(timeout=60)
            return client, client.execute(code, silent=True, store_history=False, allow_stdin=False)
        except BaseException:
            client.stop_channels()
            raise

    @staticmethod
    def _reply(client, msg_id: str) -> None:
        try:
            reply = client.get_shell_msg(timeout=120)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = client.get_shell_msg(timeout=120)
        finally:
            client.stop_channels()
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")

    def preload(self) -> None:
        """Import what the notebooks import; runs in the kernel while the worker waits for a task."""
        self._pending = self._send(PRELOAD, ready=True)

    def prepare(self) -> None:
        """Before a notebook: the preload done, and a fresh namespace after an earlier notebook."""
        pending, self._pending = self._pending, None
        if pending is not None:
            try:
                self._reply(*pending)
            except Exception:  # a failing import shows, with its cell, when the notebook itself imports
                pass
        if self.used:
            self._reply(*self._send(RESET))
        self.used = True

    def client(self):
        """The client every notebook on this kernel runs through: connected, and ready, once (papermill would
        connect a new one per notebook and wait 0,2-0,4 s for it). Messages of an earlier notebook that are
        still on its channels are passed over: papermill reads only replies to its own requests."""
        if self._client is None:
            client = self.manager.client()
            client.start_channels()
            self._sync(client.wait_for_ready)(timeout=60)
            client.allow_stdin = False
            self._client = client
        return self._client

    def alive(self) -> bool:
        return bool(self._sync(self.manager.is_alive)())

    def shutdown(self) -> None:
        if self._client is not None:
            self._client.stop_channels()
            self._client = None
        try:
            self._sync(self.manager.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass


def prepare_worker() -> None:
    """What a worker needs for its first notebook, imported while its kernel starts."""
    import papermill  # noqa: F401

    from analyse import safe_html

    _register_warm_engine()
    safe_html._exporter_classes()


def execute_notebook(notebook: Path, output_dir: Path, parameters: dict,
                     kernel: WarmKernel | None = None) -> NotebookResult:
    """Run one notebook with ``output_dir`` as its output folder; executed copy and HTML in ``notebooks/``.

    On ``kernel`` when given (it gets a fresh namespace first), else on a kernel started for this notebook.
    Writes only inside ``output_dir``. A failure is returned (theme, cell, error), not raised.
    """
    import papermill

    thema = notebook.stem
    start = time.perf_counter()
    executed = output_dir / "notebooks" / f"{thema}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    params = {**parameters, "output_dir": str(output_dir)}
    try:
        engine = {"extra_arguments": list(KERNEL_ARGUMENTS)}  # papermill's own engine: a kernel of its own
        if kernel is not None:
            _register_warm_engine()
            kernel.prepare()
            engine = {"engine_name": WARM_ENGINE, "kernel": kernel}
        result = papermill.execute_notebook(
            str(notebook), str(executed), parameters=params, kernel_name=KERNEL_NAME,
            cwd=str(notebook.parent), progress_bar=False, log_output=False, report_mode=False,
            # written once when it ends (also when a cell fails), not after every cell: a notebook with its
            # figures is megabytes, and the copy in staging is only read when the run is complete
            request_save_on_cell_execute=False, **engine,
        )
    except Exception as error:  # papermill raises PapermillExecutionError and kernel errors
        return NotebookResult(thema, False, time.perf_counter() - start, _failure_message(thema, error))
    try:
        write_html(executed, executed.with_suffix(".html"), result)
    except Exception as error:
        return NotebookResult(thema, False, time.perf_counter() - start,
                              f"{thema}: de HTML-kopie is niet te maken: {type(error).__name__}: {error}")
    return NotebookResult(thema, True, time.perf_counter() - start)


WARM_ENGINE = "analyse-warm"


@functools.cache
def _register_warm_engine() -> None:
    """Register (once per process) the papermill engine that runs a notebook on a :class:`WarmKernel`.

    papermill's own engine starts a kernel for each notebook and shuts it down after. This one is handed the
    worker's kernel (``kernel=``), runs the notebook on that kernel's manager and client, and leaves both
    running for the next notebook. It uses papermill's documented extension API only: an
    :class:`~papermill.engines.Engine` subclass registered with ``papermill_engines.register``, the execution
    manager papermill hands every engine, and papermill's nbclient wrapper
    (:class:`~papermill.clientwrap.PapermillNotebookClient`, which records cell times and stops at the first
    error). nbclient connects a client only when it has none (``kc``): given the kernel's own, it connects
    none and, as it does not own the kernel, leaves kernel and client running (tests/test_runner.py checks
    one kernel and one client for notebook after notebook).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines

    class WarmEngine(Engine):
        # the keywords papermill passes every engine, by name: one it adds in an upgrade fails loudly here
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, kernel, input_path=None, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60, execution_timeout=None):
            client = PapermillNotebookClient(
                nb_man, km=kernel.manager, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logging.getLogger("papermill"), log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = kernel.client()
            return client.execute()

    papermill_engines.register(WARM_ENGINE, WarmEngine)


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
    """One ``python -m analyse.worker`` process: a task in as a JSON line, a result out as a JSON line.

    With ``notebook_dir`` the worker starts its warm kernel there at once (before it gets a task).
    """

    def __init__(self, notebook_dir: Path | None = None):
        self.log = tempfile.TemporaryFile()  # the worker's and its kernels' stderr; read if it dies
        env = {**os.environ, PARENT_VARIABLE: str(os.getpid())}
        command = [sys.executable, "-m", "analyse.worker"] + ([str(notebook_dir)] if notebook_dir else [])
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
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


class WorkerPool:
    """``size`` notebook workers with warm kernels in ``notebook_dir``, started at once (see the module docstring).

    Start it before other work (``analyse run`` validates the data meanwhile), then :meth:`run`. Leaving the
    ``with`` block stops the workers: gracefully after success, at once (workers and kernels killed) after
    an exception, Ctrl+C included.
    """

    def __init__(self, size: int, notebook_dir: Path):
        ensure_kernel()
        self.notebook_dir = Path(notebook_dir)
        self.workers: list[_Worker] = []
        try:
            for _ in range(max(1, size)):
                self.workers.append(_Worker(self.notebook_dir))
        except BaseException:
            self.close(graceful=False)
            raise

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self.close(graceful=kind is None)

    def close(self, graceful: bool = True) -> None:
        workers, self.workers = self.workers, []
        if graceful:  # all of them at once: each shuts its kernel down while the others do the same
            for worker in workers:
                if not worker.busy:
                    try:
                        worker.process.stdin.close()
                    except OSError:
                        pass
        for worker in workers:
            worker.stop(graceful=graceful)

    def run(self, output_dir: Path, themes: list[str], parameters: dict, echo=print,
            order: list[str] | None = None) -> RunResult:
        """Execute ``themes`` into ``output_dir``, one per worker at a time; a progress line as each one ends.

        ``order``: the order to start them in (the longest first keeps every worker busy until the end);
        the results are in the order of ``themes``. The notebooks are independent (each reads
        ``data/processed``). Any exception here (Ctrl+C arrives as :class:`KeyboardInterrupt`) cancels the
        queue and kills the running notebooks before it propagates.
        """
        output_dir = Path(output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        queue = [self.notebook_dir / f"{t}.ipynb" for t in (order or themes)]
        result = RunResult()
        selector = selectors.DefaultSelector()
        finished = False

        def replace_dead(worker: _Worker) -> _Worker:
            if worker.process.poll() is None:
                return worker
            worker.stop(graceful=False)
            fresh = _Worker(self.notebook_dir)
            self.workers[self.workers.index(worker)] = fresh
            return fresh

        try:
            for index in range(min(len(self.workers), len(queue))):
                worker = replace_dead(self.workers[index])
                worker.submit(queue.pop(0), output_dir, parameters)
                selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
            while any(w.busy for w in self.workers):
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
                            worker = replace_dead(worker)
                            selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
                        worker.submit(queue.pop(0), output_dir, parameters)
            finished = True
        finally:
            selector.close()
            if not finished:
                self.close(graceful=False)
        order = {t: i for i, t in enumerate(themes)}
        result.results.sort(key=lambda r: order[r.thema])
        return result
