"""File modes for what the analysis publishes: readable by others, like files a user creates.

Files are written with mode ``0o666`` and folders with ``0o777``, both minus the process umask (so with the
usual umask 022: ``0644`` and ``0755``; with umask 027 a group can read and others cannot). Temporary
files from :func:`tempfile.mkstemp` and folders from :func:`tempfile.mkdtemp` are private (``0600`` /
``0700``); everything published is given the normal modes before it is moved into place.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_lock = threading.Lock()


def umask() -> int:
    """The process umask, read without changing it where the system allows (Linux ``/proc``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _lock:  # elsewhere: set and restore (briefly process-wide)
        current = os.umask(0o022)
        os.umask(current)
    return current


def file_mode() -> int:
    return 0o666 & ~umask()


def dir_mode() -> int:
    return 0o777 & ~umask()


def make_readable(top: Path) -> None:
    """Give ``top`` and everything below it the normal modes (files 0666, folders 0777, minus umask).

    Symbolic links are left alone (their mode is not used) and never followed.
    """
    top = Path(top)
    fmode, dmode = file_mode(), dir_mode()
    if top.is_symlink():
        return
    if top.is_file():
        os.chmod(top, fmode)
        return
    os.chmod(top, dmode)
    for folder, dirs, names in os.walk(top):
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, dmode)
        for name in names:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, fmode)
