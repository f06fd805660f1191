"""``beleidsnota.pdf``: the Word note converted by LibreOffice, when LibreOffice is on the machine.

With LibreOffice's Python bridge (``import uno``, Debian: python3-uno, which LibreOffice itself brings) the
contents and the page and figure numbers are updated before the PDF is written (:mod:`.uno_pdf`); without
it ``soffice --headless --convert-to pdf`` converts the file as it is. Either way LibreOffice runs with its
own temporary profile in a staging folder, in its own process group, and is stopped after
:data:`TIMEOUT` seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path

TIMEOUT = 180  # seconds for one conversion
NO_LIBREOFFICE = ("Geen PDF van de beleidsnota: LibreOffice ontbreekt. Installeer het (Debian/Ubuntu: "
                  "apt-get install libreoffice-writer-nogui) en voer `analyse run` opnieuw uit, of open "
                  "beleidsnota.docx in Word en kies Opslaan als > PDF.")
_MAC = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


class PdfError(Exception):
    """No PDF: the message is one Dutch line for the person running the analysis."""


def find_soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or (_MAC if os.path.exists(_MAC) else None)


def uno_python(soffice: str) -> str | None:
    """A Python that can drive LibreOffice: the one LibreOffice ships (Windows, macOS) or the system's."""
    program = Path(soffice).resolve().parent
    for candidate in (program / "python", program / "python.exe", Path("/usr/bin/python3")):
        if candidate.is_file():
            try:
                done = subprocess.run([str(candidate), "-c", "import uno"], capture_output=True, timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if done.returncode == 0:
                return str(candidate)
    return None


_running: set[subprocess.Popen] = set()  # LibreOffice processes in progress, for :meth:`Background.cancel`
_running_lock = threading.Lock()


def _start(command: list[str], stdin=None) -> subprocess.Popen:
    """Start ``command`` in its own process group (so it, and the LibreOffice it starts, can be killed at once)."""
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    with _running_lock:
        _running.add(process)
    return process


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _wait(process: subprocess.Popen, timeout: float, give: bytes | None = None) -> subprocess.CompletedProcess:
    """Hand ``give`` to ``process`` and wait for it; on timeout its whole process group is killed."""
    try:
        out, err = process.communicate(give, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        raise PdfError(f"Geen PDF van de beleidsnota: LibreOffice was na {timeout:.0f} seconden niet klaar.") from None
    finally:
        with _running_lock:
            _running.discard(process)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess:
    return _wait(_start(command), timeout)


class Conversion:
    """One conversion of the note, with LibreOffice started before the note is there.

    Made before the Word note is written: LibreOffice (through its Python bridge, :mod:`.uno_pdf`) starts
    at once and waits; :meth:`convert` gives it the note, so the second it takes to start passes while the
    note is being written. :meth:`close` stops whatever still runs and removes the staging folder; use it
    as a context manager. Without the bridge (or with ``update_contents`` False) :meth:`convert` runs
    ``soffice --convert-to pdf`` as before.
    """

    def __init__(self, *, timeout: float = TIMEOUT, update_contents: bool = True):
        self.timeout = timeout
        self.soffice = find_soffice()
        self.staging = Path(tempfile.mkdtemp(prefix="analyse-pdf-"))
        self.source, self.result = self.staging / "beleidsnota.docx", self.staging / "beleidsnota.pdf"
        self.profile = self.staging / "profiel"
        self.helper: subprocess.Popen | None = None
        python = uno_python(self.soffice) if self.soffice is not None and update_contents else None
        if python is not None:
            self.helper = _start([python, str(Path(__file__).with_name("uno_pdf.py")), self.soffice,
                                  str(self.source), str(self.result), str(self.profile)], stdin=subprocess.PIPE)

    def convert(self, docx: Path, pdf: Path) -> None:
        """Write ``pdf`` from ``docx``; :class:`PdfError` (Dutch) when LibreOffice is missing or fails."""
        if self.soffice is None:
            raise PdfError(NO_LIBREOFFICE)
        shutil.copyfile(docx, self.source)
        reason: list[str] = []
        attempts = [] if self.helper is None else [lambda: _wait(self.helper, self.timeout, b"ga\n")]
        # first choice: contents and page numbers filled in; the plain conversion as fallback
        attempts.append(lambda: _run([self.soffice, "--headless", "--norestore",
                                      f"-env:UserInstallation={self.profile.as_uri()}", "--convert-to", "pdf",
                                      "--outdir", str(self.staging), str(self.source)], self.timeout))
        for attempt in attempts:
            done = attempt()
            if done.returncode == 0 and self.result.is_file() and self.result.stat().st_size > 0:
                shutil.copyfile(self.result, pdf)
                return
            reason = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines() or reason
        raise PdfError("Geen PDF van de beleidsnota: LibreOffice gaf een fout"
                       + (f" ({reason[-1]})." if reason else "."))

    def close(self) -> None:
        if self.helper is not None and self.helper.poll() is None:
            _kill(self.helper)
            self.helper.communicate()
        if self.helper is not None:
            with _running_lock:
                _running.discard(self.helper)
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> "Conversion":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Background:
    """``write(target)`` in a thread: the conversion runs in LibreOffice's own process while this one writes
    the other publications. :meth:`wait` returns or raises what ``write`` did; :meth:`cancel` stops it."""

    def __init__(self, write):
        self.error: BaseException | None = None
        self._cancelled = False

        def work():
            try:
                write()
            except BaseException as error:  # handed to wait()
                self.error = error

        self.thread = threading.Thread(target=work, name="pdf", daemon=True)
        self.thread.start()

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error

    def cancel(self) -> None:
        """Kill LibreOffice (its whole process group) and wait for the thread."""
        while self.thread.is_alive():
            with _running_lock:
                for process in list(_running):
                    _kill(process)
            self.thread.join(timeout=0.2)


def same_note(first: Path, second: Path) -> bool:
    """Whether two Word notes have the same content: every member equal except the write time
    (``docProps/core.xml``). Then the PDF of the one is the PDF of the other."""
    try:
        with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
            names = sorted(n for n in a.namelist() if n != "docProps/core.xml")
            if names != sorted(n for n in b.namelist() if n != "docProps/core.xml"):
                return False
            return all(a.read(n) == b.read(n) for n in names)
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def convert(docx: Path, pdf: Path, *, timeout: float = TIMEOUT, update_contents: bool = True) -> None:
    """Write ``pdf`` from ``docx``; :class:`PdfError` (Dutch) when LibreOffice is missing or fails."""
    with Conversion(timeout=timeout, update_contents=update_contents) as conversion:
        conversion.convert(docx, pdf)
