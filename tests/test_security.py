"""Issue 15 through the command line, in a copy of the project: refused or harmless, one line, nothing lost.

Every case runs ``analyse`` as a separate process (``python -m analyse.cli``) and checks: the exit code,
one Dutch line and no traceback, ``data/raw`` unchanged and the last complete reports byte for byte as they
were. The refused cases (``slow``: a process each) stop before any notebook starts. The ``e2e`` ones start
from the session's complete run (conftest.shipped_run), checked as published, and then share one copy of
that project: Ctrl+C, ``kill -9``, the next run of one small theme (stale lock, leftovers, a partial run that
still publishes a complete set) and a failing export.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pandas as pd
import pytest

from analyse import pipeline, publish
from conftest import REPORTS, copy_shipped_run

SMALL_THEME = "basisvaardigheden"
# a value of SMALL_THEME that its overview table shows (as 250.0); the slow tests change it to 251
CHANGED_FILE, CHANGED_ROW = "beleidsvisie_2019.csv", "inburgeringsplichtigen,Maassluis,totaal,2018,250,"


def tree_hashes(folder: Path, skip_hidden: bool = False) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()
            and not (skip_hidden and any(part.startswith(".") for part in p.relative_to(folder).parts[:2]))}


def env(root: Path) -> dict[str, str]:
    return {**os.environ, "ANALYSE_ROOT": str(root), "PYTHONUNBUFFERED": "1"}


def analyse(root: Path, *args: str, timeout: float = 600, **kwargs) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "analyse.cli", *args], cwd=root, env=env(root),
                          capture_output=True, text=True, timeout=timeout, **kwargs)
    return done.returncode, done.stdout + done.stderr


def start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analyse.cli", *args], cwd=root, env=env(root),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def assert_one_line_error(code: int, output: str, *fragments: str) -> None:
    assert code != 0, output
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Fout:")]
    assert len(errors) == 1, output
    for fragment in fragments:
        assert fragment in errors[0], (fragment, output)


# --------------------------------------------------------------------------- fast: refused before any notebook

@pytest.fixture
def project(shipped_copy: Path) -> Path:
    """A project copy with a (pretend) complete set of reports from an earlier run."""
    reports = shipped_copy / REPORTS
    for name in ("tables/demografie/overzicht.csv", "notebooks/demografie.html", "trends.csv", "index.html"):
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        (reports / name).write_text(f"vorige run: {name}\n", encoding="utf-8")
    return shipped_copy


@pytest.fixture
def unchanged(project: Path):
    raw, reports = tree_hashes(project / "data" / "raw"), tree_hashes(project / "reports")
    yield
    assert tree_hashes(project / "data" / "raw") == raw, "data/raw was changed"
    assert tree_hashes(project / "reports") == reports, "the last complete reports were changed"
    assert not [p.name for p in (project / REPORTS).iterdir() if p.name.startswith(".")]


@pytest.mark.slow
@pytest.mark.parametrize("args, fragments", [
    (["-p", "__import__('os').system('touch gehackt');x=1"],
     ["onbekende parameter", "toegestaan: regio, vergelijk_regios, start_jaar, eind_jaar"]),
    (["-p", "data_dir=/tmp"], ["'data_dir' zet `analyse run` zelf"]),
    (["-p", "output_dir=/tmp/elders"], ["'output_dir' zet `analyse run` zelf"]),
    (["-p", "vergelijk_regios=Schiedam"], ["'vergelijk_regios': verwacht een lijst van namen", "'Schiedam'"]),
    (["-p", "vergelijk_regios=5"], ["'vergelijk_regios': verwacht een lijst", "gekregen: 5"]),
    (["-p", "onbekend=1"], ["onbekende parameter 'onbekend' in notebook werkvloer"]),
    (["-p", "start_jaar=twintig"], ["'start_jaar': verwacht een jaartal", "'twintig'"]),
    (["--eind-jaar", "2019²"], ["--eind-jaar: '2019²' is geen jaartal"]),
    (["--jobs", "0"], ["--jobs: '0' is geen aantal"]),
    (["-p", "regio"], ["heeft de vorm NAAM=WAARDE"]),
])
def test_bad_parameters_are_refused_with_one_line(project, unchanged, args, fragments):
    code, output = analyse(project, "run", "--thema", "werkvloer", *args)
    assert_one_line_error(code, output, *fragments)
    assert not list(project.rglob("gehackt"))
    assert not (project / "data" / "processed" / "waarnemingen.csv").exists(), "refused before anything ran"


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(project, unchanged):
    """``analyse validate | head``: the reader is gone before anything is written."""
    process = subprocess.Popen([sys.executable, "-m", "analyse.cli", "validate"], cwd=project, env=env(project),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 0 and error == ""


def _small_files(limit: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.slow
def test_a_write_error_gives_one_line_naming_the_step_and_file(project, unchanged):
    """Files may not grow past 64 kB (like a full disk for the 190 kB processed table)."""
    code, output = analyse(project, "run", "--thema", "werkvloer", preexec_fn=_small_files(64 * 1024))
    assert_one_line_error(code, output, "stap 'data valideren' mislukt: het bestand is te groot",
                          "waarnemingen.csv", "er is niets gepubliceerd")
    assert not list((project / "data" / "processed").iterdir()), "no half-written table"


def test_system_errors_are_described_in_dutch():
    full = OSError(errno.ENOSPC, "No space left on device", "reports/.run-x/tabellen.xlsx")
    assert pipeline.describe_os_error(full) == "de schijf is vol (reports/.run-x/tabellen.xlsx) [ENOSPC]"
    assert pipeline.describe_os_error(PermissionError(errno.EACCES, "x", "a")) == "geen toestemming (a) [EACCES]"


@pytest.mark.slow
def test_a_busy_project_is_refused_naming_the_other_run(project, unchanged):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
                               "from analyse import publish\npublish.RunLock(Path(sys.argv[1])).acquire()\n"
                               "print('vast', flush=True)\ntime.sleep(120)", str(project / "reports")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "vast"
        code, output = analyse(project, "run", "--thema", "werkvloer")
        assert_one_line_error(code, output, "er loopt al een run in dit project", f"PID {holder.pid}")
    finally:
        holder.kill()
        holder.wait()
    (project / "reports" / ".lock").unlink()  # left by the kill -9 above; the slow tests cover taking it over


@pytest.mark.slow
def test_a_stale_lock_and_leftovers_are_taken_over_and_cleaned(project):
    reports = project / REPORTS
    before = tree_hashes(reports)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (project / "reports" / ".lock").write_text(
        json.dumps({"pid": dead.pid, "host": "vm", "gestart": "2026-01-01T12:00:00"}))
    (reports / ".run-20260101-120000-1-x" / "tables").mkdir(parents=True)
    (reports / ".old-20260101-120000-1-x").mkdir()
    (project / "reports" / ".run-20251231-120000-1-y").mkdir()  # the flat layout of earlier versions
    (project / "data" / "raw" / "kapot.csv").write_text("indicator\n", encoding="utf-8")  # stops after the lock
    code, output = analyse(project, "run", "--thema", "werkvloer")
    assert code != 0 and "Traceback" not in output
    assert f"een eerdere run (PID {dead.pid} op vm, gestart 2026-01-01 12:00:00) is niet afgerond" in output
    assert ".run-20260101-120000-1-x opgeruimd" in output and ".run-20251231-120000-1-y opgeruimd" in output
    assert "kapot.csv" in output
    assert tree_hashes(reports) == before and sorted(p.name for p in reports.iterdir()) == [
        "index.html", "notebooks", "tables", "trends.csv"]


# --------------------------------------------------------------------------- slow: real runs

@pytest.fixture(scope="module")
def small_project(shipped_run, tmp_path_factory) -> dict:
    """A copy of the project after the session's complete run; the hashes of that complete set."""
    root = copy_shipped_run(shipped_run, tmp_path_factory.mktemp("beveiliging") / "project")
    (root / "reports" / "interactief").mkdir(parents=True)
    (root / "reports" / "interactief" / "klad.txt").write_text("van JupyterLab\n", encoding="utf-8")
    return {"root": root, "complete": tree_hashes(root / "reports")}


