"""Publications built from what `analyse run` wrote into ``reports/`` (read through :mod:`analyse.contract`).

- :mod:`.read`: the manifest, theme summaries and tables as published cells;
- :mod:`.xlsx`: ``tabellen.xlsx`` (a *Lees mij* sheet, then one tidy table per sheet);
- :mod:`.docx`: ``beleidsnota.docx`` (the note as a publication);
- :mod:`.pdf`: ``beleidsnota.pdf`` when LibreOffice is on the machine;
- :mod:`.html`: ``index.html`` (the offline start page, from ``templates/index.html``).

:func:`export_all` writes them all; every file is written next to its target and moved into place when
complete (:func:`analyse.data.write_atomic`), so a failing export leaves the previous file intact. The PDF
conversion (LibreOffice, seconds) runs while the workbook is written, and LibreOffice is started while the
note is; when the note has the same content as the previously published one, that note's PDF is reused
instead of converted again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from analyse.data import write_atomic
from analyse.export import docx, html, pdf, xlsx
from analyse.export.read import ExportError, Reports, load_reports, log

__all__ = ["ExportError", "export_all", "load_reports"]

WORKBOOK, NOTE, NOTE_PDF, INDEX = "tabellen.xlsx", "beleidsnota.docx", "beleidsnota.pdf", "index.html"


def _write(path: Path, writer, reports: Reports) -> Path:
    write_atomic(path, lambda tmp: writer(reports, tmp))
    return path


def export_all(reports_dir: Path, *, echo: Callable[[str], None] | None = None, make_pdf: bool = True,
               previous: Path | None = None) -> list[Path]:
    """Write tabellen.xlsx, beleidsnota.docx, beleidsnota.pdf (when LibreOffice is there) and index.html into
    ``reports_dir``; return the paths written. :class:`ExportError` when there is nothing to publish.

    ``previous``: the folder of the previously published reports; its PDF is reused when its Word note has
    the same content as the new one (:func:`.pdf.same_note`). What a person running the analysis should
    know (a theme or table left out, no PDF and how to get one) goes to ``echo`` when given, else to the log
    as a warning; one Dutch line each.
    """
    say = echo or log.warning
    reports = load_reports(Path(reports_dir))
    skipped = {theme.reason for theme in reports.manifest.skipped}  # the run said these already
    for note in reports.notes:
        if note not in skipped:
            say(note)
    root = reports.root
    target = root / NOTE_PDF
    # LibreOffice starts now and is ready when the note is written (a second saved); it is stopped unused
    # when the previous PDF can be reused
    starting = pdf.Conversion() if make_pdf else None
    conversion = None
    try:
        note = _write(root / NOTE, docx.write_docx, reports)
        if starting is not None:
            old_note, old_pdf = (Path(previous) / NOTE, Path(previous) / NOTE_PDF) if previous else (None, None)
            if old_pdf is not None and old_pdf.is_file() and pdf.same_note(old_note, note):
                starting.close()
                conversion = pdf.Background(lambda: write_atomic(target, lambda tmp: shutil.copyfile(old_pdf, tmp)))
            else:
                conversion = pdf.Background(lambda: write_atomic(target, lambda tmp: starting.convert(note, tmp)))
        written = [_write(root / WORKBOOK, xlsx.write_workbook, reports), note]
        try:
            if conversion is None:
                raise pdf.PdfError("")
            conversion.wait()
            written.append(target)
        except pdf.PdfError as error:
            if target.exists():  # an older PDF would no longer match the note
                target.unlink()
            if str(error):
                say(str(error))
    except BaseException:
        if conversion is not None:
            conversion.cancel()
        raise
    finally:
        if starting is not None:
            starting.close()
    written.append(_write(root / INDEX, html.write_index, reports))  # it links the PDF only when there is one
    return written
