"""Working in JupyterLab: the project kernel, paths from the project root, `make lab`.

The notebooks are run the way JupyterLab runs them: a kernel started from its kernelspec by
jupyter_client, in a working directory of its own, told which notebook it belongs to through
``JPY_SESSION_NAME`` (what jupyter_server sets), with the notebook's default parameters.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from analyse import context, data, parameters, runner
from conftest import ROOT, copy_project

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
CAPTION = re.compile(r"<figcaption[^>]*><b>Zo leest u deze figuur\.</b> (.*?)</figcaption>", re.S)


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def kernel_env(**extra: str) -> dict[str, str]:
    """The environment of this test process without the variables that would decide the root for us."""
    env = {k: v for k, v in os.environ.items() if k not in (data.ROOT_VARIABLE, "JPY_SESSION_NAME")}
    return {**env, **extra}


# ------------------------------------------------------------------ the kernel and its metadata

@pytest.mark.parametrize("thema", NOTEBOOKS)
def test_every_notebook_names_the_project_kernel_and_resolves_its_own_paths(thema):
    nb = nbformat.read(ROOT / "notebooks" / f"{thema}.ipynb", as_version=4)
    assert nb.metadata.kernelspec.name == runner.KERNEL_NAME
    params = parameters.declared(ROOT / "notebooks" / f"{thema}.ipynb")
    assert params["data_dir"] is None and params["output_dir"] is None
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def test_the_kernel_is_registered_for_this_python():
    from jupyter_client.kernelspec import KernelSpecManager

    folder = runner.ensure_kernel()
    spec = KernelSpecManager().get_kernel_spec(runner.KERNEL_NAME)
    assert Path(spec.resource_dir) == folder
    assert os.path.samefile(Path(spec.argv[0]).parent, Path(sys.executable).parent)
    assert spec.display_name == runner.KERNEL_DISPLAY_NAME


def test_a_kernel_of_that_name_for_another_python_is_refused(tmp_path, monkeypatch):
    other = tmp_path / "jupyter" / "kernels" / runner.KERNEL_NAME
    other.mkdir(parents=True)
    (other / "kernel.json").write_text(json.dumps({
        "argv": ["/opt/elders/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (elders)", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # searched before the environment's own
    with pytest.raises(data.AnalyseError, match=r"start /opt/elders/bin/python.*jupyter kernelspec remove "
                                                r"integratie-analyse"):
        runner.ensure_kernel()


# ------------------------------------------------------------------ the project root

@pytest.fixture
def copy_root(tmp_path) -> Path:
    root = tmp_path / "kopie"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "notebooks").mkdir()
    return root


def test_root_from_the_notebook_jupyterlab_opened(copy_root, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    monkeypatch.delenv(data.ROOT_VARIABLE, raising=False)
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("JPY_SESSION_NAME", str(copy_root / "notebooks" / "onderwijs.ipynb"))
    assert data.project_root() == copy_root.resolve()


def test_root_from_a_working_directory_inside_the_project(copy_root, monkeypatch):
    monkeypatch.delenv(data.ROOT_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(copy_root / "notebooks")
    assert data.project_root() == copy_root.resolve()


def test_the_environment_variable_wins(copy_root, monkeypatch):
    monkeypatch.setenv(data.ROOT_VARIABLE, str(copy_root))
    monkeypatch.setenv("JPY_SESSION_NAME", str(ROOT / "notebooks" / "onderwijs.ipynb"))
    assert data.project_root() == copy_root.resolve()


def test_root_from_the_installed_package_when_nothing_else_tells(tmp_path, monkeypatch):
    if not Path(data.__file__).resolve().is_relative_to(ROOT / "src"):
        pytest.skip("the package is not installed from this checkout (pip install -e .)")
    monkeypatch.delenv(data.ROOT_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    assert data.project_root() == ROOT


def test_no_root_found_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv(data.ROOT_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(data, "__file__", str(tmp_path / "site-packages" / "analyse" / "data.py"))
    with pytest.raises(data.ParameterError, match=r"geen projectmap gevonden boven .*ANALYSE_ROOT="):
        data.project_root()


# ------------------------------------------------------------------ a notebook in a JupyterLab-like kernel

LAB_THEME = "basisvaardigheden"  # a small theme with figures: how the kernel finds the project is shared code


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's data and notebooks, as a fresh clone has them (no processed table, no reports)."""
    root = copy_project(tmp_path_factory.mktemp("lab") / "integratie-analyse")
    runner.ensure_kernel()
    return root


