"""A notebook worker process for ``analyse run`` (started by :class:`analyse.runner.WorkerPool`).

Protocol: one task per line of JSON on standard input (notebook, output folder, parameters), one result per
line of JSON on standard output. A worker only writes into the output folder of its task (the run's
staging folder); it never publishes anything.

Started with a notebook folder (``python -m analyse.worker NOTEBOOK_DIR``), the worker starts its kernel
there at once, imports the analysis libraries in it while it waits for its first task, and runs every
notebook of that folder on it, each with a fresh namespace (:class:`analyse.runner.WarmKernel`). A kernel
that died (a notebook that crashed it) is replaced for the next notebook.

Stopping:

- Ctrl+C (SIGINT) is ignored: the run decides, and kills the workers it no longer needs.
- SIGTERM: the worker kills the kernels it started and exits.
- When its parent is gone (``kill -9`` of ``analyse run``), the worker does the same: it notices within a
  fraction of a second (the parent's PID no longer being its parent; on Linux also ``PR_SET_PDEATHSIG``),
  and an idle worker gets end-of-file on its input. A kernel whose worker died exits by itself as well
  (ipykernel watches its parent).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

from analyse.runner import PARENT_VARIABLE

_PR_SET_PDEATHSIG = 1


def _kill_kernels() -> None:
    try:
        import psutil

        children = psutil.Process().children(recursive=True)
    except Exception:  # psutil missing or the process table unreadable: the kernels watch us themselves
        return
    for child in children:
        try:
            child.kill()
        except Exception:
            pass


def _exit(code: int) -> None:
    _kill_kernels()
    os._exit(code)


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            _exit(1)
        time.sleep(0.2)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


def main() -> int:
    parent = int(os.environ.get(PARENT_VARIABLE) or os.getppid())
    # a no-op handler, not SIG_IGN: an ignored signal would stay ignored in the kernels this starts
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    signal.signal(signal.SIGTERM, lambda signum, frame: _exit(128 + signum))
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before we were ready
        _exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="ouder-bewaker").start()

    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to the log, never into the protocol
    from analyse import runner

    folder = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else None
    kernel = _warm_kernel(runner, folder)
    for line in sys.stdin:
        if not line.strip():
            continue
        task = None
        try:
            task = json.loads(line)
            notebook = Path(task["notebook"])
            if kernel is not None and not kernel.alive():
                kernel.shutdown()
                kernel = _warm_kernel(runner, folder, preload=False)
            warm = kernel if kernel is not None and notebook.resolve().parent == folder else None
            result = runner.execute_notebook(notebook, Path(task["output_dir"]), task["parameters"], kernel=warm)
            answer = asdict(result)
        except Exception as error:  # a broken task is a failed notebook, not a dead worker
            thema = Path(str(task.get("notebook", "?"))).stem if isinstance(task, dict) else "?"
            answer = {"thema": thema, "ok": False, "seconds": 0.0,
                      "message": f"{thema}: {type(error).__name__}: {error}"}
        protocol.write(json.dumps(answer, ensure_ascii=False) + "\n")
        protocol.flush()
    if kernel is not None:
        kernel.shutdown()
    return 0


def _warm_kernel(runner, folder: Path | None, preload: bool = True):
    """The worker's kernel in ``folder``, or None (no folder, or it does not start: then each notebook starts
    its own kernel through papermill, which reports why it cannot)."""
    if folder is None:
        return None
    try:
        kernel = runner.WarmKernel(folder)
        if preload:
            runner.prepare_worker()  # while the kernel starts
            kernel.preload()
        return kernel
    except Exception as error:
        print(f"warme kernel niet gestart: {type(error).__name__}: {error}", file=sys.stderr)
        return None


if __name__ == "__main__":
    sys.exit(main())
