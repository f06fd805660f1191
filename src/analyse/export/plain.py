"""Plain Dutch in the publications: which texts belong in the nota, abbreviations explained at first use,
and the checks that find what a reader should never see (codes, ``None``, ``nan``, English number formats).

The nota is for the council and the public: a key message that needs a method word to be understood
(:data:`METHOD_WORDS`) or rests on a suppressed cell stays in the technical report, where the method is
explained. The same list and the same checks are used by the writers (a warning in the log) and by the
tests that scan the real outputs.
"""

from __future__ import annotations

import re

METHOD_WORDS = (
    "odds ratio", "durbin-watson", "niet-inferioriteit", "teller", "noemer", "methode", "95%-interval",
    "betrouwbaarheidsinterval", "regressie", "ols", "wls", "poisson", "binomiaal", "p-waarde", "indicatief:",
    "absoluut en relatief", "maatstaf", "ongelijkheidsindex",
)
"""Words of the method: they belong in the technical report, never in the nota (whole words, any case)."""
_METHOD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in METHOD_WORDS) + r")(?![\w-])", re.IGNORECASE)

ABBREVIATIONS = {
    "CBS": "Centraal Bureau voor de Statistiek",
    "KWB": "Kerncijfers wijken en buurten van het CBS",
    "SCP": "Sociaal en Cultureel Planbureau",
    "WRR": "Wetenschappelijke Raad voor het Regeringsbeleid",
    "SZW": "Sociale Zaken en Werkgelegenheid",
    "OCW": "Onderwijs, Cultuur en Wetenschap",
    "DUO": "Dienst Uitvoering Onderwijs",
    "CJG": "Centrum voor Jeugd en Gezin",
    "VVE": "voor- en vroegschoolse educatie",
    "vsv": "voortijdig schoolverlaten",
    "RADAR": "het antidiscriminatiebureau in de regio Rotterdam",
    "CITO": "de eindtoets van het basisonderwijs",
    "vmbo": "voorbereidend middelbaar beroepsonderwijs",
    "mbo": "middelbaar beroepsonderwijs",
    "hbo": "hoger beroepsonderwijs",
}
"""Abbreviations in the texts, with what they stand for; explained at their first use in a publication."""
_ABBREVIATION = re.compile(r"(?<![\w-])(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w-])")

_CODE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w/])")
_URL = re.compile(r"(https?://|www\.)\S+")
_QUOTATION = re.compile(r"‘[^’]*’")  # a quotation shows the document's own notation, as it was written
_FILE = re.compile(r"\b[\w-]+\.(csv|xlsx|json|ipynb|docx|png|svg)\b", re.IGNORECASE)
_ENGLISH_NUMBER = re.compile(r"(?<![\w.,/-])\d+\.(\d{1,2}|\d{4,})(?![\w.,])")
_NONE = re.compile(r"(?<![\w-])(None|nan|NaN|null)(?![\w-])")


def method_words(text: str) -> list[str]:
    """The method words in ``text`` (lower case, in order of appearance)."""
    return [m.group(1).lower() for m in _METHOD.finditer(text)]


def is_plain(text: str) -> bool:
    return not method_words(text)


def nota_messages(messages, key_figures, limit: int) -> list[str]:
    """The first ``limit`` messages a reader of the nota can use: without method words and not built on a
    suppressed number (a message that says 'minder dan 10 medewerkers' tells nothing but the rule)."""
    hidden = [f.text for f in key_figures if f.value is None and f.text]
    chosen = [m for m in messages if is_plain(m) and not any(h in m for h in hidden)]
    return chosen[:limit]


class Abbreviations:
    """Explains each abbreviation once per publication: ``VVE`` -> ``VVE (voor- en vroegschoolse educatie)``
    at its first stand-alone use; later uses stay short. :meth:`used` lists them for a list of abbreviations."""

    def __init__(self):
        self.seen: list[str] = []

    def explain(self, text: str) -> str:
        def first(match: re.Match) -> str:
            word = match.group(1)
            if word in self.seen:
                return word
            self.seen.append(word)
            following = text[match.end():match.end() + 2]
            if following.startswith(" (") or following.startswith("("):  # already explained by the text
                return word
            return f"{word} ({ABBREVIATIONS[word]})"

        return _ABBREVIATION.sub(first, text)

    def used(self) -> list[tuple[str, str]]:
        return [(word, ABBREVIATIONS[word]) for word in self.seen]


def visible_problems(text: str) -> list[str]:
    """What a reader should never see in ``text`` (web addresses and quotations aside): snake_case codes, file
    names, ``None``/``nan`` and numbers in English notation ('3.6', '1.73'; '32.518' is Dutch for thousands)."""
    text = _QUOTATION.sub(" ", _URL.sub(" ", text))
    found = [m.group(0) for m in _CODE.finditer(text)]
    found += [m.group(0) for m in _FILE.finditer(text)]
    found += [m.group(0) for m in _NONE.finditer(text)]
    found += [m.group(0) for m in _ENGLISH_NUMBER.finditer(text)]
    return found