def assert_figures_shown_with_guidance(nb, saved: dict) -> None:
    """Every figure the notebook made is shown, with its reading guidance of one or two sentences under it."""
    captions = [html for cell in nb.cells for out in cell.get("outputs", [])
                for html in CAPTION.findall(out.get("data", {}).get("text/html", ""))]
    assert len(captions) == len(saved["figures"])
    for caption, figure in zip(captions, saved["figures"]):
        assert caption == html.escape(figure["guidance"])
        # one or two sentences of guidance, plus a note when the small-numbers rule hid a value
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", caption)) <= 3, caption


@pytest.mark.e2e
def test_notebook_runs_top_to_bottom_in_a_kernel_started_elsewhere(project, tmp_path):
    thema = LAB_THEME
    notebook = project / "notebooks" / f"{thema}.ipynb"
    elsewhere = tmp_path / "waar-jupyterlab-startte"
    elsewhere.mkdir()
    raw_before = tree_hashes(project / "data" / "raw")
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, kernel_name=nb.metadata.kernelspec.name, timeout=600,
                            resources={"metadata": {"path": str(elsewhere)}})
    client.execute(env=kernel_env(JPY_SESSION_NAME=str(notebook)))

    assert list(elsewhere.iterdir()) == [], "nothing may be written relative to the working directory"
    assert tree_hashes(project / "data" / "raw") == raw_before
    assert (project / "data" / "processed" / data.PROCESSED_FILE).is_file()
    assert [p.name for p in (project / "reports").iterdir()] == ["interactief"]
    scratch = project / "reports" / "interactief"
    saved = json.loads((scratch / "tables" / thema / "kerncijfers.json").read_text(encoding="utf-8"))
    assert saved["figures"]
    for figure in saved["figures"]:
        assert (scratch / figure["png"]).is_file() and (scratch / figure["svg"]).is_file()
    assert_figures_shown_with_guidance(nb, saved)
    shown = "".join(out.get("data", {}).get(kind, "") for cell in nb.cells for out in cell.get("outputs", [])
                    for kind in ("text/markdown", "text/html"))
    assert "reports/interactief/" in shown


@pytest.mark.parametrize("thema", NOTEBOOKS)
def test_every_executed_notebook_shows_its_figures_with_guidance(shipped_run, thema):
    """The same check on every notebook as `analyse run` executed it (the session's run)."""
    nb = nbformat.read(shipped_run.reports / "notebooks" / f"{thema}.ipynb", as_version=4)
    saved = json.loads((shipped_run.reports / "tables" / thema / "kerncijfers.json").read_text(encoding="utf-8"))
    assert_figures_shown_with_guidance(nb, saved)
    shown = "".join(out.get("data", {}).get(kind, "") for cell in nb.cells for out in cell.get("outputs", [])
                    for kind in ("text/markdown", "text/html"))
    assert "reports/interactief/" not in shown, "analyse run does not write to the scratch folder"


