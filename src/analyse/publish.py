"""All or nothing: one run at a time, everything staged, published in one step.

Layout inside ``reports/`` while ``analyse run`` works::

    reports/.lock            the run that holds the project: PID, host, start time, command (JSON)
    reports/.run-<id>/       staging: the complete new set of reports is built here
    reports/.old-<id>/       the previous set, for the moment of publishing only
    reports/interactief/     JupyterLab's scratch output: never read, moved or removed by a run

**Lock.** :class:`RunLock` holds an exclusive ``flock`` on ``reports/.lock``. The operating system
releases it when the process ends in any way (also ``kill -9``), so a lock file left by a killed run is
recognised as stale (nobody holds the lock, its PID is gone) and taken over; a live run is named in the
refusal. The lock file is removed when the run ends normally.

**Staging.** A run builds the *complete* set in ``.run-<id>/``: for themes that are not run this time
(``--thema``) their current notebooks, figures and tables are copied in first; the themes that run get
their previous figures as figure cache (figures as hard links: no bytes copied, and a figure is removed
before it is drawn again, never written through; none with ``--opnieuw``, and never a file changed by
hand); then the notebooks write their outputs there, and the run-wide CSVs and the exports (workbook, Word
note, start page) are built from what is in staging. Workers and kernels only ever write into staging.

**Publishing** (:func:`publish`), only when every step succeeded: the staged entries get the normal file
modes, a journal ``.run-<id>/.publiceren`` listing the entries is written and synced, and then per entry
(``notebooks/``, ``figures/``, ``tables/``, the CSVs and the exports: :data:`PUBLISHED`) two renames
within ``reports/``: the current entry to ``.old-<id>/``, the staged one into place. Every rename is atomic
and all of them together take milliseconds; from the journal on, a stop signal is noted but no longer acted
on (the run is complete and ends normally).
Finally ``.old-<id>`` and the staging folder are removed. A crash in the middle of those renames (power
loss, ``kill -9``) leaves the journal: the next run completes the publication from it (the staged set was
complete), so ``reports/`` never stays a mix of two runs. A web server reading ``reports/`` during the
few milliseconds of renaming can still see one entry of each. The renames are not ``fsync``-ed file by
file: after a power failure the files of the newest run may need a new ``analyse run``.

**Leftovers.** A run that ends in any other way leaves no ``.run-*``; a killed run's ``.run-*`` and
``.old-*`` (and the ``.old-<thema>`` folders of the per-theme publishing of earlier versions) are removed
by the next run after it holds the lock (:func:`clean_leftovers`).
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from analyse.data import AnalyseError
from analyse.files import dir_mode, file_mode, make_readable

LOCK_FILE = ".lock"
STAGING_PREFIX = ".run-"
OLD_PREFIX = ".old-"
JOURNAL = ".publiceren"
# the entries of reports/ that make up one complete set, published together
PUBLISHED = ("notebooks", "figures", "tables", "trends.csv", "reproductie.csv", "monitor.csv", "manifest.json",
             "tabellen.xlsx", "beleidsnota.docx", "beleidsnota.pdf", "technisch-rapport.docx",
             "technisch-rapport.pdf", "index.html")
# per theme, what a run copies from the current set into staging when the theme itself is not run
THEME_PARTS = ("notebooks/{t}.ipynb", "notebooks/{t}.html", "figures/{t}", "tables/{t}")


class RunLocked(AnalyseError):
    """Another run holds the project."""


# --------------------------------------------------------------------------- lock

def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(holder: dict) -> str:
    pid, host = holder.get("pid", "?"), holder.get("host", "?")
    started = str(holder.get("gestart", "?")).replace("T", " ")[:19]
    command = holder.get("opdracht")
    return f"PID {pid} op {host}, gestart {started}" + (f" ({command})" if command else "")


class RunLock:
    """An exclusive lock on ``reports/.lock`` for the duration of a run (see the module docstring)."""

    def __init__(self, reports_dir: Path, command: str = "analyse run"):
        self.path = Path(reports_dir) / LOCK_FILE
        self.command = command
        self.fd: int | None = None
        self.stale: dict | None = None  # what a killed run left in the lock file, when taken over

    def acquire(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), file_mode())
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                if not holder:  # the other run has just taken the lock and not written its name yet
                    time.sleep(0.3)
                    holder = _read_holder(fd)
                os.close(fd)
                raise RunLocked(
                    f"er loopt al een run in dit project ({_describe(holder)}); wacht tot die klaar is of stop "
                    f"die met Ctrl+C (of kill {holder.get('pid', '<PID>')}). Slot: {self.path}.") from None
            except BaseException:
                os.close(fd)
                raise
            try:  # the file we locked must still be the lock file (a finishing run removes it)
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self.fd = fd
        previous = _read_holder(fd)
        if previous:
            self.stale = previous
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "gestart": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                  "opdracht": self.command}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(holder, ensure_ascii=False) + "\n").encode("utf-8"), 0)
        os.fchmod(fd, file_mode())
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        finally:
            os.close(self.fd)  # closing releases the flock
            self.fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> dict:
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        holder = json.loads(text) if text else {}
        return holder if isinstance(holder, dict) else {}
    except (OSError, ValueError):
        return {}


def describe_stale(holder: dict) -> str:
    alive = isinstance(holder.get("pid"), int) and holder.get("host") == socket.gethostname() \
        and _process_alive(holder["pid"])
    state = "draait nog maar houdt het slot niet meer vast" if alive else "is niet afgerond"
    return f"een eerdere run ({_describe(holder)}) {state}; het slot is overgenomen."


# --------------------------------------------------------------------------- leftovers

def clean_leftovers(reports_dir: Path) -> list[str]:
    """Finish or remove what killed runs left; call only while holding the lock. Returns what was done.

    A staging folder with a journal was complete and in the middle of being published: the publication is
    completed. Every other ``.run-*`` and ``.old-*`` is removed, as are ``.old-<thema>`` folders inside
    ``figures/`` and ``tables/`` and ``.*.tmp`` files of interrupted atomic writes.
    """
    reports_dir = Path(reports_dir)
    done: list[str] = []
    if not reports_dir.is_dir():
        return done
    for staging in sorted(reports_dir.glob(STAGING_PREFIX + "*")):
        if (staging / JOURNAL).is_file():
            _complete(staging, reports_dir)
            done.append(f"de onderbroken publicatie van {staging.name} is afgemaakt")
    for leftover in sorted([*reports_dir.glob(STAGING_PREFIX + "*"), *reports_dir.glob(OLD_PREFIX + "*"),
                            *reports_dir.glob("figures/" + OLD_PREFIX + "*"),
                            *reports_dir.glob("tables/" + OLD_PREFIX + "*"), *reports_dir.glob(".*.tmp")]):
        _remove(leftover)
        done.append(f"{leftover.relative_to(reports_dir)} opgeruimd")
    return done


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- staging

class Staging:
    """``reports/.run-<id>/``: created on enter, removed on exit unless it was published."""

    def __init__(self, reports_dir: Path):
        self.reports_dir = Path(reports_dir)
        self.path: Path | None = None

    def __enter__(self) -> Path:
        self.reports_dir.mkdir(parents=True, exist_ok=True)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{stamp}-{os.getpid()}-", dir=self.reports_dir))
        return self.path

    def __exit__(self, *exc) -> None:
        # a staging folder with a journal failed in the middle of publishing: the next run completes it
        if self.path is not None and self.path.exists() and not (self.path / JOURNAL).exists():
            shutil.rmtree(self.path, ignore_errors=True)


LINKED = (".png", ".svg")  # drawn figures; the figure cache (.figuren.json) is rewritten in place, so copied


def _link_or_copy(source: str, target: str) -> None:
    if not source.endswith(LINKED):
        shutil.copy2(source, target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:  # another file system, or links not allowed: a copy
        shutil.copy2(source, target)


def _copy(source: Path, target: Path, link: bool = False, leave_out: frozenset[Path] = frozenset()) -> None:
    """Copy ``source`` to ``target``; with ``link``, files become hard links (no bytes copied); files in
    ``leave_out`` are not copied.

    Only figures (:data:`LINKED`) are linked: nobody writes into them (the writer removes a figure before it
    draws it again).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        def ignore(folder: str, names: list[str]) -> set[str]:
            return {n for n in names if n.startswith(OLD_PREFIX) or Path(folder) / n in leave_out}

        shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True, ignore=ignore,
                        copy_function=_link_or_copy if link else shutil.copy2)
    elif source in leave_out:
        return
    elif link:
        _link_or_copy(str(source), str(target))
    else:
        shutil.copy2(source, target)


