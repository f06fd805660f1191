"""Convert Word files to accessible PDF with LibreOffice, updating the table of contents and fields first.

Run by LibreOffice's own Python (the one that can ``import uno``), never imported by the analysis:
``python3 uno_pdf.py SOFFICE PROFILE_DIR``. It starts a private, headless LibreOffice on a pipe and then reads
its standard input: each line ``IN.docx<TAB>OUT.pdf`` is one conversion (started before the documents are
written, LibreOffice is ready when they are); an empty line or the end of input stops it. Per document it
loads the file hidden, updates every index (the contents) and field (page numbers, figure numbers), exports
the PDF and answers one line: ``ok``, or ``fout <reason>``. Exit code 0, or 2 with a message when
LibreOffice cannot be started.

The PDF is tagged (its structure, reading order and the figures' alternative texts reach a screen reader),
has bookmarks from the headings, shows the document title (not the file name) in the title bar, and takes
its language (nl-NL) from the document. The figures are embedded as they are (not resampled as JPEG).
"""

import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue

PDF_OPTIONS = (("UseTaggedPDF", True), ("ExportBookmarks", True), ("DisplayPDFDocumentTitle", True),
               ("ExportNotes", False), ("ReduceImageResolution", False))
"""LibreOffice's PDF export options: tagged, bookmarks, title shown, figures not recompressed."""


def _property(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def _connect(soffice, profile):
    pipe = "analyse_pdf_" + uuid.uuid4().hex
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.abspath(profile)),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            remote = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if time.monotonic() > deadline or office.poll() is not None:
                office.kill()
                raise RuntimeError("LibreOffice start niet")
            time.sleep(0.2)
    return office, remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)


def convert(desktop, source, target):
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                            (_property("Hidden", True),))
    if document is None:
        raise RuntimeError("LibreOffice kan het document niet openen")
    try:
        indexes = document.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        document.getTextFields().refresh()
        options = uno.Any("[]com.sun.star.beans.PropertyValue",
                          tuple(_property(name, value) for name, value in PDF_OPTIONS))
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                            (_property("FilterName", "writer_pdf_Export"), _property("FilterData", options)))
    finally:
        document.close(True)


def main(soffice, profile):
    office, desktop = _connect(soffice, profile)
    try:
        for line in sys.stdin:
            line = line.rstrip("\n")
            if not line:
                break
            source, _, target = line.partition("\t")
            try:
                convert(desktop, source, target)
                answer = "ok"
            except Exception as error:  # one line for the caller, who falls back to the plain conversion
                answer = "fout " + " ".join(str(error).split())
            sys.stdout.write(answer + "\n")
            sys.stdout.flush()
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes while LibreOffice stops
        office.wait(30)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait(10)


if __name__ == "__main__":
    try:
        main(*sys.argv[1:3])
    except Exception as error:  # one line for the caller
        sys.stderr.write("%s\n" % error)
        sys.exit(2)
