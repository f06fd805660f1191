"""``beleidsnota.pdf`` and ``technisch-rapport.pdf``: the Word documents converted by LibreOffice, when
LibreOffice is on the machine; tagged (accessible), with bookmarks, title and language.

With LibreOffice's Python bridge (``import uno``, Debian: python3-uno, which LibreOffice itself brings) the
contents and the page and figure numbers are updated before the PDF is written (:mod:`.uno_pdf`); without
it ``soffice --headless --convert-to pdf`` converts the file as it is (with the same export options). Either way LibreOffice runs with its
own temporary profile in a staging folder, in its own process group, and is stopped after
:data:`TIMEOUT` seconds.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path

TIMEOUT = 180  # seconds for one conversion
NO_LIBREOFFICE = ("Geen PDF van de nota en het technisch rapport: LibreOffice ontbreekt. Installeer het (Debian/Ubuntu: "
                  "apt-get install libreoffice-writer-nogui) en voer `analyse run` opnieuw uit, of open "
                  "de Word-bestanden in Word en kies Opslaan als > PDF.")
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


def _wait(process: subprocess.Popen, timeout: float) -> subprocess.CompletedProcess:
    """Wait for ``process``; on timeout its whole process group is killed."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        raise PdfError(f"Geen PDF: LibreOffice was na {timeout:.0f} seconden niet klaar.") from None
    finally:
        with _running_lock:
            _running.discard(process)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess:
    return _wait(_start(command), timeout)


PLAIN_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {name: {"type": "boolean", "value": "true" if value else "false"} for name, value in
     (("UseTaggedPDF", True), ("ExportBookmarks", True), ("DisplayPDFDocumentTitle", True),
      ("ReduceImageResolution", False))}, separators=(",", ":"))
"""The plain conversion's filter: a tagged PDF with bookmarks, as :mod:`.uno_pdf` writes it."""


class Conversion:
    """Conversions of the Word documents, with LibreOffice started before they are there.

    Made before the documents are written: LibreOffice (through its Python bridge, :mod:`.uno_pdf`) starts at
    once and waits; :meth:`convert` hands it one document at a time, so the second it takes to start passes
    while the documents are being written. :meth:`close` stops whatever still runs and removes the staging
    folder; use it as a context manager. Without the bridge (or with ``update_contents`` False, or when the
    bridge fails on a document) :meth:`convert` runs ``soffice --convert-to pdf`` with the same options.
    """

    def __init__(self, *, timeout: float = TIMEOUT, update_contents: bool = True):
        self.timeout = timeout
        self.soffice = find_soffice()
        self.staging = Path(tempfile.mkdtemp(prefix="analyse-pdf-"))
        self.profile = self.staging / "profiel"
        self.helper: subprocess.Popen | None = None
        python = uno_python(self.soffice) if self.soffice is not None and update_contents else None
        if python is not None:
            self.helper = _start([python, str(Path(__file__).with_name("uno_pdf.py")), self.soffice,
                                  str(self.profile)], stdin=subprocess.PIPE)

    def _ask_helper(self, source: Path, result: Path) -> str:
        """Hand one document to the bridge; its answer ('ok' or the reason it failed)."""
        helper = self.helper
        try:
            helper.stdin.write(f"{source}\t{result}\n".encode("utf-8"))
            helper.stdin.flush()
            ready, _, _ = select.select([helper.stdout], [], [], self.timeout)
        except (OSError, ValueError):
            ready = []
            if helper.poll() is None:
                raise
        if helper.poll() is None and not ready:
            self.close_helper()
            raise PdfError(f"Geen PDF van {source.name}: LibreOffice was na {self.timeout:.0f} seconden niet klaar.")
        answer = helper.stdout.readline().decode("utf-8", "replace").strip() if ready else ""
        if not answer:  # the bridge stopped: its reason, and the plain conversion from now on
            self.close_helper()
            return (helper.stderr.read() or b"").decode("utf-8", "replace").strip() or "de brug stopte"
        return answer

    def convert(self, docx: Path, pdf: Path) -> None:
        """Write ``pdf`` from ``docx``; :class:`PdfError` (Dutch) when LibreOffice is missing or fails."""
        if self.soffice is None:
            raise PdfError(NO_LIBREOFFICE)
        source = self.staging / Path(docx).name
        result = source.with_suffix(".pdf")
        shutil.copyfile(docx, source)
        result.unlink(missing_ok=True)
        reason = ""
        if self.helper is not None:  # first choice: contents and page numbers filled in
            answer = self._ask_helper(source, result)
            if answer == "ok" and result.is_file() and result.stat().st_size > 0:
                shutil.copyfile(result, pdf)
                return
            reason = answer.removeprefix("fout ").strip()
        done = _run([self.soffice, "--headless", "--norestore", f"-env:UserInstallation={self.profile.as_uri()}",
                     "--convert-to", PLAIN_FILTER, "--outdir", str(self.staging), str(source)], self.timeout)
        if done.returncode == 0 and result.is_file() and result.stat().st_size > 0:
            shutil.copyfile(result, pdf)
            return
        lines = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else reason
        raise PdfError(f"Geen PDF van {source.name}: LibreOffice gaf een fout" + (f" ({reason})." if reason else "."))

    def close_helper(self) -> None:
        if self.helper is not None and self.helper.poll() is None:
            _kill(self.helper)
            self.helper.wait()
        if self.helper is not None:
            with _running_lock:
                _running.discard(self.helper)
        self.helper = None

    def close(self) -> None:
        self.close_helper()
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> "Conversion":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Background:
    """``write()`` in a thread: the conversions run in LibreOffice's own process while this one writes the
    other publications. :meth:`wait` returns or raises what ``write`` did; :meth:`cancel` stops it."""

    def __init__(self, write):
        self.error: BaseException | None = None
        self.result = None

        def work():
            try:
                self.result = write()
            except BaseException as error:  # handed to wait()
                self.error = error

        self.thread = threading.Thread(target=work, name="pdf", daemon=True)
        self.thread.start()

    def wait(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result

    def cancel(self) -> None:
        """Kill LibreOffice (its whole process group) and wait for the thread."""
        while self.thread.is_alive():
            with _running_lock:
                for process in list(_running):
                    _kill(process)
            self.thread.join(timeout=0.2)


def same_note(first: Path, second: Path) -> bool:
    """Whether two Word documents have the same content: every member equal except the write time
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