def copy_current(reports_dir: Path, staging: Path, *, keep: list[str], cache: list[str],
                 leave_out: list[str] = ()) -> None:
    """Copy the current outputs of the themes in ``keep`` (not run now) and the figures of ``cache``.

    The figures of a theme that runs are its figure cache: the notebook keeps a figure whose data,
    arguments and code did not change and whose files are as drawn, and removes the ones it did not make.
    ``leave_out``: files (relative to ``reports_dir``) that are not as the previous run made them (changed by
    hand): never copied, so never published or reused. ``analyse run --opnieuw`` gives no ``cache``.
    """
    reports_dir = Path(reports_dir)
    left_out = frozenset(reports_dir / name for name in leave_out)
    for thema in keep:
        for part in THEME_PARTS:
            relative = part.format(t=thema)
            if (reports_dir / relative).exists():
                _copy(reports_dir / relative, staging / relative, link=relative.startswith("figures/"),
                      leave_out=left_out)
    for thema in cache:
        if (reports_dir / "figures" / thema).is_dir():
            _copy(reports_dir / "figures" / thema, staging / "figures" / thema, link=True, leave_out=left_out)


# --------------------------------------------------------------------------- publishing

def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish(staging: Path, reports_dir: Path) -> list[str]:
    """Replace the current set in ``reports_dir`` by the complete set in ``staging``; the names published."""
    staging, reports_dir = Path(staging), Path(reports_dir)
    new = [name for name in PUBLISHED if (staging / name).exists()]
    gone = [name for name in PUBLISHED if name not in new and (reports_dir / name).exists()]
    for name in new:
        make_readable(staging / name)
    journal = staging / JOURNAL
    with open(journal, "w", encoding="utf-8") as handle:
        json.dump({"nieuw": new, "weg": gone}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync_dir(staging)
    defer_signals()  # from here on the run is complete
    _complete(staging, reports_dir)
    return new


def _complete(staging: Path, reports_dir: Path) -> None:
    """Move the entries named in ``staging``'s journal into place (idempotent: also after a crash)."""
    plan = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    old = reports_dir / (OLD_PREFIX + staging.name[len(STAGING_PREFIX):])
    old.mkdir(mode=dir_mode(), exist_ok=True)
    for name in plan.get("weg", []):
        if name in PUBLISHED and (reports_dir / name).exists():
            _remove(old / name)
            os.rename(reports_dir / name, old / name)
    for name in plan.get("nieuw", []):
        if name not in PUBLISHED or not (staging / name).exists():
            continue  # already in place
        if (reports_dir / name).exists() or (reports_dir / name).is_symlink():
            _remove(old / name)
            os.rename(reports_dir / name, old / name)
        os.rename(staging / name, reports_dir / name)
    _fsync_dir(reports_dir)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- stopping

class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP arrived: stop the run (nothing is published)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_state = {"defer": 0, "pending": None, "stopping": False}


def _handler(signum, frame) -> None:
    if _state["defer"]:
        _state["pending"] = signum
        return
    if _state["stopping"]:  # a second signal while stopping: stop at once, the next run cleans up
        try:
            os.write(2, "\nDirect gestopt; wat er nog staat, ruimt de volgende run op.\n".encode("utf-8"))
        finally:
            os._exit(128 + signum)
    _state["stopping"] = True
    raise Interrupted(signum)


@contextmanager
def stop_on_signals():
    """SIGINT, SIGTERM and SIGHUP (the terminal closed) raise :class:`Interrupted` in the main thread.

    Outside the main thread (a test calling the pipeline from a thread) signals are left as they are.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handled = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.getsignal(s) for s in handled}
    _state.update(defer=0, pending=None, stopping=False)
    for signum in previous:
        signal.signal(signum, _handler)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _state.update(defer=0, pending=None, stopping=False)


def defer_signals() -> None:
    """Hold SIGINT/SIGTERM/SIGHUP back until :func:`stop_on_signals` ends (they are noted, not acted on)."""
    _state["defer"] += 1


def pending_signal() -> int | None:
    """A signal that arrived while signals were held back (and was therefore not acted on)."""
    return _state["pending"]