# ------------------------------------------------------------------ make lab

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def _wait(condition, seconds: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process ended with {process.returncode}:\n{process.stdout.read()}")
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {seconds} s")


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def _execute_over_websocket(host: str, token: str, kernel_id: str, code: str) -> tuple[str, str]:
    """Send one execute_request over /api/kernels/<id>/channels; return the reply status and printed text."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    socket_ = await websocket_connect(HTTPRequest(
        f"ws://{host}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}",
        headers={"Authorization": f"token {token}"}))
    msg_id = uuid.uuid4().hex
    socket_.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "toets", "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False}}))
    printed, status, idle = [], None, False
    try:
        while status is None or not idle:  # the reply (shell) and the last output (iopub) in either order
            message = json.loads(await asyncio.wait_for(socket_.read_message(), 60))
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            elif message["msg_type"] == "execute_reply":
                status = message["content"]["status"]
            elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                idle = True
        return status, "".join(printed)
    finally:
        socket_.close()


@pytest.mark.e2e
def test_make_lab_serves_the_notebooks_with_the_project_kernel_and_stops_cleanly(tmp_path):
    port, token = _free_port(), "toets-token"
    options = f"--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    in_project_venv = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()
    # under `make test` (and CI) this is the project's .venv: then `make lab` itself is started
    command = (["make", "--no-print-directory", "lab", f"LAB_ARGS={options}"] if in_project_venv and shutil.which("make")
               else [sys.executable, "-m", "analyse.cli", "lab", *options.split()])
    runtime = tmp_path / "runtime"
    env = kernel_env(JUPYTER_RUNTIME_DIR=str(runtime), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                     JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _answers(port) and _get(f"{base}/api/contents/notebooks", token)[0] == 200, 120,
              "JupyterLab answers on localhost", process)
        status, body = _get(f"{base}/api/contents/notebooks", token)
        listed = {item["name"] for item in json.loads(body)["content"] if item["type"] == "notebook"}
        assert listed == {f"{name}.ipynb" for name in NOTEBOOKS}

        status, body = _get(f"{base}/api/kernelspecs", token)
        specs = json.loads(body)
        assert specs["default"] == runner.KERNEL_NAME
        argv = specs["kernelspecs"][runner.KERNEL_NAME]["spec"]["argv"]
        assert os.path.samefile(Path(argv[0]).parent, Path(sys.executable).parent)

        status, body = _get(f"{base}/lab", token)
        assert status == 200 and b"JupyterLab" in body

        # open a notebook as JupyterLab does: a session with the notebook's kernel, in notebooks/
        status, session = _post(f"{base}/api/sessions", token, {
            "path": "notebooks/demografie.ipynb", "name": "demografie.ipynb", "type": "notebook",
            "kernel": {"name": runner.KERNEL_NAME}})
        assert status == 201 and session["kernel"]["name"] == runner.KERNEL_NAME
        assert any(runtime.glob(f"kernel-{session['kernel']['id']}.json"))
        # run code in it over the server's websocket, as the JupyterLab front end does
        status, printed = asyncio.run(_execute_over_websocket(
            f"127.0.0.1:{port}", token, session["kernel"]["id"],
            "import os; from analyse import data; print(os.getcwd()); print(data.project_root())"))
        assert status == "ok"
        assert printed.split() == [str(ROOT / "notebooks"), str(ROOT)]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    _wait(lambda: not _answers(port), 30, "the port is released")
    # a clean stop shuts the kernel down and removes the server's and the kernel's runtime files
    _wait(lambda: not any(runtime.glob("jpserver-*")) and not any(runtime.glob("kernel-*.json")), 30,
          "runtime files removed")
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    assert "Shutting down" in output and "Traceback" not in output, output


def test_readme_shows_a_figure_that_is_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Voor onderzoekers"):]
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", section)
    assert images, "the researchers' section shows one typical figure"
    for image in images:
        assert (ROOT / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for command in ("make report", "make test", "make lab", "reports/interactief/", "reproductie.csv",
                    "monitor.csv", "Een jaar", "Een bron", "Een thema"):
        assert command in section, command


@pytest.mark.parametrize("thema", NOTEBOOKS)
def test_notebook_introduces_itself_and_its_example_command_is_accepted(thema, shipped_dataset):
    """The opening cells are for a policy reader; the example in the parameter explanation really runs."""
    import shlex

    from analyse.cli import _parser

    nb = nbformat.read(ROOT / "notebooks" / f"{thema}.ipynb", as_version=4)
    nbformat.validate(nb)
    tagged = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    intro = "\n".join(c.source for c in nb.cells[:tagged] if c.cell_type == "markdown")
    assert nb.cells[0].source.startswith("# ") and "**Bronnen.**" in intro and "## Zo leest u dit notebook" in intro
    explained = nb.cells[tagged - 1].source
    assert explained.startswith("## Parameters")
    for name in parameters.declared(ROOT / "notebooks" / f"{thema}.ipynb"):
        assert f"`{name}`" in explained, name
    example = re.search(r"`(analyse run [^`]*)`", explained).group(1)
    args, _ = _parser().parse_known_args(shlex.split(example)[1:])
    given = dict(args.parameter)
    if args.eind_jaar is not None:
        given["eind_jaar"] = args.eind_jaar
    assert args.thema == [thema] and given
    context.resolve(thema, shipped_dataset, **given, root=ROOT)
