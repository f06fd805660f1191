"""One run at a time, staged, published in one step; leftovers of killed runs are finished or removed."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analyse import publish

HOLD = """
import sys, time
from pathlib import Path
from analyse import publish
lock = publish.RunLock(Path(sys.argv[1]), command="analyse run --thema demografie").acquire()
print("vast", flush=True)
time.sleep(120)
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def current_set(reports: Path, label: str) -> None:
    for thema in ("demografie", "onderwijs"):
        for kind in ("figures", "tables"):
            (reports / kind / thema).mkdir(parents=True, exist_ok=True)
            (reports / kind / thema / "a.csv").write_text(f"{label} {thema}\n", encoding="utf-8")
        (reports / "notebooks").mkdir(exist_ok=True)
        (reports / "notebooks" / f"{thema}.html").write_text(f"{label} {thema}\n", encoding="utf-8")
    for name in ("trends.csv", "index.html", "tabellen.xlsx"):
        (reports / name).write_text(f"{label}\n", encoding="utf-8")


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock of ``tmp_path/reports``."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "reports")], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "vast"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def test_a_second_run_is_refused_naming_the_first(holder, tmp_path):
    with pytest.raises(publish.RunLocked) as caught:
        publish.RunLock(tmp_path / "reports").acquire()
    message = str(caught.value)
    assert f"PID {holder.pid} op {socket.gethostname()}" in message and "analyse run --thema demografie" in message
    assert f"kill {holder.pid}" in message and "\n" not in message


def test_a_lock_left_by_a_killed_run_is_taken_over(holder, tmp_path):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    left = json.loads((tmp_path / "reports" / ".lock").read_text(encoding="utf-8"))
    assert left["pid"] == holder.pid, "kill -9 leaves the lock file behind"
    with publish.RunLock(tmp_path / "reports") as lock:
        assert lock.stale["pid"] == holder.pid
        assert "is niet afgerond; het slot is overgenomen" in publish.describe_stale(lock.stale)
        assert json.loads((tmp_path / "reports" / ".lock").read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert not (tmp_path / "reports" / ".lock").exists(), "a run that ends removes its lock file"
    with publish.RunLock(tmp_path / "reports") as lock:
        assert lock.stale is None


def test_publish_replaces_the_whole_set_and_leaves_the_rest_alone(tmp_path):
    reports = tmp_path / "reports"
    current_set(reports, "oud")
    (reports / "interactief" / "tables").mkdir(parents=True)
    (reports / "interactief" / "tables" / "x.csv").write_text("kladwerk\n", encoding="utf-8")
    (reports / "benchmark.json").write_text("{}\n", encoding="utf-8")
    (reports / "monitor.csv").write_text("oud en niet meer in de nieuwe set\n", encoding="utf-8")
    umask = os.umask(0o022)
    try:
        with publish.Staging(reports) as staging:
            assert stat.S_IMODE(staging.stat().st_mode) == 0o700
            current_set(staging, "nieuw")
            os.chmod(staging / "tables" / "demografie" / "a.csv", 0o600)
            publish.publish(staging, reports)
    finally:
        os.umask(umask)
    now = tree(reports)
    assert now["trends.csv"] == b"nieuw\n" and now["tables/onderwijs/a.csv"] == b"nieuw onderwijs\n"
    assert "monitor.csv" not in now, "an entry the new set does not have is not kept from the old one"
    assert now["interactief/tables/x.csv"] == b"kladwerk\n" and now["benchmark.json"] == b"{}\n"
    assert sorted(p.name for p in reports.iterdir() if p.name.startswith(".")) == []
    for path in reports.rglob("*"):
        if "interactief" not in path.parts and path.name != "benchmark.json":
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_a_failed_step_leaves_the_current_set_byte_identical(tmp_path):
    reports = tmp_path / "reports"
    current_set(reports, "oud")
    before = tree(reports)
    with pytest.raises(RuntimeError):
        with publish.Staging(reports) as staging:
            current_set(staging, "nieuw")
            raise RuntimeError("export mislukt")
    assert tree(reports) == before and not list(reports.glob(".run-*"))


def test_an_interrupted_publication_is_completed_by_the_next_run(tmp_path):
    """kill -9 between the renames: the journal lets the next run finish what was complete."""
    reports = tmp_path / "reports"
    current_set(reports, "oud")
    staging = reports / ".run-20260101-120000-1-abc"
    current_set(staging, "nieuw")
    (staging / publish.JOURNAL).write_text(json.dumps({"nieuw": ["notebooks", "figures", "tables", "trends.csv",
                                                                 "index.html", "tabellen.xlsx"], "weg": []}))
    old = reports / ".old-20260101-120000-1-abc"
    old.mkdir()
    os.rename(reports / "tables", old / "tables")  # half-way: tables moved out, the new ones not yet in
    os.rename(reports / "figures", old / "figures")
    os.rename(staging / "figures", reports / "figures")
    done = publish.clean_leftovers(reports)
    assert done and "afgemaakt" in done[0]
    current_set(tmp_path / "verwacht", "nieuw")
    assert tree(reports) == tree(tmp_path / "verwacht")
    assert not any(p.name.startswith(".") for p in reports.iterdir())


def test_leftovers_of_killed_runs_are_removed(tmp_path):
    reports = tmp_path / "reports"
    current_set(reports, "oud")
    before = tree(reports)
    for name in (".run-20260101-1-x/tables/demografie", ".old-20260101-1-x/notebooks", "figures/.old-demografie"):
        (reports / name).mkdir(parents=True)
        (reports / name / "f").write_text("rest\n", encoding="utf-8")
    (reports / ".index.html.abc.tmp").write_text("half\n", encoding="utf-8")
    done = publish.clean_leftovers(reports)
    assert len(done) == 4 and tree(reports) == before


def test_copy_current_brings_the_other_themes_and_the_figure_cache(tmp_path):
    reports = tmp_path / "reports"
    current_set(reports, "oud")
    staging = tmp_path / "staging"
    publish.copy_current(reports, staging, keep=["onderwijs"], cache=["demografie"])
    copied = tree(staging)
    assert copied == {"notebooks/onderwijs.html": b"oud onderwijs\n", "figures/onderwijs/a.csv": b"oud onderwijs\n",
                      "tables/onderwijs/a.csv": b"oud onderwijs\n", "figures/demografie/a.csv": b"oud demografie\n"}


def test_copy_current_leaves_out_what_was_changed_by_hand(tmp_path):
    reports = tmp_path / "reports"
    current_set(reports, "oud")
    (reports / "figures" / "demografie" / "b.png").write_text("met de hand\n", encoding="utf-8")
    staging = tmp_path / "staging"
    publish.copy_current(reports, staging, keep=["onderwijs"], cache=["demografie"],
                         leave_out=["figures/demografie/b.png", "notebooks/onderwijs.html", "tables/onderwijs/a.csv"])
    assert tree(staging) == {"figures/onderwijs/a.csv": b"oud onderwijs\n",
                             "figures/demografie/a.csv": b"oud demografie\n"}


def test_signals_raise_interrupted_and_wait_during_publishing():
    with publish.stop_on_signals():
        publish.defer_signals()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
        assert publish.pending_signal() == signal.SIGTERM
    assert publish.pending_signal() is None
    with publish.stop_on_signals():
        with pytest.raises(publish.Interrupted) as caught:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        assert caught.value.signum == signal.SIGINT and isinstance(caught.value, KeyboardInterrupt)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
