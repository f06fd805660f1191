"""Text widths in Arial, to size Word table columns so that no word is ever broken.

The note is set in Arial (Liberation Sans in LibreOffice has the same metrics). Widths come from the
Helvetica font metrics (AFM) that matplotlib ships; Helvetica and Arial have the same advance widths.
A character without a metric (a rare letter) counts as wide as an 'M', so a word is never measured short.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import matplotlib

_AFM = Path(matplotlib.get_data_path()) / "fonts" / "afm"
_NAMES = {"–": "endash", "—": "emdash", "’": "quoteright", "‘": "quoteleft", "“": "quotedblleft",
          "”": "quotedblright", "…": "ellipsis", "•": "bullet", "€": "M", "×": "multiply", "−": "endash",
          "'": "quotesingle", "`": "grave"}
CM_PER_POINT = 2.54 / 72


@functools.cache
def _metrics(bold: bool) -> tuple[dict[int, int], dict[str, int]]:
    by_code: dict[int, int] = {}
    by_name: dict[str, int] = {}
    text = (_AFM / ("phvb8a.afm" if bold else "phvr8a.afm")).read_text(encoding="latin-1")
    for line in text.splitlines():
        if not line.startswith("C "):
            continue
        parts = dict(p.strip().split(" ", 1) for p in line.split(";") if p.strip())
        width, name = int(float(parts["WX"])), parts["N"]
        by_name[name] = width
        if int(parts["C"]) > 0:
            by_code[int(parts["C"])] = width
    return by_code, by_name


def _char(c: str, bold: bool) -> int:
    by_code, by_name = _metrics(bold)
    if c in _NAMES:
        return by_name.get(_NAMES[c], by_name["M"])
    if 32 <= ord(c) < 127 and c not in "'`":
        return by_code[ord(c)]
    base = unicodedata.normalize("NFKD", c)[:1]
    if base and 32 <= ord(base) < 127:
        return by_code[ord(base)]
    return by_name["M"]


@functools.lru_cache(maxsize=65536)
def _units(text: str, bold: bool) -> int:
    """Width of ``text`` in font units (1/1000 of the size); a table repeats its texts, and every layout
    tried measures them again."""
    return sum(_char(c, bold) for c in text)


@functools.lru_cache(maxsize=65536)
def _widest_word_units(text: str, bold: bool) -> int:
    return max((_units(w, bold) for w in text.split()), default=0)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in cm at ``size`` points."""
    return _units(text, bold) / 1000 * size * CM_PER_POINT


def longest_word(text: str, size: float, bold: bool = False) -> float:
    """Width in cm of the widest word of ``text`` (words split on spaces and line ends)."""
    return _widest_word_units(text, bold) / 1000 * size * CM_PER_POINT
