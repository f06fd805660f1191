"""Names that look alike but are different strings: a Cyrillic 'а' in "Mааssluis", a full-width letter, a case.

:func:`skeleton` maps a name to what a reader sees: NFKC (full-width and compatibility forms become their
plain letters), case folded, and letters of other scripts that are drawn like a Latin letter replaced by
that letter (:data:`LOOK_ALIKE`). Two names with one skeleton are confusable. :func:`scripts` names the
scripts of a name's letters; a name that mixes them (Latin with one Cyrillic letter) is suspect on its own.
Both work per name, so a catalogue of any size is checked in one pass.
"""

from __future__ import annotations

import unicodedata

from analyse.schema import visible

LOOK_ALIKE = str.maketrans({
    # Cyrillic, lower case (upper case is folded to these first)
    "а": "a", "в": "b", "е": "e", "ё": "ë", "з": "3", "і": "i", "ї": "ï", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
    "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "m", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ζ": "z",
    # Latin letters drawn like other Latin letters
    "ı": "i", "ǀ": "l", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʋ": "u",
})
"""Letters drawn (nearly) like a Latin letter, after case folding. Not complete (Unicode lists thousands of
confusables); these are the ones a copy from a web page or a deliberate imitation of a Dutch name uses."""


def skeleton(name: str) -> str:
    """What ``name`` looks like: NFKC, case folded, look-alike letters replaced, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(unicodedata.normalize("NFC", folded.translate(LOOK_ALIKE)).split())


def scripts(name: str) -> list[str]:
    """The scripts of the letters in ``name`` (by their Unicode names: LATIN, CYRILLIC, GREEK, ...), sorted.

    Taken after NFKC, so a full-width 'Ｍ' counts as the Latin letter it stands for.
    """
    found = set()
    for char in unicodedata.normalize("NFKC", name):
        if char.isalpha():
            found.add(unicodedata.name(char, "ONBEKEND").split(" ")[0])
    return sorted(found)


def differing(name: str, other: str) -> list[str]:
    """The characters of ``name`` outside plain ASCII that ``other`` does not have, as 'a' (U+0430)."""
    return [f"'{visible(char)}' (U+{ord(char):04X})" for char in dict.fromkeys(name)
            if not char.isascii() and char not in other]
