"""Convert a Word file to PDF with LibreOffice, updating the table of contents and fields first.

Run by LibreOffice's own Python (the one that can ``import uno``), never imported by the analysis:
``python3 uno_pdf.py SOFFICE IN.docx OUT.pdf PROFILE_DIR``. It starts a private, headless LibreOffice on a
pipe and waits until the line ``ga`` on its standard input says that IN.docx is there (started before the
note is written, LibreOffice is ready when it is; end of input instead: it stops). Then it loads the
document hidden, updates every index (the contents) and field (page numbers, figure numbers), exports the
PDF and stops LibreOffice again. Exit code 0 on success (or when told nothing), 2 with a message otherwise.
"""

import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def _property(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def main(soffice, source, target, profile):
    pipe = "analyse_pdf_" + uuid.uuid4().hex
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.abspath(profile)),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        remote = None
        deadline = time.monotonic() + 60
        while remote is None:
            try:
                remote = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            except Exception:
                if time.monotonic() > deadline or office.poll() is not None:
                    raise RuntimeError("LibreOffice start niet")
                time.sleep(0.2)
        desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        if sys.stdin.readline().strip() != "ga":  # the run stopped, or the note was not written
            return
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                                (_property("Hidden", True),))
        if document is None:
            raise RuntimeError("LibreOffice kan het document niet openen")
        indexes = document.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        document.getTextFields().refresh()
        # The figures are PNGs drawn at 300 dpi for this page width: embedded as they are, not resampled and
        # recompressed as JPEG (LibreOffice's default): sharper, a smaller file, and seconds faster.
        options = uno.Any("[]com.sun.star.beans.PropertyValue", (_property("ReduceImageResolution", False),))
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                            (_property("FilterName", "writer_pdf_Export"), _property("FilterData", options)))
        document.close(True)
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
        main(*sys.argv[1:5])
    except Exception as error:  # one line for the caller
        sys.stderr.write("%s\n" % error)
        sys.exit(2)