def change_value(root: Path) -> None:
    path = root / "data" / "raw" / CHANGED_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(CHANGED_ROW) == 1
    path.write_text(text.replace(CHANGED_ROW, CHANGED_ROW.replace(",250,", ",251,")), encoding="utf-8")


def wait_for_kernel(process: subprocess.Popen, root: Path, timeout: float = 120) -> list[psutil.Process]:
    """The run's processes once a notebook is executing on a kernel.

    The kernels start early (while the data is validated): a notebook is executing once its worker has made
    the notebooks folder in the run's staging folder.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        family = psutil.Process(process.pid).children(recursive=True)
        kernel = any("ipykernel" in " ".join(p.cmdline()) for p in family if p.is_running())
        if kernel and list((root / REPORTS).glob(".run-*/notebooks")):
            time.sleep(1.0)
            return psutil.Process(process.pid).children(recursive=True)
        time.sleep(0.2)
    raise AssertionError("no notebook started")


def assert_all_gone(processes: list[psutil.Process], timeout: float = 5) -> None:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert alive == [], [" ".join(p.cmdline()) for p in alive]


def test_first_run_publishes_readable_offline_reports(shipped_run):
    reports, output = shipped_run.reports, shipped_run.output
    assert shipped_run.returncode == 0, output
    themes = sorted(p.stem for p in (shipped_run.root / "notebooks").glob("*.ipynb"))
    assert f"[1/{len(themes)}]" in output and f"Klaar: {len(themes)} notebooks uitgevoerd" in output
    assert {"tabellen.xlsx", "beleidsnota.docx", "index.html", "trends.csv", "monitor.csv", "reproductie.csv",
            f"tables/{SMALL_THEME}/overzicht.csv", "notebooks/monitor.html"} <= set(tree_hashes(reports))
    assert not [p.name for p in reports.iterdir() if p.name.startswith(".")]
    for path in [reports, *reports.rglob("*"), *(shipped_run.root / "data" / "processed").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, f"{path} is not readable by others"
        assert not path.is_dir() or stat.S_IMODE(path.stat().st_mode) & 0o011 == 0o011, path
    for page in (reports / "notebooks").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "cdnjs" not in text and "data:image/png" in text, page


@pytest.mark.e2e
def test_ctrl_c_stops_within_seconds_and_publishes_nothing(small_project):
    root = small_project["root"]
    change_value(root)
    raw = tree_hashes(root / "data" / "raw")
    run = start(root, "run", "--jobs", "1")
    family = wait_for_kernel(run, root)
    run.send_signal(signal.SIGINT)
    sent = time.monotonic()
    output, _ = run.communicate(timeout=30)
    assert time.monotonic() - sent < 10, "stopped within a few seconds"
    assert run.returncode != 0 and "Traceback" not in output, output
    assert output.rstrip().splitlines()[-1] == ("Afgebroken: er is niets gepubliceerd; de rapporten van de "
                                                "vorige run staan er nog.")
    assert "[2/" not in output, "the queued notebooks did not run"
    assert_all_gone(family)
    assert tree_hashes(root / "reports") == small_project["complete"], "nothing new was published"
    assert tree_hashes(root / "data" / "raw") == raw


@pytest.mark.e2e
def test_kill_9_leaves_no_process_that_publishes(small_project):
    root = small_project["root"]
    run = start(root, "run", "--jobs", "2")
    family = wait_for_kernel(run, root)
    run.kill()
    run.wait()
    assert_all_gone(family)
    time.sleep(1)  # a worker that survived would publish now
    assert tree_hashes(root / "reports", skip_hidden=True) == small_project["complete"]
    assert json.loads((root / "reports" / ".lock").read_text(encoding="utf-8"))["pid"] == run.pid
    assert list((root / REPORTS).glob(".run-*")), "the killed run's staging folder is left for the next run"


@pytest.mark.e2e
def test_next_run_takes_over_cleans_up_and_publishes_a_complete_set(small_project):
    """After Ctrl+C and kill -9: a run of one theme; the other theme's outputs come along unchanged."""
    root = small_project["root"]
    reports = root / REPORTS
    code, output = analyse(root, "run", "--thema", SMALL_THEME)
    assert code == 0, output
    assert "het slot is overgenomen" in output and "opgeruimd" in output
    assert not [p.name for p in reports.iterdir() if p.name.startswith(".")], "no .run-* or .old-* left"
    assert not [p.name for p in reports.parent.iterdir() if p.name.startswith(".")], "no lock left"
    now = tree_hashes(reports.parent)
    overview = pd.read_csv(reports / "tables" / SMALL_THEME / "overzicht.csv")
    assert overview.loc[overview["indicator"] == "inburgeringsplichtigen", "waarde_tot"].tolist() == [251.0]
    monitor = {k for k in small_project["complete"]
               if "monitor" in Path(k).parts or k.startswith(f"{REPORTS.name}/notebooks/monitor")}
    assert monitor and {k: now[k] for k in monitor} == {k: small_project["complete"][k] for k in monitor}
    assert set(now) == set(small_project["complete"]), "the same complete set of files"
    trends = (reports / "trends.csv").read_text(encoding="utf-8")
    assert trends.count("\n") > 1 and (reports / "monitor.csv").read_bytes() == (
        reports / "tables" / "monitor" / "monitor.csv").read_bytes()
    assert (reports.parent / "interactief" / "klad.txt").read_text(encoding="utf-8") == "van JupyterLab\n"
    small_project["complete"] = now


@pytest.mark.e2e
def test_a_failing_export_leaves_the_reports_byte_identical(small_project, monkeypatch, capsys):
    from analyse import export
    from analyse.cli import main

    root = small_project["root"]
    before = tree_hashes(root / "reports")

    def full_disk(reports_dir, **options):
        (Path(reports_dir) / "tabellen.xlsx").write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device", str(Path(reports_dir) / "beleidsnota.docx"))

    monkeypatch.setattr(export, "export_all", full_disk)
    monkeypatch.setenv("ANALYSE_ROOT", str(root))
    code = main(["run", "--thema", SMALL_THEME, "--jobs", "1", "--opnieuw"])  # nothing changed: run anyway
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert_one_line_error(code, output, "stap 'publicatiebestanden maken' mislukt: de schijf is vol",
                          "beleidsnota.docx", "er is niets gepubliceerd")
    assert "[1/1]" in output and "klaar" in output, "the notebook itself succeeded"
    assert tree_hashes(root / "reports") == before
    assert not [p.name for p in (root / REPORTS).iterdir() if p.name.startswith(".")]
    assert publish.clean_leftovers(root / REPORTS) == []
