"""Publications built from what `analyse run` wrote into ``reports/<gemeente>/`` (read through
:mod:`analyse.contract`).

- :mod:`.read`: the manifest, theme summaries and tables as published cells; :mod:`.plain`: plain Dutch;
- :mod:`.xlsx`: ``tabellen.xlsx`` (a *Lees mij* sheet, then one tidy table per sheet);
- :mod:`.nota`: ``beleidsnota.docx`` (the nota for council and public); :mod:`.rapport`:
  ``technisch-rapport.docx`` (method, sources, the check of the policy document, all tables); both built on
  :mod:`.docx` with the house-style template of :mod:`.docx_style`;
- :mod:`.pdf`: ``beleidsnota.pdf`` and ``technisch-rapport.pdf`` (tagged) when LibreOffice is on the machine;
- :mod:`.html`: ``index.html`` (the offline start page, from ``templates/index.html``).

:func:`export_all` writes them all; every file is written next to its target and moved into place when
complete (:func:`analyse.data.write_atomic`), so a failing export leaves the previous file intact. The PDF
conversions (LibreOffice, seconds) run while the workbook is written, and LibreOffice is started while the
documents are; a document with the same content as the previously published one gets that one's PDF
instead of a new conversion.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from analyse.data import write_atomic
from analyse.export import html, nota, pdf, rapport, xlsx
from analyse.export.read import ExportError, Reports, load_reports, log

__all__ = ["ExportError", "export_all", "load_reports", "pdf_missing"]

WORKBOOK, INDEX = "tabellen.xlsx", "index.html"
NOTE, NOTE_PDF = "beleidsnota.docx", "beleidsnota.pdf"
REPORT, REPORT_PDF = "technisch-rapport.docx", "technisch-rapport.pdf"
DOCUMENTS = ((NOTE, NOTE_PDF), (REPORT, REPORT_PDF))
"""Each Word document and its PDF."""


def _write(path: Path, writer, reports: Reports) -> Path:
    write_atomic(path, lambda tmp: writer(reports, tmp))
    return path


def pdf_missing(folder: Path) -> bool:
    """Whether LibreOffice is here and a published Word document in ``folder`` has no PDF beside it: then a run
    with nothing else to do still makes the PDF."""
    folder = Path(folder)
    return pdf.find_soffice() is not None and any(
        (folder / name).is_file() and not (folder / pdf_name).is_file() for name, pdf_name in DOCUMENTS)


def _convert_all(conversion: pdf.Conversion, jobs: list[tuple[Path, Path, Path | None]]) -> list[tuple[Path, str]]:
    """Each (document, PDF, previous PDF of the same content or None): the PDF copied or converted; per PDF
    that could not be made, (its path, the reason)."""
    failed = []
    for document, target, reused in jobs:
        try:
            if reused is not None:
                write_atomic(target, lambda tmp, old=reused: shutil.copyfile(old, tmp))
            else:
                write_atomic(target, lambda tmp, doc=document: conversion.convert(doc, tmp))
        except pdf.PdfError as error:
            failed.append((target, str(error)))
    return failed


def export_all(reports_dir: Path, *, echo: Callable[[str], None] | None = None, make_pdf: bool = True,
               previous: Path | None = None) -> list[Path]:
    """Write tabellen.xlsx, beleidsnota.docx, technisch-rapport.docx, their PDFs (when LibreOffice is there)
    and index.html into ``reports_dir``; return the paths written. :class:`ExportError` when there is nothing
    to publish.

    ``previous``: the folder of the previously published reports; its PDF of a document is reused when its
    Word document has the same content as the new one (:func:`.pdf.same_note`). What a person running the
    analysis should know (a theme or table left out, no PDF and how to get one) goes to ``echo`` when given,
    else to the log as a warning; one Dutch line each.
    """
    say = echo or log.warning
    reports = load_reports(Path(reports_dir))
    skipped = {theme.reason for theme in reports.manifest.skipped}  # the run said these already
    for note in reports.notes:
        if note not in skipped:
            say(note)
    root = reports.root
    # LibreOffice starts now and is ready when the documents are written (a second saved); it is stopped
    # unused when the previous PDFs can be reused
    starting = pdf.Conversion() if make_pdf else None
    conversion = None
    try:
        documents = [_write(root / NOTE, nota.write_nota, reports), _write(root / REPORT, rapport.write_report, reports)]
        jobs = []
        for (name, pdf_name), document in zip(DOCUMENTS, documents):
            old_doc, old_pdf = (Path(previous) / name, Path(previous) / pdf_name) if previous else (None, None)
            same = old_pdf is not None and old_pdf.is_file() and pdf.same_note(old_doc, document)
            jobs.append((document, root / pdf_name, old_pdf if same else None))
        if starting is not None:
            if all(reused is not None for _, _, reused in jobs):
                starting.close()
            conversion = pdf.Background(lambda: _convert_all(starting, jobs))
        written = [_write(root / WORKBOOK, xlsx.write_workbook, reports), *documents]
        failed = conversion.wait() if conversion is not None else [(target, "") for _, target, _ in jobs]
        reasons = []
        for _, target, _ in jobs:
            reason = next((r for t, r in failed if t == target), None)
            if reason is None:
                written.append(target)
                continue
            if target.exists():  # an older PDF would no longer match its document
                target.unlink()
            if reason and reason not in reasons:
                reasons.append(reason)
        for reason in reasons:
            say(reason)
    except BaseException:
        if conversion is not None:
            conversion.cancel()
        raise
    finally:
        if starting is not None:
            starting.close()
    written.append(_write(root / INDEX, html.write_index, reports))  # it links a PDF only when there is one
    return written
