"""The papermill runner: parameters are injected, failures surface, Ctrl+C stops workers and kernels.

The runner writes into the folder it is given (``analyse run`` gives it its staging folder); that a failing
run leaves the published reports alone is tested through the command line (test_bad_input, test_security).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import nbformat
import pytest

from analyse import runner


def write_notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('eind_jaar = None\noutput_dir = "."\nwaarde = 1')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def run_notebooks(notebook_dir: Path, output_dir: Path, themes: list[str], parameters: dict, jobs: int,
                  echo) -> runner.RunResult:
    """``themes`` executed into ``output_dir`` by a :class:`runner.WorkerPool` of their own, as ``analyse run`` does."""
    with runner.WorkerPool(min(jobs, len(themes)), notebook_dir) as pool:
        return pool.run(output_dir, themes, parameters, echo=echo)


WRITES = """
from pathlib import Path
out = Path(output_dir) / "tables" / "demografie"
out.mkdir(parents=True, exist_ok=True)
(out / "uitkomst.txt").write_text(f"{eind_jaar} {waarde}")
"""


@pytest.fixture
def notebook_dir(tmp_path: Path) -> Path:
    write_notebook(tmp_path / "nb" / "demografie.ipynb", WRITES)
    return tmp_path / "nb"


@pytest.mark.e2e
def test_parameters_are_injected_and_outputs_written_to_the_output_folder(notebook_dir, tmp_path):
    staging = tmp_path / "staging"
    result = run_notebooks(notebook_dir, staging, ["demografie"], {"eind_jaar": 2017, "waarde": 5}, 1,
                                  echo=lambda *_: None)
    assert result.ok
    assert (staging / "tables" / "demografie" / "uitkomst.txt").read_text() == "2017 5"
    executed = nbformat.read(staging / "notebooks" / "demografie.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    html = (staging / "notebooks" / "demografie.html").read_text(encoding="utf-8")
    assert "<html" in html and "eind_jaar = 2017" not in html  # code cells are left out of the HTML
    assert sorted(p.name for p in staging.iterdir()) == ["notebooks", "tables"], "nothing else is written"


@pytest.mark.e2e
def test_failure_names_theme_cell_and_error(notebook_dir, tmp_path):
    write_notebook(notebook_dir / "demografie.ipynb",
                   WRITES + '\nraise ValueError("kapotte berekening")')
    lines: list[str] = []
    result = run_notebooks(notebook_dir, tmp_path / "staging", ["demografie"], {"eind_jaar": 2018}, 1,
                                  echo=lines.append)
    assert not result.ok
    message = result.results[0].message
    assert message.startswith("demografie: fout in cel")
    assert 'raise ValueError("kapotte berekening")' in message and "ValueError: kapotte berekening" in message
    assert "Traceback" not in message
    assert any("MISLUKT" in line for line in lines)


@pytest.mark.e2e
def test_ctrl_c_cancels_the_queue_and_kills_workers_and_kernels(tmp_path):
    """Two slow notebooks on one worker: after Ctrl+C the second never starts, nothing keeps running."""
    import psutil

    for name in ("demografie", "onderwijs"):
        write_notebook(tmp_path / "nb" / f"{name}.ipynb",
                       "import time\nfrom pathlib import Path\n"
                       "(Path(output_dir) / 'gestart').mkdir(exist_ok=True)\n"
                       f"(Path(output_dir) / 'gestart' / '{name}').touch()\ntime.sleep(120)")
    staging = tmp_path / "staging"
    seen: list[psutil.Process] = []

    def interrupt_when_running():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            family = psutil.Process().children(recursive=True)
            if (staging / "gestart").is_dir() and len(family) >= 2:  # worker and its kernel
                seen.extend(family)
                break
            time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_when_running, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        run_notebooks(tmp_path / "nb", staging, ["demografie", "onderwijs"], {}, 1, echo=lambda *_: None)
    stopped = time.monotonic()
    assert seen, "the notebook was running when Ctrl+C came"
    gone, alive = psutil.wait_procs(seen, timeout=5)
    alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
    assert alive == [] and time.monotonic() - stopped < 5
    assert [p.name for p in (staging / "gestart").iterdir()] == ["demografie"], "the queued notebook never ran"


@pytest.mark.e2e
def test_a_warm_kernel_runs_notebook_after_notebook_on_one_kernel_and_one_client(tmp_path):
    """The warm engine (papermill's engine API, nbclient given the kernel's own client): every notebook runs
    in the same kernel process through the one client connected at the start, in a fresh namespace, and the
    kernel is still running afterwards. A papermill or nbclient upgrade that starts a kernel or connects a
    client per notebook fails here."""
    runner.ensure_kernel()
    notebook = write_notebook(tmp_path / "nb" / "demografie.ipynb", (
        "import os\nfrom pathlib import Path\n"
        "Path(output_dir, 'kernel.txt').write_text(f\"{os.getpid()} {'eerder' in dir()}\")\neerder = 1"))
    kernel = runner.WarmKernel(notebook.parent)
    connect = kernel.manager.client
    connections = []
    kernel.manager.client = lambda *args, **kwargs: connections.append(1) or connect(*args, **kwargs)
    try:
        seen = []
        for run in ("a", "b", "c"):
            result = runner.execute_notebook(notebook, tmp_path / run, {}, kernel=kernel)
            assert result.ok, result.message
            seen.append((tmp_path / run / "kernel.txt").read_text())
        assert kernel.alive()
    finally:
        kernel.shutdown()
    assert len(set(seen)) == 1 and seen[0].endswith(" False"), f"one kernel, a fresh namespace each time: {seen}"
    assert len(connections) == 1, f"one client for all three notebooks, not {len(connections)}"


@pytest.mark.e2e
def test_notebooks_run_in_parallel_and_report_in_order(tmp_path):
    for name in ("onderwijs", "demografie"):
        write_notebook(tmp_path / "nb" / f"{name}.ipynb", "x = 1")
    result = run_notebooks(tmp_path / "nb", tmp_path / "reports", ["demografie", "onderwijs"], {}, 2,
                                  echo=lambda *_: None)
    assert [r.thema for r in result.results] == ["demografie", "onderwijs"] and result.ok


def test_available_notebooks_in_report_order(tmp_path):
    for name in ("monitor", "onderwijs", "demografie"):
        write_notebook(tmp_path / f"{name}.ipynb", "x = 1")
    assert runner.available_notebooks(tmp_path) == ["demografie", "onderwijs", "monitor"]
